/* mhd_lib: libmicrohttpd, opened at first use (base/dynlib.h says why).
 *
 * Only `kgas mcp --http` serves HTTP, yet linking libmicrohttpd brought
 * GnuTLS and its dependencies into every kgas process.  server/http calls
 * kg_mhd->NAME where it wrote MHD_NAME, after kg_mhd_lib_load; the types
 * and constants still come from <microhttpd.h>. */
#ifndef KG_SERVER_MHD_LIB_H
#define KG_SERVER_MHD_LIB_H

#include <microhttpd.h>

#include "base/err.h"

/* X(field, libmicrohttpd function): the functions kgas uses. */
#define KG_MHD_FUNCTIONS(X)                                             \
    X(start_daemon, MHD_start_daemon)                                   \
    X(stop_daemon, MHD_stop_daemon)                                     \
    X(get_daemon_info, MHD_get_daemon_info)                             \
    X(run, MHD_run)                                                     \
    X(get_timeout, MHD_get_timeout)                                     \
    X(create_response_from_buffer, MHD_create_response_from_buffer)     \
    X(create_response_from_callback, MHD_create_response_from_callback) \
    X(add_response_header, MHD_add_response_header)                     \
    X(queue_response, MHD_queue_response)                               \
    X(destroy_response, MHD_destroy_response)                           \
    X(lookup_connection_value, MHD_lookup_connection_value)             \
    X(suspend_connection, MHD_suspend_connection)                       \
    X(resume_connection, MHD_resume_connection)                         \
    X(get_connection_info, MHD_get_connection_info)                     \
    X(set_connection_option, MHD_set_connection_option)                 \
    X(add_connection, MHD_add_connection)                               \
    X(version, MHD_get_version)

/* NOLINTNEXTLINE(bugprone-macro-parentheses): field names a member, not a value */
#define KG_MHD_FIELD(field, fn) __typeof__(fn) *field;
typedef struct kg_mhd_api {
    KG_MHD_FUNCTIONS(KG_MHD_FIELD)
} kg_mhd_api;
#undef KG_MHD_FIELD

/* The table; valid only after kg_mhd_lib_load returned 0 in this process. */
extern const kg_mhd_api *const kg_mhd;

/* Open libmicrohttpd unless done; thread-safe.  0, or KG_ENOTFOUND with
 * "cannot serve MCP over HTTP: libmicrohttpd.so.N could not be loaded
 * (...); install the package ...". */
int kg_mhd_lib_load(kg_err *err);

/* The SONAME kgas opens ("libmicrohttpd.so.12"), for `kgas doctor`. */
const char *kg_mhd_lib_soname(void);

#endif
