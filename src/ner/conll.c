/* conll: CoNLL reader, label names and entity-level scorer (see conll.h). */
#include "ner/conll.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <time.h>

#include "base/vec.h"

/* ---- labels ------------------------------------------------------------------ */

static const struct {
    const char *label, *type;
} ALIASES[] = {
    {"per", "PERSON"},
    {"person", "PERSON"},
    {"researcher", "PERSON"},
    {"scientist", "PERSON"},
    {"writer", "PERSON"},
    {"musicalartist", "PERSON"},
    {"politician", "PERSON"},
    {"org", "ORG"},
    {"organisation", "ORG"},
    {"organization", "ORG"},
    {"corporation", "ORG"},
    {"group", "ORG"},
    {"university", "ORG"},
    {"band", "ORG"},
    {"politicalparty", "ORG"},
    {"magazine", "ORG"},
    {"academicjournal", "ORG"},
    {"loc", "LOC"},
    {"location", "LOC"},
    {"astronomicalobject", "LOC"},
    {"gpe", "GPE"},
    {"country", "GPE"},
    {"fac", "FAC"},
    {"norp", "NORP"},
    {"nationality", "NORP"},
    {"misc", "MISC"},
    {"veh", "MISC"},
    {"award", "MISC"},
    {"event", "EVENT"},
    {"election", "EVENT"},
    {"work_of_art", "WORK_OF_ART"},
    {"book", "WORK_OF_ART"},
    {"poem", "WORK_OF_ART"},
    {"album", "WORK_OF_ART"},
    {"song", "WORK_OF_ART"},
    {"creative-work", "WORK_OF_ART"},
    {"product", "PRODUCT"},
    {"method", "METHOD"},
    {"algorithm", "METHOD"},
    {"task", "TASK"},
    {"dataset", "DATASET"},
    {"material", "DATASET"},
    {"metric", "METRIC"},
    {"metrics", "METRIC"},
    {"software", "SOFTWARE"},
    {"programlang", "SOFTWARE"},
    {"venue", "VENUE"},
    {"conference", "VENUE"},
    {"field", "FIELD"},
    {"discipline", "FIELD"},
};

const char *kg_conll_canon_type(const char *label, size_t n, char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
        if (strlen(ALIASES[i].label) == n && strncasecmp(ALIASES[i].label, label, n) == 0)
            return ALIASES[i].type;
    size_t k = 0;
    for (; k < n && k + 1 < cap; k++)
        buf[k] = (char)toupper((unsigned char)label[k]);
    buf[k] = 0;
    return buf;
}

/* ---- reading ------------------------------------------------------------------- */

typedef struct vec {
    void *v;
    size_t n, cap, size;
} vec;

static void *vpush(vec *a)
{
    if (a->n == a->cap)
        a->v = kg_vec_grow(a->v, &a->cap, a->n + 1, a->size);
    return (char *)a->v + a->size * a->n++;
}

typedef struct reader {
    kg_buf text;
    vec tstart, tend, spans;
    const char *open_label; /* label of the span being read, NULL none */
    size_t open_len;
    int doc_start;
    size_t line;
} reader;

static int flush(reader *r, kg_conll_fn fn, void *arg, kg_err *err)
{
    if (r->tstart.n == 0)
        return 0;
    kg_conll_sent s = {kg_buf_str(&r->text), r->text.len, r->tstart.v,  r->tend.v, r->tstart.n,
                       r->spans.v,           r->spans.n,  r->doc_start, r->line};
    int rc = fn(arg, &s, err);
    kg_buf_truncate(&r->text, 0);
    r->tstart.n = r->tend.n = r->spans.n = 0;
    r->open_label = NULL;
    r->doc_start = 0;
    return rc;
}

/* A clitic the treebanks split from its word ("'s", "n't", "'re", "'ll",
 * "'ve", "'d", "'m"; ASCII or curly apostrophe): running text writes it
 * joined ("Apple's", "don't"), and the recogniser must meet it in training
 * and evaluation as it will in text, where "Apple's" scans as "Apple"
 * and a possessive, not as "Apple", "'", "s". */
