/* chain: tag sets and Viterbi (see chain.h). */
#include "ml/chain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

#define MAX_TAGS 1024

struct kg_tagset {
    int scheme;
    unsigned ntypes, k, per; /* tags per type */
    char **types;
    uint16_t *type_of; /* per tag */
    uint8_t *pos_of;   /* per tag */
    uint8_t *allowed;  /* (k+1) x (k+1) */
};

static int scheme_per(int scheme)
{
    switch (scheme) {
    case KG_TAGS_PLAIN: return 1;
    case KG_TAGS_IO: return 1;
    case KG_TAGS_BIO: return 2;
    case KG_TAGS_BILOU: return 4;
    default: return 0;
    }
}

static const int scheme_pos[4][4] = {
    {KG_POS_U, 0, 0, 0},
    {KG_POS_I, 0, 0, 0},
    {KG_POS_B, KG_POS_I, 0, 0},
    {KG_POS_B, KG_POS_I, KG_POS_L, KG_POS_U},
};

/* May a tag at position `next` of type tn follow one at `prev` of type tp? */
static int legal(int scheme, int pp, unsigned tp, int pn, unsigned tn)
{
    if (scheme == KG_TAGS_PLAIN || scheme == KG_TAGS_IO)
        return 1;
    if (scheme == KG_TAGS_BIO)
        return pn != KG_POS_I || ((pp == KG_POS_B || pp == KG_POS_I) && tp == tn);
    /* BILOU: inside a span only I/L of the same type; outside only O/B/U. */
    int inside = pp == KG_POS_B || pp == KG_POS_I;
    if (inside)
        return (pn == KG_POS_I || pn == KG_POS_L) && tp == tn;
    return pn == KG_POS_O || pn == KG_POS_B || pn == KG_POS_U;
}

kg_tagset *kg_tagset_new(int scheme, const char *const *types, unsigned ntypes)
{
    int per = scheme_per(scheme);
    if (!per || ntypes == 0 || !types)
        return NULL;
    unsigned k = ntypes * (unsigned)per + (scheme == KG_TAGS_PLAIN ? 0 : 1);
    if (k > MAX_TAGS)
        return NULL;
    kg_tagset *t = kg_xcalloc(1, sizeof *t);
    t->scheme = scheme;
    t->ntypes = ntypes;
    t->k = k;
    t->per = (unsigned)per;
    t->types = kg_xcalloc(ntypes, sizeof *t->types);
    for (unsigned i = 0; i < ntypes; i++)
        t->types[i] = kg_xstrdup(types[i]);
    t->type_of = kg_xcalloc(k, sizeof *t->type_of);
    t->pos_of = kg_xcalloc(k, sizeof *t->pos_of);
    unsigned base = scheme == KG_TAGS_PLAIN ? 0 : 1;
    if (base) {
        t->type_of[0] = KG_TAG_NONE;
        t->pos_of[0] = KG_POS_O;
    }
    for (unsigned ty = 0; ty < ntypes; ty++)
        for (int j = 0; j < per; j++) {
            unsigned tag = base + ty * (unsigned)per + (unsigned)j;
            t->type_of[tag] = (uint16_t)ty;
            t->pos_of[tag] = (uint8_t)scheme_pos[scheme][j];
        }
    t->allowed = kg_xcalloc((size_t)(k + 1) * (k + 1), 1);
    for (unsigned p = 0; p <= k; p++)
        for (unsigned n = 0; n <= k; n++) {
            /* Start and end behave like O. */
            int pp = p == k ? KG_POS_O : t->pos_of[p], pn = n == k ? KG_POS_O : t->pos_of[n];
            unsigned tp = p == k ? KG_TAG_NONE : t->type_of[p];
            unsigned tn = n == k ? KG_TAG_NONE : t->type_of[n];
            if (scheme == KG_TAGS_PLAIN && (p == k || n == k)) {
                t->allowed[(size_t)p * (k + 1) + n] = 1;
                continue;
            }
            t->allowed[(size_t)p * (k + 1) + n] = (uint8_t)legal(scheme, pp, tp, pn, tn);
        }
    return t;
}

