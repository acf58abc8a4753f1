/* Unit tests for ml/wclust: words that keep the same company get the same
 * class and words that do not get different ones; the same sentences give
 * the same bytes; the table read back answers as built; too little text
 * gives no classes (and says so by returning 0); damaged tables (bad
 * header, a class out of range, a fine class outside its coarse one, no
 * empty slot, a wrong word count) are refused with the file named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ml/mfile.h"
#include "ml/wclust.h"
#include "testutil.h"

enum {
    THE = 101,
    RAN,
    IN,
    TODAY
};
static const uint64_t ANIMALS[] = {11, 12, 13, 14}, CITIES[] = {21, 22, 23, 24};

/* "the X ran" three times for each animal, "in Y today" for each city. */
static kg_wclust_builder *sample(void)
{
    kg_wclust_builder *b = kg_wclust_builder_new();
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < 4; i++) {
            uint64_t s1[] = {THE, ANIMALS[i], RAN}, s2[] = {IN, CITIES[i], TODAY};
            kg_wclust_add(b, s1, 3);
            kg_wclust_add(b, s2, 3);
        }
    return b;
}

static kg_wclust_opts opts(void)
{
    kg_wclust_opts o;
    kg_wclust_defaults(&o);
    o.coarse = 6; /* the animals, the cities, and the four function words */
    o.fine = 2;
    return o;
}

/* Build into a model file in memory; *bytes owned by the caller. */
static size_t build(kg_wclust_builder *b, const kg_wclust_opts *o, unsigned char **bytes,
                    size_t *len)
{
    kg_mfile_writer *w = kg_mfile_writer_new("test");
    size_t n = kg_wclust_build(b, o, w, "classes");
    kg_mfile_bytes(w, bytes, len);
    kg_mfile_writer_free(w);
    return n;
}

static void test_company(void **st)
{
    (void)st;
    kg_wclust_builder *b = sample();
    assert_int_equal(kg_wclust_tokens(b), 72);
    kg_wclust_opts o = opts();
    unsigned char *bytes;
    size_t len;
    assert_int_equal(build(b, &o, &bytes, &len), 12);
    kg_mfile *mf;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(bytes, len, "m.kgm", "test", &mf, &e), KG_OK);
    kg_wclust c;
    assert_int_equal(kg_wclust_load(mf, "classes", &c, &e), KG_OK);
    assert_int_equal(c.words, 12);
    assert_int_equal(c.coarse, 6);
    uint32_t a = kg_wclust_get(&c, ANIMALS[0]), y = kg_wclust_get(&c, CITIES[0]);
    assert_true(a != 0 && y != 0);
    for (int i = 1; i < 4; i++) {
        assert_int_equal(kg_wclust_get(&c, ANIMALS[i]) >> 16, a >> 16);
        assert_int_equal(kg_wclust_get(&c, CITIES[i]) >> 16, y >> 16);
    }
    assert_true(a >> 16 != y >> 16);
    /* Each function word keeps different company from the others. */
    uint32_t fw[4] = {kg_wclust_get(&c, THE), kg_wclust_get(&c, RAN), kg_wclust_get(&c, IN),
                      kg_wclust_get(&c, TODAY)};
    for (int i = 0; i < 4; i++) {
        assert_true(fw[i] >> 16 != a >> 16 && fw[i] >> 16 != y >> 16);
        for (int j = 0; j < i; j++)
            assert_true(fw[i] >> 16 != fw[j] >> 16);
    }
    /* A fine class lies inside its coarse one. */
    assert_int_equal(((a & 0xffff) - 1) / o.fine, (a >> 16) - 1);
    assert_int_equal(kg_wclust_get(&c, 999), 0); /* never seen */
    kg_mfile_close(mf);

    /* The same sentences and options give the same bytes. */
    unsigned char *again;
    size_t len2;
    build(b, &o, &again, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(bytes, again, len);
    free(again);
    free(bytes);
    kg_wclust_builder_free(b);
}

