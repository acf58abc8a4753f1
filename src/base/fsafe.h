/* fsafe: safe access to files opened on behalf of a user or a client.
 *
 * A kg_path_policy says which files may be opened: optionally only those
 * below a set of allowed roots (checked after resolving every symlink, so a
 * link that leaves a root is refused), regular files only, and at most
 * max_bytes each.  Every refusal is a kg_err naming the path and the rule.
 * A NULL policy means no limits at all (library callers that check paths
 * themselves).  The policy owns copies of its roots; free it with
 * kg_path_policy_free(). */
#ifndef KG_BASE_FSAFE_H
#define KG_BASE_FSAFE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define KG_DEFAULT_MAX_FILE_BYTES (256ull * 1024 * 1024)

typedef struct kg_path_policy {
    char **roots; /* resolved absolute paths; none = no root limit */
    int nroots;
    uint64_t max_bytes; /* 0 = no limit */
} kg_path_policy;

void kg_path_policy_init(kg_path_policy *p);
/* Add an allowed root (must exist and be a directory). */
int kg_path_policy_add_root(kg_path_policy *p, const char *root, kg_err *err);
/* Add every root of a colon- or comma-separated list. */
int kg_path_policy_add_roots(kg_path_policy *p, const char *list, kg_err *err);
void kg_path_policy_free(kg_path_policy *p);

/* Check that path names a readable regular file the policy allows.
 * On success *resolved (caller frees) holds the real path and *size its size. */
int kg_path_check_file(const kg_path_policy *p, const char *path, char **resolved, uint64_t *size,
                       kg_err *err);
/* Check that path is a directory inside the allowed roots. */
int kg_path_check_dir(const kg_path_policy *p, const char *path, char **resolved, kg_err *err);

/* Read a whole file the policy allows. *data is NUL-terminated; caller frees. */
int kg_file_read_all(const kg_path_policy *p, const char *path, char **data, size_t *len,
                     kg_err *err);

/* True when the resolved path lies at or below root (both absolute, clean). */
int kg_path_is_below(const char *resolved, const char *root);

#endif
