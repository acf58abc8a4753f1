/* qlink: see qlink.h.  Three reads per question: the recogniser (no
 * store), the name index for every phrase at once (one prepared
 * statement), then the candidate entities' names and aliases to decide
 * each link's kind; titles are one full-text look-up per phrase. */
#include "search/qlink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "graph/qnames.h"
#include "ner/ner.h"
#include "store/hood_store.h"
#include "store/retrieval_store.h"

#define TITLE_MAX_WORDS 8 /* longest phrase compared with titles */
#define TITLE_ROWS 1024   /* documents read whose text starts with a phrase */

/* One (phrase, entity) pair the name index proposed. */
typedef struct cand {
    int gram;
    char id[KG_ID_MAX];
    int acronym; /* proposed by the phrase's initials */
} cand;

typedef struct cands {
    cand *v;
    size_t n, cap;
    const int *map; /* look-up index -> phrase */
    int acronym;
} cands;

static void cand_add(cands *c, int gram, const char *id, int acronym)
{
    kg_vec_reserve(c, 1);
    cand *x = &c->v[c->n++];
    x->gram = gram;
    snprintf(x->id, sizeof x->id, "%s", id);
    x->acronym = acronym;
}

static int on_exact(size_t i, const char *id, void *ud)
{
    cands *c = ud;
    cand_add(c, c->map[i], id, c->acronym);
    return 0;
}

typedef struct near_ctx {
    cands *c;
    const kg_qphrase *g;
    int gram;
} near_ctx;

static int on_near(const char *norm, const char *id, void *ud)
{
    near_ctx *x = ud;
    if (kg_qphrase_fuzzy(x->g->norm, norm) > 0)
        cand_add(x->c, x->gram, id, 0);
    return 0;
}

/* The recogniser's mentions of the question. */
static int recognise(const char *q, kg_qlink_result *r, kg_err *err)
{
    kg_ner_result ner = KG_NER_RESULT_INIT;
    int rc = kg_ner_run(q, strlen(q), NULL, &ner, err);
    if (rc) {
        kg_ner_result_free(&ner);
        return rc;
    }
    r->recognised = kg_xcalloc(ner.n + 1, sizeof *r->recognised);
    r->recognised_type = kg_xcalloc(ner.n + 1, sizeof *r->recognised_type);
    for (size_t i = 0; i < ner.n; i++) {
        r->recognised[i] = (kg_qphrase_span){ner.v[i].start, ner.v[i].end};
        snprintf(r->recognised_type[i], KG_TYPE_MAX, "%s", ner.v[i].type);
    }
    r->nrecognised = ner.n;
    kg_ner_result_free(&ner);
    return KG_OK;
}

/* Every entity any phrase may name, by the index: exact forms, initials,
 * then fuzzy forms of the phrases that found nothing exactly. */
static int propose(kg_store *s, const kg_qphrase *g, int ng, cands *c, kg_err *err)
{
    const char **norms = kg_xcalloc((size_t)ng + 1, sizeof *norms);
    int *map = kg_xcalloc((size_t)ng + 1, sizeof *map);
    size_t n = 0;
    for (int i = 0; i < ng; i++)
        if (g[i].entity) {
            norms[n] = g[i].norm;
            map[n++] = i;
        }
    c->map = map;
    c->acronym = 0;
    int rc = kg_store_names_exact_many(s, norms, n, on_exact, c, err);
    size_t exact_n = c->n;
    n = 0;
    for (int i = 0; i < ng; i++)
        if (g[i].entity && g[i].initials) {
            norms[n] = g[i].initials;
            map[n++] = i;
        }
    c->acronym = 1;
    if (!rc)
        rc = kg_store_names_exact_many(s, norms, n, on_exact, c, err);
    char *found = kg_xcalloc((size_t)ng + 1, 1);
    for (size_t k = 0; k < exact_n; k++)
        found[c->v[k].gram] = 1;
    for (int i = 0; i < ng && !rc; i++) {
        if (!g[i].fuzzy || found[i])
            continue;
        int len = (int)strlen(g[i].norm);
        near_ctx x = {c, &g[i], i};
        rc = kg_store_names_near(s, g[i].norm, len - KG_QNAME_LEN_GAP, len + KG_QNAME_LEN_GAP,
                                 on_near, &x, err);
    }
    free(found);
    free(norms);
    free(map);
    c->map = NULL;
    return rc;
}

