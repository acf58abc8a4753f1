/* ner_train: reading the training data, counting features, and the run
 * (see ner_train.h); the epochs themselves are in ner_learn.c. */
#include "ner/ner_train.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/hash.h"
#include "base/vec.h"
#include "ner/conll.h"
#include "ner/ner_train_internal.h"

static const char *const DEFAULT_GROUPS[] = {
    "PERSON,ORG,LOC,MISC",
    "METHOD,TASK,DATASET,METRIC,SOFTWARE,VENUE",
};

void kg_ner_train_defaults(kg_ner_train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->groups = DEFAULT_GROUPS;
    o->ngroups = 2;
    o->scheme = KG_TAGS_BIO;
    o->epochs = 12;
    o->seed = 1;
    o->min_count = 2;
    o->min_weight = 0.0f;
    o->class_coarse = 64;
    o->class_fine = 16;
}

void tr_report(const trainer *t, const char *fmt, ...)
{
    if (!t->o->report)
        return;
    kg_buf b = KG_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    kg_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    t->o->report(t->o->report_arg, kg_buf_str(&b));
    kg_buf_free(&b);
}

/* ---- labels -> model types ----------------------------------------------------- */

int tr_model_type(const ner_layout *l, const char *label, size_t n)
{
    static const char *const coarse[][2] = {
        {"GPE", "LOC"},      {"FAC", "LOC"},          {"NORP", "MISC"},     {"EVENT", "MISC"},
        {"PRODUCT", "MISC"}, {"WORK_OF_ART", "MISC"}, {"LANGUAGE", "MISC"}, {"LAW", "MISC"},
    };
    char buf[64];
    const char *t = kg_conll_canon_type(label, n, buf, sizeof buf);
    int k = ner_layout_type(l, t);
    for (size_t i = 0; k < 0 && i < sizeof coarse / sizeof coarse[0]; i++)
        if (strcmp(t, coarse[i][0]) == 0)
            k = ner_layout_type(l, coarse[i][1]);
    return k;
}

/* ---- reading files ------------------------------------------------------------------ */

typedef struct file_read {
    trainer *t;
    int whole_doc, has_docstart;
    size_t first, sentences, tokens, spans, unmodelled;
    uint8_t groups;
    uint32_t types;  /* bit t: the file has entities of model type t */
    json_t *unknown; /* label -> count */
} file_read;

static void set_push_sent(tr_set *s, const tr_sent *v)
{
    kg_vec_room(s->s, s->ns, s->caps);
    s->s[s->ns++] = *v;
}

static void set_push_doc(tr_set *s, uint32_t first)
{
    kg_vec_room(s->doc, s->ndoc + 1, s->capd); /* and one spare for the end mark */
    s->doc[s->ndoc++] = first;
}

static int read_sentence(void *arg, const kg_conll_sent *st, kg_err *err)
{
    (void)err;
    file_read *fr = arg;
    tr_set *s = &fr->t->set;
    int new_doc = fr->has_docstart ? st->doc_start : (!fr->whole_doc || st->doc_start);
    if (new_doc || s->ndoc == 0)
        set_push_doc(s, (uint32_t)s->ns);
    tr_sent v = {s->text.len, s->nsp, (uint32_t)st->len, 0, 0};
    kg_buf_append(&s->text, st->text, st->len);
    kg_buf_putc(&s->text, 0);
    for (size_t k = 0; k < st->nspans; k++) {
        const kg_conll_span *g = &st->spans[k];
        int mt = tr_model_type(&fr->t->lay, g->label, g->label_len);
        if (mt < 0) {
            char lab[64];
            snprintf(lab, sizeof lab, "%.*s", (int)(g->label_len < 60 ? g->label_len : 60),
                     g->label);
            json_t *c = json_object_get(fr->unknown, lab);
            json_object_set_new(fr->unknown, lab, json_integer(c ? json_integer_value(c) + 1 : 1));
            fr->unmodelled++;
            continue;
        }
        kg_vec_room(s->sp, s->nsp, s->capsp);
        s->sp[s->nsp++] = (tr_span){(uint32_t)st->tstart[g->start], (uint32_t)st->tend[g->end - 1],
                                    (uint16_t)mt};
        v.nspans++;
        fr->groups |= (uint8_t)(1u << ner_layout_group_of(&fr->t->lay, (unsigned)mt));
        fr->types |= 1u << mt;
    }
    set_push_sent(s, &v);
    fr->sentences++;
    fr->tokens += st->ntok;
    fr->spans += v.nspans;
    return 0;
}

