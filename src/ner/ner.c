/* ner: the public entry point and stage 3 (scoring) of the recogniser.
 * See ner.h for the shape; ner_scan.c and ner_rules.c do stages 1 and 2. */
#include "ner/ner.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ner/ner_internal.h"

const char *const ner_type_names[NTY_COUNT] = {
    "",    "PERSON",   "ORG",     "GPE",  "LOC",   "NORP",    "EVENT",   "WORK_OF_ART",
    "LAW", "LANGUAGE", "PRODUCT", "DATE", "MONEY", "PERCENT", "CONCEPT", "DATASET",
};

static const char *const ev_names[KG_NER_EV_COUNT] = {
    "caps",      "gazetteer",  "first_name", "surname",  "title",     "org_suffix",
    "head_word", "of_phrase",  "et_al",      "citation", "role_noun", "loc_preposition",
    "acronym",   "propagated", "pattern",    "all_caps", "default",   "lowercase_head",
};

/* How much each piece of evidence alone makes us believe the span and its
 * type.  Hand-set from what the rules mean (a title before a name is strong,
 * a preposition before it weak); a trained scorer replaces this table. */
static const float ev_weight[KG_NER_EV_COUNT] = {
    0.30f, 0.60f, 0.50f, 0.35f, 0.70f, 0.75f, 0.50f, 0.30f, 0.70f,
    0.50f, 0.45f, 0.15f, 0.60f, 0.40f, 0.80f, 0.15f, 0.00f, 0.40f,
};

const char *kg_ner_evidence_name(uint32_t bit)
{
    for (int k = 0; k < KG_NER_EV_COUNT; k++)
        if (bit == (1u << k))
            return ev_names[k];
    return "?";
}

/* Noisy-or: each fired rule independently removes part of the doubt, so
 * more evidence always means higher confidence and the result stays < 1. */
static float score(uint32_t ev)
{
    float doubt = 1.0f;
    for (int k = 0; k < KG_NER_EV_COUNT; k++)
        if (ev & (1u << k))
            doubt *= 1.0f - ev_weight[k];
    return 1.0f - doubt;
}

void kg_ner_result_free(kg_ner_result *r)
{
    if (!r)
        return;
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

static void ctx_free(ner_ctx *c)
{
    if (c->tok != c->tok_inline)
        free(c->tok);
    if (c->cand != c->cand_inline)
        free(c->cand);
    if (c->pkey != c->pkey_inline) {
        free(c->pkey);
        free(c->ptype);
    }
}

int kg_ner_run(const char *text, size_t len, const kg_ner_opts *opts, kg_ner_result *out,
               kg_err *err)
{
    if (!out)
        return kg_err_set(err, KG_EINVAL, "kg_ner_run: no result to fill");
    out->n = 0;
    if (!text && len)
        return kg_err_set(err, KG_EINVAL, "kg_ner_run: text is NULL but length is %zu", len);
    if (len >= UINT32_MAX)
        return kg_err_set(
            err, KG_ETOOBIG,
            "kg_ner_run: text of %zu bytes is too long; split it into chunks under 4 GiB", len);
    float min_conf = opts ? opts->min_confidence : 0.0f;

    ner_ctx *c = malloc(sizeof *c);
    if (!c)
        return kg_err_set(err, KG_ENOMEM, "kg_ner_run: out of memory");
    c->text = text ? text : "";
    c->len = len;
    c->gz = kg_gz_get();
    c->tok = c->tok_inline;
    c->ntok = 0;
    c->tokcap = NER_INLINE_TOKS;
    c->cand = c->cand_inline;
    c->ncand = 0;
    c->candcap = NER_INLINE_CANDS;

    ner_scan(c);

    size_t psize = NER_INLINE_PROP;
    while (psize < c->ntok * 2)
        psize <<= 1;
    if (psize == NER_INLINE_PROP) {
        c->pkey = c->pkey_inline;
        c->ptype = c->ptype_inline;
        memset(c->pkey, 0, sizeof c->pkey_inline);
    } else {
        c->pkey = kg_xcalloc(psize, sizeof *c->pkey);
        c->ptype = kg_xcalloc(psize, 1);
    }
    c->pmask = psize - 1;
    c->pcount = 0;

    ner_propose(c);

    for (size_t k = 0; k < c->ncand; k++) {
        const ner_cand *d = &c->cand[k];
        if (d->type == NTY_NONE || d->tj <= d->ti)
            continue;
        float conf = score(d->ev);
        if (conf < min_conf)
            continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->v = kg_xrealloc(out->v, out->cap * sizeof *out->v);
        }
        kg_ner_mention *m = &out->v[out->n++];
        memset(m, 0, sizeof *m);
        m->start = c->tok[d->ti].s;
        m->end = c->tok[d->tj - 1].e;
        strcpy(m->type, ner_type_names[d->type]);
        m->confidence = conf;
        m->evidence = d->ev;
    }
    ctx_free(c);
    free(c);
    return 0;
}
