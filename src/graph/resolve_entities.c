/* resolve_entities: the entities of a document's resolved mentions (see
 * resolve.h): the clusters resolve.c's passes left, in order of first
 * mention, each named by its longest frequent form, with the other forms as
 * aliases.  Split from resolve.c, which finds the clusters. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graph/resolve.h"
#include "graph/resolve_internal.h"

static int word_count(const char *s)
{
    int n = 0;
    bool in = false;
    for (; *s; s++) {
        bool sp = *s == ' ' || *s == '\t' || *s == '\n';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

typedef struct form {
    const char *s;
    int count, first, words;
    bool expansion;
    bool generic; /* "ZBR protocol" beside "ZBR" (resolve.c, pass 1c) */
} form;

typedef struct memrow {
    int root, i;
} memrow;

typedef struct okey_ {
    int64_t start;
    int first, g;
} okey_;

static int by_okey(const void *a, const void *b)
{
    const okey_ *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

static int by_member(const void *a, const void *b)
{
    const memrow *x = a, *y = b;
    if (x->root != y->root)
        return x->root < y->root ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* The type of a group: the one most of its mentions have (by weight); on a
 * tie, the type of the earliest mention among the tied.  When the text
 * said what the entity is ("SpiderMonkey, the baseline interpreter"), only
 * the mentions typed by that description vote: the recogniser's readings
 * before it were guesses from context.  A group has one type unless
 * resolve.c joined kindred types ("JavaScript" as METHOD and SOFTWARE); a
 * group of more than eight types counts the first eight. */
typedef struct type_votes {
    const char *type;
    long weight;
    int64_t first;
} type_votes;

static const char *group_type(const kg_resolve_mention *m, const memrow *mem, int n)
{
    type_votes t[8] = {{0}};
    int nt = 0, described = 0;
    for (int k = 0; k < n; k++)
        described |= m[mem[k].i].described != 0;
    for (int k = 0; k < n; k++) {
        const kg_resolve_mention *x = &m[mem[k].i];
        if (described && !x->described)
            continue;
        int j = 0;
        while (j < nt && strcmp(t[j].type, x->type) != 0)
            j++;
        if (j == nt) {
            if (nt == 8)
                continue;
            t[nt++] = (type_votes){x->type, 0, x->start};
        }
        t[j].weight += x->weight > 0 ? x->weight : 1;
        if (x->start < t[j].first)
            t[j].first = x->start;
    }
    int best = 0;
    for (int j = 1; j < nt; j++)
        if (t[j].weight > t[best].weight ||
            (t[j].weight == t[best].weight && t[j].first < t[best].first))
            best = j;
    return nt ? t[best].type : ""; /* a group has a member: nt >= 1 */
}

/* The form that names a group (see resolve.h): of the frequent forms (a
 * quarter of the commonest's count, or a defined long form) the one with
 * most words, then the more frequent, then the earliest.  A form with a
 * generic head ("ZBR protocol") names the entity only when no form
 * without one is frequent enough. */
static int best_form(const kg_resolve_mention *m, const form *forms, int nf, int maxc)
{
    bool plain = false;
    for (int f = 0; f < nf; f++)
        plain |= !forms[f].generic && (forms[f].count * 4 >= maxc || forms[f].expansion);
    int best = -1;
    for (int f = 0; f < nf; f++) {
        if (!(forms[f].count * 4 >= maxc || forms[f].expansion) || (plain && forms[f].generic))
            continue;
        if (best < 0 || forms[f].words > forms[best].words ||
            (forms[f].words == forms[best].words &&
             (forms[f].count > forms[best].count ||
              (forms[f].count == forms[best].count &&
               m[forms[f].first].start < m[forms[best].first].start))))
            best = f;
    }
    return best;
}

void kg_resolve_build_entities(kg_resolution *r, const kg_resolve_mention *m, const minfo *mi,
                               int *par, int n)
{
    r->n_mentions = n;
    r->mention_key = kg_xcalloc((size_t)n + 1, sizeof *r->mention_key);
    r->mention_entity = kg_xcalloc((size_t)n + 1, sizeof *r->mention_entity);
    /* Group mentions by root (sort), so each entity is built from its own
     * members only. */
    memrow *mem = kg_xmalloc(((size_t)n + 1) * sizeof *mem);
    for (int i = 0; i < n; i++)
        mem[i] = (memrow){kg_resolve_root(par, i), i};
    qsort(mem, (size_t)n, sizeof *mem, by_member);
    int nroots = 0;
    for (int k = 0; k < n; k++)
        if (k == 0 || mem[k].root != mem[k - 1].root)
            nroots++;
    /* Entities in order of first mention in the text (then input order). */
    int64_t *first_start = kg_xmalloc(((size_t)nroots + 1) * sizeof *first_start);
    int *group_at = kg_xmalloc(((size_t)nroots + 1) * sizeof *group_at);
    int *first_i = kg_xmalloc(((size_t)nroots + 1) * sizeof *first_i);
    int g = -1;
    for (int k = 0; k < n; k++) {
        int i = mem[k].i;
        if (k == 0 || mem[k].root != mem[k - 1].root) {
            g++;
            group_at[g] = k;
            first_i[g] = i;
            first_start[g] = m[i].start;
        } else if (m[i].start < first_start[g] ||
                   (m[i].start == first_start[g] && first_i[g] > i)) {
            first_i[g] = i;
            first_start[g] = m[i].start;
        }
    }
    int *order = kg_xmalloc(((size_t)nroots + 1) * sizeof *order);
    for (int e = 0; e < nroots; e++)
        order[e] = e;
    /* Sort groups by (first start, first index): a small merge-free qsort
     * over an index array with the keys packed next to it. */
    okey_ *ok = kg_xmalloc(((size_t)nroots + 1) * sizeof *ok);
    for (int e = 0; e < nroots; e++)
        ok[e] = (okey_){first_start[e], first_i[e], e};
    qsort(ok, (size_t)nroots, sizeof *ok, by_okey);
    for (int e = 0; e < nroots; e++)
        order[e] = ok[e].g;
    free(ok);

    r->n_entities = nroots;
    r->entities = kg_xcalloc((size_t)nroots + 1, sizeof *r->entities);
    form *forms = kg_xmalloc(((size_t)n + 1) * sizeof *forms);
    for (int e = 0; e < nroots; e++) {
        int grp = order[e];
        int from = group_at[grp];
        int to = grp + 1 < nroots ? group_at[grp + 1] : n;
        kg_resolve_entity *ent = &r->entities[e];
        int nf = 0, maxc = 0;
        ent->confidence = 0;
        ent->first_start = first_start[grp];
        snprintf(ent->type, sizeof ent->type, "%s", group_type(m, mem + from, to - from));
        for (int k = from; k < to; k++) {
            int i = mem[k].i;
            int w = m[i].weight > 0 ? m[i].weight : 1;
            ent->mentions += w;
            r->mention_entity[i] = e;
            if (m[i].confidence > ent->confidence)
                ent->confidence = m[i].confidence;
            int f = 0;
            while (f < nf && strcmp(forms[f].s, mi[i].display) != 0)
                f++;
            if (f == nf)
                forms[nf++] = (form){mi[i].display, 0, i, word_count(mi[i].display), false, false};
            forms[f].count += w;
            if (m[i].start < m[forms[f].first].start)
                forms[f].first = i;
            forms[f].expansion |= mi[i].defined[0] != 0;
            forms[f].generic |= mi[i].generic;
            if (forms[f].count > maxc)
                maxc = forms[f].count;
        }
        int best = best_form(m, forms, nf, maxc);
        ent->name = kg_xstrdup(forms[best].s);
        ent->key = kg_resolve_key(ent->type, ent->name);
        ent->aliases = kg_xcalloc((size_t)nf, sizeof *ent->aliases);
        /* Aliases in first-seen order. */
        for (int a = 1; a < nf; a++) {
            form t = forms[a];
            int b = a;
            while (b > 0 && (m[forms[b - 1].first].start > m[t.first].start ||
                             (m[forms[b - 1].first].start == m[t.first].start &&
                              forms[b - 1].first > t.first))) {
                forms[b] = forms[b - 1];
                b--;
            }
            forms[b] = t;
            if (best == a)
                best = b;
            else if (best >= b && best < a)
                best++;
        }
        for (int f = 0; f < nf; f++)
            if (f != best)
                ent->aliases[ent->n_aliases++] = kg_xstrdup(forms[f].s);
    }
    free(forms);
    free(order);
    free(first_i);
    free(group_at);
    free(first_start);
    free(mem);
}

void kg_resolution_free(kg_resolution *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_mentions; i++)
        free(r->mention_key[i]);
    free(r->mention_key);
    free(r->mention_entity);
    for (int e = 0; e < r->n_entities; e++) {
        free(r->entities[e].name);
        free(r->entities[e].key);
        for (int a = 0; a < r->entities[e].n_aliases; a++)
            free(r->entities[e].aliases[a]);
        free(r->entities[e].aliases);
    }
    free(r->entities);
    free(r);
}
