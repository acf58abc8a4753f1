/* http: the MCP Streamable HTTP transport (endpoint /mcp) on the libuv loop.
 *
 * Why libmicrohttpd in external-epoll mode with suspend/resume: MHD then
 * owns no thread at all.  Its epoll descriptor is watched by one uv_poll and
 * its timeouts by one uv_timer, so every HTTP callback runs on the loop
 * thread, next to stdio, timers and signals, and touches session state
 * without locks.  A POST carrying a request is parsed and dispatched like a
 * stdio line.  When the answer needs a worker and the client accepts
 * text/event-stream, the response starts at once as a Server-Sent Events
 * stream: progress notifications are written the moment they come, then
 * the answer, then the stream ends.  Between events the connection is
 * suspended (costing nothing) and a keep-alive comment every
 * KG_HTTP_BEAT_MS is what reveals a client that hung up: MHD then ends the
 * connection and its calls are cancelled.  A client that takes only JSON
 * waits, suspended, for one JSON answer.  Server-initiated messages have no
 * GET stream (405, as the spec allows) and are dropped.
 *
 * Guards: bearer token (required to bind beyond loopback; 401 without it),
 * Origin checked against localhost and mcp.allowed_origins (403: DNS
 * rebinding), Mcp-Session-Id issued at initialize and required afterwards
 * (400 missing, 404 unknown), body limit (413), connection limit and idle
 * timeouts (MHD options), idle sessions swept, DELETE ends a session.
 *
 * libmicrohttpd is called through the kg_mhd table (server/mhd_lib.h),
 * loaded when the server starts. */
#include <arpa/inet.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/log.h"
#include "server/http_guard.h"
#include "server/jsonrpc.h"
#include "server/mcp.h"
#include "server/mhd_lib.h"
#include "server/serve.h"

typedef struct http_srv http_srv;
typedef struct req req;

typedef struct sess {
    char id[33];
    kg_mcp_session *ss;
    http_srv *h;
    struct sess *next;
} sess;

struct http_srv {
    uv_loop_t loop;
    struct MHD_Daemon *d;
    uv_poll_t poll;
    uv_timer_t timer, kick, sweep;
    uv_signal_t sigint, sigterm;
    kg_mcp_server *srv;
    const char *token;
    const char *origins; /* comma-separated extra allowed origins */
    size_t max_body;
    double idle_s;
    sess *sessions;
    req *waiting;    /* requests whose answer is awaited */
    uv_timer_t beat; /* keep-alive for streams (finds hung-up clients) */
    int stopping;
};

/* How often a waiting stream gets a keep-alive comment.  Writing is how a
 * client that hung up is noticed (a suspended connection is not polled),
 * so this bounds how long its calls run on after it left. */
#define KG_HTTP_BEAT_MS 500

struct req {
    http_srv *h;
    struct MHD_Connection *conn;
    kg_buf body;
    int too_big;
    int waiting; /* dispatched; the answer is not here yet */
    int ready;   /* the answer is here (response NULL: none will come) */
    int suspended;
    int orphan; /* MHD finished with it while we waited */
    int want_sse;
    json_t *events; /* notifications for this request, in order */
    json_t *response;
    char new_session[33];
    char session[33];        /* the session it was dispatched to */
    struct req *prev, *next; /* h->waiting: dispatched, not answered */
    /* Streaming (SSE accepted, answer not immediate): events are written to
     * out as they come and MHD reads them from there (sse_read). */
    int streaming;
    kg_buf out;
    size_t out_off;
    int out_end; /* nothing will be added to out */
};

static void http_run(http_srv *h);
static void on_kick(uv_timer_t *t);

/* ---- responses --------------------------------------------------------------- */

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *ctype,
                               const char *body, size_t len, const char *session)
{
    struct MHD_Response *r = kg_mhd->create_response_from_buffer(len, (void *)body,
                                                                 MHD_RESPMEM_MUST_COPY);
    if (ctype)
        kg_mhd->add_response_header(r, "Content-Type", ctype);
    if (session && *session)
        kg_mhd->add_response_header(r, "Mcp-Session-Id", session);
    if (status == MHD_HTTP_UNAUTHORIZED)
        kg_mhd->add_response_header(r, "WWW-Authenticate", "Bearer realm=\"kgas\"");
    enum MHD_Result ok = kg_mhd->queue_response(c, status, r);
    kg_mhd->destroy_response(r);
    return ok;
}

