/* resolve_internal: what resolve.c (the passes that cluster a document's
 * mentions) shares with resolve_key.c (a name's key and forms) and hands
 * resolve_entities.c (the entities built from the clusters).
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

/* resolve_key.c: a name's forms. */
/* Looks like an acronym: 2..10 bytes of A-Z/0-9 (at least two letters),
 * optionally a plural 's'; writes the letters (no 's') to out[11]. */
bool kg_resolve_acronym(const char *s, size_t len, char out[11]);
/* Initials of the capitalised words of a long form, split on spaces only
 * (split_hyphen false) or on hyphens and slashes too. */
void kg_resolve_initials(const char *s, bool split_hyphen, char out[16]);
/* The form a mention shows as a name (trimmed, possessive off; for PERSON
 * the honorific off, for others a leading "the"): a heap string. */
char *kg_resolve_display(const char *type, const char *s);
/* The key's words of name, into t (appended). */
void kg_resolve_key_tokens(const char *type, const char *name, toks *t);
void kg_resolve_toks_free(toks *t);

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