/* ---- deciding each link -------------------------------------------------------- */

typedef struct judged {
    const char *kind;
    double match;
} judged;

/* How the phrase names entity e: by its name (exact, normalised, fuzzy),
 * an alias (alias, fuzzy), and only when neither, by the phrase's
 * initials (acronym): "Graph Eco Netwrk" is a misspelt name before it is
 * "GEN". */
/* A common word capitalised inside the question names only an entity
 * spelt exactly so: its name, or one of its aliases. */
static judged judge_exact(const char *surface, const kg_graph_node *e)
{
    if (strcmp(surface, e->name) == 0)
        return (judged){"exact", 1.0};
    judged j = {NULL, 0};
    json_t *al = e->aliases && strcmp(e->aliases, "[]") != 0 ? json_loads(e->aliases, 0, NULL)
                                                             : NULL;
    size_t i;
    json_t *a;
    json_array_foreach(al, i, a)
    {
        if (json_string_value(a) && strcmp(json_string_value(a), surface) == 0)
            j = (judged){"alias", 0.9};
    }
    json_decref(al);
    return j;
}

static judged judge(const kg_qphrase *g, const char *surface, const kg_graph_node *e, int acronym)
{
    if (g->exact_only)
        return judge_exact(surface, e);
    judged j = {NULL, 0}, acr = {NULL, 0};
    char *nn = kg_qname_norm(e->name);
    if (strcmp(nn, g->norm) == 0)
        j = strcmp(surface, e->name) == 0 ? (judged){"exact", 1.0} : (judged){"normalised", 0.95};
    else if (g->fuzzy && kg_qphrase_fuzzy(g->norm, nn) > 0)
        j = (judged){"fuzzy", kg_qphrase_fuzzy(g->norm, nn)};
    if (acronym && g->initials && strcmp(nn, g->initials) == 0)
        acr = (judged){"acronym", 0.85};
    free(nn);
    json_t *al = e->aliases && strcmp(e->aliases, "[]") != 0 ? json_loads(e->aliases, 0, NULL)
                                                             : NULL;
    size_t i;
    json_t *a;
    json_array_foreach(al, i, a)
    {
        char *an = kg_qname_norm(json_string_value(a) ? json_string_value(a) : "");
        judged k = {NULL, 0};
        if (strcmp(an, g->norm) == 0)
            k = (judged){"alias", 0.9};
        else if (g->fuzzy && kg_qphrase_fuzzy(g->norm, an) > 0)
            k = (judged){"fuzzy", 0.95 * kg_qphrase_fuzzy(g->norm, an)};
        if (k.match > j.match)
            j = k;
        if (acronym && g->initials && strcmp(an, g->initials) == 0)
            acr = (judged){"acronym", 0.85};
        free(an);
    }
    json_decref(al);
    return j.kind ? j : acr;
}

static const kg_graph_node *node_of(const kg_graph_data *d, const char *id)
{
    for (size_t i = 0; i < d->nnodes; i++)
        if (strcmp(d->nodes[i].id, id) == 0)
            return &d->nodes[i];
    return NULL;
}