void tr_sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, p, n);
    for (size_t i = 0; i < sizeof d; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

const char *tr_base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The types of groups in mask, as a --types list. */
static void group_types(const ner_layout *l, uint8_t mask, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (unsigned t = 0; t < l->ntypes; t++)
        if (mask & (1u << ner_layout_group_of(l, t)))
            n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? "," : "",
                                  l->types[t]);
}

static json_t *file_record(const kg_ner_train_file *f, const kg_buf *data, const file_read *fr,
                           const ner_layout *l)
{
    char sha[65], types[256];
    tr_sha256_hex(data->data ? data->data : "", data->len, sha);
    group_types(l, fr->groups, types, sizeof types);
    return json_pack("{s:s,s:s,s:b,s:I,s:I,s:I,s:s,s:O}", "file", tr_base_name(f->path), "sha256",
                     sha, "running_text", f->whole_doc, "sentences", (json_int_t)fr->sentences,
                     "tokens", (json_int_t)fr->tokens, "entities", (json_int_t)fr->spans, "trains",
                     types, "read_as_O", fr->unknown);
}

static int read_train(trainer *t, const kg_ner_train_file *f, json_t *rec, kg_err *err)
{
    kg_buf data = KG_BUF_INIT;
    int rc = kg_conll_read_file(f->path, &data, err);
    if (rc) {
        kg_buf_free(&data);
        return kg_err_prefix(err, "training file");
    }
    file_read fr = {t, f->whole_doc, 0, t->set.ns, 0, 0, 0, 0, 0, 0, json_object()};
    fr.has_docstart = strstr(kg_buf_str(&data), "-DOCSTART-") != NULL;
    rc = kg_conll_parse(kg_buf_str(&data), data.len, f->path, read_sentence, &fr, err);
    if (!rc && fr.groups == 0)
        rc = kg_err_set(err, KG_EINVAL,
                        "training file %s: none of its labels is a type of the model (%zu "
                        "entities read as O)",
                        f->path, fr.unmodelled);
    if (!rc) {
        for (size_t i = fr.first; i < t->set.ns; i++)
            t->set.s[i].groups = fr.groups;
        t->set.tokens += fr.tokens;
        json_array_append_new(rec, file_record(f, &data, &fr, &t->lay));
        tr_report(t, "read %s: %zu sentences, %zu tokens, %zu entities, %zu read as O", f->path,
                  fr.sentences, fr.tokens, fr.spans, fr.unmodelled);
    }
    json_decref(fr.unknown);
    kg_buf_free(&data);
    return rc;
}

/* Dev files are scored through the evaluator, so they are kept as bytes;
 * reading them once here checks them and finds the types they hold. */
static int read_dev(trainer *t, const kg_ner_train_file *f, json_t *rec, kg_err *err)
{
    if (!t->dev)
        return kg_err_set(err, KG_EINVAL, "dev file %s: the trainer is not set up", f->path);
    tr_dev *d = &t->dev[t->ndev];
    memset(d, 0, sizeof *d);
    int rc = kg_conll_read_file(f->path, &d->data, err);
    if (rc) {
        kg_buf_free(&d->data);
        return kg_err_prefix(err, "dev file");
    }
    d->path = kg_xstrdup(f->path);
    t->ndev++;
    tr_set keep = t->set;
    memset(&t->set, 0, sizeof t->set);
    file_read fr = {t, 0, 0, 0, 0, 0, 0, 0, 0, 0, json_object()};
    rc = kg_conll_parse(kg_buf_str(&d->data), d->data.len, f->path, read_sentence, &fr, err);
    kg_buf_free(&t->set.text);
    free(t->set.s);
    free(t->set.sp);
    free(t->set.doc);
    t->set = keep;
    if (!rc && fr.groups == 0)
        rc = kg_err_set(err, KG_EINVAL, "dev file %s: none of its labels is a type of the model",
                        f->path);
    if (!rc) {
        d->groups = fr.groups;
        /* Scored on the types it has: a dev file of SciREX, which has no
         * SOFTWARE, is not charged for the SOFTWARE the model finds. */
        size_t n = 0;
        for (unsigned k = 0; k < t->lay.ntypes; k++)
            if (fr.types & (1u << k))
                n += (size_t)snprintf(d->types + n, n < sizeof d->types ? sizeof d->types - n : 0,
                                      "%s%s", n ? "," : "", t->lay.types[k]);
        json_array_append_new(rec, file_record(f, &d->data, &fr, &t->lay));
    }
    json_decref(fr.unknown);
    return rc;
}

