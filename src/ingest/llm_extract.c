/* llm_extract: see llm_extract.h.
 *
 * Why anchoring: a model may paraphrase, invent or quote text from another
 * chunk.  Only what can be pointed at in this chunk's bytes becomes a
 * mention or evidence, so every row keeps the "click through to the text"
 * property of the rules extractor. */
#include "ingest/llm_extract.h"

#include <ctype.h>
#include <stdbool.h>
#include <strings.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "nlp/reltype.h"
#include "services/llm_inflight.h"
#include "services/llm_service.h"
#include "services/service_pool.h"
#include "store/cache_store.h"

#define SERVICE "llm"
#define SCHEMA_NAME "kg_extraction"

struct kg_llm_extractor {
    kg_llm_ontology onto;
    kg_llm_service *svc;
    kg_service_pool *pool; /* where svc came from (NULL: our own) */
    char params_hash[KG_HASH_HEX_LEN + 1];
    char model[256];
    pthread_mutex_t mu; /* guards reason: workers share the extractor */
    char reason[KG_ERR_MSG_MAX];
    kg_inflight *inflight; /* chunk texts being asked now: asked once */
};

/* ---- ontology ------------------------------------------------------ */

/* Ontology type names stay short upper-case names (entity types are
 * 24-byte fields in the recogniser; relation phrases are longer, but the
 * ontology's names are not phrases). */
#define ONTOLOGY_NAME_MAX 24

static int parse_list(const char *csv, const char *what, char ***out, size_t *n, kg_err *err)
{
    *out = NULL;
    *n = 0;
    const char *p = csv ? csv : "";
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len) {
            if (len >= ONTOLOGY_NAME_MAX)
                return kg_err_set(err, KG_EINVAL, "%s: type '%.*s' is longer than %d characters",
                                  what, (int)len, p, ONTOLOGY_NAME_MAX - 1);
            char t[KG_TYPE_MAX];
            for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)p[i];
                if (!isalnum(c) && c != '_')
                    return kg_err_set(err, KG_EINVAL,
                                      "%s: type '%.*s' may hold only letters, digits and '_'", what,
                                      (int)len, p);
                t[i] = (char)toupper(c);
            }
            t[len] = '\0';
            int dup = 0;
            for (size_t i = 0; i < *n && !dup; i++)
                dup = strcmp((*out)[i], t) == 0;
            if (!dup) {
                *out = kg_xrealloc(*out, (*n + 1) * sizeof **out);
                (*out)[(*n)++] = kg_xstrdup(t);
            }
        }
        if (!e)
            break;
        p = e + 1;
    }
    if (*n == 0)
        return kg_err_set(err, KG_EINVAL, "%s: no types given", what);
    return KG_OK;
}

int kg_llm_ontology_parse(const char *entity_csv, const char *relation_csv, double min_confidence,
                          kg_llm_ontology *o, kg_err *err)
{
    memset(o, 0, sizeof *o);
    o->min_confidence = min_confidence;
    int rc = parse_list(entity_csv, "llm.entity_types", &o->entity_types, &o->nentity, err);
    if (!rc)
        rc = parse_list(relation_csv, "llm.relation_types", &o->relation_types, &o->nrelation, err);
    if (rc)
        kg_llm_ontology_free(o);
    return rc;
}

void kg_llm_ontology_free(kg_llm_ontology *o)
{
    for (size_t i = 0; i < o->nentity; i++)
        free(o->entity_types[i]);
    for (size_t i = 0; i < o->nrelation; i++)
        free(o->relation_types[i]);
    free(o->entity_types);
    free(o->relation_types);
    memset(o, 0, sizeof *o);
}

/* The ontology's spelling of t (case-insensitive), or NULL. */
static const char *find_type(char **types, size_t n, const char *t)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(types[i], t) == 0)
            return types[i];
    return NULL;
}

void kg_llm_counts_add(kg_llm_counts *to, const kg_llm_counts *from)
{
    to->chunks_llm += from->chunks_llm;
    to->chunks_cache += from->chunks_cache;
    to->chunks_fallback += from->chunks_fallback;
    to->entities += from->entities;
    to->relations += from->relations;
    to->unanchored += from->unanchored;
    to->bad_type += from->bad_type;
    to->low_confidence += from->low_confidence;
    to->malformed += from->malformed;
}

