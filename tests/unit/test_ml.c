/* Unit tests for ml/: the seeded generator and shuffles, the averaged
 * perceptron (a tiny separable set learnt exactly, before and after
 * compiling to the shipping form), tag sets (BIO/BILOU encode and decode,
 * legal transitions), Viterbi (constraints respected; the same best score
 * as trying every legal path), and the model container (byte-identical
 * round trips; corrupt, truncated, mangled, other-version and other-kind
 * files refused with the file and the problem named). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ml/chain.h"
#include "ml/linear.h"
#include "ml/mfile.h"
#include "ml/rng.h"
#include "testutil.h"

/* ---- rng ------------------------------------------------------------------ */

static void test_rng(void **st)
{
    (void)st;
    kg_rng a, b;
    kg_rng_seed(&a, 42);
    kg_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        assert_true(kg_rng_next(&a) == kg_rng_next(&b));
    kg_rng_seed(&b, 43);
    assert_true(kg_rng_next(&a) != kg_rng_next(&b));
    /* A known value pins the algorithm: a model trained elsewhere must
     * shuffle the same way. */
    kg_rng_seed(&a, 0);
    uint64_t first = kg_rng_next(&a);
    kg_rng_seed(&b, 0);
    assert_true(kg_rng_next(&b) == first);
    int seen[7] = {0};
    for (int i = 0; i < 7000; i++) {
        uint64_t v = kg_rng_below(&a, 7);
        assert_true(v < 7);
        seen[v]++;
    }
    for (int i = 0; i < 7; i++)
        assert_true(seen[i] > 800 && seen[i] < 1200);
    double u = kg_rng_unit(&a);
    assert_true(u >= 0 && u < 1);

    uint32_t p[50], q[50];
    kg_rng_seed(&a, 7);
    kg_rng_seed(&b, 7);
    kg_rng_permutation(&a, p, 50);
    kg_rng_permutation(&b, q, 50);
    assert_memory_equal(p, q, sizeof p);
    int hit[50] = {0}, moved = 0;
    for (int i = 0; i < 50; i++) {
        hit[p[i]]++;
        moved += p[i] != (uint32_t)i;
    }
    for (int i = 0; i < 50; i++)
        assert_int_equal(hit[i], 1);
    assert_true(moved > 10);
    /* Elements larger than the swap buffer. */
    struct big {
        char c[100];
    } bv[3];
    for (int i = 0; i < 3; i++)
        memset(bv[i].c, 'a' + i, sizeof bv[i].c);
    kg_rng_shuffle(&a, bv, 3, sizeof bv[0]);
    int sum = 0;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(bv[i].c[0], bv[i].c[99]);
        sum += bv[i].c[50];
    }
    assert_int_equal(sum, 'a' + 'b' + 'c');
}

/* ---- perceptron ------------------------------------------------------------ */

#define NEX 8
/* Four classes; each example has a bias, one or two indicator features
 * and some noise features shared across classes.  Separable, not by one
 * feature alone: class 3 = features A and B together. */
static const char *const ex_feats[NEX][4] = {
    {"A", "n1", NULL, NULL}, {"A", "n2", NULL, NULL}, {"B", "n1", NULL, NULL},
    {"B", "n3", NULL, NULL}, {"C", "n2", "n3", NULL}, {"C", "n1", NULL, NULL},
    {"A", "B", "AB", NULL},  {"A", "B", "AB", "n2"},
};
static const unsigned ex_gold[NEX] = {0, 0, 1, 1, 2, 2, 3, 3};

static size_t ex_vec(int i, uint64_t *f)
{
    size_t n = 0;
    f[n++] = kg_feat(0, 0); /* bias */
    for (int j = 0; j < 4 && ex_feats[i][j]; j++)
        f[n++] = kg_feat(1, kg_feat_str(ex_feats[i][j], strlen(ex_feats[i][j])));
    return n;
}