/* ---- gold spans on the scanner's tokens ----------------------------------------------- */

size_t tr_gold_spans(const trainer *t, size_t si, const ner_ctx *c, unsigned g, size_t a, size_t b,
                     kg_tspan *out, size_t cap)
{
    const tr_sent *s = &t->set.s[si];
    const ner_group *gr = &t->lay.g[g];
    size_t n = 0;
    for (uint32_t k = 0; k < s->nspans; k++) {
        const tr_span *sp = &t->set.sp[s->span_off + k];
        if (sp->type < gr->type0 || sp->type >= gr->type0 + gr->n)
            continue;
        size_t i = a, j;
        while (i < b && c->tok[i].s < sp->s)
            i++;
        j = i;
        while (j < b && c->tok[j].e <= sp->e)
            j++;
        if (j > i && n < cap)
            out[n++] = (kg_tspan){(uint32_t)(i - a), (uint32_t)(j - a), sp->type - gr->type0};
    }
    return n;
}

/* ---- feature counting ------------------------------------------------------------------ */

typedef struct counts {
    uint64_t *keys;
    uint8_t *n;
    size_t cap, used;
} counts;

static void count_add(counts *ct, uint64_t f)
{
    uint64_t k = f ? f : 1;
    if ((ct->used + 1) * 10 > ct->cap * 7) {
        size_t ncap = ct->cap ? ct->cap * 2 : (1u << 20);
        uint64_t *nk = kg_xcalloc(ncap, sizeof *nk);
        uint8_t *nn = kg_xcalloc(ncap, 1);
        for (size_t i = 0; i < ct->cap; i++) {
            if (!ct->keys[i])
                continue;
            size_t j = (size_t)(ct->keys[i] ^ (ct->keys[i] >> 29)) & (ncap - 1);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = ct->keys[i];
            nn[j] = ct->n[i];
        }
        free(ct->keys);
        free(ct->n);
        ct->keys = nk;
        ct->n = nn;
        ct->cap = ncap;
    }
    size_t j = (size_t)(k ^ (k >> 29)) & (ct->cap - 1);
    while (ct->keys[j] && ct->keys[j] != k)
        j = (j + 1) & (ct->cap - 1);
    if (!ct->keys[j]) {
        ct->keys[j] = k;
        ct->used++;
    }
    if (ct->n[j] < 255)
        ct->n[j]++;
}

/* Count every feature of the training data (the document memory filled
 * from the gold spans, standing in for the predictions to come), and
 * register those seen min_count times or more; then lock. */
