/* curl_lib: see curl_lib.h.  KG_CURL_SONAME and KG_CURL_PACKAGE come from
 * CMake (the SONAME of the libcurl pkg-config found, and its package). */
#include "net/curl_lib.h"

#include <stdio.h>

#include "base/dynlib.h"

#ifndef KG_CURL_SONAME
#error "KG_CURL_SONAME is set by CMakeLists.txt (the SONAME of libcurl)"
#endif
#ifndef KG_CURL_PACKAGE
#define KG_CURL_PACKAGE ""
#endif

static kg_curl_api table;
const kg_curl_api *const kg_curl = &table;

#define KG_CURL_SYM(field, fn) {#fn, offsetof(kg_curl_api, field)},
static const kg_dynsym syms[] = {KG_CURL_FUNCTIONS(KG_CURL_SYM)};
#undef KG_CURL_SYM

/* curl_global_init is not thread-safe in every libcurl build and must come
 * before any other call; running it inside the one-time load guarantees
 * both, wherever the first use is. */
static int init(char *why, size_t cap)
{
    CURLcode rc = table.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
        snprintf(why, cap, "curl_global_init: %s", table.easy_strerror(rc));
        return -1;
    }
    return 0;
}

static kg_dynlib lib = {
    .soname = KG_CURL_SONAME,
    .purpose = "call web APIs (LLM and embedding services)",
    .package = KG_CURL_PACKAGE,
    .syms = syms,
    .nsyms = sizeof syms / sizeof syms[0],
    .table = &table,
    .init = init,
};

int kg_curl_lib_load(kg_err *err)
{
    return kg_dynlib_load(&lib, err);
}

const char *kg_curl_lib_soname(void)
{
    return lib.soname;
}
