/* tool_extract_entities_llm: `extract_entities_llm` (T23C): entity mentions
 * and the relations between them in a text or a stored chunk, found by the
 * configured OpenAI-compatible model under an ontology (the settings' or
 * the call's), through the same extractor `ingest --extractor llm` uses
 * (ingest/llm_extract): every result anchored to the text's bytes, types
 * checked against the ontology, results below the threshold dropped.
 *
 * Nothing of the graph is stored.  The model's answer goes into the
 * response cache when there is a database (the same chunk asked again, by
 * this tool or by an ingest, is not paid twice).  When the service fails
 * the chunk falls back to the local rules, and the result says so and why
 * (extraction.chunks_fallback, fallback_reason). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/log.h"
#include "ingest/extract.h"
#include "ingest/llm_extract.h"
#include "net/openai.h"
#include "store/store.h"
#include "tools/chunk_read.h"
#include "tools/registry.h"

/* "A,B,C" of a JSON list of type names, or NULL for the setting. */
static char *csv_of(const json_t *arr)
{
    if (!json_is_array(arr))
        return NULL;
    kg_buf b = KG_BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        kg_buf_printf(&b, "%s%s", i ? "," : "", json_string_value(v));
    }
    return kg_buf_steal(&b);
}

static int make_extractor(kg_tool_ctx *ctx, const json_t *args, kg_llm_extractor **lx, kg_err *err)
{
    if (!ctx->cfg || !kg_openai_configured(ctx->cfg, "llm"))
        return kg_err_set(err, KG_EINVAL,
                          "extract_entities_llm needs the LLM service: set llm.base_url (or a key "
                          "source) and llm.model where the server reads its settings "
                          "(docs/llm.md); extract_entities finds entities without one");
    const json_t *onto = json_object_get(args, "ontology");
    char *ents = csv_of(json_object_get(onto, "entity_types"));
    char *rels = csv_of(json_object_get(onto, "relation_types"));
    const json_t *th = json_object_get(args, "confidence_threshold");
    int rc = kg_llm_extractor_new_with(
        ctx->cfg, kg_tool_services(ctx), ents ? ents : kg_config_str(ctx->cfg, "llm.entity_types"),
        rels ? rels : kg_config_str(ctx->cfg, "llm.relation_types"),
        th ? json_number_value(th) : kg_config_double(ctx->cfg, "llm.min_confidence"), lx, err);
    free(ents);
    free(rels);
    if (rc)
        return kg_err_prefix(err, "argument 'ontology'");
    return KG_OK;
}

/* A database to read the cache from and write it to, when there is one:
 * this tool never creates one. */
static kg_store *cache_store(const kg_tool_ctx *ctx)
{
    struct stat sb;
    kg_store *s = NULL;
    kg_err e;
    if (stat(ctx->db_path, &sb) != 0 || kg_tool_open_store(ctx, 0, &s, &e) != KG_OK)
        return NULL;
    return s;
}

static const char *surface_of(const kg_extract_batch *b, const char *entity_id)
{
    for (size_t i = 0; i < b->nmentions; i++)
        if (strcmp(b->mentions[i].entity_id, entity_id) == 0)
            return b->mentions[i].surface;
    return entity_id;
}

static json_t *mentions_json(const kg_extract_batch *b)
{
    json_t *ms = json_array();
    for (size_t i = 0; i < b->nmentions; i++) {
        const kg_mention *m = &b->mentions[i];
        json_array_append_new(ms, json_pack("{s:s, s:s, s:I, s:I, s:f, s:s}", "surface", m->surface,
                                            "type", m->type, "start", (json_int_t)m->start, "end",
                                            (json_int_t)m->end, "confidence", m->confidence,
                                            "method", m->method));
    }
    return ms;
}