void kg_tagset_free(kg_tagset *t)
{
    if (!t)
        return;
    for (unsigned i = 0; i < t->ntypes; i++)
        free(t->types[i]);
    free(t->types);
    free(t->type_of);
    free(t->pos_of);
    free(t->allowed);
    free(t);
}

int kg_tagset_scheme(const kg_tagset *t)
{
    return t->scheme;
}

unsigned kg_tagset_size(const kg_tagset *t)
{
    return t->k;
}

unsigned kg_tagset_ntypes(const kg_tagset *t)
{
    return t->ntypes;
}

const char *kg_tagset_type_name(const kg_tagset *t, unsigned type)
{
    return type < t->ntypes ? t->types[type] : "";
}

unsigned kg_tagset_type_index(const kg_tagset *t, const char *name)
{
    for (unsigned i = 0; i < t->ntypes; i++)
        if (strcmp(t->types[i], name) == 0)
            return i;
    return KG_TAG_NONE;
}

unsigned kg_tagset_type(const kg_tagset *t, unsigned tag)
{
    return tag < t->k ? t->type_of[tag] : KG_TAG_NONE;
}

int kg_tagset_pos(const kg_tagset *t, unsigned tag)
{
    return tag < t->k ? t->pos_of[tag] : KG_POS_O;
}

unsigned kg_tagset_tag(const kg_tagset *t, unsigned type, int pos)
{
    if (pos == KG_POS_O)
        return t->scheme == KG_TAGS_PLAIN ? KG_TAG_NONE : 0;
    if (type >= t->ntypes)
        return KG_TAG_NONE;
    unsigned base = t->scheme == KG_TAGS_PLAIN ? 0 : 1;
    for (unsigned j = 0; j < t->per; j++)
        if (scheme_pos[t->scheme][j] == pos)
            return base + type * t->per + j;
    return KG_TAG_NONE;
}

const char *kg_tagset_tag_name(const kg_tagset *t, unsigned tag, char *buf, size_t cap)
{
    static const char pc[] = "OBILU";
    if (tag >= t->k)
        snprintf(buf, cap, "?");
    else if (t->scheme == KG_TAGS_PLAIN)
        snprintf(buf, cap, "%s", t->types[t->type_of[tag]]);
    else if (t->pos_of[tag] == KG_POS_O)
        snprintf(buf, cap, "O");
    else
        snprintf(buf, cap, "%c-%s", pc[t->pos_of[tag]], t->types[t->type_of[tag]]);
    return buf;
}

int kg_tagset_allowed(const kg_tagset *t, unsigned prev, unsigned next)
{
    if (prev > t->k || next > t->k)
        return 0;
    return t->allowed[(size_t)prev * (t->k + 1) + next];
}

const uint8_t *kg_tagset_allowed_matrix(const kg_tagset *t)
{
    return t->allowed;
}

void kg_tagset_encode(const kg_tagset *t, const kg_tspan *spans, size_t nspans, size_t n,
                      uint16_t *tags)
{
    for (size_t i = 0; i < n; i++)
        tags[i] = 0;
    if (t->scheme == KG_TAGS_PLAIN)
        return;
    for (size_t s = 0; s < nspans; s++) {
        const kg_tspan *sp = &spans[s];
        if (sp->type >= t->ntypes || sp->start >= sp->end || sp->end > n)
            continue;
        for (uint32_t i = sp->start; i < sp->end; i++) {
            int pos = KG_POS_I;
            if (t->scheme == KG_TAGS_BIO && i == sp->start)
                pos = KG_POS_B;
            if (t->scheme == KG_TAGS_BILOU)
                pos = sp->end - sp->start == 1 ? KG_POS_U
                      : i == sp->start         ? KG_POS_B
                      : i + 1 == sp->end       ? KG_POS_L
                                               : KG_POS_I;
            tags[i] = (uint16_t)kg_tagset_tag(t, sp->type, pos);
        }
    }
}

