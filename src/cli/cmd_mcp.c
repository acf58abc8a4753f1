/* cmd_mcp: `kgas mcp [--http HOST:PORT] [--token-file FILE] [--workers N]`.
 * Settles the settings (path policy defaults to the working folder, the
 * token from mcp.token / KGAS_MCP_TOKEN / --token-file) and hands over to
 * server/. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "cli/commands.h"
#include "server/serve.h"

static char *read_token_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char buf[4097];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    char *token = kg_xstrdup(buf);
    sodium_memzero(buf, sizeof buf); /* the stack copy must not outlive its use */
    return token;
}

int kg_cmd_mcp(kg_cli *c)
{
    const char *http = NULL, *token_file = NULL, *workers_s = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *v;
        int r;
        if ((r = kg_cli_opt_value(c, &i, "--http", &v)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            http = v;
        } else if ((r = kg_cli_opt_value(c, &i, "--token-file", &v)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            token_file = v;
        } else if ((r = kg_cli_opt_value(c, &i, "--workers", &v)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            workers_s = v;
        } else {
            return kg_cli_usage_error(c, "unknown argument '%s'", c->argv[i]);
        }
    }
    if (workers_s) {
        int rc = kg_cli_set_flag(c, "mcp.workers", "--workers", workers_s);
        if (rc)
            return rc;
    }
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    kg_err e;
    /* A server reads files for a client it does not know: without an
     * explicit allowed_roots it may read only below the working folder. */
    if (c->policy.nroots == 0) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd) || kg_path_policy_add_root(&c->policy, cwd, &e) != KG_OK) {
            kg_cli_error("cannot use the working folder as the allowed root");
            return KG_EXIT_FAILED;
        }
    }
    char *token = NULL;
    if (token_file) {
        token = read_token_file(token_file);
        if (!token || strlen(token) < 16) {
            kg_cli_error("--token-file %s: %s", token_file,
                         token ? "token shorter than 16 characters" : "cannot read the file");
            if (token)
                sodium_memzero(token, strlen(token));
            free(token);
            return KG_EXIT_USAGE;
        }
        kg_redact_register(token);
    } else if (kg_config_str(c->cfg, "mcp.token")) {
        token = kg_xstrdup(kg_config_str(c->cfg, "mcp.token"));
    }
    long workers = kg_config_int(c->cfg, "mcp.workers");
    if (workers <= 0) {
        workers = sysconf(_SC_NPROCESSORS_ONLN);
        if (workers < 2)
            workers = 2; /* one long ingest must not starve every other call */
    }
    /* libuv sizes its pool from this variable at first use. */
    char wbuf[24];
    snprintf(wbuf, sizeof wbuf, "%ld", workers);
    setenv("UV_THREADPOOL_SIZE", wbuf, 1);
    kg_mcp_serve_opts o = {
        kg_config_str(c->cfg, "db"), c->cfg, &c->policy, (int)workers, http, token};
    rc = http ? kg_mcp_serve_http(&o, &e) : kg_mcp_serve_stdio(&o, &e);
    if (token) {
        sodium_memzero(token, strlen(token));
        free(token);
    }
    if (rc != KG_OK) {
        kg_cli_error("%s", e.msg);
        return KG_EXIT_FAILED;
    }
    return KG_EXIT_OK;
}
