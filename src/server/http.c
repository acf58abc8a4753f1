/* http: the MCP Streamable HTTP transport (endpoint /mcp) on the libuv loop.
 *
 * Why libmicrohttpd in external-epoll mode with suspend/resume: MHD then
 * owns no thread at all.  Its epoll descriptor is watched by one uv_poll and
 * its timeouts by one uv_timer, so every HTTP callback runs on the loop
 * thread, next to stdio, timers and signals, and touches session state
 * without locks.  This file is the front (connections, checks, routing);
 * server/http_call.c answers (http_internal.h says how they share).
 *
 * Connections.  Three clocks, not one: a connection must send its request
 * within mcp.request_timeout_s of falling silent; one idle between requests
 * (keep-alive) is closed after mcp.keepalive_timeout_s (and says so in a
 * Keep-Alive header, so clients do not reuse it just as it closes); sessions
 * expire after mcp.idle_timeout_s, whatever their connections do.  Past
 * mcp.max_connections a new connection is answered 503 with Retry-After: 1
 * and the oldest idle connection is told to close within a second, so idle
 * sockets cannot lock clients out; MHD itself refuses (closes at once) the
 * connections beyond a margin above that.
 *
 * Checks, in order: the connection limit (503), the path (404), Host (403
 * when kgas listens on loopback and Host names another machine: DNS
 * rebinding), Origin (403), CORS preflight (OPTIONS, answered before the
 * token, which browsers do not send on preflights), the bearer token (401),
 * then by method: POST (406 when Accept allows neither JSON nor event
 * streams, 415 for another Content-Type, 400 for an unknown
 * MCP-Protocol-Version, 413 past mcp.max_body_bytes, 400 with -32700 for
 * invalid JSON, 400 without a session id, 404 for an unknown one), GET
 * (only to resume a stream with Last-Event-ID; else 405), DELETE (ends a
 * session; 400 without its id), anything else 405; every 405 carries Allow.
 * A browser whose Origin is allowed gets CORS headers on every answer
 * (Mcp-Session-Id exposed); others get none.
 *
 * libmicrohttpd is called through the kg_mhd table (server/mhd_lib.h),
 * loaded when the server starts. */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "base/log.h"
#include "server/http_guard.h"
#include "server/http_internal.h"
#include "server/jsonrpc.h"
#include "server/serve.h"

#define ALLOW "GET, POST, DELETE, OPTIONS"

static void http_run(http_srv *h);
static void on_kick(uv_timer_t *t);

/* ---- responses --------------------------------------------------------------- */

const char *kg_mh_header(req *r, const char *name)
{
    return kg_mhd->lookup_connection_value(r->c, MHD_HEADER_KIND, name);
}

/* CORS: only for a browser whose Origin passed the check. */
static void add_cors(req *r, struct MHD_Response *resp)
{
    const char *origin = kg_mh_header(r, "Origin");
    if (!origin || !kg_http_origin_ok(r->h->origins, origin))
        return;
    kg_mhd->add_response_header(resp, "Access-Control-Allow-Origin", origin);
    kg_mhd->add_response_header(resp, "Access-Control-Expose-Headers",
                                "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate");
    kg_mhd->add_response_header(resp, "Vary", "Origin");
}

enum MHD_Result kg_mh_queue(req *r, unsigned status, struct MHD_Response *resp, const char *session)
{
    add_cors(r, resp);
    if (session && *session)
        kg_mhd->add_response_header(resp, "Mcp-Session-Id", session);
    char ka[32];
    snprintf(ka, sizeof ka, "timeout=%u", r->h->keepalive_timeout_s);
    kg_mhd->add_response_header(resp, "Keep-Alive", ka);
    enum MHD_Result ok = kg_mhd->queue_response(r->c, status, resp);
    kg_mhd->destroy_response(resp);
    return ok;
}

static struct MHD_Response *buffer_response(const char *ctype, const char *body, size_t len)
{
    struct MHD_Response *resp = kg_mhd->create_response_from_buffer(len, (void *)body,
                                                                    MHD_RESPMEM_MUST_COPY);
    if (ctype)
        kg_mhd->add_response_header(resp, "Content-Type", ctype);
    return resp;
}

