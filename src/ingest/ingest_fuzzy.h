/* ingest_fuzzy: a cited work whose title is spelled differently from the
 * ingested paper's is that paper.
 *
 * PAPER ids come from keys (paper/paper_key.h): a DOI, an arXiv id, or the
 * title's comparison form, so a citation that writes the title with
 * another subtitle, a word more or less, or a changed word keys
 * differently and stayed a PAPER of its own.  The writer keeps, for one
 * ingest run, the works of the stored papers (each ingested paper's own
 * title, year and first author's surname, and the titled entries of its
 * bibliography), read once from the documents' paper records at the first
 * paper written and grown as papers are written.  A new document's own
 * paper is compared with the other documents' cited works, and its cited
 * works with the other ingested papers (paper/paper_key's
 * kg_paper_title_match: high word overlap AND agreeing year or first
 * author; never short generic titles); a match is recorded as the fusion
 * decision "the cited work is the ingested paper" (entity_merges, reason
 * "paper: one work, its title spelled differently"), once per cited work
 * and never against `kgas unmerge`, which the graph rebuild applies.  A
 * cited work whose key is an ingested paper's own is never folded into
 * another paper (two ingested papers with close titles stay two).
 *
 * Cost: one comparison per pair (new work, stored work of the other
 * kind); memory: the titles of the stored papers and their titled
 * references (about 100 bytes each). */
#ifndef KG_INGEST_INGEST_FUZZY_H
#define KG_INGEST_INGEST_FUZZY_H

#include "base/err.h"
#include "store/store.h"

/* Record the fusion decision "PAPER from is PAPER into" (entity_merges),
 * once: nothing when a decision about `from` exists already (active or
 * taken back by `kgas unmerge`) or the pair was taken apart.  *done 1 when
 * recorded.  The writer's "one work under two keys" and the matches below
 * both go through it. */
int kg_paper_decide(kg_store *s, const char *from, const char *into, const char *from_name,
                    const char *into_name, double score, const char *reasons, int *done,
                    kg_err *err);

typedef struct kg_paper_works kg_paper_works;

kg_paper_works *kg_paper_works_new(void);
void kg_paper_works_free(kg_paper_works *w);

/* Document doc_id, just stored with its paper record (JSON text, or NULL
 * when it is no paper) and title: record what it matches in the store's
 * other papers, then remember its works.  *recorded += decisions made. */
int kg_paper_works_add(kg_paper_works *w, kg_store *s, const char *doc_id, const char *doc_title,
                       const char *record, size_t *recorded, kg_err *err);

#endif
