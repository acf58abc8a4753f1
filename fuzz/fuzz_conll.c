/* fuzz_conll: the CoNLL reader of `kgas eval ner` (ner/conll), which runs
 * the recogniser over each sentence it rebuilds and scores the result, and
 * the JSON and table reports of the score. */
#include <stdlib.h>

#include "base/buf.h"
#include "common.h"
#include "ner/conll.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_dir();
    kg_ner_eval ev;
    kg_err e;
    if (kg_eval_ner_conll_text((const char *)data, size, "fuzz.conll", NULL, &ev, &e) == KG_OK) {
        char *json = NULL;
        if (kg_eval_ner_json(&ev, &json, &e) == KG_OK)
            free(json);
        kg_buf t = KG_BUF_INIT;
        kg_eval_ner_table(&ev, &t);
        kg_buf_free(&t);
    }
    return 0;
}
