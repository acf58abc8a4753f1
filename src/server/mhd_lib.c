/* mhd_lib: see mhd_lib.h.  KG_MHD_SONAME and KG_MHD_PACKAGE come from CMake
 * (the SONAME of the libmicrohttpd pkg-config found, and its package). */
#include "server/mhd_lib.h"

#include "base/dynlib.h"

#ifndef KG_MHD_SONAME
#error "KG_MHD_SONAME is set by CMakeLists.txt (the SONAME of libmicrohttpd)"
#endif
#ifndef KG_MHD_PACKAGE
#define KG_MHD_PACKAGE ""
#endif

static kg_mhd_api table;
const kg_mhd_api *const kg_mhd = &table;

#define KG_MHD_SYM(field, fn) {#fn, offsetof(kg_mhd_api, field)},
static const kg_dynsym syms[] = {KG_MHD_FUNCTIONS(KG_MHD_SYM)};
#undef KG_MHD_SYM

static kg_dynlib lib = {
    .soname = KG_MHD_SONAME,
    .purpose = "serve MCP over HTTP",
    .package = KG_MHD_PACKAGE,
    .syms = syms,
    .nsyms = sizeof syms / sizeof syms[0],
    .table = &table,
    .init = NULL,
};

int kg_mhd_lib_load(kg_err *err)
{
    return kg_dynlib_load(&lib, err);
}

const char *kg_mhd_lib_soname(void)
{
    return lib.soname;
}
