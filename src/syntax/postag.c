/* postag: see postag.h. */
#include "syntax/postag.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/vec.h"
#include "ml/ftable.h"
#include "ml/linear.h"
#include "ml/rng.h"
#include "syntax/ptb.h"

#define K (KG_T_COUNT - 1) /* classes: tag - 1 (KG_T_NONE is never predicted) */
#define NFEAT 22
#define DICT_MIN_COUNT 20
#define DICT_MIN_SHARE 0.97
/* The feature templates' version, stored in the model ("pos.features"):
 * change it whenever features() or word_vals() change. */
#define POS_FEATURES "greedy/h2013/1"

struct kg_postag {
    kg_ftab *lin;
    const uint64_t *dict;
    size_t ndict;
};

/* Feature templates. */
enum {
    F_BIAS = 1,
    F_W0,
    F_FORM,
    F_S1,
    F_S2,
    F_S3,
    F_S4,
    F_P1,
    F_P2,
    F_SHAPE,
    F_T1,
    F_T2T1,
    F_T1W0,
    F_WM1,
    F_S3M1,
    F_WM2,
    F_WP1,
    F_S3P1,
    F_WP2,
    F_SHAPEP1,
    F_FIRST,
    F_W0WP1,
};

/* The hashed values of one word, computed once per sentence. */
typedef struct wvals {
    uint64_t lower, form, s1, s2, s3, s4, p1, p2, shape;
} wvals;

#define START_VAL 0x5354415254ull /* the word before the first */
#define END_VAL 0x454e44ull       /* and after the last */

static uint64_t shape_hash(const char *f, size_t n)
{
    char buf[32] = {0};
    size_t k = 0;
    char last = 0;
    for (size_t i = 0; i < n && k < sizeof buf; i++) {
        unsigned char c = (unsigned char)f[i];
        char m = c >= 'A' && c <= 'Z'   ? 'X'
                 : c >= 'a' && c <= 'z' ? 'x'
                 : c >= '0' && c <= '9' ? 'd'
                 : c >= 0x80            ? 'u'
                                        : (char)c;
        if (m != last)
            buf[k++] = m;
        last = m;
    }
    return kg_feat_str(buf, k);
}

static void word_vals(const kg_words *s, int i, wvals *v)
{
    const char *f = kg_words_form(s, i);
    size_t n = s->w[i].len;
    char low[KG_WORD_MAX_LEN + 1] = {0};
    for (size_t j = 0; j < n; j++)
        low[j] = f[j] >= 'A' && f[j] <= 'Z' ? (char)(f[j] + 32) : f[j];
    v->lower = kg_feat_str(low, n);
    v->form = kg_feat_str(f, n);
    v->s1 = kg_feat_str(low + (n > 1 ? n - 1 : 0), n > 1 ? 1 : n);
    v->s2 = kg_feat_str(low + (n > 2 ? n - 2 : 0), n > 2 ? 2 : n);
    v->s3 = kg_feat_str(low + (n > 3 ? n - 3 : 0), n > 3 ? 3 : n);
    v->s4 = kg_feat_str(low + (n > 4 ? n - 4 : 0), n > 4 ? 4 : n);
    v->p1 = kg_feat_str(f, n > 1 ? 1 : n);
    v->p2 = kg_feat_str(f, n > 2 ? 2 : n);
    v->shape = shape_hash(f, n);
}

static inline uint64_t pair(uint64_t a, uint64_t b)
{
    return kg_feat_mix(a * 31 + b);
}

