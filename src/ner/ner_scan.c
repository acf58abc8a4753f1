/* ner_scan: the NER's own single-pass byte scanner.
 *
 * Splits UTF-8 text into word and punctuation tokens, computes each word's
 * shape bits and lowercase FNV hash in the same pass, and looks the word up
 * in the gazetteer once.  It is deliberately independent of text/token.h:
 * gazetteer keys are produced by scripts/gen_gazetteer.py with the same
 * rules (word runs may hold an inner - . & ' or a comma between digits), so
 * the two must change together.  Non-ASCII bytes count as letters except
 * the few punctuation and currency signs handled below. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "ner/ner_internal.h"

static inline int is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Length of a non-ASCII punctuation/symbol sequence at p (0 if it is a
 * letter): Latin-1 symbols (C2 xx), the multiplication and division signs,
 * everything in U+2000..U+2FFF (punctuation, super- and subscripts,
 * currency, letterlike symbols, arrows, mathematical operators, shapes:
 * E2 xx xx) and the mathematical alphanumeric symbols (F0 9D 90..9F xx). */
static inline size_t utf8_punct_len(const unsigned char *p, size_t left)
{
    if (p[0] == 0xC2 && left >= 2)
        return 2;
    if (p[0] == 0xC3 && left >= 2 && (p[1] == 0x97 || p[1] == 0xB7))
        return 2;
    if (p[0] == 0xE2 && left >= 3)
        return 3;
    if (p[0] == 0xF0 && left >= 4 && p[1] == 0x9D && p[2] >= 0x90 && p[2] <= 0x9F)
        return 4;
    return 0;
}

/* A symbol rather than punctuation: what no name is made of (the multiply
 * sign, +-, superscripts, daggers, bullets, primes, and the blocks from
 * letterlike symbols on). */
static inline int utf8_is_sym(const unsigned char *p, size_t pl)
{
    if (pl == 4)
        return 1;
    if (pl == 2)
        return p[0] == 0xC3 || p[1] == 0xB1 || p[1] == 0xB2 || p[1] == 0xB3 || p[1] == 0xB9 ||
               p[1] == 0xB7 || p[1] == 0xB0 || p[1] == 0xAC;
    if (pl == 3 && p[1] == 0x80)
        return (p[2] >= 0xA0 && p[2] <= 0xA2) || p[2] == 0xB2 || p[2] == 0xB3;
    return pl == 3 && p[1] >= 0x81 && !(p[1] == 0x82 && p[2] >= 0xA0); /* not currency */
}

/* Apostrophe at p? (ASCII ' or U+2019) -> its length, else 0. */
static inline size_t apos_len(const unsigned char *p, size_t left)
{
    if (p[0] == '\'')
        return 1;
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99)
        return 3;
    return 0;
}

static inline int word_at(const unsigned char *p, size_t left)
{
    return left > 0 && is_word_byte(p[0]) && utf8_punct_len(p, left) == 0;
}

/* Uppercase letter at p (ASCII, Latin-1 Supplement, Latin Extended-A, Greek,
 * Cyrillic: good enough for a capitalisation cue). */
static inline int is_upper_at(const unsigned char *p, size_t left)
{
    if (p[0] < 0x80)
        return p[0] >= 'A' && p[0] <= 'Z';
    if (left < 2)
        return 0;
    if (p[0] == 0xC3)
        return p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97;
    if (p[0] == 0xC4 || p[0] == 0xC5)
        return (p[1] & 1) == 0;
    if (p[0] == 0xD0)
        return p[1] >= 0x80 && p[1] <= 0xAF;
    if (p[0] == 0xCE)
        return p[1] >= 0x91 && p[1] <= 0xA9;
    return 0;
}

static inline int is_lower_at(const unsigned char *p)
{
    return (p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 0x80 && !is_upper_at(p, 2));
}

