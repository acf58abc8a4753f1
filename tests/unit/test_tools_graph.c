/* test_tools_graph: the graph tools through kg_tool_call, as MCP calls them:
 * each one's happy path on the demo corpus (output checked against its
 * outputSchema) and its argument errors (isError naming the argument); the
 * read cache and its invalidation by calculate_pagerank; entity resources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tools/cache.h"
#include "tools/graph_views.h"
#include "tools/registry.h"
#include "tools/resources.h"

typedef struct fixture {
    char *dir, *db;
    kg_config *cfg;
    kg_path_policy policy;
    kg_tool_runtime rt;
    kg_tool_ctx ctx;
} fixture;

static fixture *F;

static const char *result_text(json_t *res)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(res, "content"), 0), "text"));
}

static json_t *call(const char *tool, const char *args)
{
    json_t *a = json_loads(args, 0, NULL);
    if (!a)
        fail_msg("test arguments are not JSON: %s", args);
    json_t *res = kg_tool_call(kg_tools_find(tool), &F->ctx, a);
    json_decref(a);
    return res;
}

/* A successful call whose structuredContent matches the outputSchema. */
static json_t *call_ok(const char *tool, const char *args)
{
    json_t *res = call(tool, args);
    if (json_is_true(json_object_get(res, "isError")))
        fail_msg("%s: %s", tool, result_text(res));
    kg_err e;
    if (kg_tool_check_output(kg_tools_find(tool), res, &e) != 0)
        fail_msg("%s", e.msg);
    json_t *sc = json_incref(json_object_get(res, "structuredContent"));
    json_decref(res);
    return sc;
}

/* A call that fails with a message containing want. */
static void call_err(const char *tool, const char *args, const char *want)
{
    json_t *res = call(tool, args);
    if (!json_is_true(json_object_get(res, "isError")))
        fail_msg("%s %s: expected an error", tool, args);
    if (!strstr(result_text(res), want))
        fail_msg("%s: '%s' does not contain '%s'", tool, result_text(res), want);
    json_decref(res);
}

static int setup(void **st)
{
    (void)st;
    F = calloc(1, sizeof *F);
    F->dir = tu_tmpdir();
    F->db = tu_join(F->dir, "g.db");
    const char *src = getenv("TEST_SOURCE_DIR");
    char *corpus = tu_join(F->dir, "corpus");
    if (tu_sh("cp -r '%s/demo/corpus' '%s'", src ? src : ".", corpus) != 0)
        fail_msg("cannot copy the demo corpus (TEST_SOURCE_DIR=%s)", src ? src : "unset");
    F->cfg = kg_config_new();
    kg_path_policy_init(&F->policy);
    kg_err e;
    if (kg_path_policy_add_root(&F->policy, F->dir, &e) != 0)
        fail_msg("%s", e.msg);
    kg_tool_runtime_init(&F->rt, "test", 1);
    F->rt.cache = kg_tool_cache_new(64, 1 << 22, 600);
    F->ctx.db_path = F->db;
    F->ctx.cfg = F->cfg;
    F->ctx.policy = &F->policy;
    F->ctx.rt = &F->rt;
    char args[1200];
    snprintf(args, sizeof args, "{\"paths\":[\"%s\"]}", corpus);
    json_t *sc = call_ok("ingest", args);
    json_t *g = json_object_get(sc, "graph");
    assert_non_null(g);
    assert_true(json_integer_value(json_object_get(g, "entities")) > 10);
    json_decref(sc);
    free(corpus);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    kg_tool_cache_free(F->rt.cache);
    kg_tool_runtime_release(&F->rt);
    kg_path_policy_free(&F->policy);
    kg_config_free(F->cfg);
    tu_rmrf(F->dir);
    free(F->dir);
    free(F->db);
    free(F);
    return 0;
}

static const char KELLER[] = "Dr. Maria Keller is a professor at the University of Lisbon. "
                             "In 2019 Keller proposed the Graph Echo Network.";