static void test_perceptron_separable(void **st)
{
    (void)st;
    assert_null(kg_perc_new(0));
    assert_null(kg_perc_new(KG_ML_MAX_CLASSES + 1));
    kg_perc *p = kg_perc_new(4);
    assert_int_equal(kg_perc_classes(p), 4);
    kg_rng r;
    kg_rng_seed(&r, 1);
    uint32_t order[NEX];
    uint64_t f[8];
    float scratch[4];
    int epochs = 0, mistakes = 1;
    while (mistakes && epochs < 50) {
        mistakes = 0;
        kg_rng_permutation(&r, order, NEX);
        for (int i = 0; i < NEX; i++) {
            size_t n = ex_vec((int)order[i], f);
            mistakes += kg_perc_learn(p, f, n, ex_gold[order[i]], scratch) != ex_gold[order[i]];
        }
        epochs++;
    }
    assert_int_equal(mistakes, 0);
    for (int i = 0; i < NEX; i++) {
        size_t n = ex_vec(i, f);
        assert_int_equal(kg_perc_predict(p, f, n, scratch), ex_gold[i]);
        float avg[4] = {0};
        kg_perc_score_avg(p, f, n, avg);
        unsigned best = 0;
        for (unsigned c = 1; c < 4; c++)
            if (avg[c] > avg[best])
                best = c;
        assert_int_equal(best, ex_gold[i]);
    }
    /* The shipping form predicts the same. */
    kg_linear *m = kg_linear_compile(p, NULL);
    assert_int_equal(kg_linear_classes(m), 4);
    assert_true(kg_linear_rows(m) >= 4 && kg_linear_rows(m) <= kg_perc_features(p));
    for (int i = 0; i < NEX; i++) {
        size_t n = ex_vec(i, f);
        float s[4] = {0};
        kg_linear_score(m, f, n, s);
        unsigned best = 0;
        for (unsigned c = 1; c < 4; c++)
            if (s[c] > s[best])
                best = c;
        assert_int_equal(best, ex_gold[i]);
    }
    /* An unknown feature adds nothing; a known one's row is readable. */
    float row[4], s0[4] = {0};
    uint64_t unk = kg_feat(9, 12345);
    kg_linear_score(m, &unk, 1, s0);
    for (int c = 0; c < 4; c++)
        assert_true(s0[c] == 0.0f);
    assert_int_equal(kg_linear_row(m, unk, row), 0);
    uint64_t ab = kg_feat(1, kg_feat_str("AB", 2));
    assert_int_equal(kg_linear_row(m, ab, row), 1);
    assert_true(row[3] > 0);
    kg_linear_free(m);

    /* Pruning: a row cap keeps the strongest rows only. */
    kg_linear_opts o = {0.0f, 2};
    m = kg_linear_compile(p, &o);
    assert_int_equal(kg_linear_rows(m), 2);
    kg_linear_free(m);
    o = (kg_linear_opts){1e9f, 0};
    m = kg_linear_compile(p, &o);
    assert_int_equal(kg_linear_rows(m), 0);
    float s1[4] = {0};
    kg_linear_score(m, f, ex_vec(0, f), s1);
    assert_true(s1[0] == 0.0f);
    kg_linear_free(m);
    kg_perc_free(p);
}

static void test_perceptron_lock(void **st)
{
    (void)st;
    kg_perc *p = kg_perc_new(2);
    uint64_t a = kg_feat(1, 1), b = kg_feat(1, 2);
    kg_perc_add(p, a);
    kg_perc_add(p, a);
    assert_int_equal(kg_perc_features(p), 1);
    kg_perc_lock(p, 1);
    uint64_t both[2] = {a, b};
    kg_perc_update(p, both, 2, 1, 1.0f);
    kg_perc_update(p, both, 2, 7, 1.0f); /* out of range: ignored */
    kg_perc_add(p, b);
    assert_int_equal(kg_perc_features(p), 1);
    float s[2] = {0};
    kg_perc_score(p, &b, 1, s);
    assert_true(s[1] == 0.0f);
    kg_perc_score(p, &a, 1, s);
    assert_true(s[1] == 1.0f);
    kg_perc_lock(p, 0);
    kg_perc_update(p, both, 2, 0, 1.0f);
    assert_int_equal(kg_perc_features(p), 2);
    /* Many features: the table grows and keeps them all. */
    for (uint64_t i = 0; i < 5000; i++)
        kg_perc_add(p, kg_feat(2, i));
    assert_int_equal(kg_perc_features(p), 5002);
    kg_perc_free(p);
}

/* ---- tag sets and Viterbi ------------------------------------------------------ */

static const char *const TYPES[] = {"PER", "ORG"};