static int clitic(const char *w, size_t n)
{
    size_t a = 0; /* the apostrophe's length: ' or U+2019 */
    if (n >= 1 && w[0] == '\'')
        a = 1;
    else if (n >= 3 && memcmp(w, "\xE2\x80\x99", 3) == 0)
        a = 3;
    if (a) {
        w += a;
        n -= a;
        char l = (char)(w[0] | 32); /* 'S' -> 's'; no other byte lands on s, d or m */
        return (n == 1 && (l == 's' || l == 'd' || l == 'm')) ||
               (n == 2 && (strncasecmp(w, "re", 2) == 0 || strncasecmp(w, "ve", 2) == 0 ||
                           strncasecmp(w, "ll", 2) == 0));
    }
    return (n == 3 && strncasecmp(w, "n't", 3) == 0) ||
           (n == 5 && (w[0] | 32) == 'n' && memcmp(w + 1, "\xE2\x80\x99", 3) == 0 &&
            (w[4] | 32) == 't');
}

/* One "token ... tag" line [ls, q). */
static int token_line(reader *r, const char *ls, const char *q, const char *name, size_t lineno,
                      kg_err *err)
{
    const char *tok_end = ls;
    while (tok_end < q && *tok_end != ' ' && *tok_end != '\t')
        tok_end++;
    const char *tag = q;
    while (tag > tok_end && tag[-1] != ' ' && tag[-1] != '\t')
        tag--;
    if (tag == tok_end)
        return kg_err_set(err, KG_EFORMAT, "%s line %zu: expected \"token tag\", found one field",
                          name, lineno);
    size_t tl = (size_t)(q - tag);
    char pre = tl > 2 && (tag[1] == '-' || tag[1] == '_') ? tag[0] : 0;
    if (!(tl == 1 && tag[0] == 'O') && !strchr("BIELSU", pre ? pre : '#'))
        return kg_err_set(err, KG_EFORMAT,
                          "%s line %zu: tag \"%.*s\" is not O, B-X, I-X, E-X, L-X, S-X or U-X",
                          name, lineno, (int)tl, tag);
    size_t ti = r->tstart.n;
    if (ti == 0)
        r->line = lineno;
    unsigned char last = r->text.len ? (unsigned char)r->text.data[r->text.len - 1] : 0;
    if (r->text.len && !((isalnum(last) || last >= 0x80) && clitic(ls, (size_t)(tok_end - ls))))
        kg_buf_putc(&r->text, ' ');
    *(size_t *)vpush(&r->tstart) = r->text.len;
    kg_buf_append(&r->text, ls, (size_t)(tok_end - ls));
    *(size_t *)vpush(&r->tend) = r->text.len;
    if (!pre) {
        r->open_label = NULL;
        return 0;
    }
    const char *lab = tag + 2;
    size_t ll = tl - 2;
    int starts = pre == 'B' || pre == 'S' || pre == 'U';
    int same = r->open_label && r->open_len == ll && memcmp(r->open_label, lab, ll) == 0;
    if (!starts && same) {
        ((kg_conll_span *)r->spans.v)[r->spans.n - 1].end = (uint32_t)ti + 1;
    } else {
        kg_conll_span *sp = vpush(&r->spans);
        *sp = (kg_conll_span){(uint32_t)ti, (uint32_t)ti + 1, lab, ll};
    }
    int ends = pre == 'E' || pre == 'L' || pre == 'S' || pre == 'U';
    r->open_label = ends ? NULL : lab;
    r->open_len = ll;
    return 0;
}

int kg_conll_parse(const char *data, size_t len, const char *name, kg_conll_fn fn, void *arg,
                   kg_err *err)
{
    reader r = {KG_BUF_INIT,
                {NULL, 0, 0, sizeof(size_t)},
                {NULL, 0, 0, sizeof(size_t)},
                {NULL, 0, 0, sizeof(kg_conll_span)},
                NULL,
                0,
                1,
                0};
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
            rc = flush(&r, fn, arg, err);
        } else if (q - ls >= 10 && memcmp(ls, "-DOCSTART-", 10) == 0) {
            rc = flush(&r, fn, arg, err);
            r.doc_start = 1;
        } else {
            rc = token_line(&r, ls, q, name, lineno, err);
        }
    }
    if (rc == 0)
        rc = flush(&r, fn, arg, err);
    kg_buf_free(&r.text);
    free(r.tstart.v);
    free(r.tend.v);
    free(r.spans.v);
    return rc;
}

