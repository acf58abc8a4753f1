/* http_guard: the checks of the HTTP transport that need no connection:
 * the bearer token, the Origin header (DNS-rebinding protection) and the
 * --http HOST:PORT address.  Plain functions of strings, so they are tested
 * without a server (tests/unit/test_http_guard.c). */
#ifndef KG_SERVER_HTTP_GUARD_H
#define KG_SERVER_HTTP_GUARD_H

#include <sys/socket.h>

#include "base/err.h"

/* 1 when no token is required or `authorization` is "Bearer <token>"
 * (compared in constant time). */
int kg_http_token_ok(const char *token, const char *authorization);
/* 1 when origin is absent (not a browser), a loopback origin (localhost,
 * 127.0.0.1, [::1], any port) or listed in origins (comma-separated). */
int kg_http_origin_ok(const char *origins, const char *origin);
/* "HOST:PORT" or "[v6]:PORT", numeric (localhost = 127.0.0.1): the socket
 * address, and whether it is a loopback one. */
int kg_http_parse_bind(const char *spec, struct sockaddr_storage *ss, int *loopback, kg_err *err);

#endif