static enum MHD_Result respond_error(struct MHD_Connection *c, unsigned status, int code,
                                     const char *msg)
{
    json_t *e = kg_jsonrpc_error(NULL, code, msg, NULL);
    size_t n;
    char *s = kg_jsonrpc_dump_line(e, &n);
    json_decref(e);
    enum MHD_Result ok = respond(c, status, "application/json", s, n, NULL);
    free(s);
    return ok;
}

static enum MHD_Result send_answer(req *r)
{
    if (!r->response) /* cancelled: no JSON-RPC answer is owed */
        return respond(r->conn, MHD_HTTP_ACCEPTED, NULL, "", 0, NULL);
    kg_buf b = KG_BUF_INIT;
    const char *ctype = "application/json";
    size_t n;
    if (r->want_sse && json_array_size(r->events) > 0) {
        ctype = "text/event-stream";
        size_t i;
        json_t *ev;
        json_array_foreach(r->events, i, ev)
        {
            char *line = kg_jsonrpc_dump_line(ev, &n);
            kg_buf_printf(&b, "event: message\ndata: %s\n", line);
            free(line);
        }
        char *line = kg_jsonrpc_dump_line(r->response, &n);
        kg_buf_printf(&b, "event: message\ndata: %s\n", line);
        free(line);
    } else {
        char *line = kg_jsonrpc_dump_line(r->response, &n);
        kg_buf_append(&b, line, n);
        free(line);
    }
    enum MHD_Result ok = respond(r->conn, MHD_HTTP_OK, ctype, kg_buf_str(&b), b.len,
                                 r->new_session);
    kg_buf_free(&b);
    return ok;
}

static void req_free(req *r)
{
    kg_buf_free(&r->body);
    kg_buf_free(&r->out);
    json_decref(r->events);
    json_decref(r->response);
    free(r);
}

/* ---- waiting requests and streams -------------------------------------------- */

static void wait_add(http_srv *h, req *r)
{
    r->prev = NULL;
    r->next = h->waiting;
    if (h->waiting)
        h->waiting->prev = r;
    h->waiting = r;
}

static void wait_remove(http_srv *h, req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else if (h->waiting == r)
        h->waiting = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
}

/* Let MHD go on with a connection parked in suspend; run it from a fresh
 * loop iteration, never from inside its own callback. */
static void wake(req *r)
{
    if (!r->suspended)
        return;
    r->suspended = 0;
    kg_mhd->resume_connection(r->conn);
    uv_timer_start(&r->h->kick, on_kick, 0, 0);
}

static void sse_append(req *r, const json_t *msg)
{
    size_t n;
    char *line = kg_jsonrpc_dump_line(msg, &n);
    kg_buf_printf(&r->out, "event: message\ndata: %s\n", line);
    free(line);
}

/* MHD's content reader for a stream: what is in out, then the end; when
 * out is empty the connection is parked until wake(). */
static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    req *r = cls;
    size_t avail = r->out.len - r->out_off;
    if (avail) {
        size_t n = avail < max ? avail : max;
        memcpy(buf, r->out.data + r->out_off, n);
        r->out_off += n;
        if (r->out_off == r->out.len) {
            kg_buf_truncate(&r->out, 0);
            r->out_off = 0;
        }
        return (ssize_t)n;
    }
    if (r->out_end)
        return MHD_CONTENT_READER_END_OF_STREAM;
    r->suspended = 1;
    kg_mhd->suspend_connection(r->conn);
    return 0;
}

