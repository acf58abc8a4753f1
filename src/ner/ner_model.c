/* ner_model: the trained tagger: its layout (tag groups and types), its
 * file, the model built into the binary, and tagging a text with it.
 *
 * Two tag groups decoded side by side.  The training data annotate
 * different things: news, web, fiction and Wikipedia corpora mark people,
 * organisations and places but not methods or datasets; SciREX marks
 * methods, tasks, datasets and metrics but not the people it cites.  One
 * tag set over all of them would learn that every unmarked name is "O".
 * So each group has its own tags (its own "O") and its own Viterbi, and a
 * sentence trains only the groups its corpus annotates.  The groups share
 * the features and one weight table (a row holds every group's columns),
 * so the look-ups, the costly part, are paid once for both.
 *
 * File (ml/mfile, kind "ner"): "ner.conf" (versions, scheme, group sizes,
 * confidence calibration), "ner.types" (type names, one per line, group by
 * group), "ner.info" (the training record, JSON, for people), and the
 * weights "ner.w.*" (ml/linear). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "ner/ner_internal.h"

typedef struct ner_conf {
    uint32_t version, feat_version, scheme, ngroups;
    uint32_t group_types[NER_MAX_GROUPS];
    float calib[NER_MAX_GROUPS][2];
} ner_conf;
#define CONF_VERSION 1u

/* The model linked into the binary by src/ner/model.cmake (possibly empty). */
extern const unsigned char kg_ner_model_blob[];
extern const unsigned char kg_ner_model_blob_end[];

/* ---- layout --------------------------------------------------------------- */

int ner_layout_init(ner_layout *l, int scheme, const char *const *groups, unsigned ngroups,
                    kg_err *err)
{
    memset(l, 0, sizeof *l);
    l->scheme = scheme;
    if (ngroups == 0 || ngroups > NER_MAX_GROUPS)
        return kg_err_set(err, KG_EINVAL, "a NER model has 1 to %d tag groups, not %u",
                          NER_MAX_GROUPS, ngroups);
    for (unsigned g = 0; g < ngroups; g++) {
        ner_group *gr = &l->g[g];
        gr->type0 = l->ntypes;
        const char *p = groups[g];
        while (*p) {
            const char *q = p;
            while (*q && *q != ',')
                q++;
            if (q > p) {
                if (l->ntypes == NER_MAX_TYPES) {
                    ner_layout_free(l);
                    return kg_err_set(err, KG_EINVAL, "a NER model has at most %d types",
                                      NER_MAX_TYPES);
                }
                l->types[l->ntypes++] = kg_xstrndup(p, (size_t)(q - p));
                if (ner_layout_type(l, l->types[l->ntypes - 1]) != (int)l->ntypes - 1) {
                    kg_err_set(err, KG_EINVAL, "type %s is named twice", l->types[l->ntypes - 1]);
                    ner_layout_free(l);
                    return KG_EINVAL;
                }
            }
            p = *q ? q + 1 : q;
        }
        gr->n = l->ntypes - gr->type0;
        if (gr->n == 0) {
            ner_layout_free(l);
            return kg_err_set(err, KG_EINVAL, "tag group %u has no types", g + 1);
        }
        gr->tags = kg_tagset_new(scheme, (const char *const *)l->types + gr->type0, gr->n);
        if (!gr->tags) {
            ner_layout_free(l);
            return kg_err_set(err, KG_EINVAL, "tag group %u: unknown scheme or too many tags",
                              g + 1);
        }
        gr->off = l->ktotal;
        gr->k = kg_tagset_size(gr->tags);
        gr->calib_a = 1.0f;
        gr->calib_b = 0.0f;
        l->ktotal += gr->k;
        l->ngroups = g + 1;
    }
    if (l->ktotal > KG_ML_MAX_CLASSES) {
        ner_layout_free(l);
        return kg_err_set(err, KG_EINVAL, "too many tags (%u) for one model", l->ktotal);
    }
    return KG_OK;
}

