/* graph_rules: see graph_rules.h. */
#include "graph/graph_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"

double kg_method_factor(const char *method)
{
    if (!method)
        return 0.7;
    /* "paper": read from a paper's structure (header, bibliography,
     * citation markers: ingest/ingest_paper), as sure as a pattern. */
    if (strcmp(method, "pattern") == 0 || strcmp(method, "paper") == 0)
        return 1.0;
    if (strcmp(method, "llm") == 0)
        return 0.9;
    if (strcmp(method, "apposition") == 0)
        return 0.8;
    if (strncmp(method, "cooccur", 7) == 0) /* "cooccur", "cooccur-verb" (nlp/relate) */
        return 0.3;
    return 0.7;
}

bool kg_rel_ranks_both_ways(const char *type, const char *method, bool both)
{
    if (type && strcmp(type, KG_REL_UNDIRECTED) == 0)
        return true;
    return both && !(method && strcmp(method, "paper") == 0);
}

void kg_edge_acc_init(kg_edge_acc *a)
{
    memset(a, 0, sizeof *a);
    a->miss = 1.0;
}

void kg_edge_acc_add(kg_edge_acc *a, double confidence, const char *method)
{
    double f = kg_method_factor(method);
    a->weight += confidence * f;
    a->miss *= 1.0 - confidence;
    a->support++;
    if (f > a->best_factor) {
        a->best_factor = f;
        snprintf(a->method, sizeof a->method, "%s", method);
    }
}

double kg_edge_acc_confidence(const kg_edge_acc *a)
{
    double conf = 1.0 - a->miss;
    return conf > 0.99 ? 0.99 : conf;
}

void kg_rel_make_id(char id[KG_ID_MAX], const char *source_id, const char *type,
                    const char *target_id)
{
    const char *parts[] = {source_id, type, target_id};
    kg_make_id(id, "rel", parts, 3);
}

/* Add a name to the set, keeping first-seen order. */
static void alias_add(json_t *set, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(set, i, v)
    {
        if (strcmp(json_string_value(v), name) == 0)
            return;
    }
    json_array_append_new(set, json_string(name));
}

void kg_entity_acc_start(kg_entity_acc *a, const char *id, const char *name, const char *key,
                         const char *type)
{
    memset(a, 0, sizeof *a);
    snprintf(a->id, sizeof a->id, "%s", id);
    a->name = kg_xstrdup(name);
    a->key = kg_xstrdup(key);
    snprintf(a->type, sizeof a->type, "%s", type);
    a->aliases = json_array();
}

void kg_entity_acc_add(kg_entity_acc *a, const char *name, const char *aliases_json,
                       int64_t mentions, double confidence)
{
    alias_add(a->aliases, name);
    json_t *al = json_loads(aliases_json, 0, NULL);
    size_t i;
    json_t *v;
    if (json_is_array(al))
        json_array_foreach(al, i, v)
        {
            if (json_is_string(v))
                alias_add(a->aliases, json_string_value(v));
        }
    json_decref(al);
    a->mentions += mentions;
    if (confidence > a->confidence)
        a->confidence = confidence;
}

char *kg_entity_acc_aliases(const kg_entity_acc *a)
{
    /* The canonical name is not an alias of itself. */
    json_t *aliases = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(a->aliases, i, v)
    {
        if (strcmp(json_string_value(v), a->name) != 0)
            json_array_append(aliases, v);
    }
    char *aj = json_dumps(aliases, JSON_COMPACT);
    json_decref(aliases);
    return aj;
}

void kg_entity_acc_clear(kg_entity_acc *a)
{
    free(a->name);
    free(a->key);
    json_decref(a->aliases);
    memset(a, 0, sizeof *a);
}
