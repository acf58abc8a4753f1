/* pdf_lib: see pdf_lib.h.  KG_POPPLER_GLIB_SONAME and KG_POPPLER_GLIB_PACKAGE
 * come from CMake (the SONAME of the poppler-glib pkg-config found, and its
 * package). */
#include "pdf/pdf_lib.h"

#include "base/dynlib.h"

#ifndef KG_POPPLER_GLIB_SONAME
#error "KG_POPPLER_GLIB_SONAME is set by CMakeLists.txt (the SONAME of poppler-glib)"
#endif
#ifndef KG_POPPLER_GLIB_PACKAGE
#define KG_POPPLER_GLIB_PACKAGE ""
#endif

static kg_pdf_api table;
const kg_pdf_api *const kg_pdf = &table;

#define KG_PDF_SYM(field, fn) {#fn, offsetof(kg_pdf_api, field)},
static const kg_dynsym syms[] = {KG_PDF_FUNCTIONS(KG_PDF_SYM)};
#undef KG_PDF_SYM

static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer ud)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)ud;
}

static int init(char *why, size_t cap)
{
    (void)why;
    (void)cap;
    table.log_set_handler(
        "Poppler", (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION),
        quiet_log, NULL);
    return 0;
}

static kg_dynlib lib = {
    .soname = KG_POPPLER_GLIB_SONAME,
    .purpose = "read PDFs",
    .package = KG_POPPLER_GLIB_PACKAGE,
    .syms = syms,
    .nsyms = sizeof syms / sizeof syms[0],
    .table = &table,
    .init = init,
};

int kg_pdf_lib_load(kg_err *err)
{
    return kg_dynlib_load(&lib, err);
}

const char *kg_pdf_lib_soname(void)
{
    return lib.soname;
}