static int by_score(const void *a, const void *b)
{
    const kg_qlink_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->pagerank != y->pagerank)
        return x->pagerank > y->pagerank ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void add_hit(kg_qlink_result *r, const kg_qphrase *g, const kg_graph_node *e, judged j,
                    const char *surface)
{
    double score = j.match * kg_qphrase_why_weight(g->why);
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->hits[i].id, e->id) == 0) {
            if (score <= r->hits[i].score)
                return;
            free(r->hits[i].words);
            free(r->hits[i].name);
            memmove(&r->hits[i], &r->hits[i + 1], (r->n - i - 1) * sizeof *r->hits);
            r->n--;
            break;
        }
    r->hits = kg_xrealloc(r->hits, (r->n + 1) * sizeof *r->hits);
    kg_qlink_hit *h = &r->hits[r->n++];
    memset(h, 0, sizeof *h);
    snprintf(h->id, sizeof h->id, "%s", e->id);
    h->name = kg_xstrdup(e->name);
    snprintf(h->type, sizeof h->type, "%s", e->type);
    h->words = kg_xstrdup(surface);
    h->word_start = g->word_start;
    h->word_end = g->word_end;
    h->kind = j.kind;
    h->why = g->why;
    h->score = score;
    h->mentions = e->mentions;
    h->pagerank = e->pagerank;
}

static char *surface_of(const char *q, const kg_qphrase *g)
{
    return kg_xstrndup(q + g->byte_start, g->byte_end - g->byte_start);
}

/* Longest phrases first; a word serves one linked phrase at most. */
static int decide(kg_store *s, const char *q, const kg_qphrase *g, int ng, const cands *c,
                  kg_qlink_result *r, kg_err *err)
{
    const char **ids = kg_xcalloc(c->n + 1, sizeof *ids);
    for (size_t k = 0; k < c->n; k++)
        ids[k] = c->v[k].id;
    kg_graph_data d;
    int rc = kg_store_graph_load_nodes(s, ids, c->n, &d, err);
    free(ids);
    if (rc)
        return rc;
    int words = 0;
    for (int i = 0; i < ng; i++)
        if (g[i].word_end > words)
            words = g[i].word_end;
    char *used = kg_xcalloc((size_t)words + 1, 1);
    for (int i = 0; i < ng; i++) {
        int busy = 0;
        for (int w = g[i].word_start; w < g[i].word_end; w++)
            busy |= used[w];
        if (busy)
            continue;
        char *surface = surface_of(q, &g[i]);
        int linked = 0;
        for (size_t k = 0; k < c->n; k++) {
            if (c->v[k].gram != i)
                continue;
            const kg_graph_node *e = node_of(&d, c->v[k].id);
            judged j = e ? judge(&g[i], surface, e, c->v[k].acronym) : (judged){NULL, 0};
            if (!j.kind)
                continue;
            add_hit(r, &g[i], e, j, surface);
            linked = 1;
        }
        free(surface);
        if (linked)
            for (int w = g[i].word_start; w < g[i].word_end; w++)
                used[w] = 1;
    }
    free(used);
    kg_graph_data_free(&d);
    if (r->n)
        qsort(r->hits, r->n, sizeof *r->hits, by_score);
    return KG_OK;
}

/* ---- titles -------------------------------------------------------------------- */

/* The normal form of a title without a trailing "(...)": "Lilu
 * (mythology)" is named "Lilu". */
static char *title_norm(const char *title)
{
    size_t n = strlen(title);
    while (n && title[n - 1] == ' ')
        n--;
    if (n && title[n - 1] == ')') {
        const char *open = NULL;
        for (size_t i = 0; i < n; i++)
            if (title[i] == '(')
                open = title + i;
        if (open && open > title)
            n = (size_t)(open - title);
    }
    char *t = kg_xstrndup(title, n);
    char *r = kg_qname_norm(t);
    free(t);
    return r;
}

/* A document whose text begins with one of the phrases. */
typedef struct titled {
    char chunk_id[KG_ID_MAX], doc_id[KG_ID_MAX];
    char *title, *norm;
} titled;

typedef struct titled_list {
    titled *v;
    size_t n;
} titled_list;

static int on_title(const char *chunk_id, const char *doc_id, const char *title, void *ud)
{
    titled_list *t = ud;
    t->v = kg_xrealloc(t->v, (t->n + 1) * sizeof *t->v);
    titled *x = &t->v[t->n++];
    snprintf(x->chunk_id, sizeof x->chunk_id, "%s", chunk_id);
    snprintf(x->doc_id, sizeof x->doc_id, "%s", doc_id);
    x->title = kg_xstrdup(title);
    x->norm = title_norm(title);
    return 0;
}

