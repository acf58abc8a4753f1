/* ner_learn: the epochs of `kgas train ner` (structured averaged perceptron
 * over the tagger's own features and decoding), compiling the weights into
 * a model file, scoring it on the dev files, and fitting the confidence
 * calibration.  See ner_train.h. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "ner/conll.h"
#include "ner/ner_train_internal.h"

/* Group g's transition scores under the current weights, and the decoding
 * plan of them. */
static void load_trans(trainer *t, unsigned g)
{
    const ner_group *gr = &t->lay.g[g];
    for (unsigned prev = 0; prev <= gr->k; prev++) {
        memset(t->row, 0, t->lay.ktotal * sizeof *t->row);
        uint64_t f = ner_trans_feature(g, prev);
        kg_perc_score(t->p, &f, 1, t->row);
        memcpy(t->trans[g] + (size_t)prev * gr->k, t->row + gr->off, gr->k * sizeof *t->row);
    }
    kg_viterbi_plan_init(&t->plan[g], gr->k, t->trans[g], kg_tagset_allowed_matrix(gr->tags));
}

/* Collins's update where the decoded path and the gold one differ: the
 * gold tags' features up, the predicted ones' down, emissions and
 * transitions alike.  Returns 1 when the paths differed. */
static int update(trainer *t, unsigned g, size_t T, const uint16_t *path, const uint16_t *gold)
{
    if (memcmp(path, gold, T * sizeof *path) == 0)
        return 0;
    const ner_group *gr = &t->lay.g[g];
    for (size_t i = 0; i < T; i++) {
        if (path[i] != gold[i]) {
            const uint64_t *f = t->w.f + i * NER_MAXF;
            kg_perc_update(t->p, f, t->w.nf[i], gr->off + gold[i], 1.0f);
            kg_perc_update(t->p, f, t->w.nf[i], gr->off + path[i], -1.0f);
        }
        unsigned pg = i ? gold[i - 1] : gr->k, pp = i ? path[i - 1] : gr->k;
        if (pg != pp || gold[i] != path[i]) {
            uint64_t fg = ner_trans_feature(g, pg), fp = ner_trans_feature(g, pp);
            kg_perc_update(t->p, &fg, 1, gr->off + gold[i], 1.0f);
            kg_perc_update(t->p, &fp, 1, gr->off + path[i], -1.0f);
        }
    }
    return 1;
}

/* One sentence of the corpus: each segment decoded, compared, learnt from,
 * then remembered in the document memory. */
static void learn_sentence(trainer *t, size_t si, kg_ner_doc *doc, ner_spans *pred,
                           size_t *mistakes, size_t *segments)
{
    ner_ctx *c = ner_ctx_new(tr_text(&t->set, si), t->set.s[si].text_len);
    size_t nseg = ner_segments(c, NULL, 0);
    uint32_t *seg = kg_xmalloc((nseg ? nseg : 1) * 2 * sizeof *seg);
    ner_segments(c, seg, nseg);
    const unsigned K = t->lay.ktotal;
    for (size_t s = 0; s < nseg; s++) {
        size_t a = seg[2 * s], b = seg[2 * s + 1], T = b - a;
        ner_work_reserve(&t->w, T, K);
        ner_features(c, a, b, doc, &t->cl, t->w.f, t->w.nf, NULL);
        memset(t->w.em, 0, T * K * sizeof *t->w.em);
        for (size_t i = 0; i < T; i++)
            kg_perc_score(t->p, t->w.f + i * NER_MAXF, t->w.nf[i], t->w.em + i * K);
        pred->n = 0;
        int wrong = 0;
        for (unsigned g = 0; g < t->lay.ngroups; g++) {
            if (!(t->set.s[si].groups & (1u << g)))
                continue;
            load_trans(t, g);
            ner_decode_group(&t->lay, g, &t->plan[g], T, a, &t->w, pred);
            size_t n = tr_gold_spans(t, si, c, g, a, b, t->gs, t->gcap);
            kg_tagset_encode(t->lay.g[g].tags, t->gs, n, T, t->gold);
            wrong |= update(t, g, T, t->w.path, t->gold);
        }
        kg_perc_tick(t->p);
        *mistakes += (size_t)wrong;
        (*segments)++;
        ner_doc_words(doc, c, a, b);
        if (pred->n)
            ner_doc_spans(doc, c, pred->v, pred->n, ner_layout_type(&t->lay, "PERSON"));
    }
    free(seg);
    ner_ctx_free(c);
}