void ner_layout_free(ner_layout *l)
{
    for (unsigned g = 0; g < NER_MAX_GROUPS; g++)
        kg_tagset_free(l->g[g].tags);
    for (unsigned t = 0; t < NER_MAX_TYPES; t++)
        free(l->types[t]);
    memset(l, 0, sizeof *l);
}

int ner_layout_type(const ner_layout *l, const char *name)
{
    for (unsigned t = 0; t < l->ntypes; t++)
        if (strcmp(l->types[t], name) == 0)
            return (int)t;
    return -1;
}

unsigned ner_layout_group_of(const ner_layout *l, unsigned type)
{
    for (unsigned g = 0; g < l->ngroups; g++)
        if (type >= l->g[g].type0 && type < l->g[g].type0 + l->g[g].n)
            return g;
    return 0;
}

/* ---- loading ---------------------------------------------------------------- */

static int load_layout(kg_ner_model *m, kg_err *err)
{
    const char *fn = m->name;
    const void *p;
    size_t n;
    int rc = kg_mfile_need(m->mf, "ner.conf", sizeof(ner_conf), 1, &p, &n, err);
    if (rc)
        return rc;
    ner_conf cf;
    memcpy(&cf, p, sizeof cf);
    if (cf.version != CONF_VERSION)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: NER settings of version %u, this kgas reads %u", fn,
                          cf.version, CONF_VERSION);
    if (cf.feat_version != NER_FEAT_VERSION)
        return kg_err_set(err, KG_EFORMAT,
                          "model file %s: trained on features of version %u, this kgas computes "
                          "version %u: retrain it with `kgas train ner`",
                          fn, cf.feat_version, NER_FEAT_VERSION);
    if (cf.ngroups == 0 || cf.ngroups > NER_MAX_GROUPS)
        return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt NER settings (%u groups)", fn,
                          cf.ngroups);
    size_t tl;
    const char *tx = kg_mfile_get(m->mf, "ner.types", &tl);
    if (!tx)
        return kg_err_set(err, KG_EFORMAT, "model file %s: has no section 'ner.types'", fn);
    /* Lines of type names -> one comma list per group. */
    kg_buf grp[NER_MAX_GROUPS] = {KG_BUF_INIT, KG_BUF_INIT, KG_BUF_INIT, KG_BUF_INIT};
    unsigned g = 0, in_g = 0, bad = 0;
    for (size_t i = 0; i < tl && !bad;) {
        size_t j = i;
        while (j < tl && tx[j] != '\n')
            j++;
        if (j == i || j - i > 32 || g >= cf.ngroups)
            bad = 1;
        else {
            if (grp[g].len)
                kg_buf_putc(&grp[g], ',');
            kg_buf_append(&grp[g], tx + i, j - i);
            if (++in_g == cf.group_types[g]) {
                g++;
                in_g = 0;
            }
        }
        i = j + 1;
    }
    const char *lists[NER_MAX_GROUPS];
    for (unsigned k = 0; k < NER_MAX_GROUPS; k++)
        lists[k] = kg_buf_str(&grp[k]);
    if (!bad && (g != cf.ngroups || in_g != 0))
        bad = 1;
    if (!bad && ner_layout_init(&m->lay, (int)cf.scheme, lists, cf.ngroups, err) != KG_OK)
        bad = 2;
    for (unsigned k = 0; k < NER_MAX_GROUPS; k++)
        kg_buf_free(&grp[k]);
    if (bad == 2)
        return kg_err_prefix(err, "model file %s: corrupt NER types", fn);
    if (bad)
        return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt section 'ner.types'", fn);
    for (unsigned k = 0; k < cf.ngroups; k++) {
        if (!isfinite(cf.calib[k][0]) || !isfinite(cf.calib[k][1]))
            return kg_err_set(err, KG_EFORMAT, "model file %s: corrupt confidence calibration", fn);
        m->lay.g[k].calib_a = cf.calib[k][0];
        m->lay.g[k].calib_b = cf.calib[k][1];
    }
    return KG_OK;
}

