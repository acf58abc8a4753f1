/* load_text: the plain-text and Markdown loaders (kinds "txt" and "md" of
 * text/load_list.h).
 *
 * Plain text is the one format that can be arbitrarily large (a 150 MB log
 * or corpus dump), so it is never read whole: blocks of up to 1 MiB go through one
 * streaming kg_normalizer, whose output is pushed to the sink as it
 * settles.  Lines are looked at whole so a section can be announced
 * (sink->section) right where its line begins in the document text: in
 * Markdown its headings; in plain text the line where a Project Gutenberg
 * eBook ends and its licence begins (KG_LOAD_LICENCE_SECTION, text/load.h),
 * after which plain text goes on in whole blocks. */
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

/* A plain-text document whose first line is short, is followed by a blank
 * line and more text, and does not end like a sentence ("Journal of
 * Mathematical Physics", "Meeting notes 3 May") is titled by it, as
 * passage collections and many notes are written.  NULL otherwise. */
static char *txt_title_line(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    const char *nl = memchr(s + i, '\n', len - i);
    if (!nl)
        return NULL;
    size_t b = i, e = (size_t)(nl - s);
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
        e--;
    if (e == b || e - b > 120 || strchr(".,;:", s[e - 1]))
        return NULL;
    int letter = 0;
    for (size_t k = b; k < e && !letter; k++)
        letter = ((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z') || (unsigned char)s[k] >= 0x80;
    /* The next line blank, and text after it. */
    size_t k = (size_t)(nl - s) + 1, blank = 0;
    while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n'))
        blank += s[k++] == '\n';
    if (!letter || !blank || k >= len)
        return NULL;
    size_t out_len;
    char *t = kg_normalize(s + b, e - b, KG_NORM_UNWRAP, &out_len, NULL);
    if (!out_len) {
        free(t);
        return NULL;
    }
    return t;
}

/* "*** END OF THE PROJECT GUTENBERG EBOOK A CHRISTMAS CAROL ***" (or
 * "THIS PROJECT", any case, spaces or none after the stars): the line where
 * a Project Gutenberg eBook's text ends and its licence begins. */
static int pg_end_line(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i + 3 > len || memcmp(line + i, "***", 3) != 0)
        return 0;
    i += 3;
    while (i < len && line[i] == ' ')
        i++;
    static const char *const forms[] = {"end of the project gutenberg",
                                        "end of this project gutenberg", NULL};
    for (int k = 0; forms[k]; k++) {
        size_t n = strlen(forms[k]);
        if (len - i >= n && strncasecmp(line + i, forms[k], n) == 0)
            return 1;
    }
    return 0;
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
    int md;       /* Markdown: headings are sections */
    int in_fence; /* Markdown: inside a fenced code block */
    int licence;  /* plain text: past a Project Gutenberg eBook's end */
} stream_ctx;

static int flush_out(stream_ctx *x)
{
    int rc = kg_load_push(x->sink, 1, x->out.data, x->out.len, x->path, x->err);
    kg_buf_truncate(&x->out, 0);
    return rc;
}

/* The section line[0..len) starts, or NULL: a Markdown heading (heap), or
 * in plain text the licence after a Project Gutenberg eBook (static). */
static const char *line_section(stream_ctx *x, const char *line, size_t len, char **owned)
{
    *owned = NULL;
    if (!x->md) {
        if (x->licence || len < 3 || !pg_end_line(line, len))
            return NULL;
        x->licence = 1;
        return KG_LOAD_LICENCE_SECTION;
    }
    if (md_fence(line, len))
        x->in_fence = !x->in_fence;
    else if (!x->in_fence && len && (line[0] == '#' || line[0] == ' ' || line[0] == '\xEF'))
        *owned = md_heading(line, len);
    return *owned;
}

/* lines[0..len) are whole lines (each ending in '\n'). */
static int scan_lines(stream_ctx *x, const char *s, size_t len)
{
    size_t run = 0, i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : len;
        char *owned;
        const char *title = line_section(x, s + i, e - i - (nl ? 1 : 0), &owned);
        if (title) {
            kg_normalizer_feed(x->norm, s + run, i - run, &x->out);
            kg_normalizer_mark(x->norm, &x->out);
            int rc = flush_out(x);
            if (!rc && x->sink && x->sink->section && x->sink->section(x->sink->ud, title))
                rc = kg_err_set(x->err, KG_ECANCELED, "%s: loading cancelled", x->path);
            if (owned && !x->info->title)
                x->info->title = owned;
            else
                free(owned);
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

/* Plain text (md = 0) or Markdown (md = 1), streamed from the checked path. */
static int load_stream(const kg_path_policy *policy, const char *path, int md,
                       const kg_load_sink *sink, kg_load_info *info, kg_err *err)
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
    stream_ctx x = {path, sink, info, err, kg_normalizer_new(0), KG_BUF_INIT, md, 0, 0};
    /* Blocks of at most 1 MiB, no larger than the file (and 4 KiB at
     * least, should it grow while it is read): a folder of small notes
     * does not allocate 2 MiB per note.  The carry (an
     * unfinished line) sits at the front of buf. */
    size_t blk = st.st_size < (off_t)BLOCK ? (size_t)st.st_size + 1 : BLOCK;
    if (blk < 4096)
        blk = 4096;
    char *buf = kg_xmalloc(2 * blk + 1);
    size_t carry = 0;
    uint64_t total = 0;
    for (;;) {
        size_t got;
        if (read_full(fd, buf + carry, blk, &got) != 0) {
            rc = kg_err_set(err, KG_EIO, "%s: read failed: %s", path, strerror(errno));
            break;
        }
        total += got;
        if (policy && policy->max_bytes && total > policy->max_bytes) {
            rc = kg_err_set(err, KG_ETOOBIG, "%s: refused: grew past the per-file limit", path);
            break;
        }
        size_t have = carry + got;
        int eof = got < blk;
        if (!md && total == got && !info->title)
            info->title = txt_title_line(buf, have);
        if (!md && x.licence) {
            kg_normalizer_feed(x.norm, buf, have, &x.out);
            carry = 0;
        } else {
            size_t upto = have;
            if (!eof) {
                while (upto > 0 && buf[upto - 1] != '\n')
                    upto--;
                if (upto == 0 || have - upto > blk / 2)
                    upto = have; /* an enormous line: no heading, feed it */
            }
            rc = scan_lines(&x, buf, upto);
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

int kg_load_txt(const kg_path_policy *policy, const char *path, const kg_load_sink *sink,
                kg_load_info *info, kg_err *err)
{
    return load_stream(policy, path, 0, sink, info, err);
}

int kg_load_md(const kg_path_policy *policy, const char *path, const kg_load_sink *sink,
               kg_load_info *info, kg_err *err)
{
    return load_stream(policy, path, 1, sink, info, err);
}