json_t *kg_llm_counts_json(const kg_llm_counts *l, const char *reason)
{
    return json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:s}", "extractor", "llm",
        "chunks_llm", (json_int_t)l->chunks_llm, "chunks_cache", (json_int_t)l->chunks_cache,
        "chunks_fallback", (json_int_t)l->chunks_fallback, "entities", (json_int_t)l->entities,
        "relations", (json_int_t)l->relations, "dropped", "unanchored", (json_int_t)l->unanchored,
        "type", (json_int_t)l->bad_type, "confidence", (json_int_t)l->low_confidence, "malformed",
        (json_int_t)l->malformed, "fallback_reason", reason ? reason : "");
}

/* ---- prompt and schema -------------------------------------------- */

static void join(kg_buf *b, char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kg_buf_printf(b, "%s%s", i ? ", " : "", v[i]);
}

char *kg_llm_system_prompt(const kg_llm_ontology *o)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_printf(&b, "You extract a knowledge graph from one passage of a document. "
                      "List the named entities of the passage and the relationships the passage "
                      "states between them.\nEntity types: ");
    join(&b, o->entity_types, o->nentity);
    kg_buf_printf(&b, ".\nRelationship types: ");
    join(&b, o->relation_types, o->nrelation);
    kg_buf_printf(&b, ".\nUse only these types. For every item give \"quote\": a short span copied "
                      "exactly, character for character, from the passage that shows it; an "
                      "entity's quote should contain its name. Relationship source and target "
                      "are entity names from your entity list. \"confidence\" is a number from 0 "
                      "to 1. A relationship's \"relation\" says it in the passage's own words: "
                      "the verb or noun phrase with its preposition (\"proposed\", \"works at\", "
                      "\"is the daughter of\", \"was founded by\"), read from source to target. "
                      "Answer with JSON only: "
                      "{\"entities\":[{\"name\",\"type\",\"quote\",\"confidence\"}],"
                      "\"relationships\":[{\"source\",\"target\",\"relation\",\"type\","
                      "\"quote\",\"confidence\"}]}.");
    return kg_buf_steal(&b);
}

static json_t *enum_of(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return json_pack("{s:s, s:o}", "type", "string", "enum", a);
}

static json_t *item(const char *const *names, size_t n, json_t *type_schema)
{
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < n; i++) {
        json_object_set_new(props, names[i], json_pack("{s:s}", "type", "string"));
        json_array_append_new(req, json_string(names[i]));
    }
    json_object_set_new(props, "type", type_schema);
    json_array_append_new(req, json_string("type"));
    json_object_set_new(props, "confidence", json_pack("{s:s}", "type", "number"));
    json_array_append_new(req, json_string("confidence"));
    return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required", req,
                     "additionalProperties", 0);
}

json_t *kg_llm_schema(const kg_llm_ontology *o)
{
    static const char *const ent[] = {"name", "quote"};
    static const char *const rel[] = {"source", "target", "relation", "quote"};
    json_t *e = item(ent, 2, enum_of(o->entity_types, o->nentity));
    json_t *r = item(rel, 4, enum_of(o->relation_types, o->nrelation));
    return json_pack("{s:s, s:{s:{s:s, s:o}, s:{s:s, s:o}}, s:[s,s], s:b}", "type", "object",
                     "properties", "entities", "type", "array", "items", e, "relationships", "type",
                     "array", "items", r, "required", "entities", "relationships",
                     "additionalProperties", 0);
}

/* ---- anchoring ----------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Does needle match text at i?  Case-insensitive for ASCII, and any run of
 * white space matches any other (models re-flow line breaks).  The end of
 * the match in *end. */
