/* Unit tests for base/vec, base/idset and base/strlist: the shared containers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/idset.h"
#include "base/strlist.h"
#include "base/vec.h"

typedef struct pair {
    int a;
    double b;
} pair;

static void test_vec_push_grows_and_keeps_order(void **st)
{
    (void)st;
    KG_VEC(int) xs = {0};
    for (int i = 0; i < 10000; i++)
        kg_vec_push(&xs, i * 3);
    assert_int_equal(xs.n, 10000);
    assert_true(xs.cap >= xs.n);
    assert_int_equal(xs.cap & (xs.cap - 1), 0); /* doubling from 8: a power of two */
    for (int i = 0; i < 10000; i++)
        assert_int_equal(xs.v[i], i * 3);
    assert_int_equal(kg_vec_last(&xs), 9999 * 3);
    kg_vec_free(&xs);
    assert_null(xs.v);
    assert_int_equal(xs.n, 0);
    assert_int_equal(xs.cap, 0);
}

static void test_vec_push_zero_and_reserve(void **st)
{
    (void)st;
    KG_VEC(pair) ps = {0};
    kg_vec_reserve(&ps, 100);
    assert_true(ps.cap >= 100);
    size_t cap = ps.cap;
    pair *p = kg_vec_push_zero(&ps);
    assert_int_equal(p->a, 0);
    assert_true(p->b == 0.0);
    p->a = 7;
    for (int i = 0; i < 99; i++)
        kg_vec_push(&ps, ((pair){i, i / 2.0}));
    assert_int_equal(ps.cap, cap); /* reserved room: no regrowth */
    assert_int_equal(ps.v[0].a, 7);
    assert_int_equal(ps.v[99].a, 98);
    kg_vec_free(&ps);
}

static void test_vec_grow_to_need(void **st)
{
    (void)st;
    size_t cap = 0;
    char *p = kg_vec_grow(NULL, &cap, 1000, 1);
    assert_non_null(p);
    assert_int_equal(cap, 1024);
    memset(p, 'x', cap);
    p = kg_vec_grow(p, &cap, 1025, 1);
    assert_int_equal(cap, 2048);
    assert_int_equal(p[1023], 'x');
    free(p);
}

/* A pointer-and-count array: every element added through it stays, and
 * 20,000 elements are written without a write past the allocation (ASan). */
static void test_vec_grow_counted(void **st)
{
    (void)st;
    int *v = NULL;
    size_t n = 0;
    for (int i = 0; i < 20000; i++) {
        kg_vec_grow_counted((void **)&v, n, sizeof *v);
        v[n++] = i * 3;
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], (int)i * 3);
    free(v);
}

/* kg_vec_room: an array kept as a pointer, a count and a capacity of other
 * names (out parameters) grows only when full, and keeps its elements. */
static void test_vec_room_separate_fields(void **st)
{
    (void)st;
    double *v = NULL;
    size_t n = 0, cap = 0;
    size_t grew = 0;
    for (int i = 0; i < 1000; i++) {
        size_t before = cap;
        kg_vec_room(v, n, cap);
        grew += cap != before;
        v[n++] = i / 2.0;
    }
    assert_true(cap >= n);
    assert_int_equal(grew, 8); /* 8, 16, ..., 1024: one growth per doubling */
    for (int i = 0; i < 1000; i++)
        assert_true(v[i] == i / 2.0);
    size_t before = cap;
    n = 10;
    kg_vec_room(v, n, cap); /* room already there: no change */
    assert_int_equal(cap, before);
    free(v);
}

static void test_idset_dense_stable_indices(void **st)
{
    (void)st;
    kg_idset s = KG_IDSET_INIT;
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "ent_%016x", i * 7919);
        int added = 0;
        assert_int_equal(kg_idset_add(&s, key, &added), (size_t)i);
        assert_true(added);
    }
    assert_int_equal(s.n, 5000);
    for (int i = 4999; i >= 0; i--) {
        snprintf(key, sizeof key, "ent_%016x", i * 7919);
        int added = 1;
        assert_int_equal(kg_idset_add(&s, key, &added), (size_t)i);
        assert_false(added);
        assert_int_equal(kg_idset_find(&s, key), i);
        assert_string_equal(kg_idset_key(&s, (size_t)i), key);
    }
    assert_int_equal(kg_idset_find(&s, "ent_absent"), -1);
    assert_int_equal(kg_idset_find(&s, ""), -1);
    kg_idset_free(&s);
    assert_int_equal(s.n, 0);
    assert_int_equal(kg_idset_find(&s, "ent_x"), -1); /* a freed set is empty, usable */
}

static void test_idset_prefixes_are_distinct_keys(void **st)
{
    (void)st;
    kg_idset s = KG_IDSET_INIT;
    const char *text = "Keller Kellerman";
    assert_int_equal(kg_idset_addn(&s, text, 6, NULL), 0); /* "Keller" */
    assert_int_equal(kg_idset_add(&s, "Kellerman", NULL), 1);
    assert_int_equal(kg_idset_findn(&s, text + 7, 9), 1); /* "Kellerman" */
    assert_int_equal(kg_idset_findn(&s, text + 7, 6), 0); /* "Keller" again */
    assert_int_equal(kg_idset_findn(&s, "Kell", 4), -1);
    assert_int_equal(kg_idset_add(&s, "", NULL), 2); /* the empty key is a key */
    assert_int_equal(kg_idset_find(&s, ""), 2);
    kg_idset_free(&s);
}

/* Whole entries only, byte for byte: no prefix, no case folding; the empty
 * list holds nothing and the empty string only when listed. */
static void test_strlist_whole_entries(void **st)
{
    (void)st;
    static const char *const words[] = {"of", "the", "van der", "", NULL};
    static const char *const none[] = {NULL};
    assert_true(kg_strlist_has(words, "of"));
    assert_true(kg_strlist_has(words, "van der"));
    assert_true(kg_strlist_has(words, ""));
    assert_false(kg_strlist_has(words, "o"));
    assert_false(kg_strlist_has(words, "offer"));
    assert_false(kg_strlist_has(words, "The"));
    assert_false(kg_strlist_has(words, "van"));
    assert_false(kg_strlist_has(none, "of"));
    assert_false(kg_strlist_has(none, ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vec_push_grows_and_keeps_order),
        cmocka_unit_test(test_vec_push_zero_and_reserve),
        cmocka_unit_test(test_vec_grow_to_need),
        cmocka_unit_test(test_vec_grow_counted),
        cmocka_unit_test(test_vec_room_separate_fields),
        cmocka_unit_test(test_idset_dense_stable_indices),
        cmocka_unit_test(test_idset_prefixes_are_distinct_keys),
        cmocka_unit_test(test_strlist_whole_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