static void test_tagset(void **st)
{
    (void)st;
    assert_null(kg_tagset_new(99, TYPES, 2));
    assert_null(kg_tagset_new(KG_TAGS_BIO, TYPES, 0));
    kg_tagset *t = kg_tagset_new(KG_TAGS_BIO, TYPES, 2);
    assert_int_equal(kg_tagset_size(t), 5);
    assert_int_equal(kg_tagset_ntypes(t), 2);
    assert_int_equal(kg_tagset_scheme(t), KG_TAGS_BIO);
    char nb[32];
    assert_string_equal(kg_tagset_tag_name(t, 0, nb, sizeof nb), "O");
    assert_string_equal(kg_tagset_tag_name(t, 1, nb, sizeof nb), "B-PER");
    assert_string_equal(kg_tagset_tag_name(t, 4, nb, sizeof nb), "I-ORG");
    assert_string_equal(kg_tagset_tag_name(t, 9, nb, sizeof nb), "?");
    assert_int_equal(kg_tagset_type_index(t, "ORG"), 1);
    assert_int_equal(kg_tagset_type_index(t, "LOC"), KG_TAG_NONE);
    assert_string_equal(kg_tagset_type_name(t, 1), "ORG");
    unsigned ip = kg_tagset_tag(t, 0, KG_POS_I), bo = kg_tagset_tag(t, 1, KG_POS_B);
    assert_int_equal(kg_tagset_tag(t, 0, KG_POS_U), KG_TAG_NONE);
    assert_false(kg_tagset_allowed(t, 5, ip)); /* start -> I-PER */
    assert_false(kg_tagset_allowed(t, 0, ip)); /* O -> I-PER */
    assert_false(kg_tagset_allowed(t, bo, ip));
    assert_true(kg_tagset_allowed(t, kg_tagset_tag(t, 0, KG_POS_B), ip));
    assert_true(kg_tagset_allowed(t, ip, 5)); /* I-PER -> end */
    kg_tspan sp[2] = {{0, 2, 0}, {3, 4, 1}};
    uint16_t tags[5];
    kg_tagset_encode(t, sp, 2, 5, tags);
    uint16_t want[5] = {1, 2, 0, 3, 0};
    assert_memory_equal(tags, want, sizeof want);
    kg_tspan back[4];
    assert_int_equal(kg_tagset_decode(t, tags, 5, back, 4), 2);
    assert_memory_equal(back, sp, sizeof sp);
    /* Lenient decoding: I- after O opens a span; a type change splits. */
    uint16_t odd[4] = {2, 4, 4, 0};
    assert_int_equal(kg_tagset_decode(t, odd, 4, back, 4), 2);
    assert_int_equal(back[1].start, 1);
    assert_int_equal(back[1].end, 3);
    assert_int_equal(kg_tagset_decode(t, odd, 4, back, 1), 2); /* count beyond cap */
    kg_tagset_free(t);

    t = kg_tagset_new(KG_TAGS_BILOU, TYPES, 2);
    assert_int_equal(kg_tagset_size(t), 9);
    kg_tspan sp3[3] = {{0, 1, 1}, {1, 4, 0}, {5, 7, 1}};
    uint16_t tg[8];
    kg_tagset_encode(t, sp3, 3, 8, tg);
    assert_string_equal(kg_tagset_tag_name(t, tg[0], nb, sizeof nb), "U-ORG");
    assert_string_equal(kg_tagset_tag_name(t, tg[1], nb, sizeof nb), "B-PER");
    assert_string_equal(kg_tagset_tag_name(t, tg[2], nb, sizeof nb), "I-PER");
    assert_string_equal(kg_tagset_tag_name(t, tg[3], nb, sizeof nb), "L-PER");
    assert_string_equal(kg_tagset_tag_name(t, tg[6], nb, sizeof nb), "L-ORG");
    assert_int_equal(kg_tagset_decode(t, tg, 8, back, 4), 3);
    assert_memory_equal(back, sp3, sizeof sp3);
    for (int i = 0; i + 1 < 8; i++)
        assert_true(kg_tagset_allowed(t, tg[i], tg[i + 1]));
    assert_false(kg_tagset_allowed(t, tg[1], 9)); /* B-PER -> end */
    assert_false(kg_tagset_allowed(t, tg[1], 0)); /* B-PER -> O */
    kg_tagset_free(t);

    t = kg_tagset_new(KG_TAGS_IO, TYPES, 2);
    assert_int_equal(kg_tagset_size(t), 3);
    kg_tagset_encode(t, sp, 2, 5, tags);
    assert_int_equal(tags[0], 1);
    assert_int_equal(kg_tagset_decode(t, tags, 5, back, 4), 2);
    kg_tagset_free(t);

    t = kg_tagset_new(KG_TAGS_PLAIN, TYPES, 2);
    assert_int_equal(kg_tagset_size(t), 2);
    assert_string_equal(kg_tagset_tag_name(t, 1, nb, sizeof nb), "ORG");
    assert_true(kg_tagset_allowed(t, 2, 0));
    assert_int_equal(kg_tagset_decode(t, tags, 5, back, 4), 0);
    kg_tagset_free(t);
}

/* Best legal path by trying them all (K^T paths). */
static float brute(const kg_tagset *t, size_t T, const float *emit, const float *trans)
{
    unsigned K = kg_tagset_size(t);
    size_t total = 1;
    for (size_t i = 0; i < T; i++)
        total *= K;
    float best = -INFINITY;
    for (size_t code = 0; code < total; code++) {
        unsigned y[8];
        size_t c = code;
        for (size_t i = 0; i < T; i++) {
            y[i] = (unsigned)(c % K);
            c /= K;
        }
        float s = 0;
        unsigned prev = K;
        int ok = 1;
        for (size_t i = 0; i < T && ok; i++) {
            ok = kg_tagset_allowed(t, prev, y[i]);
            s += emit[i * K + y[i]] + trans[(size_t)prev * K + y[i]];
            prev = y[i];
        }
        if (ok && kg_tagset_allowed(t, prev, K) && s > best)
            best = s;
    }
    return best;
}

