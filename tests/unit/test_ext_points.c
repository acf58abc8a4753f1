/* test_ext_points: each extension point is one table, and everything that
 * lists its entries takes them from that table: the input formats
 * (text/load_list.h), the export formats (export/export_list.h: --format,
 * `kgas export --help`, the export tools' schema enums), the settings both
 * API services share (config.c), and the wait of services/service_loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "cli/commands.h"
#include "config/config.h"
#include "export/export.h"
#include "services/service_loop.h"
#include "testutil.h"
#include "text/load.h"
#include "tools/registry.h"

static void test_list_sep(void **st)
{
    (void)st;
    const char *items[] = {"a", "b", "c"};
    const char *want[] = {"a", "a or b", "a, b or c"};
    for (size_t n = 1; n <= 3; n++) {
        kg_buf b = KG_BUF_INIT;
        for (size_t i = 0; i < n; i++) {
            kg_buf_list_sep(&b, i, n, "or");
            kg_buf_puts(&b, items[i]);
        }
        assert_string_equal(kg_buf_str(&b), want[n - 1]);
        kg_buf_free(&b);
    }
}

/* Every input format of the table is chosen by its extensions, in any case,
 * and the message lists each once, in the table's order. */
static void test_input_formats(void **st)
{
    (void)st;
    kg_buf list = KG_BUF_INIT;
    kg_doc_kinds_list(&list, "or");
    assert_string_equal(kg_buf_str(&list), ".pdf, .txt, .md or .html");
    kg_buf_free(&list);

    int n = 0;
    for (kg_doc_kind k = 0; strcmp(kg_doc_kind_name(k), "unknown") != 0; k++, n++) {
        char path[64];
        snprintf(path, sizeof path, "dir.x/Paper.%s", kg_doc_kind_name(k));
        assert_int_equal(kg_doc_kind_for_path(path), k);
        for (char *p = strrchr(path, '.'); *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        assert_int_equal(kg_doc_kind_for_path(path), k);
    }
    assert_int_equal(n, 4);
    /* Second extensions of a row, and near misses. */
    assert_int_equal(kg_doc_kind_for_path("a.htm"), KG_KIND_HTML);
    assert_int_equal(kg_doc_kind_for_path("a.markdown"), KG_KIND_MD);
    assert_int_equal(kg_doc_kind_for_path("a.tex"), KG_KIND_UNKNOWN);
    assert_int_equal(kg_doc_kind_for_path("a.texts"), KG_KIND_UNKNOWN);
    assert_int_equal(kg_doc_kind_for_path("a."), KG_KIND_UNKNOWN);
    assert_int_equal(kg_doc_kind_for_path("pdf"), KG_KIND_UNKNOWN);

    kg_load_info info;
    kg_err e;
    assert_int_equal(kg_load_file(NULL, "notes.docx", KG_KIND_UNKNOWN, NULL, &info, &e),
                     KG_EFORMAT);
    assert_string_equal(e.msg, "notes.docx: unknown document type (use .pdf, .txt, .md or .html)");
}

/* The "format" enum of an export tool's input schema. */
static const json_t *format_enum(const char *tool)
{
    const json_t *in = kg_tool_input_schema(kg_tools_find(tool));
    return json_object_get(json_object_get(json_object_get(in, "properties"), "format"), "enum");
}

static void test_export_formats(void **st)
{
    (void)st;
    size_t n = kg_export_format_count();
    assert_int_equal(n, 8);
    const json_t *table = format_enum("export_graph_table");
    const json_t *multi = format_enum("export_multi_format");
    /* Each format is offered by exactly one tool, in the table's order. */
    assert_int_equal(json_array_size(table) + json_array_size(multi), n);
    size_t ti = 0, mi = 0;
    for (size_t i = 0; i < n; i++) {
        kg_export_format f = (kg_export_format)i, back;
        kg_err e;
        assert_int_equal(kg_export_format_parse(kg_export_format_name(f), &back, &e), KG_OK);
        assert_int_equal(back, f);
        assert_true(strlen(kg_export_format_help(f)) > 10);
        const json_t *want = kg_export_format_group(f) == KG_EXPORT_GROUP_TABLE
                                 ? json_array_get(table, ti++)
                                 : json_array_get(multi, mi++);
        assert_string_equal(json_string_value(want), kg_export_format_name(f));
    }
    assert_string_equal(json_string_value(json_array_get(table, 0)), "csv");
    assert_string_equal(json_string_value(json_array_get(multi, 0)), "graphml");

    kg_export_format f;
    kg_err e;
    assert_int_equal(kg_export_format_parse("dot", &f, &e), KG_EINVAL);
    assert_string_equal(e.msg, "unknown export format 'dot' (use csv, json, graphml, neo4j, "
                               "cypher, latex, bibtex or markdown)");
}

/* `kgas export --help` has one line per format, between its head and tail. */
static void test_export_help(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "help.txt");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    kg_cmd_export_help(f);
    fclose(f);
    char *text = tu_read(path, NULL);
    assert_non_null(text);
    assert_ptr_equal(strstr(text, KG_USAGE_EXPORT_HEAD), text);
    size_t tail = strlen(KG_USAGE_EXPORT_TAIL);
    assert_string_equal(text + strlen(text) - tail, KG_USAGE_EXPORT_TAIL);
    assert_non_null(strstr(text, "\n  csv       nodes.csv, edges.csv, adjacency.csv"));
    assert_non_null(strstr(text, "\n  markdown  a report: "));
    size_t lines = 0;
    for (size_t i = 0; i < kg_export_format_count(); i++) {
        char line[256];
        snprintf(line, sizeof line, "  %-9s %s\n", kg_export_format_name((kg_export_format)i),
                 kg_export_format_help((kg_export_format)i));
        lines += strstr(text, line) != NULL;
    }
    assert_int_equal(lines, kg_export_format_count());
    free(text);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

/* llm.* and embed.* share their declaration: the same keys, defaults and
 * ranges, only the help wording differs. */
static void test_service_settings(void **st)
{
    (void)st;
    const char *keys[] = {"requests_per_minute", "tokens_per_minute", "max_concurrency",
                          "timeout_s",           "connect_timeout_s", "retries",
                          "breaker_failures",    "breaker_cooldown_s"};
    kg_config *c = kg_config_new();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "llm.%s", keys[i]);
        snprintf(b, sizeof b, "embed.%s", keys[i]);
        assert_int_equal(kg_config_int(c, a), kg_config_int(c, b));
    }
    const char *strs[] = {"base_url", "model", "api_key", "key_file", "key_command"};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "llm.%s", strs[i]);
        snprintf(b, sizeof b, "embed.%s", strs[i]);
        assert_true(kg_config_known(a) && kg_config_known(b));
        assert_null(kg_config_str(c, a));
    }
    kg_err e;
    assert_int_equal(kg_config_set(c, "embed.retries", "21", KG_SRC_CALL, "test", &e), KG_EINVAL);
    assert_int_equal(kg_config_set(c, "llm.retries", "21", KG_SRC_CALL, "test", &e), KG_EINVAL);
    assert_int_equal(kg_config_set(c, "llm.retries", "20", KG_SRC_CALL, "test", &e), KG_OK);
    assert_false(kg_config_known("llm.batch_size"));
    assert_true(kg_config_known("embed.batch_size"));
    kg_config_free(c);
}

/* A caller's wait says stop at once when cancelled, and otherwise waits
 * (up to the poll period) and says look again. */
static void test_service_wait(void **st)
{
    (void)st;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cond;
    kg_cond_init_monotonic(&cond);
    volatile int cancel = 1;
    pthread_mutex_lock(&mu);
    assert_int_equal(kg_service_wait(&cond, &mu, &cancel), 1);
    cancel = 0;
    assert_int_equal(kg_service_wait(&cond, &mu, &cancel), 0);
    assert_int_equal(kg_service_wait(&cond, &mu, NULL), 0);
    pthread_mutex_unlock(&mu);
    pthread_cond_destroy(&cond);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_sep),         cmocka_unit_test(test_input_formats),
        cmocka_unit_test(test_export_formats),   cmocka_unit_test(test_export_help),
        cmocka_unit_test(test_service_settings), cmocka_unit_test(test_service_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
