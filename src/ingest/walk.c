/* walk: see walk.h. */
#include "ingest/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/vec.h"
#include "text/load.h"

typedef struct vec {
    char **v;
    size_t n, cap;
} vec;

static void vec_push(vec *x, char *s)
{
    kg_vec_push(x, s);
}

int kg_glob_list_match(const char *globs, const char *name, const char *relpath)
{
    if (!globs || !*globs)
        return 0;
    char *copy = kg_xstrdup(globs);
    int hit = 0;
    char *save = NULL;
    for (char *g = strtok_r(copy, ",", &save); g && !hit; g = strtok_r(NULL, ",", &save)) {
        while (*g == ' ')
            g++;
        if (!*g)
            continue;
        if (fnmatch(g, name, 0) == 0 || (relpath && fnmatch(g, relpath, FNM_PATHNAME) == 0))
            hit = 1;
    }
    free(copy);
    return hit;
}

static void fail(vec *failed, const char *path, const char *why)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_printf(&b, "%s: %s", path, why);
    vec_push(failed, kg_buf_steal(&b));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(const char *dir, const char *rel, const char *include, const char *exclude,
                     vec *files, vec *failed, int depth)
{
    if (depth > 64) {
        fail(failed, dir, "folder nesting deeper than 64 levels, not descended");
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fail(failed, dir, strerror(errno));
        return;
    }
    vec names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden files, "." and ".." */
        vec_push(&names, kg_xstrdup(e->d_name));
    }
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        const char *name = names.v[i];
        kg_buf full = KG_BUF_INIT, r = KG_BUF_INIT;
        kg_buf_printf(&full, "%s/%s", dir, name);
        if (*rel)
            kg_buf_printf(&r, "%s/%s", rel, name);
        else
            kg_buf_puts(&r, name);
        struct stat st;
        if (lstat(full.data, &st) != 0) {
            fail(failed, full.data, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            if (!kg_glob_list_match(exclude, name, r.data))
                walk_dir(full.data, r.data, include, exclude, files, failed, depth + 1);
        } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
            /* Symlinked files are followed (the path policy checks where they
             * lead); symlinked folders are not, so there are no loops. */
            struct stat tgt;
            int is_file = S_ISREG(st.st_mode) ||
                          (stat(full.data, &tgt) == 0 && S_ISREG(tgt.st_mode));
            int wanted = is_file && kg_doc_kind_for_path(name) != KG_KIND_UNKNOWN;
            if (include && *include)
                wanted = is_file && kg_glob_list_match(include, name, r.data);
            if (wanted && !kg_glob_list_match(exclude, name, r.data)) {
                vec_push(files, kg_buf_steal(&full));
            }
        }
        kg_buf_free(&full);
        kg_buf_free(&r);
    }
    for (size_t i = 0; i < names.n; i++)
        free(names.v[i]);
    free(names.v);
}

int kg_walk_paths(const char *const *paths, size_t npaths, const char *include, const char *exclude,
                  const kg_path_policy *policy, kg_walk *out, kg_err *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    vec files = {0}, failed = {0};
    for (size_t i = 0; i < npaths; i++) {
        const char *p = paths[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            fail(&failed, p, strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            kg_err e;
            if (kg_path_check_dir(policy, p, NULL, &e) != KG_OK) {
                vec_push(&failed, kg_xstrdup(e.msg));
                continue;
            }
            /* Strip trailing slashes so joined paths look natural. */
            char *dir = kg_xstrdup(p);
            size_t n = strlen(dir);
            while (n > 1 && dir[n - 1] == '/')
                dir[--n] = '\0';
            walk_dir(dir, "", include, exclude, &files, &failed, 0);
            free(dir);
        } else {
            /* A file named directly is always attempted: the loader or the
             * path policy explains any refusal. */
            vec_push(&files, kg_xstrdup(p));
        }
    }
    /* Sort and drop duplicates (a file named twice, or inside two folders given). */
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < files.n; i++) {
        if (w && strcmp(files.v[w - 1], files.v[i]) == 0) {
            free(files.v[i]);
            continue;
        }
        files.v[w++] = files.v[i];
    }
    files.n = w;
    out->files = files.v;
    out->nfiles = files.n;
    out->failed = failed.v;
    out->nfailed = failed.n;
    return KG_OK;
}

void kg_walk_free(kg_walk *w)
{
    for (size_t i = 0; i < w->nfiles; i++)
        free(w->files[i]);
    for (size_t i = 0; i < w->nfailed; i++)
        free(w->failed[i]);
    free(w->files);
    free(w->failed);
    memset(w, 0, sizeof *w);
}
