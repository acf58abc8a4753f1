/* normalize: make raw text into the stored document text.
 *
 * Repairs invalid UTF-8 (each bad byte becomes U+FFFD, counted), drops a
 * leading BOM, turns CRLF/CR into LF, joins PDF line-break hyphenation
 * ("knowl-\nedge" -> "knowledge", but "state-of-\nthe-art" keeps its
 * hyphen when the next word is lowercase and the part before is itself
 * hyphenated... see normalize.c), collapses runs of spaces and tabs to one
 * space, trims trailing spaces on lines, removes control characters other
 * than \n, keeps at most one blank line in a row, and applies Unicode NFC
 * (utf8proc).
 *
 * The result is a new heap string (caller frees).  Thread-safe. */
#ifndef KG_TEXT_NORMALIZE_H
#define KG_TEXT_NORMALIZE_H

#include <stddef.h>

typedef struct kg_norm_stats {
    size_t invalid_bytes;  /* bytes replaced by U+FFFD */
    size_t hyphen_joins;   /* line-break hyphenations joined */
} kg_norm_stats;

/* Flags for kg_normalize. */
#define KG_NORM_DEHYPHENATE 0x01  /* join "word-\nword" (PDF text) */
#define KG_NORM_UNWRAP 0x02       /* join single line breaks inside paragraphs */

char *kg_normalize(const char *in, size_t len, int flags, size_t *out_len,
                   kg_norm_stats *stats);

#endif
