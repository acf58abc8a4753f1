/* cmd_doctor: `kgas doctor [--json]`: can kgas do everything it is set up to?
 *
 * First the optional shared libraries, which kgas opens only when a command
 * needs them (base/dynlib.h): can each be loaded, and which version is it?
 * A broken one otherwise shows up only at the first PDF or API call.  Then
 * for each API service (llm, embed) that is configured: are its keys
 * present and well-formed, and does one cheap authenticated request (GET
 * /models) succeed?  The requests run on a libuv loop this command owns.
 * Messages name settings and where their values came from, never a key. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "net/credentials.h"
#include "net/curl_lib.h"
#include "net/http.h"
#include "net/openai.h"
#include "server/mhd_lib.h"
#include "pdf/pdf_lib.h"

static const char *const SERVICES[] = {"llm", "embed"};
#define NSERVICES (sizeof SERVICES / sizeof SERVICES[0])

typedef struct check {
    const char *service;
    int configured;
    kg_openai_opts opts;
    kg_credentials *cred;
    kg_openai *ai;
    int done, ok;
    long http_status;
    size_t models;
    int model_listed;
    char error[KG_ERR_MSG_MAX];
} check;

static void on_models(const kg_openai_result *r, void *ud)
{
    check *k = ud;
    k->done = 1;
    k->http_status = r->http_status;
    if (r->status != KG_OK) {
        snprintf(k->error, sizeof k->error, "%s", r->error);
        return;
    }
    k->ok = 1;
    k->models = json_array_size(r->json);
    size_t i;
    json_t *id;
    json_array_foreach(r->json, i, id)
    {
        if (k->opts.model[0] && strcmp(json_string_value(id), k->opts.model) == 0)
            k->model_listed = 1;
    }
}

static json_t *check_json(const check *k)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "service", k->service, "base_url", k->opts.base_url,
                          "model", k->opts.model, "ok", k->ok);
    const char *key = k->cred ? kg_credentials_key(k->cred) : NULL;
    json_object_set_new(o, "key", json_string(key ? "present" : "absent"));
    json_object_set_new(o, "key_source",
                        json_string(k->cred ? kg_credentials_origin(k->cred) : ""));
    json_object_set_new(o, "http_status", json_integer(k->http_status));
    if (k->ok) {
        json_object_set_new(o, "models", json_integer((json_int_t)k->models));
        if (k->opts.model[0])
            json_object_set_new(o, "model_listed", json_boolean(k->model_listed));
    } else {
        json_object_set_new(o, "error", json_string(k->error));
    }
    return o;
}

static void print_check(const check *k)
{
    const char *key = k->cred ? kg_credentials_key(k->cred) : NULL;
    printf("%s: %s\n", k->service, k->opts.base_url);
    if (k->cred)
        printf("  key: %s%s%s\n", key ? "present, well-formed, from " : "none",
               key ? kg_credentials_origin(k->cred) : "",
               key ? "" : " (requests go unauthenticated; fine for local servers)");
    if (k->ok) {
        printf("  GET /models: ok, %zu models", k->models);
        if (k->opts.model[0])
            printf("; %s %s", k->opts.model, k->model_listed ? "is listed" : "is NOT listed");
        printf("\n");
    } else {
        printf("  FAILED: %s\n", k->error);
    }
}

/* Load each optional library; print or collect the outcome.  Returns how
 * many failed. */
