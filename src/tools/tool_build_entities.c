/* tool_build_entities: `build_entities`: resolve a list of mentions into
 * entities the way ingest does for one document (graph/resolve: equal keys,
 * acronyms, surname-only and initialled names), with the ids ingest gives
 * them (kg_entity_id_for(type, key)), so an id returned here is the id the
 * entity has, or would have, in the stored graph.
 *
 * Memory: the resolution is freed before returning; the result is a new
 * JSON object. */
#include <stdlib.h>
#include <string.h>

#include "graph/resolve.h"
#include "ingest/extract.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    (void)ctx;
    json_t *list = json_object_get(args, "mentions"), *jtext = json_object_get(args, "text");
    size_t n = json_array_size(list);
    const char *text = jtext ? json_string_value(jtext) : NULL;
    size_t tlen = jtext ? json_string_length(jtext) : 0;
    kg_resolve_mention *m = kg_xcalloc(n ? n : 1, sizeof *m);
    char(*types)[KG_TYPE_MAX] = kg_xcalloc(n ? n : 1, sizeof *types);
    int rc = KG_OK;
    for (size_t i = 0; i < n && rc == KG_OK; i++) {
        json_t *it = json_array_get(list, i);
        m[i].surface = json_string_value(json_object_get(it, "surface"));
        /* Types are stored upper-case; "person" means PERSON. */
        const char *t = json_string_value(json_object_get(it, "type"));
        size_t k = 0;
        for (; t[k] && k + 1 < KG_TYPE_MAX; k++)
            types[i][k] = (char)((t[k] >= 'a' && t[k] <= 'z') ? t[k] - 32 : t[k]);
        m[i].type = types[i];
        json_t *js = json_object_get(it, "start"), *je = json_object_get(it, "end");
        /* Without spans, mentions are ordered as given. */
        m[i].start = js ? json_integer_value(js) : (int64_t)i;
        m[i].end = je ? json_integer_value(je) : m[i].start + 1;
        json_t *jc = json_object_get(it, "confidence");
        m[i].confidence = jc ? json_number_value(jc) : 1.0;
        if (m[i].end <= m[i].start)
            rc = kg_err_set(err, KG_EINVAL,
                            "argument 'mentions[%zu]': end %lld is not after start %lld", i,
                            (long long)m[i].end, (long long)m[i].start);
        else if (text && (size_t)m[i].end > tlen)
            rc = kg_err_set(err, KG_EINVAL,
                            "argument 'mentions[%zu]': span ends at %lld, past the end of "
                            "'text' (%zu bytes)",
                            i, (long long)m[i].end, tlen);
    }
    kg_resolution *res = NULL;
    if (rc == KG_OK)
        rc = kg_resolve_document(text, tlen, m, (int)n, &res, err);
    if (rc == KG_OK) {
        json_t *ents = json_array();
        json_t **members = kg_xcalloc((size_t)res->n_entities + 1, sizeof(json_t *));
        for (int i = 0; i < res->n_entities; i++)
            members[i] = json_array();
        json_t *assign = json_array();
        for (int i = 0; i < res->n_mentions; i++) {
            int e = res->mention_entity[i];
            json_array_append_new(members[e], json_integer(i));
            char id[KG_ID_MAX];
            kg_entity_id_for(id, res->entities[e].type, res->entities[e].key);
            json_array_append_new(assign, json_string(id));
        }
        for (int i = 0; i < res->n_entities; i++) {
            const kg_resolve_entity *re = &res->entities[i];
            char id[KG_ID_MAX];
            kg_entity_id_for(id, re->type, re->key);
            json_t *al = json_array();
            for (int a = 0; a < re->n_aliases; a++)
                json_array_append_new(al, json_string(re->aliases[a]));
            json_array_append_new(ents,
                                  json_pack("{s:s, s:s, s:s, s:s, s:o, s:i, s:f, s:I, s:o}", "id",
                                            id, "name", re->name, "type", re->type, "key", re->key,
                                            "aliases", al, "mention_count", re->mentions,
                                            "confidence", re->confidence, "first_start",
                                            (json_int_t)re->first_start, "mentions", members[i]));
        }
        free(members);
        *result = json_pack("{s:i, s:i, s:o, s:o}", "mention_count", res->n_mentions,
                            "entity_count", res->n_entities, "entities", ents, "mention_entities",
                            assign);
    }
    kg_resolution_free(res);
    free(types);
    free(m);
    return rc;
}

const kg_tool kg_tool_build_entities = {
    .name = "build_entities",
    .title = "Resolve mentions into entities",
    .description =
        "Group entity mentions (as extract_entities returns them: surface, type, start, end, "
        "confidence) into entities, as ingest does within one document: same normalised name "
        "(case, accents, punctuation, titles and a leading 'the' ignored), an acronym and its "
        "long form (\"Long Short-Term Memory (LSTM)\" when 'text' is given, else matching "
        "initials), a surname or initialled name and the one full name it fits. Mentions of "
        "different types never merge. Each entity gets a canonical name, its aliases, the "
        "indices of its mentions and the stable id (ent_...) it has in the stored graph, so "
        "it can be looked up with get_entity_details. Nothing is stored.",
    .input_schema = kg_schema_build_entities_in,
    .output_schema = kg_schema_build_entities_out,
    .flags = 0,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args =
        "{\"mentions\": [{\"surface\": \"Dr. Maria Keller\", \"type\": \"PERSON\", \"start\": 0, "
        "\"end\": 16, \"confidence\": 0.9}, {\"surface\": \"Keller\", \"type\": \"PERSON\", "
        "\"start\": 70, \"end\": 76, \"confidence\": 0.6}, {\"surface\": \"Graph Echo Network\", "
        "\"type\": \"CONCEPT\", \"start\": 90, \"end\": 108}, {\"surface\": \"GEN\", \"type\": "
        "\"CONCEPT\", \"start\": 110, \"end\": 113}]}",
};
