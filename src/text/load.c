/* load: the entry point for documents, and the plain-text/Markdown loader.
 *
 * Plain text is the one format that can be arbitrarily large (a 150 MB log
 * or corpus dump), so it is never read whole: 1 MiB blocks go through one
 * streaming kg_normalizer, whose output is pushed to the sink as it
 * settles.  Markdown is the same stream with one addition: lines are looked
 * at whole so a heading can be announced (sink->section) right where its
 * line begins in the document text. */
#include "text/load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "text/load_internal.h"
#include "text/normalize.h"

#define BLOCK (1u << 20)

const char *kg_doc_kind_name(kg_doc_kind k)
{
    switch (k) {
    case KG_KIND_TXT: return "txt";
    case KG_KIND_MD: return "md";
    case KG_KIND_HTML: return "html";
    case KG_KIND_PDF: return "pdf";
    default: return "unknown";
    }
}

kg_doc_kind kg_doc_kind_for_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot)
        return KG_KIND_UNKNOWN;
    dot++;
    if (!strcasecmp(dot, "txt") || !strcasecmp(dot, "text"))
        return KG_KIND_TXT;
    if (!strcasecmp(dot, "md") || !strcasecmp(dot, "markdown"))
        return KG_KIND_MD;
    if (!strcasecmp(dot, "html") || !strcasecmp(dot, "htm"))
        return KG_KIND_HTML;
    if (!strcasecmp(dot, "pdf"))
        return KG_KIND_PDF;
    return KG_KIND_UNKNOWN;
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

/* "## Title ##" -> "Title"; NULL when the line is not an ATX heading. */
static char *md_heading(const char *line, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    size_t sp = 0;
    while (i < len && line[i] == ' ' && sp < 3) {
        i++;
        sp++;
    }
    size_t h = 0;
    while (i < len && line[i] == '#' && h < 7) {
        i++;
        h++;
    }
    if (h == 0 || h > 6 || (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r'))
        return NULL;
    size_t e = len;
    while (e > i && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r'))
        e--;
    size_t e2 = e;
    while (e2 > i && line[e2 - 1] == '#')
        e2--;
    if (e2 == i || line[e2 - 1] == ' ' || line[e2 - 1] == '\t')
        e = e2;
    size_t out_len;
    char *t = kg_normalize(line + i, e - i, KG_NORM_UNWRAP, &out_len, NULL);
    if (!out_len) {
        free(t);
        return NULL;
    }
    return t;
}

static int md_fence(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && line[i] == ' ')
        i++;
    return i + 3 <= len && (memcmp(line + i, "```", 3) == 0 || memcmp(line + i, "~~~", 3) == 0);
}

typedef struct stream_ctx {
    const char *path;
    const kg_load_sink *sink;
    kg_load_info *info;
    kg_err *err;
    kg_normalizer *norm;
    kg_buf out;
    int in_fence;
} stream_ctx;

static int flush_out(stream_ctx *x)
{
    int rc = kg_load_push(x->sink, 1, x->out.data, x->out.len, x->path, x->err);
    kg_buf_truncate(&x->out, 0);
    return rc;
}

/* Markdown: lines[0..len) are whole lines (each ending in '\n'). */
static int md_lines(stream_ctx *x, const char *s, size_t len)
{
    size_t run = 0, i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : len;
        const char *line = s + i;
        size_t ll = e - i;
        char *title = NULL;
        if (md_fence(line, ll))
            x->in_fence = !x->in_fence;
        else if (!x->in_fence && ll && (line[0] == '#' || line[0] == ' ' || line[0] == '\xEF'))
            title = md_heading(line, ll - (nl ? 1 : 0));
        if (title) {
            kg_normalizer_feed(x->norm, s + run, i - run, &x->out);
            kg_normalizer_mark(x->norm, &x->out);
            int rc = flush_out(x);
            if (!rc && x->sink && x->sink->section && x->sink->section(x->sink->ud, title))
                rc = kg_err_set(x->err, KG_ECANCELED, "%s: loading cancelled", x->path);
            if (!x->info->title)
                x->info->title = title;
            else
                free(title);
            if (rc)
                return rc;
            run = i;
        }
        i = e;
    }
    kg_normalizer_feed(x->norm, s + run, len - run, &x->out);
    return 0;
}

static int read_full(int fd, char *buf, size_t want, size_t *got)
{
    *got = 0;
    while (*got < want) {
        ssize_t r = read(fd, buf + *got, want - *got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return 0;
}

int kg_load_stream(const kg_path_policy *policy, const char *path, int md, const kg_load_sink *sink,
                   kg_load_info *info, kg_err *err)
{
    char *real = NULL;
    uint64_t size = 0;
    int rc = kg_path_check_file(policy, path, &real, &size, err);
    if (rc)
        return rc;
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    free(real);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return kg_err_set(err, KG_EIO, "%s: cannot open: %s", path,
                          fd < 0 ? strerror(e) : "not a regular file");
    }
    info->bytes = (uint64_t)st.st_size;
    info->pages = 1;
    stream_ctx x = {path, sink, info, err, kg_normalizer_new(0), KG_BUF_INIT, 0};
    /* The Markdown carry (an unfinished line) sits at the front of buf. */
    char *buf = kg_xmalloc(2 * BLOCK + 1);
    size_t carry = 0;
    uint64_t total = 0;
    for (;;) {
        size_t got;
        if (read_full(fd, buf + carry, BLOCK, &got) != 0) {
            rc = kg_err_set(err, KG_EIO, "%s: read failed: %s", path, strerror(errno));
            break;
        }
        total += got;
        if (policy && policy->max_bytes && total > policy->max_bytes) {
            rc = kg_err_set(err, KG_ETOOBIG, "%s: refused: grew past the per-file limit", path);
            break;
        }
        size_t have = carry + got;
        int eof = got < BLOCK;
        if (!md) {
            kg_normalizer_feed(x.norm, buf, have, &x.out);
            carry = 0;
        } else {
            size_t upto = have;
            if (!eof) {
                while (upto > 0 && buf[upto - 1] != '\n')
                    upto--;
                if (upto == 0 || have - upto > BLOCK / 2)
                    upto = have; /* an enormous line: no heading, feed it */
            }
            rc = md_lines(&x, buf, upto);
            carry = have - upto;
            memmove(buf, buf + upto, carry);
        }
        if (!rc && eof)
            kg_normalizer_finish(x.norm, &x.out);
        if (!rc)
            rc = flush_out(&x);
        if (rc || eof)
            break;
    }
    close(fd);
    free(buf);
    info->invalid_bytes = kg_normalizer_stats(x.norm)->invalid_bytes;
    kg_normalizer_free(x.norm);
    kg_buf_free(&x.out);
    return rc;
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
    int rc;
    switch (kind) {
    case KG_KIND_TXT: rc = kg_load_stream(policy, path, 0, sink, info, err); break;
    case KG_KIND_MD: rc = kg_load_stream(policy, path, 1, sink, info, err); break;
    case KG_KIND_HTML: rc = kg_load_html(policy, path, sink, info, err); break;
    case KG_KIND_PDF: rc = kg_load_pdf(policy, path, sink, info, err); break;
    default:
        return kg_err_set(err, KG_EFORMAT,
                          "%s: unknown document type (use .pdf, .txt, .md or .html)", path);
    }
    if (rc)
        return rc;
    if (!info->title || !*info->title) {
        free(info->title);
        info->title = kg_load_file_name(path);
    }
    return 0;
}
