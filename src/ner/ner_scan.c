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

#include "base/buf.h"
#include "ner/ner_internal.h"

static inline int is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Length of a non-ASCII punctuation/symbol sequence at p (0 if it is a
 * letter): Latin-1 symbols (C2 xx), General Punctuation and currency signs
 * (E2 80..82 xx). */
static inline size_t utf8_punct_len(const unsigned char *p, size_t left)
{
    if (p[0] == 0xC2 && left >= 2)
        return 2;
    if (p[0] == 0xE2 && left >= 3 && p[1] >= 0x80 && p[1] <= 0x82)
        return 3;
    return 0;
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
    t->pad = 0;
    t->h = h;
    t->gz = gz;
}

int ner_scan(ner_ctx *c)
{
    const unsigned char *p = (const unsigned char *)c->text;
    size_t n = c->len, i = 0;
    int sent = 1; /* next word starts a sentence */
    const kg_gazetteer *g = c->gz;

    while (i < n) {
        unsigned char ch = p[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v') {
            i++;
            continue;
        }
        if (ch == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) { /* no-break space */
            i += 2;
            continue;
        }
        size_t al = apos_len(p + i, n - i);
        if (al && i + al < n && (p[i + al] | 32) == 's' &&
            !word_at(p + i + al + 1, n - i - al - 1) && c->ntok > 0 && c->tok[c->ntok - 1].e == i &&
            (c->tok[c->ntok - 1].shape & NT_WORD)) {
            uint64_t h = kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, "'s", 2);
            push(c, (uint32_t)i, (uint32_t)(i + al + 1), NT_POSS | NT_PUNCT, h, 0);
            i += al + 1;
            continue;
        }
        if (word_at(p + i, n - i)) {
            size_t j = i, nletters = 0, nupper = 0, inner_upper = 0;
            int all_num = 1;
            uint64_t h = KG_GZ_FNV_OFFSET;
            for (;;) {
                unsigned char b = p[j];
                if (b < 0x80) {
                    if (b >= 'A' && b <= 'Z') {
                        nletters++;
                        nupper++;
                        if (j > i)
                            inner_upper = 1;
                        all_num = 0;
                        b = (unsigned char)(b + 32);
                    } else if (b >= 'a' && b <= 'z') {
                        nletters++;
                        all_num = 0;
                    }
                } else {
                    all_num = 0;
                    if ((b & 0xC0) != 0x80) {
                        nletters++;
                        if (is_upper_at(p + j, n - j)) {
                            nupper++;
                            if (j > i)
                                inner_upper = 1;
                        }
                    }
                }
                h = (h ^ b) * KG_GZ_FNV_PRIME;
                j++;
                if (j >= n)
                    break;
                if (word_at(p + j, n - j))
                    continue;
                /* Inner joiners: only when a word byte follows. */
                unsigned char d = p[j];
                if ((d == '-' || d == '.' || d == '&') && word_at(p + j + 1, n - j - 1)) {
                    h = (h ^ d) * KG_GZ_FNV_PRIME;
                    j++;
                    continue;
                }
                if (d == ',' && p[j - 1] >= '0' && p[j - 1] <= '9' && j + 1 < n &&
                    p[j + 1] >= '0' && p[j + 1] <= '9') {
                    h = (h ^ d) * KG_GZ_FNV_PRIME;
                    j++;
                    continue;
                }
                size_t a = apos_len(p + j, n - j);
                if (a && word_at(p + j + a, n - j - a) &&
                    !((p[j + a] | 32) == 's' && !word_at(p + j + a + 1, n - j - a - 1))) {
                    h = (h ^ '\'') * KG_GZ_FNV_PRIME;
                    j += a;
                    continue;
                }
                break;
            }
            uint32_t shape = NT_WORD;
            if (is_upper_at(p + i, n - i))
                shape |= NT_CAP;
            else if (is_lower_at(p + i))
                shape |= NT_LOWER;
            if (p[i] >= '0' && p[i] <= '9')
                shape |= NT_DIGIT;
            if (all_num)
                shape |= NT_NUM;
            if (nletters >= 2 && nupper == nletters)
                shape |= NT_ALLCAP;
            else if (inner_upper)
                shape |= NT_MIXED;
            if (sent)
                shape |= NT_SENT;
            sent = 0;
            push(c, (uint32_t)i, (uint32_t)j, shape, h, kg_gz_lookup(g, h));
            i = j;
            continue;
        }
        size_t pl = ch >= 0x80 ? utf8_punct_len(p + i, n - i) : 1;
        if (pl == 0)
            pl = 1; /* stray continuation byte: its own token */
        uint32_t shape = NT_PUNCT;
        if (ch == '$' || (pl == 2 && (p[i + 1] == 0xA3 || p[i + 1] == 0xA5)) ||
            (pl == 3 && p[i + 1] == 0x82 && p[i + 2] == 0xAC))
            shape |= NT_CURSYM;
        if (ch == '!' || ch == '?')
            sent = 1;
        else if (ch == '.') {
            /* "Dr." and "J." do not end a sentence. */
            const ner_tok *pt = c->ntok ? &c->tok[c->ntok - 1] : NULL;
            int abbrev = pt && pt->e == i && (pt->shape & NT_WORD) &&
                         ((pt->gz & KG_GZ(ABBREV)) || ((pt->shape & NT_CAP) && pt->e - pt->s == 1));
            if (!abbrev)
                sent = 1;
        }
        push(c, (uint32_t)i, (uint32_t)(i + pl), shape,
             kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, (const char *)p + i, pl), 0);
        i += pl;
    }
    return 0;
}
