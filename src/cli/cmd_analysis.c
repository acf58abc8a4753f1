/* cmd_analysis: `kgas train pos|parse` and `kgas eval pos|parse`: train and
 * measure the sentence-analysis models of relations (syntax/postag,
 * syntax/depparse) on CoNLL-U treebanks. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/commands.h"
#include "ml/mfile.h"
#include "syntax/conllu.h"
#include "syntax/depparse.h"
#include "syntax/models.h"
#include "syntax/postag.h"

typedef struct aargs {
    const char *what, *train, *dev, *out, *tagger, *gold, *model;
    long epochs, seed, folds, max_rows, max_label_rows;
    double min_weight;
    int json;
} aargs;

static int parse_args(kg_cli *c, aargs *a, int training)
{
    memset(a, 0, sizeof *a);
    a->epochs = a->folds = -1;
    for (int i = 1; i < c->argc; i++) {
        const char *v = NULL, *arg = c->argv[i];
        int r;
#define OPT(name) ((r = kg_cli_opt_value(c, &i, name, &v)) != 0)
        if (OPT("--train") || OPT("--dev") || OPT("--out") || OPT("--tagger") || OPT("--model")) {
            if (r < 0)
                return KG_EXIT_USAGE;
            const char **dst = strcmp(arg, "--train") == 0    ? &a->train
                               : strcmp(arg, "--dev") == 0    ? &a->dev
                               : strcmp(arg, "--out") == 0    ? &a->out
                               : strcmp(arg, "--tagger") == 0 ? &a->tagger
                                                              : &a->model;
            *dst = v;
        } else if (OPT("--epochs") || OPT("--seed") || OPT("--folds") || OPT("--max-rows") ||
                   OPT("--max-label-rows")) {
            long lo = strcmp(arg, "--epochs") == 0 ? 1 : 0;
            long *dst = strcmp(arg, "--epochs") == 0     ? &a->epochs
                        : strcmp(arg, "--seed") == 0     ? &a->seed
                        : strcmp(arg, "--folds") == 0    ? &a->folds
                        : strcmp(arg, "--max-rows") == 0 ? &a->max_rows
                                                         : &a->max_label_rows;
            if (r < 0 || kg_cli_parse_int(c, arg, v, lo, 100000000, dst) < 0)
                return KG_EXIT_USAGE;
        } else if (OPT("--min-weight")) {
            char *end = NULL;
            if (r < 0)
                return KG_EXIT_USAGE;
            a->min_weight = strtod(v, &end);
            if (!end || *end || a->min_weight < 0 || a->min_weight > 100)
                return kg_cli_usage_error(c, "--min-weight takes a number from 0 to 100");
        } else if (strcmp(arg, "--json") == 0 && !training) {
            a->json = 1;
        } else if (arg[0] == '-' && arg[1]) {
            return kg_cli_usage_error(c, "unknown option '%s'", arg);
        } else if (!a->what) {
            a->what = arg;
        } else if (!training && !a->gold) {
            a->gold = arg;
        } else {
            return kg_cli_usage_error(c, "unexpected argument '%s'", arg);
        }
#undef OPT
    }
    if (!a->what || (strcmp(a->what, "pos") != 0 && strcmp(a->what, "parse") != 0))
        return kg_cli_usage_error(c, "what: pos or parse");
    return KG_EXIT_OK;
}

static int fail(const kg_err *e)
{
    kg_cli_error("%s", e->msg);
    return KG_EXIT_FAILED;
}

/* A model from --model/--tagger PATH, or the built-in one of that kind. */
static int open_model(const char *path, const char *kind, kg_mfile **mf, kg_err *e)
{
    return path ? kg_mfile_open(path, kind, mf, e) : kg_model_open(kind, mf, e);
}

static void print_log(kg_buf *log)
{
    fputs(kg_buf_str(log), stderr);
    kg_buf_truncate(log, 0);
}

