/* http_internal: what the two halves of the Streamable HTTP transport share.
 *
 * server/http.c is the front: the daemon on the loop, connections (the
 * limit, the 503, the timeouts), the checks every request passes and the
 * routing by method.  server/http_call.c is the back: sessions, and the
 * calls a POST dispatched, answered as one JSON body or as a resumable
 * event stream (event ids, a bounded replay buffer per stream, Last-Event-ID
 * resumption, the grace period after a client left).
 *
 * Lifetimes, all on the loop thread:
 *   conn  one TCP connection (MHD's socket context): from MHD's
 *         "connection started" notice to its "closed" notice;
 *   req   one HTTP request on it (MHD's request context): from its first
 *         access-handler call to MHD's "completed" notice;
 *   call  one POST that needs an answer from the MCP core (its route): from
 *         dispatch until its answer was delivered, or its client left and
 *         did not come back within mcp.resume_grace_s, or its session ended.
 *         A call outlives the req that brought it; a resuming GET's req
 *         attaches to it. */
#ifndef KG_SERVER_HTTP_INTERNAL_H
#define KG_SERVER_HTTP_INTERNAL_H

#include <jansson.h>
#include <stdint.h>
#include <uv.h>

#include "base/buf.h"
#include "server/mcp.h"
#include "server/mhd_lib.h"
#include "server/serve.h"

/* How often a waiting stream gets a keep-alive comment.  Writing is how a
 * client that hung up is noticed (a suspended connection is not polled);
 * the same timer runs the grace-period sweep. */
#define KG_HTTP_BEAT_MS 500
/* The replay buffer of one stream: its last events, at most this many and
 * (but always the last one, which carries the answer) this many bytes. */
#define KG_HTTP_REPLAY_EVENTS 256
#define KG_HTTP_REPLAY_BYTES (1024 * 1024)

typedef struct http_srv http_srv;
typedef struct conn conn;
typedef struct req req;
typedef struct call call;
typedef struct sess sess;
typedef struct sse_event sse_event;

struct conn {
    http_srv *h;
    struct MHD_Connection *c;
    int over;           /* came beyond mcp.max_connections: answered 503 */
    int idle;           /* no request in progress (in h->idle) */
    int reaped;         /* told to close within a second (the limit was hit) */
    unsigned timeout_s; /* the MHD timeout it has now */
    conn *prev, *next;  /* h->idle, oldest first */
};

struct sess {
    char id[33];
    kg_mcp_session *ss;
    http_srv *h;
    uint64_t streams; /* streams opened: the next gets streams + 1 */
    sess *next;
};

struct sse_event {
    uint64_t seq;
    char *text; /* "id: ...\nevent: message\ndata: ...\n\n" */
    size_t len;
    sse_event *next;
};

struct call {
    http_srv *h;
    char session[33];
    uint64_t stream; /* its number in the session (0: not a stream) */
    int sse;         /* answered as an event stream */
    int over;        /* the core sent its final message */
    int cancelled;   /* the grace period ran out: cancelled */
    json_t *early;   /* messages before the answer's form was decided */
    json_t *response;
    req *r;             /* the request streaming or waiting for it, or NULL */
    double detached_at; /* when its client left (while r is NULL) */
    uint64_t seq;       /* events numbered 1..; 0 is the priming event */
    sse_event *head, *tail;
    size_t nev, bytes;
    call *prev, *next; /* h->calls */
};

struct req {
    http_srv *h;
    struct MHD_Connection *c;
    conn *cn;
    kg_buf body;
    int too_big;
    int dispatched; /* handled: the rest comes from the call */
    int suspended;
    int want_sse, want_json;
    call *call;   /* the call it streams or waits for */
    int orphaned; /* its call ended without it (session gone): 202 or end */
    /* Stream output: what MHD reads next (sse_read). */
    kg_buf out;
    size_t out_off;
    int out_end; /* nothing more will be added */
};

struct http_srv {
    uv_loop_t loop;
    struct MHD_Daemon *d;
    uv_poll_t poll;
    uv_timer_t timer, kick, sweep, beat;
    uv_signal_t sigint, sigterm;
    kg_mcp_server *srv;
    const char *token;
    const char *origins; /* comma-separated extra allowed origins */
    const char *hosts;   /* comma-separated extra allowed Host values */
    int check_host;      /* bound to loopback: Host must name it (DNS rebinding) */
    size_t max_body;
    double idle_s, grace_s;
    unsigned request_timeout_s, keepalive_timeout_s;
    unsigned max_conns, nconns;
    conn *idle_head, *idle_tail;
    sess *sessions;
    call *calls;
    int stopping;
};

/* ---- http.c ------------------------------------------------------------------ */

/* The server without its signals (kg_mcp_serve_http adds them): listening
 * on addr, or with addr NULL on no socket at all, connections then being
 * handed in with MHD_add_connection (fuzz/fuzz_http.c).  loopback: Host is
 * checked.  NULL when MHD cannot start (the library must be loaded). */
http_srv *kg_mh_open(const kg_mcp_serve_opts *o, const struct sockaddr *addr, int loopback);
/* Let MHD look at its connections now (after one was handed in). */
void kg_mh_poke(http_srv *h);
/* End every session, wait for the calls in flight, close and free. */
void kg_mh_close(http_srv *h);

/* Queue a response with the headers every answer carries (CORS for an
 * allowed Origin, the session id when given). */
enum MHD_Result kg_mh_queue(req *r, unsigned status, struct MHD_Response *resp,
                            const char *session);
/* A small response: body copied; ctype may be NULL. */
enum MHD_Result kg_mh_respond(req *r, unsigned status, const char *ctype, const char *body,
                              size_t len, const char *session);
/* A JSON-RPC error response with id null. */
enum MHD_Result kg_mh_respond_error(req *r, unsigned status, int code, const char *msg);
/* Let a parked connection go on (from a fresh loop iteration). */
void kg_mh_wake(req *r);
const char *kg_mh_header(req *r, const char *name);

/* ---- http_call.c --------------------------------------------------------------- */

sess *kg_mh_sess_find(http_srv *h, const char *id);
sess *kg_mh_sess_new(http_srv *h);
/* End a session: its calls end (streams close, waiting requests get 202). */
void kg_mh_sess_end(http_srv *h, sess *s);
void kg_mh_sess_sweep(http_srv *h);

/* Dispatch a POST's message (stolen) in session s and answer or start the
 * answer on r. */
enum MHD_Result kg_mh_dispatch(req *r, sess *s, json_t *msg, int is_new_session);
/* A resumed request (after wake): the answer, or the end. */
enum MHD_Result kg_mh_resumed(req *r);
/* GET with Last-Event-ID: replay what the stream's client missed, then go
 * on streaming it. */
enum MHD_Result kg_mh_resume(req *r, sess *s, const char *last_event_id);
/* MHD is done with r (answered, or the client left). */
void kg_mh_req_done(req *r, enum MHD_RequestTerminationCode toe);
/* Keep-alive comments and the grace-period sweep. */
void kg_mh_beat(http_srv *h);

#endif
