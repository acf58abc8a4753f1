/* fsafe: see fsafe.h.
 *
 * Paths are resolved with realpath() before the root check, which both
 * removes ".." and follows every symlink: what is checked is where the bytes
 * really live.  The file is then opened and fstat()ed so the type and size
 * checks apply to what was actually opened. */
#include "base/fsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/vec.h"

void kg_path_policy_init(kg_path_policy *p)
{
    memset(p, 0, sizeof *p);
    p->max_bytes = KG_DEFAULT_MAX_FILE_BYTES;
}

void kg_path_policy_free(kg_path_policy *p)
{
    for (int i = 0; i < p->nroots; i++)
        free(p->roots[i]);
    free(p->roots);
    p->roots = NULL;
    p->nroots = 0;
}

int kg_path_policy_add_root(kg_path_policy *p, const char *root, kg_err *err)
{
    char *real = realpath(root, NULL);
    if (!real)
        return kg_err_set(err, KG_EINVAL, "allowed root %s: %s", root, strerror(errno));
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(real);
        return kg_err_set(err, KG_EINVAL, "allowed root %s: not a directory", root);
    }
    p->roots = kg_xrealloc(p->roots, sizeof(char *) * (size_t)(p->nroots + 1));
    p->roots[p->nroots++] = real;
    return KG_OK;
}

int kg_path_policy_add_roots(kg_path_policy *p, const char *list, kg_err *err)
{
    char *copy = kg_xstrdup(list);
    int rc = KG_OK;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ":,", &save); tok; tok = strtok_r(NULL, ":,", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        rc = kg_path_policy_add_root(p, tok, err);
        if (rc)
            break;
    }
    free(copy);
    return rc;
}

int kg_path_is_below(const char *resolved, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return resolved[0] == '/';
    return strncmp(resolved, root, n) == 0 && (resolved[n] == '\0' || resolved[n] == '/');
}

static int check_roots(const kg_path_policy *p, const char *path, const char *real, kg_err *err)
{
    if (!p || p->nroots == 0)
        return KG_OK;
    for (int i = 0; i < p->nroots; i++)
        if (kg_path_is_below(real, p->roots[i]))
            return KG_OK;
    if (strcmp(path, real) != 0)
        return kg_err_set(err, KG_EDENIED,
                          "%s: refused: it resolves to %s, outside the allowed roots "
                          "(set allowed_roots to permit it)",
                          path, real);
    return kg_err_set(err, KG_EDENIED,
                      "%s: refused: outside the allowed roots (set allowed_roots to permit it)",
                      path);
}

int kg_path_check_dir(const kg_path_policy *p, const char *path, char **resolved, kg_err *err)
{
    char *real = realpath(path, NULL);
    if (!real)
        return kg_err_set(err, errno == ENOENT ? KG_ENOTFOUND : KG_EIO, "%s: %s", path,
                          strerror(errno));
    int rc = check_roots(p, path, real, err);
    if (rc) {
        free(real);
        return rc;
    }
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(real);
        return kg_err_set(err, KG_EINVAL, "%s: not a directory", path);
    }
    if (resolved)
        *resolved = real;
    else
        free(real);
    return KG_OK;
}

static int check_stat(const kg_path_policy *p, const char *path, const struct stat *st, kg_err *err)
{
    if (S_ISDIR(st->st_mode))
        return kg_err_set(err, KG_EDENIED, "%s: refused: is a directory, not a regular file", path);
    if (!S_ISREG(st->st_mode))
        return kg_err_set(err, KG_EDENIED,
                          "%s: refused: not a regular file (device, pipe or socket)", path);
    if (p && p->max_bytes && (uint64_t)st->st_size > p->max_bytes)
        return kg_err_set(err, KG_ETOOBIG,
                          "%s: refused: %lld bytes is over the per-file limit of %llu bytes "
                          "(setting max_file_bytes)",
                          path, (long long)st->st_size, (unsigned long long)p->max_bytes);
    return KG_OK;
}

int kg_path_check_file(const kg_path_policy *p, const char *path, char **resolved, uint64_t *size,
                       kg_err *err)
{
    char *real = realpath(path, NULL);
    if (!real)
        return kg_err_set(err, errno == ENOENT ? KG_ENOTFOUND : KG_EIO, "%s: %s", path,
                          strerror(errno));
    int rc = check_roots(p, path, real, err);
    struct stat st;
    if (!rc && stat(real, &st) != 0)
        rc = kg_err_set(err, KG_EIO, "%s: %s", path, strerror(errno));
    if (!rc)
        rc = check_stat(p, path, &st, err);
    if (rc) {
        free(real);
        return rc;
    }
    if (size)
        *size = (uint64_t)st.st_size;
    if (resolved)
        *resolved = real;
    else
        free(real);
    return KG_OK;
}

int kg_file_read_all(const kg_path_policy *p, const char *path, char **data, size_t *len,
                     kg_err *err)
{
    char *real = NULL;
    int rc = kg_path_check_file(p, path, &real, NULL, err);
    if (rc)
        return rc;
    if (!real)
        return kg_err_set(err, KG_EIO, "%s: cannot resolve the path", path);
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    free(real);
    if (fd < 0)
        return kg_err_set(err, KG_EIO, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || (rc = check_stat(p, path, &st, err)) != 0) {
        if (!rc)
            rc = kg_err_set(err, KG_EIO, "%s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    size_t cap = (size_t)st.st_size + 1;
    char *buf = kg_xmalloc(cap);
    size_t got = 0;
    for (;;) {
        if (got + 1 >= cap) {
            if (p && p->max_bytes && got >= p->max_bytes) {
                free(buf);
                close(fd);
                return kg_err_set(err, KG_ETOOBIG, "%s: refused: grew past the per-file limit",
                                  path);
            }
            buf = kg_vec_grow(buf, &cap, cap + 1, 1);
        }
        ssize_t n = read(fd, buf + got, cap - got - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return kg_err_set(err, KG_EIO, "%s: read failed: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return KG_OK;
}
