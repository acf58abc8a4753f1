/* cmd_tools: `kgas tools` (list, --validate) and `kgas tool NAME --args JSON`.
 * Both go through kg_tool_call, the same path the MCP server uses. */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/commands.h"
#include "store/store.h"
#include "tools/graph_views.h"
#include "net/openai.h"
#include "tools/registry.h"

static volatile int g_tool_cancel;

static void on_sigint(int sig)
{
    (void)sig;
    g_tool_cancel = 1;
    signal(SIGINT, SIG_DFL);
}

static void progress_stderr(void *ud, double done, double total, const char *msg)
{
    (void)ud;
    if (total > 0)
        fprintf(stderr, "\r%3.0f%%  %s   ", 100.0 * done / total, msg ? msg : "");
    else
        fprintf(stderr, "\r%s   ", msg ? msg : "");
    if (total > 0 && done >= total)
        fputc('\n', stderr);
}

static void init_ctx(kg_tool_ctx *ctx, kg_cli *c, const char *db, kg_tool_runtime *rt)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->db_path = db;
    ctx->cfg = c->cfg;
    ctx->policy = &c->policy;
    ctx->cancel = &g_tool_cancel;
    ctx->rt = rt;
}

/* Replace every "$SAMPLE" in a sample-argument template. */
static json_t *sample_args(const char *tmpl, const char *sample_path)
{
    kg_buf b = KG_BUF_INIT;
    const char *p = tmpl, *q;
    while ((q = strstr(p, "$SAMPLE"))) {
        kg_buf_append(&b, p, (size_t)(q - p));
        kg_buf_puts(&b, sample_path);
        p = q + 7;
    }
    kg_buf_puts(&b, p);
    json_t *j = json_loads(kg_buf_str(&b), 0, NULL);
    kg_buf_free(&b);
    return j;
}

#define VALIDATE_RUNS 20

static const char SAMPLE_TEXT[] =
    "# Sample\n\nAlan Turing worked at Bletchley Park with Gordon Welchman. "
    "The Bombe was designed there in 1939. Turing later moved to the University of "
    "Manchester, where the Manchester Baby ran its first program in 1948.\n\n"
    "Dr. Maria Keller is a professor at the University of Lisbon. In 2019 Keller "
    "proposed the Graph Echo Network (GEN).\n";

static void print_validation(json_t *out, int runs)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(out, "tools"), i, row)
    {
        const char *name = json_string_value(json_object_get(row, "name"));
        const char *skip = json_string_value(json_object_get(row, "skipped"));
        const char *error = json_string_value(json_object_get(row, "error"));
        if (skip)
            printf("%-24s skip  %s\n", name, skip);
        else
            printf("%-24s %s  %8.1f ms%s%s\n", name,
                   json_is_true(json_object_get(row, "passed")) ? "ok  " : "FAIL",
                   json_real_value(json_object_get(row, "ms")), error ? "  " : "",
                   error ? error : "");
    }
    printf("average %.1f ms (mean of %d runs each, ingest once); slowest but ingest "
           "%.1f ms; %d failed, %d skipped\n",
           json_real_value(json_object_get(out, "average_ms")), runs,
           json_real_value(json_object_get(out, "slowest_but_ingest_ms")),
           (int)json_integer_value(json_object_get(out, "failed")),
           (int)json_integer_value(json_object_get(out, "skipped")));
    json_decref(out);
}