/* Answer over a stream: status and headers now, events as they come. */
static enum MHD_Result start_stream(req *r)
{
    r->streaming = 1;
    for (size_t i = 0; i < json_array_size(r->events); i++)
        sse_append(r, json_array_get(r->events, i));
    json_array_clear(r->events);
    struct MHD_Response *resp = kg_mhd->create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
                                                                      sse_read, r, NULL);
    kg_mhd->add_response_header(resp, "Content-Type", "text/event-stream");
    kg_mhd->add_response_header(resp, "Cache-Control", "no-cache");
    if (r->new_session[0])
        kg_mhd->add_response_header(resp, "Mcp-Session-Id", r->new_session);
    enum MHD_Result ok = kg_mhd->queue_response(r->conn, MHD_HTTP_OK, resp);
    kg_mhd->destroy_response(resp);
    return ok;
}

static void on_beat(uv_timer_t *t)
{
    http_srv *h = t->data;
    for (req *r = h->waiting; r; r = r->next)
        if (r->streaming && r->suspended && !r->out_end && !r->orphan) {
            kg_buf_puts(&r->out, ": keep-alive\n\n");
            wake(r);
        }
}

/* The request will get no (more) answer: end its stream, or answer 202. */
static void finish_waiting(req *r)
{
    wait_remove(r->h, r);
    r->waiting = 0;
    r->ready = 1;
    if (r->streaming)
        r->out_end = 1;
    wake(r);
}

/* kg_mcp_send_fn: route is the req that carried the message. */
static void on_send(void *ud, void *route, json_t *msg, int final)
{
    (void)ud;
    req *r = route;
    if (!r) { /* no GET stream is offered: unsolicited messages are dropped */
        json_decref(msg);
        return;
    }
    if (!final) {
        if (r->streaming) {
            sse_append(r, msg);
            json_decref(msg);
            wake(r);
        } else {
            json_array_append_new(r->events, msg);
        }
        return;
    }
    if (r->orphan) { /* its client left; the call is over */
        json_decref(msg);
        wait_remove(r->h, r);
        req_free(r);
        return;
    }
    r->response = msg;
    if (msg && r->streaming)
        sse_append(r, msg);
    if (r->waiting)
        finish_waiting(r);
    else
        r->ready = 1; /* answered during dispatch: handle_post sends it */
}

/* ---- sessions ---------------------------------------------------------------- */

static sess *sess_find(http_srv *h, const char *id)
{
    for (sess *s = h->sessions; id && s; s = s->next)
        if (strcmp(s->id, id) == 0)
            return s;
    return NULL;
}

static sess *sess_new(http_srv *h)
{
    sess *s = kg_xcalloc(1, sizeof *s);
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(s->id, sizeof s->id, rnd, sizeof rnd);
    s->h = h;
    s->ss = kg_mcp_session_new(h->srv, on_send, s);
    s->next = h->sessions;
    h->sessions = s;
    return s;
}

