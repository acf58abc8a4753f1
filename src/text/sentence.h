/* sentence: sentence boundaries for academic English.
 *
 * Splits on . ! ? (and closing quotes/brackets after them) followed by space
 * and an uppercase letter, digit or opening quote, except after known
 * abbreviations ("et al.", "e.g.", "Fig.", "Dr.", "U.S."), initials ("J.
 * Smith"), and decimals; also on blank lines (paragraph breaks).
 * Citations like "(Smith et al., 2019)" and "[12]" stay with their sentence.
 *
 * The caller owns the kg_spans vector (KG_SPANS_INIT, kg_spans_free). */
#ifndef KG_TEXT_SENTENCE_H
#define KG_TEXT_SENTENCE_H

#include <stddef.h>

#include "text/token.h"

typedef struct kg_span {
    size_t start;
    size_t end; /* one past the last byte; leading/trailing spaces excluded */
} kg_span;

typedef struct kg_spans {
    kg_span *v;
    size_t n;
    size_t cap;
} kg_spans;

#define KG_SPANS_INIT \
    {                 \
        NULL, 0, 0    \
    }

/* Clears out, then appends the sentences of text[0..len). Returns the count. */
size_t kg_sentences(const char *text, size_t len, kg_spans *out);
void kg_spans_free(kg_spans *s);

/* True when a sentence ends after token i of tok[0..n) (tokens of text).
 * Looks at tok[i+1] and the gap before it; i == n-1 is always an end.  The
 * chunker uses this to end windows on sentence boundaries. */
int kg_sentence_break(const char *text, const kg_token *tok, size_t n, size_t i);

#endif