static int model_open(kg_ner_model *m, kg_err *err)
{
    int rc = load_layout(m, err);
    if (!rc)
        rc = kg_wclust_load(m->mf, NER_CLASSES, &m->cl, err);
    if (!rc)
        rc = kg_linear_load(m->mf, "ner.w", &m->w, err);
    if (!rc && kg_linear_classes(m->w) != m->lay.ktotal)
        rc = kg_err_set(err, KG_EFORMAT, "model file %s: weights for %u tags, types for %u",
                        m->name, kg_linear_classes(m->w), m->lay.ktotal);
    if (rc)
        return rc;
    size_t il;
    const char *info = kg_mfile_get(m->mf, "ner.info", &il);
    m->info = info ? kg_xstrndup(info, il) : kg_xstrdup("");
    /* Each group's tag-bigram scores, read once into a table the plan
     * copies what it needs from: decoding reads only the plan. */
    float *row = kg_xmalloc(m->lay.ktotal * sizeof *row);
    for (unsigned g = 0; g < m->lay.ngroups; g++) {
        const ner_group *gr = &m->lay.g[g];
        float *trans = kg_xmalloc((size_t)(gr->k + 1) * gr->k * sizeof *trans);
        for (unsigned p = 0; p <= gr->k; p++) {
            kg_linear_row(m->w, ner_trans_feature(g, p), row);
            memcpy(trans + (size_t)p * gr->k, row + gr->off, gr->k * sizeof *row);
        }
        kg_viterbi_plan_init(&m->plan[g], gr->k, trans, kg_tagset_allowed_matrix(gr->tags));
        free(trans);
    }
    free(row);
    return KG_OK;
}

static int finish(kg_ner_model *m, kg_ner_model **out, kg_err *err)
{
    int rc = model_open(m, err);
    if (rc) {
        kg_ner_model_free(m);
        return rc;
    }
    *out = m;
    return KG_OK;
}

int kg_ner_model_load(const char *path, kg_ner_model **out, kg_err *err)
{
    *out = NULL;
    kg_ner_model *m = kg_xcalloc(1, sizeof *m);
    m->name = kg_xstrdup(path);
    int rc = kg_mfile_open(path, "ner", &m->mf, err);
    if (rc) {
        kg_ner_model_free(m);
        return rc;
    }
    return finish(m, out, err);
}

static int from_memory(const void *data, size_t len, const char *name, int builtin,
                       kg_ner_model **out, kg_err *err)
{
    *out = NULL;
    kg_ner_model *m = kg_xcalloc(1, sizeof *m);
    m->name = kg_xstrdup(name);
    int rc = builtin ? kg_mfile_open_builtin(data, len, name, "ner", &m->mf, err)
                     : kg_mfile_open_mem(data, len, name, "ner", &m->mf, err);
    if (rc) {
        kg_ner_model_free(m);
        return rc;
    }
    return finish(m, out, err);
}

int kg_ner_model_from_memory(const void *data, size_t len, const char *name, kg_ner_model **out,
                             kg_err *err)
{
    return from_memory(data, len, name, 0, out, err);
}

void kg_ner_model_free(kg_ner_model *m)
{
    if (!m)
        return;
    for (unsigned g = 0; g < NER_MAX_GROUPS; g++) {
        kg_viterbi_plan_free(&m->plan[g]);
    }
    kg_linear_free(m->w);
    kg_mfile_close(m->mf);
    ner_layout_free(&m->lay);
    free(m->name);
    free(m->info);
    free(m);
}

const char *kg_ner_model_name(const kg_ner_model *m)
{
    return m->name;
}

