/* Unit tests for vec/embed (determinism, similarity, the projection's
 * cosine preservation), vec/vsearch (heap top-k against a full sort, the
 * scan against naive dot products) and store/vector_store (round trips). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec/vsearch.h"
#include "vec/embed.h"
#include "store/store.h"
#include "store/vector_store.h"
#include "testutil.h"

static uint64_t rng_state = 0x1234567u;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static double rnd01(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

static double cosine(const float *a, const float *b, int dim)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < dim; i++) {
        ab += (double)a[i] * b[i];
        aa += (double)a[i] * a[i];
        bb += (double)b[i] * b[i];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 0;
}

static const char *CORPUS[] = {
    ("Keller proposed the Graph Echo Network. Each LSTM cell keeps a memory of the signals "
     "that reached it, a recurrent design."),
    "Professor Aiko Tanaka works at Kyoto University, which is located in Japan.",
    "The institute is a member of the European Network for reasoning research in Lisbon.",
    "Samuel Okafor is a researcher at the Lagos Institute of Technology in Nigeria.",
};

static void fit(kg_embedder *e)
{
    for (size_t i = 0; i < sizeof CORPUS / sizeof CORPUS[0]; i++)
        kg_embedder_add_doc(e, CORPUS[i]);
}

static void test_model_ids(void **st)
{
    (void)st;
    int dim = 0;
    kg_err e;
    assert_int_equal(kg_embed_parse_model(KG_EMBED_MODEL_DEFAULT, &dim, &e), KG_OK);
    assert_int_equal(dim, 256);
    assert_int_equal(kg_embed_parse_model("local-tfidf-rp-v1-d1024", &dim, &e), KG_OK);
    assert_int_equal(dim, 1024);
    assert_int_equal(kg_embed_parse_model("local-tfidf-rp-v1-d4", &dim, &e), KG_EINVAL);
    assert_int_equal(kg_embed_parse_model("local-tfidf-rp-v1-d256x", &dim, &e), KG_EINVAL);
    assert_int_equal(kg_embed_parse_model("text-embedding-3-small", &dim, &e), KG_EINVAL);
    assert_int_equal(kg_embed_parse_model("local-tfidf-rp-v1-d99999999999", &dim, &e), KG_EINVAL);
    char id[KG_EMBED_MODEL_MAX];
    kg_embed_model_id(256, id);
    assert_string_equal(id, KG_EMBED_MODEL_DEFAULT);
}

static void test_deterministic_bit_for_bit(void **st)
{
    (void)st;
    kg_embedder *a, *b;
    kg_err e;
    assert_int_equal(kg_embedder_new(256, &a, &e), KG_OK);
    assert_int_equal(kg_embedder_new(256, &b, &e), KG_OK);
    fit(a);
    fit(b);
    float va[256], vb[256], vc[256];
    kg_embed_text(a, CORPUS[0], va, NULL);
    kg_embed_text(b, CORPUS[0], vb, NULL);
    kg_embed_text(a, CORPUS[1], vc, NULL); /* scratch reuse must not leak into the next */
    kg_embed_text(a, CORPUS[0], vc, NULL);
    assert_memory_equal(va, vb, sizeof va);
    assert_memory_equal(va, vc, sizeof va);
    double n2 = 0;
    for (int i = 0; i < 256; i++)
        n2 += (double)va[i] * va[i];
    assert_true(fabs(n2 - 1.0) < 1e-5);
    /* A restored fit embeds identically. */
    kg_embedder *c;
    assert_int_equal(kg_embedder_new(256, &c, &e), KG_OK);
    kg_embedder_set_df(c, kg_embedder_docs(a), kg_embedder_df(a));
    kg_embed_text(c, CORPUS[0], vc, NULL);
    assert_memory_equal(va, vc, sizeof va);
    int empty = 0;
    kg_embed_text(c, "  ... !! ", vc, &empty);
    assert_int_equal(empty, 1);
    kg_embedder_free(a);
    kg_embedder_free(b);
    kg_embedder_free(c);
}

/* fuzz_cli found it (`kgas search --mode hybrid m 2` on an empty database):
 * a new embedder's first text without a word of two letters sorted a null
 * array, undefined behaviour that UBSan reports. */
static void test_first_text_without_words(void **st)
{
    (void)st;
    kg_embedder *a;
    kg_err e;
    assert_int_equal(kg_embedder_new(256, &a, &e), KG_OK);
    float v[256];
    int empty = 0;
    kg_embed_text(a, "m 2", v, &empty);
    assert_int_equal(empty, 1);
    for (int i = 0; i < 256; i++)
        assert_true(v[i] == 0.0f);
    kg_embedder_free(a);
    /* The same for a fit whose first document has no word: counted, no df. */
    assert_int_equal(kg_embedder_new(256, &a, &e), KG_OK);
    kg_embedder_add_doc(a, "- 1 -");
    assert_int_equal(kg_embedder_docs(a), 1);
    kg_embed_text(a, "recurrent memory", v, &empty);
    assert_int_equal(empty, 0);
    kg_embedder_free(a);
}

