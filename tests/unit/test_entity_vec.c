/* Unit tests for pipeline/entity_vec: the weighted, normalised mean of
 * hand-made vectors, and the refresh over a store built by hand (weights
 * by mention count, an entity whose chunks have no vector skipped,
 * mentions of ids not in the graph ignored, the fingerprint skipping an
 * unchanged refresh and catching a changed chunk vector). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/entity_vec.h"
#include "store/store.h"
#include "store/vector_store.h"
#include "testutil.h"

#define DIM 8
#define CHUNK_MODEL "local-tfidf-rp-v1-d8"

static void test_mean_weights_and_normalises(void **st)
{
    (void)st;
    float a[DIM] = {1, 0, 0, 0, 0, 0, 0, 0}, b[DIM] = {0, 2, 0, 0, 0, 0, 0, 0}, out[DIM];
    const float *vecs[2] = {a, b};
    int w[2] = {3, 1};
    assert_int_equal(kg_entity_vec_mean(vecs, w, 2, DIM, out), 1);
    /* 3a + b = (3, 2, 0...), over its norm sqrt(13). */
    assert_float_equal(out[0], 3.0 / sqrt(13.0), 1e-6);
    assert_float_equal(out[1], 2.0 / sqrt(13.0), 1e-6);
    double norm = 0;
    for (int i = 0; i < DIM; i++)
        norm += (double)out[i] * out[i];
    assert_float_equal(norm, 1.0, 1e-6);
    /* Nothing to average: no vectors, zero weights, or a zero sum. */
    assert_int_equal(kg_entity_vec_mean(vecs, w, 0, DIM, out), 0);
    assert_float_equal(out[0], 0.0, 0);
    int zero[2] = {0, 0};
    assert_int_equal(kg_entity_vec_mean(vecs, zero, 2, DIM, out), 0);
    float neg[DIM] = {-1, 0, 0, 0, 0, 0, 0, 0};
    const float *cancel[2] = {a, neg};
    int ones[2] = {1, 1};
    assert_int_equal(kg_entity_vec_mean(cancel, ones, 2, DIM, out), 0);
}

static void sql(kg_store *s, const char *q)
{
    char *msg = NULL;
    int rc = sqlite3_exec(kg_store_native(s), q, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
}

static void mention(kg_store *s, int n, const char *entity, const char *chunk)
{
    char q[512];
    snprintf(q, sizeof q,
             "INSERT INTO mentions VALUES ('m%d', '%s', 'doc_1', '%s', %d, %d, 'x', 'ORG', 1,"
             " 'rule')",
             n, entity, chunk, n, n + 1);
    sql(s, q);
}

static void expect_vec(kg_store *s, const char *owner, const float *want)
{
    float *got;
    int dim, found;
    kg_err e;
    assert_int_equal(kg_vec_get(s, owner, "entity:" CHUNK_MODEL, &got, &dim, &found, &e), KG_OK);
    assert_int_equal(found, 1);
    assert_int_equal(dim, DIM);
    for (int i = 0; i < DIM; i++)
        assert_float_equal(got[i], want[i], 1e-6);
    free(got);
}

static void test_refresh_over_a_store(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "e.db");
    kg_store *s;
    kg_err e;
    assert_int_equal(kg_store_open(db, NULL, &s, &e), KG_OK);
    /* Mentions refer to a document; these tests need none. */
    sql(s, "PRAGMA foreign_keys = OFF");
    sql(s, "INSERT INTO entities (id, name, key, type) VALUES ('ent_a', 'A', 'a', 'ORG'),"
           " ('ent_b', 'B', 'b', 'ORG'), ('ent_c', 'C', 'c', 'ORG')");
    /* ent_a: 3 mentions in chunk_1, 1 in chunk_2; ent_b: chunk_2; ent_c:
     * only chunk_3, which has no vector; ent_gone is not in the graph. */
    int k = 0;
    for (int i = 0; i < 3; i++)
        mention(s, k++, "ent_a", "chunk_1");
    mention(s, k++, "ent_a", "chunk_2");
    mention(s, k++, "ent_b", "chunk_2");
    mention(s, k++, "ent_c", "chunk_3");
    mention(s, k++, "ent_gone", "chunk_1");
    float c1[DIM] = {1, 0, 0, 0, 0, 0, 0, 0}, c2[DIM] = {0, 1, 0, 0, 0, 0, 0, 0};
    assert_int_equal(kg_vec_put(s, "chunk_1", CHUNK_MODEL, c1, DIM, &e), KG_OK);
    assert_int_equal(kg_vec_put(s, "chunk_2", CHUNK_MODEL, c2, DIM, &e), KG_OK);

    kg_entity_vec_report r;
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, &r, &e), KG_OK);
    assert_string_equal(r.model, "entity:" CHUNK_MODEL);
    assert_int_equal(r.recomputed, 1);
    assert_int_equal(r.entities, 2);
    assert_int_equal(r.skipped, 1);
    float want_a[DIM] = {(float)(3 / sqrt(10.0)), (float)(1 / sqrt(10.0)), 0, 0, 0, 0, 0, 0};
    expect_vec(s, "ent_a", want_a);
    expect_vec(s, "ent_b", c2);
    float *got;
    int dim, found;
    assert_int_equal(kg_vec_get(s, "ent_c", "entity:" CHUNK_MODEL, &got, &dim, &found, &e),
                     KG_OK);
    assert_int_equal(found, 0);
    assert_int_equal(kg_vec_get(s, "ent_gone", "entity:" CHUNK_MODEL, &got, &dim, &found, &e),
                     KG_OK);
    assert_int_equal(found, 0);
    /* The chunk model holds chunk vectors only. */
    int64_t n;
    assert_int_equal(kg_vec_count(s, CHUNK_MODEL, &n, &e), KG_OK);
    assert_int_equal(n, 2);

    /* Unchanged inputs: nothing recomputed, the count still reported. */
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 0);
    assert_int_equal(r.entities, 2);

    /* A changed chunk vector, then a new mention: recomputed each time. */
    float c2b[DIM] = {0, 0, 1, 0, 0, 0, 0, 0};
    assert_int_equal(kg_vec_put(s, "chunk_2", CHUNK_MODEL, c2b, DIM, &e), KG_OK);
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 1);
    expect_vec(s, "ent_b", c2b);
    mention(s, k++, "ent_b", "chunk_1");
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 1);
    float want_b[DIM] = {(float)(1 / sqrt(2.0)), 0, (float)(1 / sqrt(2.0)), 0, 0, 0, 0, 0};
    expect_vec(s, "ent_b", want_b);

    kg_store_close(s);
    tu_rmrf(dir);
    free(db);
    free(dir);
}

static void test_model_id(void **st)
{
    (void)st;
    char id[KG_ENTITY_MODEL_MAX];
    kg_err e;
    assert_int_equal(kg_entity_model_id("local-tfidf-rp-v1-d256", id, &e), KG_OK);
    assert_string_equal(id, "entity:local-tfidf-rp-v1-d256");
    char big[400];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(kg_entity_model_id(big, id, &e), KG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_weights_and_normalises),
        cmocka_unit_test(test_refresh_over_a_store),
        cmocka_unit_test(test_model_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
