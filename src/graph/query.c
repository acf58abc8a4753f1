/* query: see query.h.  The graph keeps nodes and edges as given and builds
 * two derived indexes on first use after a change: an adjacency list over
 * both edge directions, sorted by confidence so the fan-out cap keeps the
 * best edges, and a sorted table of normalised names and aliases for exact
 * lookup (binary search) and fuzzy scanning. */
#include "graph/query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "graph/qnames.h"
#include "syntax/lemma.h"
#include "syntax/ptb.h"
#include "nlp/reltype.h"
#include "store/records.h"

typedef struct name_ent {
    char *norm;
    int node;
    bool alias;
} name_ent;

typedef struct adj {
    int edge;
    int dir; /* +1 along the edge (src -> dst), -1 against it */
} adj;

struct kg_query_graph {
    kg_query_node *nodes;
    int n_nodes;
    size_t cap_nodes;
    kg_query_edge *edges;
    int n_edges;
    size_t cap_edges;
    bool dirty;
    int *adj_off; /* n_nodes + 1 */
    adj *adjs;    /* 2 * n_edges */
    name_ent *names;
    int n_names;
    double max_pr;
    double pr_floor; /* kg_query_set_max_pagerank */
};

static char **copy_strs(const char *const *v, int n)
{
    if (n <= 0)
        return NULL;
    char **r = kg_xmalloc((size_t)n * sizeof *r);
    for (int i = 0; i < n; i++)
        r[i] = kg_xstrdup(v[i] ? v[i] : "");
    return r;
}

static void free_strs(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

kg_query_graph *kg_query_graph_new(void)
{
    return kg_xcalloc(1, sizeof(kg_query_graph));
}

static void drop_indexes(kg_query_graph *g)
{
    free(g->adj_off);
    free(g->adjs);
    for (int i = 0; i < g->n_names; i++)
        free(g->names[i].norm);
    free(g->names);
    g->adj_off = NULL;
    g->adjs = NULL;
    g->names = NULL;
    g->n_names = 0;
    g->dirty = true;
}

void kg_query_graph_free(kg_query_graph *g)
{
    if (!g)
        return;
    drop_indexes(g);
    for (int i = 0; i < g->n_nodes; i++) {
        free(g->nodes[i].name);
        free(g->nodes[i].type);
        free_strs(g->nodes[i].aliases, g->nodes[i].n_aliases);
    }
    for (int i = 0; i < g->n_edges; i++) {
        free(g->edges[i].type);
        free_strs(g->edges[i].evidence, g->edges[i].n_evidence);
    }
    free(g->nodes);
    free(g->edges);
    free(g);
}

int kg_query_add_node(kg_query_graph *g, const char *name, const char *type,
                      const char *const *aliases, int n_aliases, double pagerank)
{
    kg_vec_room(g->nodes, g->n_nodes, g->cap_nodes);
    kg_query_node *n = &g->nodes[g->n_nodes];
    n->name = kg_xstrdup(name ? name : "");
    n->type = kg_xstrdup(type ? type : "");
    n->aliases = copy_strs(aliases, n_aliases);
    n->n_aliases = n_aliases > 0 ? n_aliases : 0;
    n->pagerank = pagerank;
    n->matchable = true;
    g->dirty = true;
    return g->n_nodes++;
}

int kg_query_add_edge(kg_query_graph *g, int src, int dst, const char *type, double weight,
                      double confidence, const char *const *evidence, int n_evidence, kg_err *err)
{
    if (src < 0 || src >= g->n_nodes || dst < 0 || dst >= g->n_nodes)
        return kg_err_set(err, KG_EINVAL,
                          "query graph: edge %d -> %d names a node outside "
                          "0..%d",
                          src, dst, g->n_nodes - 1);
    if (!(confidence >= 0 && confidence <= 1))
        return kg_err_set(err, KG_EINVAL,
                          "query graph: edge %d -> %d has confidence %g; "
                          "it must be in [0, 1]",
                          src, dst, confidence);
    kg_vec_room(g->edges, g->n_edges, g->cap_edges);
    kg_query_edge *e = &g->edges[g->n_edges];
    e->src = src;
    e->dst = dst;
    e->type = kg_xstrdup(type ? type : "RELATED_TO");
    e->weight = weight;
    e->confidence = confidence;
    e->evidence = copy_strs(evidence, n_evidence);
    e->n_evidence = n_evidence > 0 ? n_evidence : 0;
    g->dirty = true;
    return g->n_edges++;
}

int kg_query_node_count(const kg_query_graph *g)
{
    return g->n_nodes;
}
int kg_query_edge_count(const kg_query_graph *g)
{
    return g->n_edges;
}

const kg_query_node *kg_query_get_node(const kg_query_graph *g, int i)
{
    return i >= 0 && i < g->n_nodes ? &g->nodes[i] : NULL;
}

const kg_query_edge *kg_query_get_edge(const kg_query_graph *g, int i)
{
    return i >= 0 && i < g->n_edges ? &g->edges[i] : NULL;
}

void kg_query_set_matchable(kg_query_graph *g, int node, bool on)
{
    if (node >= 0 && node < g->n_nodes && g->nodes[node].matchable != on) {
        g->nodes[node].matchable = on;
        g->dirty = true;
    }
}

void kg_query_set_max_pagerank(kg_query_graph *g, double max_pr)
{
    g->pr_floor = max_pr;
    g->dirty = true;
}

static int cmp_name(const void *a, const void *b)
{
    const name_ent *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);
    if (c)
        return c;
    if (x->alias != y->alias)
        return x->alias ? 1 : -1;
    return (x->node > y->node) - (x->node < y->node);
}