static void test_extract_entities(void **st)
{
    (void)st;
    char args[600];
    snprintf(args, sizeof args, "{\"text\":\"%s\"}", KELLER);
    json_t *sc = call_ok("extract_entities", args);
    json_t *ms = json_object_get(sc, "mentions");
    int found = 0;
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m)
    {
        const char *s = json_string_value(json_object_get(m, "surface"));
        json_int_t a = json_integer_value(json_object_get(m, "start"));
        json_int_t b = json_integer_value(json_object_get(m, "end"));
        assert_memory_equal(KELLER + a, s, (size_t)(b - a)); /* spans point at the surface */
        assert_string_equal(json_string_value(json_object_get(m, "method")), "rules");
        if (strcmp(s, "Maria Keller") == 0) {
            found = 1;
            assert_string_equal(json_string_value(json_object_get(m, "type")), "PERSON");
        }
    }
    assert_true(found);
    json_decref(sc);
    /* a high threshold drops the weaker mentions */
    snprintf(args, sizeof args, "{\"text\":\"%s\",\"confidence_threshold\":0.99}", KELLER);
    sc = call_ok("extract_entities", args);
    assert_true(json_array_size(json_object_get(sc, "mentions")) < json_array_size(ms) + 1);
    json_decref(sc);

    /* a stored chunk: spans are document offsets */
    json_t *q = call_ok("read_query", "{\"sql\":\"SELECT id, char_start, length(CAST(text AS "
                                      "BLOB)) FROM chunks ORDER BY char_start DESC LIMIT 1\"}");
    json_t *row = json_array_get(json_object_get(q, "rows"), 0);
    const char *cid = json_string_value(json_array_get(row, 0));
    json_int_t cstart = json_integer_value(json_array_get(row, 1));
    snprintf(args, sizeof args, "{\"chunk_id\":\"%s\"}", cid);
    sc = call_ok("extract_entities", args);
    assert_string_equal(json_string_value(json_object_get(sc, "source")), "chunk");
    assert_string_equal(json_string_value(json_object_get(sc, "chunk_id")), cid);
    assert_int_equal(json_integer_value(json_object_get(sc, "offset")), cstart);
    json_array_foreach(json_object_get(sc, "mentions"), i, m)
        assert_true(json_integer_value(json_object_get(m, "start")) >= cstart);
    json_decref(sc);
    json_decref(q);

    call_err("extract_entities", "{}", "exactly one of 'text' or 'chunk_id'");
    call_err("extract_entities", "{\"text\":\"a\",\"chunk_id\":\"chunk_1\"}",
             "exactly one of 'text' or 'chunk_id'");
    call_err("extract_entities", "{\"chunk_id\":\"chunk_nope\"}", "argument 'chunk_id'");
    call_err("extract_entities", "{\"text\":\"x\",\"confidence_threshold\":2}",
             "argument 'confidence_threshold'");
    call_err("extract_entities", "{\"text\":\"\"}", "argument 'text'");
}

/* A relation src -> dst whose type (the phrase) or category is `type`. */
static int has_relation(json_t *sc, const char *src, const char *type, const char *dst)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(sc, "relationships"), i, r)
    {
        const char *cat = json_string_value(json_object_get(r, "category"));
        if (strcmp(json_string_value(json_object_get(r, "source")), src) == 0 &&
            (strcmp(json_string_value(json_object_get(r, "type")), type) == 0 ||
             (cat && strcmp(cat, type) == 0)) &&
            strcmp(json_string_value(json_object_get(r, "target")), dst) == 0)
            return 1;
    }
    return 0;
}

static void test_extract_relationships(void **st)
{
    (void)st;
    char args[1200];
    /* NER first: "Keller" resolves to Maria Keller */
    snprintf(args, sizeof args, "{\"text\":\"%s\"}", KELLER);
    json_t *sc = call_ok("extract_relationships", args);
    assert_true(has_relation(sc, "Maria Keller", "WORKS_FOR", "University of Lisbon"));
    assert_true(has_relation(sc, "Maria Keller", "CREATED", "Graph Echo Network"));
    json_t *r0 = json_array_get(json_object_get(sc, "relationships"), 0);
    json_t *ev = json_object_get(r0, "evidence");
    json_int_t a = json_integer_value(json_object_get(ev, "start"));
    json_int_t b = json_integer_value(json_object_get(ev, "end"));
    assert_memory_equal(KELLER + a, json_string_value(json_object_get(ev, "text")),
                        (size_t)(b - a));
    json_decref(sc);
    /* given entities, by name and by span */
    snprintf(args, sizeof args,
             "{\"text\":\"%s\",\"entities\":[{\"name\":\"Maria Keller\",\"type\":\"person\"},"
             "{\"start\":39,\"end\":59,\"type\":\"ORG\"}]}",
             KELLER);
    sc = call_ok("extract_relationships", args);
    assert_int_equal(json_integer_value(json_object_get(sc, "entity_count")), 2);
    assert_true(has_relation(sc, "Maria Keller", "WORKS_FOR", "University of Lisbon"));
    json_decref(sc);

    call_err("extract_relationships", "{\"entities\":[]}", "argument 'text' is required");
    call_err("extract_relationships", "{\"text\":\"A b.\",\"entities\":[{\"type\":\"ORG\"}]}",
             "argument 'entities[0]'");
    call_err("extract_relationships", "{\"text\":\"A b.\",\"entities\":[{\"start\":2,\"end\":99}]}",
             "argument 'entities[0]'");
    call_err("extract_relationships", "{\"text\":\"A b.\",\"entities\":[{\"nom\":\"A\"}]}",
             "entities[0]");
    call_err("extract_relationships", "{\"text\":\"A b.\",\"max_cooccur\":0}",
             "argument 'max_cooccur'");
}