static void sess_end(http_srv *h, sess *s)
{
    /* Its requests get no answer now: streams end, parked ones get 202.
     * Collected first: ending one unlinks (or frees) it. */
    size_t n = 0, k = 0;
    for (req *r = h->waiting; r; r = r->next)
        n += strcmp(r->session, s->id) == 0;
    req **mine = kg_xcalloc(n + 1, sizeof(req *));
    for (req *r = h->waiting; r && k < n; r = r->next)
        if (strcmp(r->session, s->id) == 0)
            mine[k++] = r;
    for (size_t i = 0; i < k; i++) {
        wait_remove(h, mine[i]);
        if (mine[i]->orphan) /* the session will not call back */
            req_free(mine[i]);
        else
            finish_waiting(mine[i]);
    }
    free(mine);
    for (sess **pp = &h->sessions; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    kg_mcp_session_close(s->ss);
    free(s);
}

static void on_sweep(uv_timer_t *t)
{
    http_srv *h = t->data;
    double now = kg_tool_now();
    sess *s = h->sessions;
    while (s) {
        sess *next = s->next;
        if (kg_mcp_session_in_flight(s->ss) == 0 &&
            now - kg_mcp_session_last_active(s->ss) > h->idle_s) {
            kg_info("mcp http: session %.8s... idle, closed", s->id);
            sess_end(h, s);
        }
        s = next;
    }
}

/* ---- checks -------------------------------------------------------------------- */

static int token_ok(http_srv *h, struct MHD_Connection *c)
{
    return kg_http_token_ok(h->token,
                            kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"));
}

static int version_ok(struct MHD_Connection *c)
{
    const char *v = kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "MCP-Protocol-Version");
    if (!v)
        return 1;
    for (int i = 0; KG_MCP_VERSIONS[i]; i++)
        if (strcmp(v, KG_MCP_VERSIONS[i]) == 0)
            return 1;
    return 0;
}

static int is_initialize(const char *body, size_t len)
{
    json_t *j = json_loadb(body, len, 0, NULL);
    int yes = json_is_object(j) && json_is_string(json_object_get(j, "method")) &&
              strcmp(json_string_value(json_object_get(j, "method")), "initialize") == 0;
    json_decref(j);
    return yes;
}

/* ---- the access handler ------------------------------------------------------ */

static enum MHD_Result handle_post(http_srv *h, req *r)
{
    struct MHD_Connection *c = r->conn;
    if (r->too_big) {
        char msg[160];
        snprintf(msg, sizeof msg, "Invalid Request: body larger than %zu bytes", h->max_body);
        return respond_error(c, MHD_HTTP_CONTENT_TOO_LARGE, KG_RPC_INVALID_REQUEST, msg);
    }
    if (!version_ok(c))
        return respond_error(c, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                             "Bad Request: unsupported MCP-Protocol-Version");
    const char *body = r->body.data ? r->body.data : "";
    const char *sid = kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Mcp-Session-Id");
    sess *s;
    if (is_initialize(body, r->body.len)) {
        s = sess_new(h);
        memcpy(r->new_session, s->id, sizeof r->new_session);
    } else if (!sid) {
        return respond_error(c, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                             "Bad Request: Mcp-Session-Id header required (send initialize "
                             "first)");
    } else if (!(s = sess_find(h, sid))) {
        return respond_error(c, MHD_HTTP_NOT_FOUND, KG_RPC_INVALID_REQUEST,
                             "Session not found: start a new one with initialize");
    }
    const char *accept = kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
    r->want_sse = accept && strstr(accept, "text/event-stream");
    r->waiting = 1;
    memcpy(r->session, s->id, sizeof r->session);
    int answers = kg_mcp_session_handle(s->ss, body, r->body.len, r);
    if (!answers) {
        r->waiting = 0;
        return respond(c, MHD_HTTP_ACCEPTED, NULL, "", 0, NULL);
    }
    if (r->ready)
        return send_answer(r);
    /* A worker has it.  A client taking SSE gets the stream now, progress
     * as it happens, and its hanging up is noticed (on_completed); any
     * other waits, parked, for one JSON answer. */
    wait_add(h, r);
    if (r->want_sse)
        return start_stream(r);
    r->suspended = 1;
    kg_mhd->suspend_connection(c);
    return MHD_YES;
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
        r->conn = c;
        r->events = json_array();
        *con_cls = r;
        if (strcmp(url, "/mcp") != 0)
            return respond(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found: use /mcp\n", 20, NULL);
        if (!token_ok(h, c))
            return respond_error(c, MHD_HTTP_UNAUTHORIZED, KG_RPC_INVALID_REQUEST,
                                 "Unauthorized: send Authorization: Bearer <token>");
        if (!kg_http_origin_ok(h->origins,
                               kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Origin")))
            return respond_error(c, MHD_HTTP_FORBIDDEN, KG_RPC_INVALID_REQUEST,
                                 "Forbidden: Origin not allowed (see mcp.allowed_origins)");
        if (strcmp(method, "DELETE") == 0) {
            sess *s = sess_find(
                h, kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Mcp-Session-Id"));
            if (!s)
                return respond_error(c, MHD_HTTP_NOT_FOUND, KG_RPC_INVALID_REQUEST,
                                     "Session not found");
            sess_end(h, s);
            return respond(c, MHD_HTTP_OK, NULL, "", 0, NULL);
        }
        if (strcmp(method, "POST") != 0)
            return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
                           "use POST (no server-initiated stream is offered)\n", 49, NULL);
        const char *cl = kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > h->max_body)
            r->too_big = 1;
        return MHD_YES;
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
    if (r->ready)
        return send_answer(r); /* called again after a resume */
    if (r->waiting)
        return MHD_YES;
    return handle_post(h, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    http_srv *h = cls;
    req *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    if (!r->waiting) {
        req_free(r);
        return;
    }
    /* The client hung up (or the connection failed) before the answer: its
     * calls are cancelled.  r stays listed, without a connection, until the
     * session says they ended (on_send) or the session itself ends. */
    r->orphan = 1;
    r->conn = NULL;
    sess *s = sess_find(h, r->session);
    kg_info("mcp http: client left during a call (code %d); cancelling it", (int)toe);
    if (s)
        kg_mcp_session_cancel_route(s->ss, r);
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
        sess_end(h, h->sessions);
    if (kg_mcp_server_busy(h->srv))
        kg_mcp_server_on_idle(h->srv, finish, h);
    else
        finish(h);
}

static void on_kick(uv_timer_t *t)
{
    http_run(t->data);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    kg_debug("mcp http: %s", line);
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
    http_srv *h = kg_xcalloc(1, sizeof *h);
    uv_loop_init(&h->loop);
    h->token = o->token;
    h->origins = kg_config_str(o->cfg, "mcp.allowed_origins");
    h->max_body = (size_t)kg_config_int(o->cfg, "mcp.max_body_bytes");
    h->idle_s = (double)kg_config_int(o->cfg, "mcp.idle_timeout_s");
    unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    h->d = kg_mhd->start_daemon(
        flags, 0, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)kg_config_int(o->cfg, "mcp.max_connections"),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)kg_config_int(o->cfg, "mcp.idle_timeout_s"),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
        MHD_OPTION_END);
    if (!h->d) {
        uv_loop_close(&h->loop);
        free(h);
        return kg_err_set(err, KG_EIO,
                          "cannot listen on %s (address in use, or not an address of this "
                          "machine?)",
                          o->http);
    }
    const union MHD_DaemonInfo *ep = kg_mhd->get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
    const union MHD_DaemonInfo *bp = kg_mhd->get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    kg_mcp_server_opts so = {&h->loop, o->db_path, o->cfg, o->policy, "http", o->workers};
    h->srv = kg_mcp_server_new(&so);
    uv_poll_init(&h->loop, &h->poll, ep->epoll_fd);
    h->poll.data = h;
    uv_poll_start(&h->poll, UV_READABLE, on_poll);
    uv_timer_init(&h->loop, &h->timer);
    h->timer.data = h;
    uv_timer_init(&h->loop, &h->kick);
    h->kick.data = h;
    uv_timer_init(&h->loop, &h->sweep);
    h->sweep.data = h;
    uv_timer_start(&h->sweep, on_sweep, 10000, 10000);
    uv_timer_init(&h->loop, &h->beat);
    h->beat.data = h;
    uv_timer_start(&h->beat, on_beat, KG_HTTP_BEAT_MS, KG_HTTP_BEAT_MS);
    uv_signal_init(&h->loop, &h->sigint);
    uv_signal_init(&h->loop, &h->sigterm);
    h->sigint.data = h->sigterm.data = h;
    uv_signal_start(&h->sigint, on_signal, SIGINT);
    uv_signal_start(&h->sigterm, on_signal, SIGTERM);
    char host[80];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(o->http, ':') - o->http), o->http);
    /* The one line a launcher (or a test using port 0) needs; stderr, never stdout. */
    fprintf(stderr, "kgas mcp: listening on http://%s:%u/mcp\n", host,
            bp ? (unsigned)bp->port : 0u);
    fflush(stderr);
    http_run(h);
    uv_run(&h->loop, UV_RUN_DEFAULT);
    kg_mhd->stop_daemon(h->d);
    h->d = NULL;
    uv_loop_close(&h->loop);
    kg_mcp_server_free(h->srv);
    free(h);
    return KG_OK;
}