static int match_at(const char *text, size_t len, size_t i, const char *needle, size_t *end)
{
    const char *p = needle;
    while (*p) {
        if (is_space(*p)) {
            if (i >= len || !is_space(text[i]))
                return 0;
            while (*p && is_space(*p))
                p++;
            while (i < len && is_space(text[i]))
                i++;
            continue;
        }
        if (i >= len || tolower((unsigned char)text[i]) != tolower((unsigned char)*p))
            return 0;
        i++;
        p++;
    }
    *end = i;
    return 1;
}

/* First match of needle in text[from..to); 1 with its span, else 0. */
static int find(const char *text, size_t from, size_t to, const char *needle, size_t *s, size_t *e)
{
    while (*needle && is_space(*needle))
        needle++;
    if (!*needle)
        return 0;
    for (size_t i = from; i < to; i++) {
        size_t end;
        if (match_at(text, to, i, needle, &end)) {
            size_t t = end;
            while (t > i && is_space(text[t - 1]))
                t--; /* a trailing space in the needle is not part of the span */
            *s = i;
            *e = t;
            return 1;
        }
    }
    return 0;
}

/* Anchor needle: the first match at or after own, else anywhere.  Returns
 * 1 (owned span), 2 (only before own: the previous chunk's), 0 (absent). */
static int anchor(const char *text, size_t len, size_t own, const char *needle, size_t *s,
                  size_t *e)
{
    if (!needle || !*needle)
        return 0;
    if (find(text, own, len, needle, s, e))
        return 1;
    return find(text, 0, len, needle, s, e) ? 2 : 0;
}

static const char *str_field(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* A kept entity of this answer, for relation endpoints. */
typedef struct kept {
    const char *name; /* the answer's spelling (borrowed) */
    char id[KG_ID_MAX];
    int64_t start, end; /* document span */
} kept;

static const kept *kept_find(const kept *k, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(k[i].name, name) == 0)
            return &k[i];
    return NULL;
}

static void do_entities(kg_extract *x, const kg_llm_ontology *o, const json_t *arr,
                        const char *chunk_id, const char *text, size_t len, uint64_t doc_start,
                        size_t own, kg_extract_batch *out, kept *kv, size_t *nk, kg_llm_counts *c)
{
    size_t i;
    const json_t *en;
    char surf[512];
    json_array_foreach(arr, i, en)
    {
        const char *name = str_field(en, "name");
        const json_t *cj = json_object_get(en, "confidence");
        if (!json_is_object(en) || !*name || !json_is_number(cj)) {
            c->malformed++;
            continue;
        }
        const char *type = find_type(o->entity_types, o->nentity, str_field(en, "type"));
        if (!type) {
            c->bad_type++;
            continue;
        }
        double conf = json_number_value(cj);
        if (conf < o->min_confidence) {
            c->low_confidence++;
            continue;
        }
        /* The name inside its quote, else the name alone, else the quote. */
        size_t qs = 0, qe = 0, ns = 0, ne = 0;
        int q = anchor(text, len, own, str_field(en, "quote"), &qs, &qe);
        int nm = q ? find(text, qs, qe, name, &ns, &ne) : 0;
        if (!nm)
            nm = anchor(text, len, own, name, &ns, &ne);
        if (!nm && !q) {
            c->unanchored++;
            continue;
        }
        size_t s = nm ? ns : qs, e = nm ? ne : qe;
        if (s < own)
            continue; /* the previous chunk reported it */
        /* The surface is the chunk's own text when the name was found there
         * (white space runs as one space), else the model's name. */
        size_t sl = 0;
        const char *src = nm ? text + s : name;
        size_t srclen = nm ? e - s : strlen(name);
        for (size_t k = 0; k < srclen && sl + 1 < sizeof surf; k++) {
            if (is_space(src[k])) {
                if (sl && surf[sl - 1] != ' ')
                    surf[sl++] = ' ';
            } else {
                surf[sl++] = src[k];
            }
        }
        while (sl && surf[sl - 1] == ' ')
            sl--;
        char id[KG_ID_MAX];
        if (!kg_extract_form(x, type, surf, sl, (int64_t)(doc_start + s), conf, id)) {
            c->malformed++;
            continue;
        }
        char sp[48];
        snprintf(sp, sizeof sp, "%zu:%zu", s, e);
        const char *parts[] = {chunk_id, sp};
        kg_mention m;
        memset(&m, 0, sizeof m);
        kg_make_row_id(m.id, "men", parts, 2);
        int dup = 0;
        for (size_t k = 0; k < out->nmentions && !dup; k++)
            dup = strcmp(out->mentions[k].id, m.id) == 0;
        if (!dup) {
            memcpy(m.entity_id, id, KG_ID_MAX);
            snprintf(m.chunk_id, sizeof m.chunk_id, "%s", chunk_id);
            m.start = (int64_t)(doc_start + s);
            m.end = (int64_t)(doc_start + e);
            m.surface = kg_xstrndup(surf, sl);
            snprintf(m.type, sizeof m.type, "%s", type);
            m.confidence = conf;
            snprintf(m.method, sizeof m.method, "llm");
            out->mentions = kg_xrealloc(out->mentions, (out->nmentions + 1) * sizeof m);
            out->mentions[out->nmentions++] = m;
            c->entities++;
        }
        kv[*nk].name = name;
        memcpy(kv[*nk].id, id, KG_ID_MAX);
        kv[*nk].start = (int64_t)(doc_start + s);
        kv[*nk].end = (int64_t)(doc_start + e);
        (*nk)++;
    }
}