/* May phrase i name a document by its title?  Titles are named with their
 * capital ("Hello Love", "Brand") or in full; a phrase of lower-case words
 * rarely is one. */
static int title_phrase(const kg_qphrase *g)
{
    return g->word_end - g->word_start <= TITLE_MAX_WORDS && g->why != KG_QPHRASE_CONTENT;
}

static void add_title(kg_qlink_result *r, const char *q, const kg_qphrase *g, const titled *d,
                      int sharing)
{
    r->titles = kg_xrealloc(r->titles, (r->ntitles + 1) * sizeof *r->titles);
    kg_qlink_title *x = &r->titles[r->ntitles++];
    memset(x, 0, sizeof *x);
    snprintf(x->chunk_id, sizeof x->chunk_id, "%s", d->chunk_id);
    snprintf(x->doc_id, sizeof x->doc_id, "%s", d->doc_id);
    x->title = kg_xstrdup(d->title);
    x->words = surface_of(q, g);
    x->word_start = g->word_start;
    x->word_end = g->word_end;
    x->why = g->why;
    x->score = kg_qphrase_why_weight(g->why);
    x->sharing = sharing;
}

/* A title may run on past the phrase that found it: "Flute Sonata in C
 * major, BWV 1033" is found by "Flute Sonata" (the documents whose text
 * begins with it) but is a title of more words, lower-case and commas
 * among them, that no phrase holds.  The question's text from phrase g's
 * start to each later end of one of its words (sp, ns: kg_qname_spans),
 * in normal form (titles' form), longest last; the number of them, at
 * most TITLE_RUN_WORDS. */
#define TITLE_RUN_WORDS 16

static int title_runs(const char *q, const kg_qname_span *sp, int ns, const kg_qphrase *g,
                      char *norm[TITLE_RUN_WORDS], unsigned end[TITLE_RUN_WORDS])
{
    int n = 0;
    for (int k = 0; k < ns && n < TITLE_RUN_WORDS; k++) {
        if (sp[k].start < g->byte_start || sp[k].end < g->byte_end)
            continue;
        char *t = kg_xstrndup(q + g->byte_start, sp[k].end - g->byte_start);
        norm[n] = kg_qname_norm(t);
        end[n++] = sp[k].end;
        free(t);
    }
    return n;
}

/* Does a found title run on past norm ("flute sonata in c major ...")? */
static int runs_on(const titled_list *t, const char *norm)
{
    size_t n = strlen(norm);
    for (size_t k = 0; k < t->n; k++)
        if (strncmp(t->v[k].norm, norm, n) == 0 && t->v[k].norm[n] == ' ')
            return 1;
    return 0;
}

/* Phrase g run on to byte end: the words of the phrases inside it too; a
 * title of two words or more, given whole, is as sure as a name. */
static kg_qphrase run_on(const kg_qphrase *g, int ng, int i, unsigned end)
{
    kg_qphrase x = g[i];
    x.byte_end = end;
    if (x.why != KG_QPHRASE_PHRASE)
        x.why = KG_QPHRASE_NAME;
    for (int j = 0; j < ng; j++)
        if (g[j].byte_start >= g[i].byte_start && g[j].byte_end <= end &&
            g[j].word_end > x.word_end)
            x.word_end = g[j].word_end;
    return x;
}

/* The longest title among the found documents that the question gives in
 * full from phrase i on, past the phrase's end: its run's index, or -1. */
static int longest_run(const titled_list *t, const kg_qphrase *g, char *const *norm, int nruns)
{
    for (int r = nruns - 1; r >= 0; r--) {
        if (strcmp(norm[r], g->norm) == 0)
            return -1; /* no longer than the phrase itself */
        for (size_t k = 0; k < t->n; k++)
            if (strcmp(t->v[k].norm, norm[r]) == 0)
                return r;
    }
    return -1;
}

/* Does the question (normal form between spaces) name a word of title's
 * qualifier, the words in its trailing brackets: "film" of "Big Hero 6
 * (film)" in "Both Never Cry Wolf and Big Hero 6 films were released by
 * ..."?  Words of three characters or more, not stop words, alone or
 * with an "s". */
