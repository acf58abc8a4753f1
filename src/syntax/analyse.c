/* analyse: see analyse.h. */
#include "syntax/analyse.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ml/mfile.h"
#include "syntax/models.h"

struct kg_analyser {
    kg_mfile *pos_file, *parse_file;
    kg_postag *tagger;
    kg_depparse *parser;
};

static int finish(kg_analyser *a, kg_err *err)
{
    int rc = kg_postag_load(a->pos_file, &a->tagger, err);
    if (!rc)
        rc = kg_depparse_load(a->parse_file, &a->parser, err);
    return rc;
}

int kg_analyser_open(const char *pos_path, const char *parse_path, kg_analyser **out, kg_err *err)
{
    *out = NULL;
    kg_analyser *a = kg_xcalloc(1, sizeof *a);
    int rc = kg_mfile_open(pos_path, "pos", &a->pos_file, err);
    if (!rc)
        rc = kg_mfile_open(parse_path, "parse", &a->parse_file, err);
    if (!rc)
        rc = finish(a, err);
    if (rc) {
        kg_analyser_close(a);
        return rc;
    }
    *out = a;
    return KG_OK;
}

void kg_analyser_close(kg_analyser *a)
{
    if (!a)
        return;
    kg_postag_free(a->tagger);
    kg_depparse_free(a->parser);
    kg_mfile_close(a->pos_file);
    kg_mfile_close(a->parse_file);
    free(a);
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static kg_analyser *default_analyser;
static kg_err default_err;

static void load_default(void)
{
    kg_analyser *a = kg_xcalloc(1, sizeof *a);
    int rc = kg_model_open("pos", &a->pos_file, &default_err);
    if (!rc)
        rc = kg_model_open("parse", &a->parse_file, &default_err);
    if (!rc)
        rc = finish(a, &default_err);
    if (rc) {
        kg_analyser_close(a);
        return;
    }
    default_analyser = a;
}

int kg_analyser_default(const kg_analyser **out, kg_err *err)
{
    pthread_once(&default_once, load_default);
    *out = default_analyser;
    if (!default_analyser) {
        if (err)
            *err = default_err;
        return default_err.code ? default_err.code : KG_EFORMAT;
    }
    return KG_OK;
}

const kg_postag *kg_analyser_tagger(const kg_analyser *a)
{
    return a->tagger;
}

const kg_depparse *kg_analyser_parser(const kg_analyser *a)
{
    return a->parser;
}

int kg_analyse(const kg_analyser *a, const char *text, size_t start, size_t end, int max_words,
               kg_words *s)
{
    if (max_words <= 0 || max_words > KG_PARSE_MAX_WORDS)
        max_words = max_words <= 0 ? KG_ANALYSE_MAX_WORDS : KG_PARSE_MAX_WORDS;
    int n = kg_words_from_text(s, text, start, end, max_words);
    if (n <= 0)
        return n;
    kg_postag_run(a->tagger, s);
    kg_depparse_run(a->parser, s);
    return n;
}
