/* chunk: overlapping token windows over a streamed document.
 *
 * The chunker holds only the text from the start of the current window to
 * the end of what has been fed, so a 150 MB document costs a window, not
 * 150 MB.  Chunk boundaries must not depend on how the text was cut into
 * feeds (one byte at a time and one big block give the same chunks): a
 * window is emitted only from tokens that further text cannot change.
 * Those are the tokens ending KG_TOKEN_LOOKAHEAD bytes before a whitespace
 * "cut" (see token.h), and we wait for one token more than the window so
 * the sentence test at the window's end can see what follows.
 *
 * To stay linear when a huge block arrives at once, each attempt tokenises
 * only a slice of about the window's size past the window start, doubling
 * it if the slice held too few tokens. */
#include "text/chunk.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "text/sentence.h"
#include "text/token.h"

typedef struct page_mark {
    uint64_t off;
    int page;
} page_mark;

typedef struct section_mark {
    uint64_t off;
    char *title;
} section_mark;

struct kg_chunker {
    kg_chunk_opts o;
    kg_chunk_cb cb;
    void *ud;
    kg_buf buf; /* document text from offset base */
    uint64_t base;
    uint64_t s;        /* window start: a token start (or 0) */
    uint64_t covered;  /* end of the last chunk emitted */
    uint64_t next_try; /* do not retokenise before the text reaches this */
    int ordinal;
    int stopped; /* the callback's non-zero value, once it stopped us */
    page_mark *pages;
    size_t npages, cap_pages;
    section_mark *secs;
    size_t nsecs, cap_secs;
    kg_tokens toks;
};

kg_chunker *kg_chunker_new(const kg_chunk_opts *opts, kg_chunk_cb cb, void *ud)
{
    kg_chunker *c = kg_xcalloc(1, sizeof *c);
    c->o.chunk_size = opts && opts->chunk_size ? opts->chunk_size : 512;
    c->o.overlap = opts ? opts->overlap : 50;
    if (!opts)
        c->o.overlap = 50;
    if (c->o.chunk_size < 16)
        c->o.chunk_size = 16;
    if (c->o.chunk_size > 8192)
        c->o.chunk_size = 8192;
    if (c->o.overlap < 0)
        c->o.overlap = 0;
    if (c->o.overlap > c->o.chunk_size / 2)
        c->o.overlap = c->o.chunk_size / 2;
    c->cb = cb;
    c->ud = ud;
    return c;
}

void kg_chunker_free(kg_chunker *c)
{
    if (!c)
        return;
    kg_buf_free(&c->buf);
    free(c->pages);
    for (size_t i = 0; i < c->nsecs; i++)
        free(c->secs[i].title);
    free(c->secs);
    kg_tokens_free(&c->toks);
    free(c);
}

uint64_t kg_chunker_total_bytes(const kg_chunker *c)
{
    return c->base + c->buf.len;
}

int kg_chunker_count(const kg_chunker *c)
{
    return c->ordinal;
}

void kg_chunker_section(kg_chunker *c, const char *title)
{
    kg_vec_room(c->secs, c->nsecs, c->cap_secs);
    c->secs[c->nsecs].off = kg_chunker_total_bytes(c);
    c->secs[c->nsecs].title = kg_xstrdup(title ? title : "");
    c->nsecs++;
}

static int page_at(const kg_chunker *c, uint64_t off)
{
    int p = c->npages ? c->pages[0].page : 1;
    for (size_t i = 0; i < c->npages && c->pages[i].off <= off; i++)
        p = c->pages[i].page;
    return p;
}

static const char *section_at(const kg_chunker *c, uint64_t off)
{
    const char *t = NULL;
    for (size_t i = 0; i < c->nsecs && c->secs[i].off <= off; i++)
        t = c->secs[i].title;
    return t;
}

