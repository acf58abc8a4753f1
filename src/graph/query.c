/* query: see query.h.  The graph keeps nodes and edges as given and builds
 * two derived indexes on first use after a change: an adjacency list over
 * both edge directions, sorted by confidence so the fan-out cap keeps the
 * best edges, and a sorted table of normalised names and aliases for exact
 * lookup (binary search) and fuzzy scanning. */
#include "graph/query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "graph/resolve.h"

typedef struct name_ent {
    char *norm;
    int node;
    bool alias;
} name_ent;

typedef struct adj {
    int edge;
    int dir;      /* +1 along the edge (src -> dst), -1 against it */
} adj;

struct kg_query_graph {
    kg_query_node *nodes;
    int n_nodes, cap_nodes;
    kg_query_edge *edges;
    int n_edges, cap_edges;
    bool dirty;
    int *adj_off;     /* n_nodes + 1 */
    adj *adjs;        /* 2 * n_edges */
    name_ent *names;
    int n_names;
    double max_pr;
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
    if (g->n_nodes == g->cap_nodes) {
        g->cap_nodes = g->cap_nodes ? g->cap_nodes * 2 : 64;
        g->nodes = kg_xrealloc(g->nodes, (size_t)g->cap_nodes * sizeof *g->nodes);
    }
    kg_query_node *n = &g->nodes[g->n_nodes];
    n->name = kg_xstrdup(name ? name : "");
    n->type = kg_xstrdup(type ? type : "");
    n->aliases = copy_strs(aliases, n_aliases);
    n->n_aliases = n_aliases > 0 ? n_aliases : 0;
    n->pagerank = pagerank;
    g->dirty = true;
    return g->n_nodes++;
}

int kg_query_add_edge(kg_query_graph *g, int src, int dst, const char *type, double weight,
                      double confidence, const char *const *evidence, int n_evidence,
                      kg_err *err)
{
    if (src < 0 || src >= g->n_nodes || dst < 0 || dst >= g->n_nodes)
        return kg_err_set(err, KG_EINVAL, "query graph: edge %d -> %d names a node outside "
                          "0..%d", src, dst, g->n_nodes - 1);
    if (!(confidence >= 0 && confidence <= 1))
        return kg_err_set(err, KG_EINVAL, "query graph: edge %d -> %d has confidence %g; "
                          "it must be in [0, 1]", src, dst, confidence);
    if (g->n_edges == g->cap_edges) {
        g->cap_edges = g->cap_edges ? g->cap_edges * 2 : 64;
        g->edges = kg_xrealloc(g->edges, (size_t)g->cap_edges * sizeof *g->edges);
    }
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

int kg_query_node_count(const kg_query_graph *g) { return g->n_nodes; }
int kg_query_edge_count(const kg_query_graph *g) { return g->n_edges; }

const kg_query_node *kg_query_get_node(const kg_query_graph *g, int i)
{
    return i >= 0 && i < g->n_nodes ? &g->nodes[i] : NULL;
}

const kg_query_edge *kg_query_get_edge(const kg_query_graph *g, int i)
{
    return i >= 0 && i < g->n_edges ? &g->edges[i] : NULL;
}

/* ---- normalisation --------------------------------------------------------- */

/* Casefolded words of s (possessive 's dropped); caller frees each and v. */
static int words_of(const char *s, char ***out)
{
    char *f = kg_resolve_fold(s, strlen(s));
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)f;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(f), i = 0;
    char **v = NULL;
    int n = 0, cap = 0;
    kg_buf cur = KG_BUF_INIT;
    while (i <= len) {
        utf8proc_int32_t c = ' ';
        utf8proc_ssize_t k = 1;
        if (i < len) {
            k = utf8proc_iterate(p + i, len - i, &c);
            if (k <= 0) {
                k = 1;
                c = ' ';
            }
        }
        utf8proc_category_t cat = utf8proc_category(c);
        bool word = i < len && cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
        if (word) {
            kg_buf_append(&cur, p + i, (size_t)k);
        } else if ((c == '\'' || c == 0x2019) && i + k < len && p[i + k] == 's' &&
                   (i + k + 1 >= len || !((p[i + k + 1] | 32) >= 'a' && (p[i + k + 1] | 32) <= 'z'))) {
            k += 1;  /* possessive: "Scrooge's" -> "scrooge" */
        } else if (c == '\'' || c == 0x2019) {
            /* "O'Brien" -> "obrien", as in resolve keys */
        } else if (cur.len) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                v = kg_xrealloc(v, (size_t)cap * sizeof *v);
            }
            v[n++] = kg_xstrndup(cur.data, cur.len);
            kg_buf_truncate(&cur, 0);
        }
        i += k;
    }
    kg_buf_free(&cur);
    free(f);
    *out = v;
    return n;
}

