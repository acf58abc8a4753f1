/* cmd_train: `kgas train ner ...`: train the entity recogniser's model from
 * CoNLL files (ner/ner_train does the work; this parses the options and
 * prints the report as it goes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "cli/commands.h"
#include "ml/chain.h"
#include "ner/ner_train.h"

static void print_line(void *arg, const char *line)
{
    FILE *f = arg;
    fprintf(f, "%s\n", line);
    fflush(f);
}

typedef KG_VEC(kg_ner_train_file) files;

static void add_file(files *f, const char *path, int whole)
{
    kg_vec_push(f, ((kg_ner_train_file){path, whole}));
}

/* "A,B;C,D" -> group strings (pointers into a copy the caller frees). */
static unsigned split_groups(char *s, const char **out, unsigned cap)
{
    unsigned n = 0;
    for (char *p = strtok(s, ";"); p && n < cap; p = strtok(NULL, ";"))
        out[n++] = p;
    return n;
}

typedef KG_VEC(const char *) paths;

static void add_path(paths *p, const char *path)
{
    kg_vec_push(p, path);
}

typedef struct train_args {
    files train, dev;
    paths unlabeled;
    const char *out, *groups, *scheme, *classes;
    long epochs, seed, min_count, max_rows;
    double min_weight;
} train_args;

static int parse(kg_cli *c, train_args *a)
{
    const char *what = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *v = NULL, *arg = c->argv[i];
        int r;
#define OPT(name) ((r = kg_cli_opt_value(c, &i, name, &v)) != 0)
        if (OPT("--train") || OPT("--train-text") || OPT("--dev")) {
            if (r < 0)
                return KG_EXIT_USAGE;
            if (strncmp(arg, "--dev", 5) == 0)
                add_file(&a->dev, v, 0);
            else
                add_file(&a->train, v, strncmp(arg, "--train-text", 12) == 0);
        } else if (OPT("--unlabeled")) {
            if (r < 0)
                return KG_EXIT_USAGE;
            add_path(&a->unlabeled, v);
        } else if (OPT("--out") || OPT("--groups") || OPT("--scheme") || OPT("--word-classes")) {
            if (r < 0)
                return KG_EXIT_USAGE;
            if (strncmp(arg, "--word-classes", 14) == 0)
                a->classes = v;
            else if (strncmp(arg, "--out", 5) == 0)
                a->out = v;
            else if (strncmp(arg, "--groups", 8) == 0)
                a->groups = v;
            else
                a->scheme = v;
        } else if (OPT("--epochs") || OPT("--seed") || OPT("--min-count") || OPT("--max-rows")) {
            if (r < 0)
                return KG_EXIT_USAGE;
            long *dst = strncmp(arg, "--epochs", 8) == 0  ? &a->epochs
                        : strncmp(arg, "--seed", 6) == 0  ? &a->seed
                        : strncmp(arg, "--min-c", 7) == 0 ? &a->min_count
                                                          : &a->max_rows;
            long hi = dst == &a->epochs ? 1000 : dst == &a->min_count ? 255 : 2000000000L;
            if (kg_cli_parse_int(c, arg, v, dst == &a->epochs ? 1 : 0, hi, dst) < 0)
                return KG_EXIT_USAGE;
        } else if (OPT("--min-weight")) {
            if (r < 0)
                return KG_EXIT_USAGE;
            char *end;
            a->min_weight = strtod(v, &end);
            if (*end || a->min_weight < 0)
                return kg_cli_usage_error(c, "--min-weight: a number >= 0, not '%s'", v);
        } else if (arg[0] == '-' && arg[1]) {
            return kg_cli_usage_error(c, "unknown option '%s'", arg);
        } else if (!what) {
            what = arg;
        } else {
            add_file(&a->train, arg, 0);
        }
#undef OPT
    }
    if (!what || strcmp(what, "ner") != 0)
        return kg_cli_usage_error(c, "what to train: `kgas train ner --out MODEL FILE...`");
    if (!a->out)
        return kg_cli_usage_error(c, "give the model file to write with --out");
    if (!a->train.n)
        return kg_cli_usage_error(c, "give at least one training file (--train FILE)");
    if (a->scheme && strcmp(a->scheme, "bio") != 0 && strcmp(a->scheme, "bilou") != 0)
        return kg_cli_usage_error(c, "--scheme: bio or bilou, not '%s'", a->scheme);
    return 0;
}

