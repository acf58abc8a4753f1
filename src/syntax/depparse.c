/* depparse: the arc-eager transition system, its features and the
 * run-time parser (see depparse.h; training is in depparse_train.c). */
#include "syntax/depparse.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "syntax/depparse_internal.h"

/* ---- the configuration --------------------------------------------------------- */

void ps_init(pstate *p, const kg_words *s)
{
    int n = s->n, m = n + 1;
    size_t bytes = (size_t)m * (sizeof(int) + 5 * sizeof(int16_t) + 3 + sizeof(uint64_t) + 1);
    char *mem = kg_xmalloc(bytes + 64);
    p->mem = mem;
    p->n = n;
    p->wv = (uint64_t *)mem;
    mem += (size_t)m * sizeof(uint64_t);
    p->stack = (int *)mem;
    mem += (size_t)m * sizeof(int);
    p->head = (int16_t *)mem;
    p->lc1 = p->head + m;
    p->lc2 = p->lc1 + m;
    p->rc1 = p->lc2 + m;
    p->rc2 = p->rc1 + m;
    mem = (char *)(p->rc2 + m);
    p->lab = (uint8_t *)mem;
    p->nl = p->lab + m;
    p->nr = p->nl + m;
    p->tg = p->nr + m;
    p->sp = 0;
    p->b = 0;
    char low[KG_WORD_MAX_LEN + 1];
    for (int i = 0; i < m; i++) {
        p->head[i] = NO_HEAD;
        p->lc1[i] = p->lc2[i] = p->rc1[i] = p->rc2[i] = -1;
        p->lab[i] = p->nl[i] = p->nr[i] = 0;
        if (i == n) {
            p->wv[i] = 0x524f4f54ull;
            p->tg[i] = KG_T_COUNT;
            continue;
        }
        const char *f = kg_words_form(s, i);
        size_t len = s->w[i].len;
        for (size_t j = 0; j < len; j++)
            low[j] = f[j] >= 'A' && f[j] <= 'Z' ? (char)(f[j] + 32) : f[j];
        p->wv[i] = kg_feat_str(low, len);
        p->tg[i] = s->w[i].tag;
    }
}

void ps_free(pstate *p)
{
    free(p->mem);
    p->mem = NULL;
}

bool ps_terminal(const pstate *p)
{
    return p->b == p->n && p->sp == 0;
}

bool ps_legal(const pstate *p, int tr)
{
    switch (tr) {
    case TR_SHIFT: return p->b < p->n;
    case TR_RIGHT: return p->sp > 0 && p->b < p->n;
    case TR_LEFT: return p->sp > 0 && p->head[p->stack[p->sp - 1]] == NO_HEAD;
    case TR_REDUCE: return p->sp > 0 && p->head[p->stack[p->sp - 1]] != NO_HEAD;
    }
    return false;
}

void ps_arc(const pstate *p, int tr, int *h, int *d)
{
    int s0 = p->sp ? p->stack[p->sp - 1] : -1;
    *h = tr == TR_LEFT ? p->b : s0;
    *d = tr == TR_LEFT ? s0 : p->b;
}

static void add_arc(pstate *p, int h, int d, int lab)
{
    p->head[d] = (int16_t)h;
    p->lab[d] = (uint8_t)lab;
    if (d < h) {
        /* Left children arrive right to left in arc-eager: each new one
         * is the leftmost so far. */
        if (p->lc1[h] < 0 || d < p->lc1[h]) {
            p->lc2[h] = p->lc1[h];
            p->lc1[h] = (int16_t)d;
        } else if (p->lc2[h] < 0 || d < p->lc2[h]) {
            p->lc2[h] = (int16_t)d;
        }
        p->nl[h]++;
    } else {
        if (p->rc1[h] < 0 || d > p->rc1[h]) {
            p->rc2[h] = p->rc1[h];
            p->rc1[h] = (int16_t)d;
        } else if (p->rc2[h] < 0 || d > p->rc2[h]) {
            p->rc2[h] = (int16_t)d;
        }
        p->nr[h]++;
    }
}

void ps_apply(pstate *p, int tr, int lab)
{
    int h, d;
    switch (tr) {
    case TR_SHIFT: p->stack[p->sp++] = p->b++; break;
    case TR_LEFT:
        ps_arc(p, tr, &h, &d);
        add_arc(p, h, d, h == p->n ? KG_D_ROOT : lab);
        p->sp--;
        break;
    case TR_RIGHT:
        ps_arc(p, tr, &h, &d);
        add_arc(p, h, d, lab);
        p->stack[p->sp++] = p->b++;
        break;
    case TR_REDUCE: p->sp--; break;
    }
}

int ps_best_legal(const pstate *p, const float *s)
{
    int best = -1;
    for (int t = 0; t < TR_COUNT; t++)
        if (ps_legal(p, t) && (best < 0 || s[t] > s[best]))
            best = t;
    return best;
}