size_t kg_tagset_decode(const kg_tagset *t, const uint16_t *tags, size_t n, kg_tspan *out,
                        size_t cap)
{
    size_t count = 0;
    long open = -1; /* start of the open span */
    unsigned otype = KG_TAG_NONE;
#define CLOSE(e)                                                               \
    do {                                                                       \
        if (open >= 0) {                                                       \
            if (count < cap)                                                   \
                out[count] = (kg_tspan){(uint32_t)open, (uint32_t)(e), otype}; \
            count++;                                                           \
        }                                                                      \
        open = -1;                                                             \
    } while (0)
    if (t->scheme == KG_TAGS_PLAIN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned tag = tags[i];
        int pos = kg_tagset_pos(t, tag);
        unsigned ty = kg_tagset_type(t, tag);
        if (pos == KG_POS_O) {
            CLOSE(i);
            continue;
        }
        int cont = open >= 0 && ty == otype && (pos == KG_POS_I || pos == KG_POS_L);
        if (!cont) {
            CLOSE(i);
            open = (long)i;
            otype = ty;
        }
        if (pos == KG_POS_L || pos == KG_POS_U)
            CLOSE(i + 1);
    }
    CLOSE(n);
#undef CLOSE
    return count;
}

/* ---- Viterbi -------------------------------------------------------------- */

void kg_viterbi_plan_init(kg_viterbi_plan *p, unsigned K, const float *trans,
                          const uint8_t *allowed)
{
    const size_t W = (size_t)K + 1;
    if (K > p->K || !p->prev) {
        p->prev = kg_xrealloc(p->prev, (size_t)K * K * sizeof *p->prev);
        p->nprev = kg_xrealloc(p->nprev, K * sizeof *p->nprev);
        p->tv = kg_xrealloc(p->tv, (size_t)K * K * sizeof *p->tv);
        p->start = kg_xrealloc(p->start, K * sizeof *p->start);
        p->can_end = kg_xrealloc(p->can_end, K);
    }
    p->K = K;
    for (unsigned y = 0; y < K; y++) {
        int ok = !allowed || allowed[(size_t)K * W + y];
        p->start[y] = ok ? (trans ? trans[(size_t)K * K + y] : 0.0f) : -INFINITY;
        p->can_end[y] = (uint8_t)(!allowed || allowed[(size_t)y * W + K]);
        /* trans NULL: 0.0f is added, as the scores were before. */
        uint16_t n = 0;
        for (unsigned q = 0; q < K; q++)
            if (!allowed || allowed[(size_t)q * W + y]) {
                p->tv[(size_t)y * K + n] = trans ? trans[(size_t)q * K + y] : 0.0f;
                p->prev[(size_t)y * K + n++] = (uint16_t)q;
            }
        p->nprev[y] = n;
    }
}

void kg_viterbi_plan_free(kg_viterbi_plan *p)
{
    free(p->prev);
    free(p->nprev);
    free(p->tv);
    free(p->start);
    free(p->can_end);
    memset(p, 0, sizeof *p);
}

void kg_viterbi_ws_free(kg_viterbi_ws *ws)
{
    free(ws->delta);
    kg_viterbi_plan_free(&ws->plan);
    memset(ws, 0, sizeof *ws);
}

/* The best score over the legal predecessors of tag y, given the scores d
 * of the token before.  Four running maxima, so that the compares do not
 * wait on each other; the maximum is exact whatever the order. */
