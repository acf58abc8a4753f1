/* Unit tests for search/vector_index and store/vindex_store: the choice of
 * exact or HNSW search, the stored index reused, extended when vectors are
 * appended (to the very index a fresh build gives), rebuilt when vectors
 * are replaced or deleted, when its blob is damaged or its parameters
 * changed; the in-process cache; a read-only handle still storing the index;
 * the settings. */
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

#include "config/config.h"
#include "search/vector_index.h"
#include "store/vector_store.h"
#include "store/sqlite/sq_backend.h"
#include "store/vindex_store.h"
#include "testutil.h"

#define DIM 16
#define MODEL "test-model"

static uint64_t rng = 99;
static double rnd01(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

/* A unit vector near one of 12 fixed directions. */
static void vec(size_t i, float *v)
{
    double s = 0;
    for (int d = 0; d < DIM; d++) {
        v[d] = (float)((d == (int)(i % 12) ? 2.0 : 0.0) + rnd01() - 0.5);
        s += (double)v[d] * v[d];
    }
    for (int d = 0; d < DIM; d++)
        v[d] = (float)(v[d] / sqrt(s));
}

static void put_range(kg_store *s, size_t from, size_t to)
{
    kg_err e;
    float v[DIM];
    assert_int_equal(kg_store_begin(s, &e), KG_OK);
    for (size_t i = from; i < to; i++) {
        char id[32];
        snprintf(id, sizeof id, "chunk_%06zu", (i * 7919) % 100000); /* ids not in rowid order */
        vec(i, v);
        assert_int_equal(kg_vec_put(s, id, MODEL, v, DIM, &e), KG_OK);
    }
    assert_int_equal(kg_store_commit(s, &e), KG_OK);
}

typedef struct fixture {
    char *dir, *db;
    kg_store *s;
} fixture;

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_join(f->dir, "v.db");
    kg_err e;
    assert_int_equal(kg_store_open(f->db, NULL, &f->s, &e), KG_OK);
    kg_vindex_cache_clear();
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    kg_store_close(f->s);
    kg_vindex_cache_clear();
    tu_rmrf(f->dir);
    free(f->db);
    free(f->dir);
    free(f);
    return 0;
}

static kg_vindex_opts hnsw_opts(void)
{
    kg_vindex_opts o;
    kg_vindex_opts_default(&o);
    o.mode = KG_VINDEX_HNSW;
    o.ef_construction = 40;
    return o;
}

/* Search for one fixed query near direction 3; returns the number of
 * results, their owners in *ids, and fills rep. */
static size_t search(kg_store *s, const kg_vindex_opts *o, size_t k, char ***ids,
                     kg_vindex_report *rep)
{
    float q[DIM], *sc;
    uint64_t keep = rng;
    rng = 12345; /* the same query every time */
    vec(3, q);
    rng = keep;
    size_t n;
    kg_err e;
    assert_int_equal(kg_vindex_search(s, MODEL, DIM, "fit", q, k, o, ids, &sc, &n, rep, &e), KG_OK);
    for (size_t i = 1; i < n; i++)
        assert_true(sc[i] <= sc[i - 1]);
    free(sc);
    return n;
}

static unsigned char *stored_blob(kg_store *s, size_t *len, int64_t *vectors)
{
    kg_vindex_row r;
    int found;
    kg_err e;
    assert_int_equal(kg_vindex_get(s, MODEL, &r, &found, &e), KG_OK);
    assert_int_equal(found, 1);
    assert_string_equal(r.kind, "hnsw");
    *len = r.len;
    *vectors = r.vectors;
    return r.data;
}

static void test_exact_and_hnsw_agree(void **st)
{
    fixture *f = *st;
    put_range(f->s, 0, 1500);
    kg_vindex_opts ex;
    kg_vindex_opts_default(&ex);
    ex.mode = KG_VINDEX_EXACT;
    kg_vindex_opts hn = hnsw_opts();
    char **a, **b;
    kg_vindex_report ra, rb;
    size_t na = search(f->s, &ex, 10, &a, &ra);
    size_t nb = search(f->s, &hn, 10, &b, &rb);
    assert_string_equal(ra.index, "exact");
    assert_string_equal(rb.index, "hnsw");
    assert_int_equal(rb.vectors, 1500);
    assert_true(rb.built && rb.stored && !rb.cached);
    assert_int_equal(rb.added, 1500);
    assert_int_equal(na, 10);
    assert_int_equal(nb, 10);
    size_t common = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            common += strcmp(a[i], b[j]) == 0;
    assert_true(common >= 9);
    kg_vec_ids_free(a, na);
    kg_vec_ids_free(b, nb);
    /* Again: the in-process cache. */
    nb = search(f->s, &hn, 10, &b, &rb);
    assert_true(rb.cached && !rb.built && !rb.stored);
    kg_vec_ids_free(b, nb);
    /* Again without the cache: the stored index, neither built nor stored. */
    kg_vindex_cache_clear();
    nb = search(f->s, &hn, 10, &b, &rb);
    assert_true(!rb.cached && !rb.built && !rb.extended && !rb.stored);
    kg_vec_ids_free(b, nb);
    /* auto: exact below the threshold, HNSW from it on. */
    kg_vindex_opts au;
    kg_vindex_opts_default(&au);
    assert_int_equal(au.mode, KG_VINDEX_AUTO);
    na = search(f->s, &au, 5, &a, &ra);
    assert_string_equal(ra.index, "exact");
    kg_vec_ids_free(a, na);
    au.min_vectors = 1500;
    au.ef_construction = 40;
    na = search(f->s, &au, 5, &a, &ra);
    assert_string_equal(ra.index, "hnsw");
    kg_vec_ids_free(a, na);
}

