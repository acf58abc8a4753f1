/* paper_key: what identifies a paper across documents, and how to name it.
 *
 * The graph keeps one PAPER entity per work, whichever document mentions
 * it: the paper an ingested document is, and every work a bibliography
 * cites.  Entity ids come from type + resolution key (ingest/extract), so
 * the key decides which mentions are one work:
 *
 *   doi:10.1088/1475-7516/2008/10/003    the DOI, lowercased (DOIs are
 *                                         case-insensitive)
 *   arxiv:0803.0732                       the arXiv id, version dropped
 *   title:trace based just in time ...    the title, casefolded, accents and
 *                                         punctuation gone; its year is added
 *                                         only to short titles (under four
 *                                         words: "Introduction 2004"), since a
 *                                         preprint and its journal version
 *                                         differ in year, and a text document
 *                                         has no year in its header
 *   ref:perlmutter 1997 astrophys j 483   a physics entry without title: first
 *                                         author's surname, year, venue, volume
 *
 * in that order of preference, so two entries of one work that both carry a
 * DOI agree whatever else differs.  Pure computation. */
#ifndef KG_PAPER_PAPER_KEY_H
#define KG_PAPER_PAPER_KEY_H

#include "paper/paper.h"

/* The key of a work from its fields (any may be NULL / 0); a new string,
 * or NULL when there is nothing to key by. */
char *kg_paper_key(const char *doi, const char *arxiv, const char *title, int year);

/* The keys a work has besides kg_paper_key's (the arXiv id and the title
 * of a work keyed by DOI, the title of one keyed by arXiv id), at most
 * two, new strings into out; returns how many. */
size_t kg_paper_alt_keys(const char *doi, const char *arxiv, const char *title, int year,
                         char *out[2]);

/* The key of a bibliography entry: kg_paper_key of its fields, else the
 * "ref:" form; NULL when the entry has neither (a URL alone, say). */
char *kg_ref_key(const kg_ref *r);

/* The title in its comparison form ("trace based just in time type
 * specialization for dynamic languages"); a new string, "" for none. */
char *kg_paper_title_norm(const char *title);

/* One work seen twice, its title spelled differently?  For a cited
 * title and an ingested paper's (or two citations) that key differently:
 * a subtitle added or dropped, one or two words changed, added or dropped
 * (punctuation, case, accents and hyphens are already gone in the
 * comparison form).  Careful, since a wrong join makes two papers one:
 *   - the shorter title has at least 4 content words (not "the", "of",
 *     "for", ...): never a match on short generic titles;
 *   - the content words agree but for a subtitle (the shorter title is the
 *     start of the longer) or for at most two words in all (three or four
 *     when 3/4 of all words are shared), and no differing word holds a
 *     digit or is a part or volume number ("Part I" and "Part II" are two
 *     works);
 *   - and the year agrees (within one: a preprint and its journal
 *     version), or the first authors' surnames (year_a/year_b 0, sur_a/sur_b
 *     NULL when unknown) agree with no year more than two apart; two
 *     known first authors that differ are two works, whatever the title.
 * Returns the share of content words in common (> 0) on a match, else 0. */
double kg_paper_title_match(const char *title_a, int year_a, const char *sur_a, const char *title_b,
                            int year_b, const char *sur_b);

/* The name of a cited work: its title, else "Surname et al. (1997),
 * Astrophys. J. 483, 565"; a new string, NULL when nothing names it. */
char *kg_ref_name(const kg_ref *r);

/* The institution an affiliation names, for an ORG entity: of its
 * comma-separated parts, the first that names an institution
 * ("Department of Physics, University of Oslo, Norway" -> "University of
 * Oslo"), else the first part; a new string, NULL when empty. */
char *kg_paper_affil_org(const char *affil);

#endif
