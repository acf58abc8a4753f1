/* words: see words.h. */
#include "syntax/words.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "text/token.h"

void kg_words_clear(kg_words *s)
{
    s->n = 0;
    s->alen = 0;
}

void kg_words_free(kg_words *s)
{
    free(s->w);
    free(s->arena);
    kg_tokens_free(&s->tok);
    memset(s, 0, sizeof *s);
}

/* Bytes of a curly quote at p (0 if none) and its straight replacement. */
static size_t curly(const unsigned char *p, size_t left, char *repl)
{
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80) {
        if (p[2] == 0x9C || p[2] == 0x9D || p[2] == 0x9E) {
            *repl = '"';
            return 3;
        }
        if (p[2] == 0x98 || p[2] == 0x99) {
            *repl = '\'';
            return 3;
        }
    }
    return 0;
}

static uint8_t shape_of(const char *f, size_t n)
{
    uint8_t sh = 0;
    int letters = 0, uppers = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)f[i];
        if (c >= 'A' && c <= 'Z') {
            letters++;
            uppers++;
            if (i == 0)
                sh |= KG_WSHAPE_UPPER;
        } else if ((c >= 'a' && c <= 'z') || c >= 0x80) {
            letters++;
        } else if (c >= '0' && c <= '9') {
            sh |= KG_WSHAPE_DIGIT;
        } else if (c == '-') {
            sh |= KG_WSHAPE_HYPHEN;
        }
    }
    if (letters)
        sh |= KG_WSHAPE_ALPHA;
    if (letters >= 2 && uppers == letters)
        sh |= KG_WSHAPE_ALLCAPS;
    if (!letters && !(sh & KG_WSHAPE_DIGIT))
        sh |= KG_WSHAPE_PUNCT;
    return sh;
}

int kg_words_push(kg_words *s, uint32_t start, uint32_t end, const char *raw, size_t len)
{
    if (len > KG_WORD_MAX_LEN)
        len = KG_WORD_MAX_LEN;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->w = kg_xrealloc(s->w, (size_t)s->cap * sizeof *s->w);
    }
    if (s->alen + len + 1 > s->acap) {
        s->acap = (s->alen + len + 1) * 2 + 256;
        s->arena = kg_xrealloc(s->arena, s->acap);
    }
    char *f = s->arena + s->alen;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        char r;
        size_t k = curly((const unsigned char *)raw + i, len - i, &r);
        if (k) {
            f[n++] = r;
            i += k;
        } else {
            f[n++] = raw[i++];
        }
    }
    f[n] = 0;
    /* Every double quote is ", whether written `` or '' or curly. */
    if (n == 2 && ((f[0] == '`' && f[1] == '`') || (f[0] == '\'' && f[1] == '\''))) {
        f[0] = '"';
        f[1] = 0;
        n = 1;
    }
    kg_word *w = &s->w[s->n];
    memset(w, 0, sizeof *w);
    w->start = start;
    w->end = end;
    w->form = (uint32_t)s->alen;
    w->len = (uint16_t)n;
    w->shape = shape_of(f, n);
    w->head = -1;
    s->alen += n + 1;
    return s->n++;
}

static bool ieq(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
        if (c != lit[i])
            return false;
    }
    return true;
}

/* Length of a clitic ending the word p[0..n) ("n't", "'s", "'re"...), with
 * a straight or curly apostrophe; 0 when there is none. */
static size_t clitic(const char *p, size_t n)
{
    static const char *const tails[] = {"s", "re", "ve", "ll", "d", "m"};
    for (int curly_ap = 0; curly_ap < 2; curly_ap++) {
        const char *ap = curly_ap ? "\xe2\x80\x99" : "'";
        size_t al = strlen(ap);
        /* n't */
        if (n > al + 2 && (p[n - al - 2] == 'n' || p[n - al - 2] == 'N') &&
            memcmp(p + n - al - 1, ap, al) == 0 && (p[n - 1] == 't' || p[n - 1] == 'T'))
            return al + 2;
        for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
            size_t tl = strlen(tails[t]);
            if (n > al + tl && memcmp(p + n - tl - al, ap, al) == 0 &&
                ieq(p + n - tl, tl, tails[t]))
                return al + tl;
        }
    }
    return 0;
}

