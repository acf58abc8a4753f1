/* tool_fuse_documents: `fuse_documents`: merge same-type entities that
 * different documents name differently (graphops/fuse), or, with
 * `unmerge`, reverse one recorded merge.  A write tool: it rebuilds the
 * graph and invalidates the read cache. */
#include "config/config.h"
#include "graphops/fuse.h"
#include "tools/registry.h"

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
    .input_schema =
        "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
        "\"threshold\":{\"type\":\"number\",\"minimum\":0.5,\"maximum\":1,"
        "\"description\":\"smallest similarity that merges (default: setting "
        "fuse.threshold, 0.8)\"},"
        "\"strategy\":{\"type\":\"string\",\"enum\":[\"evidence_based\","
        "\"confidence_weighted\",\"temporal\"],\"description\":\"whose name and key a "
        "merged cluster keeps: most mentions, highest confidence, or most recently ingested "
        "(default: setting fuse.strategy, evidence_based)\"},"
        "\"embedding_weight\":{\"type\":\"number\",\"minimum\":0,\"maximum\":0.5,"
        "\"description\":\"the most the similarity of the two entities' contexts (words "
        "around their mentions, embedded locally) can add to or take from the name score; 0 = "
        "names only (default: setting fuse.embedding_weight, 0.25)\"},"
        "\"dry_run\":{\"type\":\"boolean\",\"default\":false,"
        "\"description\":\"report what would merge without changing anything\"},"
        "\"unmerge\":{\"type\":\"integer\",\"minimum\":1,"
        "\"description\":\"reverse the merge with this id instead of fusing\"}}}",
    .output_schema =
        "{\"type\":\"object\",\"properties\":{"
        "\"threshold\":{\"type\":\"number\"},\"dry_run\":{\"type\":\"boolean\"},"
        "\"strategy\":{\"type\":\"string\"},"
        "\"entities_compared\":{\"type\":\"integer\"},\"pairs_compared\":{\"type\":\"integer\"},"
        "\"merges\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
        "\"id\":{\"type\":\"integer\"},\"type\":{\"type\":\"string\"},"
        "\"score\":{\"type\":\"number\"},\"name_score\":{\"type\":\"number\"},"
        "\"context_similarity\":{\"type\":\"number\"},"
        "\"from\":{\"type\":\"object\"},\"into\":{\"type\":\"object\"},"
        "\"reasons\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}},"
        "\"ambiguous\":{\"type\":\"array\"},\"embedding\":{\"type\":\"object\"},"
        "\"unmerged\":{\"type\":\"object\"},"
        "\"entities\":{\"type\":\"integer\"},\"relationships\":{\"type\":\"integer\"}}}",
    .flags = KG_TOOL_WRITE,
    .hints = KG_HINTS_DECLARED | KG_HINT_DESTRUCTIVE |
             KG_HINT_IDEMPOTENT, /* merges entities (unmerge reverses one) */
    .run = run,
    .sample_args = "{\"dry_run\": true}",
};
