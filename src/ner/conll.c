/* conll: CoNLL reader and entity-level scorer for the NER (see conll.h). */
#include "ner/conll.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "ner/ner.h"

static const char *const class_names[KG_EVAL_NCLASS] = {"PER", "ORG", "LOC", "MISC"};

const char *kg_eval_class_name(int cls)
{
    return cls >= 0 && cls < KG_EVAL_NCLASS ? class_names[cls] : "?";
}

/* Gold tag type -> class; -1 for O or a type we do not score. */
static int gold_class(const char *t, size_t n)
{
#define EQ(s) (n == sizeof(s) - 1 && strncasecmp(t, s, n) == 0)
    if (EQ("PER") || EQ("person"))
        return KG_EVAL_PER;
    if (EQ("ORG") || EQ("group") || EQ("corporation"))
        return KG_EVAL_ORG;
    if (EQ("LOC") || EQ("location") || EQ("GPE"))
        return KG_EVAL_LOC;
    if (EQ("MISC") || EQ("product") || EQ("creative-work"))
        return KG_EVAL_MISC;
#undef EQ
    return -1;
}

static int pred_class(const char *type)
{
    if (!strcmp(type, "PERSON"))
        return KG_EVAL_PER;
    if (!strcmp(type, "ORG"))
        return KG_EVAL_ORG;
    if (!strcmp(type, "GPE") || !strcmp(type, "LOC"))
        return KG_EVAL_LOC;
    if (!strcmp(type, "DATE") || !strcmp(type, "MONEY") || !strcmp(type, "PERCENT"))
        return -1;
    return KG_EVAL_MISC;
}

typedef struct span {
    size_t s, e;
    int cls;
} span;
typedef struct vec {
    void *v;
    size_t n, cap, size;
} vec;

static void *vpush(vec *a)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->v = kg_xrealloc(a->v, a->cap * a->size);
    }
    return (char *)a->v + a->size * a->n++;
}

typedef struct sent {
    kg_buf text;
    vec tstart, tend; /* size_t byte offsets of each token */
    vec gold;         /* span, token indices */
    int open_cls;     /* class of the entity being read, -1 none */
} sent;

static int flush(sent *s, kg_ner_eval *ev, kg_ner_result *res, kg_err *err)
{
    size_t nt = s->tstart.n;
    if (nt == 0)
        return 0;
    const size_t *ts = s->tstart.v, *te = s->tend.v;
    double t0 = kg_now();
    int rc = kg_ner_run(s->text.data, s->text.len, NULL, res, err);
    ev->seconds += kg_now() - t0;
    if (rc)
        return rc;
    ev->sentences++;
    ev->tokens += nt;
    span *gold = s->gold.v;
    size_t ng = s->gold.n;
    unsigned char matched[1024];
    int track = ng <= sizeof matched;
    if (track)
        memset(matched, 0, ng);
    for (size_t k = 0; k < res->n; k++) {
        int cls = pred_class(res->v[k].type);
        if (cls < 0)
            continue;
        /* byte span -> token span (exact token boundaries only) */
        size_t a = nt, b = nt;
        for (size_t q = 0; q < nt; q++) {
            if (ts[q] == res->v[k].start)
                a = q;
            if (te[q] == res->v[k].end)
                b = q + 1;
        }
        int hit = 0;
        for (size_t g = 0; a < nt && b <= nt && g < ng; g++)
            if (gold[g].s == a && gold[g].e == b && gold[g].cls == cls && !(track && matched[g])) {
                hit = 1;
                if (track)
                    matched[g] = 1;
                break;
            }
        if (hit)
            ev->per_type[cls].tp++;
        else
            ev->per_type[cls].fp++;
    }
    for (size_t g = 0; g < ng; g++) {
        ev->gold_entities++;
        if (!track || !matched[g])
            ev->per_type[gold[g].cls].fn++;
    }
    kg_buf_truncate(&s->text, 0);
    s->tstart.n = s->tend.n = s->gold.n = 0;
    s->open_cls = -1;
    return 0;
}

static void prf(kg_ner_prf *p)
{
    p->precision = (p->tp + p->fp) ? (double)p->tp / (double)(p->tp + p->fp) : 0.0;
    p->recall = (p->tp + p->fn) ? (double)p->tp / (double)(p->tp + p->fn) : 0.0;
    p->f1 = (p->precision + p->recall > 0)
                ? 2 * p->precision * p->recall / (p->precision + p->recall)
                : 0.0;
}