/* The features of word i, given the two tags before it. */
static size_t features(const wvals *v, int n, int i, int t1, int t2, uint64_t *f)
{
    const wvals *w = &v[i];
    uint64_t wm1 = i > 0 ? v[i - 1].lower : START_VAL, wm2 = i > 1 ? v[i - 2].lower : START_VAL;
    uint64_t wp1 = i + 1 < n ? v[i + 1].lower : END_VAL, wp2 = i + 2 < n ? v[i + 2].lower : END_VAL;
    size_t k = 0;
    f[k++] = kg_feat(F_BIAS, 0);
    f[k++] = kg_feat(F_W0, w->lower);
    f[k++] = kg_feat(F_FORM, w->form);
    f[k++] = kg_feat(F_S1, w->s1);
    f[k++] = kg_feat(F_S2, w->s2);
    f[k++] = kg_feat(F_S3, w->s3);
    f[k++] = kg_feat(F_S4, w->s4);
    f[k++] = kg_feat(F_P1, w->p1);
    f[k++] = kg_feat(F_P2, w->p2);
    f[k++] = kg_feat(F_SHAPE, w->shape);
    f[k++] = kg_feat(F_T1, (uint64_t)t1);
    f[k++] = kg_feat(F_T2T1, (uint64_t)t2 * 64 + (uint64_t)t1);
    f[k++] = kg_feat(F_T1W0, pair((uint64_t)t1, w->lower));
    f[k++] = kg_feat(F_WM1, wm1);
    f[k++] = kg_feat(F_S3M1, i > 0 ? v[i - 1].s3 : START_VAL);
    f[k++] = kg_feat(F_WM2, wm2);
    f[k++] = kg_feat(F_WP1, wp1);
    f[k++] = kg_feat(F_S3P1, i + 1 < n ? v[i + 1].s3 : END_VAL);
    f[k++] = kg_feat(F_WP2, wp2);
    f[k++] = kg_feat(F_SHAPEP1, i + 1 < n ? v[i + 1].shape : END_VAL);
    f[k++] = kg_feat(F_FIRST, pair(i == 0, w->shape));
    f[k++] = kg_feat(F_W0WP1, pair(w->lower, wp1));
    return k;
}

/* ---- the tag dictionary ---------------------------------------------------- */

static int dict_find(const uint64_t *d, size_t n, uint64_t form)
{
    uint64_t key = form & ~(uint64_t)0xFF;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t k = d[mid] & ~(uint64_t)0xFF;
        if (k < key)
            lo = mid + 1;
        else if (k > key)
            hi = mid;
        else
            return (int)(d[mid] & 0xFF);
    }
    return 0;
}

/* ---- tagging ----------------------------------------------------------------- */

typedef struct scorer {
    const kg_ftab *lin;  /* the shipped model, or */
    const kg_perc *perc; /* the averaged weights during training */
    const uint64_t *dict;
    size_t ndict;
} scorer;

static int best_tag(const scorer *sc, const uint64_t *f, size_t nf)
{
    float s[K];
    memset(s, 0, sizeof s);
    if (sc->lin)
        kg_ftab_score(sc->lin, f, nf, s);
    else
        kg_perc_score_avg(sc->perc, f, nf, s);
    int best = 0;
    for (int c = 1; c < K; c++)
        if (s[c] > s[best])
            best = c;
    return best + 1;
}

/* Tag s; vals is scratch of s->n entries.  Returns the number of words
 * tagged by the dictionary. */
static int tag_words(const scorer *sc, kg_words *s, wvals *vals)
{
    for (int i = 0; i < s->n; i++)
        word_vals(s, i, &vals[i]);
    int t1 = 0, t2 = 0, bydict = 0;
    uint64_t f[NFEAT];
    for (int i = 0; i < s->n; i++) {
        int t = dict_find(sc->dict, sc->ndict, vals[i].form);
        if (t)
            bydict++;
        else
            t = best_tag(sc, f, features(vals, s->n, i, t1, t2, f));
        s->w[i].tag = (uint8_t)t;
        t2 = t1;
        t1 = t;
    }
    return bydict;
}

void kg_postag_run(const kg_postag *m, kg_words *s)
{
    wvals stackv[64];
    wvals *vals = s->n <= 64 ? stackv : kg_xmalloc((size_t)s->n * sizeof *vals);
    scorer sc = {m->lin, NULL, m->dict, m->ndict};
    tag_words(&sc, s, vals);
    if (vals != stackv)
        free(vals);
}

/* ---- loading ------------------------------------------------------------------ */

static void tag_names(kg_buf *b)
{
    for (int t = 1; t < KG_T_COUNT; t++) {
        kg_buf_puts(b, kg_tag_name(t));
        kg_buf_putc(b, t + 1 < KG_T_COUNT ? ' ' : '\n');
    }
}