static void test_build_entities(void **st)
{
    (void)st;
    json_t *sc = call_ok(
        "build_entities",
        "{\"mentions\":[{\"surface\":\"Dr. Maria Keller\",\"type\":\"PERSON\",\"start\":0,"
        "\"end\":16,\"confidence\":0.9},{\"surface\":\"Keller\",\"type\":\"person\","
        "\"start\":70,\"end\":76,\"confidence\":0.6},{\"surface\":\"University of Lisbon\","
        "\"type\":\"ORG\",\"start\":30,\"end\":50}]}");
    assert_int_equal(json_integer_value(json_object_get(sc, "entity_count")), 2);
    json_t *e0 = json_array_get(json_object_get(sc, "entities"), 0);
    assert_string_equal(json_string_value(json_object_get(e0, "name")), "Maria Keller");
    assert_int_equal(json_array_size(json_object_get(e0, "mentions")), 2);
    /* the id is the stored graph's id for the same entity */
    const char *id = json_string_value(json_object_get(e0, "id"));
    char args[200];
    snprintf(args, sizeof args, "{\"entity_id\":\"%s\"}", id);
    json_t *det = call_ok("get_entity_details", args);
    assert_string_equal(json_string_value(json_object_get(det, "name")), "Maria Keller");
    json_decref(det);
    json_t *assign = json_object_get(sc, "mention_entities");
    assert_string_equal(json_string_value(json_array_get(assign, 1)), id);
    json_decref(sc);

    call_err("build_entities", "{\"mentions\":[]}", "argument 'mentions'");
    call_err("build_entities", "{\"mentions\":[{\"surface\":\"X\"}]}",
             "argument 'mentions[0].type' is required");
    call_err("build_entities",
             "{\"mentions\":[{\"surface\":\"X\",\"type\":\"ORG\",\"start\":5,\"end\":2}]}",
             "argument 'mentions[0]'");
    call_err("build_entities",
             "{\"text\":\"short\",\"mentions\":[{\"surface\":\"X\",\"type\":\"ORG\","
             "\"start\":0,\"end\":40}]}",
             "argument 'mentions[0]'");
}