enum MHD_Result kg_mh_respond(req *r, unsigned status, const char *ctype, const char *body,
                              size_t len, const char *session)
{
    return kg_mh_queue(r, status, buffer_response(ctype, body, len), session);
}

static struct MHD_Response *error_response(int code, const char *msg)
{
    json_t *e = kg_jsonrpc_error(NULL, code, msg, NULL);
    size_t n;
    char *s = kg_jsonrpc_dump_line(e, &n);
    json_decref(e);
    struct MHD_Response *resp = buffer_response("application/json", s, n);
    free(s);
    return resp;
}

enum MHD_Result kg_mh_respond_error(req *r, unsigned status, int code, const char *msg)
{
    struct MHD_Response *resp = error_response(code, msg);
    if (status == MHD_HTTP_UNAUTHORIZED)
        kg_mhd->add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"kgas\"");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        kg_mhd->add_response_header(resp, "Allow", ALLOW);
    return kg_mh_queue(r, status, resp, NULL);
}

void kg_mh_wake(req *r)
{
    if (!r->suspended)
        return;
    r->suspended = 0;
    kg_mhd->resume_connection(r->c);
    uv_timer_start(&r->h->kick, on_kick, 0, 0);
}

/* ---- connections --------------------------------------------------------------- */

static void set_timeout(conn *cn, unsigned s)
{
    if (cn->timeout_s == s)
        return;
    cn->timeout_s = s;
    kg_mhd->set_connection_option(cn->c, MHD_CONNECTION_OPTION_TIMEOUT, s);
}

static void idle_add(conn *cn)
{
    http_srv *h = cn->h;
    if (cn->idle)
        return;
    cn->idle = 1;
    cn->prev = h->idle_tail;
    cn->next = NULL;
    if (h->idle_tail)
        h->idle_tail->next = cn;
    else
        h->idle_head = cn;
    h->idle_tail = cn;
}

static void idle_remove(conn *cn)
{
    http_srv *h = cn->h;
    if (!cn->idle)
        return;
    cn->idle = 0;
    if (cn->prev)
        cn->prev->next = cn->next;
    else
        h->idle_head = cn->next;
    if (cn->next)
        cn->next->prev = cn->prev;
    else
        h->idle_tail = cn->prev;
    cn->prev = cn->next = NULL;
}

/* MHD_NotifyConnectionCallback: count connections; a new one starts idle
 * (it has sent no request yet). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    http_srv *h = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn *cn = kg_xcalloc(1, sizeof *cn);
        cn->h = h;
        cn->c = c;
        cn->timeout_s = h->request_timeout_s;
        cn->over = ++h->nconns > h->max_conns;
        idle_add(cn);
        *socket_context = cn;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        conn *cn = *socket_context;
        idle_remove(cn);
        h->nconns--;
        free(cn);
        *socket_context = NULL;
    }
}

/* At the limit: the oldest idle connection gets a second to send something
 * or go, so that the client told to retry finds room. */
static void reap_one(http_srv *h)
{
    for (conn *cn = h->idle_head; cn; cn = cn->next)
        if (!cn->reaped) {
            cn->reaped = 1;
            set_timeout(cn, 1);
            return;
        }
}

static enum MHD_Result over_limit(req *r)
{
    http_srv *h = r->h;
    reap_one(h);
    char msg[200];
    snprintf(msg, sizeof msg,
             "Service Unavailable: %u connections are open (mcp.max_connections); retry in a "
             "second",
             h->nconns - 1);
    struct MHD_Response *resp = error_response(-32000, msg);
    kg_mhd->add_response_header(resp, "Retry-After", "1");
    kg_mhd->add_response_header(resp, "Connection", "close");
    return kg_mh_queue(r, MHD_HTTP_SERVICE_UNAVAILABLE, resp, NULL);
}

/* ---- the access handler ------------------------------------------------------ */

static int version_ok(req *r)
{
    const char *v = kg_mh_header(r, "MCP-Protocol-Version");
    if (!v)
        return 1;
    for (int i = 0; KG_MCP_VERSIONS[i]; i++)
        if (strcmp(v, KG_MCP_VERSIONS[i]) == 0)
            return 1;
    return 0;
}

static int is_initialize(const json_t *j)
{
    const char *m = json_string_value(json_object_get(j, "method"));
    return json_is_object(j) && m && strcmp(m, "initialize") == 0;
}