static int names_qualifier(const char *qpad, const char *title)
{
    const char *open = strrchr(title, '('), *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close[1] != '\0')
        return 0;
    char *inner = kg_xstrndup(open + 1, (size_t)(close - open - 1));
    char *norm = kg_qname_norm(inner);
    free(inner);
    int named = 0;
    kg_buf key = KG_BUF_INIT;
    char *save = NULL;
    for (char *w = strtok_r(norm, " ", &save); w && !named; w = strtok_r(NULL, " ", &save)) {
        if (strlen(w) < 3 || kg_qname_stop(w))
            continue;
        for (int plural = 0; plural < 2 && !named; plural++) {
            kg_buf_truncate(&key, 0);
            kg_buf_printf(&key, " %s%s ", w, plural ? "s" : "");
            named = strstr(qpad, kg_buf_str(&key)) != NULL;
        }
    }
    kg_buf_free(&key);
    free(norm);
    return named;
}

/* Link phrase x (g's phrase, or the run of it a title holds) to every
 * document of title norm, or, when several share it and the question
 * (qpad: its normal form between spaces) names the qualifier of some
 * ("(film)", "(political consultant)"), to those; mark its words used.
 * Returns the number of documents of that title (0: nothing linked,
 * nothing marked). */
static int link_title(kg_qlink_result *r, const char *q, const char *qpad, const kg_qphrase *x,
                      const titled_list *t, const char *norm, char *used)
{
    int sharing = 0, named = 0;
    for (size_t k = 0; k < t->n; k++)
        sharing += strcmp(t->v[k].norm, norm) == 0;
    if (!sharing)
        return 0;
    unsigned char *by_qualifier = kg_xcalloc(t->n + 1, 1);
    for (size_t k = 0; k < t->n && sharing > 1; k++)
        if (strcmp(t->v[k].norm, norm) == 0) {
            by_qualifier[k] = (unsigned char)names_qualifier(qpad, t->v[k].title);
            named += by_qualifier[k];
        }
    int only_named = named > 0 && named < sharing;
    for (size_t k = 0; k < t->n; k++)
        if (strcmp(t->v[k].norm, norm) == 0 && (!only_named || by_qualifier[k]))
            add_title(r, q, x, &t->v[k], only_named ? named : sharing);
    free(by_qualifier);
    for (int w = x->word_start; w < x->word_end; w++)
        used[w] = 1;
    return sharing;
}

/* One full-text query for every phrase; then longest phrases first, a
 * word serving one title link at most, and of the titles a phrase starts
 * the longest the question holds in full. */
static int link_titles(kg_store *s, const char *q, const kg_qphrase *g, int ng, kg_qlink_result *r,
                       kg_err *err)
{
    const char **norms = kg_xcalloc((size_t)ng + 1, sizeof *norms);
    size_t n = 0;
    int words = 0;
    for (int i = 0; i < ng; i++) {
        if (title_phrase(&g[i]))
            norms[n++] = g[i].norm;
        if (g[i].word_end > words)
            words = g[i].word_end;
    }
    titled_list t = {0};
    int rc = kg_store_title_chunks(s, norms, n, TITLE_ROWS, on_title, &t, err);
    free(norms);
    /* The question's words and its normal form, once for every phrase. */
    kg_qname_span *sp = NULL;
    int ns = t.n ? kg_qname_spans(q, &sp) : 0;
    char *qn = t.n ? kg_qname_norm(q) : NULL;
    kg_buf qpad = KG_BUF_INIT;
    kg_buf_printf(&qpad, " %s ", qn ? qn : "");
    free(qn);
    char *used = kg_xcalloc((size_t)words + 1, 1);
    for (int i = 0; i < ng && !rc && t.n; i++) {
        int busy = !title_phrase(&g[i]);
        for (int w = g[i].word_start; w < g[i].word_end; w++)
            busy |= used[w];
        if (busy)
            continue;
        char *run[TITLE_RUN_WORDS];
        unsigned end[TITLE_RUN_WORDS];
        int nruns = runs_on(&t, g[i].norm) ? title_runs(q, sp, ns, &g[i], run, end) : 0;
        int longest = longest_run(&t, &g[i], run, nruns);
        if (longest >= 0) {
            kg_qphrase x = run_on(g, ng, i, end[longest]);
            for (int w = x.word_start; w < x.word_end; w++)
                busy |= used[w];
            if (!busy)
                link_title(r, q, kg_buf_str(&qpad), &x, &t, run[longest], used);
        }
        for (int k = 0; k < nruns; k++)
            free(run[k]);
        /* Else the phrase itself, if it is a title. */
        if ((longest < 0 || busy) && !g[i].run_only)
            link_title(r, q, kg_buf_str(&qpad), &g[i], &t, g[i].norm, used);
    }
    free(used);
    free(sp);
    kg_buf_free(&qpad);
    for (size_t k = 0; k < t.n; k++) {
        free(t.v[k].title);
        free(t.v[k].norm);
    }
    free(t.v);
    return rc;
}