/* Run every tool once on built-in input in a temporary folder. */
static int validate_all(kg_cli *c, int json)
{
    char tmpl[] = "/tmp/kgas-validate-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir) {
        kg_cli_error("cannot create a temporary folder: %s", strerror(errno));
        return KG_EXIT_FAILED;
    }
    char db[512], sample[512];
    snprintf(db, sizeof db, "%s/validate.db", dir);
    snprintf(sample, sizeof sample, "%s/sample.md", dir);
    FILE *f = fopen(sample, "w");
    if (!f || fputs(SAMPLE_TEXT, f) < 0 || fclose(f) != 0) {
        kg_cli_error("cannot write %s", sample);
        return KG_EXIT_FAILED;
    }
    kg_tool_runtime rt;
    kg_tool_runtime_init(&rt, "cli", 1);
    kg_tool_ctx ctx;
    init_ctx(&ctx, c, db, &rt);
    json_t *list = json_array();
    double total_ms = 0, worst_ms = 0;
    int failures = 0, skipped = 0;
    for (size_t i = 0; i < kg_tools_count(); i++) {
        const kg_tool *t = kg_tools_at(i);
        if ((t->flags & KG_TOOL_NEEDS_LLM) && !kg_openai_configured(c->cfg, "llm")) {
            json_array_append_new(list, json_pack("{s:s, s:b, s:s}", "name", t->name, "passed", 0,
                                                  "skipped",
                                                  "needs the LLM service (llm.base_url, "
                                                  "llm.model)"));
            skipped++;
            continue;
        }
        json_t *args = sample_args(t->sample_args, sample);
        /* Ingest (the whole pipeline; later runs would only find the file
         * unchanged) runs once; every other tool VALIDATE_RUNS times so "ms"
         * is a mean, not one cold call. */
        int runs = strcmp(t->name, "ingest") == 0 ? 1 : VALIDATE_RUNS;
        double sum_ms = 0, max_ms = 0;
        json_t *res = NULL;
        for (int r = 0; r < runs; r++) {
            json_decref(res);
            double t0 = kg_tool_now();
            res = kg_tool_call(t, &ctx, args);
            double ms = (kg_tool_now() - t0) * 1000.0;
            sum_ms += ms;
            if (ms > max_ms)
                max_ms = ms;
        }
        double ms = sum_ms / runs;
        int passed = !json_is_true(json_object_get(res, "isError"));
        kg_err e;
        if (passed && kg_tool_check_output(t, res, &e) != 0)
            passed = 0;
        json_t *row = json_pack("{s:s, s:b, s:f, s:f, s:i}", "name", t->name, "passed", passed,
                                "ms", ms, "max_ms", max_ms, "runs", runs);
        if (!passed) {
            failures++;
            json_t *c0 = json_array_get(json_object_get(res, "content"), 0);
            json_object_set_new(row, "error",
                                json_string(json_is_true(json_object_get(res, "isError"))
                                                ? json_string_value(json_object_get(c0, "text"))
                                                : e.msg));
        }
        json_array_append_new(list, row);
        total_ms += ms;
        if (strcmp(t->name, "ingest") != 0 && ms > worst_ms)
            worst_ms = ms;
        json_decref(args);
        json_decref(res);
    }
    kg_tool_runtime_release(&rt);
    remove(sample);
    kg_store_remove(db);
    rmdir(dir);
    size_t n = kg_tools_count() - (size_t)skipped;
    json_t *out = json_pack("{s:o, s:f, s:f, s:i, s:i}", "tools", list, "average_ms",
                            n ? total_ms / (double)n : 0.0, "slowest_but_ingest_ms", worst_ms,
                            "failed", failures, "skipped", skipped);
    if (json)
        kg_cli_print_json(out);
    else
        print_validation(out, VALIDATE_RUNS);
    return failures ? KG_EXIT_FAILED : KG_EXIT_OK;
}

int kg_cmd_tools(kg_cli *c)
{
    int json = 0, validate = 0;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(c->argv[i], "--validate") == 0)
            validate = 1;
        else
            return kg_cli_usage_error(c, "unknown argument '%s'", c->argv[i]);
    }
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    if (validate)
        return validate_all(c, json);
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < kg_tools_count(); i++)
            json_array_append_new(arr, kg_tool_describe(kg_tools_at(i)));
        kg_cli_print_json(json_pack("{s:o}", "tools", arr));
        return KG_EXIT_OK;
    }
    for (size_t i = 0; i < kg_tools_count(); i++)
        printf("  %-24s %s\n", kg_tools_at(i)->name, kg_tools_at(i)->title);
    printf("\n`kgas tools --json` shows each tool's description and schemas.\n");
    return KG_EXIT_OK;
}

int kg_cmd_tool(kg_cli *c)
{
    const char *name = NULL, *args_text = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *val;
        int r = kg_cli_opt_value(c, &i, "--args", &val);
        if (r < 0)
            return KG_EXIT_USAGE;
        if (r == 1) {
            args_text = val;
            continue;
        }
        if (c->argv[i][0] == '-' || name)
            return kg_cli_usage_error(c, "unexpected argument '%s'", c->argv[i]);
        name = c->argv[i];
    }
    if (!name)
        return kg_cli_usage_error(c, "name a tool (see `kgas tools`)");
    const kg_tool *t = kg_tools_find(name);
    if (!t) {
        kg_cli_error("unknown tool '%s' (see `kgas tools`)", name);
        return KG_EXIT_USAGE;
    }
    json_t *args = NULL;
    if (args_text) {
        json_error_t je;
        args = json_loads(args_text, JSON_REJECT_DUPLICATES, &je);
        if (!args)
            return kg_cli_usage_error(c, "--args is not valid JSON: %s (column %d)", je.text,
                                      je.column);
    }
    int rc = kg_cli_finish_settings(c);
    if (rc) {
        json_decref(args);
        return rc;
    }
    kg_tool_runtime rt;
    kg_tool_runtime_init(&rt, "cli", 1);
    kg_tool_ctx ctx;
    init_ctx(&ctx, c, kg_config_str(c->cfg, "db"), &rt);
    if (isatty(2)) {
        ctx.progress = progress_stderr;
    }
    signal(SIGINT, on_sigint);
    json_t *res = kg_tool_call(t, &ctx, args);
    json_decref(args);
    kg_tool_runtime_release(&rt);
    int is_error = json_is_true(json_object_get(res, "isError"));
    if (is_error) {
        json_t *c0 = json_array_get(json_object_get(res, "content"), 0);
        kg_cli_error("%s: %s", name, json_string_value(json_object_get(c0, "text")));
        kg_cli_print_json(res);
        return KG_EXIT_FAILED;
    }
    kg_cli_print_json(json_incref(json_object_get(res, "structuredContent")));
    json_decref(res);
    return KG_EXIT_OK;
}