static void test_build_edges(void **st)
{
    (void)st;
    json_t *sc = call_ok(
        "build_edges",
        "{\"relationships\":[{\"source\":\"A\",\"target\":\"B\",\"type\":\"WORKS_FOR\","
        "\"confidence\":0.8,\"method\":\"pattern\"},{\"source\":\"A\",\"target\":\"B\","
        "\"type\":\"WORKS_FOR\",\"confidence\":0.5,\"method\":\"cooccur\"},{\"source\":\"B\","
        "\"target\":\"A\",\"type\":\"RELATED_TO\",\"confidence\":0.4,\"method\":\"cooccur\"},"
        "{\"source\":\"A\",\"target\":\"B\",\"type\":\"RELATED_TO\",\"confidence\":0.4,"
        "\"method\":\"cooccur\"},{\"source\":\"C\",\"target\":\"A\",\"type\":\"CITES\"}]}");
    assert_int_equal(json_integer_value(json_object_get(sc, "edge_count")), 3);
    json_t *e0 = json_array_get(json_object_get(sc, "edges"), 0); /* heaviest first */
    assert_string_equal(json_string_value(json_object_get(e0, "type")), "WORKS_FOR");
    assert_int_equal(json_integer_value(json_object_get(e0, "support")), 2);
    assert_float_equal(json_real_value(json_object_get(e0, "weight")), 0.8 * 1.0 + 0.5 * 0.3, 1e-9);
    assert_float_equal(json_real_value(json_object_get(e0, "confidence")), 1 - 0.2 * 0.5, 1e-9);
    assert_string_equal(json_string_value(json_object_get(e0, "method")), "pattern");
    /* CITES (0.5 x 0.7 by the defaults 0.5, verb) outweighs two co-occurrences */
    json_t *e2 = json_array_get(json_object_get(sc, "edges"), 1);
    assert_string_equal(json_string_value(json_object_get(e2, "type")), "CITES");
    assert_float_equal(json_real_value(json_object_get(e2, "weight")), 0.5 * 0.7, 1e-9);
    json_t *e1 = json_array_get(json_object_get(sc, "edges"), 2);
    assert_string_equal(json_string_value(json_object_get(e1, "type")), "RELATED_TO");
    assert_int_equal(json_integer_value(json_object_get(e1, "support")), 2); /* undirected */
    assert_string_equal(json_string_value(json_object_get(e1, "source")), "A");
    assert_false(json_is_true(json_object_get(e1, "directed")));
    json_decref(sc);

    call_err("build_edges", "{}", "argument 'relationships' is required");
    call_err("build_edges", "{\"relationships\":[{\"source\":\"A\",\"target\":\"B\"}]}",
             "argument 'relationships[0].type' is required");
    call_err("build_edges",
             "{\"relationships\":[{\"source\":\"A\",\"target\":\"A\",\"type\":\"X\"}]}",
             "argument 'relationships[0]'");
    call_err("build_edges",
             "{\"relationships\":[{\"source\":\"A\",\"target\":\"B\",\"type\":\"X\","
             "\"confidence\":1.5}]}",
             "argument 'relationships[0].confidence'");
}

static void test_query_top_details_and_cache(void **st)
{
    (void)st;
    json_t *q = call_ok("query_graph",
                        "{\"query_text\":\"Which university does the researcher who proposed "
                        "the Graph Echo Network work for?\"}");
    json_t *a0 = json_array_get(json_object_get(q, "answers"), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(a0, "entity"), "name")),
                        "University of Lisbon");
    assert_true(json_array_size(json_object_get(a0, "evidence")) >= 1);
    assert_non_null(strstr(json_string_value(json_object_get(a0, "path")), "Maria Keller"));
    json_decref(q);

    json_t *top = call_ok("get_top_entities", "{\"limit\":3}");
    assert_int_equal(json_array_size(json_object_get(top, "entities")), 3);
    json_decref(top);
    top = call_ok("get_top_entities", "{\"entity_type\":\"person\",\"limit\":50}");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(top, "entities"), i, e)
        assert_string_equal(json_string_value(json_object_get(e, "type")), "PERSON");
    assert_true(json_array_size(json_object_get(top, "entities")) >= 1);

    json_t *det = call_ok("get_entity_details", "{\"name\":\"maria keller\"}");
    assert_string_equal(json_string_value(json_object_get(det, "name")), "Maria Keller");
    assert_true(json_array_size(json_object_get(det, "relations")) >= 1);
    assert_true(json_array_size(json_object_get(det, "mention_list")) >= 1);
    json_decref(det);

    /* cached: the same answer, counted as a hit */
    kg_tool_cache_stats a, b;
    kg_tool_cache_stats_get(F->rt.cache, &a);
    json_t *top2 = call_ok("get_top_entities", "{\"entity_type\":\"person\",\"limit\":50}");
    kg_tool_cache_stats_get(F->rt.cache, &b);
    assert_int_equal(b.hits, a.hits + 1);
    assert_true(json_equal(top, top2));
    json_decref(top2);

    /* calculate_pagerank writes new scores and invalidates */
    json_t *pr = call_ok("calculate_pagerank", "{\"damping_factor\":0.5,\"top_k\":3}");
    assert_true(json_is_true(json_object_get(pr, "converged")));
    assert_int_equal(json_array_size(json_object_get(pr, "top_entities")), 3);
    json_decref(pr);
    kg_tool_cache_stats_get(F->rt.cache, &a);
    assert_true(a.invalidations > b.invalidations);
    top2 = call_ok("get_top_entities", "{\"entity_type\":\"person\",\"limit\":50}");
    assert_false(json_equal(top, top2));
    json_decref(top2);
    json_decref(top);

    call_err("query_graph", "{}", "argument 'query_text' is required");
    call_err("query_graph", "{\"query_text\":\"x\",\"max_hops\":4}", "argument 'max_hops'");
    call_err("query_graph", "{\"query_text\":\"x\",\"result_limit\":0}", "argument 'result_limit'");
    call_err("get_top_entities", "{\"limit\":0}", "argument 'limit'");
    call_err("get_top_entities", "{\"entity_type\":7}", "argument 'entity_type'");
    call_err("get_entity_details", "{}", "exactly one of 'entity_id' or 'name'");
    call_err("get_entity_details", "{\"name\":\"Nobody At All Here\"}", "argument 'name'");
    call_err("get_entity_details", "{\"entity_id\":\"ent_0000\"}", "argument 'entity_id'");
    call_err("calculate_pagerank", "{\"damping_factor\":1.5}", "argument 'damping_factor'");
    call_err("calculate_pagerank", "{\"max_iterations\":0}", "argument 'max_iterations'");
    call_err("calculate_pagerank", "{\"tolerance\":0.5}", "argument 'tolerance'");
}