/* Confidence-descending adjacency; qsort on (confidence, edge) pairs. */
typedef struct adj_sort {
    double conf;
    adj a;
} adj_sort;

static int cmp_adj(const void *a, const void *b)
{
    const adj_sort *x = a, *y = b;
    if (x->conf != y->conf)
        return x->conf > y->conf ? -1 : 1;
    if (x->a.edge != y->a.edge)
        return x->a.edge < y->a.edge ? -1 : 1;
    return x->a.dir - y->a.dir;
}

/* Typed relations are preferred to co-occurrence: a RELATED_TO edge counts
 * for half its confidence when paths are ranked, so a co-occurrence seen
 * in ten sentences (noisy-or confidence 0.99) does not outrank one
 * sentence that says what the relation is.  (A node's edges stay ordered
 * by confidence for the fan-out cut: graphops/graph_hood reads the same 64
 * from the store's confidence-ordered indexes, and a question must get the
 * same answer from a neighbourhood as from the whole graph.) */
#define COOCCUR_FACTOR 0.5
/* An edge whose relation is a word of the question ("Who did Elizabeth
 * marry?" and an edge typed "marry") counts this much more. */
#define ASKED_FACTOR 1.5

static double edge_rank(const kg_query_edge *e)
{
    return strcmp(e->type, KG_REL_UNDIRECTED) == 0 ? e->confidence * COOCCUR_FACTOR : e->confidence;
}