void ps_store(const pstate *p, kg_words *s)
{
    int root = -1;
    for (int i = 0; i < p->n; i++) {
        int h = p->head[i];
        if (h == p->n || h == NO_HEAD) {
            if (root < 0) {
                root = i;
                s->w[i].head = -1;
                s->w[i].dep = KG_D_ROOT;
            } else {
                s->w[i].head = (int16_t)root;
                s->w[i].dep = KG_D_PARATAXIS;
            }
            continue;
        }
        s->w[i].head = (int16_t)h;
        s->w[i].dep = p->lab[i];
    }
}

/* ---- features ------------------------------------------------------------------- */

#define NILW 0x4e494cull /* "no such word" */

static inline uint64_t W(const pstate *p, int i)
{
    return i < 0 ? NILW : p->wv[i];
}

static inline uint64_t T(const pstate *p, int i)
{
    return i < 0 ? (uint64_t)KG_T_COUNT + 1 : p->tg[i];
}

static inline uint64_t L(const pstate *p, int i)
{
    return i < 0 ? (uint64_t)KG_D_COUNT : p->lab[i];
}

static inline uint64_t H2(uint64_t a, uint64_t b)
{
    return kg_feat_mix(a * 0x9E3779B97F4A7C15ull + b);
}

static inline uint64_t H3(uint64_t a, uint64_t b, uint64_t c)
{
    return H2(H2(a, b), c);
}

static int hd(const pstate *p, int i)
{
    return i < 0 || p->head[i] == NO_HEAD ? -1 : p->head[i];
}

static uint64_t dist_bucket(int d)
{
    return d < 5 ? (uint64_t)d : d < 10 ? 5 : 6;
}

size_t ps_arc_features(const pstate *p, uint64_t *f)
{
    int s0 = p->sp ? p->stack[p->sp - 1] : -1, s1 = p->sp > 1 ? p->stack[p->sp - 2] : -1;
    int b0 = p->b <= p->n ? p->b : -1;
    int b1 = p->b + 1 < p->n ? p->b + 1 : -1, b2 = p->b + 2 < p->n ? p->b + 2 : -1;
    int s0h = hd(p, s0);
    int s0l = s0 >= 0 ? p->lc1[s0] : -1, s0r = s0 >= 0 ? p->rc1[s0] : -1;
    int b0l = b0 >= 0 ? p->lc1[b0] : -1;
    uint64_t s0w = W(p, s0), s0t = T(p, s0), b0w = W(p, b0), b0t = T(p, b0);
    uint64_t b1t = T(p, b1), b2t = T(p, b2), s1t = T(p, s1);
    uint64_t d = s0 >= 0 && b0 >= 0 ? dist_bucket(b0 - s0) : 7;
    uint64_t s0vl = s0 >= 0 ? p->nl[s0] : 9, s0vr = s0 >= 0 ? p->nr[s0] : 9;
    uint64_t b0vl = b0 >= 0 ? p->nl[b0] : 9;
    uint64_t hashead = s0 >= 0 && p->head[s0] != NO_HEAD;
    size_t k = 0;
    uint32_t t = 0;
    /* Templates of Zhang & Nivre (2011), trimmed to the ones that pay for
     * their look-up: words and tags of s0, b0, b1, their pairs and
     * triples, the partial tree around s0 and b0 (heads, outermost
     * children, labels, valency) and the distance. */
#define F(v) (f[k++] = kg_feat(++t, (v)))
    F(0);
    F(s0w);
    F(s0t);
    F(H2(s0w, s0t));
    F(b0w);
    F(b0t);
    F(H2(b0w, b0t));
    F(W(p, b1));
    F(b1t);
    F(H2(s0w, b0t));
    F(H2(s0t, b0w));
    F(H2(s0w, b0w));
    F(H2(s0t, b0t));
    F(H2(b0t, b1t));
    F(H3(b0t, b1t, b2t));
    F(H3(s0t, b0t, b1t));
    F(H3(s1t, s0t, b0t));
    F(H3(T(p, s0h), s0t, b0t));
    F(H3(s0t, T(p, s0l), b0t));
    F(H3(s0t, T(p, s0r), b0t));
    F(H3(s0t, b0t, T(p, b0l)));
    F(H3(s0t, b0t, d));
    F(H2(s0w, d));
    F(H3(s0t, s0vr, s0vl));
    F(H2(b0t, b0vl));
    F(H3(L(p, s0), L(p, s0l), L(p, s0r)));
    F(H3(s0t, L(p, s0l), L(p, s0r)));
    F(H2(b0t, L(p, b0l)));
    F(H3(hashead, s0t, b0t));
    F(H3(hashead, L(p, s0), b0t));
    F(W(p, s0h));
#undef F
    return k;
}