static void push(ner_ctx *c, uint32_t s, uint32_t e, uint32_t shape, uint64_t h, uint64_t gz)
{
    if (c->ntok == c->tokcap) {
        size_t ncap = c->tokcap ? c->tokcap * 2 : 64;
        ner_tok *nv = kg_xmalloc(ncap * sizeof *nv);
        if (c->ntok)
            memcpy(nv, c->tok, c->ntok * sizeof *nv); /* NOLINT: tok is the inline array or heap */
        if (c->tok != c->tok_inline)
            free(c->tok);
        c->tok = nv;
        c->tokcap = ncap;
    }
    ner_tok *t =
        &c->tok[c->ntok++]; /* NOLINT(clang-analyzer-core.NullDereference): see ner.c init */
    t->s = s;               /* NOLINT(clang-analyzer-core.NullDereference) */
    t->e = e;
    t->shape = shape;
    t->gz_pending = 0;
    t->h = h;
    t->gz = gz;
}

/* A word token.  Its gazetteer flags are looked up at the end of ner_scan
 * (or when the scan itself needs them, tok_gz), not here: the table is
 * large, a look-up is a cache miss, and a scan that waited for each one in
 * turn spent most of its time waiting.  Here the fetch is only started
 * (gz_pending marks the flags as not yet looked up). */
static void push_word(ner_ctx *c, uint32_t s, uint32_t e, uint32_t shape, uint64_t h)
{
    const kg_gazetteer *g = c->gz;
    size_t home = (size_t)h & g->mask;
    __builtin_prefetch(&g->keys[home]);
    __builtin_prefetch(&g->vals[home]);
    push(c, s, e, shape, h, 0);
    c->tok[c->ntok - 1].gz_pending = 1;
}

static uint64_t tok_gz(const ner_ctx *c, ner_tok *t)
{
    if (t->gz_pending) {
        t->gz = kg_gz_lookup(c->gz, t->h);
        t->gz_pending = 0;
    }
    return t->gz;
}

/* A URL starting at p ("http://", "https://", "ftp://", "www."): its length
 * up to white space or a bracket or quote, without trailing punctuation;
 * 0 when there is none. */
static size_t url_len(const unsigned char *p, size_t left)
{
    static const char *const heads[] = {"http://", "https://", "ftp://", "www."};
    size_t h = 0;
    for (size_t k = 0; k < 4 && !h; k++) {
        size_t m = strlen(heads[k]);
        if (left > m && strncasecmp((const char *)p, heads[k], m) == 0)
            h = m;
    }
    if (!h)
        return 0;
    size_t j = h;
    while (j < left && p[j] > ' ' && !strchr("<>\"()[]{}", p[j]))
        j++;
    while (j > h && strchr(".,;:!?'", p[j - 1]))
        j--;
    return j > h ? j : 0;
}

/* An e-mail address whose local part is the word [i, j) just scanned:
 * its end, or j when p[j] does not start "@domain.tld". */
static size_t email_end(const unsigned char *p, size_t n, size_t j)
{
    if (j + 1 >= n || p[j] != '@' || !word_at(p + j + 1, n - j - 1))
        return j;
    size_t k = j + 1, dot = 0;
    while (k < n && (is_word_byte(p[k]) || p[k] == '.' || p[k] == '-' || p[k] == '_')) {
        if (p[k] == '.' && k + 1 < n && is_word_byte(p[k + 1]))
            dot = 1;
        k++;
    }
    while (k > j + 1 && p[k - 1] == '.')
        k--;
    return dot ? k : j;
}

/* A footnote or affiliation marker stuck to a capitalised word
 * ("Neumann2", "Eich1,3"): where the marker starts, or j when there is
 * none.  The word must be a plain name (a capital, then at least two
 * lower-case letters): "ResNet50", "GPT2", "H0" and "R2" stay whole. */
static size_t marker_start(const unsigned char *p, size_t i, size_t j)
{
    size_t k = j;
    while (k > i && ((p[k - 1] >= '0' && p[k - 1] <= '9') || p[k - 1] == ','))
        k--;
    if (k == j || j - k > 4 || p[k] < '0' || p[k] > '9' || k - i < 3 || p[i] < 'A' || p[i] > 'Z')
        return j;
    for (size_t q = i + 1; q < k; q++)
        if (!((p[q] >= 'a' && p[q] <= 'z') || p[q] >= 0x80))
            return j;
    return k;
}