static float best_in(const kg_viterbi_plan *p, unsigned y, const float *d)
{
    const uint16_t *pl = p->prev + (size_t)y * p->K;
    const float *tv = p->tv + (size_t)y * p->K;
    const unsigned np = p->nprev[y];
    float m0 = -INFINITY, m1 = -INFINITY, m2 = -INFINITY, m3 = -INFINITY;
    unsigned q = 0;
    for (; q + 4 <= np; q += 4) {
        float s0 = d[pl[q]] + tv[q], s1 = d[pl[q + 1]] + tv[q + 1];
        float s2 = d[pl[q + 2]] + tv[q + 2], s3 = d[pl[q + 3]] + tv[q + 3];
        m0 = s0 > m0 ? s0 : m0;
        m1 = s1 > m1 ? s1 : m1;
        m2 = s2 > m2 ? s2 : m2;
        m3 = s3 > m3 ? s3 : m3;
    }
    for (; q < np; q++) {
        float s = d[pl[q]] + tv[q];
        m0 = s > m0 ? s : m0;
    }
    m0 = m1 > m0 ? m1 : m0;
    m2 = m3 > m2 ? m3 : m2;
    return m2 > m0 ? m2 : m0;
}

/* The first legal predecessor of y with the best score (the one a loop
 * keeping the first strict maximum picks). */
static unsigned arg_best(const kg_viterbi_plan *p, unsigned y, const float *d)
{
    const uint16_t *pl = p->prev + (size_t)y * p->K;
    const float *tv = p->tv + (size_t)y * p->K;
    float best = -INFINITY;
    unsigned arg = 0;
    for (unsigned q = 0; q < p->nprev[y]; q++) {
        float s = d[pl[q]] + tv[q];
        if (s > best) {
            best = s;
            arg = pl[q];
        }
    }
    return arg;
}

/* Forward, every token's best scores kept (T x K floats) and no back
 * pointers: the predecessor is found again on the way back, for the one tag
 * on the best path.  The forward loop then has no data-dependent branch,
 * which on these short predecessor lists was most of its time. */
float kg_viterbi_planned(const kg_viterbi_plan *p, size_t T, const float *emit, const float *end,
                         uint16_t *path, kg_viterbi_ws *ws)
{
    const unsigned K = p->K;
    if (T == 0 || K == 0)
        return 0.0f;
    if (T * K > ws->cap_delta) {
        ws->cap_delta = T * K * 2 > 1024 ? T * K * 2 : 1024;
        ws->delta = kg_xrealloc(ws->delta, ws->cap_delta * sizeof *ws->delta);
    }
    float *delta = ws->delta;
    for (unsigned y = 0; y < K; y++)
        delta[y] = p->start[y] == -INFINITY ? -INFINITY : emit[y] + p->start[y];
    for (size_t t = 1; t < T; t++) {
        const float *d = delta + (t - 1) * K, *e = emit + t * K;
        float *cur = delta + t * K;
        for (unsigned y = 0; y < K; y++)
            cur[y] = best_in(p, y, d) + e[y];
    }
    const float *last = delta + (T - 1) * K;
    float best = -INFINITY;
    unsigned arg = 0;
    for (unsigned y = 0; y < K; y++) {
        if (!p->can_end[y])
            continue;
        float s = last[y] + (end ? end[y] : 0.0f);
        if (s > best) {
            best = s;
            arg = y;
        }
    }
    path[T - 1] = (uint16_t)arg;
    for (size_t t = T - 1; t > 0; t--)
        path[t - 1] = (uint16_t)arg_best(p, path[t], delta + (t - 1) * K);
    return best;
}

float kg_viterbi(unsigned K, size_t T, const float *emit, const float *trans, const float *end,
                 const uint8_t *allowed, uint16_t *path, kg_viterbi_ws *ws)
{
    if (T == 0 || K == 0)
        return 0.0f;
    kg_viterbi_plan_init(&ws->plan, K, trans, allowed);
    float s = kg_viterbi_planned(&ws->plan, T, emit, end, path, ws);
    if (s == -INFINITY && allowed) {
        kg_viterbi_plan_init(&ws->plan, K, trans, NULL);
        s = kg_viterbi_planned(&ws->plan, T, emit, end, path, ws);
    }
    return s;
}