static void test_progress_and_cancel(void **st)
{
    (void)st;
    volatile int cancel = 1;
    F->ctx.cancel = &cancel;
    call_err("calculate_pagerank", "{}", "cancelled");
    call_err("extract_relationships", "{\"text\":\"Ada met Charles in London.\"}", "cancelled");
    call_err("query_graph", "{\"query_text\":\"Who is Maria Keller?\"}", "cancelled");
    F->ctx.cancel = NULL;
}

static void count_progress(void *ud, double done, double total, const char *msg)
{
    (void)msg;
    assert_true(done <= total);
    (*(int *)ud)++;
}

static void test_progress_reported(void **st)
{
    (void)st;
    int n = 0;
    F->ctx.progress = count_progress;
    F->ctx.progress_ud = &n;
    json_t *sc = call_ok("calculate_pagerank", "{}");
    json_decref(sc);
    assert_true(n >= 2);
    n = 0;
    sc = call_ok("extract_relationships", "{\"text\":\"Ada met Charles in London.\"}");
    json_decref(sc);
    assert_int_equal(n, 3);
    F->ctx.progress = NULL;
}

static void test_entity_resource(void **st)
{
    (void)st;
    json_t *top = call_ok("get_top_entities", "{\"limit\":1}");
    json_t *first = json_array_get(json_object_get(top, "entities"), 0);
    const char *id = json_string_value(json_object_get(first, "id"));
    char uri[128];
    snprintf(uri, sizeof uri, "kgas://entity/%s", id);
    json_t *res = NULL;
    kg_err e;
    assert_int_equal(kg_resources_read(&F->ctx, uri, &res, &e), KG_OK);
    json_t *c0 = json_array_get(json_object_get(res, "contents"), 0);
    json_t *ent = json_loads(json_string_value(json_object_get(c0, "text")), 0, NULL);
    assert_string_equal(json_string_value(json_object_get(ent, "id")), id);
    assert_non_null(json_object_get(ent, "relations"));
    json_decref(ent);
    json_decref(res);
    json_decref(top);
    assert_int_equal(kg_resources_read(&F->ctx, "kgas://entity/ent_nope", &res, &e), KG_ENOTFOUND);
    assert_int_equal(kg_resources_read(&F->ctx, "kgas://entity/Maria Keller", &res, &e),
                     KG_ENOTFOUND);
    /* entities are listed beside documents */
    assert_int_equal(kg_resources_list(&F->ctx, NULL, &res, &e), KG_OK);
    size_t i;
    json_t *r;
    int ents = 0;
    json_array_foreach(json_object_get(res, "resources"), i, r)
        ents += strncmp(json_string_value(json_object_get(r, "uri")), "kgas://entity/", 14) == 0;
    assert_true(ents > 10);
    json_decref(res);
}

/* Listing pages through every document and entity once, documents first,
 * by the cursor each page hands out; a document reads back as its text
 * (chunks joined without their overlap) under a header. */
