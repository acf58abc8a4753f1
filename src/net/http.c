/* http: see http.h.
 *
 * The glue follows libcurl's multi socket contract: curl calls sock_cb to
 * say which events it wants on a socket and timer_cb to say when it next
 * needs a call; the loop answers with curl_multi_socket_action, and after
 * each call we collect finished transfers from curl_multi_info_read.
 * libcurl is called through the kg_curl table (net/curl_lib.h), loaded by
 * kg_http_new. */
#include "net/http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "net/curl_lib.h"

struct kg_http {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;
    int active;
    int closing;
    int handles_open;       /* uv handles still to close before we may free */
    struct transfer *all;   /* in-flight list, for cancellation */
    struct sock_ctx *socks; /* watched sockets, closed by kg_http_free */
};

typedef struct transfer {
    struct transfer *next, *prev;
    kg_http *h;
    CURL *easy;
    struct curl_slist *hdrs;
    char *body; /* our copy of the request body */
    kg_buf resp;
    kg_buf resp_hdrs;
    size_t max_bytes;
    kg_http_cb cb;
    void *ud;
    char errbuf[CURL_ERROR_SIZE];
} transfer;

typedef struct sock_ctx {
    struct sock_ctx *next, *prev;
    uv_poll_t poll;
    curl_socket_t fd;
    kg_http *h;
} sock_ctx;

static void maybe_free(kg_http *h)
{
    if (h->closing && h->handles_open == 0)
        free(h);
}

static void sock_unlink(kg_http *h, sock_ctx *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        h->socks = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static void on_handle_closed(uv_handle_t *hd)
{
    kg_http *h = NULL;
    if (hd->type == UV_POLL) {
        sock_ctx *s = hd->data;
        h = s->h;
        free(s);
    } else {
        h = hd->data;
    }
    h->handles_open--;
    maybe_free(h);
}

static void finish(transfer *t, CURLcode code)
{
    kg_http *h = t->h;
    kg_http_response r;
    memset(&r, 0, sizeof r);
    r.curl_code = (int)code;
    kg_curl->easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r.status);
    kg_curl->easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &r.seconds);
    kg_curl->easy_getinfo(t->easy, CURLINFO_HTTP_VERSION, &r.http_version);
    r.body = kg_buf_str(&t->resp);
    r.body_len = t->resp.len;
    r.headers = kg_buf_str(&t->resp_hdrs);
    r.error = code ? (t->errbuf[0] ? t->errbuf : kg_curl->easy_strerror(code)) : NULL;
    kg_curl->multi_remove_handle(h->multi, t->easy);
    if (t->prev)
        t->prev->next = t->next;
    else
        h->all = t->next;
    if (t->next)
        t->next->prev = t->prev;
    h->active--;
    t->cb(&r, t->ud);
    kg_curl->easy_cleanup(t->easy);
    kg_curl->slist_free_all(t->hdrs);
    free(t->body);
    kg_buf_free(&t->resp);
    kg_buf_free(&t->resp_hdrs);
    free(t);
}

static void drain(kg_http *h)
{
    CURLMsg *m;
    int left;
    while (!h->closing && (m = kg_curl->multi_info_read(h->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        transfer *t = NULL;
        kg_curl->easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        finish(t, m->data.result);
    }
}

static void on_poll(uv_poll_t *p, int status, int events)
{
    sock_ctx *s = p->data;
    int flags = 0;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    int running = 0;
    kg_curl->multi_socket_action(s->h->multi, s->fd, flags, &running);
    drain(s->h);
}

static void on_timeout(uv_timer_t *t)
{
    kg_http *h = t->data;
    int running = 0;
    kg_curl->multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    drain(h);
}

static int sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    kg_http *h = userp;
    sock_ctx *s = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (s) {
            uv_poll_stop(&s->poll);
            kg_curl->multi_assign(h->multi, fd, NULL);
            sock_unlink(h, s);
            uv_close((uv_handle_t *)&s->poll, on_handle_closed);
        }
        return 0;
    }
    if (!s) {
        s = kg_xcalloc(1, sizeof *s);
        s->fd = fd;
        s->h = h;
        if (uv_poll_init_socket(h->loop, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        s->poll.data = s;
        h->handles_open++;
        s->next = h->socks;
        if (h->socks)
            h->socks->prev = s;
        h->socks = s;
        kg_curl->multi_assign(h->multi, fd, s);
    }
    int ev = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        ev |= UV_READABLE;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        ev |= UV_WRITABLE;
    uv_poll_start(&s->poll, ev, on_poll);
    return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    kg_http *h = userp;
    if (timeout_ms < 0)
        uv_timer_stop(&h->timer);
    else /* 0 too goes through the timer: curl must not be re-entered here */
        uv_timer_start(&h->timer, on_timeout, (uint64_t)timeout_ms, 0);
    return 0;
}

kg_http *kg_http_new(uv_loop_t *loop, kg_err *err)
{
    /* Every other entry point needs a kg_http, so libcurl is loaded (and
     * curl_global_init run, once) here and nowhere else in this file. */
    if (kg_curl_lib_load(err) != KG_OK)
        return NULL;
    kg_http *h = kg_xcalloc(1, sizeof *h);
    h->loop = loop;
    h->multi = kg_curl->multi_init();
    if (!h->multi) {
        free(h);
        kg_err_set(err, KG_ENOMEM, "cannot create an HTTP client (curl_multi_init failed)");
        return NULL;
    }
    uv_timer_init(loop, &h->timer);
    h->timer.data = h;
    h->handles_open = 1;
    kg_curl->multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    kg_curl->multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    kg_curl->multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    kg_curl->multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    /* Multiplex HTTP/2 streams on one connection where the server allows. */
    kg_curl->multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    kg_curl->multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 32L);
    kg_curl->multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, 64L);
    return h;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    transfer *t = ud;
    size_t len = sz * n;
    if (t->resp.len + len > t->max_bytes)
        return 0; /* curl reports CURLE_WRITE_ERROR: the body is too big */
    kg_buf_append(&t->resp, p, len);
    return len;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    transfer *t = ud;
    size_t len = sz * n;
    /* A new status line (after a redirect or 100-continue) starts over. */
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0)
        kg_buf_truncate(&t->resp_hdrs, 0);
    if (t->resp_hdrs.len + len <= 256 * 1024)
        kg_buf_append(&t->resp_hdrs, p, len);
    return len;
}