/* --word-classes: "COARSExFINE" ("64x16") or "0" for none. */
static int parse_classes(kg_cli *c, const char *v, unsigned *coarse, unsigned *fine)
{
    if (strcmp(v, "0") == 0) {
        *coarse = *fine = 0;
        return 0;
    }
    unsigned long a = 0, b = 0;
    char *end;
    a = strtoul(v, &end, 10);
    if (end != v && *end == 'x' && end[1] >= '0' && end[1] <= '9') {
        const char *f = end + 1;
        b = strtoul(f, &end, 10);
    } else {
        a = 0;
    }
    if (*end || a < 1 || b < 1 || a > 4096 || a * b >= 65535)
        return kg_cli_usage_error(
            c, "--word-classes: COARSExFINE (e.g. 64x16, under 65,535 classes) or 0, not '%s'", v);
    *coarse = (unsigned)a;
    *fine = (unsigned)b;
    return 0;
}

int kg_cmd_train(kg_cli *c)
{
    if (c->argc > 1 && (strcmp(c->argv[1], "pos") == 0 || strcmp(c->argv[1], "parse") == 0))
        return kg_cmd_train_analysis(c);
    train_args a;
    memset(&a, 0, sizeof a);
    a.epochs = a.seed = a.min_count = a.max_rows = -1;
    a.min_weight = -1;
    int rc = parse(c, &a);
    if (rc) {
        free(a.train.v);
        free(a.dev.v);
        free(a.unlabeled.v);
        return rc;
    }
    kg_ner_train_opts o;
    kg_ner_train_defaults(&o);
    o.train = a.train.v;
    o.ntrain = a.train.n;
    o.dev = a.dev.v;
    o.ndev = a.dev.n;
    o.out = a.out;
    o.unlabeled = a.unlabeled.v;
    o.nunlabeled = a.unlabeled.n;
    if (a.classes && parse_classes(c, a.classes, &o.class_coarse, &o.class_fine)) {
        free(a.train.v);
        free(a.dev.v);
        free(a.unlabeled.v);
        return KG_EXIT_USAGE;
    }
    if (a.epochs > 0)
        o.epochs = (unsigned)a.epochs;
    if (a.seed >= 0)
        o.seed = (uint64_t)a.seed;
    if (a.min_count >= 0)
        o.min_count = (unsigned)a.min_count;
    if (a.max_rows >= 0)
        o.max_rows = (size_t)a.max_rows;
    if (a.min_weight >= 0)
        o.min_weight = (float)a.min_weight;
    if (a.scheme)
        o.scheme = strcmp(a.scheme, "bilou") == 0 ? KG_TAGS_BILOU : KG_TAGS_BIO;
    char *gcopy = a.groups ? kg_xstrdup(a.groups) : NULL;
    const char *groups[4];
    if (gcopy) {
        o.groups = groups;
        o.ngroups = split_groups(gcopy, groups, 4);
    }
    /* The command as given, minus directories and the output's name:
     * recorded in the model, and the same wherever the data lives and
     * whatever the file is called. */
    kg_buf cmd = KG_BUF_INIT;
    kg_buf_puts(&cmd, "kgas train");
    for (int i = 0; i < c->argc; i++) {
        const char *s = strrchr(c->argv[i], '/');
        if (i > 0 && strcmp(c->argv[i - 1], "--out") == 0)
            kg_buf_puts(&cmd, " MODEL"); /* where it goes is not what it is */
        else
            kg_buf_printf(&cmd, " %s", i && s && c->argv[i][0] != '-' ? s + 1 : c->argv[i]);
    }
    o.command = kg_buf_str(&cmd);
    o.report = print_line;
    o.report_arg = stderr;
    kg_err e;
    rc = kg_ner_train(&o, &e);
    if (rc)
        kg_cli_error("%s", e.msg);
    kg_buf_free(&cmd);
    free(gcopy);
    free(a.train.v);
    free(a.dev.v);
    free(a.unlabeled.v);
    return rc ? (rc == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED) : KG_EXIT_OK;
}
