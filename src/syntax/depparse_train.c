/* depparse_train: training and evaluation of the parser (see depparse.h):
 * jackknifed tags, the arc-eager dynamic oracle, exploration. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "ml/rng.h"
#include "syntax/depparse.h"
#include "syntax/depparse_internal.h"

#define EXPLORE_P 0.9

/* ---- the dynamic oracle (Goldberg & Nivre 2012) -------------------------------------- */

/* Gold arcs that transition tr would make unreachable.  g[i] is the gold
 * head of word i (n = root); ins[i] marks words on the stack. */
static int cost(const pstate *p, const int *g, const bool *ins, int tr)
{
    int n = p->n, s0 = p->sp ? p->stack[p->sp - 1] : -1, b = p->b, c = 0;
    switch (tr) {
    case TR_LEFT:
        for (int d = b; d < n; d++)
            c += g[d] == s0;
        c += g[s0] > b; /* its head lies further in the buffer (or is the root) */
        return c;
    case TR_REDUCE:
        for (int d = b; d < n; d++)
            c += g[d] == s0;
        return c;
    case TR_RIGHT:
        c += g[b] != s0 && (g[b] > b || (g[b] < n && ins[g[b]]));
        for (int k = 0; k < p->sp; k++)
            c += g[p->stack[k]] == b && p->head[p->stack[k]] == NO_HEAD;
        return c;
    case TR_SHIFT:
        c += g[b] < n && ins[g[b]];
        for (int k = 0; k < p->sp; k++)
            c += g[p->stack[k]] == b && p->head[p->stack[k]] == NO_HEAD;
        return c;
    }
    return 0;
}

typedef struct trainer {
    kg_perc *arc, *lab;
    kg_fset arc_used, lab_used;
    kg_rng rng;
    bool explore;
    size_t errors, steps;
} trainer;

/* One sentence (tags already set in s, gold heads and labels in ts). */
static void train_sentence(trainer *t, kg_words *s, const kg_tb_sent *ts)
{
    int n = s->n;
    int *g = kg_xmalloc((size_t)(n + 1) * sizeof *g);
    bool *ins = kg_xcalloc((size_t)n + 1, sizeof *ins);
    for (int i = 0; i < n; i++)
        g[i] = ts->w[i].head < 0 ? n : ts->w[i].head;
    pstate p;
    ps_init(&p, s);
    uint64_t f[ARC_NFEAT], lf[LAB_NFEAT];
    float scratch[LAB_K];
    pscorer cur = {NULL, NULL, t->arc, t->lab, false};
    while (!ps_terminal(&p)) {
        float v[TR_COUNT] = {0};
        size_t nf = ps_arc_features(&p, f);
        kg_fset_add(&t->arc_used, f, nf);
        kg_perc_score(t->arc, f, nf, v);
        int c[TR_COUNT], minc = 1 << 30;
        for (int tr = 0; tr < TR_COUNT; tr++) {
            c[tr] = ps_legal(&p, tr) ? cost(&p, g, ins, tr) : 1 << 30;
            if (c[tr] < minc)
                minc = c[tr];
        }
        int pred = ps_best_legal(&p, v), gold = -1;
        for (int tr = 0; tr < TR_COUNT; tr++)
            if (c[tr] == minc && (gold < 0 || v[tr] > v[gold]))
                gold = tr;
        if (c[pred] > minc) {
            kg_perc_update(t->arc, f, nf, (unsigned)gold, 1.0f);
            kg_perc_update(t->arc, f, nf, (unsigned)pred, -1.0f);
            t->errors++;
        }
        kg_perc_tick(t->arc);
        t->steps++;
        int next = t->explore && kg_rng_unit(&t->rng) < EXPLORE_P ? pred : gold;
        int lab = 0;
        if (next == TR_LEFT || next == TR_RIGHT) {
            int h, d;
            ps_arc(&p, next, &h, &d);
            if (h == p.n) {
                lab = KG_D_ROOT;
            } else if (g[d] == h) {
                lab = ts->w[d].dep ? ts->w[d].dep : KG_D_DEP;
                size_t nl = ps_lab_features(&p, h, d, lf);
                kg_fset_add(&t->lab_used, lf, nl);
                kg_perc_learn(t->lab, lf, nl, (unsigned)(lab - 1), scratch);
            } else {
                lab = ps_predict_label(&cur, &p, h, d);
            }
        }
        if (next == TR_SHIFT || next == TR_RIGHT)
            ins[p.b] = true;
        if (next == TR_LEFT || next == TR_REDUCE)
            ins[p.stack[p.sp - 1]] = false;
        ps_apply(&p, next, lab);
    }
    ps_free(&p);
    free(g);
    free(ins);
}

