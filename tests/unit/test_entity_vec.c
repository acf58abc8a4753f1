/* Unit tests for search/entity_vec: the context window around a mention
 * (words each side, clipped to the chunk, clamped spans), and the refresh
 * over a store built by hand: one chunk whose entities get different
 * vectors from their different surroundings, each the normalised sum of
 * its windows' embeddings under the stored IDF fit; entities without
 * context or gone from the graph skipped; mentions merged into an entity
 * counted as its own; the fingerprint skipping an unchanged refresh and
 * catching a changed window, chunk text or fit; the v1 ("entity:")
 * vectors removed; context vectors on demand, with and without a fit. */
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

#include "vec/embed.h"
#include "search/entity_vec.h"
#include "store/store.h"
#include "store/sqlite/sq_backend.h"
#include "store/vector_store.h"
#include "testutil.h"

#define DIM 64
#define CHUNK_MODEL "local-tfidf-rp-v1-d64"
#define ENTITY_MODEL "entity-v2:" CHUNK_MODEL

static void window_is(const char *text, const char *mention, int words, const char *want)
{
    const char *m = strstr(text, mention);
    assert_non_null(m);
    size_t a, b;
    kg_entity_window(text, strlen(text), m - text, (m - text) + (int64_t)strlen(mention), words, &a,
                     &b);
    char got[256];
    snprintf(got, sizeof got, "%.*s", (int)(b - a), text + a);
    assert_string_equal(got, want);
}

static void test_window(void **st)
{
    (void)st;
    const char *t = "one two  three Alpha Beta four,\nfive six";
    window_is(t, "Alpha Beta", 2, "two  three Alpha Beta four,\nfive");
    window_is(t, "Alpha Beta", 0, "Alpha Beta");
    window_is(t, "Alpha Beta", 100, t);
    /* A mention inside a word takes the whole word. */
    window_is(t, "lph", 0, "Alpha");
    window_is(t, "one", 1, "one two");
    window_is(t, "six", 1, "five six");
    size_t a, b;
    kg_entity_window(t, strlen(t), -5, 1000, 1, &a, &b);
    assert_int_equal(a, 0);
    assert_int_equal(b, strlen(t));
    kg_entity_window(t, strlen(t), 20, 10, 0, &a, &b); /* reversed: empty span at 20 */
    assert_true(a <= 20 && b >= 20);
    kg_entity_window("", 0, 0, 0, 3, &a, &b);
    assert_int_equal(a, 0);
    assert_int_equal(b, 0);
}

