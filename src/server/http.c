/* http: the MCP Streamable HTTP transport (endpoint /mcp) on the libuv loop.
 *
 * Why libmicrohttpd in external-epoll mode with suspend/resume: MHD then
 * owns no thread at all.  Its epoll descriptor is watched by one uv_poll and
 * its timeouts by one uv_timer, so every HTTP callback runs on the loop
 * thread, next to stdio, timers and signals, and touches session state
 * without locks.  A POST carrying a request is parsed and dispatched like a
 * stdio line; when the answer needs a worker, the connection is suspended
 * (costing nothing while it waits) and resumed from the loop when the
 * answer arrives.  Progress notifications for that request are collected
 * and sent as Server-Sent Events ahead of the response when the client
 * accepts text/event-stream (so they arrive in order, though not before the
 * response is ready); otherwise the response is plain JSON.
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
#include "server/jsonrpc.h"
#include "server/mcp.h"
#include "server/mhd_lib.h"
#include "server/serve.h"

typedef struct http_srv http_srv;

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
    int stopping;
};

typedef struct req {
    http_srv *h;
    struct MHD_Connection *conn;
    kg_buf body;
    int too_big;
    int waiting;    /* dispatched; the answer is not here yet */
    int ready;      /* the answer is here */
    int suspended;
    int orphan;     /* MHD finished with it while we waited */
    int want_sse;
    json_t *events; /* notifications for this request, in order */
    json_t *response;
    char new_session[33];
} req;

static void http_run(http_srv *h);
static void on_kick(uv_timer_t *t);

/* ---- responses --------------------------------------------------------------- */

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *ctype,
                               const char *body, size_t len, const char *session)
{
    struct MHD_Response *r =
        kg_mhd->create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
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
    kg_buf b = KG_BUF_INIT;
    const char *ctype = "application/json";
    size_t n;
    if (r->want_sse && json_array_size(r->events) > 0) {
        ctype = "text/event-stream";
        size_t i;
        json_t *ev;
        json_array_foreach(r->events, i, ev) {
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
    enum MHD_Result ok =
        respond(r->conn, MHD_HTTP_OK, ctype, kg_buf_str(&b), b.len, r->new_session);
    kg_buf_free(&b);
    return ok;
}

static void req_free(req *r)
{
    kg_buf_free(&r->body);
    json_decref(r->events);
    json_decref(r->response);
    free(r);
}

/* kg_mcp_send_fn: route is the req that carried the message. */
static void on_send(void *ud, void *route, json_t *msg, int final)
{
    sess *s = ud;
    req *r = route;
    if (!r) { /* no GET stream is offered: unsolicited messages are dropped */
        json_decref(msg);
        return;
    }
    if (!final) {
        json_array_append_new(r->events, msg);
        return;
    }
    r->response = msg;
    r->ready = 1;
    r->waiting = 0;
    if (r->orphan) {
        req_free(r);
        return;
    }
    if (r->suspended) {
        r->suspended = 0;
        kg_mhd->resume_connection(r->conn);
        /* Run MHD from a fresh loop iteration, never from inside its own callback. */
        uv_timer_start(&s->h->kick, on_kick, 0, 0);
    }
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
    if (!h->token)
        return 1;
    const char *a = kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!a || strncasecmp(a, "Bearer ", 7) != 0)
        return 0;
    a += 7;
    size_t n = strlen(h->token);
    return strlen(a) == n && sodium_memcmp(a, h->token, n) == 0;
}

static int origin_ok(http_srv *h, const char *origin)
{
    if (!origin)
        return 1; /* not a browser: DNS rebinding needs one */
    const char *p = strstr(origin, "://");
    if (!p)
        return 0;
    p += 3;
    const char *local[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(local[i]);
        if (strncmp(p, local[i], n) == 0 && (p[n] == '\0' || p[n] == ':'))
            return 1;
    }
    if (h->origins) {
        size_t n = strlen(origin);
        const char *q = h->origins;
        while (*q) {
            const char *e = strchr(q, ',');
            size_t len = e ? (size_t)(e - q) : strlen(q);
            while (len && *q == ' ') {
                q++;
                len--;
            }
            if (len == n && strncmp(q, origin, n) == 0)
                return 1;
            if (!e)
                break;
            q = e + 1;
        }
    }
    return 0;
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
    int answers = kg_mcp_session_handle(s->ss, body, r->body.len, r);
    if (!answers) {
        r->waiting = 0;
        return respond(c, MHD_HTTP_ACCEPTED, NULL, "", 0, NULL);
    }
    if (r->ready)
        return send_answer(r);
    r->suspended = 1;
    kg_mhd->suspend_connection(c);
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
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
            return respond(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found: use /mcp\n", 20,
                           NULL);
        if (!token_ok(h, c))
            return respond_error(c, MHD_HTTP_UNAUTHORIZED, KG_RPC_INVALID_REQUEST,
                                 "Unauthorized: send Authorization: Bearer <token>");
        if (!origin_ok(h, kg_mhd->lookup_connection_value(c, MHD_HEADER_KIND, "Origin")))
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
    (void)cls;
    (void)c;
    (void)toe;
    req *r = *con_cls;
    if (!r)
        return;
    *con_cls = NULL;
    if (r->waiting)
        r->orphan = 1; /* freed when its answer arrives */
    else
        req_free(r);
}

/* ---- loop glue ----------------------------------------------------------------- */

static void on_timer(uv_timer_t *t) { http_run(t->data); }

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

static void on_kick(uv_timer_t *t) { http_run(t->data); }

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    kg_debug("mcp http: %s", line);
}

/* "HOST:PORT", "[v6]:PORT"; localhost means 127.0.0.1. */
static int parse_bind(const char *spec, struct sockaddr_storage *ss, int *loopback, kg_err *err)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        return kg_err_set(err, KG_EINVAL, "--http %s: expected HOST:PORT (e.g. 127.0.0.1:8765)",
                          spec);
    size_t n = (size_t)(colon - spec);
    if (n >= sizeof host)
        return kg_err_set(err, KG_EINVAL, "--http %s: host too long", spec);
    memcpy(host, spec, n);
    host[n] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return kg_err_set(err, KG_EINVAL, "--http %s: port must be 0..65535", spec);
    memset(ss, 0, sizeof *ss);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (host[0] == '[' && host[n - 1] == ']') {
        host[n - 1] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return kg_err_set(err, KG_EINVAL, "--http %s: not an IPv6 address", spec);
        *loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
            return kg_err_set(err, KG_EINVAL,
                              "--http %s: give a numeric address or localhost (no name "
                              "lookups)",
                              spec);
        *loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    return KG_OK;
}

int kg_mcp_serve_http(const kg_mcp_serve_opts *o, kg_err *err)
{
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    int loopback = 0;
    if (parse_bind(o->http, &addr, &loopback, err) != KG_OK)
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