void tr_epoch(trainer *t, unsigned epoch, size_t *mistakes, size_t *segments)
{
    (void)epoch;
    uint32_t *order = kg_xmalloc((t->set.ndoc ? t->set.ndoc : 1) * sizeof *order);
    kg_rng_permutation(&t->rng, order, t->set.ndoc);
    kg_ner_doc *doc = kg_ner_doc_new();
    ner_spans pred = {NULL, 0, 0};
    for (size_t k = 0; k < t->set.ndoc; k++) {
        uint32_t d = order[k];
        kg_ner_doc_reset(doc);
        for (uint32_t si = t->set.doc[d]; si < t->set.doc[d + 1]; si++)
            learn_sentence(t, si, doc, &pred, mistakes, segments);
    }
    free(pred.v);
    kg_ner_doc_free(doc);
    free(order);
}

void tr_compile(trainer *t, unsigned epoch, unsigned char **out, size_t *len)
{
    (void)epoch;
    kg_linear_opts lo = {t->o->min_weight, t->o->max_rows};
    kg_linear *lin = kg_linear_compile(t->p, &lo);
    kg_mfile_writer *w = kg_mfile_writer_new("ner");
    char *info = json_dumps(t->info, JSON_PRESERVE_ORDER | JSON_COMPACT);
    ner_model_write(w, &t->lay, (const float(*)[2])t->calib, lin, t->cl_mf, info);
    kg_mfile_bytes(w, out, len);
    free(info);
    kg_mfile_writer_free(w);
    kg_linear_free(lin);
}

double tr_dev_score(trainer *t, const kg_ner_model *m, unsigned epoch, kg_err *err, int *rc)
{
    if (!t->ndev)
        return -1;
    double sum = 0;
    json_t *scores = json_object_get(t->info, "dev_scores");
    for (size_t i = 0; i < t->ndev; i++) {
        const tr_dev *d = &t->dev[i];
        kg_ner_eval_opts eo = {d->types, m, KG_NER_ENGINE_MODEL, NULL};
        kg_ner_eval ev;
        *rc = kg_eval_ner_conll_text(kg_buf_str(&d->data), d->data.len, d->path, &eo, &ev, err);
        if (*rc)
            return -1;
        sum += ev.overall.f1;
        json_t *per = json_object();
        kg_buf line = KG_BUF_INIT;
        for (size_t k = 0; k < ev.nclass; k++) {
            json_object_set_new(per, ev.cls[k], json_real(round(ev.per_type[k].f1 * 1e4) / 1e4));
            kg_buf_printf(&line, " %s %.3f", ev.cls[k], ev.per_type[k].f1);
        }
        const char *base = strrchr(d->path, '/');
        json_array_append_new(scores, json_pack("{s:i,s:s,s:f,s:o}", "epoch", (int)epoch, "file",
                                                base ? base + 1 : d->path, "f1",
                                                round(ev.overall.f1 * 1e4) / 1e4, "per_type", per));
        tr_report(t, "  dev %s: F1 %.4f (P %.3f R %.3f;%s)", d->path, ev.overall.f1,
                  ev.overall.precision, ev.overall.recall, kg_buf_str(&line));
        kg_buf_free(&line);
    }
    return sum / (double)t->ndev;
}

/* ---- confidence calibration ------------------------------------------------------ */

typedef struct points {
    float *x;
    uint8_t *y;
    size_t n, cap;
} points;

typedef struct calib_run {
    trainer *t;
    const kg_ner_model *m;
    kg_ner_doc *doc;
    points pt[NER_MAX_GROUPS];
    uint8_t groups;
} calib_run;