const char *kg_ner_model_info(const kg_ner_model *m)
{
    return m->info ? m->info : "";
}

const char *const *kg_ner_model_types(const kg_ner_model *m)
{
    return (const char *const *)m->lay.types;
}

static pthread_once_t g_default_once = PTHREAD_ONCE_INIT;
static kg_ner_model *g_default;
static kg_err g_default_err;

static void load_default(void)
{
    /* Two symbols of one section: their addresses, not pointer arithmetic. */
    size_t n = (size_t)((uintptr_t)kg_ner_model_blob_end - (uintptr_t)kg_ner_model_blob);
    if (n == 0) {
        kg_err_set(&g_default_err, KG_ENOTFOUND,
                   "no NER model was built into this kgas (models/ner.kgm was missing when it "
                   "was built): run `make model` and rebuild, or give one with --model FILE");
        return;
    }
    /* Part of the executable: not checksummed per process (ml/mfile.h). */
    from_memory(kg_ner_model_blob, n, "models/ner.kgm (built into kgas)", 1, &g_default,
                &g_default_err);
}

int kg_ner_model_default(const kg_ner_model **out, kg_err *err)
{
    pthread_once(&g_default_once, load_default);
    *out = g_default;
    if (g_default)
        return KG_OK;
    if (err)
        *err = g_default_err;
    return g_default_err.code ? g_default_err.code : KG_EFORMAT;
}

void ner_model_write(kg_mfile_writer *w, const ner_layout *l, const float calib[][2],
                     const kg_linear *lin, const kg_mfile *classes, const char *info)
{
    ner_conf cf;
    memset(&cf, 0, sizeof cf);
    cf.version = CONF_VERSION;
    cf.feat_version = NER_FEAT_VERSION;
    cf.scheme = (uint32_t)l->scheme;
    cf.ngroups = l->ngroups;
    for (unsigned g = 0; g < l->ngroups; g++) {
        cf.group_types[g] = l->g[g].n;
        cf.calib[g][0] = calib[g][0];
        cf.calib[g][1] = calib[g][1];
    }
    kg_mfile_put(w, "ner.conf", &cf, sizeof cf);
    kg_buf types = KG_BUF_INIT;
    for (unsigned t = 0; t < l->ntypes; t++)
        kg_buf_printf(&types, "%s\n", l->types[t]);
    kg_mfile_put(w, "ner.types", types.data, types.len);
    kg_buf_free(&types);
    kg_mfile_put_str(w, "ner.info", info ? info : "");
    kg_linear_save(lin, w, "ner.w");
    size_t cl;
    const void *cp = classes ? kg_mfile_get(classes, NER_CLASSES, &cl) : NULL;
    if (cp)
        kg_mfile_put(w, NER_CLASSES, cp, cl);
}

/* ---- tagging ------------------------------------------------------------------ */

void ner_spans_push(ner_spans *s, const ner_span *sp)
{
    kg_vec_push(s, *sp);
}

void ner_work_reserve(ner_work *w, size_t ntok, unsigned ktotal)
{
    if (ntok <= w->cap && w->f)
        return;
    size_t cap = ntok < 128 ? 128 : ntok;
    w->f = kg_xrealloc(w->f, cap * NER_MAXF * sizeof *w->f);
    w->nf = kg_xrealloc(w->nf, cap);
    w->nw = kg_xrealloc(w->nw, cap);
    w->from = kg_xrealloc(w->from, cap);
    w->tmp = kg_xrealloc(w->tmp, cap);
    w->em = kg_xrealloc(w->em, cap * ktotal * sizeof *w->em);
    w->eg = kg_xrealloc(w->eg, cap * ktotal * sizeof *w->eg);
    w->path = kg_xrealloc(w->path, cap * sizeof *w->path);
    w->ts = kg_xrealloc(w->ts, cap * sizeof *w->ts);
    w->cap = cap;
}

