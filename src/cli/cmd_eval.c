/* cmd_eval: `kgas eval ner [--types T1,T2] [--model PATH|rules] [--json]
 * GOLD.conll`: measure the recogniser (ner/conll does the scoring). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/commands.h"
#include "ner/conll.h"

int kg_cmd_eval(kg_cli *c)
{
    if (c->argc > 1 && (strcmp(c->argv[1], "pos") == 0 || strcmp(c->argv[1], "parse") == 0))
        return kg_cmd_eval_analysis(c);
    int json = 0, errors = 0;
    const char *what = NULL, *path = NULL, *types = NULL, *model = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        int r;
        if (strcmp(a, "--json") == 0)
            json = 1;
        else if (strcmp(a, "--errors") == 0)
            errors = 1;
        else if ((r = kg_cli_opt_value(c, &i, "--types", &types)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
        } else if ((r = kg_cli_opt_value(c, &i, "--model", &model)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
        } else if (a[0] == '-' && a[1])
            return kg_cli_usage_error(c, "unknown option '%s'", a);
        else if (!what)
            what = a;
        else if (!path)
            path = a;
        else
            return kg_cli_usage_error(c, "unexpected argument '%s'", a);
    }
    if (!what || strcmp(what, "ner") != 0)
        return kg_cli_usage_error(c, "what to evaluate: `kgas eval ner GOLD.conll`");
    if (!path)
        return kg_cli_usage_error(c, "give a CoNLL file with gold tags");
    kg_buf errs = KG_BUF_INIT;
    kg_ner_eval_opts o = {types, NULL, KG_NER_ENGINE_MODEL, errors ? &errs : NULL};
    kg_ner_model *m = NULL;
    kg_err e;
    if (model && strcmp(model, "rules") == 0) {
        o.engine = KG_NER_ENGINE_RULES;
    } else if (model) {
        if (kg_ner_model_load(model, &m, &e) != KG_OK) {
            kg_cli_error("%s", e.msg);
            return KG_EXIT_FAILED;
        }
        o.model = m;
    }
    kg_ner_eval ev;
    int rc = kg_eval_ner_conll(path, &o, &ev, &e);
    kg_ner_model_free(m);
    if (rc != KG_OK) {
        kg_buf_free(&errs);
        kg_cli_error("%s", e.msg);
        return rc == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED;
    }
    fputs(kg_buf_str(&errs), stdout);
    kg_buf_free(&errs);
    if (json) {
        char *s = NULL;
        if (kg_eval_ner_json(&ev, &s, &e) != KG_OK) {
            kg_cli_error("%s", e.msg);
            return KG_EXIT_FAILED;
        }
        printf("%s\n", s);
        free(s);
    } else {
        kg_buf b = KG_BUF_INIT;
        kg_eval_ner_table(&ev, &b);
        fputs(kg_buf_str(&b), stdout);
        kg_buf_free(&b);
    }
    return KG_EXIT_OK;
}
