/* fuzz_model: model files (ml/mfile) and the loaders behind them: the NER
 * model (ner/ner_model, `kgas ... --model FILE`, settings ner.model), the
 * POS tagger and the dependency parser (syntax/postag, syntax/depparse: `kgas
 * eval pos|parse --model FILE`).  A model file comes from outside (a
 * download, a colleague's training run), so its loader must refuse any
 * damage with an error and never read past what it checked.
 *
 * Each input is tried twice: as it is (the container's own checks), and
 * "sealed": its header's length and checksum rewritten to match, so the
 * fuzzer gets past the checksum into the section table and the sections'
 * contents, which is where a loader trusts counts and offsets.  A model
 * that loads is then run on a sentence (every weight table indexed).  The
 * kind in the header picks the loader; seeds (fuzz/corpus/model) are the
 * shipped models shrunk by fuzz/make_model_seeds.py. */
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "common.h"
#include "ml/mfile.h"
#include "ner/ner.h"
#include "syntax/depparse.h"
#include "syntax/models.h"
#include "syntax/postag.h"
#include "syntax/words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char SENTENCE[] = "Dr. Maria Keller of the University of Lisbon met NASA "
                               "engineers in Paris on 3 May 2019, paying $40 for 12% more.";

static void run_ner(const unsigned char *b, size_t n)
{
    kg_ner_model *m = NULL;
    kg_err e;
    if (kg_ner_model_from_memory(b, n, "fuzz.kgm", &m, &e) != KG_OK)
        return;
    kg_ner_opts o = KG_NER_OPTS_INIT;
    o.model = m;
    kg_ner_result r;
    memset(&r, 0, sizeof r);
    if (kg_ner_run(SENTENCE, sizeof SENTENCE - 1, &o, &r, &e) == KG_OK)
        kg_ner_result_free(&r);
    kg_ner_model_free(m);
}

/* The shipped tagger, for the parser's input (checked once: 4 MB). */
static const kg_postag *shipped_tagger(void)
{
    static kg_postag *t;
    static kg_mfile *mf;
    kg_err e;
    if (!t && (kg_model_open("pos", &mf, &e) != KG_OK || kg_postag_load(mf, &t, &e) != KG_OK))
        abort();
    return t;
}

static void run_analysis(const unsigned char *b, size_t n)
{
    kg_mfile *mf = NULL;
    kg_err e;
    if (kg_mfile_open_mem(b, n, "fuzz.kgm", NULL, &mf, &e) != KG_OK)
        return;
    kg_words w = KG_WORDS_INIT;
    if (kg_words_from_text(&w, SENTENCE, 0, sizeof SENTENCE - 1, 200) > 0) {
        if (strcmp(kg_mfile_kind(mf), "pos") == 0) {
            kg_postag *t = NULL;
            if (kg_postag_load(mf, &t, &e) == KG_OK) {
                kg_postag_run(t, &w);
                kg_postag_free(t);
            }
        } else if (strcmp(kg_mfile_kind(mf), "parse") == 0) {
            kg_depparse *p = NULL;
            if (kg_depparse_load(mf, &p, &e) == KG_OK) {
                kg_postag_run(shipped_tagger(), &w);
                kg_depparse_run(p, &w);
                kg_depparse_free(p);
            }
        }
    }
    kg_words_free(&w);
    kg_mfile_close(mf);
}

static void try_model(const unsigned char *b, size_t n)
{
    if (n >= 32 && strncmp((const char *)b + 16, "ner", 16) == 0)
        run_ner(b, n);
    else
        run_analysis(b, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        fz_dir();
        kg_hash_init();
        shipped_tagger();
        ready = 1;
    }
    /* A copy on a 16-byte boundary, as a mapping or the linked bytes are. */
    unsigned char *b = malloc(size ? size : 1);
    if (size)
        memcpy(b, data, size);
    try_model(b, size);
    if (size >= 48) {
        uint64_t len = size, sum = kg_hash64(b + 48, size - 48);
        memcpy(b + 32, &len, 8); /* little-endian hosts, as the format */
        memcpy(b + 40, &sum, 8);
        try_model(b, size);
    }
    free(b);
    return 0;
}
