/* token: a tokeniser for academic English.
 *
 * Splits UTF-8 text into tokens with byte spans: words (with inner hyphens
 * and apostrophes: "state-of-the-art", "don't"), numbers and decimals
 * ("3.14", "1,000", "2019"), abbreviations kept whole ("e.g.", "U.S.",
 * "et al."... see kg_is_abbrev), citations ("[12]", "[3, 7-9]"), URLs,
 * e-mail addresses, and single punctuation marks.  Whitespace is skipped.
 *
 * The caller owns the kg_tokens vector: initialise with KG_TOKENS_INIT,
 * reuse it across calls (it is cleared, not freed), free with
 * kg_tokens_free().  Thread-safe: no global state. */
#ifndef KG_TEXT_TOKEN_H
#define KG_TEXT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

typedef enum kg_token_kind {
    KG_TOK_WORD = 0, /* letters (and inner - ' .), may start uppercase */
    KG_TOK_NUMBER,   /* digits, decimals, 1,000, ordinals like 2nd */
    KG_TOK_ABBREV,   /* known abbreviation ending in '.' ("Dr.", "e.g.") */
    KG_TOK_PUNCT,    /* one punctuation character (or "..." / "--") */
    KG_TOK_CITATION, /* [12], [3, 7-9] */
    KG_TOK_URL,
    KG_TOK_EMAIL,
    KG_TOK_SYMBOL, /* anything else (math, emoji) */
} kg_token_kind;

typedef struct kg_token {
    uint32_t start; /* byte offset into the text */
    uint32_t end;   /* one past the last byte */
    uint8_t kind;   /* kg_token_kind */
    uint8_t shape;  /* KG_SHAPE_* bits below */
} kg_token;

/* Word shape bits (computed for WORD and ABBREV tokens). */
#define KG_SHAPE_CAP 0x01     /* first letter uppercase */
#define KG_SHAPE_ALLCAPS 0x02 /* every letter uppercase (and >= 2 letters) */
#define KG_SHAPE_LOWER 0x04   /* every letter lowercase */
#define KG_SHAPE_DIGIT 0x08   /* contains a digit */
#define KG_SHAPE_HYPHEN 0x10  /* contains a hyphen */
#define KG_SHAPE_MIXED 0x20   /* inner uppercase after lowercase ("iPhone", "McDonald") */

typedef struct kg_tokens {
    kg_token *v;
    size_t n;
    size_t cap;
} kg_tokens;

#define KG_TOKENS_INIT \
    {                  \
        NULL, 0, 0     \
    }

/* Tokens never depend on text before their start, and a token ending at e
 * depends on nothing past the next whitespace after e plus this many bytes
 * (citations and "et al." span spaces and are at most this long).  Tokens
 * ending this far before a whitespace cut of a stream are final. */
#define KG_TOKEN_LOOKAHEAD 64

/* Tokenise text[0..len); appends nothing else, clears out first.
 * Offsets are relative to text.  Returns the number of tokens. */
size_t kg_tokenize(const char *text, size_t len, kg_tokens *out);
void kg_tokens_free(kg_tokens *t);

/* True when text[0..len) (including its final '.') is a known abbreviation
 * that does not end a sentence by itself ("Dr.", "Fig.", "e.g.", "et al."). */
int kg_is_abbrev(const char *s, size_t len);

#endif
