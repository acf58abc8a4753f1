/* http_call: sessions and the answers of the Streamable HTTP transport
 * (http_internal.h says how the transport is split).
 *
 * A POST whose answer needs a worker is a call.  A client that takes
 * text/event-stream gets the answer as a stream at once: every event has an
 * id "<stream>-<n>" (stream numbers are per session, so ids are unique in
 * it), sessions of version 2025-11-25 or later first get a priming event
 * (an id and empty data: older SDK clients choke on empty data, which is why
 * it waits for the version that asks for it), and the stream keeps its last
 * KG_HTTP_REPLAY_EVENTS events (KG_HTTP_REPLAY_BYTES) so that a client whose
 * connection broke can GET them again with Last-Event-ID and go on reading.
 *
 * A broken connection is not a cancellation (the specification says so):
 * the call runs on, its events kept, for mcp.resume_grace_s; a client that
 * resumes in that time gets everything it missed; one that does not has its
 * call cancelled like a notifications/cancelled.  A finished stream's
 * events are kept for the same time.  A client that takes only JSON has no
 * stream to resume, so its leaving cancels its call at once.
 *
 * All on the loop thread. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "server/http_internal.h"
#include "server/jsonrpc.h"

/* ---- the calls list ----------------------------------------------------------- */

static call *call_new(http_srv *h, const sess *s)
{
    call *c = kg_xcalloc(1, sizeof *c);
    c->h = h;
    memcpy(c->session, s->id, sizeof c->session);
    c->early = json_array();
    c->next = h->calls;
    if (h->calls)
        h->calls->prev = c;
    h->calls = c;
    return c;
}

static void call_free(call *c)
{
    http_srv *h = c->h;
    if (c->prev)
        c->prev->next = c->next;
    else if (h->calls == c)
        h->calls = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->r)
        c->r->call = NULL;
    while (c->head) {
        sse_event *e = c->head;
        c->head = e->next;
        free(e->text);
        free(e);
    }
    json_decref(c->early);
    json_decref(c->response);
    free(c);
}

/* ---- streams -------------------------------------------------------------------- */

static void out_append(req *r, const char *s, size_t n)
{
    kg_buf_append(&r->out, s, n);
    kg_mh_wake(r);
}

/* Number, keep and (when a client is attached) send one message. */
static void stream_event(call *c, const json_t *msg)
{
    size_t n;
    char *line = kg_jsonrpc_dump_line(msg, &n);
    kg_buf b = KG_BUF_INIT;
    c->seq++;
    kg_buf_printf(&b, "id: %llu-%llu\nevent: message\ndata: %s\n", (unsigned long long)c->stream,
                  (unsigned long long)c->seq, line);
    free(line);
    sse_event *e = kg_xcalloc(1, sizeof *e);
    e->seq = c->seq;
    e->len = b.len;
    e->text = kg_buf_steal(&b);
    if (c->tail)
        c->tail->next = e;
    else
        c->head = e;
    c->tail = e;
    c->nev++;
    c->bytes += e->len;
    while (c->head != c->tail &&
           (c->nev > KG_HTTP_REPLAY_EVENTS || c->bytes > KG_HTTP_REPLAY_BYTES)) {
        sse_event *old = c->head;
        c->head = old->next;
        c->nev--;
        c->bytes -= old->len;
        free(old->text);
        free(old);
    }
    if (c->r)
        out_append(c->r, e->text, e->len);
}

/* The stream's last event is in: the attached response ends after it. */
static void stream_end(call *c)
{
    if (c->r) {
        c->r->out_end = 1;
        kg_mh_wake(c->r);
    }
}

/* MHD's content reader for a stream: what is in out, then the end; when
 * out is empty the connection is parked until kg_mh_wake. */
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
    kg_mhd->suspend_connection(r->c);
    return 0;
}

static enum MHD_Result queue_stream(req *r, const char *new_session)
{
    struct MHD_Response *resp = kg_mhd->create_response_from_callback(MHD_SIZE_UNKNOWN, 16384,
                                                                      sse_read, r, NULL);
    kg_mhd->add_response_header(resp, "Content-Type", "text/event-stream");
    kg_mhd->add_response_header(resp, "Cache-Control", "no-cache");
    return kg_mh_queue(r, MHD_HTTP_OK, resp, new_session);
}

/* Sessions of 2025-11-25 and later get the priming event (see the top). */
static int wants_priming(const sess *s)
{
    const char *v = kg_mcp_session_version(s->ss);
    return v && strcmp(v, "2025-11-25") >= 0;
}

