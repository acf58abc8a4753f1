/* normalize: make raw text into the stored document text.
 *
 * Repairs invalid UTF-8 (each bad byte becomes U+FFFD, counted), drops a
 * leading BOM, turns CRLF/CR into LF, joins PDF line-break hyphenation
 * ("knowl-\nedge" -> "knowledge", but "state-of-\nthe-art" keeps its
 * hyphen when the next word is lowercase and the part before is itself
 * hyphenated... see normalize.c), collapses runs of spaces and tabs to one
 * space, trims trailing spaces on lines, removes control characters other
 * than \n, keeps at most one blank line in a row, and applies Unicode NFC
 * (utf8proc).  Spaces at the start of a line, and blank lines at the start
 * and end of the text, are dropped too.
 *
 * kg_normalize's result is a new heap string (caller frees).  Thread-safe.
 * kg_normalizer does the same over a stream: feeding the text in pieces of
 * any size gives exactly the bytes kg_normalize gives for the whole. */
#ifndef KG_TEXT_NORMALIZE_H
#define KG_TEXT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

typedef struct kg_norm_stats {
    size_t invalid_bytes; /* bytes replaced by U+FFFD */
    size_t hyphen_joins;  /* line-break hyphenations joined */
    size_t control_chars; /* control characters removed (C0 other than \t \n \r \f, DEL, C1) */
    size_t chars;         /* characters read (after UTF-8 repair) */
} kg_norm_stats;

/* Flags for kg_normalize. */
#define KG_NORM_DEHYPHENATE 0x01 /* join "word-\nword" (PDF text) */
#define KG_NORM_UNWRAP 0x02      /* join single line breaks inside paragraphs */

char *kg_normalize(const char *in, size_t len, int flags, size_t *out_len, kg_norm_stats *stats);

/* Streaming form.  Output is appended to `out` as soon as it is final; some
 * input is held back (a partial UTF-8 sequence, pending newlines, a possible
 * line-break hyphen, a character that a combining mark could still follow). */
typedef struct kg_normalizer kg_normalizer;

kg_normalizer *kg_normalizer_new(int flags);
void kg_normalizer_feed(kg_normalizer *n, const char *in, size_t len, kg_buf *out);
/* Something visible follows (e.g. a Markdown heading line): settle what is
 * held back, including a pending paragraph break, so that out ends where the
 * next text will begin. */
void kg_normalizer_mark(kg_normalizer *n, kg_buf *out);
/* End of input: flush everything (trailing blank lines are dropped). */
void kg_normalizer_finish(kg_normalizer *n, kg_buf *out);
const kg_norm_stats *kg_normalizer_stats(const kg_normalizer *n);
void kg_normalizer_free(kg_normalizer *n);

/* Append code point cp as UTF-8 (NUL, surrogates and values past U+10FFFF
 * as U+FFFD). */
void kg_utf8_put(kg_buf *b, uint32_t cp);

#endif
