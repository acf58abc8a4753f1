/* test_tool_hints: every tool's MCP annotations (readOnlyHint,
 * destructiveHint, idempotentHint, openWorldHint) checked against what the
 * tool does, on a real database in a temporary folder.
 *
 * - every tool declares its hints (none comes from a default);
 * - read-only: its sample call, twice, leaves the stored data (every table
 *   but the operations log and the derived caches) and the folder's files
 *   exactly as they were;
 * - not read-only: some call of it visibly writes (rows or a file), so the
 *   hint is not a needless scare either;
 * - destructive: some call of it overwrites or removes what was there;
 * - idempotent: the same call twice, the second changes nothing;
 * - open world: exactly the tools whose arguments can reach the LLM or
 *   embedding service (extractor "llm", model "api") say so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/hash.h"
#include "testutil.h"
#include "tools/graph_views.h"
#include "tools/registry.h"

typedef struct fixture {
    char *dir, *db, *note, *other;
    kg_config *cfg;
    kg_path_policy policy;
    kg_tool_runtime rt;
    kg_tool_ctx ctx;
} fixture;

static fixture *F;

static json_t *call(const char *tool, const char *args)
{
    json_t *a = json_loads(args, 0, NULL);
    assert_non_null(a);
    json_t *res = kg_tool_call(kg_tools_find(tool), &F->ctx, a);
    json_decref(a);
    if (json_is_true(json_object_get(res, "isError"))) {
        json_t *c0 = json_array_get(json_object_get(res, "content"), 0);
        fail_msg("%s %s: %s", tool, args, json_string_value(json_object_get(c0, "text")));
    }
    return res;
}

static void call_ok(const char *tool, const char *args)
{
    json_decref(call(tool, args));
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    kg_buf b = KG_BUF_INIT;
    kg_buf_vprintf(&b, f, ap);
    va_end(ap);
    return kg_buf_steal(&b);
}

static int setup(void **st)
{
    (void)st;
    F = calloc(1, sizeof *F);
    F->dir = tu_tmpdir();
    F->db = tu_join(F->dir, "t.db");
    F->note = tu_join(F->dir, "note.md");
    F->other = tu_join(F->dir, "other.md");
    /* The text `kgas tools --validate` uses, which the sample arguments name. */
    tu_write_str(F->note, "# Sample\n\nAlan Turing worked at Bletchley Park with Gordon Welchman. "
                          "The Bombe was designed there in 1939. Turing later moved to the "
                          "University of Manchester, where the Manchester Baby ran its first "
                          "program in 1948.\n\nDr. Maria Keller is a professor at the University "
                          "of Lisbon. In 2019 Keller proposed the Graph Echo Network (GEN). Ada "
                          "Lovelace wrote about the Analytical Engine.\n");
    tu_write_str(F->other, "# Other\n\nM. Keller visited the Univ. of Lisbon in 2020 and "
                           "spoke about the Graph Echo Network with Charles Babbage.\n");
    F->cfg = kg_config_new();
    kg_err e;
    /* Fusion is left to fuse_documents, so that the tool has work to do. */
    assert_int_equal(kg_config_set(F->cfg, "fuse.after_ingest", "false", KG_SRC_CALL, "test", &e),
                     KG_OK);
    kg_path_policy_init(&F->policy);
    kg_tool_runtime_init(&F->rt, "test", 1);
    F->ctx.db_path = F->db;
    F->ctx.cfg = F->cfg;
    F->ctx.policy = &F->policy;
    F->ctx.rt = &F->rt;
    char *args = fmt("{\"paths\":[\"%s\",\"%s\"]}", F->note, F->other);
    call_ok("ingest", args);
    free(args);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    kg_tool_runtime_release(&F->rt);
    kg_path_policy_free(&F->policy);
    kg_config_free(F->cfg);
    tu_rmrf(F->dir);
    free(F->dir);
    free(F->db);
    free(F->note);
    free(F->other);
    free(F);
    return 0;
}