static void test_viterbi(void **st)
{
    (void)st;
    kg_tagset *t = kg_tagset_new(KG_TAGS_BIO, TYPES, 2);
    const unsigned K = 5;
    kg_viterbi_ws ws = KG_VITERBI_WS_INIT;
    /* Emissions alone say I-PER, O, I-ORG, I-ORG: illegal in BIO. */
    float emit[4 * 5] = {0};
    emit[0 * K + 2] = 5;
    emit[0 * K + 1] = 4;
    emit[1 * K + 0] = 5;
    emit[2 * K + 4] = 5;
    emit[3 * K + 4] = 5;
    emit[2 * K + 3] = 1;
    uint16_t path[4];
    kg_viterbi(K, 4, emit, NULL, NULL, kg_tagset_allowed_matrix(t), path, &ws);
    assert_int_equal(path[0], 1); /* B-PER */
    assert_int_equal(path[1], 0);
    assert_int_equal(path[2], 3); /* B-ORG */
    assert_int_equal(path[3], 4);
    /* Without constraints the emissions win. */
    kg_viterbi(K, 4, emit, NULL, NULL, NULL, path, &ws);
    assert_int_equal(path[0], 2);
    assert_float_equal(kg_viterbi(K, 0, emit, NULL, NULL, NULL, path, &ws), 0.0, 1e-9);

    /* Random instances: the same score as brute force, every path legal. */
    kg_rng r;
    kg_rng_seed(&r, 3);
    float tr[6 * 5], em[6 * 5];
    for (int round = 0; round < 200; round++) {
        size_t T = 1 + (size_t)kg_rng_below(&r, 6);
        for (size_t i = 0; i < 6 * 5; i++) {
            tr[i] = (float)(kg_rng_unit(&r) * 4 - 2);
            em[i] = (float)(kg_rng_unit(&r) * 4 - 2);
        }
        uint16_t p[6];
        float s = kg_viterbi(K, T, em, tr, NULL, kg_tagset_allowed_matrix(t), p, &ws);
        assert_float_equal(s, brute(t, T, em, tr), 1e-4);
        unsigned prev = K;
        for (size_t i = 0; i < T; i++) {
            assert_true(kg_tagset_allowed(t, prev, p[i]));
            prev = p[i];
        }
    }
    /* A longer sequence grows the workspace. */
    float *big = calloc(500 * K, sizeof *big);
    uint16_t *bp = calloc(500, sizeof *bp);
    for (size_t i = 0; i < 500; i++)
        big[i * K + (i % 3 == 0 ? 1 : 2)] = 1;
    kg_viterbi(K, 500, big, NULL, NULL, kg_tagset_allowed_matrix(t), bp, &ws);
    assert_int_equal(bp[0], 1);
    assert_int_equal(bp[1], 2);
    /* No legal path at all (nothing may end a sentence): best unconstrained. */
    uint8_t none[36] = {0};
    kg_viterbi(K, 3, emit, NULL, NULL, none, path, &ws);
    assert_int_equal(path[0], 2);
    free(big);
    free(bp);
    kg_viterbi_ws_free(&ws);
    kg_tagset_free(t);
}

/* The textbook decoder, with back pointers, keeping the first predecessor
 * that reaches the best score: the paths kg_viterbi must give. */
static void textbook(unsigned K, size_t T, const float *emit, const float *trans,
                     const uint8_t *allowed, uint16_t *path)
{
    float d[8][16];
    uint16_t bk[8][16];
    const size_t W = K + 1;
    for (unsigned y = 0; y < K; y++)
        d[0][y] = allowed[K * W + y] ? emit[y] + trans[K * K + y] : -INFINITY;
    for (size_t t = 1; t < T; t++)
        for (unsigned y = 0; y < K; y++) {
            float best = -INFINITY;
            unsigned arg = 0;
            for (unsigned p = 0; p < K; p++)
                if (allowed[p * W + y] && d[t - 1][p] + trans[p * K + y] > best) {
                    best = d[t - 1][p] + trans[p * K + y];
                    arg = p;
                }
            d[t][y] = best + emit[t * K + y];
            bk[t][y] = (uint16_t)arg;
        }
    float best = -INFINITY;
    unsigned arg = 0;
    for (unsigned y = 0; y < K; y++)
        if (allowed[y * W + K] && d[T - 1][y] > best) {
            best = d[T - 1][y];
            arg = y;
        }
    path[T - 1] = (uint16_t)arg;
    for (size_t t = T - 1; t > 0; t--)
        path[t - 1] = bk[t][path[t]];
}

