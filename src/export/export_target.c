/* export_target: the on-disk sink of export.h: files below a directory the
 * path policy allows.  The target owns its path strings. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export.h"

struct kg_export_target {
    char *dir;  /* resolved directory */
    char *file; /* single-file formats: the file name in dir; NULL = as named */
    int fd;
    char *paths[4];
    size_t npaths;
};

int kg_export_target_open(const kg_path_policy *policy, const char *path, kg_export_format f,
                          kg_export_target **out, kg_err *err)
{
    *out = NULL;
    if (!path || !*path)
        return kg_err_set(err, KG_EINVAL, "export: empty output path");
    struct stat st;
    int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    char *dir = NULL, *file = NULL;
    if (kg_export_format_multi(f) && !is_dir) {
        /* The directory may be new; only its parent has to exist (and be
         * allowed), so a typo cannot create a tree of folders. */
        char *copy = kg_xstrdup(path);
        int prc = kg_path_check_dir(policy, dirname(copy), NULL, err);
        free(copy);
        if (prc)
            return kg_err_prefix(err, "export: output directory %s", path);
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return kg_err_set(err, KG_EIO, "export: cannot create %s: %s", path, strerror(errno));
        is_dir = 1;
    }
    if (is_dir) {
        if (kg_path_check_dir(policy, path, &dir, err))
            return kg_err_prefix(err, "export");
        if (!kg_export_format_multi(f))
            file = kg_xstrdup(kg_export_default_file(f));
    } else {
        char *c1 = kg_xstrdup(path), *c2 = kg_xstrdup(path);
        int rc = kg_path_check_dir(policy, dirname(c1), &dir, err);
        if (!rc)
            file = kg_xstrdup(basename(c2));
        free(c1);
        free(c2);
        if (rc)
            return kg_err_prefix(err, "export: output file %s", path);
    }
    kg_export_target *t = kg_xcalloc(1, sizeof *t);
    t->dir = dir;
    t->file = file;
    t->fd = -1;
    *out = t;
    return KG_OK;
}

static int t_open(void *ud, const char *name, kg_err *err)
{
    kg_export_target *t = ud;
    if (t->file && t->npaths)
        return kg_err_set(err, KG_EINVAL, "export: a single-file target got a second file");
    if (t->npaths == sizeof t->paths / sizeof t->paths[0])
        return kg_err_set(err, KG_EINVAL, "export: too many files");
    size_t n = strlen(t->dir) + strlen(t->file ? t->file : name) + 2;
    char *full = kg_xmalloc(n);
    snprintf(full, n, "%s/%s", t->dir, t->file ? t->file : name);
    /* O_NOFOLLOW: a symlink planted at the name cannot redirect the write
     * outside the allowed directory. */
    t->fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (t->fd < 0) {
        int e = errno;
        kg_err_set(err, e == ELOOP ? KG_EDENIED : KG_EIO, "export: cannot write %s: %s", full,
                   e == ELOOP ? "refused: it is a symbolic link" : strerror(e));
        free(full);
        return err->code;
    }
    t->paths[t->npaths++] = full;
    return KG_OK;
}

static int t_write(void *ud, const void *data, size_t len, kg_err *err)
{
    kg_export_target *t = ud;
    const char *p = data;
    while (len) {
        ssize_t w = write(t->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return kg_err_set(err, KG_EIO, "export: cannot write %s: %s", t->paths[t->npaths - 1],
                              strerror(errno));
        p += w;
        len -= (size_t)w;
    }
    return KG_OK;
}

static int t_close(void *ud, kg_err *err)
{
    kg_export_target *t = ud;
    if (t->fd < 0)
        return KG_OK;
    int rc = close(t->fd);
    t->fd = -1;
    if (rc != 0)
        return kg_err_set(err, KG_EIO, "export: cannot finish %s: %s", t->paths[t->npaths - 1],
                          strerror(errno));
    return KG_OK;
}

void kg_export_target_sink(kg_export_target *t, kg_export_sink *sink)
{
    *sink = (kg_export_sink){t_open, t_write, t_close, t};
}

size_t kg_export_target_count(const kg_export_target *t)
{
    return t->npaths;
}

const char *kg_export_target_path(const kg_export_target *t, size_t i)
{
    return t->paths[i];
}

void kg_export_target_free(kg_export_target *t)
{
    if (!t)
        return;
    if (t->fd >= 0)
        close(t->fd);
    for (size_t i = 0; i < t->npaths; i++)
        free(t->paths[i]);
    free(t->dir);
    free(t->file);
    free(t);
}