static void test_similar_closer_than_unrelated(void **st)
{
    (void)st;
    kg_embedder *e;
    kg_err err;
    assert_int_equal(kg_embedder_new(256, &e, &err), KG_OK);
    fit(e);
    float q[256], v[4][256];
    kg_embed_text(e, "recurrent memory cells", q, NULL);
    for (int i = 0; i < 4; i++)
        kg_embed_text(e, CORPUS[i], v[i], NULL);
    double c0 = cosine(q, v[0], 256);
    for (int i = 1; i < 4; i++)
        assert_true(c0 > cosine(q, v[i], 256) + 0.05);
    /* Morphology: "cells" and "cell" share a stem and 3-grams. */
    float a[256], b[256], c[256];
    kg_embed_text(e, "the researchers proposed networks", a, NULL);
    kg_embed_text(e, "a researcher proposes a network", b, NULL);
    kg_embed_text(e, "located in Japan at Kyoto", c, NULL);
    assert_true(cosine(a, b, 256) > cosine(a, c, 256) + 0.2);
    kg_embedder_free(e);
}

/* Random sparse vectors in the bucket space: the projection keeps their
 * cosines within a tolerance (Johnson-Lindenstrauss). */
static void test_projection_preserves_cosine(void **st)
{
    (void)st;
    enum {
        NNZ = 300,
        PAIRS = 60,
        DIM = 1024
    };
    uint32_t bx[NNZ], by[NNZ];
    float wx[NNZ], wy[NNZ];
    static float px[DIM], py[DIM];
    double sum_err = 0, max_err = 0;
    for (int p = 0; p < PAIRS; p++) {
        /* y shares a random fraction of x's support, with perturbed weights. */
        double share = rnd01();
        for (int i = 0; i < NNZ; i++) {
            bx[i] = (uint32_t)(rnd() % KG_EMBED_BUCKETS);
            wx[i] = (float)(rnd01() * 2 - 1);
        }
        for (int i = 0; i < NNZ; i++) {
            int same = rnd01() < share;
            by[i] = same ? bx[i] : (uint32_t)(rnd() % KG_EMBED_BUCKETS);
            wy[i] = same ? wx[i] + (float)(rnd01() * 0.5 - 0.25) : (float)(rnd01() * 2 - 1);
        }
        /* Exact cosine in the sparse space (buckets may repeat). */
        double *dx = calloc(KG_EMBED_BUCKETS, sizeof *dx),
               *dy = calloc(KG_EMBED_BUCKETS, sizeof *dy);
        assert_non_null(dx);
        assert_non_null(dy);
        for (int i = 0; i < NNZ; i++) {
            dx[bx[i]] += wx[i];
            dy[by[i]] += wy[i];
        }
        double ab = 0, aa = 0, bb = 0;
        for (uint32_t i = 0; i < KG_EMBED_BUCKETS; i++) {
            ab += dx[i] * dy[i];
            aa += dx[i] * dx[i];
            bb += dy[i] * dy[i];
        }
        free(dx);
        free(dy);
        double exact = ab / sqrt(aa * bb);
        kg_embed_project(bx, wx, NNZ, DIM, px);
        kg_embed_project(by, wy, NNZ, DIM, py);
        double err = fabs(cosine(px, py, DIM) - exact);
        sum_err += err;
        if (err > max_err)
            max_err = err;
    }
    /* 1/sqrt(1024) ~ 0.031 is the scale of one estimate's error. */
    assert_true(sum_err / PAIRS < 0.05);
    assert_true(max_err < 0.15);
}

static int cmp_hits(const void *a, const void *b)
{
    return kg_vhit_before(a, b) ? -1 : kg_vhit_before(b, a) ? 1 : 0;
}

