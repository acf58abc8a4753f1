/* Unit tests for ingest/llm_extract (checking and anchoring LLM answers
 * with crafted responses; the ontology; prompt and schema) and
 * store/cache_store (migration 2, put/get). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "ingest/extract.h"
#include "ingest/llm_extract.h"
#include "store/cache_store.h"
#include "store/store.h"
#include "nlp/reltype.h"
#include "testutil.h"

static const char *TEXT = "Dr. Maria Keller is a professor at the University of\n"
                          "Lisbon. Keller proposed the Graph Echo Network in 2019.";

static void onto(kg_llm_ontology *o)
{
    kg_err e;
    assert_int_equal(
        kg_llm_ontology_parse("PERSON, org ,METHOD,ORG", "WORKS_FOR,created", 0.7, o, &e), KG_OK);
}

static const kg_mention *mention(const kg_extract_batch *b, const char *surface)
{
    for (size_t i = 0; i < b->nmentions; i++)
        if (strcmp(b->mentions[i].surface, surface) == 0)
            return &b->mentions[i];
    return NULL;
}

static void test_ontology(void **st)
{
    (void)st;
    kg_llm_ontology o;
    onto(&o);
    assert_int_equal(o.nentity, 3); /* upper-cased, duplicate ORG dropped */
    assert_string_equal(o.entity_types[1], "ORG");
    assert_int_equal(o.nrelation, 2);
    assert_string_equal(o.relation_types[1], "CREATED");
    char *p = kg_llm_system_prompt(&o);
    assert_non_null(strstr(p, "PERSON, ORG, METHOD"));
    assert_non_null(strstr(p, "WORKS_FOR, CREATED"));
    free(p);
    json_t *s = kg_llm_schema(&o);
    json_t *en = json_object_get(
        json_object_get(
            json_object_get(
                json_object_get(json_object_get(json_object_get(s, "properties"), "entities"),
                                "items"),
                "properties"),
            "type"),
        "enum");
    assert_int_equal(json_array_size(en), 3);
    json_decref(s);
    kg_llm_ontology_free(&o);
    kg_err e;
    assert_int_not_equal(kg_llm_ontology_parse("PER SON", "X", 0.5, &o, &e), KG_OK);
    assert_non_null(strstr(e.msg, "llm.entity_types"));
    assert_int_not_equal(kg_llm_ontology_parse("PERSON", " , ", 0.5, &o, &e), KG_OK);
    assert_non_null(strstr(e.msg, "no types"));
    assert_int_not_equal(
        kg_llm_ontology_parse("A_VERY_LONG_TYPE_NAME_INDEED_YES", "X", 0.5, &o, &e), KG_OK);
}

/* Each kind of bad result is dropped and counted; good ones are anchored
 * to the chunk's bytes and get the rules' provisional ids. */