int kg_eval_ner_conll_text(const char *data, size_t len, const char *name, kg_ner_eval *ev,
                           kg_err *err)
{
    memset(ev, 0, sizeof *ev);
    sent s = {KG_BUF_INIT,
              {NULL, 0, 0, sizeof(size_t)},
              {NULL, 0, 0, sizeof(size_t)},
              {NULL, 0, 0, sizeof(span)},
              -1};
    kg_ner_result res = KG_NER_RESULT_INIT;
    int rc = 0;
    size_t lineno = 0;
    const char *p = data, *end = data + len;
    while (p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        const char *q = le;
        while (q > p && (q[-1] == '\r' || q[-1] == ' ' || q[-1] == '\t'))
            q--;
        const char *ls = p;
        while (ls < q && (*ls == ' ' || *ls == '\t'))
            ls++;
        p = nl ? nl + 1 : end;
        if (ls == q) {
            rc = flush(&s, ev, &res, err);
            continue;
        }
        if (q - ls >= 10 && memcmp(ls, "-DOCSTART-", 10) == 0) {
            rc = flush(&s, ev, &res, err);
            continue;
        }
        const char *tok_end = ls;
        while (tok_end < q && *tok_end != ' ' && *tok_end != '\t')
            tok_end++;
        const char *tag = q;
        while (tag > tok_end && tag[-1] != ' ' && tag[-1] != '\t')
            tag--;
        if (tag == tok_end) {
            rc = kg_err_set(err, KG_EFORMAT, "%s line %zu: expected \"token tag\", found one field",
                            name, lineno);
            break;
        }
        size_t ti = s.tstart.n;
        if (s.text.len)
            kg_buf_putc(&s.text, ' ');
        *(size_t *)vpush(&s.tstart) = s.text.len;
        kg_buf_append(&s.text, ls, (size_t)(tok_end - ls));
        *(size_t *)vpush(&s.tend) = s.text.len;

        size_t tl = (size_t)(q - tag);
        int cls = -1, begin = 0;
        if (tl == 1 && tag[0] == 'O') {
            cls = -1;
        } else if (tl > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-') {
            begin = tag[0] == 'B';
            cls = gold_class(tag + 2, tl - 2);
        } else {
            rc = kg_err_set(err, KG_EFORMAT, "%s line %zu: tag \"%.*s\" is not O, B-X or I-X", name,
                            lineno, (int)tl, tag);
            break;
        }
        if (cls >= 0 && !begin && cls == s.open_cls) {
            ((span *)s.gold.v)[s.gold.n - 1].e = ti + 1;
        } else if (cls >= 0) {
            span *g = vpush(&s.gold);
            g->s = ti;
            g->e = ti + 1;
            g->cls = cls;
        }
        s.open_cls = cls;
    }
    if (rc == 0)
        rc = flush(&s, ev, &res, err);
    kg_buf_free(&s.text);
    free(s.tstart.v);
    free(s.tend.v);
    free(s.gold.v);
    kg_ner_result_free(&res);
    if (rc)
        return rc;
    for (int k = 0; k < KG_EVAL_NCLASS; k++) {
        prf(&ev->per_type[k]);
        if (k != KG_EVAL_MISC) {
            ev->overall.tp += ev->per_type[k].tp;
            ev->overall.fp += ev->per_type[k].fp;
            ev->overall.fn += ev->per_type[k].fn;
        }
    }
    prf(&ev->overall);
    ev->words_per_second = ev->seconds > 0 ? (double)ev->tokens / ev->seconds : 0.0;
    return 0;
}

int kg_eval_ner_conll(const char *path, kg_ner_eval *out, kg_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return kg_err_set(err, KG_EIO, "cannot open gold file %s: %s", path, strerror(errno));
    kg_buf b = KG_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        kg_buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        kg_buf_free(&b);
        return kg_err_set(err, KG_EIO, "error reading gold file %s", path);
    }
    int rc = kg_eval_ner_conll_text(b.data ? b.data : "", b.len, path, out, err);
    kg_buf_free(&b);
    return rc;
}

static json_t *prf_json(const kg_ner_prf *p)
{
    return json_pack("{s:f,s:f,s:f,s:I,s:I,s:I}", "precision", p->precision, "recall", p->recall,
                     "f1", p->f1, "tp", (json_int_t)p->tp, "fp", (json_int_t)p->fp, "fn",
                     (json_int_t)p->fn);
}

int kg_eval_ner_json(const kg_ner_eval *ev, char **json_out, kg_err *err)
{
    json_t *per = json_object();
    for (int k = 0; k < KG_EVAL_NCLASS; k++)
        json_object_set_new(per, class_names[k], prf_json(&ev->per_type[k]));
    json_t *root = json_pack("{s:o,s:o,s:f,s:I,s:I}", "overall", prf_json(&ev->overall), "per_type",
                             per, "words_per_second", ev->words_per_second, "sentences",
                             (json_int_t)ev->sentences, "tokens", (json_int_t)ev->tokens);
    char *s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (!s)
        return kg_err_set(err, KG_ENOMEM, "cannot build the evaluation JSON");
    *json_out = s;
    return 0;
}

void kg_eval_ner_table(const kg_ner_eval *ev, kg_buf *out)
{
    kg_buf_printf(out, "%-8s %9s %9s %9s %6s %6s %6s\n", "type", "precision", "recall", "f1", "tp",
                  "fp", "fn");
    for (int k = 0; k <= KG_EVAL_NCLASS; k++) {
        const kg_ner_prf *p = k < KG_EVAL_NCLASS ? &ev->per_type[k] : &ev->overall;
        kg_buf_printf(out, "%-8s %9.3f %9.3f %9.3f %6zu %6zu %6zu\n",
                      k < KG_EVAL_NCLASS ? class_names[k] : "overall", p->precision, p->recall,
                      p->f1, p->tp, p->fp, p->fn);
    }
    kg_buf_printf(out,
                  "(overall = micro over PER, ORG, LOC)\n%zu sentences, %zu tokens, %.0f words/s\n",
                  ev->sentences, ev->tokens, ev->words_per_second);
}
