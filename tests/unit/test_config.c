/* Unit tests for config/: precedence, validation, unknown keys, secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "config/config.h"
#include "testutil.h"

static void test_defaults(void **st)
{
    (void)st;
    kg_config *c = kg_config_new();
    assert_int_equal(kg_config_int(c, "chunk_size"), 512);
    assert_int_equal(kg_config_int(c, "chunk_overlap"), 50);
    assert_string_equal(kg_config_str(c, "db"), "kgas.db");
    assert_true(kg_config_double(c, "pagerank.damping") > 0.849);
    assert_int_equal(kg_config_source_of(c, "db"), KG_SRC_DEFAULT);
    assert_null(kg_config_str(c, "allowed_roots"));
    assert_null(kg_config_str(c, "no.such"));
    assert_int_equal(kg_config_int(c, "no.such"), 0);
    assert_true(kg_config_known("jobs"));
    assert_false(kg_config_known("jobz"));
    kg_err e;
    assert_int_equal(kg_config_validate(c, &e), KG_OK);
    kg_config_free(c);
}

static void test_precedence(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *conf = tu_join(dir, "kgas.conf");
    tu_write_str(conf, "# comment\n; another\n\nchunk_size = 256\njobs=3\ndb = \"from-file.db\"\n"
                       "[pagerank]\ndamping = 0.9\nmax_iterations = 50\n");
    kg_config *c = kg_config_new();
    kg_err e;
    assert_int_equal(kg_config_load_file(c, conf, 1, &e), KG_OK);
    assert_int_equal(kg_config_int(c, "chunk_size"), 256);
    assert_string_equal(kg_config_str(c, "db"), "from-file.db");
    assert_true(kg_config_double(c, "pagerank.damping") > 0.89);
    assert_int_equal(kg_config_source_of(c, "chunk_size"), KG_SRC_FILE);
    assert_non_null(strstr(kg_config_origin_of(c, "chunk_size"), "kgas.conf:4"));

    char *env[] = {"HOME=/root", "KGAS_CHUNK_SIZE=300", "KGAS_PAGERANK_DAMPING=0.8",
                   "KGAS_CONFIG=/ignored", NULL};
    assert_int_equal(kg_config_load_env(c, env, &e), KG_OK);
    assert_int_equal(kg_config_int(c, "chunk_size"), 300);
    assert_int_equal(kg_config_source_of(c, "chunk_size"), KG_SRC_ENV);
    assert_string_equal(kg_config_origin_of(c, "chunk_size"), "KGAS_CHUNK_SIZE");
    assert_int_equal(kg_config_int(c, "jobs"), 3); /* file value survives */

    assert_int_equal(kg_config_set(c, "chunk_size", "400", KG_SRC_FLAG, "--chunk-size", &e), KG_OK);
    assert_int_equal(kg_config_int(c, "chunk_size"), 400);
    assert_string_equal(kg_config_source_name(kg_config_source_of(c, "chunk_size")), "flag");

    kg_buf out = KG_BUF_INIT;
    kg_config_dump(c, 0, &out);
    assert_non_null(strstr(out.data, "chunk_size"));
    assert_non_null(strstr(out.data, "(flag: --chunk-size)"));
    kg_buf_free(&out);
    kg_config_dump(c, 1, &out);
    assert_non_null(strstr(out.data, "\"source\": \"env\""));
    assert_non_null(strstr(out.data, "\"chunk_size\": {"));
    kg_buf_free(&out);

    /* A missing optional file is fine; a missing required one is not. */
    char *missing = tu_join(dir, "nope.conf");
    assert_int_equal(kg_config_load_file(c, missing, 0, &e), KG_OK);
    assert_int_equal(kg_config_load_file(c, missing, 1, &e), KG_EIO);
    assert_non_null(strstr(e.msg, "nope.conf"));
    kg_config_free(c);
    free(missing);
    free(conf);
    tu_rmrf(dir);
    free(dir);
}

static void expect_set_error(const char *name, const char *value, const char *needle)
{
    kg_config *c = kg_config_new();
    kg_err e;
    int rc = kg_config_set(c, name, value, KG_SRC_FLAG, "--x", &e);
    assert_int_equal(rc, KG_EINVAL);
    if (!strstr(e.msg, needle))
        fail_msg("message '%s' lacks '%s'", e.msg, needle);
    kg_config_free(c);
}

static void test_validation_errors(void **st)
{
    (void)st;
    expect_set_error("chunk_size", "8",
                     "setting chunk_size from --x: 8 is out of range "
                     "(allowed: 16..8192 tokens)");
    expect_set_error("chunk_size", "9000", "out of range");
    expect_set_error("chunk_size", "big", "not a whole number");
    expect_set_error("chunk_size", "12x", "not a whole number");
    expect_set_error("pagerank.damping", "1.5", "allowed: 0.01..0.99");
    expect_set_error("pagerank.damping", "abc", "not a number");
    expect_set_error("log_level", "loud", "allowed: debug|info|warn|error|off");
    expect_set_error("chunk_sise", "5", "did you mean 'chunk_size'?");
    expect_set_error("damping", "0.5", "did you mean 'pagerank.damping'?");
    expect_set_error("zzzzzzzzzzzz", "1", "`kgas config` lists the settings");
    char longval[5000];
    memset(longval, 'a', sizeof longval - 1);
    longval[sizeof longval - 1] = '\0';
    expect_set_error("db", longval, "longer than");
    expect_set_error("db", "a\nb", "line break");

    kg_config *c = kg_config_new();
    kg_err e;
    assert_int_equal(kg_config_set(c, "chunk_size", "64", KG_SRC_FLAG, "--chunk-size", &e), 0);
    assert_int_equal(kg_config_set(c, "chunk_overlap", "40", KG_SRC_FLAG, "--chunk-overlap", &e),
                     0);
    assert_int_equal(kg_config_validate(c, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "chunk_overlap from --chunk-overlap: 40 is more than half"));
    kg_config_free(c);
}

