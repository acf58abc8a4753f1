/* ingest_op: the operation record of an ingest (see ingest_internal.h). */
#include "ingest/ingest_internal.h"

#include <jansson.h>
#include <stdlib.h>

#include "base/log.h"
#include "ingest/llm_extract.h"

int kg_ingest_op_begin(kg_store *s, const char *const *paths, size_t npaths,
                       const kg_ingest_opts *o, char id[KG_ID_MAX], kg_err *err)
{
    json_t *params = json_pack("{s:i, s:i, s:i, s:s?, s:s?, s:b, s:f, s:s}", "jobs", o->jobs,
                               "chunk_size", o->chunk.chunk_size, "chunk_overlap", o->chunk.overlap,
                               "include", o->include, "exclude", o->exclude, "build_graph",
                               o->build_graph, "min_confidence", o->min_confidence, "extractor",
                               o->llm ? "llm" : "rules");
    json_t *inputs = json_array();
    for (size_t i = 0; i < npaths; i++)
        json_array_append_new(inputs, json_string(paths[i]));
    char *p = json_dumps(params, JSON_COMPACT), *in = json_dumps(inputs, JSON_COMPACT);
    int rc = kg_store_op_begin(s, "ingest", p, in, id, err);
    free(p);
    free(in);
    json_decref(params);
    json_decref(inputs);
    return rc;
}

void kg_ingest_op_end(kg_store *s, const char *id, const kg_ingest_opts *o,
                      const kg_ingest_summary *sum, int rc, const kg_err *err)
{
    json_t *out = json_pack("{s:i, s:i, s:i, s:i, s:I, s:I, s:I}", "added", sum->added, "unchanged",
                            sum->unchanged, "replaced", sum->replaced, "failed", sum->failed,
                            "chunks", (json_int_t)sum->chunks, "mentions",
                            (json_int_t)sum->mentions, "relations", (json_int_t)sum->relations);
    json_object_set_new(out, "relation_typing", kg_relate_counts_json(&sum->typing));
    if (o->llm) {
        /* What the model did is part of what came of the run: chunks by the
         * LLM, from the cache, by the fallback rules, and why. */
        char reason[KG_ERR_MSG_MAX];
        kg_llm_extractor_fallback_reason(o->llm, reason, sizeof reason);
        json_object_set_new(out, "extraction", kg_llm_counts_json(&sum->llm, reason));
    }
    char *text = json_dumps(out, JSON_COMPACT);
    const char *status = rc ? "failed" : sum->cancelled ? "cancelled" : "ok";
    kg_err e2;
    /* Best effort: a failure to close the record must not hide the run's own
     * result, and the record says "running" if it cannot be closed. */
    if (kg_store_op_end(s, id, status, text, rc && err ? err->msg : NULL, &e2) != KG_OK)
        kg_warn("could not close the operation record %s: %s", id, e2.msg);
    free(text);
    json_decref(out);
}
