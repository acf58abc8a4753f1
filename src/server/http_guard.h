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
/* 1 when host (a Host header, "name[:port]") names this machine's loopback
 * (localhost, 127.x.y.z, [::1]; any port) or is listed in hosts
 * (comma-separated, compared without case; an entry without a port allows
 * any).  A missing Host (HTTP/1.0) passes: browsers always send one, and a
 * DNS-rebinding attack needs a browser. */
int kg_http_host_ok(const char *hosts, const char *host);
/* 1 when an Accept header allows the media type ("application/json"):
 * the most specific matching range (type/sub, type/ *, * / *) decides, and
 * q=0 refuses.  A missing header accepts everything. */
int kg_http_accepts(const char *accept, const char *type);
/* 1 when a Content-Type header is application/json (any case, parameters
 * such as charset allowed). */
int kg_http_is_json(const char *content_type);
/* "HOST:PORT" or "[v6]:PORT", numeric (localhost = 127.0.0.1): the socket
 * address, and whether it is a loopback one. */
int kg_http_parse_bind(const char *spec, struct sockaddr_storage *ss, int *loopback, kg_err *err);

#endif