static char *join_words(char **w, int from, int to)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = from; i < to; i++) {
        if (i > from)
            kg_buf_putc(&b, ' ');
        kg_buf_puts(&b, w[i]);
    }
    return b.data ? kg_buf_steal(&b) : kg_xstrdup("");
}

static char *norm_name(const char *s)
{
    char **w;
    int n = words_of(s, &w);
    char *r = join_words(w, 0, n);
    free_strs(w, n);
    return r;
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
    g->max_pr = 0;
    for (int v = 0; v < n; v++) {
        g->names[g->n_names++] = (name_ent){norm_name(g->nodes[v].name), v, false};
        for (int a = 0; a < g->nodes[v].n_aliases; a++)
            g->names[g->n_names++] = (name_ent){norm_name(g->nodes[v].aliases[a]), v, true};
        if (g->nodes[v].pagerank > g->max_pr)
            g->max_pr = g->nodes[v].pagerank;
    }
    qsort(g->names, (size_t)g->n_names, sizeof *g->names, cmp_name);
    g->dirty = false;
}

void kg_query_graph_prepare(kg_query_graph *g)
{
    build_indexes(g);
}

/* ---- fuzzy string measures ----------------------------------------------- */

static double jaro_winkler(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la == 0 || lb == 0)
        return la == lb ? 1.0 : 0.0;
    if (la > 64 || lb > 64)
        return strcmp(a, b) == 0 ? 1.0 : 0.0;
    int win = (la > lb ? la : lb) / 2 - 1;
    if (win < 0)
        win = 0;
    bool ma[64] = {false}, mb[64] = {false};
    int m = 0;
    for (int i = 0; i < la; i++) {
        int lo = i - win > 0 ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
        for (int j = lo; j < hi; j++)
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                m++;
                break;
            }
    }
    if (m == 0)
        return 0.0;
    int t = 0, j = 0;
    for (int i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[j])
            j++;
        if (a[i] != b[j])
            t++;
        j++;
    }
    double jaro = ((double)m / la + (double)m / lb + ((double)m - (double)t / 2.0) / m) / 3.0;
    int prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + prefix * 0.1 * (1.0 - jaro);
}

/* True when a and b differ by exactly one insertion, deletion or substitution. */
static bool edit1(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la < lb) {
        const char *t = a;
        a = b;
        b = t;
        size_t u = la;
        la = lb;
        lb = u;
    }
    if (la - lb > 1)
        return false;
    size_t i = 0;
    while (i < lb && a[i] == b[i])
        i++;
    if (i == lb)
        return la != lb;  /* equal strings are not an edit */
    return la == lb ? strcmp(a + i + 1, b + i + 1) == 0 : strcmp(a + i + 1, b + i) == 0;
}

/* ---- matching ------------------------------------------------------------ */

static const char *const stop_words[] = {
    "a", "an", "the", "of", "in", "on", "at", "for", "to", "with", "by", "from", "and", "or",
    "not", "is", "are", "was", "were", "be", "been", "do", "does", "did", "what", "who", "whom",
    "whose", "which", "where", "when", "why", "how", "that", "this", "these", "those", "it",
    "its", "as", "into", "about", "between", "there", "their", "they", "he", "she", "his",
    "her", "i", "we", "you", "me", "my", "our", "your", "has", "have", "had", "can", "could",
    "would", "should", "will", "any", "all", "some", "s", NULL};
/* Common words a question uses about the graph, not in it. */
static const char *const common_words[] = {
    "work", "works", "worked", "working", "person", "people", "thing", "things", "know",
    "known", "related", "relation", "relationship", "relationships", "connected", "connection",
    "connect", "link", "linked", "tell", "show", "find", "list", "name", "names", "entity",
    "entities", "also", "other", "many", "much", "most", "more", "same", "located", "based",
    "founded", "created", "leads", "led", "uses", "used", NULL};

