/* tool_fuse_documents: `fuse_documents`: merge same-type entities that
 * different documents name differently (graphops/fuse), or, with
 * `unmerge`, reverse one recorded merge.  A write tool: it rebuilds the
 * graph and invalidates the read cache. */
#include "config/config.h"
#include "graphops/fuse.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_fuse_opts o;
    kg_fuse_opts_from_config(ctx->cfg, &o);
    json_t *t = json_object_get(args, "threshold");
    if (json_is_number(t))
        o.threshold = json_number_value(t);
    json_t *w = json_object_get(args, "embedding_weight");
    if (json_is_number(w))
        o.embedding_weight = json_number_value(w);
    o.dry_run = json_is_true(json_object_get(args, "dry_run"));
    const char *st = json_string_value(json_object_get(args, "strategy"));
    int sv = st ? kg_fuse_strategy_parse(st) : -1;
    if (sv >= 0)
        o.strategy = (kg_fuse_strategy)sv;
    json_t *un = json_object_get(args, "unmerge");
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK) /* "no database yet" if absent */
        return err->code;
    kg_store_close(s);
    if (kg_tool_open_store(ctx, 0, &s, err) != KG_OK)
        return err->code;
    int rc = ctx->cancel && *ctx->cancel
                 ? kg_err_set(err, KG_ECANCELED, "fuse_documents: cancelled")
                 : KG_OK;
    if (rc == KG_OK && json_is_integer(un))
        rc = kg_fuse_unmerge(s, (int64_t)json_integer_value(un), &o.pagerank, result, err);
    else if (rc == KG_OK)
        rc = kg_fuse_documents(s, &o, result, err);
    kg_store_close(s);
    return rc;
}

const kg_tool kg_tool_fuse_documents = {
    .name = "fuse_documents",
    .title = "Fuse entities across documents",
    .description =
        "Merge same-type entities that different documents name differently (\"Univ. of "
        "Lisbon\" / \"University of Lisbon\", \"J. Smith\" / \"John Smith\" when no other "
        "Smith fits), scored by normalised names, word overlap with abbreviations and "
        "initials, Jaro-Winkler and alias overlap, moved up or down by how alike the "
        "entities' contexts are (the words around their mentions; homonyms with nothing in "
        "common stay apart); entities of different types and names that differ in a word (\"John Smith\" / \"Mary Smith\") never merge. The merged "
        "entity keeps all mentions and aliases, relations union their evidence, and the "
        "graph is rebuilt and re-ranked. Returns each merge with its id, score and reasons; "
        "dry_run only reports. Pass unmerge (a merge id) to reverse one merge.",
    .input_schema = kg_schema_fuse_documents_in,
    .output_schema = kg_schema_fuse_documents_out,
    .flags = KG_TOOL_WRITE,
    .hints = KG_HINTS_DECLARED | KG_HINT_DESTRUCTIVE |
             KG_HINT_IDEMPOTENT, /* merges entities (unmerge reverses one) */
    .run = run,
    .sample_args = "{\"dry_run\": true}",
};
