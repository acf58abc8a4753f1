/* tool_build_edges: `build_edges`: aggregate relations into weighted graph
 * edges by the rule the stored graph's rebuild applies (graph/graph_rules:
 * one edge per (source, type, target), weight, noisy-or confidence, the
 * most trusted method, the id), with RELATED_TO undirected (ends ordered)
 * and support = number of relations.  Ids are made as the rebuild makes
 * them, from the ends as given (entity ids give the stored ids).
 *
 * Memory: the edge table is freed before returning; the result is a new
 * JSON object. */
#include <stdlib.h>
#include <string.h>

#include "graph/graph_rules.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

typedef struct edge {
    const char *src, *dst, *type, *method; /* borrowed from the arguments */
    double confidence;
    kg_edge_acc acc; /* the first relation of a run holds the edge */
} edge;

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    int c = strcmp(x->src, y->src);
    if (!c)
        c = strcmp(x->dst, y->dst);
    return c ? c : strcmp(x->type, y->type);
}

static int cmp_weight(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->acc.weight != y->acc.weight)
        return x->acc.weight < y->acc.weight ? 1 : -1;
    return cmp_edge(a, b);
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    (void)ctx;
    json_t *list = json_object_get(args, "relationships");
    size_t n = json_array_size(list);
    edge *v = kg_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(list, i);
        const char *s = json_string_value(json_object_get(it, "source"));
        const char *t = json_string_value(json_object_get(it, "target"));
        const char *type = json_string_value(json_object_get(it, "type"));
        if (strcmp(s, t) == 0) {
            free(v);
            return kg_err_set(err, KG_EINVAL,
                              "argument 'relationships[%zu]': source and target are both "
                              "'%.100s'; an entity is not related to itself",
                              i, s);
        }
        if (strcmp(type, "RELATED_TO") == 0 && strcmp(s, t) > 0) {
            const char *x = s;
            s = t;
            t = x;
        }
        v[i].src = s;
        v[i].dst = t;
        v[i].type = type;
        /* Defaults inside array items are not filled by the validator. */
        const char *method = json_string_value(json_object_get(it, "method"));
        v[i].method = method ? method : "verb";
        json_t *jc = json_object_get(it, "confidence");
        v[i].confidence = jc ? json_number_value(jc) : 0.5;
    }
    qsort(v, n, sizeof *v, cmp_edge);
    /* Fold runs of equal (source, target, type) in place. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!m || cmp_edge(&v[m - 1], &v[i]) != 0) {
            v[m] = v[i];
            kg_edge_acc_init(&v[m].acc);
            m++;
        }
        kg_edge_acc_add(&v[m - 1].acc, v[i].confidence, v[i].method);
    }
    qsort(v, m, sizeof *v, cmp_weight);
    json_t *edges = json_array();
    for (size_t i = 0; i < m; i++) {
        char id[KG_ID_MAX];
        kg_rel_make_id(id, v[i].src, v[i].type, v[i].dst);
        json_array_append_new(
            edges, json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:f, s:f, s:s}", "id", id, "source",
                             v[i].src, "target", v[i].dst, "type", v[i].type, "directed",
                             strcmp(v[i].type, "RELATED_TO") != 0, "support",
                             (json_int_t)v[i].acc.support, "weight", v[i].acc.weight, "confidence",
                             kg_edge_acc_confidence(&v[i].acc), "method", v[i].acc.method));
    }
    free(v);
    *result = json_pack("{s:i, s:i, s:o}", "relationship_count", (int)n, "edge_count", (int)m,
                        "edges", edges);
    return KG_OK;
}

const kg_tool kg_tool_build_edges = {
    .name = "build_edges",
    .title = "Aggregate relations into weighted edges",
    .description =
        "Turn relations (as extract_relationships returns them: source, target, type, "
        "confidence, method) into weighted graph edges, by the same rule the stored graph "
        "uses: one edge per (source, type, target), with RELATED_TO undirected; support = "
        "how many relations back it; weight = sum of confidence x method factor (pattern "
        "1.0, llm 0.9, apposition 0.8, verb 0.7, cooccur 0.3); confidence = 1 - prod(1 - "
        "confidence), at most 0.99; method = the most trusted one seen. Edges come heaviest "
        "first, with ids made as the store makes them (give entity ids as source and target "
        "to get the stored ids). Nothing is stored.",
    .input_schema = kg_schema_build_edges_in,
    .output_schema = kg_schema_build_edges_out,
    .flags = 0,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args =
        "{\"relationships\": [{\"source\": \"Maria Keller\", \"target\": \"University of "
        "Lisbon\", \"type\": \"WORKS_FOR\", \"confidence\": 0.85, \"method\": \"pattern\"}, "
        "{\"source\": \"Maria Keller\", \"target\": \"University of Lisbon\", \"type\": "
        "\"WORKS_FOR\", \"confidence\": 0.75, \"method\": \"apposition\"}, {\"source\": "
        "\"University of Lisbon\", \"target\": \"Maria Keller\", \"type\": \"RELATED_TO\", "
        "\"confidence\": 0.4, \"method\": \"cooccur\"}]}",
};
