/* tool_extract_relationships: `extract_relationships`: typed relations
 * between the entities of a text, sentence by sentence (text/sentence +
 * nlp/relate), as ingest finds them.  The entities are either given (names,
 * found wherever they occur, or explicit spans) or found by the local NER
 * first.  Nothing is stored; the relations feed build_edges.
 *
 * Mentions that name the same thing (same type and kg_resolve_key) are one
 * entity, so "Keller" twice is one node.  Memory: everything allocated here
 * is freed before returning; the result is a new JSON object. */
#include <stdlib.h>
#include <string.h>

#include "base/idset.h"
#include "base/vec.h"
#include "graph/resolve.h"
#include "ner/ner.h"
#include "nlp/relate.h"
#include "nlp/reltype.h"
#include "text/sentence.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

#define MAX_OCCURRENCES 10000

typedef struct ents {
    kg_relate_mention *m; /* mentions for relate (type points into names/types) */
    int n;
    size_t cap;
    kg_idset keys; /* entity i: type + "\x1f" + key */
    char **names;  /* per entity: first surface form */
    char **types;  /* per entity */
    int nent;
    size_t namecap, typecap;
} ents;

static int entity_index(ents *e, const char *type, const char *surface, size_t len)
{
    char *s = kg_xcalloc(len + 1, 1);
    memcpy(s, surface, len);
    char *key = kg_resolve_key(type, s);
    size_t kl = strlen(type) + strlen(key) + 2;
    char *full = kg_xcalloc(kl, 1);
    snprintf(full, kl, "%s\x1f%s", type, key);
    free(key);
    int added;
    size_t i = kg_idset_add(&e->keys, full, &added);
    free(full);
    if (!added) {
        free(s);
        return (int)i;
    }
    kg_vec_room(e->names, e->nent, e->namecap);
    kg_vec_room(e->types, e->nent, e->typecap);
    e->names[e->nent] = s;
    e->types[e->nent] = kg_xstrdup(type);
    return e->nent++;
}

static void add_mention(ents *e, int64_t start, int64_t end, int entity)
{
    kg_vec_room(e->m, e->n, e->cap);
    e->m[e->n].start = start;
    e->m[e->n].end = end;
    e->m[e->n].type = e->types[entity];
    e->m[e->n].entity = entity;
    e->n++;
}

static void ents_free(ents *e)
{
    for (int i = 0; i < e->nent; i++) {
        free(e->names[i]);
        free(e->types[i]);
    }
    kg_idset_free(&e->keys);
    free(e->names);
    free(e->types);
    free(e->m);
}

static void upper(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)((src[i] >= 'a' && src[i] <= 'z') ? src[i] - 32 : src[i]);
    dst[i] = '\0';
}

/* Is text[at] an ASCII letter or digit (so a name found next to it is
 * inside a longer word)?  Bytes of multi-byte characters do not count:
 * "Keller’s" still names Keller. */
static int wordish(const char *text, size_t at)
{
    unsigned char c = (unsigned char)text[at];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Given entities: a name is looked for everywhere in the text (whole
 * occurrences only, not inside a longer word); a span is taken as is. */
static int given_entities(const char *text, size_t len, json_t *list, ents *e, kg_err *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        json_t *jn = json_object_get(it, "name"), *js = json_object_get(it, "start"),
               *je = json_object_get(it, "end");
        char type[KG_TYPE_MAX];
        upper(type, sizeof type,
              json_object_get(it, "type") ? json_string_value(json_object_get(it, "type"))
                                          : "CONCEPT");
        if (!jn && !(js && je))
            return kg_err_set(err, KG_EINVAL,
                              "argument 'entities[%zu]': give a name, or start and end", i);
        if (js && je) {
            json_int_t s = json_integer_value(js), en = json_integer_value(je);
            if (s >= en || (size_t)en > len)
                return kg_err_set(err, KG_EINVAL,
                                  "argument 'entities[%zu]': span [%lld, %lld) is not inside "
                                  "the text (%zu bytes)",
                                  i, (long long)s, (long long)en, len);
            int ent = entity_index(e, type, text + s, (size_t)(en - s));
            add_mention(e, s, en, ent);
            continue;
        }
        const char *name = json_string_value(jn);
        size_t nl = json_string_length(jn);
        int ent = entity_index(e, type, name, nl);
        for (size_t at = 0; nl <= len && at <= len - nl && e->n < MAX_OCCURRENCES; at++) {
            if (text[at] != name[0] || memcmp(text + at, name, nl) != 0)
                continue;
            if ((at == 0 || !wordish(text, at - 1)) &&
                (at + nl == len || !wordish(text, at + nl))) {
                add_mention(e, (int64_t)at, (int64_t)(at + nl), ent);
                at += nl - 1;
            }
        }
    }
    return KG_OK;
}

