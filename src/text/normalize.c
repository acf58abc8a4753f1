/* normalize: raw bytes in, the stored document text out.
 *
 * Everything downstream (offsets, hashes, tokens, FTS) reads the output of
 * this file, so it must be deterministic and must not depend on how the
 * input was cut into pieces: loaders stream 1 MiB blocks through one
 * kg_normalizer, and the bytes have to equal a one-shot kg_normalize().
 * That is why every decision that needs to see the future is held as state
 * (a partial UTF-8 sequence, pending newlines and spaces, a hyphen at a line
 * end, a character a combining mark might still attach to) instead of being
 * made at a block edge.
 *
 * One pass does UTF-8 repair, BOM/CR/control handling, whitespace and
 * dehyphenation into `pre`; NFC is then applied to whatever part of `pre`
 * can no longer change.  NFC only touches runs of non-ASCII bytes (plus the
 * ASCII letter before them, which a combining mark may compose with), so
 * ASCII text is copied, not remapped. */
#include "text/normalize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct kg_normalizer {
    int flags;
    kg_norm_stats st;
    unsigned char carry[4]; /* an incomplete UTF-8 sequence from the last feed */
    int ncarry;
    int started;      /* first character seen (BOM check done) */
    int prev_cr;      /* last character was CR: swallow a following LF */
    int pend_nl;      /* newlines seen since the last visible character */
    int pend_space;   /* a space seen since the last visible character */
    int any_out;      /* a visible character was emitted */
    int word_letters; /* letters in the current word */
    int word_hyphen;  /* the current word already has an inner hyphen */
    int hy_last;      /* the last visible character was a hyphen after a letter */
    int hy_pending;   /* ...and a line break followed it: join or not? */
    kg_buf pre;       /* output before NFC */
};

kg_normalizer *kg_normalizer_new(int flags)
{
    kg_normalizer *n = kg_xcalloc(1, sizeof *n);
    n->flags = flags;
    return n;
}

void kg_normalizer_free(kg_normalizer *n)
{
    if (!n)
        return;
    kg_buf_free(&n->pre);
    free(n);
}

const kg_norm_stats *kg_normalizer_stats(const kg_normalizer *n)
{
    return &n->st;
}

/* Decode one character: its length, 0 when s[0..len) is a valid but
 * incomplete prefix, -1 when s[0] is a bad byte. */
static int utf8_dec(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char b = s[0];
    int need;
    uint32_t c;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b < 0xC2)
        return -1;
    if (b < 0xE0) {
        need = 2;
        c = b & 0x1F;
    } else if (b < 0xF0) {
        need = 3;
        c = b & 0x0F;
    } else if (b < 0xF5) {
        need = 4;
        c = b & 0x07;
    } else {
        return -1;
    }
    for (int k = 1; k < need; k++) {
        if ((size_t)k >= len)
            return 0;
        unsigned char x = s[k];
        if ((x & 0xC0) != 0x80)
            return -1;
        if (k == 1 && ((b == 0xE0 && x < 0xA0) || (b == 0xED && x >= 0xA0) ||
                       (b == 0xF0 && x < 0x90) || (b == 0xF4 && x >= 0x90)))
            return -1; /* overlong, surrogate, or past U+10FFFF */
        c = (c << 6) | (x & 0x3F);
    }
    *cp = c;
    return need;
}