static void test_append_extends_to_a_fresh_build(void **st)
{
    fixture *f = *st;
    kg_vindex_opts o = hnsw_opts();
    kg_vindex_report r;
    kg_err e;
    put_range(f->s, 0, 800);
    assert_int_equal(kg_vindex_refresh(f->s, MODEL, DIM, &o, &r, &e), KG_OK);
    assert_true(r.built && r.stored);
    put_range(f->s, 800, 1300);
    kg_vindex_cache_clear();
    assert_int_equal(kg_vindex_refresh(f->s, MODEL, DIM, &o, &r, &e), KG_OK);
    assert_true(r.extended && !r.built && r.stored);
    assert_int_equal(r.added, 500);
    size_t l1, l2;
    int64_t v1, v2;
    unsigned char *b1 = stored_blob(f->s, &l1, &v1);
    assert_int_equal(v1, 1300);
    /* A build from nothing gives the same bytes.  (refresh looks the fit
     * up itself; this model has none, so search with the same "" fit.) */
    assert_int_equal(kg_vindex_delete(f->s, MODEL, &e), KG_OK);
    kg_vindex_cache_clear();
    assert_int_equal(kg_vindex_refresh(f->s, MODEL, DIM, &o, &r, &e), KG_OK);
    assert_true(r.built);
    unsigned char *b2 = stored_blob(f->s, &l2, &v2);
    assert_int_equal(l1, l2);
    assert_memory_equal(b1, b2, l1);
    free(b1);
    free(b2);
    /* Up to date: nothing to do. */
    kg_vindex_cache_clear();
    assert_int_equal(kg_vindex_refresh(f->s, MODEL, DIM, &o, &r, &e), KG_OK);
    assert_true(!r.built && !r.extended && !r.stored);
    /* exact mode: refresh does nothing. */
    kg_vindex_opts ex = o;
    ex.mode = KG_VINDEX_EXACT;
    assert_int_equal(kg_vindex_refresh(f->s, MODEL, DIM, &ex, &r, &e), KG_OK);
    assert_string_equal(r.index, "exact");
}

