/* pdf_lib: poppler-glib, opened at first use (base/dynlib.h says why).
 *
 * poppler-glib is the heaviest of kgas's libraries: with GLib, GObject,
 * GIO, cairo, fontconfig, freetype, NSS, libtiff, X11 and the rest it made
 * up most of the shared libraries every kgas process used to load, though
 * only text/load_pdf reads PDFs.  load_pdf calls kg_pdf->NAME after
 * kg_pdf_lib_load; the types and constants still come from <poppler.h>.
 * The few GLib and GObject functions it needs are looked up through the
 * poppler-glib handle, which searches the libraries it depends on.
 *
 * The load also silences the "Poppler" GLib log domain, once: poppler
 * reports syntax problems of damaged files there, and library code must
 * not print. */
#ifndef KG_TEXT_PDF_LIB_H
#define KG_TEXT_PDF_LIB_H

#include <poppler.h>

#include "base/err.h"

/* X(field, function): the poppler-glib, GLib and GObject functions kgas
 * uses.  Short field names: GLib defines macros named like some of its
 * functions, which a call through kg_pdf->g_free(...) could expand.
 * page_get_text_layout gives one box per character of page_get_text (in
 * its order) and page_get_text_attributes the font name and size of ranges
 * of them: text/load_pdf makes glyphs of the three. */
#define KG_PDF_FUNCTIONS(X)                                         \
    X(document_new_from_bytes, poppler_document_new_from_bytes)     \
    X(document_get_n_pages, poppler_document_get_n_pages)           \
    X(document_get_page, poppler_document_get_page)                 \
    X(document_get_title, poppler_document_get_title)               \
    X(document_get_author, poppler_document_get_author)             \
    X(page_get_text, poppler_page_get_text)                         \
    X(page_get_text_layout, poppler_page_get_text_layout)           \
    X(page_get_text_attributes, poppler_page_get_text_attributes)   \
    X(page_free_text_attributes, poppler_page_free_text_attributes) \
    X(page_get_size, poppler_page_get_size)                         \
    X(error_quark, poppler_error_quark)                             \
    X(version, poppler_get_version)                                 \
    X(bytes_new_with_free_func, g_bytes_new_with_free_func)         \
    X(bytes_unref, g_bytes_unref)                                   \
    X(error_free, g_error_free)                                     \
    X(object_unref, g_object_unref)                                 \
    X(gfree, g_free)                                                \
    X(log_set_handler, g_log_set_handler)

/* NOLINTNEXTLINE(bugprone-macro-parentheses): field names a member, not a value */
#define KG_PDF_FIELD(field, fn) __typeof__(fn) *field;
typedef struct kg_pdf_api {
    KG_PDF_FUNCTIONS(KG_PDF_FIELD)
} kg_pdf_api;
#undef KG_PDF_FIELD

/* The table; valid only after kg_pdf_lib_load returned 0 in this process. */
extern const kg_pdf_api *const kg_pdf;

/* Open poppler-glib unless done; thread-safe.  0, or KG_ENOTFOUND with
 * "cannot read PDFs: libpoppler-glib.so.N could not be loaded (...);
 * install the package ...". */
int kg_pdf_lib_load(kg_err *err);

/* The SONAME kgas opens ("libpoppler-glib.so.8"), for `kgas doctor`. */
const char *kg_pdf_lib_soname(void);

#endif