/* A plan built once decodes as kg_viterbi does, ties included (small whole
 * scores tie often), on BILOU's predecessor lists of five (the unrolled
 * maxima and their remainder); a plan is rebuilt for another size; a plan
 * whose constraints leave no path says so. */
static void test_viterbi_plan(void **st)
{
    (void)st;
    kg_tagset *t = kg_tagset_new(KG_TAGS_BILOU, TYPES, 2);
    const unsigned K = kg_tagset_size(t);
    assert_int_equal(K, 9);
    const uint8_t *al = kg_tagset_allowed_matrix(t);
    kg_viterbi_ws ws = KG_VITERBI_WS_INIT, ws2 = KG_VITERBI_WS_INIT;
    kg_viterbi_plan plan = {0};
    kg_rng r;
    kg_rng_seed(&r, 11);
    float tr[10 * 9], em[8 * 9];
    size_t differ = 0;
    for (int round = 0; round < 500; round++) {
        int whole = round % 2;
        for (size_t i = 0; i < 10 * 9; i++)
            tr[i] = whole ? (float)kg_rng_below(&r, 3) : (float)(kg_rng_unit(&r) * 4 - 2);
        for (size_t i = 0; i < 8 * 9; i++)
            em[i] = whole ? (float)kg_rng_below(&r, 3) : (float)(kg_rng_unit(&r) * 4 - 2);
        size_t T = 1 + (size_t)kg_rng_below(&r, 8);
        kg_viterbi_plan_init(&plan, K, tr, al);
        uint16_t a[8], b[8], c[8];
        float sa = kg_viterbi_planned(&plan, T, em, NULL, a, &ws);
        float sb = kg_viterbi(K, T, em, tr, NULL, al, b, &ws2);
        textbook(K, T, em, tr, al, c);
        assert_float_equal(sa, sb, 0);
        assert_memory_equal(a, b, T * sizeof *a);
        assert_memory_equal(a, c, T * sizeof *a);
        for (size_t i = 1; i < T; i++)
            differ += a[i] != a[0];
    }
    assert_true(differ > 100); /* not every path all O */
    /* Rebuilt for a bigger tag set (three types: K = 13). */
    kg_tagset *t3 = kg_tagset_new(KG_TAGS_BILOU, (const char *const[]){"A", "B", "C"}, 3);
    float tr3[14 * 13] = {0}, em3[2 * 13] = {0};
    em3[0 * 13 + 12] = 3; /* U-C, then O */
    kg_viterbi_plan_init(&plan, 13, tr3, kg_tagset_allowed_matrix(t3));
    uint16_t p3[2];
    assert_float_equal(kg_viterbi_planned(&plan, 2, em3, NULL, p3, &ws), 3, 0);
    assert_int_equal(p3[0], 12);
    assert_int_equal(p3[1], 0);
    /* Nothing may end a sentence: no path under this plan. */
    uint8_t none[14 * 14] = {0};
    kg_viterbi_plan_init(&plan, 13, tr3, none);
    assert_true(kg_viterbi_planned(&plan, 2, em3, NULL, p3, &ws) == -INFINITY);
    kg_viterbi_plan_free(&plan);
    kg_viterbi_ws_free(&ws);
    kg_viterbi_ws_free(&ws2);
    kg_tagset_free(t3);
    kg_tagset_free(t);
}

/* ---- the model container ----------------------------------------------------------- */

static kg_mfile_writer *sample_writer(void)
{
    kg_mfile_writer *w = kg_mfile_writer_new("test");
    kg_mfile_put_str(w, "meta.json", "{\"a\":1}");
    uint32_t nums[5] = {1, 2, 3, 4, 5};
    kg_mfile_put(w, "nums", nums, sizeof nums);
    kg_mfile_put(w, "empty", NULL, 0);
    return w;
}

static void expect_refused(const unsigned char *b, size_t n, const char *kind, const char *what)
{
    kg_mfile *m = (kg_mfile *)1;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(b, n, "bad.kgm", kind, &m, &e), KG_EFORMAT);
    assert_null(m);
    if (!strstr(e.msg, "bad.kgm") || !strstr(e.msg, what))
        fail_msg("error \"%s\" should name bad.kgm and say \"%s\"", e.msg, what);
}