/* ---- what "changed" means ------------------------------------------------ */

/* Tables a read-only tool may still write: the log of operations and the
 * derived caches (the hints' definition in tools/registry.h). */
static int derived(const char *table)
{
    return strcmp(table, "operations") == 0 || strcmp(table, "llm_cache") == 0 ||
           strcmp(table, "vector_indexes") == 0;
}

/* An order-free digest of every row of every table that holds data, plus
 * the names, sizes and bytes of the folder's files (the database's own
 * files excepted). */
static uint64_t state(void)
{
    uint64_t sum = 0;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(F->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                        "name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%VIRTUAL%'",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tables, 0);
        if (derived(t))
            continue;
        char *q = fmt("SELECT * FROM \"%s\"", t);
        sqlite3_stmt *rows = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, q, -1, &rows, NULL), SQLITE_OK);
        free(q);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            uint64_t h = kg_hash_fnv64(t, strlen(t));
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const void *p = sqlite3_column_blob(rows, c);
                int n = sqlite3_column_bytes(rows, c);
                h = h * 1099511628211ULL ^ (p ? kg_hash_fnv64(p, (size_t)n) : 7u);
            }
            sum += h; /* commutative: row order does not matter */
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    DIR *d = opendir(F->dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || strncmp(de->d_name, "t.db", 4) == 0)
            continue;
        char *p = tu_join(F->dir, de->d_name);
        struct stat sb;
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
            size_t n = 0;
            char *bytes = tu_read(p, &n);
            sum += kg_hash_fnv64(de->d_name, strlen(de->d_name)) ^ kg_hash_fnv64(bytes, n);
            free(bytes);
        } else {
            sum += kg_hash_fnv64(de->d_name, strlen(de->d_name));
        }
        free(p);
    }
    closedir(d);
    return sum;
}

/* The first column of the first row of sql: as a number, or as text
 * (caller frees). */
