/* mcp_load_client: many concurrent MCP sessions over Streamable HTTP from
 * one small libuv process, for bench/mcp_load.sh.
 *
 *   mcp_load_client PORT SESSIONS TOOL ARGS_JSON
 *
 * Each session opens one keep-alive connection to 127.0.0.1:PORT/mcp and
 * does what an MCP client does: initialize (reads Mcp-Session-Id),
 * notifications/initialized, one tools/call of TOOL (Accept: application/json,
 * text/event-stream: the answer comes as JSON or as an event stream; the
 * call ends when the response with its id has arrived and the body is
 * complete), then DELETE.  All sessions start at once.  Prints key=value
 * lines: the tools/call latencies and the whole-session latencies, p50,
 * p95, p99 and max in ms, errors, wall seconds.
 *
 * Why not the SDK client for this: one node process running 1000 SDK
 * clients spends ten times the server's CPU, so on a shared machine it
 * measures itself.  The SDK client is still used by mcp_load.mjs (fresh
 * clients' pings, and the run at a few hundred sessions).  Loopback only;
 * a deadline of 120 s ends the run. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uv.h>

enum { S_INIT, S_NOTIFIED, S_CALL, S_DELETE, S_DONE };

typedef struct sess {
    uv_tcp_t tcp;
    uv_connect_t conn;
    int state;
    char sid[128];
    char *buf;
    size_t len, cap;
    uint64_t t_start, t_call;
    double call_ms, total_ms;
    int ok;
} sess;

static const char *g_tool, *g_args;
static int g_port, g_n, g_done, g_errors;
static uv_loop_t *g_loop;
static sess *g_s;

static void fail(sess *s, const char *why);
static void send_req(sess *s);

static void on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b)
{
    sess *s = h->data;
    if (s->cap - s->len < 65536) {
        s->cap = s->cap * 2 + 65536;
        s->buf = realloc(s->buf, s->cap);
    }
    (void)sz;
    *b = uv_buf_init(s->buf + s->len, (unsigned)(s->cap - s->len - 1));
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
    if (++g_done == g_n)
        uv_stop(g_loop);
}

static void finish(sess *s, int ok)
{
    if (s->state == S_DONE)
        return;
    s->state = S_DONE;
    s->ok = ok;
    s->total_ms = (double)(uv_hrtime() - s->t_start) / 1e6;
    uv_close((uv_handle_t *)&s->tcp, on_closed);
}

static void fail(sess *s, const char *why)
{
    if (s->state == S_DONE)
        return;
    if (g_errors++ < 5)
        fprintf(stderr, "session %ld (step %d): %s\n", (long)(s - g_s), s->state, why);
    finish(s, 0);
}

/* Length of a complete response at the start of buf, or 0. */
static size_t complete(const char *b, size_t n, size_t *body_off)
{
    const char *he = memmem(b, n, "\r\n\r\n", 4);
    if (!he)
        return 0;
    size_t hl = (size_t)(he - b) + 4;
    *body_off = hl;
    const char *cl = NULL;
    for (const char *p = b; p < he; p = strstr(p, "\r\n") + 2) {
        if (!strncasecmp(p, "Content-Length:", 15))
            cl = p + 15;
        if (!strncasecmp(p, "Transfer-Encoding:", 18) && strstr(p, "chunked") &&
            strstr(p, "chunked") < strstr(p, "\r\n")) {
            size_t i = hl;
            for (;;) { /* chunk sizes until the last, empty one */
                const char *nl = memmem(b + i, n - i, "\r\n", 2);
                if (!nl)
                    return 0;
                size_t sz = strtoul(b + i, NULL, 16);
                i = (size_t)(nl - b) + 2 + sz + 2;
                if (i > n)
                    return 0;
                if (sz == 0)
                    return i;
            }
        }
    }
    size_t len = cl ? strtoul(cl, NULL, 10) : 0;
    return hl + len <= n ? hl + len : 0;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
    sess *s = st->data;
    (void)b;
    if (nread < 0) {
        fail(s, uv_strerror((int)nread));
        return;
    }
    s->len += (size_t)nread;
    s->buf[s->len] = '\0';
    size_t body = 0, n = complete(s->buf, s->len, &body);
    if (!n)
        return;
    int status = atoi(s->buf + 9);
    if (s->state == S_INIT) {
        const char *h = strcasestr(s->buf, "\r\nMcp-Session-Id: ");
        if (status != 200 || !h || h > s->buf + body) {
            fail(s, "initialize failed");
            return;
        }
        sscanf(h + 18, "%127[^\r]", s->sid);
    } else if (s->state == S_CALL) {
        if (status != 200 || !strstr(s->buf + body, "\"id\":2")) {
            fail(s, "tools/call failed");
            return;
        }
        s->call_ms = (double)(uv_hrtime() - s->t_call) / 1e6;
    } else if (s->state == S_DELETE) {
        finish(s, 1);
        return;
    }
    memmove(s->buf, s->buf + n, s->len - n);
    s->len -= n;
    s->state++;
    send_req(s);
}

