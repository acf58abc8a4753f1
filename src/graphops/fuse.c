/* fuse: see fuse.h. */
#include "graphops/fuse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "graph/fuse_score.h"
#include "graph/kindred.h"
#include "search/entity_vec.h"
#include "store/graph_store.h"
#include "store/merge_store.h"

/* A common word shared by more entities than this does not propose pairs
 * (it would propose the square of them); rarer shared words still do. */
#define BLOCK_MAX 400

typedef struct ent {
    const kg_merge_cand *c;
    char **aliases;
    int naliases;
    int nwords;  /* content words of the name */
    char *heads; /* their first bytes, sorted: equal for any match */
    int cluster; /* union-find parent */
    bool ambiguous;
    const float *vec; /* its context vector (unit), NULL: none */
} ent;

/* How pairs are judged: the threshold and the context signal. */
typedef struct judge {
    double t;
    double weight; /* of context similarity; 0: names only */
    int dim;       /* of the context vectors */
} judge;

typedef struct pair {
    int a, b;
    double score;
} pair;

typedef struct block_key {
    const char *type;
    char *word;
    int ent;
} block_key;

static int cmp_block(const void *x, const void *y)
{
    const block_key *a = x, *b = y;
    int c = strcmp(a->type, b->type);
    if (!c)
        c = strcmp(a->word, b->word);
    return c ? c : a->ent - b->ent;
}

static int cmp_pair_ids(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    return a->a != b->a ? a->a - b->a : a->b - b->b;
}

static int cmp_pair_score(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return cmp_pair_ids(x, y);
}

static bool share_doc(const kg_merge_cand *a, const kg_merge_cand *b)
{
    int i = 0, j = 0;
    while (i < a->ndocs && j < b->ndocs) {
        int c = strcmp(a->docs[i], b->docs[j]);
        if (!c)
            return true;
        if (c < 0)
            i++;
        else
            j++;
    }
    return false;
}

static double cosine(const float *a, const float *b, int dim)
{
    double d = 0;
    for (int i = 0; i < dim; i++)
        d += (double)a[i] * b[i];
    return d; /* both unit length */
}

/* Names first; then, when both have a context, its similarity. */
static void compare(const ent *a, const ent *b, const judge *j, kg_fuse_result *r)
{
    kg_fuse_entity x = {a->c->type, a->c->name, (const char *const *)a->aliases, a->naliases};
    kg_fuse_entity y = {b->c->type, b->c->name, (const char *const *)b->aliases, b->naliases};
    kg_fuse_compare(&x, &y, r);
    /* Values never get a vector (load_contexts): no type check needed. */
    if (a->vec && b->vec)
        kg_fuse_context(r, cosine(a->vec, b->vec, j->dim), j->weight);
}

/* Do a and b match: different documents, no veto, at or above t? */
static bool matches(const ent *a, const ent *b, const judge *j)
{
    if (share_doc(a->c, b->c))
        return false;
    kg_fuse_result r;
    compare(a, b, j, &r);
    return !r.veto && r.score >= j->t;
}

static int find(ent *e, int i)
{
    while (e[i].cluster != i)
        i = e[i].cluster = e[e[i].cluster].cluster;
    return i;
}

static void parse_aliases(ent *e)
{
    json_t *a = json_loads(e->c->aliases ? e->c->aliases : "[]", 0, NULL);
    size_t i;
    json_t *v;
    if (json_is_array(a)) {
        e->aliases = kg_xcalloc(json_array_size(a) + 1, sizeof *e->aliases);
        json_array_foreach(a, i, v)
        {
            if (json_is_string(v))
                e->aliases[e->naliases++] = kg_xstrdup(json_string_value(v));
        }
    }
    json_decref(a);
}

static int cmp_byte(const void *x, const void *y)
{
    return *(const char *)x - *(const char *)y;
}

/* Candidate pairs: same or kindred type, a shared content word, no shared
 * document. */