static void test_apply_anchors_and_drops(void **st)
{
    (void)st;
    kg_hash_init();
    kg_llm_ontology o;
    onto(&o);
    kg_extract *x = kg_extract_new("doc_0000000000000001", NULL);
    json_t *ans = json_loads(
        "{\"entities\":["
        " {\"name\":\"Maria Keller\",\"type\":\"PERSON\",\"quote\":\"Dr. Maria Keller is\","
        "  \"confidence\":0.95},"
        " {\"name\":\"University of Lisbon\",\"type\":\"org\","
        "  \"quote\":\"university of  lisbon\",\"confidence\":0.9},"
        " {\"name\":\"Graph Echo Network\",\"type\":\"METHOD\",\"quote\":\"\",\"confidence\":0.8},"
        " {\"name\":\"Maria Keller\",\"type\":\"PERSON\",\"quote\":\"Maria Keller\","
        "  \"confidence\":0.9},"
        " {\"name\":\"Ada Lovelace\",\"type\":\"PERSON\",\"quote\":\"Ada wrote it\","
        "  \"confidence\":0.9},"
        " {\"name\":\"Lisbon\",\"type\":\"CITY\",\"quote\":\"Lisbon\",\"confidence\":0.9},"
        " {\"name\":\"Keller\",\"type\":\"PERSON\",\"quote\":\"Keller proposed\","
        "  \"confidence\":0.2},"
        " {\"type\":\"PERSON\",\"confidence\":0.9},"
        " {\"name\":\"2019\",\"type\":\"PERSON\",\"quote\":\"in 2019\"}"
        "],\"relationships\":["
        " {\"source\":\"Maria Keller\",\"target\":\"University of Lisbon\",\"type\":\"WORKS_FOR\","
        "  \"quote\":\"is a professor at the University of Lisbon\",\"confidence\":0.9},"
        " {\"source\":\"maria keller\",\"target\":\"Graph Echo Network\",\"type\":\"CREATED\","
        "  \"quote\":\"\",\"confidence\":0.8},"
        " {\"source\":\"Maria Keller\",\"target\":\"Graph Echo Network\",\"type\":\"CREATED\","
        "  \"quote\":\"she built it in a garage\",\"confidence\":0.8},"
        " {\"source\":\"Maria Keller\",\"target\":\"University of Lisbon\",\"type\":\"LIKES\","
        "  \"quote\":\"Keller\",\"confidence\":0.9},"
        " {\"source\":\"Maria Keller\",\"target\":\"Ada Lovelace\",\"type\":\"WORKS_FOR\","
        "  \"quote\":\"Keller\",\"confidence\":0.9},"
        " {\"source\":\"Maria Keller\",\"target\":\"University of Lisbon\",\"type\":\"WORKS_FOR\","
        "  \"quote\":\"Keller\",\"confidence\":0.1},"
        " 7"
        "]}",
        0, NULL);
    assert_non_null(ans);
    kg_extract_batch b;
    kg_llm_counts c;
    memset(&c, 0, sizeof c);
    kg_llm_apply(x, &o, ans, "chunk_a", TEXT, strlen(TEXT), 500, 0, &b, &c);
    json_decref(ans);
    /* Kept: Keller, the university (white space re-flowed), the method
     * (found by name); the duplicate Keller is one mention. */
    assert_int_equal(b.nmentions, 3);
    assert_int_equal(c.entities, 3);
    const kg_mention *k = mention(&b, "Maria Keller");
    assert_non_null(k);
    assert_int_equal(k->start, 500 + 4);
    assert_int_equal(k->end, 500 + 16);
    assert_string_equal(k->method, "llm");
    assert_string_equal(k->type, "PERSON");
    char want[KG_ID_MAX];
    kg_entity_id_for(want, "PERSON", "maria keller");
    assert_string_equal(k->entity_id, want);
    const kg_mention *u = mention(&b, "University of Lisbon");
    assert_non_null(u);
    assert_string_equal(u->type, "ORG");
    assert_memory_equal(TEXT + (u->start - 500), "University of\nLisbon", 20);
    assert_non_null(mention(&b, "Graph Echo Network"));
    /* Dropped: Ada (unanchored), CITY (type), Keller 0.2 (confidence),
     * the nameless one and the one without confidence (malformed). */
    assert_int_equal(c.unanchored, 1 + 1);     /* Ada; the garage quote */
    assert_int_equal(c.bad_type, 1 + 1);       /* CITY; LIKES */
    assert_int_equal(c.low_confidence, 1 + 1); /* Keller 0.2; relation 0.1 */
    assert_int_equal(c.malformed, 2 + 2);      /* no name, no confidence; Ada end; 7 */
    /* Relations: the quoted one, and the unquoted one spanning its ends. */
    assert_int_equal(b.nrelations, 2);
    assert_int_equal(c.relations, 2);
    assert_string_equal(b.relations[0].type, "WORKS_FOR");
    assert_string_equal(b.relations[0].method, "llm");
    assert_string_equal(b.relations[0].source_id, want);
    assert_int_equal(b.relations[0].start, 500 + 17);
    assert_string_equal(b.relations[1].type, "CREATED");
    assert_int_equal(b.relations[1].start, 500 + 4);
    kg_extract_batch_free(&b);
    /* Resolution at the document's end sees the LLM's forms. */
    kg_extract_result r;
    kg_err e;
    assert_int_equal(kg_extract_finish(x, &r, &e), KG_OK);
    assert_int_equal(r.nentities, 3);
    kg_extract_result_free(&r);
    kg_extract_free(x);
    kg_llm_ontology_free(&o);
}

