/* cmd_triples: `kgas triples [--json|--tsv] [--lines] [FILE|-]`: Open IE
 * triples of a text, sentence by sentence (syntax/analyse + nlp/openie). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/commands.h"
#include "syntax/analyse.h"
#include "nlp/oie_out.h"
#include "nlp/openie.h"
#include "syntax/ptb.h"
#include "text/sentence.h"

enum {
    OUT_TEXT,
    OUT_TSV,
    OUT_JSON,
    OUT_CONLLU
};

typedef struct run {
    const kg_analyser *a;
    kg_words words;
    kg_oie oie;
    int format;
    size_t sentences, skipped, triples;
    int first_json;
    kg_buf out;
} run;

static int read_input(kg_cli *c, const char *path, char **data, size_t *len)
{
    kg_err e;
    if (path && strcmp(path, "-") != 0) {
        if (kg_file_read_all(&c->policy, path, data, len, &e)) {
            kg_cli_error("%s", e.msg);
            return KG_EXIT_FAILED;
        }
        return KG_EXIT_OK;
    }
    kg_buf b = KG_BUF_INIT;
    char chunk[65536];
    size_t n;
    uint64_t max = c->policy.max_bytes;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        kg_buf_append(&b, chunk, n);
        if (max && b.len > max) {
            kg_buf_free(&b);
            kg_cli_error("standard input is longer than max_file_bytes (%llu bytes)",
                         (unsigned long long)max);
            return KG_EXIT_FAILED;
        }
    }
    *len = b.len;
    *data = b.data ? kg_buf_steal(&b) : kg_xstrdup("");
    return KG_EXIT_OK;
}

static void flush_out(run *r)
{
    fwrite(r->out.data ? r->out.data : "", 1, r->out.len, stdout);
    kg_buf_truncate(&r->out, 0);
}

static void one_sentence(run *r, const char *text, size_t start, size_t end)
{
    while (start < end && (text[start] == ' ' || text[start] == '\t'))
        start++;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
        end--;
    if (start == end)
        return;
    r->sentences++;
    int n = kg_analyse(r->a, text, start, end, 0, &r->words);
    if (n < 0)
        r->skipped++;
    int nt = n > 0 ? kg_openie(&r->words, &r->oie) : 0;
    r->triples += (size_t)nt;
    if (r->format == OUT_CONLLU) {
        kg_buf_puts(&r->out, "# text = ");
        kg_buf_append(&r->out, text + start, end - start);
        kg_buf_putc(&r->out, '\n');
        for (int i = 0; i < n; i++) {
            const kg_word *w = &r->words.w[i];
            kg_buf_printf(&r->out, "%d\t%.*s\t_\t_\t%s\t_\t%d\t%s\t_\t_\n", i + 1,
                          (int)(w->end - w->start), text + w->start, kg_tag_name(w->tag),
                          w->head + 1, kg_dep_name(w->dep));
        }
        kg_buf_putc(&r->out, '\n');
    } else if (r->format == OUT_TSV) {
        for (int i = 0; i < nt; i++)
            kg_oie_tsv(text, start, end, &r->words, &r->oie, &r->oie.t[i], &r->out);
    } else if (r->format == OUT_JSON) {
        json_t *arr = json_array();
        for (int i = 0; i < nt; i++)
            json_array_append_new(arr, kg_oie_json(text, &r->words, &r->oie, &r->oie.t[i]));
        json_t *obj = json_pack("{s:s%, s:I, s:I, s:b, s:o}", "sentence", text + start, end - start,
                                "start", (json_int_t)start, "end", (json_int_t)end, "analysed",
                                n >= 0, "triples", arr);
        char *js = json_dumps(obj, JSON_COMPACT);
        kg_buf_puts(&r->out, r->first_json ? "\n  " : ",\n  ");
        kg_buf_puts(&r->out, js);
        r->first_json = 0;
        free(js);
        json_decref(obj);
    } else {
        kg_buf_putc(&r->out, '\n');
        kg_buf_append(&r->out, text + start, end - start);
        kg_buf_putc(&r->out, '\n');
        if (n < 0)
            kg_buf_printf(&r->out, "  (not analysed: more than %d words)\n", KG_ANALYSE_MAX_WORDS);
        for (int i = 0; i < nt; i++) {
            const kg_triple *x = &r->oie.t[i];
            kg_buf_printf(&r->out, "  %.2f (", (double)x->confidence);
            kg_oie_part_text(text, &r->words, &r->oie, &x->rel, &r->out);
            for (int k = 0; k < x->nargs; k++) {
                kg_buf_puts(&r->out, "; ");
                kg_oie_part_text(text, &r->words, &r->oie, &x->arg[k], &r->out);
            }
            kg_buf_puts(&r->out, ")\n");
        }
    }
    if (r->out.len > 65536)
        flush_out(r);
}

static void run_text(run *r, const char *text, size_t len, int lines)
{
    if (lines) {
        size_t s = 0;
        for (size_t i = 0; i <= len; i++)
            if (i == len || text[i] == '\n') {
                one_sentence(r, text, s, i);
                s = i + 1;
            }
        return;
    }
    kg_spans sp = KG_SPANS_INIT;
    kg_sentences(text, len, &sp);
    for (size_t i = 0; i < sp.n; i++)
        one_sentence(r, text, sp.v[i].start, sp.v[i].end);
    kg_spans_free(&sp);
}

int kg_cmd_triples(kg_cli *c)
{
    int format = OUT_TEXT, lines = 0;
    const char *path = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (strcmp(a, "--json") == 0)
            format = OUT_JSON;
        else if (strcmp(a, "--tsv") == 0)
            format = OUT_TSV;
        else if (strcmp(a, "--conllu") == 0)
            format = OUT_CONLLU;
        else if (strcmp(a, "--lines") == 0)
            lines = 1;
        else if (a[0] == '-' && a[1])
            return kg_cli_usage_error(c, "unknown option '%s'", a);
        else if (!path)
            path = a;
        else
            return kg_cli_usage_error(c, "unexpected argument '%s'", a);
    }
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    run r;
    memset(&r, 0, sizeof r);
    r.format = format;
    r.first_json = 1;
    kg_err e;
    if (kg_analyser_default(&r.a, &e)) {
        kg_cli_error("%s", e.msg);
        return KG_EXIT_FAILED;
    }
    char *data = NULL;
    size_t len = 0;
    rc = read_input(c, path, &data, &len);
    if (rc)
        return rc;
    if (format == OUT_JSON)
        kg_buf_puts(&r.out, "{\"sentences\": [");
    run_text(&r, data, len, lines);
    if (format == OUT_JSON)
        kg_buf_printf(&r.out,
                      "\n], \"count\": {\"sentences\": %zu, \"triples\": %zu, "
                      "\"not_analysed\": %zu}}\n",
                      r.sentences, r.triples, r.skipped);
    flush_out(&r);
    kg_buf_free(&r.out);
    kg_words_free(&r.words);
    kg_oie_free(&r.oie);
    free(data);
    return KG_EXIT_OK;
}