static void count_features(trainer *t)
{
    counts ct = {NULL, NULL, 0, 0};
    kg_ner_doc *doc = kg_ner_doc_new();
    ner_spans gold = {NULL, 0, 0};
    for (size_t d = 0; d < t->set.ndoc; d++) {
        kg_ner_doc_reset(doc);
        for (uint32_t si = t->set.doc[d]; si < t->set.doc[d + 1]; si++) {
            ner_ctx *c = ner_ctx_new(tr_text(&t->set, si), t->set.s[si].text_len);
            size_t nseg = ner_segments(c, NULL, 0);
            uint32_t *seg = kg_xmalloc((nseg ? nseg : 1) * 2 * sizeof *seg);
            ner_segments(c, seg, nseg);
            for (size_t s = 0; s < nseg; s++) {
                size_t a = seg[2 * s], b = seg[2 * s + 1];
                ner_work_reserve(&t->w, b - a, t->lay.ktotal);
                ner_features(c, a, b, doc, &t->cl, t->w.f, t->w.nf, NULL);
                for (size_t i = 0; i < b - a; i++)
                    for (unsigned k = 0; k < t->w.nf[i]; k++)
                        count_add(&ct, t->w.f[i * NER_MAXF + k]);
                gold.n = 0;
                for (unsigned g = 0; g < t->lay.ngroups; g++) {
                    size_t n = tr_gold_spans(t, si, c, g, a, b, t->gs, t->gcap);
                    for (size_t k = 0; k < n; k++) {
                        ner_span sp = {(uint32_t)(a + t->gs[k].start), (uint32_t)(a + t->gs[k].end),
                                       (uint16_t)(t->lay.g[g].type0 + t->gs[k].type), 1.0f, 0.0f};
                        ner_spans_push(&gold, &sp);
                    }
                }
                ner_doc_words(doc, c, a, b);
                if (gold.n)
                    ner_doc_spans(doc, c, gold.v, gold.n, ner_layout_type(&t->lay, "PERSON"));
            }
            free(seg);
            ner_ctx_free(c);
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < ct.cap; i++)
        if (ct.keys[i] && ct.n[i] >= t->o->min_count) {
            kg_perc_add(t->p, ct.keys[i]);
            kept++;
        }
    for (unsigned g = 0; g < t->lay.ngroups; g++)
        for (unsigned prev = 0; prev <= t->lay.g[g].k; prev++)
            kg_perc_add(t->p, ner_trans_feature(g, prev));
    kg_perc_lock(t->p, 1);
    tr_report(t, "features: %zu distinct, %zu seen at least %u times", ct.used, kept,
              t->o->min_count);
    free(gold.v);
    kg_ner_doc_free(doc);
    free(ct.keys);
    free(ct.n);
}

/* ---- the run ---------------------------------------------------------------------------- */

static void trainer_free(trainer *t)
{
    kg_perc_free(t->p);
    ner_layout_free(&t->lay);
    kg_buf_free(&t->set.text);
    free(t->set.s);
    free(t->set.sp);
    free(t->set.doc);
    for (size_t i = 0; i < t->ndev; i++) {
        free(t->dev[i].path);
        kg_buf_free(&t->dev[i].data);
    }
    free(t->dev);
    ner_work_free(&t->w);
    free(t->row);
    for (unsigned g = 0; g < NER_MAX_GROUPS; g++) {
        free(t->trans[g]);
        kg_viterbi_plan_free(&t->plan[g]);
    }
    free(t->gold);
    free(t->gs);
    kg_mfile_close(t->cl_mf);
    free(t->cl_bytes);
    json_decref(t->info);
}

static int trainer_init(trainer *t, const kg_ner_train_opts *o, kg_err *err)
{
    memset(t, 0, sizeof *t);
    t->o = o;
    if (!o->out || !o->ntrain)
        return kg_err_set(err, KG_EINVAL, "training needs at least one training file and --out");
    if (o->epochs == 0 || o->epochs > 1000)
        return kg_err_set(err, KG_EINVAL, "epochs: 1 to 1000, not %u", o->epochs);
    int rc = ner_layout_init(&t->lay, o->scheme, o->groups, o->ngroups, err);
    if (rc)
        return rc;
    t->p = kg_perc_new(t->lay.ktotal);
    t->row = kg_xmalloc(t->lay.ktotal * sizeof *t->row);
    for (unsigned g = 0; g < t->lay.ngroups; g++) {
        t->trans[g] = kg_xcalloc((size_t)(t->lay.g[g].k + 1) * t->lay.g[g].k, sizeof(float));
        t->calib[g][0] = 1.0f;
    }
    kg_rng_seed(&t->rng, o->seed);
    t->dev = kg_xcalloc(o->ndev ? o->ndev : 1, sizeof *t->dev);
    json_t *groups = json_array();
    for (unsigned g = 0; g < o->ngroups; g++)
        json_array_append_new(groups, json_string(o->groups[g]));
    t->info = json_pack("{s:s,s:s,s:o,s:s,s:i,s:I,s:i,s:f,s:I,s:[],s:[],s:[]}", "model", "kgas ner",
                        "command", o->command ? o->command : "", "groups", groups, "scheme",
                        o->scheme == KG_TAGS_BILOU ? "BILOU" : "BIO", "epochs", (int)o->epochs,
                        "seed", (json_int_t)o->seed, "min_count", (int)o->min_count, "min_weight",
                        (double)o->min_weight, "max_rows", (json_int_t)o->max_rows, "train", "dev",
                        "dev_scores");
    return KG_OK;
}

static int read_all(trainer *t, kg_err *err)
{
    const kg_ner_train_opts *o = t->o;
    int rc = 0;
    for (size_t i = 0; i < o->ntrain && !rc; i++)
        rc = read_train(t, &o->train[i], json_object_get(t->info, "train"), err);
    for (size_t i = 0; i < o->ndev && !rc; i++)
        rc = read_dev(t, &o->dev[i], json_object_get(t->info, "dev"), err);
    if (rc)
        return rc;
    if (t->set.ndoc)
        t->set.doc[t->set.ndoc] = (uint32_t)t->set.ns; /* the sentinel */
    size_t longest = 0;
    for (size_t i = 0; i < t->set.ns; i++)
        if (t->set.s[i].text_len > longest)
            longest = t->set.s[i].text_len;
    t->gcap = longest + 16; /* tokens <= bytes */
    t->gold = kg_xmalloc(t->gcap * sizeof *t->gold);
    t->gs = kg_xmalloc(t->gcap * sizeof *t->gs);
    return KG_OK;
}

/* The kept epoch's file, its training record replaced by the final one
 * (with every epoch's dev scores). */
static int write_model(trainer *t, const unsigned char *best, size_t len, kg_err *err)
{
    kg_mfile *mf = NULL;
    int rc = kg_mfile_open_mem(best, len, t->o->out, "ner", &mf, err);
    if (rc)
        return rc;
    kg_mfile_writer *w = kg_mfile_writer_new("ner");
    char *info = json_dumps(t->info, JSON_PRESERVE_ORDER | JSON_COMPACT);
    for (size_t i = 0; i < kg_mfile_count(mf); i++) {
        const char *name = kg_mfile_section_name(mf, i);
        size_t n;
        const void *d = kg_mfile_get(mf, name, &n);
        if (strcmp(name, "ner.info") == 0)
            kg_mfile_put_str(w, name, info);
        else
            kg_mfile_put(w, name, d, n);
    }
    rc = kg_mfile_save(w, t->o->out, err);
    free(info);
    kg_mfile_writer_free(w);
    kg_mfile_close(mf);
    return rc;
}

int kg_ner_train(const kg_ner_train_opts *o, kg_err *err)
{
    trainer t;
    kg_hash_init();
    int rc = trainer_init(&t, o, err);
    if (!rc)
        rc = read_all(&t, err);
    if (rc) {
        trainer_free(&t);
        return rc;
    }
    double t0 = kg_now();
    tr_report(&t, "training on %zu sentences, %zu documents, %zu tokens", t.set.ns, t.set.ndoc,
              t.set.tokens);
    rc = tr_word_classes(&t, err);
    if (rc) {
        trainer_free(&t);
        return rc;
    }
    count_features(&t);
    unsigned char *best = NULL;
    size_t best_len = 0;
    double best_f1 = -2;
    for (unsigned e = 1; e <= o->epochs && !rc; e++) {
        size_t mistakes = 0, segs = 0;
        tr_epoch(&t, e, &mistakes, &segs);
        unsigned char *bytes;
        size_t len;
        tr_compile(&t, e, &bytes, &len);
        kg_ner_model *m = NULL;
        rc = kg_ner_model_from_memory(bytes, len, "the model being trained", &m, err);
        double f1 = rc ? -1 : tr_dev_score(&t, m, e, err, &rc);
        tr_report(&t, "epoch %u: %zu of %zu sentences wrong, dev F1 %.4f, %.0f s", e, mistakes,
                  segs, f1, kg_now() - t0);
        if (!rc && f1 > best_f1) {
            json_object_set_new(t.info, "best_epoch", json_integer(e));
            if (t.ndev) {
                /* Calibrated on this epoch's spans, then compiled again with it. */
                tr_calibrate(&t, m);
                free(bytes);
                tr_compile(&t, e, &bytes, &len);
            }
            free(best);
            best = bytes;
            best_len = len;
            best_f1 = f1;
        } else {
            free(bytes);
        }
        kg_ner_model_free(m);
    }
    if (!rc)
        rc = write_model(&t, best, best_len, err);
    if (!rc)
        tr_report(&t, "wrote %s: best dev F1 %.4f", o->out, best_f1);
    free(best);
    trainer_free(&t);
    return rc;
}