/* The end of the word run starting at i (see the file comment for what
 * joins words), with its lowercase hash and letter counts. */
typedef struct word_info {
    size_t end, nletters, nupper;
    int inner_upper, all_num;
    uint64_t h;
} word_info;

static word_info scan_word(const unsigned char *p, size_t n, size_t i)
{
    word_info w = {i, 0, 0, 0, 1, KG_GZ_FNV_OFFSET};
    size_t j = i;
    for (;;) {
        unsigned char b = p[j];
        if (b < 0x80) {
            if (b >= 'A' && b <= 'Z') {
                w.nletters++;
                w.nupper++;
                w.inner_upper |= j > i;
                w.all_num = 0;
                b = (unsigned char)(b + 32);
            } else if (b >= 'a' && b <= 'z') {
                w.nletters++;
                w.all_num = 0;
            }
        } else {
            w.all_num = 0;
            if ((b & 0xC0) != 0x80) {
                w.nletters++;
                if (is_upper_at(p + j, n - j)) {
                    w.nupper++;
                    w.inner_upper |= j > i;
                }
            }
        }
        w.h = (w.h ^ b) * KG_GZ_FNV_PRIME;
        j++;
        if (j >= n)
            break;
        if (word_at(p + j, n - j))
            continue;
        /* Inner joiners: only when a word byte follows. */
        unsigned char d = p[j];
        if ((d == '-' || d == '.' || d == '&') && word_at(p + j + 1, n - j - 1)) {
            w.h = (w.h ^ d) * KG_GZ_FNV_PRIME;
            j++;
            continue;
        }
        /* An en dash between two names is one eponym ("Lemaître–Tolman
         * model", "Navier–Stokes"): read as the hyphen it stands for, so the
         * first name is not a word (and a place) of its own.  Only a
         * capital after it: "1987–2004" and "pre–war" stay apart. */
        if (d == 0xE2 && j + 3 < n && p[j + 1] == 0x80 && p[j + 2] == 0x93 && w.nletters &&
            !(p[j - 1] >= '0' && p[j - 1] <= '9') && is_upper_at(p + j + 3, n - j - 3)) {
            w.h = (w.h ^ '-') * KG_GZ_FNV_PRIME;
            j += 3;
            continue;
        }
        if (d == ',' && p[j - 1] >= '0' && p[j - 1] <= '9' && j + 1 < n && p[j + 1] >= '0' &&
            p[j + 1] <= '9') {
            w.h = (w.h ^ d) * KG_GZ_FNV_PRIME;
            j++;
            continue;
        }
        size_t a = apos_len(p + j, n - j);
        if (a && word_at(p + j + a, n - j - a) &&
            !((p[j + a] | 32) == 's' && !word_at(p + j + a + 1, n - j - a - 1))) {
            w.h = (w.h ^ '\'') * KG_GZ_FNV_PRIME;
            j += a;
            continue;
        }
        break;
    }
    w.end = j;
    return w;
}

static uint32_t word_shape(const unsigned char *p, size_t n, size_t i, const word_info *w)
{
    uint32_t shape = NT_WORD;
    if (is_upper_at(p + i, n - i))
        shape |= NT_CAP;
    else if (is_lower_at(p + i))
        shape |= NT_LOWER;
    if (p[i] >= '0' && p[i] <= '9')
        shape |= NT_DIGIT;
    if (w->all_num)
        shape |= NT_NUM;
    if (w->nletters >= 2 && w->nupper == w->nletters)
        shape |= NT_ALLCAP;
    else if (w->inner_upper)
        shape |= NT_MIXED;
    return shape;
}

