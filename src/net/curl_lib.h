/* curl_lib: libcurl, opened at first use (base/dynlib.h says why).
 *
 * libcurl alone brings GnuTLS/OpenSSL, Kerberos, LDAP, libssh2, RTMP and
 * more into a process; only the API client (net/http, net/retry) needs it,
 * and only when an LLM or embedding service is actually called.  Callers
 * use kg_curl->NAME where they wrote curl_NAME: the types and constants
 * still come from <curl/curl.h>.  kg_curl_lib_load also runs
 * curl_global_init, once, before any thread can use libcurl (it is not
 * thread-safe itself, and libcurl requires it before other calls). */
#ifndef KG_NET_CURL_LIB_H
#define KG_NET_CURL_LIB_H

#include <curl/curl.h>

#include "base/err.h"

/* X(field, libcurl function): the functions kgas uses.  The fields drop the
 * "curl_" prefix because <curl/curl.h> defines type-checking macros named
 * like the functions, which a call through kg_curl->curl_easy_setopt(...)
 * would expand. */
#define KG_CURL_FUNCTIONS(X)                         \
    X(global_init, curl_global_init)                 \
    X(easy_init, curl_easy_init)                     \
    X(easy_setopt, curl_easy_setopt)                 \
    X(easy_getinfo, curl_easy_getinfo)               \
    X(easy_cleanup, curl_easy_cleanup)               \
    X(easy_strerror, curl_easy_strerror)             \
    X(multi_init, curl_multi_init)                   \
    X(multi_setopt, curl_multi_setopt)               \
    X(multi_cleanup, curl_multi_cleanup)             \
    X(multi_add_handle, curl_multi_add_handle)       \
    X(multi_remove_handle, curl_multi_remove_handle) \
    X(multi_strerror, curl_multi_strerror)           \
    X(multi_socket_action, curl_multi_socket_action) \
    X(multi_info_read, curl_multi_info_read)         \
    X(multi_assign, curl_multi_assign)               \
    X(slist_append, curl_slist_append)               \
    X(slist_free_all, curl_slist_free_all)           \
    X(getdate, curl_getdate)                         \
    X(version, curl_version)

/* NOLINTNEXTLINE(bugprone-macro-parentheses): field names a member, not a value */
#define KG_CURL_FIELD(field, fn) __typeof__(fn) *field;
typedef struct kg_curl_api {
    KG_CURL_FUNCTIONS(KG_CURL_FIELD)
} kg_curl_api;
#undef KG_CURL_FIELD

/* The table; its pointers are valid only after kg_curl_lib_load returned 0
 * in this process (a callback of a transfer started after that may rely on
 * it without calling again). */
extern const kg_curl_api *const kg_curl;

/* Open libcurl and run curl_global_init unless done; thread-safe.  0, or
 * KG_ENOTFOUND with "cannot call web APIs: libcurl.so.N could not be
 * loaded (...); install the package ...". */
int kg_curl_lib_load(kg_err *err);

/* The SONAME kgas opens ("libcurl.so.4"), for `kgas doctor`. */
const char *kg_curl_lib_soname(void);

#endif