static enum MHD_Result preflight(req *r)
{
    struct MHD_Response *resp = buffer_response(NULL, "", 0);
    kg_mhd->add_response_header(resp, "Allow", ALLOW);
    if (kg_mh_header(r, "Origin")) {
        kg_mhd->add_response_header(resp, "Access-Control-Allow-Methods", ALLOW);
        kg_mhd->add_response_header(resp, "Access-Control-Allow-Headers",
                                    "Content-Type, Accept, Authorization, Mcp-Session-Id, "
                                    "Mcp-Protocol-Version, Last-Event-ID");
        kg_mhd->add_response_header(resp, "Access-Control-Max-Age", "600");
    }
    return kg_mh_queue(r, MHD_HTTP_NO_CONTENT, resp, NULL);
}

/* The checks every request passes, in the order the top of the file gives;
 * MHD_YES with nothing queued when it may go on. */
static enum MHD_Result check_request(req *r, const char *url, const char *method, int *done)
{
    http_srv *h = r->h;
    *done = 1;
    if (r->cn && r->cn->over)
        return over_limit(r);
    if (strcmp(url, "/mcp") != 0)
        return kg_mh_respond(r, MHD_HTTP_NOT_FOUND, "text/plain", "not found: use /mcp\n", 20,
                             NULL);
    if (h->check_host && !kg_http_host_ok(h->hosts, kg_mh_header(r, "Host")))
        return kg_mh_respond_error(r, MHD_HTTP_FORBIDDEN, KG_RPC_INVALID_REQUEST,
                                   "Forbidden: Host not allowed (DNS rebinding protection; see "
                                   "mcp.allowed_hosts)");
    if (!kg_http_origin_ok(h->origins, kg_mh_header(r, "Origin")))
        return kg_mh_respond_error(r, MHD_HTTP_FORBIDDEN, KG_RPC_INVALID_REQUEST,
                                   "Forbidden: Origin not allowed (see mcp.allowed_origins)");
    if (strcmp(method, "OPTIONS") == 0)
        return preflight(r);
    if (!kg_http_token_ok(h->token, kg_mh_header(r, "Authorization")))
        return kg_mh_respond_error(r, MHD_HTTP_UNAUTHORIZED, KG_RPC_INVALID_REQUEST,
                                   "Unauthorized: send Authorization: Bearer <token>");
    *done = 0;
    return MHD_YES;
}

static enum MHD_Result on_get(req *r)
{
    const char *last = kg_mh_header(r, "Last-Event-ID");
    if (!last)
        return kg_mh_respond_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, KG_RPC_INVALID_REQUEST,
                                   "Method Not Allowed: kgas sends nothing unsolicited, so "
                                   "GET only resumes a stream (with Last-Event-ID)");
    if (!kg_http_accepts(kg_mh_header(r, "Accept"), "text/event-stream"))
        return kg_mh_respond_error(r, MHD_HTTP_NOT_ACCEPTABLE, KG_RPC_INVALID_REQUEST,
                                   "Not Acceptable: a resumed stream is text/event-stream");
    const char *sid = kg_mh_header(r, "Mcp-Session-Id");
    if (!sid)
        return kg_mh_respond_error(r, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                                   "Bad Request: Mcp-Session-Id header required");
    sess *s = kg_mh_sess_find(r->h, sid);
    if (!s)
        return kg_mh_respond_error(r, MHD_HTTP_NOT_FOUND, KG_RPC_INVALID_REQUEST,
                                   "Session not found: start a new one with initialize");
    return kg_mh_resume(r, s, last);
}

static enum MHD_Result on_delete(req *r)
{
    const char *sid = kg_mh_header(r, "Mcp-Session-Id");
    if (!sid)
        return kg_mh_respond_error(r, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                                   "Bad Request: Mcp-Session-Id header required");
    sess *s = kg_mh_sess_find(r->h, sid);
    if (!s)
        return kg_mh_respond_error(r, MHD_HTTP_NOT_FOUND, KG_RPC_INVALID_REQUEST,
                                   "Session not found");
    kg_mh_sess_end(r->h, s);
    return kg_mh_respond(r, MHD_HTTP_OK, NULL, "", 0, NULL);
}

