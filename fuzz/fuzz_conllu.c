/* fuzz_conllu: the CoNLL-U treebank reader (syntax/conllu) of `kgas train
 * pos|parse` and `kgas eval pos|parse FILE`, and what those commands do
 * with a treebank once read: the shipped tagger and parser scored on it
 * (words rebuilt from the treebank, gold heads and labels compared). */
#include <stdlib.h>

#include "common.h"
#include "syntax/conllu.h"
#include "syntax/depparse.h"
#include "syntax/models.h"
#include "syntax/postag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Kept for the process's life, with their files. */
static kg_mfile *g_pos, *g_parse;
static kg_postag *g_tagger;
static kg_depparse *g_parser;

static void load_models(void)
{
    kg_err e;
    if (kg_model_open("pos", &g_pos, &e) != KG_OK ||
        kg_postag_load(g_pos, &g_tagger, &e) != KG_OK ||
        kg_model_open("parse", &g_parse, &e) != KG_OK ||
        kg_depparse_load(g_parse, &g_parser, &e) != KG_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_tagger) {
        fz_dir();
        load_models();
    }
    kg_treebank *tb = NULL;
    kg_err e;
    if (kg_conllu_parse((const char *)data, size, "fuzz.conllu", &tb, &e) != KG_OK)
        return 0;
    kg_postag_eval pe;
    kg_postag_evaluate(g_tagger, tb, &pe);
    kg_depparse_eval de;
    kg_depparse_evaluate(g_parser, g_tagger, tb, &de);
    kg_depparse_evaluate(g_parser, NULL, tb, &de);
    kg_treebank_free(tb);
    return 0;
}