/* "s", "re", "ve", "ll", "d", "m": what follows the apostrophe of a clitic. */
static bool is_clitic_tail(const char *p, size_t n)
{
    return ieq(p, n, "s") || ieq(p, n, "re") || ieq(p, n, "ve") || ieq(p, n, "ll") ||
           ieq(p, n, "d") || ieq(p, n, "m");
}

/* Prefixes the treebanks keep attached to the rest of a hyphenated word. */
static bool kept_prefix(const char *p, size_t n)
{
    static const char *const pre[] = {
        "co",    "re",    "non",   "pre",  "post",    "anti",  "semi",  "pan",   "e",
        "multi", "mid",   "sub",   "ex",   "counter", "pro",   "neo",   "bi",    "un",
        "self",  "inter", "intra", "over", "under",   "cross", "ultra", "quasi", "vice"};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (ieq(p, n, pre[i]))
            return true;
    return false;
}

/* Push the letters-and-hyphens word text[a, b), split at its hyphens. */
static void push_hyphenated(kg_words *s, const char *text, uint32_t a, uint32_t b)
{
    const char *hy = memchr(text + a, '-', b - a);
    if (!hy || hy == text + a || hy + 1 >= text + b ||
        (kept_prefix(text + a, (size_t)(hy - text - a)) &&
         !memchr(hy + 1, '-', (size_t)(text + b - hy - 1)))) {
        kg_words_push(s, a, b, text + a, b - a);
        return;
    }
    uint32_t i = a;
    while (i < b) {
        uint32_t j = i;
        while (j < b && text[j] != '-')
            j++;
        if (j > i)
            kg_words_push(s, i, j, text + i, j - i);
        if (j < b)
            kg_words_push(s, j, j + 1, text + j, 1);
        i = j + 1;
    }
}

static void push_word(kg_words *s, const char *text, uint32_t a, uint32_t b)
{
    size_t n = b - a;
    size_t c = clitic(text + a, n);
    /* "cannot" is "can not" in the treebanks. */
    if (!c && ieq(text + a, n, "cannot")) {
        kg_words_push(s, a, a + 3, text + a, 3);
        kg_words_push(s, a + 3, b, text + a + 3, 3);
        return;
    }
    if (c) {
        push_hyphenated(s, text, a, (uint32_t)(b - c));
        kg_words_push(s, (uint32_t)(b - c), b, text + b - c, c);
        return;
    }
    push_hyphenated(s, text, a, b);
}

int kg_words_from_text(kg_words *s, const char *text, size_t start, size_t end, int max_words)
{
    kg_words_clear(s);
    kg_tokens t = s->tok;
    kg_tokenize(text + start, end - start, &t);
    s->tok = t;
    /* Splitting only adds words: refuse early. */
    if (t.n > (size_t)max_words)
        return -1;
    for (size_t i = 0; i < t.n && s->n <= max_words; i++) {
        uint32_t a = (uint32_t)(start + t.v[i].start), b = (uint32_t)(start + t.v[i].end);
        /* `` and '' are one word. */
        if (i + 1 < t.n && b - a == 1 && (text[a] == '`' || text[a] == '\'') &&
            t.v[i + 1].start + start == b && t.v[i + 1].end + start == b + 1 &&
            text[b] == text[a]) {
            kg_words_push(s, a, b + 1, text + a, 2);
            i++;
            continue;
        }
        /* A clitic written apart ("Pacific 's chairman", pre-tokenised
         * text): the apostrophe and its tail are one word. */
        if (b - a == 1 && text[a] == '\'' && i + 1 < t.n && t.v[i + 1].start + start == b &&
            t.v[i + 1].kind == KG_TOK_WORD) {
            uint32_t e = (uint32_t)(start + t.v[i + 1].end);
            if (is_clitic_tail(text + b, e - b)) {
                kg_words_push(s, a, e, text + a, e - a);
                i++;
                continue;
            }
        }
        if (t.v[i].kind == KG_TOK_WORD)
            push_word(s, text, a, b);
        else
            kg_words_push(s, a, b, text + a, b - a);
    }
    if (s->n > max_words) {
        kg_words_clear(s);
        return -1;
    }
    return s->n;
}