/* A POST's headers: what can be refused before its body is read. */
static enum MHD_Result post_headers(req *r, int *done)
{
    http_srv *h = r->h;
    *done = 1;
    const char *accept = kg_mh_header(r, "Accept");
    r->want_json = kg_http_accepts(accept, "application/json");
    r->want_sse = accept && kg_http_accepts(accept, "text/event-stream");
    if (!r->want_json && !r->want_sse)
        return kg_mh_respond_error(r, MHD_HTTP_NOT_ACCEPTABLE, KG_RPC_INVALID_REQUEST,
                                   "Not Acceptable: accept application/json or "
                                   "text/event-stream");
    if (!kg_http_is_json(kg_mh_header(r, "Content-Type")))
        return kg_mh_respond_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, KG_RPC_INVALID_REQUEST,
                                   "Unsupported Media Type: Content-Type must be "
                                   "application/json");
    if (!version_ok(r))
        return kg_mh_respond_error(r, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                                   "Bad Request: unsupported MCP-Protocol-Version");
    const char *cl = kg_mh_header(r, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > h->max_body)
        r->too_big = 1;
    *done = 0;
    return MHD_YES;
}

static enum MHD_Result on_post(req *r)
{
    http_srv *h = r->h;
    if (r->too_big) {
        char msg[160];
        snprintf(msg, sizeof msg, "Invalid Request: body larger than %zu bytes", h->max_body);
        return kg_mh_respond_error(r, MHD_HTTP_CONTENT_TOO_LARGE, KG_RPC_INVALID_REQUEST, msg);
    }
    json_t *error = NULL;
    json_t *msg = kg_jsonrpc_load(r->body.data ? r->body.data : "", r->body.len, &error);
    if (!msg) {
        size_t n;
        char *s = kg_jsonrpc_dump_line(error, &n);
        json_decref(error);
        enum MHD_Result ok = kg_mh_respond(r, MHD_HTTP_BAD_REQUEST, "application/json", s, n, NULL);
        free(s);
        return ok;
    }
    const char *sid = kg_mh_header(r, "Mcp-Session-Id");
    sess *s;
    int fresh = 0;
    if (is_initialize(msg)) {
        s = kg_mh_sess_new(h);
        fresh = 1;
    } else if (!sid) {
        json_decref(msg);
        return kg_mh_respond_error(r, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                                   "Bad Request: Mcp-Session-Id header required (send "
                                   "initialize first)");
    } else if (!(s = kg_mh_sess_find(h, sid))) {
        json_decref(msg);
        return kg_mh_respond_error(r, MHD_HTTP_NOT_FOUND, KG_RPC_INVALID_REQUEST,
                                   "Session not found: start a new one with initialize");
    }
    return kg_mh_dispatch(r, s, msg, fresh);
}

