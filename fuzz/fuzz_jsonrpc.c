/* fuzz_jsonrpc: JSON-RPC framing and MCP dispatch, as a stdio line or an
 * HTTP body reaches them.  The input is split at newlines into messages
 * handed, in order, to one fresh session of a real MCP server (its loop, its
 * worker pool): initialize, batches (2025-03-26), cancellation, tools/call
 * with any arguments (schema validation, then the tool; the database path
 * does not exist and the only allowed root is the scratch folder, so tools
 * fail fast or work on the text given), resources.  Every request must get
 * exactly one answer; kg_jsonrpc_sniff_id runs on every prefix it can. */
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "config/config.h"
#include "common.h"
#include "server/jsonrpc.h"
#include "server/mcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uv_loop_t g_loop;
static kg_mcp_server *g_srv;
static kg_config *g_cfg;
static kg_path_policy g_policy;
static int g_finals;

static void on_send(void *ud, void *route, json_t *msg, int final)
{
    (void)ud;
    (void)route;
    if (msg) { /* what goes out must serialise as one line */
        size_t n;
        char *line = kg_jsonrpc_dump_line(msg, &n);
        if (!line || memchr(line, '\n', n - 1))
            __builtin_trap();
        free(line);
    }
    g_finals += final;
    json_decref(msg);
}

static void start(void)
{
    uv_loop_init(&g_loop);
    g_cfg = kg_config_new();
    kg_err e;
    kg_path_policy_init(&g_policy);
    if (kg_path_policy_add_root(&g_policy, fz_dir(), &e) != KG_OK)
        abort();
    kg_mcp_server_opts o = {&g_loop, "/nonexistent-kgas-fuzz/kgas.db", g_cfg, &g_policy, "fuzz", 2};
    g_srv = kg_mcp_server_new(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_srv)
        start();
    const char *p = (const char *)data, *end = p + size;
    json_t *id = kg_jsonrpc_sniff_id(p, size);
    json_decref(id);
    kg_mcp_session *ss = kg_mcp_session_new(g_srv, on_send, NULL);
    g_finals = 0;
    int owed = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        owed += kg_mcp_session_handle(ss, p, n, (void *)p) != KG_MCP_NO_ANSWER;
        while (kg_mcp_server_busy(g_srv))
            uv_run(&g_loop, UV_RUN_ONCE);
        p += n + (nl ? 1 : 0);
    }
    if (g_finals != owed)
        __builtin_trap(); /* a request without its one answer, or two */
    kg_mcp_session_close(ss);
    return 0;
}