static int train(kg_cli *c, const aargs *a)
{
    kg_err e;
    kg_treebank *tr = NULL, *dv = NULL;
    if (kg_conllu_read(a->train, &tr, &e) || (a->dev && kg_conllu_read(a->dev, &dv, &e))) {
        kg_treebank_free(tr);
        return fail(&e);
    }
    kg_buf log = KG_BUF_INIT;
    kg_mfile_writer *w = kg_mfile_writer_new(a->what);
    kg_postag_train_opts po = {a->epochs > 0 ? (int)a->epochs : 0,
                               (uint64_t)a->seed,
                               (float)a->min_weight,
                               (size_t)a->max_rows,
                               &log,
                               print_log};
    int rc;
    kg_mfile *tmf = NULL;
    kg_postag *tagger = NULL;
    if (strcmp(a->what, "pos") == 0) {
        rc = kg_postag_train(tr, dv, &po, w, &e);
    } else {
        rc = dv ? open_model(a->tagger, "pos", &tmf, &e) : KG_OK;
        if (!rc && tmf)
            rc = kg_postag_load(tmf, &tagger, &e);
        kg_postag_train_opts fold_tagger = po;
        fold_tagger.max_rows = 0;
        fold_tagger.min_weight = 0;
        fold_tagger.epochs = 0;
        fold_tagger.log = NULL;
        kg_depparse_train_opts o = {a->epochs > 0 ? (int)a->epochs : 0,
                                    (uint64_t)a->seed,
                                    a->folds >= 0 ? (int)a->folds : 4,
                                    &fold_tagger,
                                    tagger,
                                    (float)a->min_weight,
                                    (size_t)a->max_rows,
                                    (size_t)a->max_label_rows,
                                    &log,
                                    print_log};
        if (!rc)
            rc = kg_depparse_train(tr, dv, &o, w, &e);
    }
    print_log(&log);
    if (!rc)
        rc = kg_mfile_save(w, a->out, &e);
    kg_postag_free(tagger);
    kg_mfile_close(tmf);
    kg_mfile_writer_free(w);
    kg_buf_free(&log);
    kg_treebank_free(tr);
    kg_treebank_free(dv);
    if (rc)
        return fail(&e);
    fprintf(stderr, "wrote %s\n", a->out);
    return KG_EXIT_OK;
}

int kg_cmd_train_analysis(kg_cli *c)
{
    aargs a;
    int rc = parse_args(c, &a, 1);
    if (rc)
        return rc;
    if (!a.train || !a.out)
        return kg_cli_usage_error(c, "give --train FILE.conllu and --out MODEL");
    return train(c, &a);
}

static void report(const aargs *a, const char *name, double acc, double acc2, size_t words,
                   double wps)
{
    if (a->json) {
        json_t *o = strcmp(a->what, "pos") == 0
                        ? json_pack("{s:s, s:f, s:f, s:I, s:f}", "file", name, "accuracy", acc,
                                    "unknown_accuracy", acc2, "words", (json_int_t)words,
                                    "words_per_second", wps)
                        : json_pack("{s:s, s:f, s:f, s:I, s:f}", "file", name, "uas", acc, "las",
                                    acc2, "words", (json_int_t)words, "words_per_second", wps);
        kg_cli_print_json(o);
    } else if (strcmp(a->what, "pos") == 0) {
        printf("%s: tag accuracy %.4f (words the dictionary does not tag: %.4f), %zu words, "
               "%.0f words/s\n",
               name, acc, acc2, words, wps);
    } else {
        printf("%s: UAS %.4f, LAS %.4f (punctuation excluded), %zu words, %.0f words/s\n", name,
               acc, acc2, words, wps);
    }
}

int kg_cmd_eval_analysis(kg_cli *c)
{
    aargs a;
    int rc = parse_args(c, &a, 0);
    if (rc)
        return rc;
    if (!a.gold)
        return kg_cli_usage_error(c, "give a CoNLL-U file with gold tags and trees");
    kg_err e;
    kg_treebank *tb = NULL;
    if (kg_conllu_read(a.gold, &tb, &e))
        return fail(&e);
    kg_mfile *pmf = NULL, *dmf = NULL;
    kg_postag *tagger = NULL;
    kg_depparse *parser = NULL;
    bool pos = strcmp(a.what, "pos") == 0;
    rc = open_model(pos ? a.model : a.tagger, "pos", &pmf, &e);
    if (!rc)
        rc = kg_postag_load(pmf, &tagger, &e);
    if (!rc && !pos)
        rc = open_model(a.model, "parse", &dmf, &e);
    if (!rc && !pos)
        rc = kg_depparse_load(dmf, &parser, &e);
    if (!rc) {
        if (pos) {
            kg_postag_eval ev;
            kg_postag_evaluate(tagger, tb, &ev);
            report(&a, a.gold, ev.accuracy, ev.unknown_accuracy, ev.words, ev.words_per_second);
        } else {
            kg_depparse_eval ev;
            kg_depparse_evaluate(parser, tagger, tb, &ev);
            report(&a, a.gold, ev.uas, ev.las, ev.words, ev.words_per_second);
        }
    }
    kg_depparse_free(parser);
    kg_postag_free(tagger);
    kg_mfile_close(dmf);
    kg_mfile_close(pmf);
    kg_treebank_free(tb);
    return rc ? fail(&e) : KG_EXIT_OK;
}
