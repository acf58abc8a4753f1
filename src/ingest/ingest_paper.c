/* ingest_paper: see ingest_paper.h. */
#include "ingest/ingest_paper.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/vec.h"
#include "graph/resolve.h"
#include "paper/paper_json.h"
#include "paper/paper_key.h"

#define CONF_PAPER 0.95 /* the document's own PAPER and its authors: read from its header */
#define CONF_REF 0.9    /* a parsed bibliography entry */
#define CONF_EDGE 0.9
#define SURFACE_MAX 300 /* bytes of an entry kept as its mention's surface */

int kg_paper_reads_as_paper(const kg_paper *p, int is_pdf)
{
    if (!p)
        return 0;
    if (p->nrefs > 0)
        return 1;
    /* A header read from the layout: a title not taken from the file name
     * or the first line, and found (or partly: a title without authors). */
    int header = !p->header_status || strncmp(p->header_status, "partial", 7) == 0;
    return is_pdf && header && p->title_from && (p->title || p->nauthors);
}

void kg_chunk_id_for(char out[KG_ID_MAX], const char *doc_id, int ordinal)
{
    char ord[24];
    snprintf(ord, sizeof ord, "%d", ordinal);
    const char *parts[] = {doc_id, ord};
    kg_make_id(out, "chunk", parts, 2);
}

/* ---- finding header text in the document ------------------------------ */

typedef struct span {
    uint64_t start, end;
    int found;
} span;

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* needle in hay, any run of white space in the needle matching any run in
 * the hay (front matter keeps its line breaks). */
static span find_loose(const char *hay, size_t n, const char *needle)
{
    span sp = {0, 0, 0};
    if (!needle || !*needle || !hay)
        return sp;
    while (is_space(*needle))
        needle++;
    for (size_t i = 0; i < n; i++) {
        if (hay[i] != *needle)
            continue;
        size_t h = i;
        const char *q = needle;
        while (*q && h < n) {
            if (is_space(*q)) {
                if (!is_space(hay[h]))
                    break;
                while (is_space(*q))
                    q++;
                while (h < n && is_space(hay[h]))
                    h++;
            } else if (*q == hay[h]) {
                q++;
                h++;
            } else {
                break;
            }
        }
        if (!*q) {
            sp.start = i;
            sp.end = h;
            sp.found = 1;
            return sp;
        }
    }
    return sp;
}

/* ---- rows ------------------------------------------------------------- */

typedef struct builder {
    const kg_paper_doc *d;
    kg_paper_rows *out;
    size_t mcap, rcap, ecap;
    span title; /* where the document's title is, or the start */
} builder;

