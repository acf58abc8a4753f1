/* tool_ingest: the `ingest` tool: files and folders -> documents, chunks
 * and the knowledge graph (entities, relations, PageRank; settings
 * graph.build, ner.min_confidence, pagerank.*), in one call, with progress
 * and cancellation between documents; entities and relations by the local
 * rules or, with extractor "llm", by the configured LLM service. */
#include <string.h>

#include "net/openai.h"
#include "graphops/fuse.h"
#include "ingest/ingest.h"
#include "ingest/llm_extract.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static void on_progress(void *ud, const kg_ingest_progress *p)
{
    kg_tool_ctx *ctx = ud;
    if (!ctx->progress)
        return;
    char msg[160];
    snprintf(msg, sizeof msg, "%zu of %zu files, %.1f of %.1f MB, %lld chunks", p->files_done,
             p->files_total, (double)p->bytes_done / 1e6, (double)p->bytes_total / 1e6,
             (long long)p->chunks);
    /* Bytes are the better measure: one large PDF is most of the work. */
    if (p->bytes_total)
        ctx->progress(ctx->progress_ud, (double)p->bytes_done, (double)p->bytes_total, msg);
    else
        ctx->progress(ctx->progress_ud, (double)p->files_done, (double)p->files_total, msg);
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    json_t *jp = json_object_get(args, "paths");
    size_t n = json_array_size(jp);
    const char **paths = kg_xcalloc(n ? n : 1, sizeof *paths);
    for (size_t i = 0; i < n; i++)
        paths[i] = json_string_value(json_array_get(jp, i));
    /* The extractor: the argument, else the server's setting. */
    const char *ex = json_string_value(json_object_get(args, "extractor"));
    if (!ex)
        ex = ctx->cfg ? kg_config_str(ctx->cfg, "extractor") : "rules";
    kg_llm_extractor *lx = NULL;
    if (strcmp(ex, "llm") == 0) {
        if (!ctx->cfg || !kg_openai_configured(ctx->cfg, "llm")) {
            free(paths);
            return kg_err_set(err, KG_EINVAL,
                              "extractor \"llm\" needs the LLM service: set llm.base_url (or a "
                              "key source) and llm.model where the server reads its settings "
                              "(docs/llm.md)");
        }
        if (kg_llm_extractor_new(ctx->cfg, kg_tool_services(ctx), &lx, err) != KG_OK) {
            free(paths);
            return err->code;
        }
    }
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 0, &s, err) != KG_OK) {
        kg_llm_extractor_free(lx);
        free(paths);
        return err->code;
    }
    kg_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.jobs = ctx->cfg ? (int)kg_config_int(ctx->cfg, "jobs") : 0;
    o.chunk.chunk_size = ctx->cfg ? (int)kg_config_int(ctx->cfg, "chunk_size") : 512;
    o.chunk.overlap = ctx->cfg ? (int)kg_config_int(ctx->cfg, "chunk_overlap") : 50;
    o.policy = ctx->policy;
    o.include = ctx->cfg ? kg_config_str(ctx->cfg, "include") : NULL;
    o.exclude = ctx->cfg ? kg_config_str(ctx->cfg, "exclude") : NULL;
    o.batch_chunks = ctx->cfg ? (int)kg_config_int(ctx->cfg, "batch_chunks") : 2000;
    o.progress = on_progress;
    o.progress_ud = ctx;
    o.cancel = ctx->cancel;
    o.build_graph = ctx->cfg ? kg_config_bool(ctx->cfg, "graph.build") : 1;
    o.min_confidence = ctx->cfg ? kg_config_double(ctx->cfg, "ner.min_confidence") : 0.3;
    kg_pagerank_opts_from_config(ctx->cfg, &o.pagerank);
    o.llm = lx;
    kg_ingest_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = kg_ingest_run(s, paths, n, &o, &sum, err);
    kg_store_close(s);
    free(paths);
    char reason[KG_ERR_MSG_MAX] = "";
    int by_llm = lx != NULL;
    if (lx)
        kg_llm_extractor_fallback_reason(lx, reason, sizeof reason);
    kg_llm_extractor_free(lx);
    if (rc != KG_OK) {
        kg_ingest_summary_free(&sum);
        return rc;
    }
    json_t *fails = json_array();
    for (size_t i = 0; i < sum.nfailures; i++)
        json_array_append_new(fails, json_pack("{s:s, s:s}", "path", sum.failures[i].path, "reason",
                                               sum.failures[i].reason));
    *result = json_pack("{s:i, s:i, s:i, s:i, s:o, s:I, s:I, s:f, s:b}", "added", sum.added,
                        "unchanged", sum.unchanged, "replaced", sum.replaced, "failed", sum.failed,
                        "failures", fails, "chunks", (json_int_t)sum.chunks, "bytes",
                        (json_int_t)sum.bytes, "seconds", sum.seconds, "cancelled", sum.cancelled);
    json_object_set_new(*result, "mentions", json_integer((json_int_t)sum.mentions));
    json_object_set_new(*result, "relations", json_integer((json_int_t)sum.relations));
    if (sum.graph_built)
        json_object_set_new(*result, "graph",
                            json_pack("{s:I, s:I, s:i, s:b, s:f}", "entities",
                                      (json_int_t)sum.graph.entities, "relationships",
                                      (json_int_t)sum.graph.relationships, "iterations",
                                      sum.graph.iterations, "converged", sum.graph.converged,
                                      "seconds", sum.graph.seconds));
    json_object_set_new(*result, "extraction",
                        by_llm ? kg_llm_counts_json(&sum.llm, reason)
                               : json_pack("{s:s}", "extractor", "rules"));
    /* Fusion across documents, as fuse_documents would (fuse.after_ingest). */
    if (ctx->cfg && o.build_graph && !sum.cancelled &&
        kg_config_bool(ctx->cfg, "fuse.after_ingest")) {
        kg_fuse_opts fo;
        kg_fuse_opts_from_config(ctx->cfg, &fo);
        json_t *fusion = NULL;
        kg_store *w = NULL;
        rc = kg_tool_open_store(ctx, 0, &w, err);
        if (!rc)
            rc = kg_fuse_after_ingest(w, &fo, sum.added + sum.replaced, &fusion, err);
        kg_store_close(w);
        if (rc) {
            json_decref(*result);
            *result = NULL;
            kg_ingest_summary_free(&sum);
            return rc;
        }
        if (fusion)
            json_object_set_new(*result, "fusion", fusion);
    }
    kg_ingest_summary_free(&sum);
    return KG_OK;
}