static void test_mfile_roundtrip(void **st)
{
    (void)st;
    kg_mfile_writer *w = sample_writer();
    unsigned char *b;
    size_t n;
    kg_mfile_bytes(w, &b, &n);
    assert_int_equal(n % 16, 0);
    kg_mfile *m;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(b, n, "mem", "test", &m, &e), 0);
    assert_string_equal(kg_mfile_kind(m), "test");
    assert_string_equal(kg_mfile_name(m), "mem");
    assert_int_equal(kg_mfile_count(m), 3);
    size_t len;
    const char *js = kg_mfile_get(m, "meta.json", &len);
    assert_int_equal(len, 7);
    assert_memory_equal(js, "{\"a\":1}", 7);
    const void *p;
    size_t cnt;
    assert_int_equal(kg_mfile_need(m, "nums", 4, 5, &p, &cnt, &e), 0);
    assert_int_equal(cnt, 5);
    assert_int_equal(((const uint32_t *)p)[4], 5);
    assert_int_equal((uintptr_t)p % 16, (uintptr_t)b % 16);
    assert_int_equal(kg_mfile_need(m, "nums", 8, 1, &p, &cnt, &e), KG_EFORMAT);
    assert_non_null(strstr(e.msg, "'nums'"));
    assert_int_equal(kg_mfile_need(m, "nope", 4, 0, &p, &cnt, &e), KG_EFORMAT);
    assert_non_null(strstr(e.msg, "mem"));
    assert_non_null(strstr(e.msg, "'nope'"));
    assert_null(kg_mfile_get(m, "nope", NULL));
    assert_null(kg_mfile_section_name(m, 3));

    /* Rebuilding a writer from what was read gives the same bytes. */
    kg_mfile_writer *w2 = kg_mfile_writer_new(kg_mfile_kind(m));
    for (size_t i = 0; i < kg_mfile_count(m); i++) {
        const char *nm = kg_mfile_section_name(m, i);
        const void *d = kg_mfile_get(m, nm, &len);
        kg_mfile_put(w2, nm, d, len);
    }
    unsigned char *b2;
    size_t n2;
    kg_mfile_bytes(w2, &b2, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(b2, b, n);
    kg_mfile_close(m);

    /* Through a file: saved, mapped, the same bytes. */
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "m.kgm");
    assert_int_equal(kg_mfile_save(w, path, &e), 0);
    size_t fl;
    char *fb = tu_read(path, &fl);
    assert_int_equal(fl, n);
    assert_memory_equal(fb, b, n);
    free(fb);
    assert_int_equal(kg_mfile_open(path, NULL, &m, &e), 0);
    assert_int_equal(kg_mfile_count(m), 3);
    kg_mfile_close(m);
    char *missing = tu_join(dir, "none.kgm");
    assert_int_equal(kg_mfile_open(missing, "test", &m, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, missing));
    assert_int_equal(kg_mfile_open(dir, "test", &m, &e), KG_EIO);
    assert_non_null(strstr(e.msg, "not a regular file"));
    char *nodir = tu_join(dir, "no/such/dir/m.kgm");
    assert_int_equal(kg_mfile_save(w, nodir, &e), KG_EIO);
    assert_non_null(strstr(e.msg, nodir));
    char *empty = tu_join(dir, "empty.kgm");
    tu_write(empty, "", 0);
    assert_int_equal(kg_mfile_open(empty, "test", &m, &e), KG_EFORMAT);
    assert_non_null(strstr(e.msg, "empty.kgm"));
    tu_rmrf(dir);
    free(empty);
    free(nodir);
    free(missing);
    free(path);
    free(dir);
    free(b2);
    kg_mfile_writer_free(w2);
    free(b);
    kg_mfile_writer_free(w);
}

static void test_mfile_refused(void **st)
{
    (void)st;
    kg_mfile_writer *w = sample_writer();
    unsigned char *b;
    size_t n;
    kg_mfile_bytes(w, &b, &n);
    unsigned char *c = malloc(n);

    expect_refused(b, n, "ner", "holds a 'test' model, not a 'ner' model");
    expect_refused(b, n - 16, "test", "truncated");
    expect_refused(b, 20, "test", "truncated");
    expect_refused((const unsigned char *)"hello world", 11, "test", "not a kgas model");
    expect_refused(NULL, 0, "test", "not a kgas model");
    memcpy(c, b, n);
    c[n / 2] ^= 0x40;
    expect_refused(c, n, "test", "checksum");
    memcpy(c, b, n);
    c[6] = '\n'; /* CR LF became LF */
    expect_refused(c, n, "test", "mangled");
    memcpy(c, b, n);
    c[8] = 9; /* version 9 */
    expect_refused(c, n, "test", "format version 9");
    /* A bigger buffer than the header says. */
    unsigned char *d = calloc(n + 16, 1);
    memcpy(d, b, n);
    expect_refused(d, n + 16, "test", "where the header says");
    free(d);
    /* Lies that pass the checksum (it covers bytes 48..): too many sections. */
    memcpy(c, b, n);
    uint32_t many = 1000000;
    memcpy(c + 12, &many, 4);
    expect_refused(c, n, "test", "sections do not fit");
    free(c);
    free(b);
    kg_mfile_writer_free(w);

    /* Well-formed containers with broken tables: a section out of bounds or
     * named twice, rebuilt with a valid checksum. */
    w = kg_mfile_writer_new("test");
    kg_mfile_put_str(w, "a", "x");
    kg_mfile_put_str(w, "a", "y");
    kg_mfile_bytes(w, &b, &n);
    expect_refused(b, n, "test", "appears twice");
    free(b);
    kg_mfile_writer_free(w);
}