static pair *propose(ent *e, size_t n, size_t *np)
{
    block_key *k = NULL;
    size_t nk = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        char **w = NULL;
        int nw = kg_fuse_words(e[i].c->name, &w);
        e[i].nwords = nw;
        e[i].heads = kg_xcalloc((size_t)nw + 1, 1);
        for (int j = 0; j < nw; j++)
            e[i].heads[j] = w[j][0];
        qsort(e[i].heads, (size_t)nw, 1, cmp_byte);
        /* A second block per word for kindred types (graph/kindred):
         * "United States" GPE meets "United States" LOC. */
        static const char *const fam_block[KG_KIN_FAMILIES] = {NULL, "~research", "~place",
                                                               "~code"};
        const char *fam = fam_block[kg_kin_family(e[i].c->type, kg_name_code_like(e[i].c->name))];
        for (int j = 0; j < nw; j++) {
            kg_vec_room(k, nk, cap);
            k[nk++] = (block_key){e[i].c->type, w[j], (int)i};
            if (fam) {
                kg_vec_room(k, nk, cap);
                k[nk++] = (block_key){fam, kg_xstrdup(w[j]), (int)i};
            }
        }
        free(w); /* the words now belong to k */
    }
    if (nk)
        qsort(k, nk, sizeof *k, cmp_block);
    pair *p = NULL;
    size_t pc = 0;
    *np = 0;
    for (size_t s = 0; s < nk;) {
        size_t t = s + 1;
        while (t < nk && strcmp(k[t].type, k[s].type) == 0 && strcmp(k[t].word, k[s].word) == 0)
            t++;
        if (t - s <= BLOCK_MAX)
            for (size_t i = s; i < t; i++)
                for (size_t j = i + 1; j < t; j++) {
                    /* Every word must find a partner with its first byte
                     * (graph/fuse_score): other counts or initials never
                     * match. */
                    if (k[i].ent == k[j].ent || e[k[i].ent].nwords != e[k[j].ent].nwords ||
                        strcmp(e[k[i].ent].heads, e[k[j].ent].heads) != 0 ||
                        share_doc(e[k[i].ent].c, e[k[j].ent].c))
                        continue;
                    kg_vec_room(p, *np, pc);
                    p[(*np)++] = (pair){k[i].ent, k[j].ent, 0};
                }
        s = t;
    }
    for (size_t i = 0; i < nk; i++)
        free(k[i].word);
    free(k);
    if (*np)
        qsort(p, *np, sizeof *p, cmp_pair_ids);
    size_t u = 0;
    for (size_t i = 0; i < *np; i++)
        if (!u || cmp_pair_ids(&p[u - 1], &p[i]) != 0)
            p[u++] = p[i];
    *np = u;
    return p;
}

static json_t *ent_json(const kg_merge_cand *c)
{
    return json_pack("{s:s, s:s, s:s}", "id", c->id, "name", c->name, "type", c->type);
}