int kg_postag_load(const kg_mfile *mf, kg_postag **out, kg_err *err)
{
    *out = NULL;
    size_t len = 0;
    const char *names = kg_mfile_get(mf, "pos.tags", &len);
    kg_buf want = KG_BUF_INIT;
    tag_names(&want);
    bool same = names && len == want.len && memcmp(names, want.data, len) == 0;
    kg_buf_free(&want);
    if (!same)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: its part-of-speech tags are not the ones this kgas "
                          "uses (retrain it with `kgas train pos`)",
                          kg_mfile_name(mf));
    const char *fv = kg_mfile_get(mf, "pos.features", &len);
    if (!fv || len != strlen(POS_FEATURES) || memcmp(fv, POS_FEATURES, len) != 0)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: trained on other tagger features than this kgas "
                          "computes (%s; retrain it with `kgas train pos`)",
                          kg_mfile_name(mf), POS_FEATURES);
    kg_postag *m = kg_xcalloc(1, sizeof *m);
    const void *d = NULL;
    int rc = kg_mfile_need(mf, "pos.dict", sizeof(uint64_t), 0, &d, &m->ndict, err);
    if (!rc)
        rc = kg_ftab_load(mf, "pos", &m->lin, err);
    if (!rc && kg_ftab_classes(m->lin) != K)
        rc = kg_err_set(err, KG_EFORMAT, "model file %s: %u tag classes, expected %d",
                        kg_mfile_name(mf), kg_ftab_classes(m->lin), K);
    if (rc) {
        kg_postag_free(m);
        return rc;
    }
    m->dict = d;
    *out = m;
    return KG_OK;
}

void kg_postag_free(kg_postag *m)
{
    if (!m)
        return;
    kg_ftab_free(m->lin);
    free(m);
}

/* ---- training ------------------------------------------------------------------ */

void kg_words_from_tb(kg_words *s, const kg_tb_sent *ts)
{
    kg_words_clear(s);
    uint32_t off = 0;
    for (int i = 0; i < ts->n; i++) {
        size_t n = strlen(ts->w[i].form);
        int k = kg_words_push(s, off, off + (uint32_t)n, ts->w[i].form, n);
        s->w[k].tag = ts->w[i].tag;
        s->w[k].head = ts->w[i].head;
        s->w[k].dep = ts->w[i].dep;
        off += (uint32_t)n + 1;
    }
}

typedef struct dict_entry {
    uint64_t form;
    uint32_t count[KG_T_COUNT];
} dict_entry;

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Words seen >= DICT_MIN_COUNT times with one tag >= DICT_MIN_SHARE of the
 * time.  Counted in an open-addressing table keyed by the form's hash. */
static uint64_t *build_dict(const kg_treebank *tb, size_t *ndict)
{
    size_t cap = 1 << 17;
    while (cap < tb->nwords)
        cap <<= 1;
    dict_entry *t = kg_xcalloc(cap, sizeof *t);
    kg_words s = KG_WORDS_INIT;
    for (size_t i = 0; i < tb->nsents; i++) {
        kg_words_from_tb(&s, &tb->sents[i]);
        for (int j = 0; j < s.n; j++) {
            uint64_t h = kg_feat_str(kg_words_form(&s, j), s.w[j].len) | 1;
            size_t k = h & (cap - 1);
            while (t[k].form && t[k].form != h)
                k = (k + 1) & (cap - 1);
            t[k].form = h;
            t[k].count[s.w[j].tag]++;
        }
    }
    kg_words_free(&s);
    uint64_t *d = NULL;
    size_t n = 0, dcap = 0;
    for (size_t k = 0; k < cap; k++) {
        if (!t[k].form)
            continue;
        uint32_t total = 0, best = 0;
        int bt = 0;
        for (int g = 1; g < KG_T_COUNT; g++) {
            total += t[k].count[g];
            if (t[k].count[g] > best) {
                best = t[k].count[g];
                bt = g;
            }
        }
        if (total < DICT_MIN_COUNT || best < DICT_MIN_SHARE * total)
            continue;
        kg_vec_room(d, n, dcap);
        d[n++] = (t[k].form & ~(uint64_t)0xFF) | (uint64_t)bt;
    }
    free(t);
    if (n)
        qsort(d, n, sizeof *d, by_u64);
    *ndict = n;
    return d;
}

static double accuracy(const scorer *sc, const kg_treebank *tb, size_t *unk_ok, size_t *unk_n)
{
    kg_words s = KG_WORDS_INIT;
    wvals *vals = kg_xmalloc((KG_CONLLU_MAX_WORDS + 1) * sizeof *vals);
    size_t ok = 0, n = 0;
    *unk_ok = *unk_n = 0;
    for (size_t i = 0; i < tb->nsents; i++) {
        kg_words_from_tb(&s, &tb->sents[i]);
        tag_words(sc, &s, vals);
        for (int j = 0; j < s.n; j++) {
            bool hit = s.w[j].tag == tb->sents[i].w[j].tag;
            ok += hit;
            if (!dict_find(sc->dict, sc->ndict, vals[j].form)) {
                (*unk_n)++;
                *unk_ok += hit;
            }
        }
        n += (size_t)s.n;
    }
    free(vals);
    kg_words_free(&s);
    return n ? (double)ok / (double)n : 0;
}