int kg_conll_read_file(const char *path, kg_buf *out, kg_err *err)
{
    kg_buf_truncate(out, 0);
    FILE *f = fopen(path, "rb");
    if (!f)
        return kg_err_set(err, KG_EIO, "cannot open %s: %s", path, strerror(errno));
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        kg_buf_append(out, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return kg_err_set(err, KG_EIO, "error reading %s", path);
    return KG_OK;
}

/* ---- scoring --------------------------------------------------------------------- */

typedef struct scorer {
    kg_ner_eval *ev;
    const kg_ner_eval_opts *o;
    char want[KG_EVAL_MAX_CLASSES][24]; /* canonical type of each class */
    kg_ner_doc *doc;
    kg_ner_result res;
} scorer;

static int in_misc_family(const char *t)
{
    static const char *const fam[] = {"MISC",     "NORP", "EVENT",   "WORK_OF_ART", "PRODUCT",
                                      "LANGUAGE", "LAW",  "CONCEPT", NULL};
    for (int i = 0; fam[i]; i++)
        if (strcmp(t, fam[i]) == 0)
            return 1;
    return 0;
}

static int find_class(const scorer *s, const char *canon)
{
    for (size_t i = 0; i < s->ev->nclass; i++)
        if (strcmp(s->want[i], canon) == 0)
            return (int)i;
    return -1;
}

/* Class index of a canonical type, -1 when not scored. */
static int class_of(const scorer *s, const char *t)
{
    int k = find_class(s, t);
    if (k >= 0)
        return k;
    if (!strcmp(t, "GPE") || !strcmp(t, "FAC"))
        return find_class(s, "LOC");
    if (in_misc_family(t))
        return find_class(s, "MISC");
    return -1;
}

/* CPU seconds of this thread: words per second "per core", the same on a
 * busy machine as on a quiet one (wall time would count other processes'
 * turns). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int score_sentence(void *arg, const kg_conll_sent *st, kg_err *err)
{
    scorer *s = arg;
    kg_ner_eval *ev = s->ev;
    if (st->doc_start)
        kg_ner_doc_reset(s->doc);
    kg_ner_opts no = KG_NER_OPTS_INIT;
    no.model = s->o ? s->o->model : NULL;
    no.engine = s->o ? s->o->engine : KG_NER_ENGINE_MODEL;
    no.doc = s->doc;
    double t0 = cpu_now();
    int rc = kg_ner_run(st->text, st->len, &no, &s->res, err);
    ev->seconds += cpu_now() - t0;
    if (rc)
        return rc;
    ev->sentences++;
    ev->tokens += st->ntok;
    size_t ng = st->nspans, nt = st->ntok;
    int *gcls = kg_xmalloc((ng ? ng : 1) * sizeof *gcls);
    unsigned char *matched = kg_xcalloc(ng ? ng : 1, 1);
    char buf[64];
    for (size_t g = 0; g < ng; g++)
        gcls[g] = class_of(
            s, kg_conll_canon_type(st->spans[g].label, st->spans[g].label_len, buf, sizeof buf));
    for (size_t k = 0; k < s->res.n; k++) {
        int cls = class_of(s, s->res.v[k].type);
        if (cls < 0)
            continue;
        size_t a = nt, b = nt;
        for (size_t q = 0; q < nt; q++) {
            if (st->tstart[q] == s->res.v[k].start)
                a = q;
            if (st->tend[q] == s->res.v[k].end)
                b = q + 1;
        }
        int hit = 0;
        for (size_t g = 0; a < nt && b <= nt && g < ng && !hit; g++)
            if (st->spans[g].start == a && st->spans[g].end == b && gcls[g] == cls && !matched[g])
                hit = matched[g] = 1;
        if (hit)
            ev->per_type[cls].tp++;
        else
            ev->per_type[cls].fp++;
        if (!hit && s->o && s->o->errors)
            kg_buf_printf(s->o->errors, "wrong  %-8s %.*s\t| %s\n", ev->cls[cls],
                          (int)(s->res.v[k].end - s->res.v[k].start), st->text + s->res.v[k].start,
                          st->text);
    }
    for (size_t g = 0; g < ng; g++) {
        if (gcls[g] < 0)
            continue;
        ev->gold_entities++;
        if (!matched[g])
            ev->per_type[gcls[g]].fn++;
        if (!matched[g] && s->o && s->o->errors) {
            size_t a = st->tstart[st->spans[g].start], b = st->tend[st->spans[g].end - 1];
            kg_buf_printf(s->o->errors, "missed %-8s %.*s\t| %s\n", ev->cls[gcls[g]], (int)(b - a),
                          st->text + a, st->text);
        }
    }
    free(gcls);
    free(matched);
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

/* The classes asked for: the default four, or the --types list. */
static int set_classes(scorer *s, const char *types, kg_err *err)
{
    kg_ner_eval *ev = s->ev;
    static const char *const defaults[] = {"PER", "ORG", "LOC", "MISC"};
    char buf[64];
    if (!types) {
        for (int k = 0; k < KG_EVAL_NCLASS; k++) {
            snprintf(ev->cls[k], sizeof ev->cls[k], "%s", defaults[k]);
            snprintf(s->want[k], sizeof s->want[k], "%s",
                     kg_conll_canon_type(defaults[k], strlen(defaults[k]), buf, sizeof buf));
            ev->in_overall[k] = k != KG_EVAL_MISC;
        }
        ev->nclass = KG_EVAL_NCLASS;
        return KG_OK;
    }
    for (const char *p = types; *p;) {
        const char *q = p;
        while (*q && *q != ',')
            q++;
        size_t n = (size_t)(q - p);
        if (n == 0 || n >= sizeof ev->cls[0] || ev->nclass == KG_EVAL_MAX_CLASSES)
            return kg_err_set(err, KG_EINVAL,
                              "--types: give up to %d comma-separated type names of at most %zu "
                              "characters",
                              KG_EVAL_MAX_CLASSES, sizeof ev->cls[0] - 1);
        memcpy(ev->cls[ev->nclass], p, n);
        ev->cls[ev->nclass][n] = 0;
        const char *canon = kg_conll_canon_type(p, n, buf, sizeof buf);
        if (find_class(s, canon) >= 0)
            return kg_err_set(err, KG_EINVAL, "--types: %.*s is listed twice", (int)n, p);
        snprintf(s->want[ev->nclass], sizeof s->want[0], "%s", canon);
        ev->in_overall[ev->nclass++] = 1;
        p = *q ? q + 1 : q;
    }
    if (ev->nclass == 0)
        return kg_err_set(err, KG_EINVAL, "--types: no type given");
    return KG_OK;
}

int kg_eval_ner_conll_text(const char *data, size_t len, const char *name,
                           const kg_ner_eval_opts *opts, kg_ner_eval *ev, kg_err *err)
{
    memset(ev, 0, sizeof *ev);
    scorer s;
    memset(&s, 0, sizeof s);
    s.ev = ev;
    s.o = opts;
    int rc = set_classes(&s, opts ? opts->types : NULL, err);
    if (rc)
        return rc;
    s.doc = kg_ner_doc_new();
    rc = kg_conll_parse(data, len, name, score_sentence, &s, err);
    kg_ner_doc_free(s.doc);
    kg_ner_result_free(&s.res);
    if (rc)
        return rc;
    for (size_t k = 0; k < ev->nclass; k++) {
        prf(&ev->per_type[k]);
        if (ev->in_overall[k]) {
            ev->overall.tp += ev->per_type[k].tp;
            ev->overall.fp += ev->per_type[k].fp;
            ev->overall.fn += ev->per_type[k].fn;
        }
    }
    prf(&ev->overall);
    ev->words_per_second = ev->seconds > 0 ? (double)ev->tokens / ev->seconds : 0.0;
    return 0;
}

int kg_eval_ner_conll(const char *path, const kg_ner_eval_opts *opts, kg_ner_eval *out, kg_err *err)
{
    kg_buf b = KG_BUF_INIT;
    int rc = kg_conll_read_file(path, &b, err);
    if (rc) {
        kg_buf_free(&b);
        return kg_err_prefix(err, "gold file");
    }
    rc = kg_eval_ner_conll_text(b.data ? b.data : "", b.len, path, opts, out, err);
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
    for (size_t k = 0; k < ev->nclass; k++)
        json_object_set_new(per, ev->cls[k], prf_json(&ev->per_type[k]));
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
    for (size_t k = 0; k <= ev->nclass; k++) {
        const kg_ner_prf *p = k < ev->nclass ? &ev->per_type[k] : &ev->overall;
        kg_buf_printf(out, "%-8s %9.3f %9.3f %9.3f %6zu %6zu %6zu\n",
                      k < ev->nclass ? ev->cls[k] : "overall", p->precision, p->recall, p->f1,
                      p->tp, p->fp, p->fn);
    }
    kg_buf_puts(out, "(overall = micro over ");
    for (size_t k = 0, first = 1; k < ev->nclass; k++)
        if (ev->in_overall[k]) {
            kg_buf_printf(out, "%s%s", first ? "" : ", ", ev->cls[k]);
            first = 0;
        }
    kg_buf_printf(out, ")\n%zu sentences, %zu tokens, %.0f words/s\n", ev->sentences, ev->tokens,
                  ev->words_per_second);
}
