/* tool_similarity_search: `similarity_search`: chunks ranked by BM25
 * (text), by cosine of embeddings (vector) or by both and the graph
 * (chunks mentioning the entities the query names) fused with reciprocal
 * rank fusion (hybrid); pipeline/vector_search's
 * kg_search_ranked, or embed_api's kg_search_ranked_api for API models
 * (the query embedded by the service; read-only, so the query's vector is
 * read from the cache but not written to it).  A read tool, cached until the database changes.
 * Owns nothing past the call. */
#include "pipeline/embed_api.h"
#include "pipeline/vector_search.h"
#include "tools/registry.h"

static json_t *rank_or_null(int r) { return r ? json_integer(r) : json_null(); }

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
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
                 ? kg_search_ranked_api(ctx->cfg, s, NULL, query, (kg_search_mode)mode, model,
                                        limit, &hits, &n, &info, err)
                 : kg_search_ranked_ex(s, query, (kg_search_mode)mode, model, limit, &ix, &hits,
                                       &n, &info, err);
    kg_store_close(s);
    if (rc != KG_OK)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const kg_search_hit *h = &hits[i].hit;
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:s, s:f, s:o, s:o}",
                              "document", h->doc_id, "chunk", h->chunk_id, "path", h->path,
                              "title", h->title, "page", h->page, "char_start",
                              (json_int_t)h->char_start, "char_end", (json_int_t)h->char_end,
                              "snippet", h->snippet, "score", h->score, "text_rank",
                              rank_or_null(hits[i].text_rank), "vector_rank",
                              rank_or_null(hits[i].vector_rank));
        if (mode == KG_SEARCH_HYBRID)
            json_object_set_new(o, "graph_rank", rank_or_null(hits[i].graph_rank));
        json_array_append_new(arr, o);
    }
    kg_ranked_hits_free(hits, n);
    *result = json_pack("{s:s, s:s, s:I, s:o}", "query_text", query, "mode",
                        kg_search_mode_name((kg_search_mode)mode), "unembedded",
                        (json_int_t)info.unembedded, "results", arr);
    if (info.index)
        json_object_set_new(*result, "index", json_string(info.index));
    if (mode == KG_SEARCH_HYBRID)
        json_object_set_new(*result, "named_entities", json_integer(info.named_entities));
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
        "service). mode hybrid (default): three lists fused by reciprocal rank fusion "
        "(k = 60): text, vector, and graph (the chunks that mention the entities the query "
        "names, the more central by PageRank first). Each result gives document id, chunk "
        "id, path, title, page, character span, a snippet, score (BM25, cosine or fused) "
        "and its rank in each list. unembedded counts chunks not yet covered by vectors; "
        "index says whether the vector list came from an exact scan or the approximate "
        "HNSW index (vector.index).",
    .input_schema =
        "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"query_text\"],"
        "\"properties\":{"
        "\"query_text\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4000,"
        "\"description\":\"what to look for, in plain words\"},"
        "\"mode\":{\"type\":\"string\",\"enum\":[\"text\",\"vector\",\"hybrid\"],"
        "\"default\":\"hybrid\",\"description\":\"text (BM25), vector (embeddings) or "
        "hybrid (both, fused)\"},"
        "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200,\"default\":10,"
        "\"description\":\"how many passages to return\"},"
        "\"model\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":260,"
        "\"default\":\"local-tfidf-rp-v1-d256\",\"description\":\"embedding model id "
        "(vector and hybrid modes): local-tfidf-rp-v1-dN, or api / api:NAME for the "
        "embedding service's model (embed_chunks with that model first)\"}}}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"query_text\",\"mode\",\"results\"],"
        "\"properties\":{\"query_text\":{\"type\":\"string\"},\"mode\":{\"type\":\"string\"},"
        "\"unembedded\":{\"type\":\"integer\"},\"index\":{\"type\":\"string\","
        "\"enum\":[\"exact\",\"hnsw\"]},\"results\":{\"type\":\"array\",\"items\":{"
        "\"type\":\"object\",\"required\":[\"document\",\"chunk\",\"page\",\"char_start\","
        "\"char_end\",\"snippet\",\"score\"],\"properties\":{"
        "\"document\":{\"type\":\"string\"},\"chunk\":{\"type\":\"string\"},"
        "\"path\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},"
        "\"page\":{\"type\":\"integer\"},\"char_start\":{\"type\":\"integer\"},"
        "\"char_end\":{\"type\":\"integer\"},\"snippet\":{\"type\":\"string\"},"
        "\"score\":{\"type\":\"number\"},"
        "\"text_rank\":{\"type\":[\"integer\",\"null\"]},"
        "\"vector_rank\":{\"type\":[\"integer\",\"null\"]},"
        "\"graph_rank\":{\"type\":[\"integer\",\"null\"],\"description\":\"hybrid: rank "
        "among the chunks that mention the entities the query names (by PageRank)\"}}}},"
        "\"named_entities\":{\"type\":\"integer\",\"description\":\"hybrid: entities the "
        "query names, whose chunks form the graph list\"}}}",
    .flags = KG_TOOL_READ,
    .run = run,
    .sample_args = "{\"query_text\": \"graph network\", \"mode\": \"hybrid\", \"limit\": 3}",
};
