/* ingest_internal: private to the ingest module (ingest.c and its
 * ingest_op.c).  The operation record of an ingest: what was asked
 * (parameters, inputs) when it starts and, at the end, what came of it
 * (counts, and with the LLM extractor what the model, the cache and the
 * fallback rules did).  Every row the run writes carries the operation's
 * id (store/store.h: kg_store_op_begin). */
#ifndef KG_INGEST_INGEST_INTERNAL_H
#define KG_INGEST_INGEST_INTERNAL_H

#include "base/err.h"
#include "ingest/ingest.h"
#include "store/store.h"

int kg_ingest_op_begin(kg_store *s, const char *const *paths, size_t npaths,
                       const kg_ingest_opts *o, char id[KG_ID_MAX], kg_err *err);
/* Best effort: a record that cannot be closed is logged, and says "running". */
void kg_ingest_op_end(kg_store *s, const char *id, const kg_ingest_opts *o,
                      const kg_ingest_summary *sum, int rc, const kg_err *err);

#endif
