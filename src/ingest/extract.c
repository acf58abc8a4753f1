/* extract: see extract.h. */
#include "ingest/extract.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/vec.h"
#include "graph/resolve.h"
#include "ner/ner.h"
#include "nlp/relate.h"
#include "text/sentence.h"

/* One distinct (type, surface) of the document. */
typedef struct form {
    char *surface;
    char type[KG_TYPE_MAX];
    char prov_id[KG_ID_MAX];
    int64_t count;
    int64_t first_start;
    double confidence;
    uint64_t hash;
    int used;
    char defines[11]; /* the acronym the text defines for it: "Long Form (LF)" */
    int described;    /* typed by what the text says it is ("X is a band") */
} form;

struct kg_extract {
    char doc_id[KG_ID_MAX];
    kg_extract_opts opts;
    form *forms; /* open-addressing table */
    size_t cap, n;
    kg_ner_result ner;
    kg_ner_doc *ner_doc; /* what the recogniser found earlier in the document */
    kg_spans sents;
    /* Single-word names already typed in this document ("Scrooge" after
     * "Ebenezer Scrooge" or "Mr. Scrooge"): the recogniser sees one chunk at
     * a time, so a name's later bare occurrences are found here. */
    struct name {
        char *word;
        char type[KG_TYPE_MAX];
        float confidence;
        uint64_t hash;
    } * names;
    size_t ncap, nn;
};

/* Values, not things: they stay mentions but take no part in relations, or
 * every year would become the hub of the graph. */
/* Bounded copies and decimal numbers without snprintf: they run per
 * mention and per relation, where snprintf's format parsing showed up as
 * a tenth of the extraction's time. */
static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* Decimal digits of v at out (no terminator); returns their count. */
static size_t put_uint(char *out, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static int is_value_type(const char *t)
{
    return strcmp(t, "DATE") == 0 || strcmp(t, "MONEY") == 0 || strcmp(t, "PERCENT") == 0;
}

kg_extract *kg_extract_new(const char *doc_id, const kg_extract_opts *opts)
{
    kg_extract *x = kg_xcalloc(1, sizeof *x);
    snprintf(x->doc_id, sizeof x->doc_id, "%s", doc_id);
    if (opts)
        x->opts = *opts;
    if (x->opts.max_cooccur <= 0)
        x->opts.max_cooccur = 12;
    x->cap = 256;
    x->forms = kg_xcalloc(x->cap, sizeof *x->forms);
    x->ner_doc = kg_ner_doc_new();
    return x;
}

static uint64_t fnv(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static struct name *name_find(kg_extract *x, const char *w, size_t len, uint64_t h)
{
    if (!x->ncap)
        return NULL;
    size_t j = h & (x->ncap - 1);
    while (x->names[j].word) {
        if (x->names[j].hash == h && strlen(x->names[j].word) == len &&
            memcmp(x->names[j].word, w, len) == 0)
            return &x->names[j];
        j = (j + 1) & (x->ncap - 1);
    }
    return NULL;
}

static void name_put(kg_extract *x, const char *w, size_t len, const char *type, float conf)
{
    uint64_t h = fnv(w, len);
    struct name *n = name_find(x, w, len, h);
    if (n) {
        if (conf > n->confidence) {
            n->confidence = conf;
            snprintf(n->type, sizeof n->type, "%s", type);
        }
        return;
    }
    if ((x->nn + 1) * 2 > x->ncap) {
        size_t ncap = x->ncap ? x->ncap * 2 : 256;
        struct name *t = kg_xcalloc(ncap, sizeof *t);
        for (size_t i = 0; i < x->ncap; i++) {
            if (!x->names[i].word)
                continue;
            size_t j = x->names[i].hash & (ncap - 1);
            while (t[j].word)
                j = (j + 1) & (ncap - 1);
            t[j] = x->names[i];
        }
        free(x->names);
        x->names = t;
        x->ncap = ncap;
    }
    size_t j = h & (x->ncap - 1);
    while (x->names[j].word)
        j = (j + 1) & (x->ncap - 1);
    x->names[j].word = kg_xstrndup(w, len);
    x->names[j].hash = h;
    x->names[j].confidence = conf;
    snprintf(x->names[j].type, sizeof x->names[j].type, "%s", type);
    x->nn++;
}

/* Names worth remembering: PERSON/ORG/GPE/... words of a mention that the
 * recogniser was fairly sure of.  For a person, the last word (the
 * surname) is what recurs alone. */
static void learn_names(kg_extract *x, const char *surf, size_t len, const char *type, float conf)
{
    if (conf < 0.6f || strcmp(type, "DATE") == 0 || strcmp(type, "MONEY") == 0 ||
        strcmp(type, "PERCENT") == 0)
        return;
    const char *last = surf;
    for (size_t i = 0; i < len; i++)
        if (surf[i] == ' ')
            last = surf + i + 1;
    size_t wl = len - (size_t)(last - surf);
    if (wl >= 2 && wl < 40 && (last == surf || strcmp(type, "PERSON") == 0))
        name_put(x, last, wl, type, conf);
}

static int overlaps(const kg_ner_result *r, uint32_t s, uint32_t e)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].start < e && s < r->v[i].end)
            return 1;
    return 0;
}

