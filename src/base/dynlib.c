/* dynlib: see dynlib.h.
 *
 * One process-wide mutex guards every library's state: loads are rare (at
 * most one per library per process) and each is far slower than the lock,
 * so a finer scheme would buy nothing.  The mutex also orders the table's
 * writes before any reader that got 0 from kg_dynlib_load. */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dlsym returns an object pointer that POSIX lets us use as a function
 * pointer; the tables are filled by copying it bytewise. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "function and object pointers must have the same size for dlsym");

static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;

/* Does KG_TEST_DLOPEN_FAIL ask for this SONAME to fail? */
static int forced_to_fail(const char *soname)
{
    const char *v = getenv("KG_TEST_DLOPEN_FAIL");
    if (!v || !*v)
        return 0;
    size_t n = strlen(soname);
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        if ((len == 3 && strncmp(p, "all", 3) == 0) || (len == n && strncmp(p, soname, n) == 0))
            return 1;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

static void set_failure(kg_dynlib *lib, const char *what, const char *detail)
{
    const char *pkg = lib->package && *lib->package ? lib->package : NULL;
    snprintf(lib->error, sizeof lib->error, "cannot %s: %s %s (%s); install the package %s",
             lib->purpose, lib->soname, what, detail ? detail : "no detail",
             pkg ? pkg : "that provides it");
    lib->state = -1;
}

static void open_lib(kg_dynlib *lib)
{
    char name[512];
    /* A name no library can have, so dlopen fails and dlerror is real. */
    snprintf(name, sizeof name, "%s%s", lib->soname,
             forced_to_fail(lib->soname) ? ".missing-by-KG_TEST_DLOPEN_FAIL" : "");
    void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        set_failure(lib, "could not be loaded", dlerror());
        return;
    }
    for (size_t i = 0; i < lib->nsyms; i++) {
        dlerror();
        /* On a dlopen handle dlsym also searches the library's own
         * dependencies: GLib's functions are found through poppler-glib. */
        void *fn = dlsym(h, lib->syms[i].name);
        if (!fn) {
            char what[160];
            snprintf(what, sizeof what, "lacks %s (too old?)", lib->syms[i].name);
            set_failure(lib, what, dlerror());
            return; /* h stays open: closing GLib-based libraries is unsafe */
        }
        memcpy((char *)lib->table + lib->syms[i].offset, &fn, sizeof fn);
    }
    char why[256] = "";
    if (lib->init && lib->init(why, sizeof why) != 0) {
        set_failure(lib, "did not initialise", why);
        return;
    }
    lib->state = 1;
}

int kg_dynlib_load(kg_dynlib *lib, kg_err *err)
{
    pthread_mutex_lock(&load_mu);
    if (lib->state == 0)
        open_lib(lib);
    int ok = lib->state == 1;
    if (!ok)
        kg_err_set(err, KG_ENOTFOUND, "%s", lib->error);
    pthread_mutex_unlock(&load_mu);
    return ok ? KG_OK : KG_ENOTFOUND;
}