static void sql(kg_store *s, const char *q)
{
    char *msg = NULL;
    int rc = sqlite3_exec(kg_sqlite_handle(s), q, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
}

static const char *const CHUNK1 =
    "The striker Alvaro Reis scored twice for the football club on Saturday night. "
    "Meanwhile the chemist Beatriz Lopes synthesised a new polymer catalyst in her laboratory.";

static void chunk(kg_store *s, const char *id, int64_t base, const char *text)
{
    char *q = sqlite3_mprintf("INSERT OR REPLACE INTO chunks (id, document_id, ordinal, "
                              "page_start, page_end, char_start, char_end, tokens, text) VALUES "
                              "(%Q, 'doc_1', 0, 1, 1, %lld, %lld, 10, %Q)",
                              id, (long long)base, (long long)(base + (int64_t)strlen(text)), text);
    sql(s, q);
    sqlite3_free(q);
}

/* A mention of `surface` (its first occurrence) in a chunk at `base`. */
static void mention(kg_store *s, const char *entity, const char *chunk_id, int64_t base,
                    const char *text, const char *surface)
{
    static int n;
    const char *m = strstr(text, surface);
    assert_non_null(m);
    int64_t start = base + (m - text);
    char *q = sqlite3_mprintf("INSERT INTO mentions VALUES ('m%d', %Q, 'doc_1', %Q, %lld, %lld,"
                              " %Q, 'PERSON', 1, 'rule')",
                              n++, entity, chunk_id, (long long)start,
                              (long long)(start + (int64_t)strlen(surface)), surface);
    sql(s, q);
    sqlite3_free(q);
}

static float *get(kg_store *s, const char *owner, const char *model)
{
    float *v = NULL;
    int dim, found;
    kg_err e;
    assert_int_equal(kg_vec_get(s, owner, model, &v, &dim, &found, &e), KG_OK);
    if (!found)
        return NULL;
    assert_int_equal(dim, DIM);
    return v;
}

static double dot(const float *a, const float *b)
{
    double d = 0;
    for (int i = 0; i < DIM; i++)
        d += (double)a[i] * b[i];
    return d;
}

/* The embedding of text under an IDF fit of 0 documents (IDF 1). */
static void embed(const char *text, float *out)
{
    kg_embedder *em;
    kg_err e;
    assert_int_equal(kg_embedder_new(DIM, &em, &e), KG_OK);
    int empty;
    kg_embed_text(em, text, out, &empty);
    assert_int_equal(empty, 0);
    kg_embedder_free(em);
}

static void put_fit(kg_store *s, const char *hash)
{
    uint32_t *df = calloc(KG_EMBED_BUCKETS, sizeof *df);
    kg_err e;
    assert_int_equal(kg_vec_fit_put(s, CHUNK_MODEL, 0, hash, df, KG_EMBED_BUCKETS, &e), KG_OK);
    free(df);
}

static kg_store *open_store(char **dir)
{
    *dir = tu_tmpdir();
    char *db = tu_join(*dir, "e.db");
    kg_store *s;
    kg_err e;
    assert_int_equal(kg_store_open(db, NULL, &s, &e), KG_OK);
    free(db);
    /* Mentions and chunks refer to a document; these tests need none. */
    sql(s, "PRAGMA foreign_keys = OFF");
    sql(s, "INSERT INTO entities (id, name, key, type) VALUES ('ent_a', 'Alvaro Reis', 'a',"
           " 'PERSON'), ('ent_b', 'Beatriz Lopes', 'b', 'PERSON'), ('ent_c', 'C', 'c', 'ORG')");
    chunk(s, "chunk_1", 1000, CHUNK1);
    mention(s, "ent_a", "chunk_1", 1000, CHUNK1, "Alvaro Reis");
    mention(s, "ent_b", "chunk_1", 1000, CHUNK1, "Beatriz Lopes");
    /* ent_c: only a chunk that does not exist; ent_gone is not in the graph. */
    mention(s, "ent_c", "chunk_missing", 0, "x", "x");
    mention(s, "ent_gone", "chunk_1", 1000, CHUNK1, "striker");
    return s;
}

static void test_refresh_over_a_store(void **st)
{
    (void)st;
    char *dir;
    kg_store *s = open_store(&dir);
    kg_err e;
    kg_entity_vec_report r;
    /* No IDF fit yet (no `kgas embed`): nothing to write. */
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 3, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 0);
    assert_int_equal(r.entities, 0);
    put_fit(s, "fit1");
    float old[DIM] = {1};
    assert_int_equal(kg_vec_put(s, "ent_a", "entity:" CHUNK_MODEL, old, DIM, &e), KG_OK);

    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 3, &r, &e), KG_OK);
    assert_string_equal(r.model, ENTITY_MODEL);
    assert_int_equal(r.window, 3);
    assert_int_equal(r.recomputed, 1);
    assert_int_equal(r.entities, 2);
    assert_int_equal(r.skipped, 1);
    float *a = get(s, "ent_a", ENTITY_MODEL), *b = get(s, "ent_b", ENTITY_MODEL);
    assert_non_null(a);
    assert_non_null(b);
    /* One chunk, different surroundings: different vectors. */
    assert_true(dot(a, b) < 0.5);
    float want[DIM];
    embed("The striker Alvaro Reis scored twice for", want);
    assert_true(dot(a, want) > 0.9999);
    assert_null(get(s, "ent_c", ENTITY_MODEL));
    assert_null(get(s, "ent_gone", ENTITY_MODEL));
    assert_null(get(s, "ent_a", "entity:" CHUNK_MODEL)); /* v1 gone */
    free(b);

    /* Unchanged inputs: nothing recomputed, the count still reported. */
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 3, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 0);
    assert_int_equal(r.entities, 2);
    /* Another window, another fit, another text: recomputed each time. */
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 4, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 1);
    put_fit(s, "fit2");
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 4, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 1);
    const char *t2 = "The goalkeeper Alvaro Reis saved a penalty for the football club on Sunday.";
    chunk(s, "chunk_1", 1000, t2);
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 4, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 1);
    float *a2 = get(s, "ent_a", ENTITY_MODEL);
    assert_true(dot(a, a2) < 0.99);
    free(a2);

    /* A mention of an id fusion merged into ent_b counts as ent_b's. */
    float *b1 = get(s, "ent_b", ENTITY_MODEL);
    const char *t3 = "Beatriz Lopes and B. Lopes wrote on catalysis chemistry.";
    chunk(s, "chunk_2", 5000, t3);
    mention(s, "ent_bx", "chunk_2", 5000, t3, "B. Lopes");
    sql(s, "INSERT INTO entity_merge_map VALUES ('ent_bx', 'ent_b')");
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 4, &r, &e), KG_OK);
    assert_int_equal(r.recomputed, 1);
    assert_int_equal(r.entities, 2);
    float *b2 = get(s, "ent_b", ENTITY_MODEL);
    assert_true(dot(b1, b2) < 0.99);
    assert_null(get(s, "ent_bx", ENTITY_MODEL));
    free(b1);
    free(b2);
    free(a);
    kg_store_close(s);
    tu_rmrf(dir);
    free(dir);
}

