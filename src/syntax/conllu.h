/* conllu: a reader for CoNLL-U treebanks (Universal Dependencies), the
 * training and evaluation data of the POS tagger and the parser.
 *
 * Keeps per word: form, lemma, PTB tag (XPOS, syntax/ptb), head and label.
 * Multi-word token lines ("3-4") and empty nodes ("5.1") are skipped, as
 * are comments; a blank line ends a sentence.  A malformed line (not ten
 * tab-separated fields, a bad id or head, ids out of order) is an error
 * naming the file and the line: training never silently drops data.
 *
 * The treebank owns everything: the file's bytes (forms and lemmas point
 * into them) and the word and sentence arrays; kg_treebank_free releases
 * it. */
#ifndef KG_NLP_CONLLU_H
#define KG_NLP_CONLLU_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct kg_tb_word {
    const char *form, *lemma;
    int16_t head; /* 0-based index of the head in its sentence; -1 = root */
    uint8_t tag;  /* KG_T_* */
    uint8_t dep;  /* KG_D_* */
} kg_tb_word;

typedef struct kg_tb_sent {
    kg_tb_word *w; /* into kg_treebank.words */
    size_t first;  /* index of w[0] in kg_treebank.words */
    int n;
} kg_tb_sent;

typedef struct kg_treebank {
    kg_tb_sent *sents;
    size_t nsents;
    kg_tb_word *words;
    size_t nwords;
    char *data; /* the file's text, cut into strings */
} kg_treebank;

/* Sentences longer than this are refused (as malformed). */
#define KG_CONLLU_MAX_WORDS 4000

int kg_conllu_read(const char *path, kg_treebank **out, kg_err *err);
/* data[0..len) is copied; name is used in messages. */
int kg_conllu_parse(const char *data, size_t len, const char *name, kg_treebank **out, kg_err *err);
void kg_treebank_free(kg_treebank *tb);

#endif
