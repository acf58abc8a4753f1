/* mcp: protocol core (see mcp.h).
 *
 * Life of a tools/call: parsed and checked on the loop; a job is queued on
 * the libuv thread pool (uv_queue_work); the worker runs kg_tool_call,
 * pushing progress notifications into a mutex-protected queue and waking
 * the loop with uv_async_send; the loop's after-work callback first drains
 * that queue (so progress never arrives after its response) and then sends
 * the response.  A notifications/cancelled sets the job's cancel flag,
 * which the handler sees at its next checkpoint, and marks the response to
 * be dropped, as the specification asks. */
#include "server/mcp.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "server/jsonrpc.h"
#include "server/lag.h"
#include "tools/graph_views.h"
#include "tools/resources.h"

const char *const KG_MCP_VERSIONS[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05",
                                       NULL};

static const char *const LOG_LEVELS[] = {"debug", "info",     "notice", "warning",
                                         "error", "critical", "alert",  "emergency"};
#define NLOG_LEVELS 8

typedef enum {
    J_TOOL,
    J_RES_LIST,
    J_RES_READ
} job_kind;

typedef struct job {
    uv_work_t work;
    kg_mcp_server *srv;
    kg_mcp_session *ss;
    void *route;
    json_t *id;
    job_kind kind;
    const kg_tool *tool;
    json_t *args;
    char *str;              /* cursor or uri */
    json_t *progress_token; /* NULL when the client did not ask */
    volatile int cancel;
    int dropped;
    double last_progress_at, last_progress;
    json_t *result; /* set by the worker */
    int rc;
    kg_err err;
    double started;
    struct job *next;
} job;

typedef struct pending {
    job *j;
    json_t *msg;
    struct pending *next;
} pending;

struct kg_mcp_server {
    uv_loop_t *loop;
    uv_async_t wake;
    uv_signal_t hup; /* SIGHUP must not end the server (see on_hup) */
    kg_lag_monitor *lag;
    kg_tool_runtime rt;
    const char *db_path;
    const kg_config *cfg;
    const kg_path_policy *policy;
    pthread_mutex_t mu; /* guards the pending queue */
    pending *head, *tail;
    int in_flight;
    void (*idle_cb)(void *ud);
    void *idle_ud;
    int shut;
};

struct kg_mcp_session {
    kg_mcp_server *srv;
    kg_mcp_send_fn send;
    void *ud;
    int initialized;
    int closed;
    int log_level; /* index in LOG_LEVELS, or -1 = not requested */
    char version[16];
    job *jobs;
    int njobs;
    double last_active;
    struct batch *batches; /* 2025-03-26 batches whose answers are being collected */
};

/* A JSON-RPC batch (2025-03-26 sessions only): its requests are dispatched
 * like single ones with the batch as their route; deliver() collects their
 * answers and sends them as one array on the transport's route when the
 * last is in.  Progress and log lines pass straight through. */
typedef struct batch {
    void *route;     /* the transport's */
    json_t *answers; /* array */
    int pending;     /* requests not answered yet (+1 while dispatching) */
    struct batch *next;
} batch;

static batch *batch_of(kg_mcp_session *ss, const void *route)
{
    for (batch *b = ss->batches; b; b = b->next)
        if (b == route)
            return b;
    return NULL;
}

static void batch_free(batch *b)
{
    json_decref(b->answers);
    free(b);
}

static void deliver(kg_mcp_session *ss, void *route, json_t *msg, int final);

/* ---- progress queue (workers -> loop) ---------------------------------- */

static void drain(kg_mcp_server *s)
{
    pthread_mutex_lock(&s->mu);
    pending *p = s->head;
    s->head = s->tail = NULL;
    pthread_mutex_unlock(&s->mu);
    while (p) {
        pending *next = p->next;
        job *j = p->j;
        if (!j->dropped && !j->ss->closed)
            deliver(j->ss, j->route, p->msg, 0);
        else
            json_decref(p->msg);
        free(p);
        p = next;
    }
}

static void on_wake(uv_async_t *a)
{
    drain(a->data);
}

/* Worker thread.  Rate-limited to ten a second: a client wants to see
 * movement, not one message per chunk. */
