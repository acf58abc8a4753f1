/* serve: the two front doors of `kgas mcp`.
 *
 * kg_mcp_serve_stdio: one session over stdin/stdout (newline-delimited
 * JSON-RPC); returns when stdin closes or on SIGINT/SIGTERM.
 * kg_mcp_serve_http: Streamable HTTP at http://HOST:PORT/mcp; returns on
 * SIGINT/SIGTERM.  Both run one libuv loop on the calling thread and never
 * block it.  Nothing but protocol goes to stdout. */
#ifndef KG_SERVER_SERVE_H
#define KG_SERVER_SERVE_H

#include <stddef.h>

#include "base/err.h"
#include "base/fsafe.h"
#include "config/config.h"

typedef struct kg_mcp_serve_opts {
    const char *db_path;
    const kg_config *cfg;
    const kg_path_policy *policy;
    int workers;
    const char *http;  /* "HOST:PORT" for HTTP */
    const char *token; /* bearer token or NULL */
} kg_mcp_serve_opts;

int kg_mcp_serve_stdio(const kg_mcp_serve_opts *o, kg_err *err);
int kg_mcp_serve_http(const kg_mcp_serve_opts *o, kg_err *err);

#endif
