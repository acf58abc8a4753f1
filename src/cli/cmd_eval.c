/* cmd_eval: `kgas eval ner [--json] GOLD.conll`: measure the recogniser. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/commands.h"
#include "nlp/conll.h"

int kg_cmd_eval(kg_cli *c)
{
    if (c->argc > 1 && (strcmp(c->argv[1], "pos") == 0 || strcmp(c->argv[1], "parse") == 0))
        return kg_cmd_eval_analysis(c);
    int json = 0;
    const char *what = NULL, *path = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (strcmp(a, "--json") == 0)
            json = 1;
        else if (a[0] == '-' && a[1])
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
    kg_ner_eval ev;
    kg_err e;
    if (kg_eval_ner_conll(path, &ev, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        return KG_EXIT_FAILED;
    }
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