static void build_indexes(kg_query_graph *g)
{
    if (!g->dirty)
        return;
    drop_indexes(g);
    int n = g->n_nodes;
    int *deg = kg_xcalloc((size_t)n + 1, sizeof *deg);
    for (int e = 0; e < g->n_edges; e++) {
        deg[g->edges[e].src]++;
        if (g->edges[e].dst != g->edges[e].src)
            deg[g->edges[e].dst]++;
    }
    g->adj_off = kg_xcalloc((size_t)n + 1, sizeof *g->adj_off);
    for (int v = 0; v < n; v++)
        g->adj_off[v + 1] = g->adj_off[v] + deg[v];
    adj_sort *tmp = kg_xmalloc(((size_t)g->adj_off[n] + 1) * sizeof *tmp);
    memset(deg, 0, ((size_t)n + 1) * sizeof *deg);
    for (int e = 0; e < g->n_edges; e++) {
        const kg_query_edge *x = &g->edges[e];
        tmp[g->adj_off[x->src] + deg[x->src]++] = (adj_sort){x->confidence, {e, +1}};
        if (x->dst != x->src)
            tmp[g->adj_off[x->dst] + deg[x->dst]++] = (adj_sort){x->confidence, {e, -1}};
    }
    g->adjs = kg_xmalloc(((size_t)g->adj_off[n] + 1) * sizeof *g->adjs);
    for (int v = 0; v < n; v++) {
        qsort(tmp + g->adj_off[v], (size_t)(g->adj_off[v + 1] - g->adj_off[v]), sizeof *tmp,
              cmp_adj);
        for (int k = g->adj_off[v]; k < g->adj_off[v + 1]; k++)
            g->adjs[k] = tmp[k].a;
    }
    free(tmp);
    free(deg);

    int total = n;
    for (int v = 0; v < n; v++)
        total += g->nodes[v].n_aliases;
    g->names = kg_xmalloc(((size_t)total + 1) * sizeof *g->names);
    g->max_pr = g->pr_floor;
    for (int v = 0; v < n; v++) {
        if (g->nodes[v].pagerank > g->max_pr)
            g->max_pr = g->nodes[v].pagerank;
        if (!g->nodes[v].matchable)
            continue;
        g->names[g->n_names++] = (name_ent){kg_qname_norm(g->nodes[v].name), v, false};
        for (int a = 0; a < g->nodes[v].n_aliases; a++)
            g->names[g->n_names++] = (name_ent){kg_qname_norm(g->nodes[v].aliases[a]), v, true};
    }
    qsort(g->names, (size_t)g->n_names, sizeof *g->names, cmp_name);
    g->dirty = false;
}

void kg_query_graph_prepare(kg_query_graph *g)
{
    build_indexes(g);
}

/* ---- matching ------------------------------------------------------------ */

static void add_match(kg_query_hit **v, int *n, size_t *cap, int node, double score,
                      const char *kind, int ws, int we)
{
    for (int i = 0; i < *n; i++)
        if ((*v)[i].node == node) {
            if (score > (*v)[i].score)
                (*v)[i] = (kg_query_hit){node, score, kind, ws, we};
            return;
        }
    kg_vec_room(*v, *n, *cap);
    (*v)[(*n)++] = (kg_query_hit){node, score, kind, ws, we};
}