/* Add mentions for bare occurrences of remembered names the recogniser did
 * not tag in this chunk.  Capitalised words only, so "bob" the verb or
 * "will" the noun stay untouched. */
static void propagate_names(kg_extract *x, const char *text, size_t len)
{
    if (!x->nn)
        return;
    size_t before = x->ner.n;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        if (!(c >= 'A' && c <= 'Z') ||
            (i > 0 && ((unsigned char)text[i - 1] >= 0x80 ||
                       ((text[i - 1] | 0x20) >= 'a' && (text[i - 1] | 0x20) <= 'z')))) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < len && ((((unsigned char)text[j] | 0x20) >= 'a' &&
                            ((unsigned char)text[j] | 0x20) <= 'z') ||
                           (unsigned char)text[j] >= 0x80 || text[j] == '-'))
            j++;
        struct name *n = name_find(x, text + i, j - i, fnv(text + i, j - i));
        if (n && !overlaps(&x->ner, (uint32_t)i, (uint32_t)j)) {
            kg_ner_mention *m = kg_vec_push_zero(&x->ner);
            m->start = (uint32_t)i;
            m->end = (uint32_t)j;
            copy_str(m->type, sizeof m->type, n->type);
            /* Weaker than the sighting it was learnt from. */
            m->confidence = n->confidence * 0.8f;
            m->evidence = KG_NER_EV_PROPAGATED;
        }
        i = j;
    }
    if (x->ner.n > before) {
        /* Keep text order for the relation pass. */
        kg_ner_mention *v = x->ner.v;
        for (size_t a = 1; a < x->ner.n; a++) {
            kg_ner_mention t = v[a];
            size_t b = a;
            while (b > 0 && v[b - 1].start > t.start) {
                v[b] = v[b - 1];
                b--;
            }
            v[b] = t;
        }
    }
}

void kg_extract_free(kg_extract *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->ncap; i++)
        free(x->names[i].word);
    free(x->names);
    for (size_t i = 0; i < x->cap; i++)
        free(x->forms[i].surface);
    free(x->forms);
    kg_ner_result_free(&x->ner);
    kg_ner_doc_free(x->ner_doc);
    kg_spans_free(&x->sents);
    free(x);
}

