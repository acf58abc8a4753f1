/* http: asynchronous HTTP client on a libuv loop (libcurl's multi socket API).
 *
 * One kg_http per loop.  Every transfer is an easy handle added to one curl
 * multi handle; curl tells us which sockets to watch (uv_poll) and when to
 * wake it (uv_timer), and we drive it with curl_multi_socket_action.  No
 * thread per request and no blocking call: a request returns at once and its
 * callback runs on the loop when the transfer ends.  The multi handle keeps
 * a connection cache, so requests to one host reuse connections, and HTTP/2
 * is used where the server offers it over TLS (streams multiplexed on one
 * connection).  TLS peer and host verification stay on.
 *
 * Memory: kg_http_request copies what it needs from the request (URL,
 * headers, body), so the caller's request may be freed on return.  The
 * response handed to the callback is owned by kg_http and valid only during
 * the callback.  kg_http_free cancels transfers (callbacks run with
 * CURLE_ABORTED_BY_CALLBACK) and releases the handle once the loop has
 * closed its uv handles: run the loop after it. */
#ifndef KG_NET_HTTP_H
#define KG_NET_HTTP_H

#include <stddef.h>
#include <uv.h>

#include "base/err.h"

typedef struct kg_http kg_http;

typedef struct kg_http_req {
    const char *method; /* "GET" or "POST" (default GET) */
    const char *url;
    const char *const *headers; /* NULL-terminated "Name: value" lines, or NULL */
    const char *body;           /* POST body, may be NULL */
    size_t body_len;
    long connect_timeout_ms;   /* 0 = 10 s */
    long timeout_ms;           /* whole transfer; 0 = 120 s */
    long low_speed_bytes;      /* abort when slower than this ... (0 = 1 byte/s) */
    long low_speed_s;          /* ... for this long (0 = 30 s) */
    size_t max_response_bytes; /* 0 = 64 MiB */
} kg_http_req;

typedef struct kg_http_response {
    int curl_code;    /* CURLcode; 0 when the transfer completed */
    long status;      /* HTTP status; 0 when none arrived */
    const char *body; /* NUL-terminated; "" when empty */
    size_t body_len;
    const char *headers; /* raw header block of the last response */
    double seconds;      /* total time */
    const char *error;   /* curl's description when curl_code != 0 */
    long http_version;   /* CURL_HTTP_VERSION_* actually used */
} kg_http_response;

typedef void (*kg_http_cb)(const kg_http_response *resp, void *ud);

kg_http *kg_http_new(uv_loop_t *loop, kg_err *err);
/* Start a transfer.  0, or an error (bad request, curl refused it) in which
 * case cb is never called. */
int kg_http_request(kg_http *h, const kg_http_req *req, kg_http_cb cb, void *ud, kg_err *err);
/* Transfers not yet finished. */
int kg_http_active(const kg_http *h);
void kg_http_free(kg_http *h);

/* Copy the value of header `name` (case-insensitive, last occurrence) into
 * out; 1 when found, 0 when absent. */
int kg_http_header(const kg_http_response *r, const char *name, char *out, size_t cap);

#endif
