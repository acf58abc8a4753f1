/* paper: a scholarly document read as a paper, not as a stream of words.
 *
 * What a loader (text/load.h) pushes to its sink -- text, sections and,
 * for PDFs, blocks that say what each stretch of text is -- is enough to
 * recover the structure GROBID extracts: the header (title, authors in
 * order with their affiliations and e-mails, abstract, keywords, venue,
 * year, DOI, arXiv id), the sections with their numbering, the
 * bibliography parsed into entries (each with the byte span of its raw
 * text), the in-text citations linked to those entries with the sentence
 * that cites, and acronym definitions ("Analytical Hierarchical Process
 * (AHP)").
 *
 * A kg_paper_builder consumes the sink calls as they come (it can sit
 * beside the chunker: kg_paper_builder_tee), keeping only what it needs:
 * page 1's front matter, headings, one paragraph at a time for citations
 * and acronyms, and the parsed references; every list has a cap, so a
 * 2,000-page PDF or a 50 MB reference list costs bounded memory (what was
 * left out is counted).  kg_paper_builder_finish() parses the header,
 * links citations to references and hands over a kg_paper.
 *
 * Nothing is guessed silently: when no title and no author could be read
 * the header status says "not found" (and why), likewise the references.
 *
 * Spans are UTF-8 byte offsets into the document text (the concatenation
 * of the sink's text calls), as everywhere in kgas.  Pure computation: no
 * store, no I/O (phase 2 of issue 13 stores a kg_paper with its document). */
#ifndef KG_PAPER_PAPER_H
#define KG_PAPER_PAPER_H

#include <stddef.h>
#include <stdint.h>

#include "text/load.h"

/* Caps (bounded memory). */
#define KG_PAPER_MAX_REFS 20000
#define KG_PAPER_MAX_CITES 50000
#define KG_PAPER_MAX_SECTIONS 2000
#define KG_PAPER_MAX_ACRONYMS 2000
#define KG_PAPER_MAX_ENTRY 4096            /* bytes of one reference entry kept for parsing */
#define KG_PAPER_MAX_REF_BYTES (16u << 20) /* raw entry text kept in all */

typedef struct kg_paper_author {
    char *name;    /* as printed, cleaned: no marks, e-mail or titles ("Günter Neumann") */
    char *email;   /* or NULL */
    size_t *affil; /* indices into kg_paper.affils */
    size_t naffil;
} kg_paper_author;

typedef struct kg_paper_affil {
    char *name; /* its lines joined by ", " ("LT-Lab, DFKI, Stuhlsatzenhausweg 3, ...") */
    char *mark; /* the mark authors point to it by ("1", "∗", "a"), or NULL */
} kg_paper_affil;

typedef struct kg_paper_section {
    char *number; /* "2.1", "IV", "A", or NULL */
    char *title;  /* "Related Work" */
    int level;    /* 1 = top */
    int page;
    uint64_t start; /* where the heading begins in the document text */
} kg_paper_section;

typedef struct kg_ref {
    int number;     /* the label's number ("[12]", "12."), 0 when unlabelled */
    char **authors; /* as printed, in order ("A. Gal", "Bates DM", "R Development Core Team") */
    size_t nauthors;
    int et_al; /* the list ends in "et al." */
    char *title;
    char *venue;
    int year;    /* 0 when none */
    char suffix; /* "2007a": 'a', else 0 */
    char *volume;
    char *pages; /* "325-349" */
    char *doi;
    char *arxiv; /* "0803.0732", "astro-ph/0003365" */
    char *url;
    char *raw;      /* the entry's text (at most KG_PAPER_MAX_ENTRY bytes) */
    uint64_t start; /* the raw entry's span in the document text */
    uint64_t end;
    int page;
} kg_ref;

typedef struct kg_citation {
    long ref;            /* index into kg_paper.refs, -1 when no entry matches */
    char *marker;        /* "[3, 5-7]", "(Smith et al., 2019)": one citation per entry cited */
    uint64_t start, end; /* the marker's span */
    uint64_t sent_start; /* the citing sentence's span */
    uint64_t sent_end;
    char *sentence; /* its text (at most 400 bytes) */
    int page;
} kg_citation;

typedef struct kg_acronym {
    char *short_form; /* "AHP" */
    char *long_form;  /* "Analytical Hierarchical Process" */
    uint64_t start;   /* the definition "Analytical Hierarchical Process (AHP)" */
    uint64_t end;
} kg_acronym;

typedef struct kg_paper {
    char *title;
    const char *title_from; /* "layout", "metadata", or NULL */
    kg_paper_author *authors;
    size_t nauthors;
    kg_paper_affil *affils;
    size_t naffils;
    char **emails; /* every address of the header, in order */
    size_t nemails;
    char *abstract;
    char **keywords;
    size_t nkeywords;
    char *venue;
    int year;
    char *doi;
    char *arxiv;
    kg_paper_section *sections;
    size_t nsections;
    kg_ref *refs;
    size_t nrefs;
    kg_citation *cites;
    size_t ncites;
    kg_acronym *acronyms;
    size_t nacronyms;
    /* NULL when found; else a sentence: "not found: no title or author on page 1" */
    char *header_status;
    char *refs_status;
    size_t refs_dropped, cites_dropped; /* past the caps */
} kg_paper;

void kg_paper_free(kg_paper *p);

/* ---- building from a load sink ---------------------------------------- */

typedef struct kg_paper_builder kg_paper_builder;

kg_paper_builder *kg_paper_builder_new(void);
void kg_paper_builder_free(kg_paper_builder *b);

/* The sink calls (load.h), to be forwarded by whoever owns the sink. */
int kg_paper_builder_text(kg_paper_builder *b, int page, const char *s, size_t len);
int kg_paper_builder_section(kg_paper_builder *b, const char *title);
int kg_paper_builder_block(kg_paper_builder *b, const kg_block_info *info);

/* A sink that feeds only the builder (kgas paper FILE). */
void kg_paper_builder_sink(kg_paper_builder *b, kg_load_sink *out);
/* A sink that feeds the builder and then `next` (e.g. the chunker): next
 * must outlive the returned sink, which keeps a pointer to it. */
void kg_paper_builder_tee(kg_paper_builder *b, const kg_load_sink *next, kg_load_sink *out);

/* After the load: parse and link.  info (may be NULL) gives the metadata
 * hints.  Returns a new paper (kg_paper_free); the builder is spent. */
kg_paper *kg_paper_builder_finish(kg_paper_builder *b, const kg_load_info *info);

/* ---- the parsers, usable alone --------------------------------------- */

/* One bibliography entry (a label such as "[12]" may lead it). */
void kg_ref_parse(const char *s, size_t n, kg_ref *out);
void kg_ref_clear(kg_ref *r);

/* The surname of a name as printed ("A. Gal" -> "Gal", "Bates DM" ->
 * "Bates", "van Stokkum IHM" -> "van Stokkum", "Gal, A." -> "Gal"), in a
 * new string. */
char *kg_paper_surname(const char *name);

#endif