int kg_http_request(kg_http *h, const kg_http_req *req, kg_http_cb cb, void *ud, kg_err *err)
{
    if (!req || !req->url || !cb)
        return kg_err_set(err, KG_EINVAL, "HTTP request without a URL or callback");
    if (h->closing)
        return kg_err_set(err, KG_ECANCELED, "HTTP client is shutting down");
    transfer *t = kg_xcalloc(1, sizeof *t);
    t->h = h;
    t->cb = cb;
    t->ud = ud;
    t->max_bytes = req->max_response_bytes ? req->max_response_bytes : (size_t)64 << 20;
    t->easy = kg_curl->easy_init();
    if (!t->easy) {
        free(t);
        return kg_err_set(err, KG_ENOMEM, "cannot create an HTTP transfer");
    }
    CURL *e = t->easy;
    kg_curl->easy_setopt(e, CURLOPT_URL, req->url);
    kg_curl->easy_setopt(e, CURLOPT_PRIVATE, t);
    kg_curl->easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    kg_curl->easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    kg_curl->easy_setopt(e, CURLOPT_WRITEDATA, t);
    kg_curl->easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    kg_curl->easy_setopt(e, CURLOPT_HEADERDATA, t);
    kg_curl->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    kg_curl->easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    kg_curl->easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    kg_curl->easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    kg_curl->easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    kg_curl->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    kg_curl->easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    kg_curl->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                         req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 10000L);
    kg_curl->easy_setopt(e, CURLOPT_TIMEOUT_MS, req->timeout_ms > 0 ? req->timeout_ms : 120000L);
    kg_curl->easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT,
                         req->low_speed_bytes > 0 ? req->low_speed_bytes : 1L);
    kg_curl->easy_setopt(e, CURLOPT_LOW_SPEED_TIME, req->low_speed_s > 0 ? req->low_speed_s : 30L);
    kg_curl->easy_setopt(e, CURLOPT_USERAGENT, "kgas/" KGAS_VERSION);
    for (const char *const *hp = req->headers; hp && *hp; hp++)
        t->hdrs = kg_curl->slist_append(t->hdrs, *hp);
    /* No "Expect: 100-continue" round trip before bodies. */
    t->hdrs = kg_curl->slist_append(t->hdrs, "Expect:");
    kg_curl->easy_setopt(e, CURLOPT_HTTPHEADER, t->hdrs);
    if (req->method && strcmp(req->method, "POST") == 0) {
        t->body = kg_xmalloc(req->body_len + 1);
        if (req->body_len)
            memcpy(t->body, req->body, req->body_len);
        t->body[req->body_len] = '\0';
        kg_curl->easy_setopt(e, CURLOPT_POST, 1L);
        kg_curl->easy_setopt(e, CURLOPT_POSTFIELDS, t->body);
        kg_curl->easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    } else if (req->method && strcmp(req->method, "GET") != 0) {
        kg_curl->easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    }
    CURLMcode mc = kg_curl->multi_add_handle(h->multi, e);
    if (mc != CURLM_OK) {
        kg_curl->easy_cleanup(e);
        kg_curl->slist_free_all(t->hdrs);
        free(t->body);
        free(t);
        return kg_err_set(err, KG_EIO, "cannot start HTTP transfer: %s",
                          kg_curl->multi_strerror(mc));
    }
    t->next = h->all;
    if (h->all)
        h->all->prev = t;
    h->all = t;
    h->active++;
    return KG_OK;
}

int kg_http_active(const kg_http *h)
{
    return h->active;
}

void kg_http_free(kg_http *h)
{
    if (!h || h->closing)
        return;
    h->closing = 1;
    /* Detach the list first: each finish() runs a callback, and new
     * requests are refused once closing is set. */
    transfer *t = h->all;
    h->all = NULL;
    while (t) {
        transfer *next = t->next;
        t->prev = t->next = NULL;
        finish(t, CURLE_ABORTED_BY_CALLBACK);
        t = next;
    }
    /* Stop watching before curl closes its cached connections, and keep
     * curl from calling back into a client that is going away. */
    for (sock_ctx *s = h->socks; s; s = s->next)
        uv_poll_stop(&s->poll);
    kg_curl->multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, NULL);
    kg_curl->multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, NULL);
    kg_curl->multi_cleanup(h->multi);
    h->multi = NULL;
    while (h->socks) {
        sock_ctx *s = h->socks;
        sock_unlink(h, s);
        uv_close((uv_handle_t *)&s->poll, on_handle_closed);
    }
    uv_timer_stop(&h->timer);
    uv_close((uv_handle_t *)&h->timer, on_handle_closed);
}

int kg_http_header(const kg_http_response *r, const char *name, char *out, size_t cap)
{
    if (!r->headers || cap == 0)
        return 0;
    size_t nl = strlen(name);
    int found = 0;
    const char *p = r->headers;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            const char *end = p + len;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            while (end > v && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
                end--;
            size_t vl = (size_t)(end - v);
            size_t take = vl < cap - 1 ? vl : cap - 1;
            memcpy(out, v, take);
            out[take] = '\0';
            found = 1;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    return found;
}
