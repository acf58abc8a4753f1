/* mcp: the Model Context Protocol core, independent of the transport.
 *
 * A kg_mcp_server owns the tool runtime (counters, cache, lag monitor, the
 * API services shared by all calls) and dispatches work to the libuv
 * thread pool.  It watches SIGHUP for its whole life, so that the signal
 * (the API services' "re-read your keys") never ends the process.  A kg_mcp_session is one
 * client's conversation (stdio has one; HTTP has one per Mcp-Session-Id):
 * its negotiated version, initialisation state, log level and requests in
 * flight.  Everything here except the work callbacks runs on the loop
 * thread; tool handlers, resource reads and anything touching SQLite or
 * files run on workers, so a request never delays another's answer and
 * answers may come back out of order.
 *
 * Output goes through the session's send callback, always on the loop
 * thread, with the `route` the transport passed when the message that
 * caused it came in (HTTP uses it to find the POST to answer) and `final`
 * set on the response that ends that request.
 *
 * Memory: send callbacks receive a reference they must json_decref.
 * A closed session is freed once its last request has come back. */
#ifndef KG_SERVER_MCP_H
#define KG_SERVER_MCP_H

#include <jansson.h>
#include <uv.h>

#include "base/err.h"
#include "base/fsafe.h"
#include "config/config.h"
#include "tools/registry.h"

typedef struct kg_mcp_server kg_mcp_server;
typedef struct kg_mcp_session kg_mcp_session;

/* Send msg (owned by the callee) for the request that came with route.
 * final=1 marks its answer; msg NULL with final=1 says no answer will come
 * (the request was cancelled), so the transport can let go of the route. */
typedef void (*kg_mcp_send_fn)(void *ud, void *route, json_t *msg, int final);

typedef struct kg_mcp_server_opts {
    uv_loop_t *loop;
    const char *db_path;
    const kg_config *cfg;
    const kg_path_policy *policy;
    const char *transport; /* "stdio" or "http" */
    int workers;
} kg_mcp_server_opts;

extern const char *const KG_MCP_VERSIONS[]; /* newest first, NULL-terminated */

kg_mcp_server *kg_mcp_server_new(const kg_mcp_server_opts *o);
/* Cancel everything and stop timers; the loop then winds down. */
void kg_mcp_server_shutdown(kg_mcp_server *s);
void kg_mcp_server_free(kg_mcp_server *s);
/* Requests in flight across all sessions. */
int kg_mcp_server_busy(const kg_mcp_server *s);
/* Called (loop thread) when the last request in flight has finished. */
void kg_mcp_server_on_idle(kg_mcp_server *s, void (*cb)(void *ud), void *ud);

kg_mcp_session *kg_mcp_session_new(kg_mcp_server *s, kg_mcp_send_fn send, void *ud);
/* The transport is done with the session: requests in flight are cancelled
 * and their answers dropped; send is never called again. */
void kg_mcp_session_close(kg_mcp_session *ss);
/* The transport lost the way back for route (an HTTP client hung up):
 * cancel its requests; send(route, NULL, 1) follows when each ends. */
void kg_mcp_session_cancel_route(kg_mcp_session *ss, const void *route);
int kg_mcp_session_initialized(const kg_mcp_session *ss);
/* The negotiated protocol version ("2025-06-18"), NULL before initialize. */
const char *kg_mcp_session_version(const kg_mcp_session *ss);
double kg_mcp_session_last_active(const kg_mcp_session *ss);
int kg_mcp_session_in_flight(const kg_mcp_session *ss);

/* What became of a message given to kg_mcp_session_handle. */
enum {
    KG_MCP_NO_ANSWER = 0, /* notifications, responses: nothing will be sent */
    KG_MCP_ANSWERS = 1,   /* a response will be sent (now or later, final=1) */
    KG_MCP_INVALID = 2,   /* not JSON, or not a message: its error response has been sent
                           * (over HTTP: a 400) */
};

/* Handle one raw message (a line or a body): KG_MCP_* above.  In sessions
 * of version 2025-03-26 a JSON array is a batch: its requests' answers go
 * out as one array (final=1), none when it held no request. */
int kg_mcp_session_handle(kg_mcp_session *ss, const char *data, size_t len, void *route);
/* The same for a parsed message (stolen). */
int kg_mcp_session_handle_json(kg_mcp_session *ss, json_t *root, void *route);

/* Send a notifications/message log line to the session if its level allows. */
/* route: the request the line is about (over HTTP it goes out on that
 * request's event stream, ahead of its answer); NULL for none (HTTP has no
 * stream for unsolicited messages and drops it). */
void kg_mcp_session_log(kg_mcp_session *ss, void *route, const char *level, const char *text);

#endif
