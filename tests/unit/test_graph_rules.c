/* Unit tests for graph/graph_rules: method factors, the edge accumulator
 * (weight, noisy-or confidence capped at 0.99, the most trusted method),
 * the relationship id, and the entity accumulator (first row's name,
 * summed mentions, highest confidence, aliases in first-seen order without
 * the canonical name). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "graph/graph_rules.h"
#include "testutil.h"

static void test_method_factors(void **st)
{
    (void)st;
    assert_true(kg_method_factor("pattern") == 1.0);
    assert_true(kg_method_factor("llm") == 0.9);
    assert_true(kg_method_factor("apposition") == 0.8);
    assert_true(kg_method_factor("verb") == 0.7);
    assert_true(kg_method_factor("cooccur") == 0.3);
    assert_true(kg_method_factor("something else") == 0.7);
    assert_true(kg_method_factor(NULL) == 0.7);
}

static void test_edge_acc(void **st)
{
    (void)st;
    kg_edge_acc a;
    kg_edge_acc_init(&a);
    assert_int_equal(a.support, 0);
    assert_true(kg_edge_acc_confidence(&a) == 0.0);
    kg_edge_acc_add(&a, 0.5, "cooccur");
    kg_edge_acc_add(&a, 0.6, "pattern");
    kg_edge_acc_add(&a, 0.4, "verb");
    assert_int_equal(a.support, 3);
    assert_true(fabs(a.weight - (0.5 * 0.3 + 0.6 * 1.0 + 0.4 * 0.7)) < 1e-12);
    assert_true(fabs(kg_edge_acc_confidence(&a) - (1 - 0.5 * 0.4 * 0.6)) < 1e-12);
    assert_string_equal(a.method, "pattern");
    /* However much evidence, never certain. */
    for (int i = 0; i < 20; i++)
        kg_edge_acc_add(&a, 0.9, "llm");
    assert_true(kg_edge_acc_confidence(&a) == 0.99);
    assert_string_equal(a.method, "pattern");
}

static void test_rel_id(void **st)
{
    (void)st;
    kg_hash_init();
    char a[KG_ID_MAX], b[KG_ID_MAX], c[KG_ID_MAX], want[KG_ID_MAX];
    kg_rel_make_id(a, "ent_1", "USES", "ent_2");
    kg_rel_make_id(b, "ent_1", "USES", "ent_2");
    kg_rel_make_id(c, "ent_2", "USES", "ent_1");
    const char *parts[] = {"ent_1", "USES", "ent_2"};
    kg_make_id(want, "rel", parts, 3);
    assert_string_equal(a, want);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strncmp(a, "rel_", 4), 0);
}

static void test_entity_acc(void **st)
{
    (void)st;
    kg_entity_acc a;
    kg_entity_acc_start(&a, "ent_x", "Maria Keller", "maria keller", "PERSON");
    kg_entity_acc_add(&a, "Maria Keller", "[\"Keller\", \"M. Keller\"]", 5, 0.8);
    kg_entity_acc_add(&a, "Dr. Keller", "[\"Keller\", \"Maria Keller\", 7]", 2, 0.9);
    kg_entity_acc_add(&a, "Keller", "not json", 1, 0.5);
    assert_string_equal(a.id, "ent_x");
    assert_string_equal(a.name, "Maria Keller");
    assert_string_equal(a.key, "maria keller");
    assert_string_equal(a.type, "PERSON");
    assert_int_equal(a.mentions, 8);
    assert_true(a.confidence == 0.9);
    char *aliases = kg_entity_acc_aliases(&a);
    assert_string_equal(aliases, "[\"Keller\",\"M. Keller\",\"Dr. Keller\"]");
    free(aliases);
    kg_entity_acc_clear(&a);
    assert_null(a.name);
    assert_null(a.aliases);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_method_factors),
        cmocka_unit_test(test_edge_acc),
        cmocka_unit_test(test_rel_id),
        cmocka_unit_test(test_entity_acc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