static void test_file_errors(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *conf = tu_join(dir, "bad.conf");
    kg_err e;
    const char *cases[][2] = {
        {"chunk_size = 4\n", "bad.conf:1"},
        {"\n\nnot a pair\n", "bad.conf:3: expected 'key = value'"},
        {"[broken\n", "malformed section header"},
        {"chunk_sizee = 100\n", "did you mean 'chunk_size'?"},
        {"[pagerank]\ndampin = 0.5\n", "unknown setting 'pagerank.dampin' (did you mean "
                                       "'pagerank.damping'?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tu_write_str(conf, cases[i][0]);
        kg_config *c = kg_config_new();
        assert_int_equal(kg_config_load_file(c, conf, 1, &e), KG_EINVAL);
        if (!strstr(e.msg, cases[i][1]))
            fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i][1]);
        kg_config_free(c);
    }
    char *env_bad[] = {"KGAS_CHUNK_SIZ=3", NULL};
    kg_config *c = kg_config_new();
    assert_int_equal(kg_config_load_env(c, env_bad, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "did you mean KGAS_CHUNK_SIZE?"));
    char *env_bad2[] = {"KGAS_QQQQQQQQQQQQQQQQ=3", NULL};
    assert_int_equal(kg_config_load_env(c, env_bad2, &e), KG_EINVAL);
    char *env_range[] = {"KGAS_JOBS=9999", NULL};
    assert_int_equal(kg_config_load_env(c, env_range, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "setting jobs from KGAS_JOBS: 9999 is out of range"));
    assert_int_equal(kg_config_load_env(c, NULL, &e), KG_OK);
    kg_config_free(c);
    free(conf);
    tu_rmrf(dir);
    free(dir);
}

static void test_secret_never_shown(void **st)
{
    (void)st;
    const char *tok = "tok-SUPERSECRET-42";
    kg_config *c = kg_config_new();
    kg_err e;
    kg_buf out = KG_BUF_INIT;
    kg_config_dump(c, 0, &out);
    assert_non_null(strstr(out.data, "[unset]"));
    kg_buf_free(&out);
    char *env[] = {"KGAS_MCP_TOKEN=tok-SUPERSECRET-42", NULL};
    assert_int_equal(kg_config_load_env(c, env, &e), KG_OK);
    assert_string_equal(kg_config_str(c, "mcp.token"), tok);
    kg_config_dump(c, 0, &out);
    assert_null(strstr(out.data, tok));
    assert_non_null(strstr(out.data, "[set]"));
    kg_buf_free(&out);
    kg_config_dump(c, 1, &out);
    assert_null(strstr(out.data, tok));
    assert_non_null(strstr(out.data, "\"[set]\""));
    kg_buf_free(&out);
    /* Registered with the redactor the moment it was read. */
    char line[128];
    snprintf(line, sizeof line, "Authorization: Bearer %s", tok);
    kg_redact_inplace(line, sizeof line);
    assert_null(strstr(line, tok));
    /* Replacing it retires the old value from the redactor's list. */
    assert_int_equal(kg_config_set(c, "mcp.token", "tok-OTHER-0000", KG_SRC_FLAG, "--token", &e),
                     KG_OK);
    snprintf(line, sizeof line, "%s", tok);
    kg_redact_inplace(line, sizeof line);
    assert_string_equal(line, tok);
    kg_config_free(c);
    snprintf(line, sizeof line, "tok-OTHER-0000");
    kg_redact_inplace(line, sizeof line);
    assert_string_equal(line, "tok-OTHER-0000"); /* freed config forgot it */
}

static void test_bool_and_edit_distance(void **st)
{
    (void)st;
    assert_int_equal(kg_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(kg_edit_distance("", "abc"), 3);
    assert_int_equal(kg_edit_distance("Same", "same"), 0);
    char big[100];
    memset(big, 'x', 99);
    big[99] = '\0';
    assert_int_equal(kg_edit_distance(big, "x"), 99);
    assert_string_equal(kg_config_source_name((kg_config_source)42), "?");
    kg_config *c = kg_config_new();
    kg_err e;
    assert_int_equal(kg_config_bool(c, "graph.build"), 1);
    assert_int_equal(kg_config_set(c, "graph.build", "off", KG_SRC_CALL, "test", &e), KG_OK);
    assert_int_equal(kg_config_bool(c, "graph.build"), 0);
    assert_int_equal(kg_config_set(c, "graph.build", "maybe", KG_SRC_CALL, "test", &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "not a boolean"));
    kg_buf out = KG_BUF_INIT;
    kg_config_dump(c, 1, &out);
    assert_non_null(strstr(out.data, "\"value\": false"));
    kg_buf_free(&out);
    assert_int_equal(kg_config_bool(c, "db"), 0);
    assert_int_equal(kg_config_bool(c, "nothing"), 0);
    kg_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),           cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_validation_errors),  cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_secret_never_shown), cmocka_unit_test(test_bool_and_edit_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
