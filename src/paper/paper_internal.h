/* paper_internal: what the files of paper/ share; not for use outside. */
#ifndef KG_PAPER_PAPER_INTERNAL_H
#define KG_PAPER_PAPER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/vec.h"
#include "paper/paper.h"

/* A page-1 block kept for the header parser. */
typedef struct kg_front_item {
    kg_block_kind kind;
    kg_block_info info; /* info.text is NULL: the text is below */
    char *text;
} kg_front_item;

/* header.c: title, authors, affiliations, e-mails, abstract, keywords,
 * venue, year, DOI, arXiv id from the page-1 items. */
void kg_header_parse(kg_paper *p, const kg_front_item *items, size_t n, const char *meta_title,
                     const char *meta_author);

/* names.c */
/* One author of an author line: the name's bytes and its marks. */
typedef struct kg_name_piece {
    char *name;     /* cleaned (NULL when the piece is not a plausible name) */
    char marks[32]; /* marks, comma-separated ASCII or UTF-8 ("1,2", "∗,+") */
} kg_name_piece;
/* Split an author line ("A. Gal∗+ , B. Eich∗ and M. Franz+") into pieces
 * (at most cap); returns how many. */
size_t kg_names_split(const char *s, size_t n, kg_name_piece *out, size_t cap);
void kg_name_pieces_free(kg_name_piece *v, size_t n);
/* Does s read as a person's name ("Woo-Pyo Hong", "Ivo H. M. van Stokkum")? */
int kg_name_plausible(const char *s, size_t n);
/* A name particle: "van", "de", "von", "da" ... */
int kg_name_particle(const char *w, size_t n);
/* Does the line name an institution (University, Department, Institute...)? */
int kg_is_institution(const char *s, size_t n);
/* Length of a mark character at s (a superscript digit or letter, or one
 * of ∗ † ‡ § ¶ * # $ + &), 0 when none; *ascii gets its plain form. */
size_t kg_mark_char(const char *s, size_t n, char *ascii);

/* Arrays grow with kg_vec_grow_counted (base/vec.h): the public structs
 * keep a pointer and a count, no capacity. */

/* refs.c / util */
/* Trim spaces at both ends of s[0..*n): returns the new start. */
const char *kg_ptrim(const char *s, size_t *n);
char *kg_pdup(const char *s, size_t n); /* trimmed copy, NULL when empty */
/* s[0..n) lowercased (ASCII) into dst (cap bytes, NUL-terminated); its length. */
size_t kg_lower_copy(char *dst, size_t cap, const char *s, size_t n);
/* First year 1900..2099 standing alone in s[0..n) at or after *from, or 0;
 * *at gets its offset, *suffix a following lowercase letter ("2007a"). */
int kg_find_year(const char *s, size_t n, size_t from, size_t *at, char *suffix);
/* DOI ("10.1088/1475-7516/2008/10/003") and arXiv id in s, new strings or NULL. */
char *kg_find_doi(const char *s, size_t n);
char *kg_find_arxiv(const char *s, size_t n);

/* paper.c: a bibliography's heading ("References", "5 Bibliography")? */
int kg_paper_refs_heading(const char *t, size_t n);

/* cite.c */
typedef struct kg_cite_key {
    int num;       /* numbered style: the entry's number */
    int paren;     /* written "(12)" rather than "[12]" */
    char *surname; /* author-year: first author's surname, lowercase */
    int year;
    char suffix;
} kg_cite_key;
typedef struct kg_cite_list {
    kg_citation *v;
    kg_cite_key *keys;
    size_t n, cap;
    size_t dropped;
} kg_cite_list;
/* Citation markers in one paragraph text[0..n) that starts at document
 * offset base on page `page`. */
void kg_cites_find(const char *text, size_t n, uint64_t base, int page, kg_cite_list *out);
/* Resolve keys against p->refs and move the citations into p. */
void kg_cites_link(kg_paper *p, kg_cite_list *l);
void kg_cite_list_free(kg_cite_list *l);

/* acronym.c: "long form (SF)" definitions in text[0..n) at offset base,
 * appended to p (first definition of a short form wins). */
void kg_acronyms_find(const char *text, size_t n, uint64_t base, kg_paper *p);

#endif
