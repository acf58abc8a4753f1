/* sentence: sentence boundaries on top of the tokeniser.
 *
 * Working on tokens rather than bytes means the hard cases are already
 * settled: "3.14" is one NUMBER, "e.g." / "Dr." / "U.S." / "J." are ABBREV
 * tokens whose dot is not a PUNCT, and "[12]" is one CITATION.  What is left
 * is to find a terminator (. ! ? ...), let closing quotes, brackets and
 * citations hang on to it, and check that the next sentence seems to start:
 * whitespace, then an uppercase letter, a digit or an opening quote. */
#include "text/sentence.h"

#include <stdlib.h>
#include <string.h>

#include "base/vec.h"

static int tok_is(const char *text, const kg_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->end - t->start == n && memcmp(text + t->start, s, n) == 0;
}

static int is_closer(const char *text, const kg_token *t)
{
    if (t->kind == KG_TOK_CITATION)
        return 1;
    if (t->kind != KG_TOK_PUNCT)
        return 0;
    return tok_is(text, t, ")") || tok_is(text, t, "]") || tok_is(text, t, "\"") ||
           tok_is(text, t, "'") || tok_is(text, t, "\xE2\x80\x9D") /* ” */ ||
           tok_is(text, t, "\xE2\x80\x99") /* ’ */ || tok_is(text, t, "\xC2\xBB") /* » */;
}

static int is_terminator(const char *text, const kg_token *t)
{
    return t->kind == KG_TOK_PUNCT &&
           (tok_is(text, t, ".") || tok_is(text, t, "!") || tok_is(text, t, "?") ||
            tok_is(text, t, "...") || tok_is(text, t, "\xE2\x80\xA6") /* … */);
}

static int is_opener(const char *text, const kg_token *t)
{
    return tok_is(text, t, "\"") || tok_is(text, t, "'") || tok_is(text, t, "(") ||
           tok_is(text, t, "[") || tok_is(text, t, "\xE2\x80\x9C") /* “ */ ||
           tok_is(text, t, "\xE2\x80\x98") /* ‘ */ || tok_is(text, t, "\xC2\xAB");
}

/* A blank line: two newlines with nothing but spaces between them. */
static int has_blank_line(const char *s, size_t a, size_t b)
{
    int nl = 0;
    for (size_t k = a; k < b; k++) {
        if (s[k] == '\n') {
            if (++nl == 2)
                return 1;
        } else if (s[k] != ' ' && s[k] != '\t' && s[k] != '\r') {
            nl = 0;
        }
    }
    return 0;
}

int kg_sentence_break(const char *text, const kg_token *tok, size_t n, size_t i)
{
    if (i + 1 >= n)
        return 1;
    const kg_token *next = &tok[i + 1];
    if (next->start == tok[i].end)
        return 0; /* "end.Next" or "3.x": no space, no sentence */
    if (has_blank_line(text, tok[i].end, next->start))
        return 1;
    size_t j = i;
    while (j > 0 && i - j < 4 && is_closer(text, &tok[j]))
        j--;
    if (!is_terminator(text, &tok[j]))
        return 0;
    switch (next->kind) {
    case KG_TOK_WORD: return (next->shape & KG_SHAPE_CAP) != 0;
    case KG_TOK_ABBREV: return (next->shape & KG_SHAPE_CAP) != 0;
    case KG_TOK_NUMBER:
    case KG_TOK_CITATION: return 1;
    case KG_TOK_PUNCT: return is_opener(text, next);
    default: return 0;
    }
}

size_t kg_sentences(const char *text, size_t len, kg_spans *out)
{
    kg_tokens t = KG_TOKENS_INIT;
    out->n = 0;
    kg_tokenize(text, len, &t);
    size_t first = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (!kg_sentence_break(text, t.v, t.n, i))
            continue;
        kg_vec_reserve(out, 1);
        out->v[out->n].start = t.v[first].start;
        out->v[out->n].end = t.v[i].end;
        out->n++;
        first = i + 1;
    }
    kg_tokens_free(&t);
    return out->n;
}

void kg_spans_free(kg_spans *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