void ner_work_free(ner_work *w)
{
    free(w->f);
    free(w->nf);
    free(w->nw);
    free(w->from);
    free(w->tmp);
    free(w->em);
    free(w->eg);
    free(w->path);
    free(w->ts);
    kg_viterbi_ws_free(&w->vw);
    memset(w, 0, sizeof *w);
}

/* How much better the chosen tag is than the best tag of another type (or
 * O), averaged over the span: the raw material of the confidence. */
static float span_margin(const kg_tagset *ts, unsigned K, const float *eg, const uint16_t *path,
                         const kg_tspan *sp)
{
    float sum = 0;
    for (uint32_t t = sp->start; t < sp->end; t++) {
        const float *e = eg + (size_t)t * K;
        float other = -INFINITY;
        for (unsigned y = 0; y < K; y++)
            if (kg_tagset_type(ts, y) != sp->type && e[y] > other)
                other = e[y];
        sum += e[path[t]] - other;
    }
    return sum / (float)(sp->end - sp->start);
}

void ner_decode_group(const ner_layout *l, unsigned g, const kg_viterbi_plan *plan, size_t T,
                      size_t base, ner_work *w, ner_spans *out)
{
    const ner_group *gr = &l->g[g];
    const unsigned K = gr->k;
    for (size_t t = 0; t < T; t++)
        memcpy(w->eg + t * K, w->em + t * l->ktotal + gr->off, K * sizeof *w->eg);
    /* The span schemes always have a legal path (all O), which finite
     * scores find; should a score not be finite, nothing is found. */
    if (kg_viterbi_planned(plan, T, w->eg, NULL, w->path, &w->vw) == -INFINITY) {
        memset(w->path, 0, T * sizeof *w->path);
        return;
    }
    size_t n = kg_tagset_decode(gr->tags, w->path, T, w->ts, w->cap);
    for (size_t k = 0; k < n; k++) {
        float mg = span_margin(gr->tags, K, w->eg, w->path, &w->ts[k]);
        ner_span sp = {(uint32_t)(base + w->ts[k].start), (uint32_t)(base + w->ts[k].end),
                       (uint16_t)(gr->type0 + w->ts[k].type),
                       1.0f / (1.0f + expf(-(gr->calib_a * mg + gr->calib_b))), mg};
        ner_spans_push(out, &sp);
    }
}

void ner_model_tag(const kg_ner_model *m, const ner_ctx *c, kg_ner_doc *doc, ner_spans *out)
{
    size_t nseg = ner_segments(c, NULL, 0);
    uint32_t *seg = kg_xmalloc((nseg ? nseg : 1) * 2 * sizeof *seg);
    ner_segments(c, seg, nseg);
    ner_work w;
    memset(&w, 0, sizeof w);
    const unsigned K = m->lay.ktotal;
    for (size_t s = 0; s < nseg; s++) {
        size_t a = seg[2 * s], b = seg[2 * s + 1], T = b - a;
        ner_work_reserve(&w, T, K);
        ner_features(c, a, b, doc, &m->cl, w.f, w.nf, w.nw);
        memset(w.em, 0, T * K * sizeof *w.em);
        if (doc)
            ner_wcache_score(&doc->wc, m->w, w.f, w.nw, T, w.em, w.from, w.tmp);
        kg_linear_score_many(m->w, w.f, NER_MAXF, doc ? w.from : NULL, w.nf, T, w.em);
        size_t before = out->n;
        for (unsigned g = 0; g < m->lay.ngroups; g++)
            ner_decode_group(&m->lay, g, &m->plan[g], T, a, &w, out);
        if (doc) {
            ner_doc_words(doc, c, a, b);
            if (out->n > before)
                ner_doc_spans(doc, c, out->v + before, out->n - before,
                              ner_layout_type(&m->lay, "PERSON"));
        }
    }
    ner_work_free(&w);
    free(seg);
}