static void test_topk_equals_full_sort(void **st)
{
    (void)st;
    enum {
        N = 2000
    };
    static kg_vhit all[N], got[N + 10];
    size_t ks[] = {0, 1, 7, 64, 1999, 2000, 2010};
    for (int round = 0; round < 3; round++) {
        kg_topk t;
        for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
            kg_topk_init(&t, ks[ki]);
            for (size_t i = 0; i < N; i++) {
                /* Coarse scores in round 0 force many ties. */
                float sc = round == 0 ? (float)(rnd() % 17) : (float)(rnd01() * 2 - 1);
                all[i] = (kg_vhit){i, sc};
                kg_topk_push(&t, i, sc);
            }
            size_t n;
            const kg_vhit *h = kg_topk_sorted(&t, &n);
            qsort(all, N, sizeof *all, cmp_hits);
            size_t want = ks[ki] < N ? ks[ki] : N;
            assert_int_equal(n, want);
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(h[i].index, all[i].index);
                assert_true(h[i].score == all[i].score);
            }
            kg_topk_free(&t);
        }
    }
    /* kg_vsearch over a matrix agrees with naive dot products + sort. */
    enum {
        ROWS = 3000,
        D = 37
    };
    float *m = malloc(sizeof(float) * ROWS * D), q[D];
    assert_non_null(m);
    for (size_t i = 0; i < (size_t)ROWS * D; i++)
        m[i] = (float)(rnd01() - 0.5);
    for (int d = 0; d < D; d++)
        q[d] = (float)(rnd01() - 0.5);
    static float scores[ROWS];
    kg_vscan(m, ROWS, D, q, scores);
    static kg_vhit ref[ROWS];
    for (size_t i = 0; i < ROWS; i++) {
        double dot = 0;
        for (int d = 0; d < D; d++)
            dot += (double)m[i * D + d] * q[d];
        assert_true(fabs(dot - scores[i]) < 1e-4);
        ref[i] = (kg_vhit){i, scores[i]};
    }
    qsort(ref, ROWS, sizeof *ref, cmp_hits);
    size_t n = kg_vsearch(m, ROWS, D, q, 25, got);
    assert_int_equal(n, 25);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i].index, ref[i].index);
    free(m);
}

static void test_vector_store_round_trip(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "v.db");
    kg_store *s;
    kg_err e;
    assert_int_equal(kg_store_open(db, NULL, &s, &e), KG_OK);
    float v[5] = {1.5f, -0.0f, 3.25e-7f, -2.0f, 1e30f}, w[3] = {0.5f, 0.25f, 0.125f};
    assert_int_equal(kg_vec_put(s, "chunk_a", "m1", v, 5, &e), KG_OK);
    assert_int_equal(kg_vec_put(s, "chunk_b", "m1", w, 3, &e), KG_OK);
    assert_int_equal(kg_vec_put(s, "chunk_a", "m2", w, 3, &e), KG_OK);
    assert_int_equal(kg_vec_put(s, "chunk_a", "m1", v, 5, &e), KG_OK); /* replace */
    float *got;
    int dim, found;
    assert_int_equal(kg_vec_get(s, "chunk_a", "m1", &got, &dim, &found, &e), KG_OK);
    assert_int_equal(found, 1);
    assert_int_equal(dim, 5);
    assert_memory_equal(got, v, sizeof v);
    free(got);
    assert_int_equal(kg_vec_get(s, "chunk_z", "m1", &got, &dim, &found, &e), KG_OK);
    assert_int_equal(found, 0);
    assert_null(got);
    int64_t cnt;
    assert_int_equal(kg_vec_count(s, "m1", &cnt, &e), KG_OK);
    assert_int_equal(cnt, 2);
    assert_int_equal(kg_vec_delete_model(s, "m1", &e), KG_OK);
    assert_int_equal(kg_vec_count(s, "m1", &cnt, &e), KG_OK);
    assert_int_equal(cnt, 0);
    assert_int_equal(kg_vec_count(s, "m2", &cnt, &e), KG_OK);
    assert_int_equal(cnt, 1);
    /* Fits. */
    uint32_t df[8] = {0, 1, 2, 3, 4, 5, 6, 0xffffffffu}, *df2, docs;
    char hash[65];
    assert_int_equal(kg_vec_fit_get(s, "m1", 8, &docs, hash, &df2, &found, &e), KG_OK);
    assert_int_equal(found, 0);
    assert_int_equal(kg_vec_fit_put(s, "m1", 7, "abc", df, 8, &e), KG_OK);
    assert_int_equal(kg_vec_fit_get(s, "m1", 8, &docs, hash, &df2, &found, &e), KG_OK);
    assert_int_equal(found, 1);
    assert_int_equal(docs, 7);
    assert_string_equal(hash, "abc");
    assert_memory_equal(df, df2, sizeof df);
    free(df2);
    assert_int_equal(kg_vec_fit_get(s, "m1", 9, &docs, hash, &df2, &found, &e), KG_EFORMAT);
    kg_store_close(s);
    tu_rmrf(dir);
    free(db);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_ids),
        cmocka_unit_test(test_deterministic_bit_for_bit),
        cmocka_unit_test(test_first_text_without_words),
        cmocka_unit_test(test_similar_closer_than_unrelated),
        cmocka_unit_test(test_projection_preserves_cosine),
        cmocka_unit_test(test_topk_equals_full_sort),
        cmocka_unit_test(test_vector_store_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