static enum MHD_Result start_stream(req *r, call *c, sess *s, const char *new_session)
{
    c->sse = 1;
    c->stream = ++s->streams;
    c->r = r;
    r->call = c;
    if (wants_priming(s))
        kg_buf_printf(&r->out, "id: %llu-0\ndata: \n\n", (unsigned long long)c->stream);
    for (size_t i = 0; i < json_array_size(c->early); i++)
        stream_event(c, json_array_get(c->early, i));
    json_array_clear(c->early);
    return queue_stream(r, new_session);
}

/* ---- the core's messages ---------------------------------------------------------- */

/* kg_mcp_send_fn: route is the call. */
static void on_send(void *ud, void *route, json_t *msg, int final)
{
    (void)ud;
    call *c = route;
    if (!c) { /* no GET stream is offered: unsolicited messages are dropped */
        json_decref(msg);
        return;
    }
    if (!final) {
        if (c->sse)
            stream_event(c, msg);
        else
            json_array_append(c->early, msg);
        json_decref(msg);
        return;
    }
    c->over = 1;
    if (c->sse) {
        if (msg)
            stream_event(c, msg);
        json_decref(msg);
        if (c->r)
            stream_end(c);
        else if (c->cancelled)
            call_free(c); /* nobody came back for it */
        return;
    }
    c->response = msg;
    if (c->r)
        kg_mh_wake(c->r); /* a parked JSON client: kg_mh_resumed answers it */
    else if (c->detached_at > 0)
        call_free(c); /* its client left */
}

/* ---- sessions --------------------------------------------------------------------- */

sess *kg_mh_sess_find(http_srv *h, const char *id)
{
    for (sess *s = h->sessions; id && s; s = s->next)
        if (strcmp(s->id, id) == 0)
            return s;
    return NULL;
}

sess *kg_mh_sess_new(http_srv *h)
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

void kg_mh_sess_end(http_srv *h, sess *s)
{
    /* Its calls end with it: streams close after what they hold, parked
     * JSON clients get 202 (no answer will come). */
    call *c = h->calls;
    while (c) {
        call *next = c->next;
        if (strcmp(c->session, s->id) == 0) {
            req *r = c->r;
            if (r) {
                r->orphaned = 1;
                r->out_end = 1;
                kg_mh_wake(r);
            }
            call_free(c);
        }
        c = next;
    }
    for (sess **pp = &h->sessions; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    kg_mcp_session_close(s->ss);
    free(s);
}

void kg_mh_sess_sweep(http_srv *h)
{
    double now = kg_tool_now();
    sess *s = h->sessions;
    while (s) {
        sess *next = s->next;
        if (kg_mcp_session_in_flight(s->ss) == 0 &&
            now - kg_mcp_session_last_active(s->ss) > h->idle_s) {
            kg_info("mcp http: session %.8s... idle, closed", s->id);
            kg_mh_sess_end(h, s);
        }
        s = next;
    }
}

/* ---- answers ---------------------------------------------------------------------- */

/* The whole answer in one body: JSON, or (the client takes no JSON, or
 * messages came before the answer) a short event stream. */
static enum MHD_Result send_answer(req *r, call *c, unsigned status, const char *new_session)
{
    if (!c->response)
        return kg_mh_respond(r, MHD_HTTP_ACCEPTED, NULL, "", 0, NULL);
    kg_buf b = KG_BUF_INIT;
    const char *ctype = "application/json";
    size_t n;
    if (r->want_sse && (json_array_size(c->early) > 0 || !r->want_json)) {
        ctype = "text/event-stream";
        json_array_append(c->early, c->response);
        for (size_t i = 0; i < json_array_size(c->early); i++) {
            char *line = kg_jsonrpc_dump_line(json_array_get(c->early, i), &n);
            kg_buf_printf(&b, "event: message\ndata: %s\n", line);
            free(line);
        }
    } else {
        char *line = kg_jsonrpc_dump_line(c->response, &n);
        kg_buf_append(&b, line, n);
        free(line);
    }
    enum MHD_Result ok = kg_mh_respond(r, status, ctype, kg_buf_str(&b), b.len, new_session);
    kg_buf_free(&b);
    return ok;
}

enum MHD_Result kg_mh_dispatch(req *r, sess *s, json_t *msg, int is_new_session)
{
    http_srv *h = r->h;
    call *c = call_new(h, s);
    const char *new_session = is_new_session ? s->id : NULL;
    r->dispatched = 1;
    int rc = kg_mcp_session_handle_json(s->ss, msg, c);
    if (rc == KG_MCP_NO_ANSWER) {
        call_free(c);
        return kg_mh_respond(r, MHD_HTTP_ACCEPTED, NULL, "", 0, NULL);
    }
    if (c->over) { /* answered on the loop, at once */
        unsigned status = rc == KG_MCP_INVALID ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK;
        enum MHD_Result ok = send_answer(r, c, status, new_session);
        call_free(c);
        return ok;
    }
    /* A worker has it.  A client taking SSE gets the stream now; any other
     * waits, parked, for one JSON answer. */
    if (r->want_sse)
        return start_stream(r, c, s, new_session);
    c->r = r;
    r->call = c;
    r->suspended = 1;
    kg_mhd->suspend_connection(r->c);
    return MHD_YES;
}

enum MHD_Result kg_mh_resumed(req *r)
{
    call *c = r->call;
    if (!c) /* its session ended: nothing will come */
        return kg_mh_respond(r, MHD_HTTP_ACCEPTED, NULL, "", 0, NULL);
    if (!c->over) { /* woken early: park again */
        r->suspended = 1;
        kg_mhd->suspend_connection(r->c);
        return MHD_YES;
    }
    enum MHD_Result ok = send_answer(r, c, MHD_HTTP_OK, NULL);
    call_free(c);
    return ok;
}

/* "<stream>-<n>" */
static int parse_event_id(const char *s, uint64_t *stream, uint64_t *seq)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return 0;
    unsigned long long a = strtoull(s, &end, 10);
    if (*end != '-' || end[1] < '0' || end[1] > '9')
        return 0;
    unsigned long long b = strtoull(end + 1, &end, 10);
    if (*end)
        return 0;
    *stream = a;
    *seq = b;
    return 1;
}

