/* tool_embed_chunks: `embed_chunks`: compute embeddings for the stored
 * chunks that lack one: local (search/vector_search's kg_embed_chunks) or
 * through the embed API service (model "api"/"api:NAME":
 * search/embed_api's kg_embed_chunks_api); after local chunk vectors,
 * the entity vectors made from them (search/entity_vec).
 * A write tool: it invalidates the read cache.  Owns nothing past the call. */
#include "search/embed_api.h"
#include "search/entity_vec.h"
#include "search/vector_search.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static void progress(void *ud, double done, double total, const char *msg)
{
    kg_tool_ctx *ctx = ud;
    if (ctx->progress)
        ctx->progress(ctx->progress_ud, done, total, msg);
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK) /* "no database yet" if absent */
        return err->code;
    kg_store_close(s);
    if (kg_tool_open_store(ctx, 0, &s, err) != KG_OK)
        return err->code;
    const char *model = json_string_value(json_object_get(args, "model"));
    if (kg_embed_is_api(model)) {
        kg_embed_api_report r;
        int rc = kg_embed_chunks_api(ctx->cfg, kg_tool_services(ctx), s, model, 0, ctx->cancel,
                                     progress, ctx, &r, err);
        kg_store_close(s);
        if (rc != KG_OK)
            return rc;
        /* A stop is reported, not hidden: stopped, stop_reason and left. */
        *result = json_pack("{s:s, s:i, s:I, s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:b, s:s, "
                            "s:b, s:b, s:f}",
                            "model", r.model, "dim", r.dim, "chunks", (json_int_t)r.chunks,
                            "embedded", (json_int_t)r.embedded, "refit", 0, "from_cache",
                            (json_int_t)r.from_cache, "requests", (json_int_t)r.requests, "retries",
                            (json_int_t)r.retries, "batches", (json_int_t)r.batches, "left",
                            (json_int_t)r.left, "stopped", r.stopped, "stop_reason", r.stop_reason,
                            "breaker_open", r.breaker_open, "cancelled", r.cancelled, "seconds",
                            r.seconds);
        return KG_OK;
    }
    kg_embed_report rep;
    int rc = kg_embed_chunks(s, model, ctx->cancel, progress, ctx, &rep, err);
    kg_entity_vec_report er;
    if (rc == KG_OK)
        rc = kg_entity_vectors_refresh(
            s, rep.model, (int)kg_config_int(ctx->cfg, "embed.entity_window"), &er, err);
    kg_store_close(s);
    if (rc != KG_OK)
        return rc;
    *result = json_pack("{s:s, s:i, s:I, s:I, s:I, s:b, s:f}", "model", rep.model, "dim", rep.dim,
                        "chunks", (json_int_t)rep.chunks, "embedded", (json_int_t)rep.embedded,
                        "empty", (json_int_t)rep.empty, "refit", rep.refit, "seconds", rep.seconds);
    json_object_set_new(*result, "entities",
                        json_pack("{s:s, s:i, s:I, s:b}", "model", er.model, "window", er.window,
                                  "vectors", (json_int_t)er.entities, "recomputed", er.recomputed));
    return KG_OK;
}

const kg_tool kg_tool_embed_chunks = {
    .name = "embed_chunks",
    .title = "Embed chunks",
    .description =
        "Compute vector embeddings of the stored chunks that have none yet, for "
        "similarity_search in vector or hybrid mode. The model is local and needs no "
        "download or key: TF-IDF over stemmed words and character 3-grams, randomly "
        "projected (Johnson-Lindenstrauss) to N dimensions, id local-tfidf-rp-v1-dN "
        "(default N = 256). IDF is fitted on the stored chunks, so after documents were "
        "added or removed every vector is recomputed (refit true). model \"api\" (or "
        "\"api:NAME\") uses the configured OpenAI-compatible embedding service instead "
        "(embed.base_url, embed.model): batched, rate-limited, cached in the database so "
        "nothing is paid twice; if the service fails for good the run stops and says so "
        "(stopped, stop_reason, left). Returns the counts.",
    .input_schema = kg_schema_embed_chunks_in,
    .output_schema = kg_schema_embed_chunks_out,
    .flags = KG_TOOL_WRITE | KG_TOOL_PROGRESS,
    .hints =
        KG_HINTS_DECLARED | KG_HINT_DESTRUCTIVE | KG_HINT_IDEMPOTENT |
        KG_HINT_OPEN_WORLD, /* refits the IDF and entity vectors when chunks changed; model api calls the embedding service */
    .run = run,
    .sample_args = "{}",
};