const kg_tool kg_tool_ingest = {
    .name = "ingest",
    .title = "Ingest files into the knowledge graph",
    .description =
        "Read PDF, plain-text, Markdown and HTML files (folders recursively) into the "
        "database in one call: documents with page-aware text, overlapping chunks with "
        "character spans, full-text index, and the knowledge graph built from them: entity "
        "mentions, relations with evidence sentences, entities ranked by PageRank. "
        "Idempotent: unchanged files are skipped, a changed file replaces its old version. "
        "Paths must lie inside the server's allowed roots. "
        "Sends progress notifications when the request carries a progressToken; a "
        "cancellation stops at the next document boundary and keeps what was stored. "
        "Entities and relations come from the local rules, or with extractor \"llm\" from "
        "the configured OpenAI-compatible model (cached per chunk; a chunk the service "
        "cannot answer falls back to the rules, counted in extraction). "
        "Afterwards use get_graph_statistics, get_top_entities or query_graph.",
    .input_schema = kg_schema_ingest_in,
    .output_schema = kg_schema_ingest_out,
    .flags = KG_TOOL_WRITE | KG_TOOL_PROGRESS,
    .hints =
        KG_HINTS_DECLARED | KG_HINT_DESTRUCTIVE | KG_HINT_IDEMPOTENT |
        KG_HINT_OPEN_WORLD, /* replaces a changed file's older version; extractor "llm" calls the LLM service */
    .run = run,
    .sample_args = "{\"paths\": [\"$SAMPLE\"]}",
};