static void job_progress(void *ud, double done, double total, const char *message)
{
    job *j = ud;
    double now = kg_tool_now();
    int last = total > 0 && done >= total;
    if (!last && now - j->last_progress_at < 0.1)
        return;
    if (done <= j->last_progress && j->last_progress_at > 0)
        return; /* progress must increase */
    j->last_progress_at = now;
    j->last_progress = done;
    json_t *params = json_pack("{s:O, s:f}", "progressToken", j->progress_token, "progress", done);
    if (total > 0)
        json_object_set_new(params, "total", json_real(total));
    if (message)
        json_object_set_new(params, "message", json_string(message));
    pending *p = kg_xcalloc(1, sizeof *p);
    p->j = j;
    p->msg = kg_jsonrpc_notification("notifications/progress", params);
    kg_mcp_server *s = j->srv;
    pthread_mutex_lock(&s->mu);
    if (s->tail)
        s->tail->next = p;
    else
        s->head = p;
    s->tail = p;
    pthread_mutex_unlock(&s->mu);
    uv_async_send(&s->wake);
}

/* ---- server ------------------------------------------------------------ */

/* SIGHUP means "re-read the API keys": each pooled API service (its own
 * loop, services/service_pool) watches for it and reloads.  The server
 * watches too, for the whole of its life, so that a SIGHUP before any
 * service exists is not the default action (terminate). */
static void on_hup(uv_signal_t *h, int signum)
{
    (void)h;
    (void)signum;
    kg_info("SIGHUP: the running API services re-read their keys");
}

kg_mcp_server *kg_mcp_server_new(const kg_mcp_server_opts *o)
{
    kg_mcp_server *s = kg_xcalloc(1, sizeof *s);
    s->loop = o->loop;
    s->db_path = o->db_path;
    s->cfg = o->cfg;
    s->policy = o->policy;
    pthread_mutex_init(&s->mu, NULL);
    kg_tool_runtime_init(&s->rt, o->transport, o->workers);
    if (o->cfg && kg_config_int(o->cfg, "cache.max_entries") > 0)
        s->rt.cache = kg_tool_cache_new((size_t)kg_config_int(o->cfg, "cache.max_entries"),
                                        (size_t)kg_config_int(o->cfg, "cache.max_bytes"),
                                        (double)kg_config_int(o->cfg, "cache.ttl_s"));
    s->lag = kg_lag_start(o->loop, 20);
    s->rt.lag = kg_lag_read;
    s->rt.lag_ud = s->lag;
    uv_async_init(o->loop, &s->wake, on_wake);
    s->wake.data = s;
    uv_signal_init(o->loop, &s->hup);
    uv_signal_start(&s->hup, on_hup, SIGHUP);
    return s;
}

void kg_mcp_server_shutdown(kg_mcp_server *s)
{
    if (s->shut)
        return;
    s->shut = 1;
    kg_lag_stop(s->lag);
    s->rt.lag = NULL;
    uv_close((uv_handle_t *)&s->wake, NULL);
    if (!uv_is_closing((uv_handle_t *)&s->hup))
        uv_close((uv_handle_t *)&s->hup, NULL);
}