static void point_add(points *p, float x, int y)
{
    if (p->n == p->cap) { /* x sets the capacity, y follows it */
        p->x = kg_vec_grow(p->x, &p->cap, p->n + 1, sizeof *p->x);
        p->y = kg_xrealloc(p->y, p->cap * sizeof *p->y);
    }
    p->x[p->n] = x;
    p->y[p->n++] = (uint8_t)y;
}

/* Each predicted span of a dev sentence: its margin, and whether a gold
 * span of the same tokens and type exists. */
static int calib_sentence(void *arg, const kg_conll_sent *st, kg_err *err)
{
    (void)err;
    calib_run *cr = arg;
    if (st->doc_start)
        kg_ner_doc_reset(cr->doc);
    ner_ctx *c = ner_ctx_new(st->text, st->len);
    ner_spans sp = {NULL, 0, 0};
    ner_model_tag(cr->m, c, cr->doc, &sp);
    for (size_t k = 0; k < sp.n; k++) {
        unsigned g = ner_layout_group_of(&cr->t->lay, sp.v[k].type);
        if (!(cr->groups & (1u << g)))
            continue;
        int hit = 0;
        for (size_t q = 0; q < st->nspans && !hit; q++) {
            const kg_conll_span *gs = &st->spans[q];
            int mt = tr_model_type(&cr->t->lay, gs->label, gs->label_len);
            hit = mt == sp.v[k].type && c->tok[sp.v[k].ti].s == st->tstart[gs->start] &&
                  c->tok[sp.v[k].tj - 1].e == st->tend[gs->end - 1];
        }
        point_add(&cr->pt[g], sp.v[k].margin, hit);
    }
    free(sp.v);
    ner_ctx_free(c);
    return 0;
}

/* Logistic regression of y on x: Newton's method on the standardised
 * margins, from zero (where it is stable), with a little L2 so that a
 * separable set stays finite; then back to the raw scale. */
static void fit_logistic(const points *p, float out[2])
{
    double mu = 0, var = 0;
    for (size_t i = 0; i < p->n; i++)
        mu += p->x[i];
    mu /= (double)p->n;
    for (size_t i = 0; i < p->n; i++)
        var += (p->x[i] - mu) * (p->x[i] - mu);
    double sd = sqrt(var / (double)p->n);
    if (sd < 1e-9)
        return;
    double a = 0, b = 0;
    for (int it = 0; it < 50; it++) {
        double ga = 1e-2 * a, gb = 0, haa = 1e-2, hab = 0, hbb = 1e-6;
        for (size_t i = 0; i < p->n; i++) {
            double x = (p->x[i] - mu) / sd, q = 1 / (1 + exp(-(a * x + b)));
            double r = q - p->y[i], w = q * (1 - q);
            ga += r * x;
            gb += r;
            haa += w * x * x;
            hab += w * x;
            hbb += w;
        }
        double det = haa * hbb - hab * hab;
        if (det < 1e-12)
            break;
        double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if (fabs(da) + fabs(db) < 1e-9)
            break;
    }
    out[0] = (float)(a / sd);
    out[1] = (float)(b - a * mu / sd);
}

void tr_calibrate(trainer *t, const kg_ner_model *m)
{
    calib_run cr;
    memset(&cr, 0, sizeof cr);
    cr.t = t;
    cr.m = m;
    cr.doc = kg_ner_doc_new();
    for (size_t i = 0; i < t->ndev; i++) {
        cr.groups = t->dev[i].groups;
        kg_ner_doc_reset(cr.doc);
        kg_conll_parse(kg_buf_str(&t->dev[i].data), t->dev[i].data.len, t->dev[i].path,
                       calib_sentence, &cr, NULL);
    }
    for (unsigned g = 0; g < t->lay.ngroups; g++) {
        if (cr.pt[g].n >= 20)
            fit_logistic(&cr.pt[g], t->calib[g]);
        tr_report(t, "  confidence of group %u: 1/(1+exp(-(%.3f*margin%+.3f))), from %zu spans",
                  g + 1, t->calib[g][0], t->calib[g][1], cr.pt[g].n);
        free(cr.pt[g].x);
        free(cr.pt[g].y);
    }
    kg_ner_doc_free(cr.doc);
}