typedef struct wreq {
    uv_write_t w;
    sess *s;
    char *data;
} wreq;

static void on_written(uv_write_t *w, int status)
{
    wreq *wr = (wreq *)w;
    sess *s = wr->s;
    free(wr->data);
    free(wr);
    if (status < 0)
        fail(s, uv_strerror(status));
}

static void send_req(sess *s)
{
    char body[4096], *req = NULL;
    const char *method = "POST";
    switch (s->state) {
    case S_INIT:
        snprintf(body, sizeof body,
                 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                 "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{"
                 "\"name\":\"load\",\"version\":\"0\"}}}");
        break;
    case S_NOTIFIED:
        snprintf(body, sizeof body,
                 "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        break;
    case S_CALL:
        snprintf(body, sizeof body,
                 "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
                 "\"name\":\"%s\",\"arguments\":%s}}",
                 g_tool, g_args);
        s->t_call = uv_hrtime();
        break;
    default:
        method = "DELETE";
        body[0] = '\0';
    }
    int n = asprintf(&req,
                     "%s /mcp HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                     "Accept: application/json, text/event-stream\r\n%s%s%s"
                     "Content-Length: %zu\r\n\r\n%s",
                     method, g_port, s->sid[0] ? "Mcp-Session-Id: " : "", s->sid,
                     s->sid[0] ? "\r\n" : "", strlen(body), body);
    if (n < 0) {
        fail(s, "out of memory");
        return;
    }
    wreq *wr = malloc(sizeof *wr);
    wr->s = s;
    wr->data = req;
    uv_buf_t b = uv_buf_init(req, (unsigned)n);
    if (uv_write(&wr->w, (uv_stream_t *)&s->tcp, &b, 1, on_written) < 0) {
        free(req);
        free(wr);
        fail(s, "write failed");
    }
}

static void on_connect(uv_connect_t *c, int status)
{
    sess *s = c->data;
    if (status < 0) {
        fail(s, uv_strerror(status));
        return;
    }
    uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
    send_req(s);
}

static void on_deadline(uv_timer_t *t)
{
    (void)t;
    for (int i = 0; i < g_n; i++)
        fail(&g_s[i], "deadline");
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
#define AT(p) (n ? v[(int)((n - 1) * (p) + 0.5)] : 0.0)
    printf("%s_n=%d %s_p50=%.1f %s_p95=%.1f %s_p99=%.1f %s_max=%.1f\n", name, n, name, AT(0.5),
           name, AT(0.95), name, AT(0.99), name, n ? v[n - 1] : 0.0);
#undef AT
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: mcp_load_client PORT SESSIONS TOOL ARGS_JSON\n");
        return 2;
    }
    g_port = atoi(argv[1]);
    g_n = atoi(argv[2]);
    g_tool = argv[3];
    g_args = argv[4];
    g_loop = uv_default_loop();
    g_s = calloc((size_t)g_n, sizeof *g_s);
    struct sockaddr_in a;
    uv_ip4_addr("127.0.0.1", g_port, &a);
    uint64_t t0 = uv_hrtime();
    for (int i = 0; i < g_n; i++) {
        sess *s = &g_s[i];
        uv_tcp_init(g_loop, &s->tcp);
        s->tcp.data = s;
        s->conn.data = s;
        s->t_start = uv_hrtime();
        uv_tcp_connect(&s->conn, &s->tcp, (const struct sockaddr *)&a, on_connect);
    }
    uv_timer_t deadline;
    uv_timer_init(g_loop, &deadline);
    uv_timer_start(&deadline, on_deadline, 120000, 0);
    uv_unref((uv_handle_t *)&deadline);
    uv_run(g_loop, UV_RUN_DEFAULT);
    double wall = (double)(uv_hrtime() - t0) / 1e9;
    double *call = malloc((size_t)g_n * sizeof *call), *total = malloc((size_t)g_n * sizeof *total);
    int k = 0;
    for (int i = 0; i < g_n; i++)
        if (g_s[i].ok) {
            call[k] = g_s[i].call_ms;
            total[k++] = g_s[i].total_ms;
        }
    report("call_ms", call, k);
    report("session_ms", total, k);
    printf("sessions=%d errors=%d wall_s=%.3f\n", g_n, g_errors, wall);
    return 0;
}