/* Forget text, pages and sections wholly before the window start. */
static void compact(kg_chunker *c)
{
    size_t drop = (size_t)(c->s - c->base);
    if (drop > 0 && drop >= c->buf.len / 2) {
        memmove(c->buf.data, c->buf.data + drop, c->buf.len - drop);
        kg_buf_truncate(&c->buf, c->buf.len - drop);
        c->base = c->s;
    }
    size_t k = 0;
    while (k + 1 < c->npages && c->pages[k + 1].off <= c->s)
        k++;
    if (k) {
        memmove(c->pages, c->pages + k, (c->npages - k) * sizeof *c->pages);
        c->npages -= k;
    }
    k = 0;
    while (k + 1 < c->nsecs && c->secs[k + 1].off <= c->s)
        k++;
    if (k) {
        for (size_t i = 0; i < k; i++)
            free(c->secs[i].title);
        memmove(c->secs, c->secs + k, (c->nsecs - k) * sizeof *c->secs);
        c->nsecs -= k;
    }
}

static int emit(kg_chunker *c, uint64_t start, uint64_t end, int tokens)
{
    kg_chunk_out o;
    o.ordinal = c->ordinal++;
    o.start = start;
    o.end = end;
    o.page_start = page_at(c, start);
    o.page_end = page_at(c, end > start ? end - 1 : start);
    o.tokens = tokens;
    o.text = c->buf.data + (start - c->base);
    o.len = (size_t)(end - start);
    o.section = section_at(c, start);
    c->covered = end;
    return c->cb ? c->cb(c->ud, &o) : 0;
}

static int is_cut_space(char ch)
{
    return ch == ' ' || ch == '\n' || ch == '\t';
}

/* Emit every window that is settled; `final` when no more text will come. */
static int run(kg_chunker *c, int final)
{
    const size_t need = (size_t)c->o.chunk_size + 1;
    for (;;) {
        uint64_t avail = c->base + c->buf.len;
        if (c->s >= avail || (!final && avail < c->next_try))
            return 0;
        const char *w = c->buf.data + (c->s - c->base);
        size_t wlen = (size_t)(avail - c->s);
        size_t est = need * 12 + 256, n = 0;
        int all = 0;
        for (;;) {
            size_t lim = est < wlen ? est : wlen;
            size_t cut = lim;
            if (final && lim == wlen) {
                all = 1;
            } else {
                while (cut > 0 && !is_cut_space(w[cut - 1]))
                    cut--;
                if (cut > 0)
                    cut--; /* the cut is the whitespace byte itself */
            }
            kg_tokenize(w, cut, &c->toks);
            n = c->toks.n;
            if (!all)
                while (n > 0 && (size_t)c->toks.v[n - 1].end + KG_TOKEN_LOOKAHEAD > cut)
                    n--;
            if (n >= need || all)
                break;
            if (lim == wlen) {
                c->next_try = avail + 4096;
                return 0;
            }
            est *= 2;
        }
        const kg_token *t = c->toks.v;
        if (n == 0)
            return 0;
        int rc;
        if (n < need) {
            /* The tail of the document. Skip it when the last chunk's
             * overlap already holds all of it. */
            if (c->s + t[n - 1].end <= c->covered) {
                c->s = avail;
                return 0;
            }
            rc = emit(c, c->s + t[0].start, c->s + t[n - 1].end, (int)n);
            c->s = avail;
            return rc;
        }
        size_t W = (size_t)c->o.chunk_size, k = W;
        for (size_t j = W; j >= (W + 1) / 2 && j > 0; j--) {
            if (kg_sentence_break(w, t, n, j - 1)) {
                k = j;
                break;
            }
        }
        rc = emit(c, c->s + t[0].start, c->s + t[k - 1].end, (int)k);
        size_t next = k > (size_t)c->o.overlap ? k - (size_t)c->o.overlap : 1;
        c->s += t[next].start;
        compact(c);
        if (rc)
            return rc;
    }
}

int kg_chunker_feed(kg_chunker *c, const char *text, size_t len, int page)
{
    if (c->stopped)
        return c->stopped;
    if (!len)
        return 0;
    if (!c->npages || c->pages[c->npages - 1].page != page) {
        kg_vec_room(c->pages, c->npages, c->cap_pages);
        c->pages[c->npages].off = kg_chunker_total_bytes(c);
        c->pages[c->npages].page = page;
        c->npages++;
    }
    kg_buf_append(&c->buf, text, len);
    c->stopped = run(c, 0);
    return c->stopped;
}

int kg_chunker_finish(kg_chunker *c)
{
    if (c->stopped)
        return c->stopped;
    c->stopped = run(c, 1);
    return c->stopped;
}