static void chunk_at(const kg_paper_doc *d, uint64_t pos, char out[KG_ID_MAX])
{
    size_t lo = 0, hi = d->nchunks;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->chunk_start[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    kg_chunk_id_for(out, d->doc_id, (int)lo);
}

static void add_mention(builder *b, const char *entity_id, const char *type, span sp,
                        const char *surface, size_t len, double conf)
{
    kg_paper_rows *o = b->out;
    kg_vec_room(o->mentions, o->nmentions, b->mcap);
    kg_mention *m = &o->mentions[o->nmentions++];
    memset(m, 0, sizeof *m);
    chunk_at(b->d, sp.start, m->chunk_id);
    char se[48];
    snprintf(se, sizeof se, "%llu:%llu:%s", (unsigned long long)sp.start,
             (unsigned long long)sp.end, type);
    const char *parts[] = {m->chunk_id, se, KG_PAPER_METHOD};
    kg_make_row_id(m->id, "men", parts, 3);
    snprintf(m->entity_id, sizeof m->entity_id, "%s", entity_id);
    m->start = (int64_t)sp.start;
    m->end = (int64_t)sp.end;
    m->surface = kg_xstrndup(surface, len > SURFACE_MAX ? SURFACE_MAX : len);
    snprintf(m->type, sizeof m->type, "%s", type);
    m->confidence = conf;
    snprintf(m->method, sizeof m->method, "%s", KG_PAPER_METHOD);
}

static void add_edge(builder *b, const char *src, const char *type, const char *dst, span sp)
{
    if (strcmp(src, dst) == 0)
        return;
    kg_paper_rows *o = b->out;
    kg_vec_room(o->relations, o->nrelations, b->rcap);
    kg_relation *r = &o->relations[o->nrelations++];
    memset(r, 0, sizeof *r);
    snprintf(r->source_id, sizeof r->source_id, "%s", src);
    snprintf(r->target_id, sizeof r->target_id, "%s", dst);
    snprintf(r->type, sizeof r->type, "%s", type);
    chunk_at(b->d, sp.start, r->chunk_id);
    char se[48];
    snprintf(se, sizeof se, "%llu:%llu", (unsigned long long)sp.start, (unsigned long long)sp.end);
    const char *parts[] = {src, type, dst, r->chunk_id, se};
    kg_make_row_id(r->id, "evi", parts, 5);
    r->start = (int64_t)sp.start;
    r->end = (int64_t)sp.end;
    r->weight = 1.0;
    r->confidence = CONF_EDGE;
    r->support = 1;
    snprintf(r->method, sizeof r->method, "%s", KG_PAPER_METHOD);
}

/* Its other keys name the same work as id. */
static void add_same(builder *b, const char *id, const char *name, const char *doi,
                     const char *arxiv, const char *title, int year)
{
    char *alt[2];
    size_t n = kg_paper_alt_keys(doi, arxiv, title, year, alt);
    kg_paper_rows *o = b->out;
    for (size_t i = 0; i < n; i++) {
        char from[KG_ID_MAX];
        kg_entity_id_for(from, "PAPER", alt[i]);
        free(alt[i]);
        int have = 0;
        for (size_t k = 0; k < o->nsame && !have; k++)
            have = strcmp(o->same[k].from, from) == 0;
        if (have)
            continue;
        o->same = kg_xrealloc(o->same, (o->nsame + 1) * sizeof *o->same);
        kg_paper_same *sm = &o->same[o->nsame++];
        memcpy(sm->from, from, KG_ID_MAX);
        snprintf(sm->into, sizeof sm->into, "%s", id);
        sm->name = kg_xstrdup(name);
    }
}

/* The PAPER entity of key, one row per document however many entries name
 * it (a bibliography may list one work twice); returns its id. */
static const char *add_paper(builder *b, const char *key, const char *name, double conf)
{
    kg_paper_rows *o = b->out;
    char id[KG_ID_MAX];
    kg_entity_id_for(id, "PAPER", key);
    for (size_t i = 0; i < o->nentities; i++)
        if (strcmp(o->entities[i].id, id) == 0) {
            kg_entity *e = &o->entities[i];
            if (strcmp(e->name, name) != 0 && strstr(e->aliases, "[]")) {
                json_t *a = json_pack("[s]", name);
                free((char *)e->aliases);
                e->aliases = json_dumps(a, JSON_COMPACT);
                json_decref(a);
            }
            return e->id;
        }
    kg_vec_room(o->entities, o->nentities, b->ecap);
    kg_entity *e = &o->entities[o->nentities++];
    memset(e, 0, sizeof *e);
    memcpy(e->id, id, KG_ID_MAX);
    e->name = kg_xstrdup(name);
    e->key = kg_xstrdup(key);
    snprintf(e->type, sizeof e->type, "PAPER");
    e->confidence = conf;
    e->aliases = kg_xstrdup("[]");
    return e->id;
}

static void count_mention(kg_paper_rows *o, const char *id)
{
    for (size_t i = 0; i < o->nentities; i++)
        if (strcmp(o->entities[i].id, id) == 0)
            o->entities[i].mentions++;
}

/* The document's own PAPER; its id is copied to out->paper_id. */
static void own_paper(builder *b, const kg_paper *p)
{
    const char *title = p->title ? p->title : b->d->title;
    if (!title || !*title)
        return;
    char *key = kg_paper_key(p->doi, p->arxiv, title, p->year);
    if (!key)
        return;
    const char *id = add_paper(b, key, title, CONF_PAPER);
    snprintf(b->out->paper_id, sizeof b->out->paper_id, "%s", id);
    add_same(b, b->out->paper_id, title, p->doi, p->arxiv, title, p->year);
    free(key);
    b->title = find_loose(b->d->head, b->d->nhead, title);
    if (b->title.found) {
        add_mention(b, b->out->paper_id, "PAPER", b->title, b->d->head + b->title.start,
                    (size_t)(b->title.end - b->title.start), CONF_PAPER);
        count_mention(b->out, b->out->paper_id);
    }
    if (p->title)
        b->out->title = kg_xstrdup(p->title);
}

/* A header name (author or institution): registered with the extractor,
 * with a mention where the header prints it.  Returns its span (the
 * title's when not found) and fills id; 0 when it has no id. */
static int header_entity(builder *b, kg_extract *x, const char *type, const char *name,
                         char id[KG_ID_MAX], span *where)
{
    span sp = find_loose(b->d->head, b->d->nhead, name);
    if (!kg_extract_form(x, type, name, strlen(name), sp.found ? (int64_t)sp.start : 0, CONF_PAPER,
                         id))
        return 0;
    if (sp.found)
        add_mention(b, id, type, sp, name, strlen(name), CONF_PAPER);
    *where = sp.found ? sp : b->title;
    return 1;
}

static void authors(builder *b, const kg_paper *p, kg_extract *x)
{
    char **org_ids = kg_xcalloc(p->naffils ? p->naffils : 1, sizeof *org_ids);
    span *org_at = kg_xcalloc(p->naffils ? p->naffils : 1, sizeof *org_at);
    for (size_t i = 0; i < p->naffils; i++) {
        char *org = kg_paper_affil_org(p->affils[i].name);
        char id[KG_ID_MAX];
        span sp;
        if (org && header_entity(b, x, "ORG", org, id, &sp)) {
            org_ids[i] = kg_xstrdup(id);
            org_at[i] = sp;
        }
        free(org);
    }
    for (size_t i = 0; i < p->nauthors; i++) {
        const kg_paper_author *a = &p->authors[i];
        char id[KG_ID_MAX];
        span sp;
        if (!a->name || !header_entity(b, x, "PERSON", a->name, id, &sp))
            continue;
        if (b->out->paper_id[0])
            add_edge(b, id, "AUTHORED", b->out->paper_id, sp);
        for (size_t k = 0; k < a->naffil; k++)
            if (a->affil[k] < p->naffils && org_ids[a->affil[k]])
                add_edge(b, id, "AFFILIATED_WITH", org_ids[a->affil[k]], org_at[a->affil[k]]);
    }
    for (size_t i = 0; i < p->naffils; i++)
        free(org_ids[i]);
    free(org_ids);
    free(org_at);
}

/* One PAPER per entry; CITES from the document's PAPER with each citing
 * sentence, or the entry itself when no sentence cites it. */
static void references(builder *b, const kg_paper *p)
{
    char(*ids)[KG_ID_MAX] = kg_xcalloc(p->nrefs ? p->nrefs : 1, KG_ID_MAX);
    for (size_t i = 0; i < p->nrefs; i++) {
        const kg_ref *r = &p->refs[i];
        char *key = kg_ref_key(r);
        char *name = key ? kg_ref_name(r) : NULL;
        if (key && name) {
            snprintf(ids[i], KG_ID_MAX, "%s", add_paper(b, key, name, CONF_REF));
            add_same(b, ids[i], name, r->doi, r->arxiv, r->title, r->year);
            span sp = {r->start, r->end, 1};
            const char *raw = r->raw ? r->raw : name;
            add_mention(b, ids[i], "PAPER", sp, raw, strlen(raw), CONF_REF);
            count_mention(b->out, ids[i]);
        }
        free(key);
        free(name);
    }
    if (b->out->paper_id[0]) {
        char *cited = kg_xcalloc(p->nrefs ? p->nrefs : 1, 1);
        for (size_t i = 0; i < p->ncites; i++) {
            const kg_citation *c = &p->cites[i];
            if (c->ref < 0 || (size_t)c->ref >= p->nrefs || !ids[c->ref][0])
                continue;
            span sp = {c->sent_start, c->sent_end, 1};
            add_edge(b, b->out->paper_id, "CITES", ids[c->ref], sp);
            cited[c->ref] = 1;
        }
        for (size_t i = 0; i < p->nrefs; i++)
            if (ids[i][0] && !cited[i]) {
                span sp = {p->refs[i].start, p->refs[i].end, 1};
                add_edge(b, b->out->paper_id, "CITES", ids[i], sp);
            }
        free(cited);
    }
    free(ids);
}

void kg_paper_rows_make(const kg_paper *p, const kg_paper_doc *d, kg_extract *x, kg_paper_rows *out)
{
    memset(out, 0, sizeof *out);
    builder b = {0};
    b.d = d;
    b.out = out;
    own_paper(&b, p);
    if (x)
        authors(&b, p, x);
    references(&b, p);
}

void kg_paper_rows_free(kg_paper_rows *r)
{
    for (size_t i = 0; i < r->nmentions; i++)
        free((char *)r->mentions[i].surface);
    free(r->mentions);
    free(r->relations);
    for (size_t i = 0; i < r->nentities; i++) {
        free((char *)r->entities[i].name);
        free((char *)r->entities[i].key);
        free((char *)r->entities[i].aliases);
    }
    free(r->entities);
    for (size_t i = 0; i < r->nsame; i++)
        free(r->same[i].name);
    free(r->same);
    free(r->title);
    free(r->record);
    memset(r, 0, sizeof *r);
}

char *kg_paper_record(const kg_paper *p)
{
    json_t *o = kg_paper_json(p, 0);
    json_object_del(o, "path");
    json_object_del(o, "pages");
    json_object_del(o, "warning");
    json_t *refs = json_object_get(o, "references");
    size_t i;
    json_t *r;
    for (i = 0; i < json_array_size(refs); i++) {
        r = json_array_get(refs, i);
        json_object_del(r, "raw");
    }
    if (json_array_size(refs) > KG_PAPER_RECORD_REFS) {
        json_t *cut = json_array();
        for (i = 0; i < KG_PAPER_RECORD_REFS; i++)
            json_array_append(cut, json_array_get(refs, i));
        json_object_set_new(o, "references", cut);
    }
    json_object_set_new(o, "n_references", json_integer((json_int_t)p->nrefs));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* ---- acronyms --------------------------------------------------------- */

static long entity_by_key(const kg_extract_result *res, const char *form)
{
    for (size_t i = 0; i < res->nentities; i++) {
        char *k = kg_resolve_key(res->entities[i].type, form);
        int eq = k[0] && strcmp(k, res->entities[i].key) == 0;
        free(k);
        if (eq)
            return (long)i;
    }
    return -1;
}

/* Add names to e's aliases (JSON array text), leaving out its own name. */
static void alias_add(kg_entity *e, const char *name, const char *more_json)
{
    json_t *a = json_loads(e->aliases ? e->aliases : "[]", 0, NULL);
    if (!json_is_array(a)) {
        json_decref(a);
        a = json_array();
    }
    json_t *more = more_json ? json_loads(more_json, 0, NULL) : NULL;
    json_t *names = json_is_array(more) ? more : json_array();
    if (name)
        json_array_insert_new(names, 0, json_string(name));
    size_t i, k;
    json_t *v, *w;
    for (i = 0; i < json_array_size(names); i++) {
        v = json_array_get(names, i);
        const char *s = json_string_value(v);
        int have = !s || strcmp(s, e->name) == 0;
        for (k = 0; !have && k < json_array_size(a); k++) {
            w = json_array_get(a, k);
            have = strcmp(json_string_value(w), s) == 0;
        }
        if (!have)
            json_array_append_new(a, json_string(s));
    }
    json_decref(names);
    free((char *)e->aliases);
    e->aliases = json_dumps(a, JSON_COMPACT);
    json_decref(a);
}

/* Fold entity s into l: names, counts, renames. */
static void fold(kg_extract_result *res, size_t l, size_t s)
{
    kg_entity *L = &res->entities[l], *S = &res->entities[s];
    alias_add(L, S->name, S->aliases);
    L->mentions += S->mentions;
    int renamed = 0;
    for (size_t i = 0; i < res->nremap; i++) {
        if (strcmp(res->remap[i].to, S->id) == 0)
            memcpy(res->remap[i].to, L->id, KG_ID_MAX);
        if (strcmp(res->remap[i].from, S->id) == 0)
            renamed = 1;
    }
    if (!renamed) {
        res->remap = kg_xrealloc(res->remap, (res->nremap + 1) * sizeof *res->remap);
        memcpy(res->remap[res->nremap].from, S->id, KG_ID_MAX);
        memcpy(res->remap[res->nremap].to, L->id, KG_ID_MAX);
        res->nremap++;
    }
    free((char *)S->name);
    free((char *)S->key);
    free((char *)S->aliases);
    /* The last entity takes the freed slot; no freed pointer stays behind. */
    size_t last = res->nentities - 1;
    if (s != last)
        res->entities[s] = res->entities[last];
    memset(&res->entities[last], 0, sizeof res->entities[last]);
    res->nentities--;
}

size_t kg_paper_acronyms(const kg_paper *p, kg_extract_result *res)
{
    size_t folded = 0;
    for (size_t i = 0; p && i < p->nacronyms; i++) {
        const kg_acronym *a = &p->acronyms[i];
        if (!a->short_form || !a->long_form)
            continue;
        long l = entity_by_key(res, a->long_form);
        long s = entity_by_key(res, a->short_form);
        if (l >= 0 && s >= 0 && l != s) {
            /* the form the text uses more names the entity ("AHP") */
            if (res->entities[s].mentions > res->entities[l].mentions)
                fold(res, (size_t)s, (size_t)l);
            else
                fold(res, (size_t)l, (size_t)s);
            folded++;
        } else if (l >= 0 && s < 0) {
            alias_add(&res->entities[l], a->short_form, NULL);
        } else if (s >= 0 && l < 0) {
            alias_add(&res->entities[s], a->long_form, NULL);
        }
    }
    return folded;
}

/* Does the JSON array text hold the string name? */
static int alias_has(const char *aliases, const char *name)
{
    json_t *a = json_loads(aliases ? aliases : "[]", 0, NULL);
    size_t i;
    json_t *v;
    int has = 0;
    for (i = 0; !has && i < json_array_size(a); i++) {
        v = json_array_get(a, i);
        has = strcmp(json_string_value(v), name) == 0;
    }
    json_decref(a);
    return has;
}

size_t kg_paper_author_names(const kg_paper *p, kg_extract_result *res)
{
    size_t renamed = 0;
    for (size_t i = 0; p && i < p->nauthors; i++) {
        const char *name = p->authors[i].name;
        if (!name)
            continue;
        for (size_t k = 0; k < res->nentities; k++) {
            kg_entity *e = &res->entities[k];
            if (strcmp(e->type, "PERSON") != 0 || strcmp(e->name, name) == 0 ||
                strlen(e->name) >= strlen(name) || !alias_has(e->aliases, name))
                continue;
            char *old = kg_xstrdup(e->name);
            free((char *)e->name);
            e->name = kg_xstrdup(name);
            alias_add(e, old, NULL);
            free(old);
            /* the full name is now the name, not an alias */
            json_t *a = json_loads(e->aliases, 0, NULL);
            json_t *keep = json_array();
            size_t j;
            json_t *v;
            for (j = 0; j < json_array_size(a); j++) {
                v = json_array_get(a, j);
                if (strcmp(json_string_value(v), name) != 0)
                    json_array_append(keep, v);
            }
            free((char *)e->aliases);
            e->aliases = json_dumps(keep, JSON_COMPACT);
            json_decref(keep);
            json_decref(a);
            renamed++;
            break;
        }
    }
    return renamed;
}