static void test_too_little(void **st)
{
    (void)st;
    kg_wclust_builder *b = kg_wclust_builder_new();
    uint64_t s[] = {1, 2, 3};
    kg_wclust_add(b, s, 3); /* every word seen once: below min_count */
    kg_wclust_opts o = opts();
    unsigned char *bytes;
    size_t len;
    assert_int_equal(build(b, &o, &bytes, &len), 0);
    kg_mfile *mf;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(bytes, len, "m.kgm", "test", &mf, &e), KG_OK);
    assert_null(kg_mfile_get(mf, "classes", NULL));
    kg_wclust c;
    assert_int_equal(kg_wclust_load(mf, "classes", &c, &e), KG_OK);
    assert_null(c.keys);
    assert_int_equal(kg_wclust_get(&c, 1), 0);
    kg_mfile_close(mf);
    free(bytes);
    kg_wclust_builder_free(b);
}

/* A section of the given bytes in a well-formed file; load must refuse it. */
static void expect_bad(const unsigned char *sec, size_t n)
{
    kg_mfile_writer *w = kg_mfile_writer_new("test");
    kg_mfile_put(w, "classes", sec, n);
    unsigned char *bytes;
    size_t len;
    kg_mfile_bytes(w, &bytes, &len);
    kg_mfile_writer_free(w);
    kg_mfile *mf;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(bytes, len, "bad.kgm", "test", &mf, &e), KG_OK);
    kg_wclust c;
    assert_int_equal(kg_wclust_load(mf, "classes", &c, &e), KG_EFORMAT);
    assert_non_null(strstr(e.msg, "model file bad.kgm: corrupt word classes 'classes'"));
    assert_null(c.keys);
    kg_mfile_close(mf);
    free(bytes);
}

static void test_damaged(void **st)
{
    (void)st;
    kg_wclust_builder *b = sample();
    kg_wclust_opts o = opts();
    unsigned char *bytes;
    size_t len;
    build(b, &o, &bytes, &len);
    kg_mfile *mf;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(bytes, len, "m.kgm", "test", &mf, &e), KG_OK);
    size_t n;
    const unsigned char *good = kg_mfile_get(mf, "classes", &n);
    unsigned char *s = malloc(n);
    uint64_t cap;
    memcpy(&cap, good + 16, 8);
    uint64_t *keys = (uint64_t *)(void *)(s + 32);
    uint32_t *cls = (uint32_t *)(void *)(s + 32 + cap * 8);
    const uint64_t *good_keys = (const uint64_t *)(const void *)(good + 32);
    size_t used = 0; /* an occupied slot */
    while (!good_keys[used])
        used++;

    expect_bad(good, 20); /* short */
    memcpy(s, good, n);
    s[0] ^= 1; /* magic */
    expect_bad(s, n);
    memcpy(s, good, n);
    cap = 24; /* not a power of two */
    memcpy(s + 16, &cap, 8);
    expect_bad(s, n);
    memcpy(s, good, n);
    expect_bad(s, n - 4); /* size disagrees with the table */
    memcpy(&cap, good + 16, 8);
    memcpy(s, good, n);
    cls[used] = (7u << 16) | 13; /* coarse 7 of 6 */
    expect_bad(s, n);
    memcpy(s, good, n);
    cls[used] = (1u << 16) | 4; /* fine 4 is coarse 2's */
    expect_bad(s, n);
    memcpy(s, good, n);
    uint32_t words = 11; /* says 11, holds 12 */
    memcpy(s + 12, &words, 4);
    expect_bad(s, n);
    memcpy(s, good, n);
    for (size_t i = 0; i < cap; i++) /* full: a probe would not end */
        if (!keys[i]) {
            keys[i] = 1000 + i;
            cls[i] = (1u << 16) | 1;
        }
    expect_bad(s, n);
    free(s);
    kg_mfile_close(mf);
    free(bytes);
    kg_wclust_builder_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_company),
        cmocka_unit_test(test_too_little),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