static double query(const char *sql, char **text)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(F->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    double v = sqlite3_column_double(s, 0);
    if (text) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        *text = strdup(t ? t : "");
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static double scalar(const char *sql)
{
    return query(sql, NULL);
}

static char *text_of(const char *sql)
{
    char *t = NULL;
    query(sql, &t);
    return t;
}

/* The sample arguments of `kgas tools --validate`, on the fixture's note. */
static char *sample(const kg_tool *t)
{
    kg_buf b = KG_BUF_INIT;
    const char *p = t->sample_args, *q;
    while ((q = strstr(p, "$SAMPLE"))) {
        kg_buf_append(&b, p, (size_t)(q - p));
        kg_buf_puts(&b, F->note);
        p = q + 7;
    }
    kg_buf_puts(&b, p);
    return kg_buf_steal(&b);
}

/* ---- tests --------------------------------------------------------------- */

static void test_every_tool_declares_its_hints(void **st)
{
    (void)st;
    for (size_t i = 0; i < kg_tools_count(); i++) {
        const kg_tool *t = kg_tools_at(i);
        if (!(t->hints & KG_HINTS_DECLARED))
            fail_msg("%s declares no annotations", t->name);
        if ((t->hints & KG_HINT_READ_ONLY) && (t->hints & KG_HINT_DESTRUCTIVE))
            fail_msg("%s: read-only and destructive", t->name);
        json_t *d = kg_tool_describe(t);
        json_t *a = json_object_get(d, "annotations");
        assert_int_equal(json_is_true(json_object_get(a, "readOnlyHint")),
                         !!(t->hints & KG_HINT_READ_ONLY));
        assert_int_equal(json_is_true(json_object_get(a, "destructiveHint")),
                         !!(t->hints & KG_HINT_DESTRUCTIVE));
        assert_int_equal(json_is_true(json_object_get(a, "idempotentHint")),
                         !!(t->hints & KG_HINT_IDEMPOTENT));
        assert_int_equal(json_is_true(json_object_get(a, "openWorldHint")),
                         !!(t->hints & KG_HINT_OPEN_WORLD));
        json_decref(d);
    }
}

/* Read-only tools change nothing; idempotent ones change nothing the second
 * time.  Each runs its sample call twice. */
static void test_sample_calls_match_read_only_and_idempotent(void **st)
{
    (void)st;
    for (size_t i = 0; i < kg_tools_count(); i++) {
        const kg_tool *t = kg_tools_at(i);
        /* Tools that need the LLM service are checked the same way against
         * the fake service in tests/integration/test_llm.py. */
        if (t->flags & KG_TOOL_NEEDS_LLM)
            continue;
        char *args = sample(t);
        uint64_t before = state();
        call_ok(t->name, args);
        uint64_t once = state();
        call_ok(t->name, args);
        uint64_t twice = state();
        if ((t->hints & KG_HINT_READ_ONLY) && (before != once || once != twice))
            fail_msg("%s says readOnlyHint but %s changed stored data or files", t->name, args);
        if ((t->hints & KG_HINT_IDEMPOTENT) && once != twice)
            fail_msg("%s says idempotentHint but a second %s changed something", t->name, args);
        free(args);
    }
}

/* The tools shown writing below: each must say it is neither read-only
 * nor harmless, and every tool that is not read-only must be shown here. */
static const char *const WRITERS[] = {"export_graph_table", "export_multi_format",
                                      "calculate_pagerank", "fuse_documents",
                                      "embed_chunks",       "ingest"};
#define NWRITERS (sizeof WRITERS / sizeof WRITERS[0])

static void test_writers_are_the_tools_not_read_only(void **st)
{
    (void)st;
    for (size_t i = 0; i < kg_tools_count(); i++) {
        const kg_tool *t = kg_tools_at(i);
        int shown = 0;
        for (size_t k = 0; k < NWRITERS; k++)
            shown |= strcmp(WRITERS[k], t->name) == 0;
        if (shown == !!(t->hints & KG_HINT_READ_ONLY))
            fail_msg("%s: readOnlyHint %d, but it is %s by test_writers_write_and_destroy", t->name,
                     !!(t->hints & KG_HINT_READ_ONLY),
                     shown ? "shown writing" : "not shown writing");
        if (shown && !(t->hints & KG_HINT_DESTRUCTIVE))
            fail_msg("%s overwrites what is there but says destructiveHint false", t->name);
    }
}

/* Each tool that is not read-only: a call that writes, then one that
 * overwrites or removes what the first left (destructive). */
static void test_writers_write_and_destroy(void **st)
{
    (void)st;
    char *out = tu_join(F->dir, "out");
    char *gml = tu_join(F->dir, "g.graphml");
    char *a;
    uint64_t s0 = state();

    /* export_graph_table / export_multi_format: a file at output_path, and a
     * second export to the same path replaces its bytes. */
    assert_int_equal(tu_sh("mkdir -p '%s'", out), 0);
    a = fmt("{\"format\":\"json\",\"output_path\":\"%s\"}", out);
    call_ok("export_graph_table", a);
    free(a);
    uint64_t s1 = state();
    assert_true(s1 != s0);
    char *jpath = tu_join(out, "graph.json");
    size_t n1 = 0, n2 = 0;
    char *first = tu_read(jpath, &n1);
    assert_non_null(first);
    a = fmt("{\"format\":\"json\",\"output_path\":\"%s\",\"limit\":1}", out);
    call_ok("export_graph_table", a);
    free(a);
    char *second = tu_read(jpath, &n2);
    assert_true(n1 != n2 || memcmp(first, second, n1) != 0);
    free(first);
    free(second);
    free(jpath);
    a = fmt("{\"format\":\"graphml\",\"output_path\":\"%s\"}", gml);
    call_ok("export_multi_format", a);
    free(a);
    first = tu_read(gml, &n1);
    assert_non_null(first);
    a = fmt("{\"format\":\"graphml\",\"output_path\":\"%s\",\"limit\":1}", gml);
    call_ok("export_multi_format", a);
    free(a);
    second = tu_read(gml, &n2);
    assert_true(n1 != n2 || memcmp(first, second, n1) != 0);
    free(first);
    free(second);

    /* calculate_pagerank: new scores replace the stored ones. */
    double top = scalar("SELECT max(pagerank) FROM entities");
    s0 = state();
    call_ok("calculate_pagerank", "{\"damping_factor\":0.3}");
    assert_true(state() != s0);
    assert_true(scalar("SELECT max(pagerank) FROM entities") != top);

    /* fuse_documents: entities merged away (fusion after ingest is off). */
    double ents = scalar("SELECT count(*) FROM entities");
    call_ok("fuse_documents", "{}");
    assert_true(scalar("SELECT count(*) FROM entities") < ents);

    /* embed_chunks: vectors written; after the chunks change, the IDF is
     * refitted and the vectors already there are replaced. */
    call_ok("embed_chunks", "{}");
    assert_true(scalar("SELECT count(*) FROM embeddings") > 0);
    const char *first_vec = "SELECT hex(vector) FROM embeddings WHERE owner_id = (SELECT "
                            "min(owner_id) FROM embeddings WHERE owner_id LIKE 'chunk_%')";
    char *v0 = text_of(first_vec);
    char *third = tu_join(F->dir, "third.md");
    tu_write_str(third, "# Third\n\nGrace Hopper wrote the first compiler at Remington Rand. "
                        "Grace Hopper later joined the Navy.\n");
    a = fmt("{\"paths\":[\"%s\"]}", third);

    /* ingest: writes documents; a changed file replaces its old version. */
    s0 = state();
    call_ok("ingest", a);
    free(a);
    assert_true(state() != s0);
    json_t *r = call("embed_chunks", "{}");
    assert_true(json_is_true(json_object_get(json_object_get(r, "structuredContent"), "refit")));
    json_decref(r);
    char *v1 = text_of(first_vec);
    assert_string_not_equal(v0, v1);
    free(v0);
    free(v1);
    assert_true(scalar("SELECT count(*) FROM chunks WHERE text LIKE '%Analytical Engine%'") > 0);
    tu_write_str(F->note, "# Note\n\nThe note was rewritten: nothing about engines now.\n");
    a = fmt("{\"paths\":[\"%s\"]}", F->note);
    call_ok("ingest", a);
    free(a);
    assert_int_equal(
        (int)scalar("SELECT count(*) FROM chunks WHERE text LIKE '%Analytical Engine%'"), 0);
    free(third);
    free(out);
    free(gml);
}

/* Open world: a tool can reach a service exactly when one of its arguments
 * selects one (extractor "llm", model "api"). */
static void test_open_world_matches_service_arguments(void **st)
{
    (void)st;
    for (size_t i = 0; i < kg_tools_count(); i++) {
        const kg_tool *t = kg_tools_at(i);
        int reaches = strstr(t->input_schema, "\"llm\"") != NULL ||
                      strstr(t->input_schema, "api") != NULL || (t->flags & KG_TOOL_NEEDS_LLM);
        if (reaches != !!(t->hints & KG_HINT_OPEN_WORLD))
            fail_msg("%s: openWorldHint %d, but its arguments %s reach a service", t->name,
                     !!(t->hints & KG_HINT_OPEN_WORLD), reaches ? "can" : "cannot");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_tool_declares_its_hints),
        cmocka_unit_test_setup_teardown(test_sample_calls_match_read_only_and_idempotent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_writers_write_and_destroy, setup, teardown),
        cmocka_unit_test(test_writers_are_the_tools_not_read_only),
        cmocka_unit_test(test_open_world_matches_service_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
