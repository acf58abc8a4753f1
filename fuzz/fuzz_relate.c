/* fuzz_relate: the relation analysis of every text kgas ingests and of
 * `kgas triples`: sentences (text/sentence), words, tags and the parse
 * (syntax/analyse, the shipped tagger and parser), the Open IE rules
 * (nlp/openie), their phrases and the TSV and JSON output (nlp/reltype,
 * nlp/oie_out), and the typed relations between mentions (nlp/relate, with
 * nlp/relpath and the dialogue rule, nlp/relspeech).  The input is the text, any bytes, as the command reads a
 * file; the mentions stand in for the recogniser's: every run of words
 * that start with a capital letter, one entity per distinct spelling.
 *
 * Checked beyond the sanitizers: every relation joins two entities that
 * were mentioned, lies in the text, has a type and a known method; the
 * counts are consistent (shares between 0 and 1). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "common.h"
#include "nlp/oie_out.h"
#include "nlp/openie.h"
#include "nlp/relate.h"
#include "nlp/reltype.h"
#include "syntax/analyse.h"
#include "text/sentence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MENTIONS 256

static const kg_analyser *g_an;

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || is_upper(c) || (c >= '0' && c <= '9') || c == '-' ||
           c == '\'' || (unsigned char)c >= 0x80;
}

/* Runs of capitalised words ("Maria Keller", "University of Lisbon" is two:
 * the stand-in does not join across "of"), one entity per spelling. */
static int find_mentions(const char *t, size_t n, kg_relate_mention *m, int *nent)
{
    int nm = 0;
    *nent = 0;
    size_t i = 0;
    while (i < n && nm < MAX_MENTIONS) {
        if (!is_upper(t[i]) || (i > 0 && is_word(t[i - 1]))) {
            i++;
            continue;
        }
        size_t s = i, e = i;
        for (;;) {
            while (e < n && is_word(t[e]))
                e++;
            if (e + 1 < n && t[e] == ' ' && is_upper(t[e + 1]))
                e++;
            else
                break;
        }
        int ent = -1;
        for (int k = 0; k < nm && ent < 0; k++)
            if (m[k].end - m[k].start == (int64_t)(e - s) &&
                memcmp(t + m[k].start, t + s, e - s) == 0)
                ent = m[k].entity;
        if (ent < 0)
            ent = (*nent)++;
        m[nm] = (kg_relate_mention){(int64_t)s, (int64_t)e, nm % 2 ? "PERSON" : "ORG", ent};
        nm++;
        i = e;
    }
    return nm;
}

static void triples(const char *text, size_t len, const kg_spans *sp)
{
    kg_words w;
    kg_oie o;
    memset(&w, 0, sizeof w);
    memset(&o, 0, sizeof o);
    kg_buf out = KG_BUF_INIT;
    for (size_t i = 0; i < sp->n; i++) {
        size_t s = sp->v[i].start, e = sp->v[i].end;
        if (s > e || e > len)
            abort();
        int n = kg_analyse(g_an, text, s, e, 0, &w);
        int nt = n > 0 ? kg_openie(&w, &o) : 0;
        for (int k = 0; k < nt; k++) {
            const kg_triple *x = &o.t[k];
            kg_oie_tsv(text, s, e, &w, &o, x, &out);
            json_decref(kg_oie_json(text, &w, &o, x));
            char phrase[KG_PHRASE_MAX];
            kg_rel_normalise(&w, &o, x, phrase);
            if (strlen(phrase) >= KG_PHRASE_MAX)
                abort();
        }
        kg_buf_truncate(&out, 0);
    }
    kg_buf_free(&out);
    kg_words_free(&w);
    kg_oie_free(&o);
}

static void relations(const char *text, size_t len, const kg_spans *sp)
{
    kg_relate_mention m[MAX_MENTIONS];
    int nent, nm = find_mentions(text, len, m, &nent);
    kg_relate_span *sents = malloc((sp->n ? sp->n : 1) * sizeof *sents);
    for (size_t i = 0; i < sp->n; i++)
        sents[i] = (kg_relate_span){(int64_t)sp->v[i].start, (int64_t)sp->v[i].end};
    kg_relate_list *l = NULL;
    kg_err e;
    if (kg_relate_extract(text, len, sents, (int)sp->n, m, nm, 0, &l, &e) != KG_OK)
        abort(); /* spans from the sentence splitter and the text: always valid */
    for (int i = 0; i < l->n; i++) {
        const kg_relate_rel *r = &l->v[i];
        if (!kg_relate_method_known(r->method) || r->source < 0 || r->source >= nent ||
            r->target < 0 || r->target >= nent || r->source == r->target || !r->type[0] ||
            r->start < 0 || r->end > (int64_t)len || r->start > r->end)
            abort();
    }
    double ts = kg_relate_typed_share(&l->counts), cs = kg_relate_clause_share(&l->counts);
    if (!(ts >= 0 && ts <= 1) || !(cs >= 0 && cs <= 1))
        abort();
    kg_relate_list_free(l);
    free(sents);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_an) {
        fz_dir();
        kg_err e;
        if (kg_analyser_default(&g_an, &e) != KG_OK)
            abort();
    }
    char *text = fz_str(data, size);
    kg_spans sp = KG_SPANS_INIT;
    kg_sentences(text, size, &sp);
    triples(text, size, &sp);
    relations(text, size, &sp);
    kg_spans_free(&sp);
    free(text);
    return 0;
}
