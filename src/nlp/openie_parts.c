/* openie_parts: the tree helpers and part building of Open IE (see
 * openie_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "nlp/openie_internal.h"

/* Triples per sentence: a sentence with more is a list or a table, and
 * the rest would be noise. */
#define MAX_TRIPLES 64

typedef struct ws {
    int cap;
    int *koff, *kids, *fill;
    uint8_t *mark;
} ws;

void ot_build(otree *t, const kg_words *s, void **wsp)
{
    ws *w = *wsp;
    if (!w) {
        w = kg_xcalloc(1, sizeof *w);
        *wsp = w;
    }
    int n = s->n;
    if (n + 2 > w->cap) {
        w->cap = n + 64;
        w->koff = kg_xrealloc(w->koff, (size_t)(w->cap + 1) * sizeof *w->koff);
        w->kids = kg_xrealloc(w->kids, (size_t)w->cap * sizeof *w->kids);
        w->fill = kg_xrealloc(w->fill, (size_t)w->cap * sizeof *w->fill);
        w->mark = kg_xrealloc(w->mark, (size_t)w->cap);
    }
    t->s = s;
    t->n = n;
    t->koff = w->koff;
    t->kids = w->kids;
    t->mark = w->mark;
    memset(t->koff, 0, (size_t)(n + 2) * sizeof *t->koff);
    for (int i = 0; i < n; i++)
        if (s->w[i].head >= 0 && s->w[i].head < n)
            t->koff[s->w[i].head + 1]++;
    for (int h = 0; h < n; h++)
        t->koff[h + 1] += t->koff[h];
    /* Children in word order: words are visited in order. */
    int *fill = w->fill;
    memset(fill, 0, (size_t)n * sizeof *fill);
    for (int i = 0; i < n; i++) {
        int h = s->w[i].head;
        if (h >= 0 && h < n)
            t->kids[t->koff[h] + fill[h]++] = i;
    }
    memset(t->mark, 0, (size_t)n);
}

int ot_child(const otree *t, int h, int dep)
{
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++)
        if (ot_dep(t, t->kids[k]) == dep)
            return t->kids[k];
    return -1;
}

bool ot_is(const otree *t, int i, const char *words)
{
    const char *f = kg_words_form(t->s, i);
    size_t n = t->s->w[i].len;
    for (const char *p = words; *p;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n) {
            size_t j = 0;
            while (j < n && (f[j] >= 'A' && f[j] <= 'Z' ? f[j] + 32 : f[j]) == p[j])
                j++;
            if (j == n)
                return true;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

bool ot_deep_excluded(int dep)
{
    return dep == KG_D_ACL_RELCL || dep == KG_D_PARATAXIS || dep == KG_D_DISCOURSE ||
           dep == KG_D_VOCATIVE || dep == KG_D_DISLOCATED || dep == KG_D_ADVCL_RELCL;
}

void part_start(otree *t)
{
    memset(t->mark, 0, (size_t)t->n);
}

void part_word(otree *t, int i)
{
    if (i >= 0 && i < t->n)
        t->mark[i] = 1;
}

static bool in_list(int i, const int *v, int n)
{
    for (int k = 0; k < n; k++)
        if (v[k] == i)
            return true;
    return false;
}

static void mark_below(otree *t, int h, const int *but, int n_but, int depth)
{
    t->mark[h] = 1;
    if (depth > 64)
        return;
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int c = t->kids[k];
        if (ot_deep_excluded(ot_dep(t, c)) || in_list(c, but, n_but))
            continue;
        mark_below(t, c, but, n_but, depth + 1);
    }
}

void part_subtree(otree *t, int h, uint64_t skip, const int *but, int n_but)
{
    if (h < 0 || h >= t->n)
        return;
    t->mark[h] = 1;
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int c = t->kids[k];
        int d = ot_dep(t, c);
        if ((skip & DEPS(d)) || ot_deep_excluded(d) || in_list(c, but, n_but))
            continue;
        mark_below(t, c, but, n_but, 1);
    }
}

static bool is_punct(const otree *t, int i)
{
    return ot_dep(t, i) == KG_D_PUNCT || kg_tag_is_punct(ot_tag(t, i)) ||
           (t->s->w[i].shape & KG_WSHAPE_PUNCT && t->s->w[i].len == 1 &&
            !(t->s->w[i].shape & KG_WSHAPE_DIGIT));
}

bool part_end(otree *t, kg_oie *o, kg_oie_part *out, int head, const char *pre)
{
    int lo = 0, hi = t->n - 1;
    while (lo <= hi && (!t->mark[lo] || is_punct(t, lo)))
        lo++;
    while (hi >= lo && (!t->mark[hi] || is_punct(t, hi)))
        hi--;
    memset(out, 0, sizeof *out);
    out->head = (int16_t)head;
    out->pre = pre;
    out->off = o->nidx;
    for (int i = lo; i <= hi; i++) {
        if (!t->mark[i])
            continue;
        if (o->nidx == o->icap) {
            o->icap = o->icap ? o->icap * 2 : 256;
            o->idx = kg_xrealloc(o->idx, o->icap * sizeof *o->idx);
        }
        o->idx[o->nidx++] = (int16_t)i;
        out->n++;
    }
    return out->n > 0 || pre;
}

kg_triple *oie_new(kg_oie *o)
{
    if (o->n >= MAX_TRIPLES)
        return NULL;
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        o->t = kg_xrealloc(o->t, (size_t)o->cap * sizeof *o->t);
    }
    kg_triple *x = &o->t[o->n++];
    memset(x, 0, sizeof *x);
    x->pred = x->prep = x->agent = -1;
    x->rel.head = -1;
    for (int i = 0; i < KG_OIE_MAX_ARGS; i++)
        x->arg[i].head = -1;
    return x;
}

void kg_oie_free(kg_oie *o)
{
    ws *w = o->ws;
    if (w) {
        free(w->koff);
        free(w->kids);
        free(w->fill);
        free(w->mark);
        free(w);
    }
    free(o->t);
    free(o->idx);
    memset(o, 0, sizeof *o);
}