enum MHD_Result kg_mh_resume(req *r, sess *s, const char *last_event_id)
{
    http_srv *h = r->h;
    uint64_t stream = 0, seq = 0;
    if (!parse_event_id(last_event_id, &stream, &seq))
        return kg_mh_respond_error(r, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                                   "Bad Request: Last-Event-ID is not an event id of this "
                                   "server (<stream>-<n>)");
    call *c = h->calls;
    while (c && !(c->sse && c->stream == stream && strcmp(c->session, s->id) == 0))
        c = c->next;
    if (!c)
        return kg_mh_respond_error(r, MHD_HTTP_BAD_REQUEST, KG_RPC_INVALID_REQUEST,
                                   "Bad Request: no such stream in this session (it ended and "
                                   "was delivered, or its client stayed away longer than "
                                   "mcp.resume_grace_s)");
    if (c->r) { /* the old connection is not noticed gone yet: it yields */
        c->r->out_end = 1;
        c->r->call = NULL;
        kg_mh_wake(c->r);
    }
    c->r = r;
    c->detached_at = 0;
    r->call = c;
    r->dispatched = 1;
    for (sse_event *e = c->head; e; e = e->next)
        if (e->seq > seq)
            kg_buf_append(&r->out, e->text, e->len);
    if (c->over)
        r->out_end = 1;
    kg_info("mcp http: stream %llu of session %.8s... resumed after event %llu",
            (unsigned long long)stream, s->id, (unsigned long long)seq);
    return queue_stream(r, NULL);
}

void kg_mh_req_done(req *r, enum MHD_RequestTerminationCode toe)
{
    call *c = r->call;
    if (!c)
        return;
    c->r = NULL;
    r->call = NULL;
    if (c->sse && c->over && r->out_end && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) {
        call_free(c); /* delivered */
        return;
    }
    c->detached_at = kg_tool_now();
    if (c->sse) {
        kg_info("mcp http: client left stream %llu (code %d); its call %s for %.0f s awaiting a "
                "resume (Last-Event-ID)",
                (unsigned long long)c->stream, (int)toe, c->over ? "is kept" : "runs on",
                c->h->grace_s);
        return;
    }
    if (c->over) {
        call_free(c);
        return;
    }
    /* A JSON client cannot resume: its call is cancelled now. */
    kg_info("mcp http: client left during a call (code %d); cancelling it", (int)toe);
    sess *s = kg_mh_sess_find(c->h, c->session);
    if (s)
        kg_mcp_session_cancel_route(s->ss, c);
    else
        call_free(c);
}

void kg_mh_beat(http_srv *h)
{
    double now = kg_tool_now();
    call *c = h->calls;
    while (c) {
        call *next = c->next;
        req *r = c->r;
        if (r && c->sse && r->suspended && !r->out_end) {
            out_append(r, ": keep-alive\n\n", 14);
        } else if (!r && c->sse && c->detached_at > 0 && !c->cancelled &&
                   now - c->detached_at > h->grace_s) {
            if (c->over) {
                call_free(c); /* its client never came back for the end */
            } else {
                kg_info("mcp http: no resume of stream %llu within mcp.resume_grace_s; "
                        "cancelling its call",
                        (unsigned long long)c->stream);
                c->cancelled = 1;
                sess *s = kg_mh_sess_find(h, c->session);
                if (s)
                    kg_mcp_session_cancel_route(s->ss, c);
                else
                    call_free(c);
            }
        }
        c = next;
    }
}
