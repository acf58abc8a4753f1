/* walk: turn the paths a user gives into the list of files to ingest.
 *
 * Files named directly are taken whatever their extension (the loader says
 * if it cannot read them); folders are walked recursively for files of a
 * kind some loader reads (text/load_list.h), skipping hidden entries and symlinked
 * folders (no loops).  --include / --exclude globs (comma-separated) match
 * the file name or its path relative to the folder walked.  The result is
 * sorted so every run sees the same order.  Paths that cannot be walked are
 * reported as failures, not errors: the rest of the batch goes on.
 *
 * The kg_walk owns its strings; free with kg_walk_free(). */
#ifndef KG_INGEST_WALK_H
#define KG_INGEST_WALK_H

#include <stddef.h>

#include "base/err.h"
#include "base/fsafe.h"

typedef struct kg_walk {
    char **files; /* as given or joined to the folder; not yet resolved */
    size_t nfiles;
    char **failed; /* "path: reason" for paths that could not be walked */
    size_t nfailed;
} kg_walk;

int kg_walk_paths(const char *const *paths, size_t npaths, const char *include, const char *exclude,
                  const kg_path_policy *policy, kg_walk *out, kg_err *err);
void kg_walk_free(kg_walk *w);

/* True when name matches one of the comma-separated globs. */
int kg_glob_list_match(const char *globs, const char *name, const char *relpath);

#endif