static void test_context_vectors(void **st)
{
    (void)st;
    char *dir;
    kg_store *s = open_store(&dir);
    kg_err e;
    const char *ids[] = {"ent_a", "ent_b", "ent_c"};
    float *v;
    int has[3], dim;
    kg_entity_ctx_report r;
    /* Before any fit: IDF from the windows themselves. */
    assert_int_equal(kg_entity_context_vectors(s, ids, 3, CHUNK_MODEL, 3, 0, &v, has, &dim, &r, &e),
                     KG_OK);
    assert_int_equal(dim, DIM);
    assert_int_equal(has[0], 1);
    assert_int_equal(has[1], 1);
    assert_int_equal(has[2], 0);
    assert_int_equal(r.stored_fit, 0);
    assert_int_equal(r.windows, 3);
    assert_int_equal(r.fit_docs, 3);
    assert_int_equal(r.with_vector, 2);
    assert_true(dot(v, v + DIM) < 0.5);
    free(v);
    /* With the stored fit: the same vectors as the refresh writes. */
    put_fit(s, "fit1");
    assert_int_equal(kg_entity_context_vectors(s, ids, 2, CHUNK_MODEL, 3, 0, &v, has, &dim, &r, &e),
                     KG_OK);
    assert_int_equal(r.stored_fit, 1);
    kg_entity_vec_report rr;
    assert_int_equal(kg_entity_vectors_refresh(s, CHUNK_MODEL, 3, &rr, &e), KG_OK);
    float *a = get(s, "ent_a", ENTITY_MODEL);
    assert_true(dot(a, v) > 0.9999);
    free(a);
    free(v);
    /* Not a local model: refused. */
    assert_int_equal(kg_entity_context_vectors(s, ids, 2, "api", 3, 0, &v, has, &dim, &r, &e),
                     KG_EINVAL);
    kg_store_close(s);
    tu_rmrf(dir);
    free(dir);
}

static void test_model_id(void **st)
{
    (void)st;
    char id[KG_ENTITY_MODEL_MAX];
    kg_err e;
    assert_int_equal(kg_entity_model_id("local-tfidf-rp-v1-d256", id, &e), KG_OK);
    assert_string_equal(id, "entity-v2:local-tfidf-rp-v1-d256");
    char big[400];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(kg_entity_model_id(big, id, &e), KG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_refresh_over_a_store),
        cmocka_unit_test(test_context_vectors),
        cmocka_unit_test(test_model_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