/* kg_linear_score_many: each set's features from[t] up to nf[t], added in
 * order, bit for bit what kg_linear_score gives for the same range; every
 * model compiled has an id of its own (a loaded one: test_linear_file). */
static void test_linear_many(void **st)
{
    (void)st;
    enum {
        K = 5,
        T = 150,
        S = 8
    };
    kg_perc *p = kg_perc_new(K);
    kg_rng r;
    kg_rng_seed(&r, 7);
    float scratch[K];
    uint64_t f[T * S];
    for (size_t i = 0; i < T * S; i++)
        f[i] = kg_feat(1 + (uint32_t)(i % 3), kg_rng_next(&r) % 40);
    for (int it = 0; it < 5; it++)
        for (size_t t = 0; t < T; t++)
            kg_perc_learn(p, f + t * S, S, (unsigned)(t % K), scratch);
    kg_linear *m = kg_linear_compile(p, NULL);
    kg_linear *m2 = kg_linear_compile(p, NULL);
    assert_true(kg_linear_id(m) != kg_linear_id(m2));
    uint8_t from[T], nf[T];
    for (size_t t = 0; t < T; t++) {
        nf[t] = (uint8_t)(t % (S + 1));
        from[t] = (uint8_t)(t % 4 < nf[t] ? t % 4 : nf[t]);
    }
    float got[T * K], want[T * K], all[T * K], one[T * K];
    memset(got, 0, sizeof got);
    memset(all, 0, sizeof all);
    memset(want, 0, sizeof want);
    memset(one, 0, sizeof one);
    kg_linear_score_many(m, f, S, from, nf, T, got);
    kg_linear_score_many(m, f, S, NULL, nf, T, all);
    int nonzero = 0;
    for (size_t t = 0; t < T; t++) {
        kg_linear_score(m, f + t * S + from[t], nf[t] - from[t], want + t * K);
        kg_linear_score(m, f + t * S, nf[t], one + t * K);
        for (unsigned c = 0; c < K; c++)
            nonzero += want[t * K + c] != 0;
    }
    assert_true(nonzero > T);
    assert_memory_equal(got, want, sizeof got);
    assert_memory_equal(all, one, sizeof all);
    /* No sets: nothing read, nothing written. */
    kg_linear_score_many(m, f, S, from, nf, 0, got);
    assert_memory_equal(got, want, sizeof got);
    kg_linear_free(m2);
    kg_linear_free(m);
    kg_perc_free(p);
}