static void do_relations(const kg_llm_ontology *o, const json_t *arr, const char *chunk_id,
                         const char *text, size_t len, uint64_t doc_start, size_t own,
                         kg_extract_batch *out, const kept *kv, size_t nk, kg_llm_counts *c)
{
    size_t i;
    const json_t *rj;
    json_array_foreach(arr, i, rj)
    {
        const json_t *cj = json_object_get(rj, "confidence");
        if (!json_is_object(rj) || !json_is_number(cj)) {
            c->malformed++;
            continue;
        }
        const char *type = find_type(o->relation_types, o->nrelation, str_field(rj, "type"));
        if (!type) {
            c->bad_type++;
            continue;
        }
        double conf = json_number_value(cj);
        if (conf < o->min_confidence) {
            c->low_confidence++;
            continue;
        }
        const kept *a = kept_find(kv, nk, str_field(rj, "source"));
        const kept *b = kept_find(kv, nk, str_field(rj, "target"));
        if (!a || !b || strcmp(a->id, b->id) == 0) {
            c->malformed++; /* an endpoint that is not a kept entity */
            continue;
        }
        /* Evidence: the quote, else the span from one end to the other. */
        size_t qs = 0, qe = 0;
        int q = anchor(text, len, own, str_field(rj, "quote"), &qs, &qe);
        int64_t s, e;
        if (q) {
            s = (int64_t)(doc_start + qs);
            e = (int64_t)(doc_start + qe);
        } else if (*str_field(rj, "quote")) {
            c->unanchored++;
            continue;
        } else {
            s = a->start < b->start ? a->start : b->start;
            e = a->end > b->end ? a->end : b->end;
        }
        if (s < (int64_t)(doc_start + own))
            continue; /* the previous chunk reported it */
        /* The same shape as the rules' relations (nlp/relate): the type is
         * the normalised phrase when the model gave one ("works at" ->
         * work at), read actively ("was founded by" swaps the ends), and
         * its ontology type otherwise. */
        char phrase[KG_PHRASE_MAX];
        bool reverse = false;
        kg_rel_normalise_text(str_field(rj, "relation"), phrase, &reverse);
        if (reverse) {
            const kept *t = a;
            a = b;
            b = t;
        }
        kg_relation r;
        memset(&r, 0, sizeof r);
        memcpy(r.source_id, a->id, KG_ID_MAX);
        memcpy(r.target_id, b->id, KG_ID_MAX);
        snprintf(r.type, sizeof r.type, "%s", phrase[0] ? phrase : type);
        snprintf(r.method, sizeof r.method, "llm");
        snprintf(r.chunk_id, sizeof r.chunk_id, "%s", chunk_id);
        r.confidence = conf;
        r.start = s;
        r.end = e;
        r.support = 1;
        char span[48];
        snprintf(span, sizeof span, "%lld", (long long)s);
        const char *parts[] = {chunk_id, span, r.source_id, r.type, r.target_id};
        kg_make_row_id(r.id, "rel", parts, 5);
        int dup = 0;
        for (size_t k = 0; k < out->nrelations && !dup; k++)
            dup = strcmp(out->relations[k].id, r.id) == 0;
        if (dup)
            continue;
        out->relations = kg_xrealloc(out->relations, (out->nrelations + 1) * sizeof r);
        out->relations[out->nrelations++] = r;
        c->relations++;
    }
}