/* NER, then the same within-text resolution ingest applies, so "Keller"
 * after "Dr. Maria Keller" is the same node, named by its canonical name. */
static int ner_entities(const char *text, size_t len, double min_conf, ents *e, kg_err *err)
{
    kg_ner_opts o = KG_NER_OPTS_INIT;
    o.min_confidence = (float)min_conf;
    kg_ner_result r = KG_NER_RESULT_INIT;
    int rc = kg_ner_run(text, len, &o, &r, err);
    kg_resolve_mention *rm = kg_xcalloc(r.n ? r.n : 1, sizeof *rm);
    char **surf = kg_xcalloc(r.n ? r.n : 1, sizeof *surf);
    for (size_t i = 0; rc == KG_OK && i < r.n; i++) {
        size_t ml = r.v[i].end - r.v[i].start;
        surf[i] = kg_xcalloc(ml + 1, 1);
        memcpy(surf[i], text + r.v[i].start, ml);
        rm[i].surface = surf[i];
        rm[i].type = r.v[i].type;
        rm[i].start = r.v[i].start;
        rm[i].end = r.v[i].end;
        rm[i].confidence = r.v[i].confidence;
    }
    kg_resolution *res = NULL;
    if (rc == KG_OK)
        rc = kg_resolve_document(text, len, rm, (int)r.n, &res, err);
    for (size_t i = 0; rc == KG_OK && i < r.n; i++) {
        const kg_resolve_entity *re = &res->entities[res->mention_entity[i]];
        int ent = entity_index(e, re->type, re->name, strlen(re->name));
        add_mention(e, r.v[i].start, r.v[i].end, ent);
    }
    kg_resolution_free(res);
    for (size_t i = 0; i < r.n; i++)
        free(surf[i]);
    free(surf);
    free(rm);
    kg_ner_result_free(&r);
    return rc;
}

static void progress(kg_tool_ctx *ctx, double done, const char *msg)
{
    if (ctx->progress)
        ctx->progress(ctx->progress_ud, done, 3, msg);
}