void kg_mcp_server_free(kg_mcp_server *s)
{
    if (!s)
        return;
    drain(s);
    kg_tool_cache_free(s->rt.cache);
    kg_tool_runtime_release(&s->rt);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int kg_mcp_server_busy(const kg_mcp_server *s)
{
    return s->in_flight;
}

void kg_mcp_server_on_idle(kg_mcp_server *s, void (*cb)(void *ud), void *ud)
{
    s->idle_cb = cb;
    s->idle_ud = ud;
}

/* ---- sessions ---------------------------------------------------------- */

kg_mcp_session *kg_mcp_session_new(kg_mcp_server *s, kg_mcp_send_fn send, void *ud)
{
    kg_mcp_session *ss = kg_xcalloc(1, sizeof *ss);
    ss->srv = s;
    ss->send = send;
    ss->ud = ud;
    ss->log_level = -1;
    ss->last_active = kg_tool_now();
    return ss;
}

void kg_mcp_session_close(kg_mcp_session *ss)
{
    if (!ss)
        return;
    ss->closed = 1;
    for (job *j = ss->jobs; j; j = j->next) {
        j->cancel = 1;
        j->dropped = 1;
    }
    /* Nothing is sent after close: the batches' answers are not owed. */
    while (ss->batches) {
        batch *b = ss->batches;
        ss->batches = b->next;
        batch_free(b);
    }
    if (ss->njobs == 0)
        free(ss);
}

void kg_mcp_session_cancel_route(kg_mcp_session *ss, const void *route)
{
    for (job *j = ss->jobs; j; j = j->next) {
        const batch *b = batch_of(ss, j->route);
        if (j->route == route || (b && b->route == route)) {
            j->cancel = 1;
            j->dropped = 1;
        }
    }
}

int kg_mcp_session_initialized(const kg_mcp_session *ss)
{
    return ss->initialized;
}
const char *kg_mcp_session_version(const kg_mcp_session *ss)
{
    return ss->initialized ? ss->version : NULL;
}
double kg_mcp_session_last_active(const kg_mcp_session *ss)
{
    return ss->last_active;
}
int kg_mcp_session_in_flight(const kg_mcp_session *ss)
{
    return ss->njobs;
}

void kg_mcp_session_log(kg_mcp_session *ss, void *route, const char *level, const char *text)
{
    if (ss->closed || ss->log_level < 0)
        return;
    int lv = 0;
    for (int i = 0; i < NLOG_LEVELS; i++)
        if (strcmp(LOG_LEVELS[i], level) == 0)
            lv = i;
    if (lv < ss->log_level)
        return;
    json_t *params = json_pack("{s:s, s:s, s:s}", "level", level, "logger", "kgas", "data", text);
    if (params)
        deliver(ss, route, kg_jsonrpc_notification("notifications/message", params), 0);
}

/* One member of b is answered (msg NULL: it will not be): when it was the
 * last, the batch's answer goes out, or "none" when nothing is owed. */
static void batch_done(kg_mcp_session *ss, batch *b, json_t *msg)
{
    if (msg)
        json_array_append_new(b->answers, msg);
    if (--b->pending > 0)
        return;
    for (batch **pp = &ss->batches; *pp; pp = &(*pp)->next)
        if (*pp == b) {
            *pp = b->next;
            break;
        }
    json_t *out = json_array_size(b->answers) ? json_incref(b->answers) : NULL;
    ss->send(ss->ud, b->route, out, 1);
    batch_free(b);
}

/* Every message to the client goes through here: to the transport, or into
 * the batch whose member it answers. */
static void deliver(kg_mcp_session *ss, void *route, json_t *msg, int final)
{
    batch *b = route ? batch_of(ss, route) : NULL;
    if (!b)
        ss->send(ss->ud, route, msg, final);
    else if (!final)
        ss->send(ss->ud, b->route, msg, 0);
    else
        batch_done(ss, b, msg);
}

static void reply(kg_mcp_session *ss, void *route, json_t *msg)
{
    deliver(ss, route, msg, 1);
}

static void reply_error(kg_mcp_session *ss, void *route, const json_t *id, int code,
                        const char *msg)
{
    reply(ss, route, kg_jsonrpc_error(id, code, msg, NULL));
}

/* ---- jobs ---------------------------------------------------------------- */

static void work_cb(uv_work_t *w)
{
    job *j = w->data;
    kg_mcp_server *s = j->srv;
    kg_tool_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.db_path = s->db_path;
    ctx.cfg = s->cfg;
    ctx.policy = s->policy;
    ctx.cancel = &j->cancel;
    ctx.rt = &s->rt;
    ctx.resource_links = strcmp(j->ss->version, "2025-06-18") >= 0;
    if (j->progress_token) {
        ctx.progress = job_progress;
        ctx.progress_ud = j;
    }
    kg_err_clear(&j->err);
    switch (j->kind) {
    case J_TOOL: j->result = kg_tool_call(j->tool, &ctx, j->args); break;
    case J_RES_LIST: j->rc = kg_resources_list(&ctx, j->str, &j->result, &j->err); break;
    case J_RES_READ: j->rc = kg_resources_read(&ctx, j->str, &j->result, &j->err); break;
    }
}

static void job_free(job *j)
{
    json_decref(j->id);
    json_decref(j->args);
    json_decref(j->progress_token);
    json_decref(j->result);
    free(j->str);
    free(j);
}

static void after_work_cb(uv_work_t *w, int status)
{
    job *j = w->data;
    kg_mcp_session *ss = j->ss;
    kg_mcp_server *s = j->srv;
    drain(s); /* progress first, then the answer */
    for (job **pp = &ss->jobs; *pp; pp = &(*pp)->next)
        if (*pp == j) {
            *pp = j->next;
            break;
        }
    ss->njobs--;
    s->in_flight--;
    if (!j->dropped && !ss->closed) {
        ss->last_active = kg_tool_now();
        if (status != 0) {
            reply_error(ss, j->route, j->id, KG_RPC_INTERNAL_ERROR, "Internal error: cancelled");
        } else if (j->kind == J_TOOL) {
            int is_err = json_is_true(json_object_get(j->result, "isError"));
            if (is_err) {
                json_t *c0 = json_array_get(json_object_get(j->result, "content"), 0);
                char line[600];
                snprintf(line, sizeof line, "tool %s failed: %s", j->tool->name,
                         json_string_value(json_object_get(c0, "text")));
                kg_mcp_session_log(ss, j->route, "warning", line);
            } else {
                char line[200];
                snprintf(line, sizeof line, "tool %s finished in %.1f ms", j->tool->name,
                         (kg_tool_now() - j->started) * 1000.0);
                kg_mcp_session_log(ss, j->route, "info", line);
            }
            reply(ss, j->route, kg_jsonrpc_result(j->id, json_incref(j->result)));
        } else if (j->rc != KG_OK) {
            int code = j->rc == KG_ENOTFOUND ? KG_RPC_RESOURCE_NOT_FOUND
                       : j->rc == KG_EINVAL  ? KG_RPC_INVALID_PARAMS
                                             : KG_RPC_INTERNAL_ERROR;
            json_t *data = j->kind == J_RES_READ ? json_pack("{s:s}", "uri", j->str) : NULL;
            reply(ss, j->route, kg_jsonrpc_error(j->id, code, j->err.msg, data));
        } else {
            reply(ss, j->route, kg_jsonrpc_result(j->id, json_incref(j->result)));
        }
    } else if (!ss->closed && j->route)
        deliver(ss, j->route, NULL, 1); /* no answer will come: the transport may let go */
    job_free(j);
    if (ss->closed && ss->njobs == 0)
        free(ss);
    if (s->in_flight == 0 && s->idle_cb)
        s->idle_cb(s->idle_ud);
}

static job *job_new(kg_mcp_session *ss, void *route, const json_t *id, job_kind kind)
{
    job *j = kg_xcalloc(1, sizeof *j);
    j->srv = ss->srv;
    j->ss = ss;
    j->route = route;
    j->id = json_deep_copy(id);
    j->kind = kind;
    j->work.data = j;
    j->started = kg_tool_now();
    return j;
}

static void job_start(job *j)
{
    kg_mcp_session *ss = j->ss;
    j->next = ss->jobs;
    ss->jobs = j;
    ss->njobs++;
    j->srv->in_flight++;
    uv_queue_work(j->srv->loop, &j->work, work_cb, after_work_cb);
}

/* ---- methods ------------------------------------------------------------- */

static json_t *server_capabilities(void)
{
    return json_pack("{s:{s:b}, s:{s:b, s:b}, s:{}}", "tools", "listChanged", 0, "resources",
                     "subscribe", 0, "listChanged", 0, "logging");
}

static void m_initialize(kg_mcp_session *ss, const kg_rpc_msg *m, void *route)
{
    if (ss->initialized) {
        reply_error(ss, route, m->id, KG_RPC_INVALID_REQUEST,
                    "Invalid Request: the session is already initialized");
        return;
    }
    const char *want = json_string_value(json_object_get(m->params, "protocolVersion"));
    if (!want) {
        reply_error(ss, route, m->id, KG_RPC_INVALID_PARAMS,
                    "Invalid params: initialize needs params.protocolVersion");
        return;
    }
    const char *use = KG_MCP_VERSIONS[0];
    for (int i = 0; KG_MCP_VERSIONS[i]; i++)
        if (strcmp(KG_MCP_VERSIONS[i], want) == 0)
            use = want;
    snprintf(ss->version, sizeof ss->version, "%s", use);
    ss->initialized = 1;
    json_t *res = json_pack(
        "{s:s, s:o, s:{s:s, s:s, s:s}, s:s}", "protocolVersion", ss->version, "capabilities",
        server_capabilities(), "serverInfo", "name", "kgas", "title", "kgas knowledge graph",
        "version", KGAS_VERSION, "instructions",
        "kgas builds a knowledge graph from documents. Typical flow: ingest {paths} -> "
        "get_graph_statistics -> read_query {sql} (read-only SQL over documents, chunks, "
        "entities, relationships). Documents and entities are also resources "
        "(kgas://document/{id}, kgas://entity/{id}).");
    reply(ss, route, kg_jsonrpc_result(m->id, res));
}

static void m_tools_list(kg_mcp_session *ss, const kg_rpc_msg *m, void *route)
{
    json_t *tools = json_array();
    for (size_t i = 0; i < kg_tools_count(); i++)
        json_array_append_new(tools, kg_tool_describe(kg_tools_at(i)));
    reply(ss, route, kg_jsonrpc_result(m->id, json_pack("{s:o}", "tools", tools)));
}

static void m_tools_call(kg_mcp_session *ss, const kg_rpc_msg *m, void *route)
{
    json_t *jname = json_object_get(m->params, "name");
    if (!json_is_string(jname)) {
        reply_error(ss, route, m->id, KG_RPC_INVALID_PARAMS,
                    "Invalid params: tools/call needs params.name (a tool name)");
        return;
    }
    const kg_tool *t = kg_tools_find(json_string_value(jname));
    if (!t) {
        char msg[300];
        snprintf(msg, sizeof msg, "Unknown tool: %.100s (tools/list names the tools)",
                 json_string_value(jname));
        reply_error(ss, route, m->id, KG_RPC_INVALID_PARAMS, msg);
        return;
    }
    json_t *args = json_object_get(m->params, "arguments");
    job *j = job_new(ss, route, m->id, J_TOOL);
    j->tool = t;
    j->args = args ? json_incref(args) : json_object();
    json_t *tok = json_object_get(json_object_get(m->params, "_meta"), "progressToken");
    if (json_is_string(tok) || json_is_integer(tok))
        j->progress_token = json_incref(tok);
    job_start(j);
}

static void m_resources(kg_mcp_session *ss, const kg_rpc_msg *m, void *route, job_kind kind)
{
    const char *key = kind == J_RES_LIST ? "cursor" : "uri";
    json_t *v = json_object_get(m->params, key);
    if (kind == J_RES_READ && !json_is_string(v)) {
        reply_error(ss, route, m->id, KG_RPC_INVALID_PARAMS,
                    "Invalid params: resources/read needs params.uri");
        return;
    }
    job *j = job_new(ss, route, m->id, kind);
    j->str = json_is_string(v) ? kg_xstrdup(json_string_value(v)) : NULL;
    job_start(j);
}

static void m_set_level(kg_mcp_session *ss, const kg_rpc_msg *m, void *route)
{
    const char *lv = json_string_value(json_object_get(m->params, "level"));
    for (int i = 0; lv && i < NLOG_LEVELS; i++)
        if (strcmp(LOG_LEVELS[i], lv) == 0) {
            ss->log_level = i;
            reply(ss, route, kg_jsonrpc_result(m->id, json_object()));
            return;
        }
    reply_error(ss, route, m->id, KG_RPC_INVALID_PARAMS,
                "Invalid params: level must be one of debug, info, notice, warning, error, "
                "critical, alert, emergency");
}

static void on_notification(kg_mcp_session *ss, const kg_rpc_msg *m)
{
    if (strcmp(m->method, "notifications/cancelled") == 0) {
        json_t *rid = json_object_get(m->params, "requestId");
        for (job *j = ss->jobs; rid && j; j = j->next)
            if (json_equal(j->id, rid)) {
                j->cancel = 1;
                j->dropped = 1;
            }
    }
    /* notifications/initialized and anything unknown need nothing. */
}

/* One classified request. */
static void dispatch(kg_mcp_session *ss, const kg_rpc_msg *m, void *route)
{
    const char *meth = m->method;
    if (strcmp(meth, "initialize") == 0)
        m_initialize(ss, m, route);
    else if (strcmp(meth, "ping") == 0)
        reply(ss, route, kg_jsonrpc_result(m->id, json_object()));
    else if (!ss->initialized)
        reply_error(ss, route, m->id, KG_RPC_INVALID_REQUEST,
                    "Invalid Request: the session is not initialized; send initialize first");
    else if (strcmp(meth, "tools/list") == 0)
        m_tools_list(ss, m, route);
    else if (strcmp(meth, "tools/call") == 0)
        m_tools_call(ss, m, route);
    else if (strcmp(meth, "resources/list") == 0)
        m_resources(ss, m, route, J_RES_LIST);
    else if (strcmp(meth, "resources/read") == 0)
        m_resources(ss, m, route, J_RES_READ);
    else if (strcmp(meth, "resources/templates/list") == 0)
        reply(ss, route, kg_jsonrpc_result(m->id, kg_resources_templates()));
    else if (strcmp(meth, "logging/setLevel") == 0)
        m_set_level(ss, m, route);
    else {
        char msg[200];
        snprintf(msg, sizeof msg, "Method not found: %.100s", meth);
        reply_error(ss, route, m->id, KG_RPC_METHOD_NOT_FOUND, msg);
    }
}

/* One message (stolen): KG_MCP_ANSWERS for a request, KG_MCP_INVALID when
 * it is not a message (its error has been sent), else KG_MCP_NO_ANSWER. */
static int handle_one(kg_mcp_session *ss, json_t *root, void *route)
{
    kg_rpc_msg m;
    json_t *error = NULL;
    kg_rpc_kind kind = kg_jsonrpc_classify(root, &m, &error);
    if (kind == KG_RPC_INVALID) {
        reply(ss, route, error);
        return KG_MCP_INVALID;
    }
    if (kind == KG_RPC_NOTIFICATION)
        on_notification(ss, &m);
    else if (kind == KG_RPC_REQUEST)
        dispatch(ss, &m, route);
    kg_rpc_msg_free(&m);
    return kind == KG_RPC_REQUEST ? KG_MCP_ANSWERS : KG_MCP_NO_ANSWER;
}

/* Version 2025-03-26 requires servers to take batches; later versions
 * removed them, so they are refused in those sessions (classify says why). */
static int batches_allowed(const kg_mcp_session *ss)
{
    return ss->initialized && strcmp(ss->version, "2025-03-26") == 0;
}

static int handle_batch(kg_mcp_session *ss, json_t *arr, void *route)
{
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        reply_error(ss, route, NULL, KG_RPC_INVALID_REQUEST, "Invalid Request: empty batch");
        return KG_MCP_INVALID;
    }
    batch *b = kg_xcalloc(1, sizeof *b);
    b->route = route;
    b->answers = json_array();
    b->pending = 1; /* held until every member is dispatched */
    b->next = ss->batches;
    ss->batches = b;
    size_t i;
    json_t *el;
    json_array_foreach(arr, i, el)
    {
        /* Each request is answered into the batch; an invalid member's
         * error is one of the batch's answers too. */
        b->pending++;
        if (handle_one(ss, json_incref(el), b) == KG_MCP_NO_ANSWER)
            b->pending--;
    }
    json_decref(arr);
    if (b->pending == 1 && json_array_size(b->answers) == 0) { /* notifications only */
        ss->batches = b->next;
        batch_free(b);
        return KG_MCP_NO_ANSWER;
    }
    batch_done(ss, b, NULL); /* sends now if every member was answered at once */
    return KG_MCP_ANSWERS;
}

int kg_mcp_session_handle_json(kg_mcp_session *ss, json_t *root, void *route)
{
    ss->last_active = kg_tool_now();
    if (json_is_array(root) && batches_allowed(ss))
        return handle_batch(ss, root, route);
    return handle_one(ss, root, route);
}

int kg_mcp_session_handle(kg_mcp_session *ss, const char *data, size_t len, void *route)
{
    json_t *error = NULL;
    json_t *root = kg_jsonrpc_load(data, len, &error);
    if (!root) {
        ss->last_active = kg_tool_now();
        reply(ss, route, error);
        return KG_MCP_INVALID;
    }
    return kg_mcp_session_handle_json(ss, root, route);
}