static int check_libraries(json_t *out)
{
    kg_err e[3];
    const char *soname[3] = {kg_pdf_lib_soname(), kg_curl_lib_soname(), kg_mhd_lib_soname()};
    const char *needed_for[3] = {"reading PDFs", "LLM and embedding services", "kgas mcp --http"};
    int ok[3] = {kg_pdf_lib_load(&e[0]) == KG_OK, kg_curl_lib_load(&e[1]) == KG_OK,
                 kg_mhd_lib_load(&e[2]) == KG_OK};
    const char *version[3] = {ok[0] ? kg_pdf->version() : NULL, ok[1] ? kg_curl->version() : NULL,
                              ok[2] ? kg_mhd->version() : NULL};
    int failed = 0;
    if (!out)
        printf("libraries (opened when first needed):\n");
    for (int i = 0; i < 3; i++) {
        failed += !ok[i];
        if (out) {
            json_t *o = json_pack("{s:s,s:s,s:b}", "soname", soname[i], "for", needed_for[i], "ok",
                                  ok[i]);
            json_object_set_new(o, ok[i] ? "version" : "error",
                                json_string(ok[i] ? version[i] : e[i].msg));
            json_array_append_new(out, o);
        } else if (ok[i]) {
            printf("  %s: ok, %s (for %s)\n", soname[i], version[i], needed_for[i]);
        } else {
            printf("  %s: FAILED: %s\n", soname[i], e[i].msg);
        }
    }
    return failed;
}

int kg_cmd_doctor(kg_cli *c)
{
    int json = 0;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--json") == 0)
            json = 1;
        else
            return kg_cli_usage_error(c, "unexpected argument '%s'", c->argv[i]);
    }
    json_t *libs = json ? json_array() : NULL;
    int failed = check_libraries(libs) > 0;
    check ks[NSERVICES];
    memset(ks, 0, sizeof ks);
    size_t nconf = 0;
    uv_loop_t loop;
    uv_loop_init(&loop);
    /* Without libcurl (reported above) each configured service fails with
     * the same message below. */
    kg_err http_err;
    kg_http *http = kg_http_new(&loop, &http_err);
    kg_err e;
    for (size_t i = 0; i < NSERVICES; i++) {
        check *k = &ks[i];
        k->service = SERVICES[i];
        k->configured = kg_openai_configured(c->cfg, k->service);
        if (!k->configured)
            continue;
        nconf++;
        kg_openai_opts_from_config(c->cfg, k->service, &k->opts);
        if (!http) {
            snprintf(k->error, sizeof k->error, "%s", http_err.msg);
            k->done = 1;
            continue;
        }
        if (kg_credentials_open(c->cfg, k->service, &k->cred, &e) != KG_OK) {
            snprintf(k->error, sizeof k->error, "%s", e.msg);
            k->done = 1;
            continue;
        }
        if (k->opts.retries > 1)
            k->opts.retries = 1; /* a health check should answer quickly */
        k->ai = kg_openai_new(&loop, http, &k->opts, k->cred);
        if (kg_openai_list_models(k->ai, on_models, k, &e) != KG_OK) {
            snprintf(k->error, sizeof k->error, "%s", e.msg);
            k->done = 1;
        }
    }
    for (;;) {
        int waiting = 0;
        for (size_t i = 0; i < NSERVICES; i++)
            waiting |= ks[i].configured && !ks[i].done;
        if (!waiting)
            break;
        uv_run(&loop, UV_RUN_ONCE);
    }
    json_t *out = json ? json_array() : NULL;
    if (nconf == 0 && !json)
        printf("no API service is configured (set llm.base_url or embed.base_url, or a key: "
               "see docs/llm.md); kgas works without one\n");
    for (size_t i = 0; i < NSERVICES; i++) {
        check *k = &ks[i];
        if (!k->configured)
            continue;
        failed |= !k->ok;
        if (json)
            json_array_append_new(out, check_json(k));
        else
            print_check(k);
    }
    if (json)
        kg_cli_print_json(json_pack("{s:b,s:o,s:i,s:o}", "ok", !failed, "libraries", libs,
                                    "configured", (int)nconf, "services", out));
    for (size_t i = 0; i < NSERVICES; i++) {
        kg_openai_free(ks[i].ai);
    }
    kg_http_free(http);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    for (size_t i = 0; i < NSERVICES; i++)
        kg_credentials_free(ks[i].cred);
    return failed ? KG_EXIT_FAILED : KG_EXIT_OK;
}