static int cancelled(const kg_tool_ctx *ctx, kg_err *err)
{
    if (ctx->cancel && *ctx->cancel)
        return kg_err_set(err, KG_ECANCELED, "extract_relationships: cancelled");
    return KG_OK;
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    json_t *jtext = json_object_get(args, "text");
    const char *text = json_string_value(jtext);
    size_t len = json_string_length(jtext);
    json_t *given = json_object_get(args, "entities");
    ents e;
    memset(&e, 0, sizeof e);
    int rc = given ? given_entities(text, len, given, &e, err)
                   : ner_entities(text, len,
                                  json_number_value(json_object_get(args, "confidence_threshold")),
                                  &e, err);
    progress(ctx, 1, given ? "entities located" : "entities recognised");
    if (rc == KG_OK)
        rc = cancelled(ctx, err);
    kg_spans sents = KG_SPANS_INIT;
    kg_relate_list *rl = NULL;
    if (rc == KG_OK) {
        kg_sentences(text, len, &sents);
        progress(ctx, 2, "sentences split");
        rc = cancelled(ctx, err);
    }
    if (rc == KG_OK) {
        kg_relate_span *sp = kg_xcalloc(sents.n ? sents.n : 1, sizeof *sp);
        for (size_t i = 0; i < sents.n; i++) {
            sp[i].start = (int64_t)sents.v[i].start;
            sp[i].end = (int64_t)sents.v[i].end;
        }
        rc = kg_relate_extract(text, len, sp, (int)sents.n, e.m, e.n,
                               (int)json_integer_value(json_object_get(args, "max_cooccur")), &rl,
                               err);
        free(sp);
        progress(ctx, 3, "relations extracted");
    }
    if (rc == KG_OK) {
        json_t *rels = json_array();
        /* No entities, no relations: the check is for the analyzer. */
        for (int i = 0; rl && e.names && i < rl->n; i++) {
            const kg_relate_rel *r = &rl->v[i];
            json_t *ev = json_stringn(text + r->start, (size_t)(r->end - r->start));
            const char *cat = kg_rel_category(r->type, NULL);
            json_array_append_new(
                rels, json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:s, s:{s:I, s:I, s:o}, s:o}",
                                "type", r->type, "source", e.names[r->source], "source_type",
                                e.types[r->source], "target", e.names[r->target], "target_type",
                                e.types[r->target], "confidence", r->confidence, "method",
                                r->method, "evidence", "start", (json_int_t)r->start, "end",
                                (json_int_t)r->end, "text", ev ? ev : json_string(""), "category",
                                cat ? json_string(cat) : json_null()));
        }
        *result = json_pack("{s:i, s:i, s:i, s:o}", "entity_count", e.nent, "sentence_count",
                            (int)sents.n, "relationship_count", rl ? rl->n : 0, "relationships",
                            rels);
    }
    kg_relate_list_free(rl);
    kg_spans_free(&sents);
    ents_free(&e);
    return rc;
}

const kg_tool kg_tool_extract_relationships = {
    .name = "extract_relationships",
    .title = "Extract relationships between entities",
    .description =
        "Find typed relations between the entities of a text, sentence by sentence, as ingest "
        "does: each sentence naming two or more entities is tagged and parsed and its Open IE "
        "triples are read for pairs of entities; a pair's type is the normalised relation "
        "phrase (\"X proposed Y\": propose; \"X works at Y\": work at; \"Y was founded by X\": "
        "found, from X; \"X is the daughter of Y\" or \"X, a professor at Y\": be daughter of, "
        "be professor at), 'category' its ontology type where one fits (WORKS_FOR, CREATED...), "
        "'method' the construction (verb, copula, apposition, possessive), confidence 0.5-0.9; "
        "a pair no triple joins but the parse links through a verb gets that verb's phrase "
        "(method path, 0.30); the speaker of a quotation and a name in it get say to (addressed) or "
        "speak of (method speech, 0.45); other pairs of a sentence co-occur (RELATED_TO, undirected, 0.40, method cooccur, or "
        "cooccur-verb when a verb stands between them). Entities: give them as a list of {name, "
        "type} (every whole occurrence of the name counts) or {start, end, type} (a UTF-8 "
        "byte span), or leave 'entities' out to run the local NER first. Each relation has "
        "type, source, target, confidence, method and the evidence sentence with its span. "
        "Nothing is stored; pass the relations to build_edges to weigh them.",
    .input_schema = kg_schema_extract_relationships_in,
    .output_schema = kg_schema_extract_relationships_out,
    .flags = KG_TOOL_PROGRESS,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"text\": \"Dr. Maria Keller is a professor at the University of Lisbon. "
                   "In 2019 Keller proposed the Graph Echo Network.\", \"entities\": "
                   "[{\"name\": \"Maria Keller\", \"type\": \"PERSON\"}, {\"name\": "
                   "\"University of Lisbon\", \"type\": \"ORG\"}]}",
};
