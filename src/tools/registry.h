/* registry: the one list of tools and the one way to call them.
 *
 * A tool is a name, a title, a description a model can act on, an input and
 * an output JSON Schema and a handler.  The CLI (`kgas tool`, `kgas tools
 * --validate`), the MCP server and the tests all call kg_tool_call(), which
 * validates the arguments against the schema (filling defaults), consults
 * the read cache, runs the handler and wraps the outcome as an MCP
 * CallToolResult: {content: [{type: text, text}], structuredContent,
 * isError}.  Bad arguments and handler failures are results with isError
 * and a message naming what to fix; they are not protocol errors.
 *
 * Adding a tool: write src/tools/tool_NAME.c defining
 * `const kg_tool kg_tool_NAME = {...}`, its schemas as
 * src/tools/schemas/NAME.in.json and NAME.out.json (embedded at build time
 * as kg_schema_NAME_in / _out, declared in the generated
 * kg_tool_schemas.h: src/tools/schemas.cmake), and add KG_TOOL(NAME) to
 * tools/tool_list.h.
 *
 * Threads: handlers run on worker threads, several at once; each opens its
 * own store handle.  The kg_tool_runtime is shared and thread-safe.
 *
 * Memory: kg_tool_call returns a new reference the caller owns; schemas
 * returned by kg_tool_input_schema are borrowed (they live until exit). */
#ifndef KG_TOOLS_REGISTRY_H
#define KG_TOOLS_REGISTRY_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fsafe.h"
#include "config/config.h"
#include "services/service_pool.h"
#include "tools/cache.h"

#define KG_TOOLS_MAX 64

/* Tool flags. */
#define KG_TOOL_READ 0x01      /* reads only: results may be cached */
#define KG_TOOL_WRITE 0x02     /* changes the graph: invalidates the cache */
#define KG_TOOL_PROGRESS 0x04  /* long-running: reports progress */
#define KG_TOOL_NEEDS_LLM 0x08 /* calls the LLM service (llm.*): runs only where it is set */

/* MCP tool annotations (tools/list `annotations`), which clients turn into
 * permission prompts, so each tool states them from what it does, never by
 * default (KG_HINTS_DECLARED must be set; the unit tests check every tool
 * against its behaviour):
 *   READ_ONLY    changes nothing a user relies on: no stored documents,
 *                graph, scores or files.  A derived cache it may fill (the
 *                LLM response cache, a vector index built on demand) does
 *                not count: it is additive and rebuilt from what is stored.
 *   DESTRUCTIVE  may delete or overwrite what is there: a document's older
 *                version, stored scores, merged entities, an existing file
 *                at output_path.  Only meaningful when not READ_ONLY.
 *   IDEMPOTENT   the same call again has no further effect.
 *   OPEN_WORLD   may talk to something outside this machine (the
 *                configured LLM or embedding service). */
#define KG_HINTS_DECLARED 0x100
#define KG_HINT_READ_ONLY 0x01
#define KG_HINT_DESTRUCTIVE 0x02
#define KG_HINT_IDEMPOTENT 0x04
#define KG_HINT_OPEN_WORLD 0x08

/* Shared, long-lived facts about the process hosting the tools, for
 * get_system_status and for the cache.  Owned by the front door. */
typedef struct kg_tool_runtime {
    double started; /* kg_tool_now() at start */
    int workers;
    const char *transport; /* "stdio", "http", "cli" */
    kg_tool_cache *cache;  /* may be NULL */
    /* Loop lag over the last minute, in ms; NULL when there is no loop. */
    void (*lag)(void *ud, double *max_ms, double *p99_ms, double *last_ms);
    void *lag_ud;
    atomic_long calls[KG_TOOLS_MAX];
    atomic_long errors[KG_TOOLS_MAX];
    atomic_long in_flight;
    /* The loaded graph shared by read tools (tools/graph_views.c). */
    pthread_mutex_t graph_mu;
    void *graph_view;
    char *graph_stamp;
    /* The outbound API services (embed, llm), one per model and setup,
     * shared by all calls so that their rate limits and circuit breakers
     * hold for the process; stopped by kg_tool_runtime_release. */
    kg_service_pool *services;
} kg_tool_runtime;