static void exec(kg_store *s, const char *sql)
{
    assert_int_equal(sqlite3_exec(kg_sqlite_handle(s), sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_changed_vectors_rebuild(void **st)
{
    fixture *f = *st;
    kg_vindex_opts o = hnsw_opts();
    kg_vindex_report r;
    kg_err e;
    char **ids;
    put_range(f->s, 0, 600);
    size_t n = search(f->s, &o, 5, &ids, &r);
    assert_true(r.built);
    kg_vec_ids_free(ids, n);
    /* A vector replaced (new rowid, same owner): stale, rebuilt. */
    float v[DIM];
    vec(5, v);
    assert_int_equal(kg_vec_put(f->s, "chunk_000000", MODEL, v, DIM, &e), KG_OK);
    n = search(f->s, &o, 5, &ids, &r);
    assert_true(r.built && !r.cached && !r.extended);
    kg_vec_ids_free(ids, n);
    /* A vector deleted: rebuilt, and the deleted owner is never returned. */
    exec(f->s, "DELETE FROM embeddings WHERE owner_id = 'chunk_007919'");
    n = search(f->s, &o, 600, &ids, &r);
    assert_true(r.built);
    assert_int_equal(r.vectors, 599);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(ids[i], "chunk_007919");
    kg_vec_ids_free(ids, n);
    /* Another IDF fit: another fingerprint. */
    kg_vindex_cache_clear();
    float q[DIM], *sc;
    vec(1, q);
    assert_int_equal(
        kg_vindex_search(f->s, MODEL, DIM, "other-fit", q, 3, &o, &ids, &sc, &n, &r, &e), KG_OK);
    assert_true(r.built);
    kg_vec_ids_free(ids, n);
    free(sc);
    /* Other parameters: rebuilt with them (first back to an up-to-date
     * index with the old ones). */
    n = search(f->s, &o, 5, &ids, &r);
    assert_true(r.built);
    kg_vec_ids_free(ids, n);
    kg_vindex_cache_clear();
    n = search(f->s, &o, 5, &ids, &r);
    assert_true(!r.built && !r.cached);
    kg_vec_ids_free(ids, n);
    kg_vindex_cache_clear();
    o.m = 8;
    n = search(f->s, &o, 5, &ids, &r);
    assert_true(r.built);
    kg_vec_ids_free(ids, n);
    /* A damaged blob: a warning, a rebuild, a correct answer. */
    kg_vindex_cache_clear();
    exec(f->s, "UPDATE vector_indexes SET data = substr(data, 1, 100)");
    n = search(f->s, &o, 5, &ids, &r);
    assert_true(r.built && r.stored);
    assert_int_equal(n, 5);
    kg_vec_ids_free(ids, n);
    /* A stored vector of the wrong size is an error. */
    kg_vindex_cache_clear();
    exec(f->s, "UPDATE embeddings SET vector = x'0000' WHERE owner_id = 'chunk_000000'");
    float *sc2;
    assert_int_equal(kg_vindex_search(f->s, MODEL, DIM, "fit", q, 3, &o, &ids, &sc2, &n, &r, &e),
                     KG_EFORMAT);
    o.mode = KG_VINDEX_EXACT;
    assert_int_equal(kg_vindex_search(f->s, MODEL, DIM, "fit", q, 3, &o, &ids, &sc2, &n, &r, &e),
                     KG_EFORMAT);
    assert_int_equal(
        kg_vindex_search(f->s, MODEL, DIM + 1, "fit", q, 3, &o, &ids, &sc2, &n, &r, &e),
        KG_EFORMAT);
}

static void test_read_only_handle_stores(void **st)
{
    fixture *f = *st;
    put_range(f->s, 0, 300);
    kg_store *ro;
    kg_err e;
    kg_store_opts so = {.flags = KG_STORE_READONLY};
    assert_int_equal(kg_store_open(f->db, &so, &ro, &e), KG_OK);
    kg_vindex_opts o = hnsw_opts();
    kg_vindex_report r;
    char **ids;
    size_t n = search(ro, &o, 4, &ids, &r);
    assert_int_equal(n, 4);
    assert_true(r.built && r.stored);
    kg_vec_ids_free(ids, n);
    kg_store_close(ro);
    size_t len;
    int64_t v;
    free(stored_blob(f->s, &len, &v));
    assert_int_equal(v, 300);
    /* No vectors at all: an empty answer, not an error. */
    exec(f->s, "DELETE FROM embeddings");
    kg_vindex_cache_clear();
    n = search(f->s, &o, 4, &ids, &r);
    assert_int_equal(n, 0);
    kg_vec_ids_free(ids, n);
}

static void test_settings(void **st)
{
    (void)st;
    kg_config *c = kg_config_new();
    kg_err e;
    kg_vindex_opts o;
    kg_vindex_opts_from_config(c, &o);
    /* Exact by default: HNSW trades recall for speed, an opt-in. */
    assert_int_equal(o.mode, KG_VINDEX_EXACT);
    assert_int_equal(o.min_vectors, 20000);
    assert_int_equal(o.m, 32);
    assert_int_equal(o.ef_construction, 200);
    assert_int_equal(o.ef_search, 256);
    assert_int_equal(kg_vindex_wants_hnsw(&o, 1000000), 0);
    assert_int_equal(kg_config_set(c, "vector.index", "auto", KG_SRC_CALL, "test", &e), KG_OK);
    kg_vindex_opts_from_config(c, &o);
    assert_int_equal(kg_vindex_wants_hnsw(&o, 19999), 0);
    assert_int_equal(kg_vindex_wants_hnsw(&o, 20000), 1);
    assert_int_equal(kg_config_set(c, "vector.index", "exact", KG_SRC_CALL, "test", &e), KG_OK);
    assert_int_equal(kg_config_set(c, "vector.hnsw_m", "24", KG_SRC_CALL, "test", &e), KG_OK);
    assert_int_equal(kg_config_set(c, "vector.hnsw_ef_search", "200", KG_SRC_CALL, "t", &e), KG_OK);
    assert_int_equal(kg_config_set(c, "vector.hnsw_m", "1", KG_SRC_CALL, "test", &e), KG_EINVAL);
    assert_int_equal(kg_config_set(c, "vector.index", "fast", KG_SRC_CALL, "test", &e), KG_EINVAL);
    kg_vindex_opts_from_config(c, &o);
    assert_int_equal(o.mode, KG_VINDEX_EXACT);
    assert_int_equal(o.m, 24);
    assert_int_equal(o.ef_search, 200);
    assert_int_equal(kg_vindex_wants_hnsw(&o, 1000000), 0);
    assert_int_equal(kg_config_set(c, "vector.index", "hnsw", KG_SRC_CALL, "test", &e), KG_OK);
    kg_vindex_opts_from_config(c, &o);
    assert_int_equal(kg_vindex_wants_hnsw(&o, 0), 1);
    kg_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exact_and_hnsw_agree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_extends_to_a_fresh_build, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_vectors_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_handle_stores, setup, teardown),
        cmocka_unit_test(test_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