void kg_llm_apply(kg_extract *x, const kg_llm_ontology *o, const json_t *answer,
                  const char *chunk_id, const char *text, size_t len, uint64_t doc_start,
                  uint64_t owned_from, kg_extract_batch *out, kg_llm_counts *counts)
{
    memset(out, 0, sizeof *out);
    const json_t *ents = json_object_get(answer, "entities");
    const json_t *rels = json_object_get(answer, "relationships");
    if (!json_is_object(answer) || (ents && !json_is_array(ents)) ||
        (rels && !json_is_array(rels))) {
        counts->malformed++;
        return;
    }
    size_t own = owned_from > doc_start ? (size_t)(owned_from - doc_start) : 0;
    if (own > len)
        own = len;
    size_t ne = json_array_size(ents);
    kept *kv = kg_xcalloc(ne ? ne : 1, sizeof *kv);
    size_t nk = 0;
    if (ents)
        do_entities(x, o, ents, chunk_id, text, len, doc_start, own, out, kv, &nk, counts);
    if (rels)
        do_relations(o, rels, chunk_id, text, len, doc_start, own, out, kv, nk, counts);
    free(kv);
}

/* ---- the extractor ------------------------------------------------- */

int kg_llm_extractor_new(const kg_config *cfg, kg_service_pool *pool, kg_llm_extractor **out,
                         kg_err *err)
{
    return kg_llm_extractor_new_with(cfg, pool, kg_config_str(cfg, "llm.entity_types"),
                                     kg_config_str(cfg, "llm.relation_types"),
                                     kg_config_double(cfg, "llm.min_confidence"), out, err);
}

int kg_llm_extractor_new_with(const kg_config *cfg, kg_service_pool *pool, const char *entity_csv,
                              const char *relation_csv, double min_confidence,
                              kg_llm_extractor **out, kg_err *err)
{
    *out = NULL;
    kg_llm_extractor *lx = kg_xcalloc(1, sizeof *lx);
    int rc = kg_llm_ontology_parse(entity_csv, relation_csv, min_confidence, &lx->onto, err);
    if (rc) {
        free(lx);
        return rc;
    }
    char *system = kg_llm_system_prompt(&lx->onto);
    json_t *schema = kg_llm_schema(&lx->onto);
    /* The answer depends on the instructions and the schema (which holds
     * the ontology); the threshold is applied afterwards and is not part
     * of the question. */
    char *sj = json_dumps(schema, JSON_COMPACT | JSON_SORT_KEYS);
    kg_buf b = KG_BUF_INIT;
    kg_buf_printf(&b, "%s\n%s", system, sj);
    kg_hash_hex(b.data, b.len, lx->params_hash);
    kg_buf_free(&b);
    free(sj);
    /* From the pool, the service is shared by every extractor with the same
     * prompt and schema (their limits and breaker too). */
    lx->pool = pool;
    rc = kg_service_pool_llm_get(pool, cfg, SERVICE, system, schema, SCHEMA_NAME, &lx->svc, err);
    free(system);
    json_decref(schema);
    if (rc) {
        kg_llm_ontology_free(&lx->onto);
        free(lx);
        return rc;
    }
    snprintf(lx->model, sizeof lx->model, "%s", kg_llm_service_model(lx->svc));
    pthread_mutex_init(&lx->mu, NULL);
    lx->inflight = kg_inflight_new();
    *out = lx;
    return KG_OK;
}

void kg_llm_extractor_free(kg_llm_extractor *lx)
{
    if (!lx)
        return;
    kg_service_pool_llm_put(lx->pool, lx->svc);
    kg_llm_ontology_free(&lx->onto);
    pthread_mutex_destroy(&lx->mu);
    kg_inflight_free(lx->inflight);
    free(lx);
}