/* A relationship's "relation" in the passage's words becomes the local
 * extractor's shape: the normalised phrase as type ("is a professor at" ->
 * be professor at, in the WORKS_FOR category); "was ... by" reads actively
 * with the ends swapped; no relation keeps the ontology type. */
static void test_apply_relation_phrases(void **st)
{
    (void)st;
    kg_llm_ontology o;
    onto(&o);
    kg_extract *x = kg_extract_new("doc_0000000000000003", NULL);
    json_t *ans = json_loads(
        "{\"entities\":["
        " {\"name\":\"Maria Keller\",\"type\":\"PERSON\",\"quote\":\"Maria Keller\","
        "  \"confidence\":0.9},"
        " {\"name\":\"University of Lisbon\",\"type\":\"ORG\",\"quote\":\"\","
        "  \"confidence\":0.9},"
        " {\"name\":\"Graph Echo Network\",\"type\":\"METHOD\",\"quote\":\"Graph Echo Network\","
        "  \"confidence\":0.9}],"
        "\"relationships\":["
        " {\"source\":\"Maria Keller\",\"target\":\"University of Lisbon\",\"type\":\"WORKS_FOR\","
        "  \"relation\":\"is a professor at\",\"quote\":\"\",\"confidence\":0.9},"
        " {\"source\":\"Graph Echo Network\",\"target\":\"Maria Keller\",\"type\":\"CREATED\","
        "  \"relation\":\"was proposed by\",\"quote\":\"\",\"confidence\":0.9},"
        " {\"source\":\"Maria Keller\",\"target\":\"Graph Echo Network\",\"type\":\"CREATED\","
        "  \"quote\":\"\",\"confidence\":0.8}]}",
        0, NULL);
    assert_non_null(ans);
    kg_extract_batch b;
    kg_llm_counts c;
    memset(&c, 0, sizeof c);
    kg_llm_apply(x, &o, ans, "chunk_c", TEXT, strlen(TEXT), 0, 0, &b, &c);
    json_decref(ans);
    assert_int_equal(b.nrelations, 3);
    const kg_mention *k = mention(&b, "Maria Keller"), *g = mention(&b, "Graph Echo Network");
    assert_non_null(k);
    assert_non_null(g);
    assert_string_equal(b.relations[0].type, "be professor at");
    assert_string_equal(kg_rel_category(b.relations[0].type, NULL), "WORKS_FOR");
    assert_string_equal(b.relations[1].type, "propose");
    assert_string_equal(b.relations[1].source_id, k->entity_id); /* swapped: Keller proposed */
    assert_string_equal(b.relations[1].target_id, g->entity_id);
    assert_string_equal(b.relations[2].type, "CREATED");
    assert_string_equal(b.relations[2].method, "llm");
    kg_extract_batch_free(&b);
    kg_extract_free(x);
    kg_llm_ontology_free(&o);
    /* The phrases on their own. */
    char out[KG_PHRASE_MAX];
    bool rev;
    kg_rel_normalise_text("  Works AT ", out, &rev);
    assert_string_equal(out, "work at");
    assert_false(rev);
    kg_rel_normalise_text("has married", out, &rev);
    assert_string_equal(out, "marry");
    kg_rel_normalise_text("is located in", out, &rev);
    assert_string_equal(out, "be located in");
    kg_rel_normalise_text("are members of", out, &rev);
    assert_string_equal(out, "be member of");
    kg_rel_normalise_text("did not marry", out, &rev);
    assert_string_equal(out, "not marry");
    kg_rel_normalise_text("", out, &rev);
    assert_string_equal(out, "");
}

/* What starts before owned_from was the previous chunk's; an answer of the
 * wrong shape only counts as malformed. */
