/* oie_out: see oie_out.h. */
#include "nlp/oie_out.h"

#include <string.h>

#include "nlp/reltype.h"

const char *kg_oie_kind_name(int kind)
{
    switch (kind) {
    case KG_OIE_VERB: return "verb";
    case KG_OIE_COPULA: return "copula";
    case KG_OIE_APPOS: return "apposition";
    case KG_OIE_POSS: return "possessive";
    case KG_OIE_NOMINAL: return "nominal";
    }
    return "?";
}

/* Text with tabs and line breaks made spaces (a TSV field). */
static void put_field(kg_buf *out, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        kg_buf_putc(out, c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
}

void kg_oie_part_text(const char *text, const kg_words *s, const kg_oie *o, const kg_oie_part *p,
                      kg_buf *out)
{
    size_t start = out->len;
    if (p->pre)
        kg_buf_puts(out, p->pre);
    const int16_t *w = kg_oie_words(o, p);
    for (int k = 0; k < p->n; k++) {
        const kg_word *x = &s->w[w[k]];
        if (out->len > start)
            kg_buf_putc(out, ' ');
        put_field(out, text + x->start, x->end - x->start);
    }
}

void kg_oie_tsv(const char *text, size_t start, size_t end, const kg_words *s, const kg_oie *o,
                const kg_triple *x, kg_buf *out)
{
    put_field(out, text + start, end - start);
    kg_buf_printf(out, "\t%.4f\t", (double)x->confidence);
    kg_oie_part_text(text, s, o, &x->rel, out);
    for (int k = 0; k < x->nargs; k++) {
        kg_buf_putc(out, '\t');
        kg_oie_part_text(text, s, o, &x->arg[k], out);
    }
    kg_buf_putc(out, '\n');
}

static json_t *part_json(const char *text, const kg_words *s, const kg_oie *o, const kg_oie_part *p)
{
    kg_buf b = KG_BUF_INIT;
    kg_oie_part_text(text, s, o, p, &b);
    json_t *spans = json_array();
    const int16_t *w = kg_oie_words(o, p);
    for (int k = 0; k < p->n;) {
        int j = k;
        while (j + 1 < p->n && w[j + 1] == w[j] + 1)
            j++;
        json_array_append_new(
            spans, json_pack("[I,I]", (json_int_t)s->w[w[k]].start, (json_int_t)s->w[w[j]].end));
        k = j + 1;
    }
    json_t *obj = json_pack("{s:s, s:o}", "text", kg_buf_str(&b), "spans", spans);
    kg_buf_free(&b);
    return obj;
}

json_t *kg_oie_json(const char *text, const kg_words *s, const kg_oie *o, const kg_triple *x)
{
    json_t *rel = part_json(text, s, o, &x->rel);
    char norm[KG_PHRASE_MAX];
    kg_rel_normalise(s, o, x, norm);
    json_object_set_new(rel, "normalised", json_string(norm));
    const char *cat = kg_rel_category(norm, NULL);
    json_object_set_new(rel, "category", cat ? json_string(cat) : json_null());
    json_t *args = json_array();
    for (int k = 0; k < x->nargs; k++)
        json_array_append_new(args, part_json(text, s, o, &x->arg[k]));
    static const char *const subj[] = {"own",        "conjunct", "relative",
                                       "participle", "control",  "adverbial"};
    return json_pack("{s:o, s:o, s:f, s:s, s:s, s:b}", "relation", rel, "args", args, "confidence",
                     (double)((int)(x->confidence * 10000 + 0.5f)) / 10000.0, "kind",
                     kg_oie_kind_name(x->kind), "subject",
                     x->subj < sizeof subj / sizeof subj[0] ? subj[x->subj] : "?", "passive",
                     x->passive);
}
