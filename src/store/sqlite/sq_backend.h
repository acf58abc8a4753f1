/* sq_backend: the SQLite backend as src/store/ sees it.  Everything else of
 * the backend is private to src/store/sqlite/ (sq_internal.h).
 *
 * A plain path names a SQLite database file: kg_store_open hands it to
 * kg_sqlite_backend (store/backends.c).  kg_sqlite_handle is for the
 * backend's own unit tests, which check what the SQLite file holds (page
 * size, indexes, FTS5 integrity); no layer above store/ may include this
 * header (scripts/check_layers.py), so none can reach the connection. */
#ifndef KG_STORE_SQLITE_SQ_BACKEND_H
#define KG_STORE_SQLITE_SQ_BACKEND_H

#include "store/store.h"

struct kg_store_backend;
struct sqlite3;

extern const struct kg_store_backend kg_sqlite_backend;

/* The page size of a database this backend creates (sq_open.c says why not
 * SQLite's 4096); an existing database keeps its own. */
#define KG_STORE_PAGE_SIZE 16384
#define KG_STORE_PAGE_SIZE_STR "16384"

/* The connection of a handle of this backend; NULL for any other handle. */
struct sqlite3 *kg_sqlite_handle(kg_store *s);

#endif
