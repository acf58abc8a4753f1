/* fuzz_http: the HTTP request path up to the MCP handler: the bytes a
 * client sends on one connection, parsed by libmicrohttpd and answered by
 * server/http.c and http_call.c (connection accounting, Host/Origin/token
 * checks, CORS, content negotiation, sessions, dispatch, event streams and
 * their resumption).  The server runs in-process without a listening
 * socket; each input is one connection handed to it (a socketpair), written
 * and half-closed, and the loop runs until the server closes it.
 *
 * A session with the id 00000000000000000000000000000001 exists for every
 * input (its protocol version picked by the input's length), so inputs can
 * reach what needs one; all sessions end after each input.  The database
 * path does not exist, so tools fail fast.
 *
 * libmicrohttpd does not close a connection whose client half-closed in the
 * middle of a request's headers: it waits for the request timeout
 * (mcp.request_timeout_s, 1 s here).  So when nothing more comes back and no
 * call is running, the harness closes its end and lets the timeout reap the
 * connection while later inputs run. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "server/http_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static http_srv *g_h;
static kg_config *g_cfg;
static kg_path_policy g_policy;

static void start(void)
{
    kg_err e;
    if (kg_mhd_lib_load(&e) != KG_OK)
        abort();
    g_cfg = kg_config_new();
    /* Short clocks, so a connection left waiting ends within the input. */
    kg_config_set(g_cfg, "mcp.max_body_bytes", "65536", KG_SRC_CALL, "fuzz", &e);
    kg_config_set(g_cfg, "mcp.resume_grace_s", "0", KG_SRC_CALL, "fuzz", &e);
    kg_config_set(g_cfg, "mcp.request_timeout_s", "1", KG_SRC_CALL, "fuzz", &e);
    kg_config_set(g_cfg, "mcp.keepalive_timeout_s", "1", KG_SRC_CALL, "fuzz", &e);
    kg_config_set(g_cfg, "mcp.allowed_origins", "https://app.example", KG_SRC_CALL, "fuzz", &e);
    kg_path_policy_init(&g_policy);
    kg_path_policy_add_root(&g_policy, fz_dir(), &e);
    kg_mcp_serve_opts o = {"/nonexistent-kgas-fuzz/kgas.db", g_cfg, &g_policy, 2, NULL, NULL};
    g_h = kg_mh_open(&o, NULL, 1);
    if (!g_h)
        abort();
}

static void known_session(size_t size)
{
    static const char *const versions[] = {"2025-03-26", "2025-06-18", "2025-11-25"};
    sess *s = kg_mh_sess_new(g_h);
    memset(s->id, '0', 32);
    s->id[31] = '1';
    char init[256];
    snprintf(init, sizeof init,
             "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
             "\"protocolVersion\":\"%s\",\"capabilities\":{},\"clientInfo\":{\"name\":\"f\","
             "\"version\":\"0\"}}}",
             versions[size % 3]);
    kg_mcp_session_handle(s->ss, init, strlen(init), NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_h)
        start();
    known_session(size);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        abort();
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(4242)};
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (kg_mhd->add_connection(g_h->d, sv[1], (struct sockaddr *)&peer, sizeof peer) != MHD_YES)
        abort();
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    size_t off = 0;
    int eof = 0, quiet = 0;
    char buf[65536];
    for (int round = 0; !eof && quiet < 50; round++) {
        if (off < size) {
            ssize_t w = write(sv[0], data + off, size - off);
            if (w > 0)
                off += (size_t)w;
            else if (w < 0 && errno != EAGAIN)
                off = size;
            if (off == size)
                shutdown(sv[0], SHUT_WR);
        } else if (size == 0 && round == 0) {
            shutdown(sv[0], SHUT_WR);
        }
        kg_mh_poke(g_h);
        uv_run(&g_h->loop, UV_RUN_NOWAIT);
        quiet++;
        for (;;) {
            ssize_t r = read(sv[0], buf, sizeof buf);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                eof = 1;
                break;
            }
            if (r < 0)
                break;
            quiet = 0;
        }
        if (off < size || kg_mcp_server_busy(g_h->srv))
            quiet = 0;
        if (!eof && kg_mcp_server_busy(g_h->srv))
            uv_run(&g_h->loop, UV_RUN_ONCE); /* a worker has a call: wait for it */
    }
    close(sv[0]);
    while (g_h->sessions)
        kg_mh_sess_end(g_h, g_h->sessions);
    while (kg_mcp_server_busy(g_h->srv))
        uv_run(&g_h->loop, UV_RUN_ONCE);
    kg_mh_poke(g_h);
    return 0;
}