/* The first call for a request: its headers are in. */
static enum MHD_Result on_headers(http_srv *h, req *r, const char *url, const char *method)
{
    if (r->cn) {
        idle_remove(r->cn);
        set_timeout(r->cn, h->request_timeout_s);
    }
    int done = 0;
    enum MHD_Result ok = check_request(r, url, method, &done);
    if (done)
        return ok;
    if (strcmp(method, "POST") == 0)
        return post_headers(r, &done);
    r->dispatched = 1;
    if (strcmp(method, "GET") == 0)
        return on_get(r);
    if (strcmp(method, "DELETE") == 0)
        return on_delete(r);
    return kg_mh_respond_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, KG_RPC_INVALID_REQUEST,
                               "Method Not Allowed: use POST (GET with Last-Event-ID resumes a "
                               "stream; DELETE ends a session)");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    http_srv *h = cls;
    req *r = *con_cls;
    if (!r) {
        r = kg_xcalloc(1, sizeof *r);
        r->h = h;
        r->c = c;
        const union MHD_ConnectionInfo *ci = kg_mhd->get_connection_info(
            c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        r->cn = ci ? ci->socket_context : NULL;
        *con_cls = r;
        return on_headers(h, r, url, method);
    }
    if (*upload_size) {
        if (!r->too_big && r->body.len + *upload_size > h->max_body) {
            r->too_big = 1;
            kg_buf_free(&r->body);
        }
        if (!r->too_big)
            kg_buf_append(&r->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->dispatched)
        return r->call || r->orphaned ? kg_mh_resumed(r) : MHD_YES;
    return on_post(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_srv *h = cls;
    req *r = *con_cls;
    *con_cls = NULL;
    const union MHD_ConnectionInfo *ci = kg_mhd->get_connection_info(
        c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn *cn = ci ? ci->socket_context : NULL;
    if (cn && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK && !cn->over) {
        idle_add(cn); /* keep-alive: waits for its next request */
        if (!cn->reaped)
            set_timeout(cn, h->keepalive_timeout_s);
    }
    if (!r)
        return;
    kg_mh_req_done(r, toe);
    kg_buf_free(&r->body);
    kg_buf_free(&r->out);
    free(r);
}

/* ---- loop glue ----------------------------------------------------------------- */

static void on_timer(uv_timer_t *t)
{
    http_run(t->data);
}

static void on_poll(uv_poll_t *p, int status, int events)
{
    (void)status;
    (void)events;
    http_run(p->data);
}

static void http_run(http_srv *h)
{
    if (!h->d)
        return;
    kg_mhd->run(h->d);
    MHD_UNSIGNED_LONG_LONG to;
    if (kg_mhd->get_timeout(h->d, &to) == MHD_YES)
        uv_timer_start(&h->timer, on_timer, to, 0);
    else
        uv_timer_stop(&h->timer);
}

static void on_kick(uv_timer_t *t)
{
    http_run(t->data);
}

static void on_beat(uv_timer_t *t)
{
    kg_mh_beat(t->data);
}

static void on_sweep(uv_timer_t *t)
{
    kg_mh_sess_sweep(t->data);
}

static void close_all(uv_handle_t *hd, void *arg)
{
    (void)arg;
    if (!uv_is_closing(hd))
        uv_close(hd, NULL);
}

static void finish(void *ud)
{
    http_srv *h = ud;
    kg_mcp_server_shutdown(h->srv);
    uv_walk(&h->loop, close_all, NULL);
}

static void on_signal(uv_signal_t *sg, int signum)
{
    (void)signum;
    http_srv *h = sg->data;
    if (h->stopping)
        return;
    h->stopping = 1;
    uv_poll_stop(&h->poll);
    while (h->sessions)
        kg_mh_sess_end(h, h->sessions);
    if (kg_mcp_server_busy(h->srv))
        kg_mcp_server_on_idle(h->srv, finish, h);
    else
        finish(h);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    kg_debug("mcp http: %s", line);
}

/* Connections need descriptors: raise the soft limit to the hard one and
 * keep the connection limit (and MHD's margin above it) within it. */
static unsigned fit_connections(unsigned want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return want;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    /* Room for the database handles of the workers, the loop's own
     * descriptors and MHD's margin of refusable connections. */
    rlim_t room = rl.rlim_cur > 128 ? rl.rlim_cur - 128 : 0;
    unsigned fit = (unsigned)(room - room / 9);
    if (rl.rlim_cur != RLIM_INFINITY && want > fit) {
        kg_warn("mcp http: mcp.max_connections %u lowered to %u: the process may open %llu "
                "files (ulimit -n)",
                want, fit, (unsigned long long)rl.rlim_cur);
        return fit ? fit : 1;
    }
    return want;
}

static void start_timers(http_srv *h, int epoll_fd)
{
    uv_poll_init(&h->loop, &h->poll, epoll_fd);
    h->poll.data = h;
    uv_poll_start(&h->poll, UV_READABLE, on_poll);
    uv_timer_t *timers[] = {&h->timer, &h->kick, &h->sweep, &h->beat};
    for (size_t i = 0; i < 4; i++) {
        uv_timer_init(&h->loop, timers[i]);
        timers[i]->data = h;
    }
    uv_timer_start(&h->sweep, on_sweep, 10000, 10000);
    uv_timer_start(&h->beat, on_beat, KG_HTTP_BEAT_MS, KG_HTTP_BEAT_MS);
}

static void read_settings(http_srv *h, const kg_mcp_serve_opts *o, int loopback)
{
    h->token = o->token;
    h->origins = kg_config_str(o->cfg, "mcp.allowed_origins");
    h->hosts = kg_config_str(o->cfg, "mcp.allowed_hosts");
    /* Beyond loopback the bearer token guards (a rebinding page cannot send
     * it); there Host is checked only against a list given. */
    h->check_host = loopback || h->hosts;
    h->max_body = (size_t)kg_config_int(o->cfg, "mcp.max_body_bytes");
    h->idle_s = (double)kg_config_int(o->cfg, "mcp.idle_timeout_s");
    h->grace_s = (double)kg_config_int(o->cfg, "mcp.resume_grace_s");
    h->request_timeout_s = (unsigned)kg_config_int(o->cfg, "mcp.request_timeout_s");
    h->keepalive_timeout_s = (unsigned)kg_config_int(o->cfg, "mcp.keepalive_timeout_s");
    h->max_conns = fit_connections((unsigned)kg_config_int(o->cfg, "mcp.max_connections"));
}

http_srv *kg_mh_open(const kg_mcp_serve_opts *o, const struct sockaddr *addr, int loopback)
{
    http_srv *h = kg_xcalloc(1, sizeof *h);
    uv_loop_init(&h->loop);
    read_settings(h, o, loopback);
    unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (!addr)
        flags |= MHD_USE_NO_LISTEN_SOCKET;
    else if (addr->sa_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* MHD accepts a margin beyond the limit so those connections can be told
     * 503; beyond the margin it closes them at once. */
    unsigned hard = h->max_conns + h->max_conns / 8 + 16;
    h->d = kg_mhd->start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, addr,
                                MHD_OPTION_CONNECTION_LIMIT, hard, MHD_OPTION_CONNECTION_TIMEOUT,
                                h->request_timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
                                MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
                                MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h, MHD_OPTION_END);
    if (!h->d) {
        uv_loop_close(&h->loop);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *ep = kg_mhd->get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
    kg_mcp_server_opts so = {&h->loop, o->db_path, o->cfg, o->policy, "http", o->workers};
    h->srv = kg_mcp_server_new(&so);
    start_timers(h, ep->epoll_fd);
    return h;
}

void kg_mh_poke(http_srv *h)
{
    http_run(h);
}

void kg_mh_close(http_srv *h)
{
    if (!h->stopping) { /* not by a signal: end what is open now */
        h->stopping = 1;
        uv_poll_stop(&h->poll);
        while (h->sessions)
            kg_mh_sess_end(h, h->sessions);
        while (kg_mcp_server_busy(h->srv))
            uv_run(&h->loop, UV_RUN_ONCE);
        finish(h);
    }
    uv_run(&h->loop, UV_RUN_DEFAULT);
    kg_mhd->stop_daemon(h->d);
    h->d = NULL;
    uv_loop_close(&h->loop);
    kg_mcp_server_free(h->srv);
    free(h);
}

int kg_mcp_serve_http(const kg_mcp_serve_opts *o, kg_err *err)
{
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    int loopback = 0;
    if (kg_http_parse_bind(o->http, &addr, &loopback, err) != KG_OK)
        return err->code;
    if (!loopback && !o->token)
        return kg_err_set(err, KG_EDENIED,
                          "refusing to serve %s without a bearer token: anyone who can reach "
                          "that address could read your files. Set mcp.token (or "
                          "KGAS_MCP_TOKEN, or --token-file FILE), or bind 127.0.0.1",
                          o->http);
    /* libmicrohttpd is opened only now (server/mhd_lib.h says why). */
    int rc = kg_mhd_lib_load(err);
    if (rc != KG_OK)
        return rc;
    signal(SIGPIPE, SIG_IGN);
    http_srv *h = kg_mh_open(o, (const struct sockaddr *)&addr, loopback);
    if (!h)
        return kg_err_set(err, KG_EIO,
                          "cannot listen on %s (address in use, or not an address of this "
                          "machine?)",
                          o->http);
    uv_signal_init(&h->loop, &h->sigint);
    uv_signal_init(&h->loop, &h->sigterm);
    h->sigint.data = h->sigterm.data = h;
    uv_signal_start(&h->sigint, on_signal, SIGINT);
    uv_signal_start(&h->sigterm, on_signal, SIGTERM);
    const union MHD_DaemonInfo *bp = kg_mhd->get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    char host[80];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(o->http, ':') - o->http), o->http);
    /* The one line a launcher (or a test using port 0) needs; stderr, never stdout. */
    fprintf(stderr, "kgas mcp: listening on http://%s:%u/mcp\n", host,
            bp ? (unsigned)bp->port : 0u);
    fflush(stderr);
    http_run(h);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    kg_mh_close(h);
    return KG_OK;
}