static void test_linear_file(void **st)
{
    (void)st;
    kg_perc *p = kg_perc_new(3);
    uint64_t f[3] = {kg_feat(1, 1), kg_feat(1, 2), kg_feat(2, 3)};
    float scratch[3];
    for (int i = 0; i < 20; i++) {
        kg_perc_learn(p, f, 2, 1, scratch);
        kg_perc_learn(p, f + 1, 2, 2, scratch);
        kg_perc_learn(p, f + 2, 1, 0, scratch);
    }
    kg_linear *m = kg_linear_compile(p, NULL);
    kg_mfile_writer *w = kg_mfile_writer_new("lin");
    kg_linear_save(m, w, "w");
    unsigned char *b;
    size_t n;
    kg_mfile_bytes(w, &b, &n);
    kg_mfile *mf;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(b, n, "lin.kgm", "lin", &mf, &e), 0);
    kg_linear *l;
    assert_int_equal(kg_linear_load(mf, "w", &l, &e), 0);
    assert_true(kg_linear_id(l) != kg_linear_id(m)); /* the same weights, another model */
    float s1[3] = {0}, s2[3] = {0};
    kg_linear_score(m, f, 3, s1);
    kg_linear_score(l, f, 3, s2);
    assert_memory_equal(s1, s2, sizeof s1);
    assert_int_equal(kg_linear_rows(l), kg_linear_rows(m));
    /* Saved again from the loaded model: byte-identical. */
    kg_mfile_writer *w2 = kg_mfile_writer_new("lin");
    kg_linear_save(l, w2, "w");
    unsigned char *b2;
    size_t n2;
    kg_mfile_bytes(w2, &b2, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(b, b2, n);
    kg_linear_free(l);
    assert_int_equal(kg_linear_load(mf, "other", &l, &e), KG_EFORMAT);
    assert_null(l);
    assert_non_null(strstr(e.msg, "lin.kgm"));
    assert_non_null(strstr(e.msg, "other.meta"));
    kg_mfile_close(mf);
    free(b2);
    kg_mfile_writer_free(w2);
    free(b);
    kg_mfile_writer_free(w);

    /* Lying sections with a good checksum: refused, never used. */
    size_t ms;
    const void *meta0, *slots0, *rows0;
    w = kg_mfile_writer_new("lin");
    kg_linear_save(m, w, "w");
    kg_mfile_bytes(w, &b, &n);
    assert_int_equal(kg_mfile_open_mem(b, n, "lin.kgm", "lin", &mf, &e), 0);
    meta0 = kg_mfile_get(mf, "w.meta", &ms);
    size_t sl, rl;
    slots0 = kg_mfile_get(mf, "w.slots", &sl);
    rows0 = kg_mfile_get(mf, "w.rows", &rl);
    unsigned char meta[32];
    memcpy(meta, meta0, 32);
    uint32_t *slots = malloc(sl);
    memcpy(slots, slots0, sl);
    const struct {
        const char *what;
        int field;
        uint32_t value;
    } lies[] = {{"version", 0, 7}, {"corrupt header", 1, 0}, {"corrupt header", 2, 3}};
    for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
        unsigned char mm[32];
        memcpy(mm, meta, 32);
        memcpy(mm + 4 * lies[i].field, &lies[i].value, 4);
        kg_mfile_writer *bw = kg_mfile_writer_new("lin");
        kg_mfile_put(bw, "w.meta", mm, 32);
        kg_mfile_put(bw, "w.slots", slots0, sl);
        kg_mfile_put(bw, "w.rows", rows0, rl);
        unsigned char *bb;
        size_t bn;
        kg_mfile_bytes(bw, &bb, &bn);
        kg_mfile *bm;
        assert_int_equal(kg_mfile_open_mem(bb, bn, "lie.kgm", "lin", &bm, &e), 0);
        assert_int_equal(kg_linear_load(bm, "w", &l, &e), KG_EFORMAT);
        assert_non_null(strstr(e.msg, "lie.kgm"));
        assert_non_null(strstr(e.msg, lies[i].what));
        kg_mfile_close(bm);
        free(bb);
        kg_mfile_writer_free(bw);
    }
    /* A slot pointing past the rows; a table with no empty slot; rows cut. */
    for (int variant = 0; variant < 3; variant++) {
        uint32_t *s = malloc(sl);
        memcpy(s, slots, sl);
        size_t ns = sl / 8, cut = rl;
        if (variant == 0) {
            for (size_t i = 0; i < ns; i++)
                if (s[2 * i]) {
                    s[2 * i + 1] = 1000000;
                    break;
                }
        } else if (variant == 1) {
            for (size_t i = 0; i < ns; i++)
                if (!s[2 * i]) {
                    s[2 * i] = 77;
                    s[2 * i + 1] = 0;
                }
        } else {
            cut = rl - 4;
        }
        kg_mfile_writer *bw = kg_mfile_writer_new("lin");
        kg_mfile_put(bw, "w.meta", meta, 32);
        kg_mfile_put(bw, "w.slots", s, sl);
        kg_mfile_put(bw, "w.rows", rows0, cut);
        unsigned char *bb;
        size_t bn;
        kg_mfile_bytes(bw, &bb, &bn);
        kg_mfile *bm;
        assert_int_equal(kg_mfile_open_mem(bb, bn, "lie.kgm", "lin", &bm, &e), 0);
        assert_int_equal(kg_linear_load(bm, "w", &l, &e), KG_EFORMAT);
        assert_non_null(strstr(e.msg, "lie.kgm"));
        kg_mfile_close(bm);
        free(bb);
        kg_mfile_writer_free(bw);
        free(s);
    }
    free(slots);
    kg_mfile_close(mf);
    free(b);
    kg_mfile_writer_free(w);
    kg_linear_free(m);
    kg_perc_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng),
        cmocka_unit_test(test_perceptron_separable),
        cmocka_unit_test(test_perceptron_lock),
        cmocka_unit_test(test_tagset),
        cmocka_unit_test(test_viterbi),
        cmocka_unit_test(test_viterbi_plan),
        cmocka_unit_test(test_mfile_roundtrip),
        cmocka_unit_test(test_mfile_refused),
        cmocka_unit_test(test_linear_many),
        cmocka_unit_test(test_linear_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