/* ---- the whole ------------------------------------------------------------------ */

int kg_qlink_run(kg_store *s, const char *question, unsigned flags, kg_qlink_result *out,
                 kg_err *err)
{
    memset(out, 0, sizeof *out);
    const char *q = question ? question : "";
    out->question = kg_xstrdup(q);
    int rc = recognise(q, out, err);
    if (!rc && (flags & KG_QLINK_ENTITIES))
        rc = kg_store_names_ready(s, &out->names_ready, err);
    kg_qphrase *g = NULL;
    int ng = rc ? 0
                : kg_qphrases(q, out->recognised, out->nrecognised, (flags & KG_QLINK_PHRASE) != 0,
                              &g);
    if (!rc && out->names_ready && ng) {
        cands c = {0};
        rc = propose(s, g, ng, &c, err);
        if (!rc && c.n)
            rc = decide(s, q, g, ng, &c, out, err);
        free(c.v);
    }
    if (!rc && (flags & KG_QLINK_TITLES) && ng)
        rc = link_titles(s, q, g, ng, out, err);
    kg_qphrase_free(g, ng);
    if (rc)
        kg_qlink_result_free(out);
    return rc;
}

void kg_qlink_result_free(kg_qlink_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->hits[i].name);
        free(r->hits[i].words);
    }
    for (size_t i = 0; i < r->ntitles; i++) {
        free(r->titles[i].title);
        free(r->titles[i].words);
    }
    free(r->hits);
    free(r->titles);
    free(r->recognised);
    free(r->recognised_type);
    free(r->question);
    memset(r, 0, sizeof *r);
}

json_t *kg_qlink_json(const kg_qlink_result *r)
{
    json_t *rec = json_array(), *ents = json_array(), *docs = json_array();
    for (size_t i = 0; i < r->nrecognised; i++) {
        char *w = kg_xstrndup(r->question + r->recognised[i].start,
                              r->recognised[i].end - r->recognised[i].start);
        json_array_append_new(rec,
                              json_pack("{s:s, s:s}", "words", w, "type", r->recognised_type[i]));
        free(w);
    }
    for (size_t i = 0; i < r->n; i++) {
        const kg_qlink_hit *h = &r->hits[i];
        json_array_append_new(ents,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:I}", "id", h->id,
                                        "name", h->name, "type", h->type, "words", h->words,
                                        "match", h->kind, "why", kg_qphrase_why_name(h->why),
                                        "score", h->score, "mentions", (json_int_t)h->mentions));
    }
    for (size_t i = 0; i < r->ntitles; i++) {
        const kg_qlink_title *t = &r->titles[i];
        json_array_append_new(docs,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:f}", "document", t->doc_id,
                                        "chunk", t->chunk_id, "title", t->title, "words", t->words,
                                        "why", kg_qphrase_why_name(t->why), "score", t->score));
    }
    return json_pack("{s:o, s:o, s:o}", "recognised", rec, "entities", ents, "passages", docs);
}
