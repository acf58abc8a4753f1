/* dynlib: optional shared libraries, opened at first use with dlopen.
 *
 * Why: poppler-glib, libcurl and libmicrohttpd, linked the ordinary way,
 * bring some seventy shared libraries (GLib, cairo, fontconfig, GnuTLS,
 * Kerberos, LDAP, NSS, ...) into every kgas process, and mapping and
 * relocating them was ~16 of the ~18 ms each start cost (docs/benchmarks.md),
 * although most commands (query, stats, top, search) use none of them.  Now each of those libraries has a
 * shim in the layer of its user (pdf/pdf_lib, net/curl_lib, server/mhd_lib)
 * holding a table of typed function pointers; this module opens the library
 * once per process, by the SONAME CMake found at configure time (so no
 * version is written in C), and fills the table from a list of symbol names.
 *
 * Loading is thread-safe (one mutex; ingest workers may race to the first
 * PDF) and happens at most once: after a failure every later call returns
 * the same message at once.  Failure is a kg_err naming what the library is
 * needed for, the SONAME, dlerror() and the package to install, never a
 * crash.  The handle is never closed: the table must stay valid for the
 * process, and GLib and libcurl do not support being unloaded anyway.
 *
 * Testing: the environment variable KG_TEST_DLOPEN_FAIL, a comma-separated
 * list of SONAMEs or "all", makes those loads fail for real (dlopen is
 * asked for a name that cannot exist), so the failure paths can be tested
 * on a machine that has the libraries.  It can only make a load fail, never
 * load anything else.  It is deliberately not KGAS_*: those are settings,
 * and config/ rejects the ones it does not know. */
#ifndef KG_BASE_DYNLIB_H
#define KG_BASE_DYNLIB_H

#include <stddef.h>

#include "base/err.h"

/* One function to look up: its name, and where its pointer goes in the
 * shim's table (offsetof). */
typedef struct kg_dynsym {
    const char *name;
    size_t offset;
} kg_dynsym;

typedef struct kg_dynlib {
    /* Set by the shim. */
    const char *soname;    /* "libcurl.so.4" */
    const char *purpose;   /* completes "cannot ...": "read PDFs" */
    const char *package;   /* the distribution package to install, or "" */
    const kg_dynsym *syms; /* nsyms entries */
    size_t nsyms;
    void *table; /* the shim's struct of function pointers */
    /* Run once, after the table is filled (curl_global_init, log handlers);
     * may be NULL.  Returns 0, or fills why (cap bytes) and returns -1. */
    int (*init)(char *why, size_t cap);
    /* State, owned by this module. */
    int state; /* 0 not tried, 1 loaded, -1 failed */
    char error[KG_ERR_MSG_MAX];
} kg_dynlib;

/* Open lib and fill its table unless that was done already.  0, or the
 * load error (KG_ENOTFOUND) with the message in err (may be NULL). */
int kg_dynlib_load(kg_dynlib *lib, kg_err *err);

#endif