/* ---- jackknifed tags ------------------------------------------------------------------ */

/* A treebank holding the sentences of tb whose index i satisfies
 * (i % folds == fold) == inside; shares tb's words. */
static kg_treebank fold_view(const kg_treebank *tb, int folds, int fold, bool inside)
{
    kg_treebank v;
    memset(&v, 0, sizeof v);
    v.sents = kg_xmalloc((tb->nsents + 1) * sizeof *v.sents);
    for (size_t i = 0; i < tb->nsents; i++)
        if (((int)(i % (size_t)folds) == fold) == inside) {
            v.sents[v.nsents++] = tb->sents[i];
            v.nwords += (size_t)tb->sents[i].n;
        }
    v.words = tb->words;
    return v;
}

/* tags[word index in tb->words] from taggers trained on the other folds. */
static int jackknife(const kg_treebank *tb, int folds, const kg_postag_train_opts *topts,
                     uint8_t *tags, kg_buf *log, kg_err *err)
{
    kg_words s = KG_WORDS_INIT;
    for (int fold = 0; fold < folds; fold++) {
        kg_treebank rest = fold_view(tb, folds, fold, false);
        kg_treebank mine = fold_view(tb, folds, fold, true);
        kg_postag_train_opts o = topts ? *topts : (kg_postag_train_opts){0};
        o.log = NULL;
        kg_mfile_writer *w = kg_mfile_writer_new("pos");
        int rc = kg_postag_train(&rest, NULL, &o, w, err);
        unsigned char *bytes = NULL;
        size_t len = 0;
        kg_mfile *mf = NULL;
        kg_postag *tagger = NULL;
        if (!rc) {
            kg_mfile_bytes(w, &bytes, &len);
            rc = kg_mfile_open_mem(bytes, len, "(fold tagger)", "pos", &mf, err);
        }
        if (!rc)
            rc = kg_postag_load(mf, &tagger, err);
        if (!rc) {
            kg_postag_eval ev;
            kg_postag_evaluate(tagger, &mine, &ev);
            if (log)
                kg_buf_printf(log, "jackknife fold %d/%d: tag accuracy %.4f on %zu words\n",
                              fold + 1, folds, ev.accuracy, ev.words);
            for (size_t i = 0; i < mine.nsents; i++) {
                kg_words_from_tb(&s, &mine.sents[i]);
                kg_postag_run(tagger, &s);
                size_t base = (size_t)(mine.sents[i].w - tb->words);
                for (int j = 0; j < s.n; j++)
                    tags[base + (size_t)j] = s.w[j].tag;
            }
        }
        kg_postag_free(tagger);
        kg_mfile_close(mf);
        free(bytes);
        kg_mfile_writer_free(w);
        free(rest.sents);
        free(mine.sents);
        if (rc) {
            kg_words_free(&s);
            return rc;
        }
    }
    kg_words_free(&s);
    return KG_OK;
}

/* ---- scoring ---------------------------------------------------------------------------- */

static void attachment(const pscorer *sc, const kg_postag *tagger, const kg_treebank *tb,
                       kg_depparse_eval *out)
{
    memset(out, 0, sizeof *out);
    kg_words s = KG_WORDS_INIT;
    size_t uh = 0, lh = 0, n = 0, parsed = 0;
    double secs = 0;
    for (size_t i = 0; i < tb->nsents; i++) {
        const kg_tb_sent *ts = &tb->sents[i];
        if (ts->n > KG_PARSE_MAX_WORDS)
            continue;
        kg_words_from_tb(&s, ts);
        if (tagger)
            kg_postag_run(tagger, &s);
        double t0 = kg_now();
        ps_parse(sc, &s);
        secs += kg_now() - t0;
        parsed += (size_t)s.n;
        for (int j = 0; j < s.n; j++) {
            if (ts->w[j].dep == KG_D_PUNCT)
                continue;
            n++;
            if (s.w[j].head == ts->w[j].head) {
                uh++;
                lh += s.w[j].dep == ts->w[j].dep;
            }
        }
    }
    kg_words_free(&s);
    out->words = n;
    out->uas = n ? (double)uh / (double)n : 0;
    out->las = n ? (double)lh / (double)n : 0;
    out->words_per_second = secs > 0 ? (double)parsed / secs : 0;
}

/* ---- training ------------------------------------------------------------------------------ */

