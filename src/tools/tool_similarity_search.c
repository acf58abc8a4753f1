/* tool_similarity_search: `similarity_search`: chunks ranked by BM25
 * (text), by cosine of embeddings (vector) or by both and the graph
 * (chunks mentioning the entities the query names) fused with reciprocal
 * rank fusion (hybrid); search/vector_search's
 * kg_search_ranked, or embed_api's kg_search_ranked_api for API models
 * (the query embedded by the service; read-only, so the query's vector is
 * read from the cache but not written to it).  With target "entities", the
 * entities nearest the query instead (search/entity_vec: an entity's
 * vector sums the embeddings of the words around its mentions).  A read tool, cached until
 * the database changes.
 * Owns nothing past the call. */
#include <string.h>

#include "search/embed_api.h"
#include "search/entity_vec.h"
#include "search/vector_search.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static json_t *rank_or_null(int r)
{
    return r ? json_integer(r) : json_null();
}

/* target "entities": the nearest entities by cosine (vector mode only). */
static int run_entities(kg_tool_ctx *ctx, json_t *args, const kg_vindex_opts *ix, json_t **result,
                        kg_err *err)
{
    const char *query = json_string_value(json_object_get(args, "query_text"));
    const char *mode_s = json_string_value(json_object_get(args, "mode"));
    const char *model = json_string_value(json_object_get(args, "model"));
    /* mode arrives filled with its default (hybrid), so only text, which
     * cannot apply to entities (they have no text of their own), is refused;
     * entities are always ranked by vector. */
    if (mode_s && strcmp(mode_s, "text") == 0)
        return kg_err_set(err, KG_EINVAL,
                          "target entities ranks by vector similarity: mode text does not apply");
    if (kg_embed_is_api(model))
        return kg_err_set(err, KG_EINVAL, "target entities works with the local models only");
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    kg_entity_hit *hits;
    size_t n;
    const char *index;
    int limit = (int)json_integer_value(json_object_get(args, "limit"));
    int rc = kg_entity_search(s, query, model, limit, ix, &hits, &n, &index, err);
    kg_store_close(s);
    if (rc != KG_OK)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const kg_entity_row *r = &hits[i].row;
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:f, s:I, s:f, s:f}", "id", r->id,
                                             "name", r->name, "type", r->type, "pagerank",
                                             r->pagerank, "mentions", (json_int_t)r->mentions,
                                             "cosine", hits[i].cosine, "score", hits[i].cosine));
    }
    kg_entity_hits_free(hits, n);
    *result = json_pack("{s:s, s:s, s:s, s:s, s:o}", "query_text", query, "mode", "vector",
                        "target", "entities", "index", index, "results", arr);
    return KG_OK;
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    const char *target = json_string_value(json_object_get(args, "target"));
    if (target && strcmp(target, "entities") == 0) {
        kg_vindex_opts eix;
        if (ctx->cfg)
            kg_vindex_opts_from_config(ctx->cfg, &eix);
        else
            kg_vindex_opts_default(&eix);
        return run_entities(ctx, args, &eix, result, err);
    }
    const char *query = json_string_value(json_object_get(args, "query_text"));
    const char *mode_s = json_string_value(json_object_get(args, "mode"));
    int mode = kg_search_mode_parse(mode_s ? mode_s : "hybrid");
    if (mode < 0)
        return kg_err_set(err, KG_EINVAL, "mode must be text, vector or hybrid");
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    kg_ranked_hit *hits;
    size_t n;
    kg_search_info info;
    kg_vindex_opts ix;
    if (ctx->cfg)
        kg_vindex_opts_from_config(ctx->cfg, &ix);
    else
        kg_vindex_opts_default(&ix);
    const char *model = json_string_value(json_object_get(args, "model"));
    int limit = (int)json_integer_value(json_object_get(args, "limit"));
    int rc = kg_embed_is_api(model)
                 ? kg_search_ranked_api(ctx->cfg, kg_tool_services(ctx), s, NULL, query,
                                        (kg_search_mode)mode, model, limit, &hits, &n, &info, err)
                 : kg_search_ranked_ex(s, query, (kg_search_mode)mode, model, limit, &ix, &hits, &n,
                                       &info, err);
    kg_store_close(s);
    if (rc != KG_OK)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const kg_search_hit *h = &hits[i].hit;
        json_t *o = kg_search_hit_json(h);
        json_object_set_new(o, "text_rank", rank_or_null(hits[i].text_rank));
        json_object_set_new(o, "vector_rank", rank_or_null(hits[i].vector_rank));
        if (mode == KG_SEARCH_HYBRID) {
            json_object_set_new(o, "graph_rank", rank_or_null(hits[i].graph_rank));
            json_object_set_new(o, "named", json_boolean(hits[i].named));
        }
        json_array_append_new(arr, o);
    }
    kg_ranked_hits_free(hits, n);
    *result = json_pack("{s:s, s:s, s:I, s:o}", "query_text", query, "mode",
                        kg_search_mode_name((kg_search_mode)mode), "unembedded",
                        (json_int_t)info.unembedded, "results", arr);
    if (info.index)
        json_object_set_new(*result, "index", json_string(info.index));
    if (mode == KG_SEARCH_HYBRID) {
        json_object_set_new(*result, "named_entities", json_integer(info.named_entities));
        json_object_update(*result, info.report); /* channels, linked, walk */
    }
    kg_search_info_free(&info);
    return KG_OK;
}

const kg_tool kg_tool_similarity_search = {
    .name = "similarity_search",
    .title = "Search chunks by text, vector or both",
    .description =
        "Find the passages of the stored documents most related to query_text. mode text: "
        "full-text BM25 over the words. mode vector: cosine similarity of local embeddings, "
        "which also finds passages that share word stems or spelling fragments rather than "
        "exact words (call embed_chunks first; model api uses the configured embedding "
        "service). mode hybrid (default), the mode for questions: the entities and the "
        "passages (by title) the question names, and the first text and vector hits, seed a "
        "personalised PageRank over entities and the chunks that mention them; passages are "
        "ranked by the mass reaching them (score), then the rest by reciprocal rank fusion of "
        "text and vector. It works without vectors (channels.vector says so). channels says "
        "which channels answered, linked what the question names and why (match: exact, "
        "normalised, alias, acronym, fuzzy). Each result gives document id, chunk "
        "id, path, title, page, character span, a snippet, score (BM25, cosine or the walk's "
        "mass) and its rank in each list. unembedded counts chunks not yet covered by vectors; "
        "index says whether the vector list came from an exact scan or the approximate "
        "HNSW index (vector.index). target entities (ranked by vector; mode text is refused): the nearest entities "
        "instead (id, name, type, pagerank, mentions, cosine); an entity's vector is the "
        "mean of the vectors of the chunks that mention it, weighted by mentions.",
    .input_schema = kg_schema_similarity_search_in,
    .output_schema = kg_schema_similarity_search_out,
    .flags = KG_TOOL_READ,
    .hints =
        KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT |
        KG_HINT_OPEN_WORLD, /* model api embeds the query through the embedding service; may store an HNSW index (a cache) */
    .run = run,
    .sample_args = "{\"query_text\": \"graph network\", \"mode\": \"hybrid\", \"limit\": 3}",
};