static json_t *relations_json(const kg_extract_batch *b)
{
    json_t *rs = json_array();
    for (size_t i = 0; i < b->nrelations; i++) {
        const kg_relation *r = &b->relations[i];
        json_array_append_new(rs,
                              json_pack("{s:s, s:s, s:s, s:f, s:s, s:I, s:I}", "source",
                                        surface_of(b, r->source_id), "target",
                                        surface_of(b, r->target_id), "type", r->type, "confidence",
                                        r->confidence, "method", r->method, "evidence_start",
                                        (json_int_t)r->start, "evidence_end", (json_int_t)r->end));
    }
    return rs;
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    json_t *jtext = json_object_get(args, "text"), *jchunk = json_object_get(args, "chunk_id");
    if ((jtext != NULL) == (jchunk != NULL))
        return kg_err_set(err, KG_EINVAL, "arguments: give exactly one of 'text' or 'chunk_id'");
    kg_llm_extractor *lx = NULL;
    if (make_extractor(ctx, args, &lx, err) != KG_OK)
        return err->code;
    char *owned = NULL;
    const char *text = json_string_value(jtext);
    size_t len = json_string_length(jtext);
    long long base = 0;
    char doc[KG_ID_MAX] = "doc_text";
    const char *chunk = jchunk ? json_string_value(jchunk) : "chunk_text";
    int rc = jchunk ? kg_tool_read_chunk(ctx, chunk, &owned, &len, doc, &base, err) : KG_OK;
    if (owned)
        text = owned;
    kg_store *s = rc ? NULL : cache_store(ctx);
    kg_extract_opts xo = {0, 0};
    kg_extract *x = kg_extract_new(doc, &xo);
    kg_extract_batch b;
    memset(&b, 0, sizeof b);
    kg_llm_counts counts;
    memset(&counts, 0, sizeof counts);
    char *fresh = NULL, hash[KG_HASH_HEX_LEN + 1];
    if (!rc)
        rc = kg_llm_extract_chunk(lx, s, x, chunk, text, len, (uint64_t)base, (uint64_t)base,
                                  ctx->cancel, &b, &fresh, hash, &counts, err);
    kg_err ce;
    if (!rc && fresh && s && kg_llm_cache_write(lx, s, hash, fresh, &ce) != KG_OK)
        kg_warn("extract_entities_llm: the answer was not cached: %s", ce.msg);
    if (!rc) {
        char reason[KG_ERR_MSG_MAX];
        kg_llm_extractor_fallback_reason(lx, reason, sizeof reason);
        *result = json_pack("{s:s, s:I, s:i, s:i, s:o, s:o, s:o}", "source",
                            jchunk ? "chunk" : "text", "offset", (json_int_t)base, "mention_count",
                            (int)b.nmentions, "relation_count", (int)b.nrelations, "mentions",
                            mentions_json(&b), "relationships", relations_json(&b), "extraction",
                            kg_llm_counts_json(&counts, reason));
        if (jchunk) {
            json_object_set(*result, "chunk_id", jchunk);
            json_object_set_new(*result, "document_id", json_string(doc));
        }
    }
    free(fresh);
    kg_extract_batch_free(&b);
    kg_extract_free(x);
    kg_store_close(s);
    free(owned);
    kg_llm_extractor_free(lx);
    return rc;
}

#define TYPE_LIST(what)                                                                        \
    "{\"type\":\"array\",\"minItems\":1,\"maxItems\":64,\"items\":{\"type\":\"string\","       \
    "\"minLength\":1,\"maxLength\":31},\"description\":\"" what " (letters, digits, _; upper " \
    "case is used)\"}"

#define ONTOLOGY                                                                           \
    "{\"type\":\"object\",\"additionalProperties\":false,\"description\":\"the types the " \
    "model may use; each list defaults to the server's setting\",\"properties\":{"         \
    "\"entity_types\":" TYPE_LIST(                                                         \
        "entity types, e.g. PERSON, ORG, METHOD") ","                                      \
                                                  "\"relation_types\":" TYPE_LIST(         \
                                                      "relation types, e.g. WORKS_FOR") "}}"