static int cmp_match(const void *a, const void *b)
{
    const kg_query_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

int kg_query_match(kg_query_graph *g, const char *question, kg_query_hit **out, int *n_out,
                   kg_err *err)
{
    *out = NULL;
    *n_out = 0;
    if (!question)
        return kg_err_set(err, KG_EINVAL, "query: no question given");
    build_indexes(g);
    char **w;
    int nw = kg_qname_words(question, &w);
    bool *used = kg_xcalloc((size_t)nw + 1, sizeof *used);
    kg_query_hit *v = NULL;
    int n = 0;
    size_t cap = 0;
    for (int len = KG_QNAME_MAX_WORDS; len >= 1; len--) {
        for (int s = 0; s + len <= nw; s++) {
            bool skip = false;
            for (int k = s; k < s + len; k++)
                skip |= used[k];
            if (skip || !kg_qname_gram_allowed(w, s, len))
                continue;
            char *gram = kg_qname_join(w, s, s + len);
            bool hit = false;
            int lo = 0, hi = g->n_names;
            while (lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (strcmp(g->names[mid].norm, gram) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (int k = lo; k < g->n_names && strcmp(g->names[k].norm, gram) == 0; k++) {
                add_match(&v, &n, &cap, g->names[k].node, g->names[k].alias ? 0.9 : 1.0,
                          g->names[k].alias ? "alias" : "exact", s, s + len);
                hit = true;
            }
            /* A verb of the question is what it asks, not a misspelt name:
             * "Who did Elizabeth marry?" must not find Mary. */
            bool verb = len == 1 && kg_lemma_is_base(gram, strlen(gram), KG_LEMMA_VERB) &&
                        !kg_lemma_is_base(gram, strlen(gram), KG_LEMMA_NOUN);
            if (!hit && !verb && strlen(gram) >= KG_QNAME_FUZZY_MIN) {
                /* Fuzzy matches share the first byte; the names are sorted,
                 * so those are one contiguous range. */
                int k0 = 0, k1 = g->n_names;
                while (k0 < k1) {
                    int mid = k0 + (k1 - k0) / 2;
                    if ((unsigned char)g->names[mid].norm[0] < (unsigned char)gram[0])
                        k0 = mid + 1;
                    else
                        k1 = mid;
                }
                for (int k = k0; k < g->n_names && g->names[k].norm[0] == gram[0]; k++) {
                    double sc = kg_qname_fuzzy(gram, len, g->names[k].norm);
                    if (sc > 0) {
                        add_match(&v, &n, &cap, g->names[k].node, sc, "fuzzy", s, s + len);
                        hit = true;
                    }
                }
            }
            free(gram);
            if (hit)
                for (int k = s; k < s + len; k++)
                    used[k] = true;
        }
    }
    free(used);
    kg_qname_free_words(w, nw);
    if (n)
        qsort(v, (size_t)n, sizeof *v, cmp_match);
    /* Equal scores (two entities with one name, say a PERSON and a
     * mistyped GPE): the better-ranked entity first.  Insertion sort keeps
     * it stable and needs no global for the comparison's context. */
    for (int i = 1; i < n; i++) {
        kg_query_hit t = v[i];
        int j = i;
        while (j > 0 && v[j - 1].score == t.score &&
               g->nodes[v[j - 1].node].pagerank < g->nodes[t.node].pagerank) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
    *out = v;
    *n_out = n;
    return KG_OK;
}

/* ---- path search --------------------------------------------------------- */

typedef struct walk {
    const kg_query_graph *g;
    int max_hops;
    int nodes[KG_QUERY_MAX_HOPS + 1];
    int edges[KG_QUERY_MAX_HOPS];
    long visits;
    bool truncated;
    int target;      /* -1: every node reached is an answer */
    bool *is_source; /* matched entities are not answers */
    kg_query_path *ans;
    int n_ans;
    size_t cap_ans;
    bool dedupe;  /* keep one (best) path per answer node */
    int *slot_of; /* dedupe: node -> its answer's index + 1, or 0 */
    char **asked; /* the question's words as verb lemmas (NULL-terminated), or NULL */
} walk;

/* A relation phrase is typed in words ("work at"): lower case, unlike
 * the ontology's names ("WORKS_FOR") and RELATED_TO. */
static bool is_phrase(const char *type)
{
    for (const char *p = type; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            return true;
    return false;
}

/* The question's verbs as lemmas ("married" -> marry, "work"), for
 * matching relation phrases; be, do and have ask nothing.  NULL when the
 * question has none. */
static char **asked_words(const char *question)
{
    char **w;
    int nw = kg_qname_words(question, &w);
    char **out = kg_xcalloc((size_t)nw + 1, sizeof *out);
    int n = 0;
    for (int i = 0; i < nw; i++) {
        char lem[KG_LEMMA_MAX];
        size_t len = strlen(w[i]);
        if (len < 3)
            continue;
        size_t ll = kg_lemma(w[i], len, KG_T_VBD, lem, sizeof lem);
        if (!kg_lemma_is_base(lem, ll, KG_LEMMA_VERB) || strcmp(lem, "be") == 0 ||
            strcmp(lem, "do") == 0 || strcmp(lem, "have") == 0)
            continue;
        out[n++] = kg_xstrdup(lem);
    }
    kg_qname_free_words(w, nw);
    if (!n) {
        free(out);
        return NULL;
    }
    return out;
}

static void free_words(char **v)
{
    for (int i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* True when one of the asked words is in the words of s ("work at", or
 * "WORKS_FOR" read as words), each taken as a verb's lemma. */
static bool asked_in_words(char *const *asked, const char *s)
{
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, " _");
        char lem[KG_LEMMA_MAX], low[KG_LEMMA_MAX];
        size_t k = 0;
        for (; k < n && k + 1 < sizeof low; k++)
            low[k] = p[k] >= 'A' && p[k] <= 'Z' ? (char)(p[k] + 32) : p[k];
        low[k] = 0;
        kg_lemma(low, k, KG_T_VBZ, lem, sizeof lem);
        for (int i = 0; asked[i]; i++)
            if (strcmp(asked[i], lem) == 0)
                return true;
        p += n;
        while (*p == ' ' || *p == '_')
            p++;
    }
    return false;
}

/* True when the edge's relation is what the question asks about: one of
 * its verbs is in the phrase ("marry") or in the phrase's ontology type
 * ("work" for "be professor at", which is WORKS_FOR). */
static bool asked_in(char *const *asked, const char *type)
{
    if (!asked || strcmp(type, KG_REL_UNDIRECTED) == 0)
        return false;
    if (asked_in_words(asked, type))
        return true;
    const char *cat = kg_rel_category(type, NULL);
    return cat && asked_in_words(asked, cat);
}

/* "A -propose-> B <-work at- C", "A -[WORKS_FOR]-> B -[RELATED_TO]- C": a
 * relation phrase in words, an ontology type or co-occurrence in brackets;
 * an edge's direction is read off the nodes it joins (a simple path has no
 * self-loop). */
static char *render(const kg_query_graph *g, const kg_query_path *p)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_puts(&b, g->nodes[p->nodes[0]].name);
    for (int h = 0; h < p->hops; h++) {
        const kg_query_edge *e = &g->edges[p->edges[h]];
        /* Co-occurrence has no direction: no arrow either way. */
        bool words = is_phrase(e->type);
        if (strcmp(e->type, KG_REL_UNDIRECTED) == 0)
            kg_buf_printf(&b, " -[%s]- ", e->type);
        else if (e->src == p->nodes[h])
            kg_buf_printf(&b, words ? " -%s-> " : " -[%s]-> ", e->type);
        else
            kg_buf_printf(&b, words ? " <-%s- " : " <-[%s]- ", e->type);
        kg_buf_puts(&b, g->nodes[p->nodes[h + 1]].name);
    }
    return kg_buf_steal(&b);
}

static void record(walk *w, int hops, double conf)
{
    const kg_query_graph *g = w->g;
    int v = w->nodes[hops];
    double pr = g->max_pr > 0 ? g->nodes[v].pagerank / g->max_pr : 0;
    double score = conf * (0.5 + 0.5 * pr);
    kg_query_path *slot = NULL;
    if (w->dedupe && w->slot_of[v]) {
        slot = &w->ans[w->slot_of[v] - 1];
        bool better = score > slot->score || (score == slot->score && hops < slot->hops);
        if (!better)
            return;
    }
    if (!slot) {
        kg_vec_room(w->ans, w->n_ans, w->cap_ans);
        slot = &w->ans[w->n_ans++];
        memset(slot, 0, sizeof *slot);
        if (w->dedupe)
            w->slot_of[v] = w->n_ans;
    }
    slot->node = v;
    slot->score = score;
    slot->hops = hops;
    /* Rendered once the answers are ranked, for the kept ones only. */
    slot->nodes = kg_xrealloc(slot->nodes, (size_t)(hops + 1) * sizeof *slot->nodes);
    memcpy(slot->nodes, w->nodes, (size_t)(hops + 1) * sizeof *slot->nodes);
    slot->edges = kg_xrealloc(slot->edges, (size_t)(hops ? hops : 1) * sizeof *slot->edges);
    memcpy(slot->edges, w->edges, (size_t)hops * sizeof *slot->edges);
}

/* The node at the far end of adjacency entry k. */
static int other_end(const kg_query_graph *g, int k)
{
    const kg_query_edge *e = &g->edges[g->adjs[k].edge];
    return g->adjs[k].dir > 0 ? e->dst : e->src;
}

/* Depth-first over simple paths, both edge directions, bounded. */
static void dfs(walk *w, int depth, double conf)
{
    const kg_query_graph *g = w->g;
    /* check_hops() keeps max_hops within the arrays; said here as well so
     * that the compiler (gcc -O3's bounds warnings) can see it. */
    if (depth < 0 || depth >= KG_QUERY_MAX_HOPS)
        return;
    int u = w->nodes[depth];
    int end = g->adj_off[u + 1];
    /* Looking for a path to a target, the last step only matters if it
     * reaches the target: other edges are neither counted nor followed, and
     * the fan-out cut only hides something if the target is beyond it. */
    bool last_step = w->target >= 0 && depth + 1 == w->max_hops;
    if (end - g->adj_off[u] > KG_QUERY_FANOUT) {
        int full_end = end;
        end = g->adj_off[u] + KG_QUERY_FANOUT;
        for (int k = end; k < full_end && !w->truncated; k++)
            w->truncated = !last_step || other_end(g, k) == w->target;
    }
    for (int k = g->adj_off[u]; k < end; k++) {
        int v = other_end(g, k);
        if (last_step && v != w->target)
            continue;
        if (w->visits >= KG_QUERY_MAX_VISITS) {
            w->truncated = true;
            return;
        }
        w->visits++;
        const kg_query_edge *e = &g->edges[g->adjs[k].edge];
        bool seen = false;
        for (int d = 0; d <= depth; d++)
            seen |= w->nodes[d] == v;
        if (seen)
            continue;
        w->nodes[depth + 1] = v;
        w->edges[depth] = g->adjs[k].edge;
        double c = conf * edge_rank(e) * (asked_in(w->asked, e->type) ? ASKED_FACTOR : 1.0);
        /* is_source is set whenever target < 0 */
        bool answer = w->target < 0
                          ? !w->is_source[v] /* NOLINT(clang-analyzer-core.NullDereference) */
                          : v == w->target;
        if (answer)
            record(w, depth + 1, c);
        if (depth + 1 < w->max_hops && v != w->target)
            dfs(w, depth + 1, c);
    }
}

static int cmp_answer(const void *a, const void *b)
{
    const kg_query_path *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->hops != y->hops)
        return x->hops - y->hops;
    return (x->node > y->node) - (x->node < y->node);
}

static int cmp_path(const void *a, const void *b)
{
    const kg_query_path *x = a, *y = b;
    if (x->hops != y->hops)
        return x->hops - y->hops;
    return cmp_answer(a, b);
}

static void finish(walk *w, kg_query_result *r, int limit, int (*cmp)(const void *, const void *))
{
    if (w->n_ans)
        qsort(w->ans, (size_t)w->n_ans, sizeof *w->ans, cmp);
    for (int i = limit; w->ans && i < w->n_ans; i++) {
        free(w->ans[i].nodes);
        free(w->ans[i].edges);
    }
    r->answers = w->ans;
    r->n_answers = w->n_ans < limit ? w->n_ans : limit;
    for (int i = 0; i < r->n_answers; i++)
        r->answers[i].rendered = render(w->g, &r->answers[i]);
    r->truncated = w->truncated;
    free(w->slot_of);
}

static int check_hops(int *max_hops, int *limit, kg_err *err)
{
    if (*max_hops == 0)
        *max_hops = KG_QUERY_DEFAULT_HOPS;
    if (*max_hops < 1 || *max_hops > KG_QUERY_MAX_HOPS)
        return kg_err_set(err, KG_EINVAL, "query: max_hops %d must be 1..%d", *max_hops,
                          KG_QUERY_MAX_HOPS);
    if (*limit <= 0)
        *limit = 10;
    return KG_OK;
}

int kg_query_answer(kg_query_graph *g, const char *question, int max_hops, int limit,
                    kg_query_result **out, kg_err *err)
{
    *out = NULL;
    kg_query_hit *m = NULL;
    int nm = 0;
    int rc = kg_query_match(g, question, &m, &nm, err);
    if (!rc)
        rc = kg_query_answer_from(g, question, m, nm, max_hops, limit, out, err);
    free(m);
    return rc;
}

int kg_query_answer_from(kg_query_graph *g, const char *question, const kg_query_hit *matches,
                         int n_matches, int max_hops, int limit, kg_query_result **out, kg_err *err)
{
    *out = NULL;
    int rc = check_hops(&max_hops, &limit, err);
    if (rc)
        return rc;
    build_indexes(g);
    kg_query_result *r = kg_xcalloc(1, sizeof *r);
    r->matches = kg_xcalloc((size_t)n_matches + 1, sizeof *r->matches);
    for (int i = 0; i < n_matches; i++)
        if (matches[i].node >= 0 && matches[i].node < g->n_nodes)
            r->matches[r->n_matches++] = matches[i];
    walk w = {.g = g, .max_hops = max_hops, .target = -1, .dedupe = true};
    w.asked = question ? asked_words(question) : NULL;
    w.slot_of = kg_xcalloc((size_t)g->n_nodes + 1, sizeof *w.slot_of);
    w.is_source = kg_xcalloc((size_t)g->n_nodes + 1, sizeof *w.is_source);
    for (int i = 0; i < r->n_matches; i++)
        w.is_source[r->matches[i].node] = true;
    for (int i = 0; i < r->n_matches; i++) {
        w.nodes[0] = r->matches[i].node;
        dfs(&w, 0, r->matches[i].score);
    }
    free(w.is_source);
    free_words(w.asked);
    finish(&w, r, limit, cmp_answer);
    *out = r;
    return KG_OK;
}

int kg_query_paths(kg_query_graph *g, const char *a, const char *b, int max_hops, int limit,
                   kg_query_result **out, kg_err *err)
{
    *out = NULL;
    kg_query_hit *ma = NULL, *mb = NULL;
    int na = 0, nb = 0;
    int rc = kg_query_match(g, a, &ma, &na, err);
    if (!rc)
        rc = kg_query_match(g, b, &mb, &nb, err);
    if (!rc && (!na || !nb || !ma || !mb))
        rc = kg_err_set(err, KG_ENOTFOUND, "query: no entity matches \"%s\"", na ? b : a);
    else if (!rc)
        rc = kg_query_paths_from(g, &ma[0], &mb[0], max_hops, limit, out, err);
    free(ma);
    free(mb);
    return rc;
}

int kg_query_paths_from(kg_query_graph *g, const kg_query_hit *a, const kg_query_hit *b,
                        int max_hops, int limit, kg_query_result **out, kg_err *err)
{
    *out = NULL;
    int rc = check_hops(&max_hops, &limit, err);
    if (rc)
        return rc;
    build_indexes(g);
    if (a->node < 0 || a->node >= g->n_nodes || b->node < 0 || b->node >= g->n_nodes)
        return kg_err_set(err, KG_EINVAL, "query: path ends %d, %d outside the graph", a->node,
                          b->node);
    kg_query_result *r = kg_xcalloc(1, sizeof *r);
    r->matches = kg_xmalloc(2 * sizeof *r->matches);
    r->matches[0] = *a;
    r->matches[1] = *b;
    r->n_matches = 2;
    walk w = {.g = g, .max_hops = max_hops, .target = r->matches[1].node, .dedupe = false};
    if (r->matches[0].node != w.target) {
        w.nodes[0] = r->matches[0].node;
        dfs(&w, 0, 1.0);
    }
    finish(&w, r, limit, cmp_path);
    *out = r;
    return KG_OK;
}

void kg_query_result_free(kg_query_result *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_answers; i++) {
        free(r->answers[i].nodes);
        free(r->answers[i].edges);
        free(r->answers[i].rendered);
    }
    free(r->answers);
    free(r->matches);
    free(r);
}
