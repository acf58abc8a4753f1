/* load: the table of loaders (text/load_list.h) and the entry point that
 * picks one, by kind or by file extension.  The loaders themselves are in
 * text/load_FORMAT.c. */
#include "text/load.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/load_internal.h"

static const struct loader {
    const char *kind;
    const char *extensions; /* space-separated */
    kg_loader_fn *load;
} LOADERS[] = {
#define KG_LOADER(id, kind, extensions, load) [KG_KIND_##id] = {kind, extensions, load},
#include "text/load_list.h"
#undef KG_LOADER
};
#define NLOADERS (sizeof LOADERS / sizeof LOADERS[0])

const char *kg_doc_kind_name(kg_doc_kind k)
{
    return k >= 0 && (size_t)k < NLOADERS ? LOADERS[k].kind : "unknown";
}

/* True when ext is one of the space-separated words of list. */
static int has_extension(const char *list, const char *ext)
{
    size_t n = strlen(ext);
    for (const char *p = list; *p;) {
        size_t w = strcspn(p, " ");
        if (w == n && strncasecmp(p, ext, n) == 0)
            return 1;
        p += w;
        p += strspn(p, " ");
    }
    return 0;
}

kg_doc_kind kg_doc_kind_for_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot)
        return KG_KIND_UNKNOWN;
    for (size_t i = 0; i < NLOADERS; i++)
        if (has_extension(LOADERS[i].extensions, dot + 1))
            return (kg_doc_kind)i;
    return KG_KIND_UNKNOWN;
}

void kg_doc_kinds_list(kg_buf *out, const char *conj)
{
    for (size_t i = 0; i < NLOADERS; i++) {
        kg_buf_list_sep(out, i, NLOADERS, conj);
        kg_buf_printf(out, ".%.*s", (int)strcspn(LOADERS[i].extensions, " "),
                      LOADERS[i].extensions);
    }
}

void kg_load_info_free(kg_load_info *info)
{
    if (!info)
        return;
    free(info->title);
    free(info->meta_title);
    free(info->meta_author);
    free(info->warning);
    memset(info, 0, sizeof *info);
}

char *kg_load_file_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/')
        b--;
    return kg_xstrndup(path + b, n - b);
}

int kg_load_push(const kg_load_sink *sink, int page, const char *s, size_t len, const char *path,
                 kg_err *err)
{
    if (!len || !sink || !sink->text)
        return 0;
    if (sink->text(sink->ud, page, s, len))
        return kg_err_set(err, KG_ECANCELED, "%s: loading cancelled", path);
    return 0;
}

int kg_load_file(const kg_path_policy *policy, const char *path, kg_doc_kind kind,
                 const kg_load_sink *sink, kg_load_info *info, kg_err *err)
{
    static const kg_path_policy open_policy = {NULL, 0, 0};
    memset(info, 0, sizeof *info);
    if (!policy)
        policy = &open_policy;
    if (!path || !*path)
        return kg_err_set(err, KG_EINVAL, "no file name given");
    if (kind == KG_KIND_UNKNOWN)
        kind = kg_doc_kind_for_path(path);
    if (kind < 0 || (size_t)kind >= NLOADERS) {
        kg_buf known = KG_BUF_INIT;
        kg_doc_kinds_list(&known, "or");
        kg_err_set(err, KG_EFORMAT, "%s: unknown document type (use %s)", path, kg_buf_str(&known));
        kg_buf_free(&known);
        return KG_EFORMAT;
    }
    int rc = LOADERS[kind].load(policy, path, sink, info, err);
    if (rc)
        return rc;
    if (!info->title || !*info->title) {
        free(info->title);
        info->title = kg_load_file_name(path);
    }
    return 0;
}