#define LLM_MENTION                                                                             \
    "{\"type\":\"object\",\"required\":[\"surface\",\"type\",\"start\",\"end\",\"confidence\"," \
    "\"method\"],\"properties\":{\"surface\":{\"type\":\"string\"},\"type\":{\"type\":"         \
    "\"string\"},\"start\":{\"type\":\"integer\"},\"end\":{\"type\":\"integer\"},"              \
    "\"confidence\":{\"type\":\"number\"},\"method\":{\"type\":\"string\",\"description\":"     \
    "\"llm, or rules when the service failed\"}}}"

#define LLM_RELATION                                                                        \
    "{\"type\":\"object\",\"required\":[\"source\",\"target\",\"type\"],\"properties\":{"   \
    "\"source\":{\"type\":\"string\"},\"target\":{\"type\":\"string\"},\"type\":{\"type\":" \
    "\"string\"},\"confidence\":{\"type\":\"number\"},\"method\":{\"type\":\"string\"},"    \
    "\"evidence_start\":{\"type\":\"integer\"},\"evidence_end\":{\"type\":\"integer\"}}}"

const kg_tool kg_tool_extract_entities_llm = {
    .name = "extract_entities_llm",
    .title = "Extract entities and relations with the LLM",
    .description =
        "Find named-entity mentions, and the relations between them, in a text or a stored "
        "chunk with the OpenAI-compatible model configured for the server (llm.base_url, "
        "llm.model; docs/llm.md), as ingest with extractor \"llm\" does. Give exactly one of "
        "text or chunk_id. The model answers under an ontology: the entity and relation types "
        "it may use (ontology, default the server's llm.entity_types and llm.relation_types). "
        "Every mention is anchored to the text: its UTF-8 byte span [start, end) (document "
        "offsets for a chunk), or it is dropped, as are results of a type outside the "
        "ontology and below confidence_threshold (default llm.min_confidence). Nothing is "
        "stored but the model's answer in the response cache. When the service fails the "
        "local rules answer instead and extraction says so and why. Use extract_entities for "
        "the local recogniser alone.",
    .input_schema = "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
                    "\"text\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200000,"
                    "\"description\":\"text to analyse; give this or chunk_id\"},"
                    "\"chunk_id\":{\"type\":\"string\",\"minLength\":6,\"maxLength\":64,"
                    "\"description\":\"id of a stored chunk (chunk_...); give this or text\"},"
                    "\"ontology\":" ONTOLOGY ","
                    "\"confidence_threshold\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1,"
                    "\"description\":\"drop results less confident than this (default: the "
                    "llm.min_confidence setting, 0.7)\"}}}",
    .output_schema =
        "{\"type\":\"object\",\"required\":[\"source\",\"mention_count\",\"mentions\","
        "\"relationships\",\"extraction\"],\"properties\":{"
        "\"source\":{\"type\":\"string\",\"enum\":[\"text\",\"chunk\"]},"
        "\"chunk_id\":{\"type\":\"string\"},\"document_id\":{\"type\":\"string\"},"
        "\"offset\":{\"type\":\"integer\",\"description\":\"added to every span: the chunk's "
        "start in its document, 0 for text\"},"
        "\"mention_count\":{\"type\":\"integer\",\"minimum\":0},"
        "\"relation_count\":{\"type\":\"integer\",\"minimum\":0},"
        "\"mentions\":{\"type\":\"array\",\"items\":" LLM_MENTION "},"
        "\"relationships\":{\"type\":\"array\",\"items\":" LLM_RELATION "},"
        "\"extraction\":{\"type\":\"object\",\"description\":\"who answered (the model, the "
        "cache, or the rules as a fallback, and why) and what was dropped\"}}}",
    .flags = KG_TOOL_NEEDS_LLM,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT | KG_HINT_OPEN_WORLD,
    .run = run,
    .sample_args = "{\"text\": \"Dr. Maria Keller is a professor at the University of Lisbon. "
                   "In 2019 Keller proposed the Graph Echo Network.\", "
                   "\"confidence_threshold\": 0.5}",
};
