/* words: one sentence cut into the words sentence analysis works on, and
 * what the tagger and the parser write about each (tag, head, label).
 *
 * Words follow the tokenisation of the English UD treebanks the models are
 * trained on, on top of text/token: clitics are split ("didn't" -> did
 * n't, "John's" -> John 's, "I'm" -> I 'm), hyphenated words are split at
 * their hyphens ("state-of-the-art" -> state - of - the - art) unless the
 * first part is a prefix the treebanks keep whole ("co-founded",
 * "re-elected", "non-profit"), and `` and '' are one word each.  Every
 * word keeps its exact byte span in the text.
 *
 * A word's form is normalised the same way for training and for text:
 * curly quotes and apostrophes become straight ones, and every double
 * quote (" `` '' “ ”) becomes ".  Forms live in the kg_words arena.
 *
 * A kg_words is reused sentence after sentence (cleared, not freed): no
 * allocation once it has seen its longest sentence.  Not shared between
 * threads. */
#ifndef KG_NLP_WORDS_H
#define KG_NLP_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text/token.h"

typedef struct kg_word {
    uint32_t start, end; /* byte span in the text (not in the form) */
    uint32_t form;       /* offset of the NUL-terminated normalised form in the arena */
    uint16_t len;        /* its length in bytes (capped at KG_WORD_MAX_LEN) */
    uint8_t tag;         /* KG_T_* (syntax/ptb.h), set by the tagger */
    uint8_t dep;         /* KG_D_*, set by the parser */
    int16_t head;        /* index of the head word; -1 = root; set by the parser */
    uint8_t shape;       /* KG_WSHAPE_* bits */
} kg_word;

#define KG_WSHAPE_UPPER 0x01   /* starts with an upper-case letter */
#define KG_WSHAPE_ALLCAPS 0x02 /* all letters upper case, two or more letters */
#define KG_WSHAPE_DIGIT 0x04   /* holds a digit */
#define KG_WSHAPE_ALPHA 0x08   /* holds a letter */
#define KG_WSHAPE_HYPHEN 0x10  /* holds a hyphen */
#define KG_WSHAPE_PUNCT 0x20   /* no letter and no digit */

#define KG_WORD_MAX_LEN 200

typedef struct kg_words {
    kg_word *w;
    int n, cap;
    char *arena;
    size_t alen, acap;
    kg_tokens tok; /* text/token's tokens of the last text, reused */
} kg_words;

#define KG_WORDS_INIT                          \
    {                                          \
        NULL, 0, 0, NULL, 0, 0, KG_TOKENS_INIT \
    }

void kg_words_clear(kg_words *s);
void kg_words_free(kg_words *s);

/* The normalised form of word i. */
static inline const char *kg_words_form(const kg_words *s, int i)
{
    return s->arena + s->w[i].form;
}

/* Is word i (i >= 0; -1, "no word", is never) exactly the form w? */
static inline bool kg_words_form_is(const kg_words *s, int i, const char *w)
{
    return i >= 0 && strcmp(s->arena + s->w[i].form, w) == 0;
}

/* Append one word with span [start, end) and raw form raw[0..len), which
 * is normalised and stored.  Returns its index. */
int kg_words_push(kg_words *s, uint32_t start, uint32_t end, const char *raw, size_t len);

/* Clear s, then cut text[start, end) into words (spans relative to text).
 * Returns the number of words, or -1 (s cleared) when there would be more
 * than max_words: the caller's cap on analysis. */
int kg_words_from_text(kg_words *s, const char *text, size_t start, size_t end, int max_words);

#endif
