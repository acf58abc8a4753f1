/* backends: the one list of storage backends, the choice among them by the
 * target given to kg_store_open, and the life of a handle.
 *
 * A target is a path (a SQLite database file) unless it starts with a URI
 * scheme listed here.  A scheme listed without a backend is one kgas knows
 * of but this build does not have: opening it is a clear error, not a file
 * called "postgresql:" in the working directory.  A new backend is one row
 * here and one folder beside store/sqlite/ (store/backend.h says what it
 * implements). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "store/backend.h"
#include "store/sqlite/sq_backend.h"

typedef struct route {
    const char *scheme;         /* prefix of the target, case-insensitive */
    const kg_store_backend *be; /* NULL: not in this build */
    const char *what;           /* for the error when be is NULL */
} route;

static const route ROUTES[] = {
    {"postgresql://", NULL, "PostgreSQL"},
    {"postgres://", NULL, "PostgreSQL"},
};

/* Every other target: a database file. */
#define PATH_BACKEND (&kg_sqlite_backend)

/* The backend of target, or NULL (err set) when this build has none. */
static const kg_store_backend *pick(const char *target, kg_err *err)
{
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        const route *r = &ROUTES[i];
        if (strncasecmp(target, r->scheme, strlen(r->scheme)) != 0)
            continue;
        if (!r->be)
            /* The target itself is not repeated: a URI may hold a password. */
            kg_err_set(err, KG_EINVAL,
                       "cannot open a %s database: this build has no %s backend "
                       "(kgas keeps its graph in a SQLite file: give a file path)",
                       r->what, r->what);
        return r->be;
    }
    return PATH_BACKEND;
}

int kg_store_open(const char *target, const kg_store_opts *opts, kg_store **out, kg_err *err)
{
    *out = NULL;
    const kg_store_backend *be = pick(target, err);
    return be ? be->open(target, opts, out, err) : KG_EINVAL;
}

int kg_store_exists(const char *target)
{
    const kg_store_backend *be = pick(target, NULL);
    /* A backend this build lacks: "yes", so that opening it says why. */
    return !be || be->exists(target);
}

void kg_store_stamp(const char *target, kg_buf *key)
{
    const kg_store_backend *be = pick(target, NULL);
    if (be)
        be->stamp(target, key);
    else
        kg_buf_puts(key, "|-"); /* nothing to open: nothing to change */
}

void kg_store_remove(const char *target)
{
    const kg_store_backend *be = pick(target, NULL);
    if (be)
        be->remove(target);
}

int kg_store_query_readonly(const char *target, const char *sql, const kg_query_opts *o,
                            const kg_query_sink *sink, kg_err *err)
{
    const kg_store_backend *be = pick(target, err);
    return be ? be->query_readonly(target, sql, o, sink, err) : KG_EINVAL;
}

void kg_store_close(kg_store *s)
{
    if (s)
        s->be->store->close(s);
}

const char *kg_store_path(const kg_store *s)
{
    return s->path;
}

void kg_store_init(kg_store *s, const kg_store_backend *be, const char *path)
{
    s->be = be;
    s->path = kg_xstrdup(path);
    s->op_id[0] = '\0';
}

void kg_store_fini(kg_store *s)
{
    free(s->path);
    s->path = NULL;
}
