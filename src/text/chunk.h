/* chunk: split a streamed document into overlapping token windows.
 *
 * Text arrives in order through kg_chunker_feed() (with its page number); the
 * chunker keeps only the current window plus the overlap, so memory does not
 * grow with the document.  Each chunk holds at most chunk_size tokens, ends
 * at a sentence boundary where one exists in the second half of the window,
 * and the next chunk starts overlap tokens (rounded to a token start) before
 * the previous one ended.  Offsets are UTF-8 byte offsets into the document
 * text (the concatenation of everything fed).
 *
 * The chunk passed to the callback, and its text, are valid only during the
 * call. */
#ifndef KG_TEXT_CHUNK_H
#define KG_TEXT_CHUNK_H

#include <stddef.h>
#include <stdint.h>

typedef struct kg_chunk_opts {
    int chunk_size; /* tokens, 16..8192, default 512 */
    int overlap;    /* tokens, 0..chunk_size/2, default 50 */
} kg_chunk_opts;

typedef struct kg_chunk_out {
    int ordinal;    /* 0, 1, 2, ... */
    uint64_t start; /* byte span in the document text */
    uint64_t end;
    int page_start; /* pages the span touches */
    int page_end;
    int tokens;
    const char *text; /* document text [start, end) */
    size_t len;
    const char *section; /* current Markdown section title, or NULL */
} kg_chunk_out;

typedef int (*kg_chunk_cb)(void *ud, const kg_chunk_out *c);

typedef struct kg_chunker kg_chunker;

kg_chunker *kg_chunker_new(const kg_chunk_opts *opts, kg_chunk_cb cb, void *ud);
/* Append text on page `page`. Returns the callback's non-zero value if it stopped. */
int kg_chunker_feed(kg_chunker *c, const char *text, size_t len, int page);
/* A new section starts at the current end of the text. */
void kg_chunker_section(kg_chunker *c, const char *title);
/* Emit what is left. */
int kg_chunker_finish(kg_chunker *c);
uint64_t kg_chunker_total_bytes(const kg_chunker *c);
int kg_chunker_count(const kg_chunker *c);
void kg_chunker_free(kg_chunker *c);

#endif