static uint64_t form_hash(const char *type, const char *s, size_t len)
{
    /* FNV-1a: the table is private and in memory, no need for a keyed hash. */
    uint64_t h = 1469598103934665603ull;
    for (const char *p = type; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0x1f) * 1099511628211ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void grow(kg_extract *x)
{
    size_t ncap = x->cap * 2;
    form *nf = kg_xcalloc(ncap, sizeof *nf);
    for (size_t i = 0; i < x->cap; i++) {
        if (!x->forms[i].used)
            continue;
        size_t j = x->forms[i].hash & (ncap - 1);
        while (nf[j].used)
            j = (j + 1) & (ncap - 1);
        nf[j] = x->forms[i];
    }
    free(x->forms);
    x->forms = nf;
    x->cap = ncap;
}

/* The form for (type, surface), created on first sight; NULL when the
 * surface has no letters or digits (nothing to resolve). */
static form *form_get(kg_extract *x, const char *type, const char *s, size_t len, int64_t start,
                      double conf)
{
    uint64_t h = form_hash(type, s, len);
    size_t j = h & (x->cap - 1);
    while (x->forms[j].used) {
        form *f = &x->forms[j];
        if (f->hash == h && strcmp(f->type, type) == 0 && strlen(f->surface) == len &&
            memcmp(f->surface, s, len) == 0) {
            f->count++;
            if (conf > f->confidence)
                f->confidence = conf;
            return f->prov_id[0] ? f : NULL;
        }
        j = (j + 1) & (x->cap - 1);
    }
    if ((x->n + 1) * 2 > x->cap) {
        grow(x);
        return form_get(x, type, s, len, start, conf);
    }
    form *f = &x->forms[j];
    f->used = 1;
    f->hash = h;
    f->surface = kg_xstrndup(s, len);
    snprintf(f->type, sizeof f->type, "%s", type);
    f->count = 1;
    f->first_start = start;
    f->confidence = conf;
    f->defines[0] = 0;
    f->described = 0;
    x->n++;
    char *key = kg_resolve_key(type, f->surface);
    if (key[0])
        kg_entity_id_for(f->prov_id, type, key);
    free(key);
    return f->prov_id[0] ? f : NULL;
}

int kg_extract_form(kg_extract *x, const char *type, const char *surface, size_t len, int64_t start,
                    double confidence, char id_out[KG_ID_MAX])
{
    form *f = form_get(x, type, surface, len, start, confidence);
    if (!f)
        return 0;
    memcpy(id_out, f->prov_id, KG_ID_MAX);
    return 1;
}

static void push_mention(kg_extract_batch *b, size_t *cap, const kg_mention *m)
{
    kg_vec_room(b->mentions, b->nmentions, *cap);
    b->mentions[b->nmentions++] = *m;
}

/* The span [*ms, *me) of a recognised mention as it will be stored: cut
 * after a paragraph break inside it, leading spaces off; its surface in
 * surf with line wraps as single spaces.  0 when nothing of a name is left
 * (a span cut at a paragraph break that is only a title, "Dr."). */
static int mention_surface(const char *text, const kg_ner_mention *nm, uint32_t *ms, uint32_t *me,
                           char *surf, size_t cap, size_t *slen)
{
    *ms = nm->start;
    *me = nm->end;
    for (uint32_t k = *ms; k + 1 < *me; k++)
        if (text[k] == '\n' && text[k + 1] == '\n')
            *ms = k + 2;
    while (*ms < *me && (text[*ms] == ' ' || text[*ms] == '\n' || text[*ms] == '\t'))
        (*ms)++;
    if (*ms >= *me)
        return 0;
    size_t n = 0;
    for (uint32_t k = *ms; k < *me && n + 1 < cap; k++) {
        char ch = text[k];
        int space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
        if (space) {
            if (n && surf[n - 1] != ' ')
                surf[n++] = ' ';
        } else {
            surf[n++] = ch;
        }
    }
    while (n && surf[n - 1] == ' ')
        n--;
    *slen = n;
    return !(*ms != nm->start && n && surf[n - 1] == '.' && !memchr(surf, ' ', n));
}

/* The mention row of form f at chunk-relative [ms, me). */
static void mention_row(kg_mention *m, const char *chunk_id, const form *f,
                        const kg_ner_mention *nm, uint64_t doc_start, uint32_t ms, uint32_t me)
{
    memset(m, 0, sizeof *m);
    char sp[48];
    size_t spn = put_uint(sp, ms);
    sp[spn++] = ':';
    sp[spn + put_uint(sp + spn, me)] = 0;
    const char *parts[] = {chunk_id, sp};
    kg_make_row_id(m->id, "men", parts, 2);
    copy_str(m->entity_id, sizeof m->entity_id, f->prov_id);
    copy_str(m->chunk_id, sizeof m->chunk_id, chunk_id);
    m->start = (int64_t)(doc_start + ms);
    m->end = (int64_t)(doc_start + me);
    m->surface = f->surface; /* shared with the table until copied */
    copy_str(m->type, sizeof m->type, nm->type);
    m->confidence = nm->confidence;
    copy_str(m->method, sizeof m->method, "rules");
}

/* The relations among the chunk's mentions rm (entity ids by local index
 * in local), in the sentences the chunk owns, into out. */
static int relate_chunk(kg_extract *x, const char *chunk_id, const char *text, size_t len,
                        uint64_t doc_start, size_t own, const kg_relate_mention *rm, int nrm,
                        char (*local)[KG_ID_MAX], kg_extract_batch *out, kg_err *err)
{
    kg_sentences(text, len, &x->sents);
    kg_relate_span *sp = kg_xcalloc(x->sents.n ? x->sents.n : 1, sizeof *sp);
    int ns = 0;
    for (size_t i = 0; i < x->sents.n; i++) {
        if (x->sents.v[i].start < own)
            continue;
        sp[ns].start = (int64_t)x->sents.v[i].start;
        sp[ns].end = (int64_t)x->sents.v[i].end;
        ns++;
    }
    kg_relate_list *rl = NULL;
    int rc = kg_relate_extract(text, len, sp, ns, rm, nrm, x->opts.max_cooccur, &rl, err);
    if (!rc && rl)
        out->counts = rl->counts;
    if (!rc && rl && rl->n > 0) {
        out->relations = kg_xcalloc((size_t)rl->n, sizeof *out->relations);
        for (int i = 0; i < rl->n; i++) {
            const kg_relate_rel *r = &rl->v[i];
            kg_relation *o = &out->relations[out->nrelations++];
            copy_str(o->source_id, sizeof o->source_id, local[r->source]);
            copy_str(o->target_id, sizeof o->target_id, local[r->target]);
            copy_str(o->type, sizeof o->type, r->type);
            copy_str(o->method, sizeof o->method, r->method);
            copy_str(o->chunk_id, sizeof o->chunk_id, chunk_id);
            o->confidence = r->confidence;
            o->start = (int64_t)doc_start + r->start;
            o->end = (int64_t)doc_start + r->end;
            o->support = 1;
            char span[48];
            span[put_uint(span, (uint64_t)o->start)] = 0; /* offsets are >= 0 */
            const char *parts[] = {chunk_id, span, o->source_id, o->type, o->target_id};
            kg_make_row_id(o->id, "rel", parts, 5);
        }
    }
    kg_relate_list_free(rl);
    free(sp);
    return rc;
}

int kg_extract_chunk(kg_extract *x, const char *chunk_id, const char *text, size_t len,
                     uint64_t doc_start, uint64_t owned_from, kg_extract_batch *out, kg_err *err)
{
    memset(out, 0, sizeof *out);
    kg_ner_opts no = KG_NER_OPTS_INIT;
    no.min_confidence = (float)x->opts.min_confidence;
    no.doc = x->ner_doc;
    int rc = kg_ner_run(text, len, &no, &x->ner, err);
    if (rc)
        return rc;
    propagate_names(x, text, len);
    size_t own = owned_from > doc_start ? (size_t)(owned_from - doc_start) : 0;
    size_t mcap = 0;
    /* Per chunk: which relation-eligible forms appear (local index -> id). */
    kg_relate_mention *rm = kg_xcalloc(x->ner.n ? x->ner.n : 1, sizeof *rm);
    /* Entity ids by local index.  Copies, not pointers into the form table:
     * a later form_get() may grow (move) the table. */
    char(*local)[KG_ID_MAX] = kg_xcalloc(x->ner.n ? x->ner.n : 1, sizeof *local);
    int nlocal = 0, nrm = 0;
    char surf[512];
    for (size_t i = 0; i < x->ner.n; i++) {
        const kg_ner_mention *nm = &x->ner.v[i];
        if (nm->start < own)
            continue; /* the previous chunk reported it */
        uint32_t ms, me;
        size_t slen = 0;
        if (!mention_surface(text, nm, &ms, &me, surf, sizeof surf, &slen))
            continue;
        form *f = form_get(x, nm->type, surf, slen, (int64_t)(doc_start + ms), nm->confidence);
        if (!f)
            continue;
        if (!f->defines[0])
            kg_resolve_defines(text, len, me, f->defines);
        if (nm->evidence & KG_NER_EV_DESCRIBED)
            f->described = 1;
        learn_names(x, surf, slen, nm->type, nm->confidence);
        kg_mention m;
        mention_row(&m, chunk_id, f, nm, doc_start, ms, me);
        push_mention(out, &mcap, &m);
        if (is_value_type(nm->type))
            continue;
        int li = -1;
        for (int k = 0; k < nlocal; k++)
            if (strcmp(local[k], f->prov_id) == 0) {
                li = k;
                break;
            }
        if (li < 0) {
            li = nlocal;
            memcpy(local[nlocal++], f->prov_id, KG_ID_MAX);
        }
        rm[nrm].start = ms; /* chunk-relative for relate */
        rm[nrm].end = me;
        rm[nrm].type = nm->type;
        rm[nrm].entity = li;
        nrm++;
    }
    /* The batch outlives the table's growth: give it its own strings. */
    for (size_t i = 0; i < out->nmentions; i++)
        out->mentions[i].surface = kg_xstrdup(out->mentions[i].surface);
    if (nrm >= 2)
        rc = relate_chunk(x, chunk_id, text, len, doc_start, own, rm, nrm, local, out, err);
    free(rm);
    free(local);
    if (rc)
        kg_extract_batch_free(out);
    return rc;
}

void kg_extract_batch_free(kg_extract_batch *b)
{
    for (size_t i = 0; i < b->nmentions; i++)
        free((char *)b->mentions[i].surface);
    free(b->mentions);
    free(b->relations);
    memset(b, 0, sizeof *b);
}

static int cmp_remap(const void *a, const void *b)
{
    return strcmp(((const kg_id_remap *)a)->from, ((const kg_id_remap *)b)->from);
}

int kg_extract_finish(kg_extract *x, kg_extract_result *out, kg_err *err)
{
    memset(out, 0, sizeof *out);
    /* One row per distinct form, weighted by how often it occurred. */
    size_t total = 0;
    for (size_t i = 0; i < x->cap; i++)
        if (x->forms[i].used && x->forms[i].prov_id[0])
            total++;
    if (total == 0)
        return KG_OK;
    kg_resolve_mention *rm = kg_xcalloc(total, sizeof *rm);
    form **owner = kg_xcalloc(
        total, sizeof *owner); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
    size_t k = 0;
    for (size_t i = 0; i < x->cap; i++) {
        form *f = &x->forms[i];
        if (!f->used || !f->prov_id[0])
            continue;
        rm[k].surface = f->surface;
        rm[k].type = f->type;
        rm[k].start = f->first_start;
        rm[k].end = f->first_start + (int64_t)strlen(f->surface);
        rm[k].confidence = f->confidence;
        rm[k].weight = f->count > INT32_MAX ? INT32_MAX : (int)f->count;
        rm[k].defines = f->defines[0] ? f->defines : NULL;
        rm[k].described = f->described;
        owner[k] = f;
        k++;
    }
    kg_resolution *res = NULL;
    int rc = kg_resolve_document(NULL, 0, rm, (int)total, &res, err);
    if (rc) {
        free(rm);
        free(owner);
        return rc;
    }
    out->entities = kg_xcalloc((size_t)res->n_entities, sizeof *out->entities);
    out->nentities = (size_t)res->n_entities;
    for (int e = 0; e < res->n_entities; e++) {
        const kg_resolve_entity *re = &res->entities[e];
        kg_entity *o = &out->entities[e];
        kg_entity_id_for(o->id, re->type, re->key);
        o->name = kg_xstrdup(re->name);
        o->key = kg_xstrdup(re->key);
        snprintf(o->type, sizeof o->type, "%s", re->type);
        o->confidence = re->confidence;
        json_t *al = json_array();
        for (int a = 0; a < re->n_aliases; a++)
            json_array_append_new(al, json_string(re->aliases[a]));
        o->aliases = json_dumps(al, JSON_COMPACT);
        json_decref(al);
    }
    /* Mention counts and the renames, one per form. */
    out->remap = kg_xcalloc(x->n ? x->n : 1, sizeof *out->remap);
    for (size_t i = 0; i < total; i++) {
        const form *f = owner[i];
        kg_entity *o = &out->entities[res->mention_entity[i]];
        o->mentions += f->count;
        if (strcmp(f->prov_id, o->id) != 0) {
            kg_id_remap *m = &out->remap[out->nremap++];
            snprintf(m->from, sizeof m->from, "%s", f->prov_id);
            snprintf(m->to, sizeof m->to, "%s", o->id);
        }
    }
    /* Forms sharing a key share an entity, so duplicates are identical. */
    if (out->nremap > 1) {
        qsort(out->remap, out->nremap, sizeof *out->remap, cmp_remap);
        size_t w = 1;
        for (size_t r = 1; r < out->nremap; r++)
            if (strcmp(out->remap[r].from, out->remap[w - 1].from) != 0)
                out->remap[w++] = out->remap[r];
        out->nremap = w;
    }
    kg_resolution_free(res);
    free(rm);
    free(owner);
    return KG_OK;
}

void kg_extract_result_free(kg_extract_result *r)
{
    for (size_t i = 0; i < r->nentities; i++) {
        free((char *)r->entities[i].name);
        free((char *)r->entities[i].key);
        free((char *)r->entities[i].aliases);
    }
    free(r->entities);
    free(r->remap);
    memset(r, 0, sizeof *r);
}