void kg_llm_extractor_fallback_reason(kg_llm_extractor *lx, char *out, size_t cap)
{
    pthread_mutex_lock(&lx->mu);
    snprintf(out, cap, "%s", lx->reason);
    pthread_mutex_unlock(&lx->mu);
}

static kg_cache_key cache_key(const kg_llm_extractor *lx, const char *input_hash)
{
    kg_cache_key k = {SERVICE, lx->model, input_hash, lx->params_hash};
    return k;
}

int kg_llm_extract_chunk(kg_llm_extractor *lx, kg_store *ro, kg_extract *x, const char *chunk_id,
                         const char *text, size_t len, uint64_t doc_start, uint64_t owned_from,
                         const volatile int *cancel, kg_extract_batch *out, char **fresh_out,
                         char input_hash[KG_HASH_HEX_LEN + 1], kg_llm_counts *counts, kg_err *err)
{
    *fresh_out = NULL;
    memset(out, 0, sizeof *out);
    kg_hash_hex(text, len, input_hash);
    char *resp = NULL;
    kg_err e;
    kg_err_clear(&e);
    kg_cache_key k = cache_key(lx, input_hash);
    /* A failed look-up only costs a request: the cache is an optimisation. */
    if (ro && kg_cache_get(ro, &k, &resp, &e) != KG_OK)
        kg_debug("llm cache look-up failed: %s", e.msg);
    int from_cache = resp != NULL;
    /* The same text asked by another worker right now: wait for its answer
     * instead of paying again. */
    int claim = resp ? KG_INFLIGHT_SHARED
                     : kg_inflight_claim(lx->inflight, input_hash, cancel, &resp);
    if (claim == KG_INFLIGHT_CANCELLED)
        return kg_err_set(err, KG_ECANCELED, "cancelled");
    if (claim == KG_INFLIGHT_SHARED && !from_cache)
        from_cache = 1; /* paid once, by the other worker (which caches it) */
    if (!resp) {
        char *user = kg_xstrndup(text, len);
        int rc = kg_llm_service_chat(lx->svc, user, cancel, &resp, &e);
        free(user);
        if (claim == KG_INFLIGHT_OWNER)
            kg_inflight_publish(lx->inflight, input_hash, rc == KG_OK ? resp : NULL);
        if (rc == KG_ECANCELED)
            return kg_err_set(err, KG_ECANCELED, "cancelled");
        if (rc != KG_OK) {
            pthread_mutex_lock(&lx->mu);
            if (!lx->reason[0])
                snprintf(lx->reason, sizeof lx->reason, "%s", e.msg);
            pthread_mutex_unlock(&lx->mu);
            kg_debug("%s: the LLM failed (%s); local rules used", chunk_id, e.msg);
            counts->chunks_fallback++;
            return kg_extract_chunk(x, chunk_id, text, len, doc_start, owned_from, out, err);
        }
    }
    json_t *answer = json_loads(resp, 0, NULL);
    kg_llm_apply(x, &lx->onto, answer, chunk_id, text, len, doc_start, owned_from, out, counts);
    json_decref(answer);
    if (from_cache) {
        counts->chunks_cache++;
        free(resp);
    } else {
        counts->chunks_llm++;
        *fresh_out = resp;
    }
    return KG_OK;
}

int kg_llm_cache_write(kg_llm_extractor *lx, kg_store *s, const char *input_hash,
                       const char *response, kg_err *err)
{
    kg_cache_key k = cache_key(lx, input_hash);
    return kg_cache_put(s, &k, response, err);
}

int kg_llm_cache_now(kg_llm_extractor *lx, kg_store *s, const char *input_hash, char **response)
{
    kg_err e;
    if (!s || !*response)
        return 0;
    if (kg_llm_cache_write(lx, s, input_hash, *response, &e) != KG_OK) {
        kg_debug("llm cache write deferred to the writer: %s", e.msg);
        return 0;
    }
    free(*response);
    *response = NULL;
    return 1;
}