static void test_resource_pages_and_documents(void **st)
{
    (void)st;
    /* Enough documents for more than one page. */
    char *more = tu_join(F->dir, "more");
    tu_sh("mkdir -p '%s'", more);
    for (int i = 0; i < KG_RESOURCES_PAGE; i++) {
        char name[64], body[128];
        snprintf(name, sizeof name, "note%02d.txt", i);
        snprintf(body, sizeof body, "Note %d. Dr. Ada Byron visited Lisbon in 18%02d.\n", i, i);
        char *path = tu_join(more, name);
        tu_write_str(path, body);
        free(path);
    }
    char args[1200];
    snprintf(args, sizeof args, "{\"paths\":[\"%s\"]}", more);
    json_decref(call_ok("ingest", args));
    free(more);
    json_t *stats = call_ok("get_graph_statistics", "{}");
    json_int_t docs = json_integer_value(json_object_get(stats, "documents"));
    json_int_t ents = json_integer_value(json_object_get(stats, "entities"));
    json_decref(stats);
    assert_true(docs + ents > KG_RESOURCES_PAGE);
    kg_err e;
    char cursor[64] = "";
    char doc_uri[256] = "";
    json_t *seen = json_object();
    int pages = 0, in_entities = 0;
    do {
        json_t *res = NULL;
        assert_int_equal(kg_resources_list(&F->ctx, cursor[0] ? cursor : NULL, &res, &e), KG_OK);
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(res, "resources"), i, r)
        {
            const char *uri = json_string_value(json_object_get(r, "uri"));
            int ent = strncmp(uri, "kgas://entity/", 14) == 0;
            assert_false(in_entities && !ent); /* documents come first */
            in_entities |= ent;
            assert_null(json_object_get(seen, uri));
            json_object_set_new(seen, uri, json_true());
            if (!ent && !doc_uri[0])
                snprintf(doc_uri, sizeof doc_uri, "%s", uri);
            assert_non_null(strstr(json_string_value(json_object_get(r, "description")),
                                   ent ? " mentions" : " chunks: /"));
        }
        json_t *next = json_object_get(res, "nextCursor");
        snprintf(cursor, sizeof cursor, "%s", next ? json_string_value(next) : "");
        json_decref(res);
        pages++;
    } while (cursor[0]);
    assert_int_equal(json_object_size(seen), docs + ents);
    assert_int_equal(pages, (docs + ents + KG_RESOURCES_PAGE - 1) / KG_RESOURCES_PAGE);
    json_decref(seen);
    json_t *res = NULL;
    assert_int_equal(kg_resources_list(&F->ctx, "x12", &res, &e), KG_EINVAL);

    assert_int_equal(kg_resources_read(&F->ctx, doc_uri, &res, &e), KG_OK);
    json_t *c0 = json_array_get(json_object_get(res, "contents"), 0);
    const char *text = json_string_value(json_object_get(c0, "text"));
    assert_int_equal(strncmp(text, "title: ", 7), 0);
    assert_non_null(strstr(text, "\npath: /"));
    assert_non_null(strstr(text, "\npages: 1\n\n"));
    json_decref(res);
    assert_int_equal(kg_resources_read(&F->ctx, "kgas://document/doc_nope", &res, &e),
                     KG_ENOTFOUND);
}

static void test_no_database(void **st)
{
    (void)st;
    fixture *saved = F;
    fixture empty = *F;
    char *dir = tu_tmpdir();
    char *db = tu_join(dir, "none.db");
    empty.ctx.db_path = db;
    empty.ctx.rt = NULL;
    F = &empty;
    call_err("get_top_entities", "{}", "no database");
    call_err("query_graph", "{\"query_text\":\"Who?\"}", "no database");
    call_err("calculate_pagerank", "{}", "no database");
    call_err("extract_entities", "{\"chunk_id\":\"chunk_abc\"}", "no database");
    /* No database: nothing to list, nothing to read. */
    json_t *res = NULL;
    kg_err e;
    assert_int_equal(kg_resources_list(&F->ctx, NULL, &res, &e), KG_OK);
    assert_int_equal(json_array_size(json_object_get(res, "resources")), 0);
    assert_null(json_object_get(res, "nextCursor"));
    json_decref(res);
    assert_int_equal(kg_resources_read(&F->ctx, "kgas://document/doc_x", &res, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "the database is empty"));
    F = saved;
    tu_rmrf(dir);
    free(dir);
    free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_extract_entities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extract_relationships, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_entities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_top_details_and_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_and_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entity_resource, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resource_pages_and_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_database, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
