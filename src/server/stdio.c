/* stdio: the MCP stdio transport on a libuv loop.
 *
 * stdin and stdout are libuv streams (pipe or tty), so reading and writing
 * never block the loop.  Messages are lines; the line buffer is bounded by
 * mcp.max_body_bytes: a longer line gets one error response (with the
 * request's id when it stands within the first max_body_bytes, so the
 * client's request ends at once instead of at its own timeout) and is then
 * discarded up to its newline, so a huge or endless line costs neither
 * memory nor the session. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "server/jsonrpc.h"
#include "server/mcp.h"
#include "server/serve.h"

typedef struct stdio_state {
    uv_loop_t loop;
    union {
        uv_pipe_t pipe;
        uv_tty_t tty;
    } in, out;
    uv_signal_t sigint, sigterm;
    kg_mcp_server *srv;
    kg_mcp_session *ss;
    kg_buf line;
    size_t max_line;
    int discarding;
    int stopping;
    int writes_pending;
} stdio_state;

typedef struct write_req {
    uv_write_t req;
    char *data;
} write_req;

static void on_written(uv_write_t *req, int status)
{
    write_req *w = (write_req *)req;
    stdio_state *st = req->data;
    if (status < 0)
        kg_warn("mcp stdio: writing stdout failed: %s", uv_strerror(status));
    st->writes_pending--;
    free(w->data);
    free(w);
}

static void send_line(void *ud, void *route, json_t *msg, int final)
{
    (void)route;
    (void) final;
    if (!msg)
        return; /* a request that will get no answer: nothing to write */
    stdio_state *st = ud;
    size_t n;
    char *line = kg_jsonrpc_dump_line(msg, &n);
    json_decref(msg);
    write_req *w = kg_xcalloc(1, sizeof *w);
    w->data = line;
    w->req.data = st;
    uv_buf_t b = uv_buf_init(line, (unsigned)n);
    st->writes_pending++;
    int rc = uv_write(&w->req, (uv_stream_t *)&st->out, &b, 1, on_written);
    if (rc < 0) {
        st->writes_pending--;
        kg_warn("mcp stdio: cannot write stdout: %s", uv_strerror(rc));
        free(line);
        free(w);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    buf->base = kg_xmalloc(65536);
    buf->len = 65536;
}

static void close_all(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void finish(void *ud)
{
    stdio_state *st = ud;
    kg_mcp_server_shutdown(st->srv);
    /* Closing the streams cancels nothing that matters: the client is gone. */
    uv_walk(&st->loop, close_all, NULL);
}

static void stop(stdio_state *st)
{
    if (st->stopping)
        return;
    st->stopping = 1;
    uv_read_stop((uv_stream_t *)&st->in);
    kg_mcp_session_close(st->ss);
    st->ss = NULL;
    if (kg_mcp_server_busy(st->srv))
        kg_mcp_server_on_idle(st->srv, finish, st);
    else
        finish(st);
}

static void handle_line(stdio_state *st, char *p, size_t n)
{
    if (n && p[n - 1] == '\r')
        n--;
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i == n)
        return; /* blank lines are keep-alives, not messages */
    kg_mcp_session_handle(st->ss, p, n, NULL);
}

/* The line's first max_line bytes are in st->line. */
static void too_long(stdio_state *st)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "Invalid Request: message longer than %zu bytes (mcp.max_body_bytes); discarded",
             st->max_line);
    json_t *id = kg_jsonrpc_sniff_id(st->line.data ? st->line.data : "", st->line.len);
    send_line(st, NULL, kg_jsonrpc_error(id, KG_RPC_INVALID_REQUEST, msg, NULL), 1);
    json_decref(id);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    stdio_state *st = s->data;
    if (nread < 0) {
        free(buf->base);
        if (nread != UV_EOF)
            kg_warn("mcp stdio: reading stdin failed: %s", uv_strerror((int)nread));
        stop(st);
        return;
    }
    const char *p = buf->base, *end = buf->base + nread;
    while (p < end && !st->stopping) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t take = (size_t)((nl ? nl : end) - p);
        if (st->discarding) {
            if (nl)
                st->discarding = 0;
        } else if (st->line.len + take > st->max_line) {
            st->discarding = nl == NULL;
            kg_buf_append(&st->line, p, st->max_line - st->line.len);
            too_long(st);
            kg_buf_truncate(&st->line, 0);
        } else {
            kg_buf_append(&st->line, p, take);
            if (nl) {
                handle_line(st, st->line.data ? st->line.data : (char *)"", st->line.len);
                kg_buf_truncate(&st->line, 0);
            }
        }
        p += take + (nl ? 1 : 0);
    }
    free(buf->base);
}

static void on_signal(uv_signal_t *h, int sig)
{
    (void)sig;
    stop(h->data);
}

static int open_stream(stdio_state *st, int fd, void *h, kg_err *err)
{
    uv_handle_type t = uv_guess_handle(fd);
    int rc;
    if (t == UV_NAMED_PIPE) {
        if ((rc = uv_pipe_init(&st->loop, h, 0)) == 0)
            rc = uv_pipe_open(h, fd);
    } else if (t == UV_TTY) {
        rc = uv_tty_init(&st->loop, h, fd, 0);
    } else {
        return kg_err_set(err, KG_EINVAL,
                          "kgas mcp: %s must be a pipe or a terminal (MCP clients start the "
                          "server with pipes); got a %s",
                          fd ? "stdout" : "stdin", uv_handle_type_name(t));
    }
    if (rc < 0)
        return kg_err_set(err, KG_EIO, "kgas mcp: cannot use %s: %s", fd ? "stdout" : "stdin",
                          uv_strerror(rc));
    ((uv_handle_t *)h)->data = st;
    return KG_OK;
}

int kg_mcp_serve_stdio(const kg_mcp_serve_opts *o, kg_err *err)
{
    stdio_state *st = kg_xcalloc(1, sizeof *st);
    uv_loop_init(&st->loop);
    signal(SIGPIPE, SIG_IGN);
    st->max_line = (size_t)kg_config_int(o->cfg, "mcp.max_body_bytes");
    if (open_stream(st, 0, &st->in, err) != KG_OK || open_stream(st, 1, &st->out, err) != KG_OK) {
        uv_walk(&st->loop, close_all, NULL);
        uv_run(&st->loop, UV_RUN_DEFAULT);
        uv_loop_close(&st->loop);
        free(st);
        return err->code;
    }
    kg_mcp_server_opts so = {&st->loop, o->db_path, o->cfg, o->policy, "stdio", o->workers};
    st->srv = kg_mcp_server_new(&so);
    st->ss = kg_mcp_session_new(st->srv, send_line, st);
    uv_signal_init(&st->loop, &st->sigint);
    uv_signal_init(&st->loop, &st->sigterm);
    st->sigint.data = st->sigterm.data = st;
    uv_signal_start(&st->sigint, on_signal, SIGINT);
    uv_signal_start(&st->sigterm, on_signal, SIGTERM);
    uv_read_start((uv_stream_t *)&st->in, on_alloc, on_read);
    kg_info("mcp: serving on stdio (%d workers, database %s)", o->workers, o->db_path);
    uv_run(&st->loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close(&st->loop);
    if (rc != 0)
        kg_warn("mcp stdio: loop closed with handles open: %s", uv_strerror(rc));
    kg_mcp_server_free(st->srv);
    kg_buf_free(&st->line);
    free(st);
    return KG_OK;
}