static void train_epoch(kg_perc *p, const scorer *sc, const kg_treebank *tb, const uint32_t *order,
                        wvals *vals, kg_fset *used)
{
    kg_words s = KG_WORDS_INIT;
    uint64_t f[NFEAT];
    float scratch[K];
    for (size_t o = 0; o < tb->nsents; o++) {
        const kg_tb_sent *ts = &tb->sents[order[o]];
        kg_words_from_tb(&s, ts);
        for (int i = 0; i < s.n; i++)
            word_vals(&s, i, &vals[i]);
        int t1 = 0, t2 = 0;
        for (int i = 0; i < s.n; i++) {
            int t = dict_find(sc->dict, sc->ndict, vals[i].form);
            if (!t) {
                size_t nf = features(vals, s.n, i, t1, t2, f);
                kg_fset_add(used, f, nf);
                int gold = ts->w[i].tag ? ts->w[i].tag : KG_T_XX;
                t = (int)kg_perc_learn(p, f, nf, (unsigned)(gold - 1), scratch) + 1;
            }
            t2 = t1;
            t1 = t;
        }
    }
    kg_words_free(&s);
}

int kg_postag_train(const kg_treebank *train, const kg_treebank *dev,
                    const kg_postag_train_opts *opts, kg_mfile_writer *w, kg_err *err)
{
    if (!train || train->nsents == 0)
        return kg_err_set(err, KG_EINVAL, "train pos: no training sentences");
    int epochs = opts && opts->epochs > 0 ? opts->epochs : 8;
    kg_rng rng;
    kg_rng_seed(&rng, opts ? opts->seed : 0);
    size_t ndict = 0;
    uint64_t *dict = build_dict(train, &ndict);
    kg_perc *p = kg_perc_new(K);
    scorer sc = {NULL, p, dict, ndict};
    uint32_t *order = kg_xmalloc(train->nsents * sizeof *order);
    wvals *vals = kg_xmalloc((KG_CONLLU_MAX_WORDS + 1) * sizeof *vals);
    kg_fset used = {0};
    for (int e = 1; e <= epochs; e++) {
        kg_rng_permutation(&rng, order, train->nsents);
        double t0 = kg_now();
        train_epoch(p, &sc, train, order, vals, &used);
        if (opts && opts->log) {
            size_t uo, un;
            kg_buf_printf(opts->log, "epoch %d: %zu features, %.1f s", e, kg_perc_features(p),
                          kg_now() - t0);
            if (dev)
                kg_buf_printf(opts->log, ", dev accuracy %.4f", accuracy(&sc, dev, &uo, &un));
            kg_buf_putc(opts->log, '\n');
            if (opts->flush)
                opts->flush(opts->log);
        }
    }
    kg_linear_opts lo = {opts && opts->min_weight > 0 ? opts->min_weight : 0.02f,
                         opts ? opts->max_rows : 0};
    kg_ftab *lin = kg_ftab_build(p, used.keys, used.cap, &lo);
    kg_fset_free(&used);
    kg_ftab_save(lin, w, "pos");
    kg_mfile_put(w, "pos.dict", dict, ndict * sizeof *dict);
    kg_buf names = KG_BUF_INIT;
    tag_names(&names);
    kg_mfile_put_str(w, "pos.tags", names.data);
    kg_mfile_put_str(w, "pos.features", POS_FEATURES);
    if (opts && opts->log)
        kg_buf_printf(opts->log, "model: %zu features kept of %zu, %zu dictionary words\n",
                      kg_ftab_rows(lin), kg_perc_features(p), ndict);
    kg_buf_free(&names);
    kg_ftab_free(lin);
    kg_perc_free(p);
    free(order);
    free(vals);
    free(dict);
    return KG_OK;
}

void kg_postag_evaluate(const kg_postag *m, const kg_treebank *tb, kg_postag_eval *out)
{
    memset(out, 0, sizeof *out);
    scorer sc = {m->lin, NULL, m->dict, m->ndict};
    size_t uo = 0, un = 0;
    double t0 = kg_now();
    out->accuracy = accuracy(&sc, tb, &uo, &un);
    double dt = kg_now() - t0;
    out->words = tb->nwords;
    out->words_per_second = dt > 0 ? (double)tb->nwords / dt : 0;
    out->unknown_accuracy = un ? (double)uo / (double)un : 0;
}