static int is_letter(uint32_t cp, int *lower)
{
    if (cp < 0x80) {
        *lower = cp >= 'a' && cp <= 'z';
        return *lower || (cp >= 'A' && cp <= 'Z');
    }
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)cp);
    *lower = k == UTF8PROC_CATEGORY_LL;
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static inline void put1(kg_buf *b, char c)
{
    if (b->len + 2 > b->cap)
        kg_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

/* Pending whitespace before a visible character. */
static void flush_ws(kg_normalizer *n)
{
    if (n->pend_nl) {
        if (n->any_out) {
            if (n->pend_nl == 1 && (n->flags & KG_NORM_UNWRAP))
                put1(&n->pre, ' ');
            else {
                put1(&n->pre, '\n');
                if (n->pend_nl > 1)
                    put1(&n->pre, '\n');
            }
        }
        n->pend_nl = 0;
        n->pend_space = 0;
    } else if (n->pend_space) {
        if (n->any_out)
            put1(&n->pre, ' ');
        n->pend_space = 0;
    }
}

static void visible(kg_normalizer *n, uint32_t cp, const unsigned char *raw, size_t rawlen)
{
    int lower, letter = is_letter(cp, &lower);
    if (n->hy_pending) {
        n->hy_pending = 0;
        if (lower && n->pend_nl == 1) {
            /* "knowl-\nedge": the hyphen was the typesetter's, unless the word
             * was hyphenated already ("state-of-\nthe-art"). */
            if (!n->word_hyphen)
                n->pre.len--;
            n->pre.data[n->pre.len] = '\0';
            n->st.hyphen_joins++;
            n->pend_nl = 0;
            n->pend_space = 0;
            n->word_hyphen = 1;
        } else {
            n->word_letters = 0;
            n->word_hyphen = 0;
        }
    }
    flush_ws(n);
    n->any_out = 1;
    if (rawlen == 1) {
        put1(&n->pre, (char)raw[0]);
    } else if (raw) {
        kg_buf_append(&n->pre, raw, rawlen);
    } else {
        kg_buf_append(&n->pre, "\xEF\xBF\xBD", 3);
    }
    if (letter) {
        if (n->hy_last)
            n->word_hyphen = 1;
        n->word_letters++;
        n->hy_last = 0;
    } else if (cp == '-' && n->word_letters > 0 && !n->hy_last) {
        n->hy_last = (n->flags & KG_NORM_DEHYPHENATE) != 0;
    } else {
        n->word_letters = 0;
        n->word_hyphen = 0;
        n->hy_last = 0;
    }
}

/* The end of a word: "run-time and then" must not make the next word's
 * line-end hyphen look like part of a hyphenated word. */
static void word_end(kg_normalizer *n)
{
    n->word_letters = 0;
    n->word_hyphen = 0;
}

static void newline(kg_normalizer *n)
{
    n->pend_nl++;
    n->pend_space = 0;
    if (n->hy_last && n->pend_nl == 1)
        n->hy_pending = 1;
    else if (!n->hy_pending)
        word_end(n);
    n->hy_last = 0;
}

static void on_char(kg_normalizer *n, uint32_t cp, const unsigned char *raw, size_t rawlen)
{
    n->st.chars++;
    if (!n->started) {
        n->started = 1;
        if (cp == 0xFEFF)
            return;
    }
    if (cp == '\n') {
        if (!n->prev_cr)
            newline(n);
        n->prev_cr = 0;
        return;
    }
    n->prev_cr = 0;
    switch (cp) {
    case '\r':
        n->prev_cr = 1;
        newline(n);
        return;
    case '\f':
    case 0x2028:
    case 0x2029: newline(n); return;
    case ' ':
    case '\t':
    case '\v':
        n->pend_space = 1;
        n->hy_last = 0;
        word_end(n);
        return;
    case 0xFEFF: return; /* a stray BOM inside the text carries nothing */
    default: break;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
        n->st.control_chars++;
        return;
    }
    visible(n, cp, raw, rawlen);
}

/* Consume s[0..len); stop before an incomplete sequence at the end unless final. */
static size_t process(kg_normalizer *n, const unsigned char *s, size_t len, int final)
{
    size_t i = 0;
    uint32_t cp;
    while (i < len) {
        if (s[i] < 0x80) {
            on_char(n, s[i], s + i, 1);
            i++;
            continue;
        }
        int k = utf8_dec(s + i, len - i, &cp);
        if (k > 0) {
            on_char(n, cp, s + i, (size_t)k);
            i += (size_t)k;
        } else if (k == 0 && !final) {
            break;
        } else {
            n->st.invalid_bytes++;
            on_char(n, 0xFFFD, NULL, 0);
            i++;
        }
    }
    return i;
}

static void nfc_append(kg_buf *out, const char *p, size_t len)
{
    if (!len)
        return;
    kg_buf_reserve(out, len);
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, done = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t a = i;
        while (i < len && s[i] >= 0x80)
            i++;
        size_t from = a > done ? a - 1 : a; /* the base a mark may compose with */
        kg_buf_append(out, p + done, from - done);
        utf8proc_uint8_t *dst = NULL;
        utf8proc_ssize_t r = utf8proc_map(s + from, (utf8proc_ssize_t)(i - from), &dst,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (r >= 0)
            kg_buf_append(out, dst, (size_t)r);
        else
            kg_buf_append(out, p + from, i - from);
        free(dst);
        done = i;
    }
    kg_buf_append(out, p + done, len - done);
}

/* Move the part of pre that can no longer change through NFC into out.  The
 * last ASCII character may still gain a combining mark, so it stays (and so
 * does a held line-end hyphen, which is always the last byte). */
static void settle(kg_normalizer *n, kg_buf *out, int all)
{
    kg_buf *p = &n->pre;
    size_t cut = p->len;
    if (!all) {
        size_t k = p->len;
        while (k > 0 && (unsigned char)p->data[k - 1] >= 0x80)
            k--;
        if (k > 0) {
            cut = k - 1;
        } else if (p->len > 65536) {
            /* No ASCII at all for a long stretch: cut before the last
             * character rather than hold the whole run. */
            cut = p->len;
            while (cut > 0 && ((unsigned char)p->data[cut - 1] & 0xC0) == 0x80)
                cut--;
            if (cut > 0)
                cut--;
        } else {
            cut = 0;
        }
    }
    if (!cut)
        return;
    nfc_append(out, p->data, cut);
    memmove(p->data, p->data + cut, p->len - cut);
    p->len -= cut;
    p->data[p->len] = '\0';
}

void kg_normalizer_feed(kg_normalizer *n, const char *in, size_t len, kg_buf *out)
{
    const unsigned char *s = (const unsigned char *)in;
    if (n->ncarry) {
        unsigned char tmp[8];
        size_t take = len < 3 ? len : 3, t = (size_t)n->ncarry;
        memcpy(tmp, n->carry, t);
        memcpy(tmp + t, s, take);
        size_t k = process(n, tmp, t + take, 0);
        if (k < t) {
            /* Still incomplete: everything we have becomes the new carry. */
            n->ncarry = (int)(t + take - k);
            memmove(n->carry, tmp + k, (size_t)n->ncarry);
            settle(n, out, 0);
            return;
        }
        n->ncarry = 0;
        s += k - t;
        len -= k - t;
    }
    size_t k = process(n, s, len, 0);
    n->ncarry = (int)(len - k);
    memcpy(n->carry, s + k, len - k);
    settle(n, out, 0);
}

void kg_normalizer_mark(kg_normalizer *n, kg_buf *out)
{
    if (n->ncarry) {
        process(n, n->carry, (size_t)n->ncarry, 1);
        n->ncarry = 0;
    }
    n->hy_pending = 0;
    n->hy_last = 0;
    n->word_letters = 0;
    n->word_hyphen = 0;
    n->pend_space = 0;
    flush_ws(n);
    settle(n, out, 1);
}

void kg_normalizer_finish(kg_normalizer *n, kg_buf *out)
{
    if (n->ncarry) {
        process(n, n->carry, (size_t)n->ncarry, 1);
        n->ncarry = 0;
    }
    n->pend_nl = 0;
    n->pend_space = 0;
    n->hy_pending = 0;
    settle(n, out, 1);
}

char *kg_normalize(const char *in, size_t len, int flags, size_t *out_len, kg_norm_stats *stats)
{
    kg_normalizer *n = kg_normalizer_new(flags);
    kg_buf out = KG_BUF_INIT;
    kg_buf_reserve(&out, len);
    kg_normalizer_feed(n, in, len, &out);
    kg_normalizer_finish(n, &out);
    if (stats)
        *stats = n->st;
    kg_normalizer_free(n);
    if (out_len)
        *out_len = out.len;
    if (!out.len) {
        kg_buf_free(&out);
        return kg_xstrdup("");
    }
    return kg_buf_steal(&out);
}

void kg_utf8_put(kg_buf *b, uint32_t cp)
{
    char u[4];
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        kg_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        kg_buf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        kg_buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        kg_buf_append(b, u, 4);
    }
}
