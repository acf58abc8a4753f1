/* resolve_internal: what resolve.c (the passes that cluster a document's
 * mentions) hands resolve_entities.c (the entities built from the clusters).
 * Private to graph/resolve; nothing else includes it. */
#ifndef KG_GRAPH_RESOLVE_INTERNAL_H
#define KG_GRAPH_RESOLVE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "graph/resolve.h"

typedef struct toks {
    char **v;
    int n;
    size_t cap;
} toks;

typedef struct minfo {
    char *key;
    char *display;
    toks kt;          /* key tokens */
    char acr[11];     /* acronym letters, "" when not an acronym */
    char defined[11]; /* acronym this mention's long form defines in the text */
    bool code;        /* the display form is code-like (graph/kindred: "AODV", "JavaScript") */
    bool generic;     /* "ZBR protocol" joined to code-like "ZBR": not the name to show */
} minfo;

/* The root of x's cluster in the union-find par (halving the path). */
static inline int kg_resolve_root(int *par, int x)
{
    while (par[x] != x) {
        par[x] = par[par[x]];
        x = par[x];
    }
    return x;
}

/* Fill r (zeroed) from the n mentions m, their infos mi and the union-find
 * par: mention keys are left for the caller to move in. */
void kg_resolve_build_entities(kg_resolution *r, const kg_resolve_mention *m, const minfo *mi,
                               int *par, int n);

#endif