/* Punctuation or a symbol at i; returns its length. */
static size_t scan_punct(ner_ctx *c, const unsigned char *p, size_t n, size_t i, int *sent,
                         uint32_t lead)
{
    unsigned char ch = p[i];
    size_t pl = ch >= 0x80 ? utf8_punct_len(p + i, n - i) : 1;
    if (pl == 0)
        pl = 1; /* stray continuation byte: its own token */
    uint32_t shape = NT_PUNCT | lead;
    if (ch == '$' || (pl == 2 && (p[i + 1] == 0xA3 || p[i + 1] == 0xA5)) ||
        (pl == 3 && p[i + 1] == 0x82 && p[i + 2] == 0xAC))
        shape |= NT_CURSYM;
    else if (ch >= 0x80 && utf8_is_sym(p + i, pl))
        shape |= NT_SYM;
    if (ch == '!' || ch == '?') {
        *sent = 1;
    } else if (ch == '.') {
        /* "Dr." and "J." do not end a sentence. */
        ner_tok *pt = c->ntok ? &c->tok[c->ntok - 1] : NULL;
        int abbrev = pt && pt->e == i && (pt->shape & NT_WORD) &&
                     ((tok_gz(c, pt) & KG_GZ(ABBREV)) ||
                      ((pt->shape & NT_CAP) && pt->e - pt->s == 1));
        if (!abbrev)
            *sent = 1;
    }
    push(c, (uint32_t)i, (uint32_t)(i + pl), shape,
         kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, (const char *)p + i, pl), 0);
    return pl;
}

int ner_scan(ner_ctx *c)
{
    const unsigned char *p = (const unsigned char *)c->text;
    size_t n = c->len, i = 0;
    int sent = 1, newlines = 0; /* next word starts a sentence; line ends since a token */

    while (i < n) {
        unsigned char ch = p[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v') {
            newlines += ch == '\n';
            i++;
            continue;
        }
        if (ch == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) { /* no-break space */
            i += 2;
            continue;
        }
        /* A blank line ends a paragraph and so a sentence. */
        uint32_t lead = newlines ? NT_NL : 0;
        if (newlines >= 2 && c->ntok) {
            lead |= NT_PARA;
            sent = 1;
        }
        newlines = 0;
        size_t al = apos_len(p + i, n - i);
        if (!lead && al && i + al < n && (p[i + al] | 32) == 's' &&
            !word_at(p + i + al + 1, n - i - al - 1) && c->ntok > 0 && c->tok[c->ntok - 1].e == i &&
            (c->tok[c->ntok - 1].shape & NT_WORD)) {
            uint64_t h = kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, "'s", 2);
            push(c, (uint32_t)i, (uint32_t)(i + al + 1), NT_POSS | NT_PUNCT, h, 0);
            i += al + 1;
            continue;
        }
        size_t ul = word_at(p + i, n - i) ? url_len(p + i, n - i) : 0;
        if (ul) {
            push(c, (uint32_t)i, (uint32_t)(i + ul), NT_URL | lead,
                 kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, "<url>", 5), 0);
            sent = 0;
            i += ul;
            continue;
        }
        if (!word_at(p + i, n - i)) {
            i += scan_punct(c, p, n, i, &sent, lead);
            continue;
        }
        word_info w = scan_word(p, n, i);
        size_t j = w.end, em = email_end(p, n, j);
        if (em != j) {
            push(c, (uint32_t)i, (uint32_t)em, NT_URL | lead,
                 kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, "<email>", 7), 0);
            sent = 0;
            i = em;
            continue;
        }
        uint32_t shape = word_shape(p, n, i, &w) | lead | (sent ? NT_SENT : 0);
        sent = 0;
        size_t mk = w.all_num ? j : marker_start(p, i, j);
        if (mk != j) {
            uint64_t h = kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, (const char *)p + i, mk - i);
            push_word(c, (uint32_t)i, (uint32_t)mk, shape & ~(uint32_t)(NT_MIXED | NT_ALLCAP), h);
            push(c, (uint32_t)mk, (uint32_t)j, NT_PUNCT | NT_MARK,
                 kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, "<mark>", 6), 0);
        } else {
            push_word(c, (uint32_t)i, (uint32_t)j, shape, w.h);
        }
        i = j;
    }
    for (size_t k = 0; k < c->ntok; k++)
        tok_gz(c, &c->tok[k]);
    return 0;
}