static void test_apply_overlap_and_shapes(void **st)
{
    (void)st;
    kg_llm_ontology o;
    onto(&o);
    kg_extract *x = kg_extract_new("doc_0000000000000002", NULL);
    json_t *ans = json_loads("{\"entities\":[{\"name\":\"Maria Keller\",\"type\":\"PERSON\","
                             "\"quote\":\"Maria Keller\",\"confidence\":0.9},"
                             "{\"name\":\"Keller\",\"type\":\"PERSON\",\"quote\":\"Keller "
                             "proposed\",\"confidence\":0.9}]}",
                             0, NULL);
    kg_extract_batch b;
    kg_llm_counts c;
    memset(&c, 0, sizeof c);
    /* The first 30 bytes were covered by the previous chunk. */
    kg_llm_apply(x, &o, ans, "chunk_b", TEXT, strlen(TEXT), 0, 30, &b, &c);
    assert_int_equal(b.nmentions, 1);
    assert_string_equal(b.mentions[0].surface, "Keller");
    assert_true(b.mentions[0].start >= 30);
    kg_extract_batch_free(&b);
    json_decref(ans);
    const char *bad[] = {"[1,2]", "{\"entities\":{}}", "{\"relationships\":\"x\"}"};
    for (size_t i = 0; i < 3; i++) {
        json_t *j = json_loads(bad[i], 0, NULL);
        kg_llm_apply(x, &o, j, "chunk_b", TEXT, strlen(TEXT), 0, 0, &b, &c);
        assert_int_equal(b.nmentions + b.nrelations, 0);
        json_decref(j);
    }
    kg_llm_apply(x, &o, NULL, "chunk_b", TEXT, strlen(TEXT), 0, 0, &b, &c);
    assert_int_equal(c.malformed, 4);
    kg_llm_counts sum;
    memset(&sum, 0, sizeof sum);
    kg_llm_counts_add(&sum, &c);
    kg_llm_counts_add(&sum, &c);
    assert_int_equal(sum.malformed, 8);
    kg_extract_free(x);
    kg_llm_ontology_free(&o);
}

static void test_cache_store(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "c.db");
    kg_store *s;
    kg_err e;
    kg_store_opts so = {0, 0};
    assert_int_equal(kg_store_open(path, &so, &s, &e), KG_OK);
    assert_true(kg_store_schema_version(s) >= 2); /* llm_cache is migration 2 */
    kg_cache_key k = {"llm", "m1", "in1", "p1"};
    char *resp = (char *)"x";
    assert_int_equal(kg_cache_get(s, &k, &resp, &e), KG_OK);
    assert_null(resp);
    assert_int_equal(kg_cache_put(s, &k, "{\"entities\":[]}", &e), KG_OK);
    assert_int_equal(kg_cache_put(s, &k, "{\"entities\":[1]}", &e), KG_OK); /* replaced */
    assert_int_equal(kg_cache_get(s, &k, &resp, &e), KG_OK);
    assert_string_equal(resp, "{\"entities\":[1]}");
    free(resp);
    kg_cache_key other = {"llm", "m2", "in1", "p1"}; /* another model: no hit */
    assert_int_equal(kg_cache_get(s, &other, &resp, &e), KG_OK);
    assert_null(resp);
    int64_t n = 0;
    assert_int_equal(kg_cache_count(s, "llm", &n, &e), KG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(kg_cache_count(s, NULL, &n, &e), KG_OK);
    assert_int_equal(n, 1);
    kg_store_close(s);
    /* A read-only handle reads it; writing there fails cleanly. */
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    assert_int_equal(kg_store_open(path, &ro, &s, &e), KG_OK);
    assert_int_equal(kg_cache_get(s, &k, &resp, &e), KG_OK);
    assert_non_null(resp);
    free(resp);
    assert_int_not_equal(kg_cache_put(s, &k, "{}", &e), KG_OK);
    kg_store_close(s);
    tu_rmrf(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ontology),
        cmocka_unit_test(test_apply_anchors_and_drops),
        cmocka_unit_test(test_apply_overlap_and_shapes),
        cmocka_unit_test(test_apply_relation_phrases),
        cmocka_unit_test(test_cache_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