size_t ps_lab_features(const pstate *p, int h, int d, uint64_t *f)
{
    uint64_t hw = W(p, h), ht = T(p, h), dw = W(p, d), dt = T(p, d);
    uint64_t dir = h > d, dist = dist_bucket(h > d ? h - d : d - h);
    int dl = p->lc1[d], dr = p->rc1[d];
    int hl = h >= 0 ? p->lc1[h] : -1, hr = h >= 0 ? p->rc1[h] : -1;
    uint64_t dprev = d > 0 ? p->wv[d - 1] : NILW;
    uint64_t dprevt = d > 0 ? p->tg[d - 1] : (uint64_t)KG_T_COUNT + 1;
    uint64_t dnextt = d + 1 < p->n ? p->tg[d + 1] : (uint64_t)KG_T_COUNT + 1;
    size_t k = 0;
    uint32_t t = 100;
#define F(v) (f[k++] = kg_feat(++t, (v)))
    F(0);
    F(H3(dir, ht, dt));
    F(H3(dir, hw, dt));
    F(H3(dir, ht, dw));
    F(H3(dir, hw, dw));
    F(H3(dir, dist, H2(ht, dt)));
    F(H3(dir, W(p, dl), dt));
    F(H3(dir, L(p, dl), dt));
    F(H3(dir, T(p, dr), dt));
    F(H3(dir, L(p, hl), H2(ht, dt)));
    F(H3(dir, L(p, hr), H2(ht, dt)));
    F(H3(dir, dprevt, dt));
    F(H3(dir, dnextt, dt));
    F(H3(dir, dprev, dt));
    F(H3(dir, T(p, hd(p, h)), ht));
    F(H3(dir, L(p, h), ht));
#undef F
    return k;
}

/* ---- run time ---------------------------------------------------------------------- */

static void score(const kg_ftab *lin, const kg_perc *perc, bool avg, const uint64_t *f, size_t nf,
                  float *s)
{
    if (lin)
        kg_ftab_score(lin, f, nf, s);
    else if (avg)
        kg_perc_score_avg(perc, f, nf, s);
    else
        kg_perc_score(perc, f, nf, s);
}

int ps_predict_label(const pscorer *sc, const pstate *p, int h, int d)
{
    if (h == p->n)
        return KG_D_ROOT;
    uint64_t f[LAB_NFEAT];
    float s[LAB_K];
    memset(s, 0, sizeof s);
    score(sc->lab, sc->plab, sc->avg, f, ps_lab_features(p, h, d, f), s);
    int best = 0;
    for (int c = 1; c < LAB_K; c++)
        if (s[c] > s[best])
            best = c;
    return best + 1;
}

void ps_parse(const pscorer *sc, kg_words *s)
{
    if (s->n == 0)
        return;
    pstate p;
    ps_init(&p, s);
    uint64_t f[ARC_NFEAT];
    while (!ps_terminal(&p)) {
        float v[TR_COUNT] = {0};
        score(sc->arc, sc->parc, sc->avg, f, ps_arc_features(&p, f), v);
        int tr = ps_best_legal(&p, v);
        int lab = 0;
        if (tr == TR_LEFT || tr == TR_RIGHT) {
            int h, d;
            ps_arc(&p, tr, &h, &d);
            lab = ps_predict_label(sc, &p, h, d);
        }
        ps_apply(&p, tr, lab);
    }
    ps_store(&p, s);
    ps_free(&p);
}

void kg_depparse_run(const kg_depparse *m, kg_words *s)
{
    pscorer sc = {m->arc, m->lab, NULL, NULL, true};
    ps_parse(&sc, s);
}

/* ---- loading ------------------------------------------------------------------------ */

void kg_depparse_label_names(kg_buf *b)
{
    for (int d = 1; d < KG_D_COUNT; d++) {
        kg_buf_puts(b, kg_dep_name(d));
        kg_buf_putc(b, d + 1 < KG_D_COUNT ? ' ' : '\n');
    }
}

int kg_depparse_load(const kg_mfile *mf, kg_depparse **out, kg_err *err)
{
    *out = NULL;
    size_t len = 0;
    const char *names = kg_mfile_get(mf, "parse.labels", &len);
    kg_buf want = KG_BUF_INIT;
    kg_depparse_label_names(&want);
    int same = names && len == want.len && memcmp(names, want.data, len) == 0;
    kg_buf_free(&want);
    if (!same)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: its dependency labels are not the ones this kgas "
                          "uses (retrain it with `kgas train parse`)",
                          kg_mfile_name(mf));
    const char *fv = kg_mfile_get(mf, "parse.features", &len);
    if (!fv || len != strlen(PARSE_FEATURES) || memcmp(fv, PARSE_FEATURES, len) != 0)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: trained on other parser features than this kgas "
                          "computes (%s; retrain it with `kgas train parse`)",
                          kg_mfile_name(mf), PARSE_FEATURES);
    kg_depparse *m = kg_xcalloc(1, sizeof *m);
    int rc = kg_ftab_load(mf, "arc", &m->arc, err);
    if (!rc)
        rc = kg_ftab_load(mf, "lab", &m->lab, err);
    if (!rc && (kg_ftab_classes(m->arc) != TR_COUNT || kg_ftab_classes(m->lab) != LAB_K))
        rc = kg_err_set(err, KG_EFORMAT, "model file %s: wrong number of classes",
                        kg_mfile_name(mf));
    if (rc) {
        kg_depparse_free(m);
        return rc;
    }
    *out = m;
    return KG_OK;
}

void kg_depparse_free(kg_depparse *m)
{
    if (!m)
        return;
    kg_ftab_free(m->arc);
    kg_ftab_free(m->lab);
    free(m);
}
