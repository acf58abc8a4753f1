/* Unit tests for ingest/extract: mentions and relations per chunk with
 * provisional ids, overlap ownership, resolution into entities and renames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "ingest/extract.h"
#include "nlp/reltype.h"
#include "testutil.h"

static const kg_entity *entity_named(const kg_extract_result *r, const char *name)
{
    for (size_t i = 0; i < r->nentities; i++)
        if (strcmp(r->entities[i].name, name) == 0)
            return &r->entities[i];
    return NULL;
}

static void test_chunk_mentions_relations_and_renames(void **st)
{
    (void)st;
    kg_hash_init();
    const char *text = "Dr. Maria Keller is a professor at the University of Lisbon. "
                       "Keller proposed the Graph Echo Network in 2019.";
    kg_extract_opts o = {0.3, 0};
    kg_extract *x = kg_extract_new("doc_0000000000000001", &o);
    kg_extract_batch b;
    kg_err e;
    assert_int_equal(kg_extract_chunk(x, "chunk_a", text, strlen(text), 1000, 0, &b, &e), KG_OK);
    assert_true(b.nmentions >= 3);
    int saw_keller = 0;
    for (size_t i = 0; i < b.nmentions; i++) {
        const kg_mention *m = &b.mentions[i];
        /* Spans are document offsets: the chunk starts at byte 1000. */
        assert_true(m->start >= 1000 && m->end <= 1000 + (int64_t)strlen(text));
        assert_memory_equal(text + (m->start - 1000), m->surface, strlen(m->surface));
        assert_memory_equal(m->entity_id, "ent_", 4);
        assert_string_equal(m->chunk_id, "chunk_a");
        saw_keller |= strcmp(m->surface, "Keller") == 0;
    }
    assert_true(saw_keller);
    /* "is a professor at": the phrase, in the WORKS_FOR category. */
    int works_for = 0;
    for (size_t i = 0; i < b.nrelations; i++)
        works_for |= strcmp(b.relations[i].type, "be professor at") == 0 &&
                     strcmp(kg_rel_category(b.relations[i].type, NULL), "WORKS_FOR") == 0;
    assert_true(works_for);
    kg_extract_result r;
    assert_int_equal(kg_extract_finish(x, &r, &e), KG_OK);
    const kg_entity *keller = entity_named(&r, "Maria Keller");
    assert_non_null(keller);
    assert_int_equal(keller->mentions, 2); /* "Maria Keller" and "Keller" */
    assert_non_null(strstr(keller->aliases, "Keller"));
    /* "Keller" was written under its own provisional id; it must be renamed. */
    char prov[KG_ID_MAX];
    kg_entity_id_for(prov, "PERSON", "keller");
    int renamed = 0;
    for (size_t i = 0; i < r.nremap; i++)
        if (strcmp(r.remap[i].from, prov) == 0) {
            assert_string_equal(r.remap[i].to, keller->id);
            renamed = 1;
        }
    assert_true(renamed);
    kg_extract_result_free(&r);
    kg_extract_batch_free(&b);
    kg_extract_free(x);
}

static void test_overlap_is_reported_once(void **st)
{
    (void)st;
    const char *doc = "Alan Turing met John von Neumann. Grace Hopper met Ada Lovelace.";
    size_t cut = strlen("Alan Turing met John von Neumann. ");
    kg_extract *x = kg_extract_new("doc_2", NULL);
    kg_extract_batch a, b;
    kg_err e;
    assert_int_equal(kg_extract_chunk(x, "c0", doc, strlen(doc), 0, 0, &a, &e), KG_OK);
    /* The second chunk repeats the second sentence; it owns nothing new
     * before byte strlen(doc). */
    assert_int_equal(
        kg_extract_chunk(x, "c1", doc + cut, strlen(doc) - cut, cut, strlen(doc), &b, &e), KG_OK);
    assert_int_equal(b.nmentions, 0);
    assert_int_equal(b.nrelations, 0);
    assert_true(a.nmentions >= 4);
    kg_extract_batch_free(&a);
    kg_extract_batch_free(&b);
    kg_extract_free(x);
}

/* Hundreds of distinct names in one chunk make the form table grow while
 * the chunk is being read: nothing may point into the old table. */
static void test_many_distinct_names_in_one_chunk(void **st)
{
    (void)st;
    static const char *first[] = {"Alice", "Bruno", "Carla", "Dmitri", "Elena", "Farid",
                                  "Greta", "Hiro",  "Ines",  "Jonas",  "Kofi",  "Lena"};
    static const char *last[] = {"Abbott",    "Baines",   "Cortez", "Dufresne", "Eriksen",
                                 "Fontaine",  "Gallo",    "Haddad", "Ivanova",  "Jansen",
                                 "Kowalczyk", "Lindgren", "Moreau", "Novak",    "Okafor",
                                 "Petrov",    "Quinn",    "Rossi",  "Santos",   "Tanaka"};
    kg_buf t = KG_BUF_INIT;
    int n = 0;
    for (size_t f = 0; f < 12; f++)
        for (size_t l = 0; l < 20; l++) {
            kg_buf_printf(&t, "Dr. %s %s met Professor %s %s in Oslo. ", first[f], last[l],
                          first[(f + 1) % 12], last[(l + 3) % 20]);
            n++;
        }
    kg_extract *x = kg_extract_new("doc_3", NULL);
    kg_extract_batch b;
    kg_err e;
    assert_int_equal(kg_extract_chunk(x, "c0", t.data, t.len, 0, 0, &b, &e), KG_OK);
    assert_true(b.nmentions >= (size_t)n * 2);
    assert_true(b.nrelations >= (size_t)n);
    for (size_t i = 0; i < b.nrelations; i++) {
        assert_memory_equal(b.relations[i].source_id, "ent_", 4);
        assert_memory_equal(b.relations[i].target_id, "ent_", 4);
        assert_int_equal(strlen(b.relations[i].source_id), 20);
    }
    kg_extract_result r;
    assert_int_equal(kg_extract_finish(x, &r, &e), KG_OK);
    assert_true(r.nentities >= 240);
    assert_non_null(entity_named(&r, "Oslo"));
    kg_extract_result_free(&r);
    kg_extract_batch_free(&b);
    kg_extract_free(x);
    kg_buf_free(&t);
}

static void test_paragraph_breaks_and_wrapped_names(void **st)
{
    (void)st;
    const char *text = "Methods\n\nDr. John\nSmith works for Acme Corporation in Boston.";
    kg_extract *x = kg_extract_new("doc_4", NULL);
    kg_extract_batch b;
    kg_err e;
    assert_int_equal(kg_extract_chunk(x, "c0", text, strlen(text), 0, 0, &b, &e), KG_OK);
    int found = 0;
    for (size_t i = 0; i < b.nmentions; i++) {
        assert_null(strstr(b.mentions[i].surface, "\n"));
        assert_null(strstr(b.mentions[i].surface, "Methods"));
        assert_string_not_equal(b.mentions[i].surface, "Dr.");
        if (strcmp(b.mentions[i].surface, "John Smith") == 0) {
            found = 1;
            /* The span still points at the text as stored (with its line break). */
            assert_memory_equal(text + b.mentions[i].start, "John\nSmith", 10);
        }
    }
    assert_true(found);
    kg_extract_batch_free(&b);
    kg_extract_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunk_mentions_relations_and_renames),
        cmocka_unit_test(test_overlap_is_reported_once),
        cmocka_unit_test(test_many_distinct_names_in_one_chunk),
        cmocka_unit_test(test_paragraph_breaks_and_wrapped_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
