/* ner: the public entry point, the context of one text, and the rules
 * engine's scoring (see ner.h for the stages). */
#include "ner/ner.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/vec.h"
#include "ner/ner_internal.h"

const char *const ner_type_names[NTY_COUNT] = {
    "",    "PERSON",   "ORG",     "GPE",  "LOC",   "NORP",    "EVENT",   "WORK_OF_ART",
    "LAW", "LANGUAGE", "PRODUCT", "DATE", "MONEY", "PERCENT", "CONCEPT", "DATASET",
};

static const char *const ev_names[KG_NER_EV_COUNT] = {
    "caps",       "gazetteer",       "first_name",     "surname",    "title",
    "org_suffix", "head_word",       "of_phrase",      "et_al",      "citation",
    "role_noun",  "loc_preposition", "acronym",        "propagated", "pattern",
    "all_caps",   "default",         "lowercase_head", "model",      "described",
};

/* How much each piece of evidence alone makes us believe the span and its
 * type.  Hand-set from what the rules mean (a title before a name is strong,
 * a preposition before it weak); a trained scorer replaces this table. */
static const float ev_weight[KG_NER_EV_COUNT] = {
    0.30f, 0.60f, 0.50f, 0.35f, 0.70f, 0.75f, 0.50f, 0.30f, 0.70f, 0.50f,
    0.45f, 0.15f, 0.60f, 0.40f, 0.80f, 0.15f, 0.00f, 0.40f, 0.00f, 0.00f,
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
float ner_rule_score(uint32_t ev)
{
    float doubt = 1.0f;
    for (int k = 0; k < KG_NER_EV_COUNT; k++)
        if (ev & (1u << k))
            doubt *= 1.0f - ev_weight[k];
    return 1.0f - doubt;
}

int ner_tok_is(const ner_ctx *c, size_t i, const char *lit)
{
    if (i >= c->ntok)
        return 0;
    const ner_tok *t = &c->tok[i];
    size_t n = strlen(lit);
    return t->e - t->s == n && strncasecmp(c->text + t->s, lit, n) == 0;
}

int ner_tok_in(const ner_ctx *c, size_t i, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (ner_tok_is(c, i, list[k]))
            return 1;
    return 0;
}

uint64_t ner_phrase_hash(const ner_ctx *c, size_t i, size_t j)
{
    uint64_t h = KG_GZ_FNV_OFFSET;
    for (size_t k = i; k < j; k++) {
        if (k > i)
            h = kg_gz_hash_sep(h);
        h = kg_gz_hash_bytes(h, c->text + c->tok[k].s, c->tok[k].e - c->tok[k].s);
    }
    return h;
}

uint64_t ner_phrase_flags(const ner_ctx *c, size_t i, size_t j)
{
    if (j - i > c->gz->max_tokens)
        return 0;
    return j == i + 1 ? c->tok[i].gz : kg_gz_lookup(c->gz, ner_phrase_hash(c, i, j));
}

void kg_ner_result_free(kg_ner_result *r)
{
    if (!r)
        return;
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

void ner_ctx_free(ner_ctx *c)
{
    if (!c)
        return;
    if (c->tok != c->tok_inline)
        free(c->tok);
    if (c->cand != c->cand_inline)
        free(c->cand);
    if (c->pkey != c->pkey_inline) {
        free(c->pkey);
        free(c->ptype);
    }
    free(c->rtype);
    free(c->rpos);
    free(c->rev);
    free(c);
}

ner_ctx *ner_ctx_new(const char *text, size_t len)
{
    ner_ctx *c = kg_xmalloc(sizeof *c);
    c->text = text ? text : "";
    c->len = text ? len : 0;
    c->gz = kg_gz_get();
    c->tok = c->tok_inline;
    c->ntok = 0;
    c->tokcap = NER_INLINE_TOKS;
    c->cand = c->cand_inline;
    c->ncand = 0;
    c->candcap = NER_INLINE_CANDS;
    c->rtype = c->rpos = NULL;
    c->rev = NULL;
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
    ner_rule_marks(c);
    return c;
}

size_t ner_segments(const ner_ctx *c, uint32_t *bounds, size_t cap)
{
    size_t n = 0, a = 0;
    for (size_t i = 1; i <= c->ntok; i++) {
        if (i < c->ntok && !(c->tok[i].shape & (NT_SENT | NT_PARA)))
            continue;
        if (n < cap) {
            bounds[2 * n] = (uint32_t)a;
            bounds[2 * n + 1] = (uint32_t)i;
        }
        n++;
        a = i;
    }
    return n;
}

/* The recogniser before the model: rule candidates, scored by noisy-or. */
static void run_rules(const ner_ctx *c, float min_conf, kg_ner_result *out)
{
    for (size_t k = 0; k < c->ncand; k++) {
        const ner_cand *d = &c->cand[k];
        if (d->type == NTY_NONE || d->tj <= d->ti)
            continue;
        float conf = ner_rule_score(d->ev);
        if (conf < min_conf)
            continue;
        kg_ner_mention *m = kg_vec_push_zero(out);
        m->start = c->tok[d->ti].s;
        m->end = c->tok[d->tj - 1].e;
        strcpy(m->type, ner_type_names[d->type]);
        m->confidence = conf;
        m->evidence = d->ev;
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
    int engine = opts ? opts->engine : KG_NER_ENGINE_MODEL;
    const kg_ner_model *m = opts ? opts->model : NULL;
    if (engine == KG_NER_ENGINE_MODEL && !m) {
        int rc = kg_ner_model_default(&m, err);
        if (rc)
            return rc;
    }
    ner_ctx *c = ner_ctx_new(text, len);
    if (engine == KG_NER_ENGINE_RULES) {
        run_rules(c, min_conf, out);
    } else {
        ner_spans sp = {NULL, 0, 0};
        kg_ner_doc *doc = opts ? opts->doc : NULL, *own = NULL;
        if (!doc)
            doc = own = kg_ner_doc_new();
        ner_model_tag(m, c, doc, &sp);
        ner_post(&m->lay, c, &sp, doc, min_conf, out);
        free(sp.v);
        kg_ner_doc_free(own);
    }
    ner_ctx_free(c);
    return 0;
}