static bool in_list(const char *w, const char *const *l)
{
    for (; *l; l++)
        if (strcmp(w, *l) == 0)
            return true;
    return false;
}

static void add_match(kg_query_hit **v, int *n, int *cap, int node, double score,
                      const char *kind, int ws, int we)
{
    for (int i = 0; i < *n; i++)
        if ((*v)[i].node == node) {
            if (score > (*v)[i].score)
                (*v)[i] = (kg_query_hit){node, score, kind, ws, we};
            return;
        }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *v = kg_xrealloc(*v, (size_t)*cap * sizeof **v);
    }
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
    int nw = words_of(question, &w);
    bool *used = kg_xcalloc((size_t)nw + 1, sizeof *used);
    kg_query_hit *v = NULL;
    int n = 0, cap = 0;
    for (int len = 4; len >= 1; len--) {
        for (int s = 0; s + len <= nw; s++) {
            bool skip = false;
            for (int k = s; k < s + len; k++)
                skip |= used[k];
            /* n-grams that start or end with a stop word are never names
             * ("of Oxford"); a single common word is not one either. */
            if (skip || in_list(w[s], stop_words) || in_list(w[s + len - 1], stop_words) ||
                (len == 1 && in_list(w[s], common_words)))
                continue;
            char *gram = join_words(w, s, s + len);
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
            if (!hit && strlen(gram) >= 4) {
                size_t gl = strlen(gram);
                /* Only names with the same first byte: Jaro-Winkler rewards
                 * a shared prefix and the names are sorted, so this is a
                 * contiguous range; a typo in the first letter is not
                 * worth scanning every name of a large graph for. */
                int k0 = 0, k1 = g->n_names;
                while (k0 < k1) {
                    int mid = k0 + (k1 - k0) / 2;
                    if ((unsigned char)g->names[mid].norm[0] < (unsigned char)gram[0])
                        k0 = mid + 1;
                    else
                        k1 = mid;
                }
                for (int k = k0; k < g->n_names && g->names[k].norm[0] == gram[0]; k++) {
                    const char *nm = g->names[k].norm;
                    size_t nl = strlen(nm);
                    if (nl + 3 < gl || gl + 3 < nl)
                        continue;  /* JW >= 0.92 cannot hold at this length gap */
                    double jw = jaro_winkler(gram, nm);
                    double sc = 0;
                    if (jw >= 0.92)
                        sc = 0.8 * jw;
                    else if (len == 1 && gl >= 5 && nl >= 5 && edit1(gram, nm))
                        sc = 0.75;
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
    free_strs(w, nw);
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
    int dirs[KG_QUERY_MAX_HOPS];
    long visits;
    bool truncated;
    int target;           /* -1: every node reached is an answer */
    bool *is_source;      /* matched entities are not answers */
    kg_query_path *ans;
    int n_ans, cap_ans;
    bool dedupe;          /* keep one (best) path per answer node */
} walk;

static char *render(const kg_query_graph *g, const int *nodes, const int *edges, const int *dirs,
                    int hops)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_puts(&b, g->nodes[nodes[0]].name);
    for (int h = 0; h < hops; h++) {
        const char *t = g->edges[edges[h]].type;
        /* Co-occurrence has no direction: no arrow either way. */
        if (strcmp(t, "RELATED_TO") == 0)
            kg_buf_printf(&b, " -[%s]- ", t);
        else if (dirs[h] > 0)
            kg_buf_printf(&b, " -[%s]-> ", t);
        else
            kg_buf_printf(&b, " <-[%s]- ", t);
        kg_buf_puts(&b, g->nodes[nodes[h + 1]].name);
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
    if (w->dedupe)
        for (int i = 0; i < w->n_ans; i++)
            if (w->ans[i].node == v) {
                bool better = score > w->ans[i].score ||
                              (score == w->ans[i].score && hops < w->ans[i].hops);
                if (!better)
                    return;
                slot = &w->ans[i];
                free(slot->nodes);
                free(slot->edges);
                free(slot->rendered);
                break;
            }
    if (!slot) {
        if (w->n_ans == w->cap_ans) {
            w->cap_ans = w->cap_ans ? w->cap_ans * 2 : 16;
            w->ans = kg_xrealloc(w->ans, (size_t)w->cap_ans * sizeof *w->ans);
        }
        slot = &w->ans[w->n_ans++];
    }
    slot->node = v;
    slot->score = score;
    slot->hops = hops;
    slot->nodes = kg_xmalloc((size_t)(hops + 1) * sizeof *slot->nodes);
    memcpy(slot->nodes, w->nodes, (size_t)(hops + 1) * sizeof *slot->nodes);
    slot->edges = kg_xmalloc((size_t)(hops ? hops : 1) * sizeof *slot->edges);
    memcpy(slot->edges, w->edges, (size_t)hops * sizeof *slot->edges);
    slot->rendered = render(g, w->nodes, w->edges, w->dirs, hops);
}

/* Depth-first over simple paths, both edge directions, bounded. */
static void dfs(walk *w, int depth, double conf)
{
    const kg_query_graph *g = w->g;
    int u = w->nodes[depth];
    int end = g->adj_off[u + 1];
    if (end - g->adj_off[u] > KG_QUERY_FANOUT) {
        end = g->adj_off[u] + KG_QUERY_FANOUT;
        w->truncated = true;
    }
    for (int k = g->adj_off[u]; k < end; k++) {
        if (w->visits >= KG_QUERY_MAX_VISITS) {
            w->truncated = true;
            return;
        }
        w->visits++;
        const kg_query_edge *e = &g->edges[g->adjs[k].edge];
        int v = g->adjs[k].dir > 0 ? e->dst : e->src;
        bool seen = false;
        for (int d = 0; d <= depth; d++)
            seen |= w->nodes[d] == v;
        if (seen)
            continue;
        w->nodes[depth + 1] = v;
        w->edges[depth] = g->adjs[k].edge;
        w->dirs[depth] = g->adjs[k].dir;
        double c = conf * e->confidence;
        if (w->target < 0 ? !w->is_source[v] : v == w->target) /* NOLINT: is_source is set whenever target < 0 */
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
        free(w->ans[i].rendered);
    }
    r->answers = w->ans;
    r->n_answers = w->n_ans < limit ? w->n_ans : limit;
    r->truncated = w->truncated;
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
    int rc = check_hops(&max_hops, &limit, err);
    if (rc)
        return rc;
    kg_query_result *r = kg_xcalloc(1, sizeof *r);
    rc = kg_query_match(g, question, &r->matches, &r->n_matches, err);
    if (rc) {
        free(r);
        return rc;
    }
    walk w = {.g = g, .max_hops = max_hops, .target = -1, .dedupe = true};
    w.is_source = kg_xcalloc((size_t)g->n_nodes + 1, sizeof *w.is_source);
    for (int i = 0; i < r->n_matches; i++)
        w.is_source[r->matches[i].node] = true;
    for (int i = 0; i < r->n_matches; i++) {
        w.nodes[0] = r->matches[i].node;
        dfs(&w, 0, r->matches[i].score);
    }
    free(w.is_source);
    finish(&w, r, limit, cmp_answer);
    *out = r;
    return KG_OK;
}

int kg_query_paths(kg_query_graph *g, const char *a, const char *b, int max_hops, int limit,
                   kg_query_result **out, kg_err *err)
{
    *out = NULL;
    int rc = check_hops(&max_hops, &limit, err);
    if (rc)
        return rc;
    kg_query_hit *ma = NULL, *mb = NULL;
    int na = 0, nb = 0;
    if ((rc = kg_query_match(g, a, &ma, &na, err)) != 0 ||
        (rc = kg_query_match(g, b, &mb, &nb, err)) != 0) {
        free(ma);
        return rc;
    }
    if (!na || !nb) {
        free(ma);
        free(mb);
        return kg_err_set(err, KG_ENOTFOUND, "query: no entity matches \"%s\"", na ? b : a);
    }
    kg_query_result *r = kg_xcalloc(1, sizeof *r);
    r->matches = kg_xmalloc(2 * sizeof *r->matches);
    r->matches[0] = ma[0];
    r->matches[1] = mb[0];
    r->n_matches = 2;
    free(ma);
    free(mb);
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