/* What a handler may use.  Borrowed pointers, valid for the call. */
typedef struct kg_tool_ctx {
    const char *db_path;
    const kg_config *cfg;
    const kg_path_policy *policy;
    /* Non-zero when the caller wants the call stopped: handlers check it at
     * checkpoints (between documents, rows, chunks) and return KG_ECANCELED. */
    volatile int *cancel;
    /* Progress: done of total (total 0 = unknown) with a short message.
     * May be NULL; called from the handler's thread. */
    void (*progress)(void *ud, double done, double total, const char *message);
    void *progress_ud;
    kg_tool_runtime *rt; /* may be NULL */
    /* The client takes resource_link content (MCP 2025-06-18 and later). */
    int resource_links;
} kg_tool_ctx;

/* A handler may put an array of extra MCP content items (resource links)
 * under this key of its result: kg_tool_call moves them into the
 * CallToolResult's content, after the text. */
#define KG_TOOL_EXTRA_CONTENT "_content"

typedef struct kg_tool {
    const char *name;
    const char *title;
    const char *description;
    /* JSON text: kg_schema_NAME_in / _out, from src/tools/schemas/ */
    const char *input_schema;
    const char *output_schema;
    /* Fills in the parts of the parsed input schema that come from another
     * table (the export tools: the "format" enum, from
     * export/export_list.h); run once, before the schema is checked.  May
     * be NULL. */
    void (*complete_input)(json_t *input_schema);
    unsigned flags;
    unsigned hints; /* KG_HINTS_DECLARED | KG_HINT_* (above) */
    /* On success *result is a new JSON object (the structured content). */
    int (*run)(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err);
    /* Arguments for `kgas tools --validate`; "$SAMPLE" in a string is
     * replaced by the path of a sample text file. */
    const char *sample_args;
} kg_tool;

size_t kg_tools_count(void);
const kg_tool *kg_tools_at(size_t i);
const kg_tool *kg_tools_find(const char *name);
/* Index of t in the table (for runtime counters). */
size_t kg_tools_index(const kg_tool *t);

/* Parsed schemas (borrowed).  Aborts at first use if a built-in schema is
 * not valid JSON or uses an unsupported keyword: a programming error that
 * the unit tests catch. */
const json_t *kg_tool_input_schema(const kg_tool *t);
const json_t *kg_tool_output_schema(const kg_tool *t);

/* The tools/list entry: name, title, description, inputSchema, outputSchema. */
json_t *kg_tool_describe(const kg_tool *t);

/* Validate, run, wrap (see above).  args may be NULL (= {}).  Never NULL. */
json_t *kg_tool_call(const kg_tool *t, kg_tool_ctx *ctx, const json_t *args);

/* Check a successful CallToolResult's structuredContent against the tool's
 * outputSchema (used by `kgas tools --validate` and the tests). */
int kg_tool_check_output(const kg_tool *t, const json_t *result, kg_err *err);

/* A CallToolResult with isError and the message. */
json_t *kg_tool_error_result(const char *msg);

/* Monotonic seconds. */
double kg_tool_now(void);

void kg_tool_runtime_init(kg_tool_runtime *rt, const char *transport, int workers);
/* The shared API services of the call's runtime (NULL without one: then a
 * call starts and stops its own). */
kg_service_pool *kg_tool_services(const kg_tool_ctx *ctx);

/* Append the state of the database at db to key: equal stamps mean
 * nothing was committed in between (by any process); kg_store_stamp. */
void kg_tool_db_stamp(const char *db, kg_buf *key);

/* Helpers for handlers: open the database read-only ("no database yet" is a
 * clear error) or for writing. */
struct kg_store;
int kg_tool_open_store(const kg_tool_ctx *ctx, int readonly, struct kg_store **out, kg_err *err);

#endif