static json_t *reasons_json(const char *reasons)
{
    json_t *a = json_array();
    char *r = kg_xstrdup(reasons);
    char *save = NULL;
    for (char *t = strtok_r(r, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        while (*t == ' ')
            t++;
        json_array_append_new(a, json_string(t));
    }
    free(r);
    return a;
}

int kg_fuse_strategy_parse(const char *s)
{
    static const char *const names[] = {"evidence_based", "confidence_weighted", "temporal"};
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* The survivor of a cluster, whose name and key the merged entity keeps:
 * by the strategy's own measure first, then most mentions, then the longer
 * name, then the smaller id (deterministic). */
static bool better(const ent *a, const ent *b, kg_fuse_strategy st)
{
    if (st == KG_FUSE_CONFIDENCE_WEIGHTED && a->c->confidence != b->c->confidence)
        return a->c->confidence > b->c->confidence;
    if (st == KG_FUSE_TEMPORAL && a->c->latest != b->c->latest)
        return a->c->latest > b->c->latest;
    if (a->c->mentions != b->c->mentions)
        return a->c->mentions > b->c->mentions;
    size_t la = strlen(a->c->name), lb = strlen(b->c->name);
    if (la != lb)
        return la > lb;
    return strcmp(a->c->id, b->c->id) < 0;
}

static int cmp_pair_first(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    return a->a != b->a ? a->a - b->a : a->b - b->b;
}

/* Ambiguity: an entity with two partners that do not match each other.
 * Pairs are listed both ways and grouped by entity: cost is the sum of
 * squared degrees, not the square of all pairs. */
static void mark_ambiguous(ent *e, const pair *p, size_t np, const judge *t)
{
    pair *both = kg_xcalloc(2 * np + 1, sizeof *both);
    for (size_t i = 0; i < np; i++) {
        both[2 * i] = (pair){p[i].a, p[i].b, 0};
        both[2 * i + 1] = (pair){p[i].b, p[i].a, 0};
    }
    if (np)
        qsort(both, 2 * np, sizeof *both, cmp_pair_first);
    for (size_t s = 0; s < 2 * np;) {
        size_t u = s + 1;
        while (u < 2 * np && both[u].a == both[s].a)
            u++;
        for (size_t i = s; i < u && !e[both[s].a].ambiguous; i++)
            for (size_t j = i + 1; j < u; j++)
                if (!matches(&e[both[i].b], &e[both[j].b], t)) {
                    e[both[s].a].ambiguous = true;
                    break;
                }
        s = u;
    }
    free(both);
}

static void cluster(ent *e, size_t n, pair *p, size_t np, const judge *t)
{
    mark_ambiguous(e, p, np, t);
    /* Members of a cluster: a circular list through `next`. */
    int *next = kg_xcalloc(n + 1, sizeof *next);
    for (size_t i = 0; i < n; i++) {
        e[i].cluster = (int)i;
        next[i] = (int)i;
    }
    if (np)
        qsort(p, np, sizeof *p, cmp_pair_score);
    for (size_t i = 0; i < np; i++) {
        if (e[p[i].a].ambiguous || e[p[i].b].ambiguous)
            continue;
        int ra = find(e, p[i].a), rb = find(e, p[i].b);
        if (ra == rb)
            continue;
        /* Complete linkage: every member of one matches every member of
         * the other. */
        bool ok = true;
        int x = ra;
        do {
            int y = rb;
            do {
                if (!matches(&e[x], &e[y], t))
                    ok = false;
                y = next[y];
            } while (ok && y != rb);
            x = next[x];
        } while (ok && x != ra);
        if (!ok)
            continue;
        e[rb].cluster = ra;
        int tmp = next[ra]; /* splice the two circles */
        next[ra] = next[rb];
        next[rb] = tmp;
    }
    free(next);
}

/* Context vectors for the entities of the pairs whose names do not veto
 * them (only those can use one); *emb describes what was done. */
static int load_contexts(kg_store *s, ent *e, size_t n, const pair *p, size_t np,
                         const kg_fuse_opts *o, judge *j, float **vecs, json_t **emb, kg_err *err)
{
    *vecs = NULL;
    *emb = json_pack("{s:b, s:f}", "used", 0, "weight", j->weight);
    if (j->weight <= 0) {
        json_object_set_new(*emb, "note",
                            json_string("fuse.embedding_weight is 0: scores are "
                                        "from names and aliases only"));
        return KG_OK;
    }
    bool *need = kg_xcalloc(n + 1, sizeof *need);
    judge names = {j->t, 0, 0};
    for (size_t i = 0; i < np; i++) {
        kg_fuse_result r;
        compare(&e[p[i].a], &e[p[i].b], &names, &r);
        if (!r.veto && kg_fuse_context_applies(e[p[i].a].c->type))
            need[p[i].a] = need[p[i].b] = true;
    }
    size_t k = 0;
    int *idx = kg_xcalloc(n + 1, sizeof *idx);
    const char **ids = kg_xcalloc(n + 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        if (need[i]) {
            idx[k] = (int)i;
            ids[k++] = e[i].c->id;
        }
    int *has = kg_xcalloc(k + 1, sizeof *has);
    kg_entity_ctx_report cr;
    int rc = kg_entity_context_vectors(s, ids, k, NULL, o ? o->context_window : 0,
                                       o ? o->context_mentions : 0, vecs, has, &j->dim, &cr, err);
    for (size_t i = 0; !rc && i < k; i++)
        if (has[i])
            e[idx[i]].vec = *vecs + i * (size_t)j->dim;
    if (!rc) {
        json_object_set_new(*emb, "used", json_boolean(k > 0));
        json_object_set_new(*emb, "model", json_string(cr.model));
        json_object_set_new(*emb, "window", json_integer(cr.window));
        json_object_set_new(*emb, "mentions_per_entity", json_integer(cr.max_mentions));
        char idf[160];
        if (cr.stored_fit)
            snprintf(idf, sizeof idf, "the stored fit of %s (%lld chunks)", cr.model,
                     (long long)cr.fit_docs);
        else
            snprintf(idf, sizeof idf,
                     "fitted on the %lld context windows compared (no "
                     "`kgas embed` fit yet)",
                     (long long)cr.fit_docs);
        json_object_set_new(*emb, "idf", json_string(idf));
        json_object_set_new(*emb, "entities", json_integer((json_int_t)k));
        json_object_set_new(*emb, "with_vector", json_integer(cr.with_vector));
        if (k == 0)
            json_object_set_new(*emb, "note",
                                json_string("no pair of entities other than values (DATE, "
                                            "MONEY, PERCENT) passed the name rules"));
    }
    free(has);
    free(ids);
    free(idx);
    free(need);
    return rc;
}

/* Score every proposed pair; keep in p[0..*kept) those at or above the
 * threshold that no earlier unmerge forbids, and count for the report how
 * the context vectors took part. */
static int score_pairs(kg_store *s, ent *e, pair *p, size_t np, const judge *t, size_t *kept,
                       json_t *emb, kg_err *err)
{
    int rc = KG_OK;
    json_int_t scored = 0, without = 0, values = 0;
    *kept = 0;
    for (size_t i = 0; i < np && !rc; i++) {
        kg_fuse_result r;
        compare(&e[p[i].a], &e[p[i].b], t, &r);
        if (!r.veto && r.context)
            scored++;
        else if (!r.veto && !kg_fuse_context_applies(e[p[i].a].c->type))
            values++;
        else if (!r.veto)
            without++;
        int undone = 0;
        if (!r.veto && r.score >= t->t)
            rc = kg_merge_was_undone(s, e[p[i].a].c->id, e[p[i].b].c->id, &undone, err);
        if (!r.veto && r.score >= t->t && !undone)
            p[(*kept)++] = (pair){p[i].a, p[i].b, r.score};
    }
    if (!rc && t->weight > 0) {
        json_object_set_new(emb, "pairs_scored", json_integer(scored));
        json_object_set_new(emb, "pairs_without", json_integer(without));
        json_object_set_new(emb, "pairs_values", json_integer(values));
        if (without > 0)
            json_object_set_new(emb, "note",
                                json_string("pairs_without: an entity had no words around "
                                            "its mentions; those pairs are scored by name "
                                            "alone"));
    }
    return rc;
}

/* The survivor of each cluster: best[root] is the entity whose name and
 * key the merged entity keeps (the strategy decides). */
static int *pick_survivors(ent *e, size_t n, kg_fuse_strategy strategy)
{
    int *best = kg_xcalloc(n + 1, sizeof *best);
    for (size_t i = 0; i < n; i++)
        best[i] = -1;
    for (size_t i = 0; i < n; i++) {
        int r = find(e, (int)i);
        if (best[r] < 0 || better(&e[i], &e[best[r]], strategy))
            best[r] = (int)i;
    }
    return best;
}

/* One decision per absorbed entity, into merges (and, unless a dry run,
 * into the store in one transaction that also marks the graph dirty);
 * entities left ambiguous into amb. */
static int record_merges(kg_store *s, ent *e, size_t n, const int *best, const judge *t, bool write,
                         json_t *merges, json_t *amb, kg_err *err)
{
    int rc = KG_OK;
    bool in_txn = false;
    if (write) {
        rc = kg_store_begin(s, err);
        in_txn = rc == KG_OK;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const kg_merge_cand *ci = e[i].c;
        if (e[i].ambiguous)
            json_array_append_new(amb, json_pack("{s:s, s:s, s:s}", "id", ci->id, "name", ci->name,
                                                 "type", ci->type));
        int into = best[find(e, (int)i)];
        if (into == (int)i)
            continue;
        const kg_merge_cand *cj = e[into].c;
        kg_fuse_result r;
        compare(&e[i], &e[into], t, &r);
        kg_merge_rec m;
        memset(&m, 0, sizeof m);
        memcpy(m.from_id, ci->id, KG_ID_MAX);
        memcpy(m.into_id, cj->id, KG_ID_MAX);
        m.from_name = ci->name;
        m.into_name = cj->name;
        snprintf(m.type, sizeof m.type, "%s", ci->type);
        m.score = r.score;
        json_t *why = reasons_json(r.reasons);
        m.reasons = json_dumps(why, JSON_COMPACT);
        if (write)
            rc = kg_merge_insert(s, &m, err);
        free(m.reasons);
        json_t *row = json_pack("{s:s, s:f, s:f, s:o, s:o, s:o}", "type", ci->type, "score",
                                r.score, "name_score", r.score - r.context_delta, "from",
                                ent_json(ci), "into", ent_json(cj), "reasons", why);
        if (r.context)
            json_object_set_new(row, "context_similarity", json_real(r.cosine));
        if (m.id)
            json_object_set_new(row, "id", json_integer(m.id));
        json_array_append_new(merges, row);
    }
    if (!rc && write && json_array_size(merges) > 0)
        rc = kg_store_graph_set_dirty(s, 1, err);
    if (in_txn) {
        if (!rc)
            rc = kg_store_commit(s, err);
        else
            kg_store_rollback(s);
    }
    return rc;
}

static void free_ents(ent *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < e[i].naliases; j++)
            free(e[i].aliases[j]);
        free(e[i].aliases);
        free(e[i].heads);
    }
    free(e);
}

int kg_fuse_documents(kg_store *s, const kg_fuse_opts *o, json_t **report, kg_err *err)
{
    *report = NULL;
    judge jd = {o && o->threshold > 0 ? o->threshold : 0.8, o ? o->embedding_weight : 0, 0};
    const judge *t = &jd;
    kg_merge_cand *c = NULL;
    size_t n = 0;
    int rc = kg_merge_cands_load(s, &c, &n, err);
    if (rc)
        return rc;
    ent *e = kg_xcalloc(n + 1, sizeof *e);
    for (size_t i = 0; i < n; i++) {
        e[i].c = &c[i];
        parse_aliases(&e[i]);
    }
    size_t np = 0, kept = 0;
    pair *p = propose(e, n, &np);
    float *vecs = NULL;
    json_t *emb = NULL;
    rc = load_contexts(s, e, n, p, np, o, &jd, &vecs, &emb, err);
    if (!rc)
        rc = score_pairs(s, e, p, np, t, &kept, emb, err);
    cluster(e, n, p, kept, t);
    int *best = pick_survivors(e, n, o ? o->strategy : KG_FUSE_EVIDENCE_BASED);
    json_t *merges = json_array(), *amb = json_array();
    bool write = !o || !o->dry_run;
    if (!rc)
        rc = record_merges(s, e, n, best, t, write, merges, amb, err);
    kg_graph_summary sum = {0};
    /* Nothing merged: the graph is as it was, no rebuild needed. */
    if (!rc && write && json_array_size(merges) > 0)
        rc = kg_graph_build(s, o ? &o->pagerank : NULL, &sum, err);
    if (!rc) {
        *report = json_pack("{s:f, s:b, s:I, s:I, s:o, s:o, s:O}", "threshold", t->t, "dry_run",
                            o && o->dry_run, "entities_compared", (json_int_t)n, "pairs_compared",
                            (json_int_t)np, "merges", merges, "ambiguous", amb, "embedding", emb);
        static const char *const strategies[] = {"evidence_based", "confidence_weighted",
                                                 "temporal"};
        json_object_set_new(*report, "strategy",
                            json_string(strategies[o ? o->strategy : KG_FUSE_EVIDENCE_BASED]));
        if (write && json_array_size(merges) > 0) {
            json_object_set_new(*report, "entities", json_integer(sum.entities));
            json_object_set_new(*report, "relationships", json_integer(sum.relationships));
        }
    } else {
        json_decref(merges);
        json_decref(amb);
    }
    free_ents(e, n);
    free(p);
    free(best);
    free(vecs);
    json_decref(emb);
    kg_merge_cands_free(c, n);
    return rc;
}

int kg_fuse_unmerge(kg_store *s, int64_t id, const kg_pagerank_opts *pr, json_t **report,
                    kg_err *err)
{
    *report = NULL;
    kg_merge_rec m;
    int rc = kg_store_begin(s, err);
    if (rc)
        return rc;
    rc = kg_merge_undo(s, id, &m, err);
    if (!rc)
        rc = kg_store_graph_set_dirty(s, 1, err);
    if (!rc)
        rc = kg_store_commit(s, err);
    else
        kg_store_rollback(s);
    if (rc) {
        kg_merge_rec_clear(&m);
        return rc;
    }
    kg_graph_summary sum = {0};
    rc = kg_graph_build(s, pr, &sum, err);
    if (!rc)
        *report = json_pack("{s:{s:I, s:s, s:{s:s, s:s}, s:{s:s, s:s}}, s:I, s:I}", "unmerged",
                            "id", (json_int_t)m.id, "type", m.type, "from", "id", m.from_id, "name",
                            m.from_name, "into", "id", m.into_id, "name", m.into_name, "entities",
                            (json_int_t)sum.entities, "relationships",
                            (json_int_t)sum.relationships);
    kg_merge_rec_clear(&m);
    return rc;
}

int kg_fuse_after_ingest(kg_store *s, const kg_fuse_opts *o, int changed, json_t **report,
                         kg_err *err)
{
    *report = NULL;
    if (!changed)
        return KG_OK;
    kg_store_stats st;
    int rc = kg_store_stats_get(s, &st, err);
    if (rc || st.documents < 2)
        return rc;
    return kg_fuse_documents(s, o, report, err);
}

void kg_fuse_opts_from_config(const kg_config *cfg, kg_fuse_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = kg_config_double(cfg, "fuse.threshold");
    o->embedding_weight = kg_config_double(cfg, "fuse.embedding_weight");
    o->context_window = (int)kg_config_int(cfg, "embed.entity_window");
    o->context_mentions = (int)kg_config_int(cfg, "fuse.context_mentions");
    int st = kg_fuse_strategy_parse(kg_config_str(cfg, "fuse.strategy"));
    o->strategy = st < 0 ? KG_FUSE_EVIDENCE_BASED : (kg_fuse_strategy)st;
    kg_pagerank_opts_from_config(cfg, &o->pagerank);
}