static void one_epoch(trainer *t, const kg_treebank *tb, const uint8_t *tags, const uint32_t *order)
{
    kg_words s = KG_WORDS_INIT;
    for (size_t o = 0; o < tb->nsents; o++) {
        const kg_tb_sent *ts = &tb->sents[order[o]];
        if (ts->n == 0 || ts->n > KG_PARSE_MAX_WORDS)
            continue;
        kg_words_from_tb(&s, ts);
        if (tags) {
            size_t base = (size_t)(ts->w - tb->words);
            for (int j = 0; j < s.n; j++)
                s.w[j].tag = tags[base + (size_t)j];
        }
        train_sentence(t, &s, ts);
    }
    kg_words_free(&s);
}

int kg_depparse_train(const kg_treebank *train, const kg_treebank *dev,
                      const kg_depparse_train_opts *opts, kg_mfile_writer *w, kg_err *err)
{
    if (!train || train->nsents == 0)
        return kg_err_set(err, KG_EINVAL, "train parse: no training sentences");
    kg_depparse_train_opts o = opts ? *opts : (kg_depparse_train_opts){0};
    int epochs = o.epochs > 0 ? o.epochs : 12;
    int folds = opts ? o.folds : 4;
    uint8_t *tags = NULL;
    if (folds >= 2) {
        tags = kg_xmalloc(train->nwords + 1);
        int rc = jackknife(train, folds, o.tagger, tags, o.log, err);
        if (o.log && o.flush)
            o.flush(o.log);
        if (rc) {
            free(tags);
            return rc;
        }
    }
    trainer t;
    memset(&t, 0, sizeof t);
    t.arc = kg_perc_new(TR_COUNT);
    t.lab = kg_perc_new(LAB_K);
    kg_rng_seed(&t.rng, o.seed);
    uint32_t *order = kg_xmalloc(train->nsents * sizeof *order);
    for (int e = 1; e <= epochs; e++) {
        kg_rng_permutation(&t.rng, order, train->nsents);
        t.explore = e > 1;
        t.errors = t.steps = 0;
        double t0 = kg_now();
        one_epoch(&t, train, tags, order);
        if (o.log) {
            kg_buf_printf(o.log, "epoch %d: %zu + %zu features, %.1f%% wrong moves, %.1f s", e,
                          kg_perc_features(t.arc), kg_perc_features(t.lab),
                          t.steps ? 100.0 * (double)t.errors / (double)t.steps : 0.0,
                          kg_now() - t0);
            if (dev) {
                pscorer sc = {NULL, NULL, t.arc, t.lab, true};
                kg_depparse_eval ev;
                attachment(&sc, o.dev_tagger, dev, &ev);
                kg_buf_printf(o.log, ", dev UAS %.4f LAS %.4f", ev.uas, ev.las);
            }
            kg_buf_putc(o.log, '\n');
            if (o.flush)
                o.flush(o.log);
        }
    }
    float mw = o.min_weight > 0 ? o.min_weight : 0.05f;
    kg_linear_opts ao = {mw, o.max_rows_arc}, lo = {mw, o.max_rows_lab};
    kg_ftab *arc = kg_ftab_build(t.arc, t.arc_used.keys, t.arc_used.cap, &ao);
    kg_ftab *lab = kg_ftab_build(t.lab, t.lab_used.keys, t.lab_used.cap, &lo);
    kg_fset_free(&t.arc_used);
    kg_fset_free(&t.lab_used);
    kg_ftab_save(arc, w, "arc");
    kg_ftab_save(lab, w, "lab");
    kg_buf names = KG_BUF_INIT;
    kg_depparse_label_names(&names);
    kg_mfile_put_str(w, "parse.labels", names.data);
    kg_mfile_put_str(w, "parse.features", PARSE_FEATURES);
    kg_buf_free(&names);
    if (o.log)
        kg_buf_printf(o.log, "model: %zu of %zu transition features, %zu of %zu label features\n",
                      kg_ftab_rows(arc), kg_perc_features(t.arc), kg_ftab_rows(lab),
                      kg_perc_features(t.lab));
    kg_ftab_free(arc);
    kg_ftab_free(lab);
    kg_perc_free(t.arc);
    kg_perc_free(t.lab);
    free(order);
    free(tags);
    return KG_OK;
}

void kg_depparse_evaluate(const kg_depparse *m, const kg_postag *tagger, const kg_treebank *tb,
                          kg_depparse_eval *out)
{
    pscorer sc = {m->arc, m->lab, NULL, NULL, true};
    attachment(&sc, tagger, tb, out);
}
