/* graph_query: see graph_query.h. */
#include "graphops/graph_query.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "search/qlink.h"
#include "search/vector_search.h"
#include "nlp/reltype.h"
#include "store/graph_read.h"

int kg_graph_view_build(kg_graph_view *v, kg_err *err)
{
    int rc = KG_OK;
    v->q = kg_query_graph_new();
    for (size_t i = 0; i < v->data.nnodes && !rc; i++) {
        const kg_graph_node *n = &v->data.nodes[i];
        /* Most entities have no alias: skip the JSON parser for them. */
        json_t *al = n->aliases && strcmp(n->aliases, "[]") != 0 ? json_loads(n->aliases, 0, NULL)
                                                                 : NULL;
        size_t na = json_is_array(al) ? json_array_size(al) : 0;
        const char **aliases = kg_xcalloc(na ? na : 1, sizeof *aliases);
        for (size_t a = 0; a < na; a++)
            aliases[a] = json_string_value(json_array_get(al, a));
        if (kg_query_add_node(v->q, n->name, n->type, aliases, (int)na, n->pagerank) < 0)
            rc = kg_err_set(err, KG_ENOMEM, "cannot build the query graph");
        free(aliases);
        json_decref(al);
    }
    for (size_t i = 0; i < v->data.nedges && !rc; i++) {
        const kg_graph_edge *e = &v->data.edges[i];
        const char *ev[] = {e->id};
        int r = kg_query_add_edge(v->q, e->src, e->dst, e->type, e->weight, e->confidence, ev, 1,
                                  err);
        rc = r < 0 ? r : KG_OK; /* it returns the edge's index */
    }
    if (rc) {
        kg_graph_view_free(v);
        return rc;
    }
    return KG_OK;
}

int kg_graph_view_load(kg_store *s, kg_graph_view *v, kg_err *err)
{
    memset(v, 0, sizeof *v);
    int rc = kg_store_graph_load(s, &v->data, err);
    if (!rc)
        rc = kg_graph_view_build(v, err);
    if (!rc)
        kg_query_graph_prepare(v->q);
    return rc;
}

void kg_graph_view_free(kg_graph_view *v)
{
    kg_query_graph_free(v->q);
    kg_graph_data_free(&v->data);
    memset(v, 0, sizeof *v);
}

static json_t *node_json(const kg_graph_view *v, int i)
{
    const kg_graph_node *n = &v->data.nodes[i];
    return json_pack("{s:s, s:s, s:s, s:f}", "id", n->id, "name", n->name, "type", n->type,
                     "pagerank", n->pagerank);
}

/* The passages a question's evidence is drawn from first (hybrid search's
 * ranking of the question): chunk ids, best first. */
typedef struct passages {
    char (*chunk)[KG_ID_MAX];
    size_t n;
} passages;

static size_t passage_rank(const passages *p, const char *chunk_id)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (strcmp(p->chunk[i], chunk_id) == 0)
            return i;
    return (size_t)-1;
}

#define EVIDENCE_READ 8 /* sentences read per relation, to choose `limit` from */

/* Evidence rows in the question's passages first (by their rank), then by
 * confidence as the store gives them; keeps the first limit. */
static void prefer_passages(kg_evidence_row *rows, size_t n, const passages *p)
{
    for (size_t i = 1; p && p->n && i < n; i++) {
        kg_evidence_row t = rows[i];
        size_t rt = passage_rank(p, t.chunk_id), j = i;
        while (j > 0 && passage_rank(p, rows[j - 1].chunk_id) > rt) {
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = t;
    }
}

static json_t *evidence_json(kg_store *s, const kg_graph_edge *e, const kg_graph_view *v, int limit,
                             const passages *pass, kg_err *err, int *rc)
{
    kg_evidence_row *rows = NULL;
    size_t n = 0;
    json_t *arr = json_array();
    *rc = kg_store_relation_evidence(s, v->data.nodes[e->src].id, v->data.nodes[e->dst].id, e->type,
                                     pass && pass->n ? EVIDENCE_READ : limit, &rows, &n, err);
    prefer_passages(rows, n, pass);
    for (size_t i = 0; !*rc && i < n && i < (size_t)limit; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:s, s:s, s:f}",
                                             "relation", e->type, "document", rows[i].doc_id,
                                             "title", rows[i].title, "path", rows[i].path, "page",
                                             rows[i].page, "char_start", (json_int_t)rows[i].start,
                                             "char_end", (json_int_t)rows[i].end, "sentence",
                                             rows[i].sentence, "method", rows[i].method,
                                             "confidence", rows[i].confidence));
    kg_evidence_rows_free(rows, n);
    return arr;
}

/* nodes, edges and evidence of one path; *confidence = product of edges. */
static int path_json(kg_store *s, const kg_graph_view *v, const kg_query_path *p,
                     const passages *pass, json_t *obj, kg_err *err)
{
    json_t *nodes = json_array(), *edges = json_array(), *evidence = json_array();
    double conf = 1.0;
    int rc = KG_OK;
    for (int i = 0; i <= p->hops; i++)
        json_array_append_new(nodes, node_json(v, p->nodes[i]));
    for (int i = 0; i < p->hops && !rc; i++) {
        const kg_graph_edge *e = &v->data.edges[p->edges[i]];
        conf *= e->confidence;
        /* The type is the relation phrase ("work at") or an ontology type;
         * the category is the ontology type it maps onto (nlp/reltype). */
        const char *cat = kg_rel_category(e->type, NULL);
        json_array_append_new(
            edges, json_pack("{s:s, s:s, s:o, s:s, s:s, s:f, s:I, s:s}", "id", e->id, "type",
                             e->type, "category", cat ? json_string(cat) : json_null(), "source",
                             v->data.nodes[e->src].name, "target", v->data.nodes[e->dst].name,
                             "confidence", e->confidence, "support", (json_int_t)e->support,
                             "method", e->method));
        json_t *ev = evidence_json(s, e, v, 2, pass, err, &rc);
        json_array_extend(evidence, ev);
        json_decref(ev);
    }
    json_object_set_new(obj, "path", json_string(p->rendered));
    json_object_set_new(obj, "confidence", json_real(conf));
    json_object_set_new(obj, "hops", json_integer(p->hops));
    json_object_set_new(obj, "nodes", nodes);
    json_object_set_new(obj, "edges", edges);
    json_object_set_new(obj, "evidence", evidence);
    return rc;
}

static json_t *matches_json(const kg_graph_view *v, const kg_query_result *r)
{
    json_t *arr = json_array();
    for (int i = 0; i < r->n_matches; i++) {
        json_t *o = node_json(v, r->matches[i].node);
        json_object_set_new(o, "match", json_string(r->matches[i].kind));
        json_object_set_new(o, "score", json_real(r->matches[i].score));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* What kind of answer a question asks for, from its wording: "who" wants a
 * PERSON, "where" a place, "which university" an ORG, "which method" a
 * METHOD (or the LLM extractor's CONCEPT)...  Answers of that kind are
 * boosted; the others stay, ranked lower. */
static const struct {
    const char *word;
    const char *types;
} ASKS_FOR[] = {
    {"who", " PERSON "},
    {"whom", " PERSON "},
    {"researcher", " PERSON "},
    {"author", " PERSON "},
    {"person", " PERSON "},
    {"people", " PERSON "},
    {"where", " GPE LOC ORG "},
    {"country", " GPE "},
    {"city", " GPE "},
    {"place", " GPE LOC "},
    {"university", " ORG "},
    {"institute", " ORG "},
    {"institution", " ORG "},
    {"organisation", " ORG "},
    {"organization", " ORG "},
    {"company", " ORG "},
    {"lab", " ORG "},
    {"method", " METHOD CONCEPT "},
    {"model", " METHOD CONCEPT "},
    {"algorithm", " METHOD CONCEPT "},
    {"technique", " METHOD CONCEPT "},
    {"theory", " METHOD CONCEPT "},
    {"dataset", " DATASET "},
    {"corpus", " DATASET "},
    {"benchmark", " DATASET "},
    {"task", " TASK "},
    {"metric", " METRIC "},
    {"software", " SOFTWARE "},
    {"library", " SOFTWARE "},
    {"conference", " VENUE "},
    {"journal", " VENUE "},
    {"when", " DATE "},
    {"year", " DATE "},
};

/* w (length n) is entry or its plural ("models", "universities"). */
static int same_word(const char *w, size_t n, const char *entry)
{
    size_t el = strlen(entry);
    if (n == el)
        return memcmp(w, entry, n) == 0;
    if (n == el + 1 && w[el] == 's')
        return memcmp(w, entry, el) == 0;
    if (n == el + 2 && entry[el - 1] == 'y' && memcmp(w + el - 1, "ies", 3) == 0)
        return memcmp(w, entry, el - 1) == 0;
    return 0;
}

/* The first word naming a kind ("which university", "who") is what the
 * question asks for: the answer's type.  Later ones ("the researcher who
 * proposed X") describe the nodes on the way. */
static void expected_types(const char *q, kg_buf *head, kg_buf *via)
{
    char word[32];
    size_t n = 0;
    for (const char *p = q;; p++) {
        int letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
        if (letter && n + 1 < sizeof word) {
            word[n++] = (char)(*p | 0x20);
            continue;
        }
        if (n) {
            for (size_t i = 0; i < sizeof ASKS_FOR / sizeof ASKS_FOR[0]; i++)
                if (same_word(word, n, ASKS_FOR[i].word))
                    kg_buf_puts(head->len ? via : head, ASKS_FOR[i].types);
            n = 0;
        }
        if (!*p)
            break;
    }
}

static int type_in(const kg_buf *set, const char *type)
{
    char t[KG_TYPE_MAX + 2];
    snprintf(t, sizeof t, " %s ", type);
    return set->len && strstr(set->data, t) != NULL;
}

#define TYPE_BOOST 2.0 /* the answer is of the kind asked for */
#define VIA_BOOST 1.3  /* the path passes through a kind the question describes */
#define VERB_BOOST 1.3 /* the path holds the relation the question's verb names */

/* The relation a question's verb names ("the researcher who proposed X":
 * CREATED), so that of two paths to answers of the kind asked for, the one
 * through that relation comes first. */
static const struct {
    const char *word, *type;
} VERBS[] = {
    {"proposed", "CREATED"},
    {"developed", "CREATED"},
    {"introduced", "CREATED"},
    {"created", "CREATED"},
    {"invented", "CREATED"},
    {"founded", "CREATED"},
    {"designed", "CREATED"},
    {"extended", "CITES_OR_EXTENDS"},
    {"cited", "CITES_OR_EXTENDS"},
    {"leads", "LEADS"},
    {"led", "LEADS"},
    {"heads", "LEADS"},
    {"directs", "LEADS"},
    {"uses", "USES"},
    {"used", "USES"},
    {"collaborates", "COLLABORATES_WITH"},
};

static const char *question_relation(const char *q)
{
    char word[32];
    size_t n = 0;
    for (const char *p = q;; p++) {
        int letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
        if (letter && n + 1 < sizeof word) {
            word[n++] = (char)(*p | 0x20);
            continue;
        }
        for (size_t i = 0; n && i < sizeof VERBS / sizeof VERBS[0]; i++)
            if (strlen(VERBS[i].word) == n && memcmp(word, VERBS[i].word, n) == 0)
                return VERBS[i].type;
        n = 0;
        if (!*p)
            return NULL;
    }
}

static int by_score_desc(const void *a, const void *b)
{
    double x = ((const kg_query_path *)a)->score, y = ((const kg_query_path *)b)->score;
    return (x < y) - (x > y);
}

/* The view's node holding entity id, -1 when it has none. */
static int node_of(const kg_graph_view *v, const char *id)
{
    for (size_t i = 0; i < v->data.nnodes; i++)
        if (strcmp(v->data.nodes[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* The entities text names, as matches on the view: search/qlink over the
 * store (the linking hybrid search uses), best first; *linked its report
 * when asked.  A database without the name index falls back to
 * graph/query's matcher on the view. */
static int link_text(kg_store *s, kg_graph_view *v, const char *text, unsigned flags,
                     kg_query_hit **m, int *nm, json_t **linked, kg_err *err)
{
    *m = NULL;
    *nm = 0;
    kg_qlink_result l;
    int rc = kg_qlink_run(s, text, flags | KG_QLINK_ENTITIES, &l, err);
    if (rc)
        return rc;
    if (linked)
        *linked = kg_qlink_json(&l);
    if (!l.names_ready) {
        kg_qlink_result_free(&l);
        return kg_query_match(v->q, text, m, nm, err);
    }
    *m = kg_xcalloc(l.n + 1, sizeof **m);
    for (size_t i = 0; i < l.n; i++) {
        int node = node_of(v, l.hits[i].id);
        if (node >= 0)
            (*m)[(*nm)++] = (kg_query_hit){node, l.hits[i].score, l.hits[i].kind,
                                           l.hits[i].word_start, l.hits[i].word_end};
    }
    kg_qlink_result_free(&l);
    return KG_OK;
}

#define QUESTION_PASSAGES 10

/* The question's passages by hybrid search (text, vectors and the walk
 * from what it names): listed with the answers, and the evidence is
 * drawn from them first. */
static int question_passages(kg_store *s, const char *question, passages *p, json_t **arr,
                             json_t **channels, kg_err *err)
{
    kg_ranked_hit *hits = NULL;
    size_t n = 0;
    kg_search_info info;
    int rc = kg_search_ranked(s, question, KG_SEARCH_HYBRID, NULL, QUESTION_PASSAGES, &hits, &n,
                              &info, err);
    if (rc)
        return rc;
    *arr = json_array();
    p->chunk = kg_xcalloc(n + 1, sizeof *p->chunk);
    for (size_t i = 0; i < n; i++) {
        const kg_search_hit *h = &hits[i].hit;
        snprintf(p->chunk[p->n++], KG_ID_MAX, "%s", h->chunk_id);
        json_array_append_new(*arr, kg_search_hit_json(h));
    }
    *channels = json_incref(json_object_get(info.report, "channels"));
    kg_ranked_hits_free(hits, n);
    kg_search_info_free(&info);
    return KG_OK;
}

int kg_graph_answer_json(kg_store *s, kg_graph_view *v, const char *question, int max_hops,
                         int limit, json_t **out, kg_err *err)
{
    *out = NULL;
    kg_query_result *r = NULL;
    kg_buf want = KG_BUF_INIT, via = KG_BUF_INIT;
    expected_types(question, &want, &via);
    kg_query_hit *m = NULL;
    int nm = 0;
    json_t *linked = NULL, *parr = NULL, *channels = NULL;
    passages pass = {0};
    int rc = link_text(s, v, question, 0, &m, &nm, &linked, err);
    if (!rc)
        rc = question_passages(s, question, &pass, &parr, &channels, err);
    /* Ask for more than shown, so boosted answers can move up into view. */
    if (!rc)
        rc = kg_query_answer_from(v->q, question, m, nm, max_hops, want.len ? limit * 4 : limit, &r,
                                  err);
    free(m);
    if (rc) {
        kg_buf_free(&want);
        kg_buf_free(&via);
        json_decref(linked);
        json_decref(parr);
        json_decref(channels);
        free(pass.chunk);
        return rc;
    }
    if (want.len) {
        const char *rel = question_relation(question);
        for (int i = 0; i < r->n_answers; i++) {
            kg_query_path *p = &r->answers[i];
            if (type_in(&want, v->data.nodes[p->node].type))
                p->score *= TYPE_BOOST;
            for (int k = 1; k < p->hops; k++)
                if (type_in(&via, v->data.nodes[p->nodes[k]].type)) {
                    p->score *= VIA_BOOST;
                    break;
                }
            for (int k = 0; rel && k < p->hops; k++)
                if (strcmp(v->data.edges[p->edges[k]].type, rel) == 0) {
                    p->score *= VERB_BOOST;
                    break;
                }
        }
        if (r->n_answers)
            qsort(r->answers, (size_t)r->n_answers, sizeof *r->answers, by_score_desc);
        if (r->n_answers > limit) {
            for (int i = limit; i < r->n_answers; i++) {
                free(r->answers[i].nodes);
                free(r->answers[i].edges);
                free(r->answers[i].rendered);
            }
            r->n_answers = limit;
        }
    }
    kg_buf_free(&want);
    kg_buf_free(&via);
    json_t *answers = json_array();
    for (int i = 0; i < r->n_answers && !rc; i++) {
        const kg_query_path *p = &r->answers[i];
        json_t *a = json_object();
        json_object_set_new(a, "entity", node_json(v, p->node));
        json_object_set_new(a, "score", json_real(p->score));
        rc = path_json(s, v, p, &pass, a, err);
        json_array_append_new(answers, a);
    }
    free(pass.chunk);
    if (!rc) {
        *out = json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:o}", "question", question, "matched",
                         matches_json(v, r), "answers", answers, "truncated", r->truncated,
                         "linked", linked, "passages", parr, "channels",
                         channels ? channels : json_object());
    } else {
        json_decref(answers);
        json_decref(linked);
        json_decref(parr);
        json_decref(channels);
    }
    kg_query_result_free(r);
    return rc;
}

int kg_graph_paths_json(kg_store *s, kg_graph_view *v, const char *a, const char *b, int max_hops,
                        int limit, json_t **out, kg_err *err)
{
    *out = NULL;
    kg_query_result *r = NULL;
    kg_query_hit *ma = NULL, *mb = NULL;
    int na = 0, nb = 0;
    int rc = link_text(s, v, a, KG_QLINK_PHRASE, &ma, &na, NULL, err);
    if (!rc)
        rc = link_text(s, v, b, KG_QLINK_PHRASE, &mb, &nb, NULL, err);
    if (!rc && (!na || !nb))
        rc = kg_err_set(err, KG_ENOTFOUND, "query: no entity matches \"%s\"", na ? b : a);
    if (!rc)
        rc = kg_query_paths_from(v->q, &ma[0], &mb[0], max_hops, limit, &r, err);
    free(ma);
    free(mb);
    if (rc)
        return rc;
    json_t *paths = json_array();
    for (int i = 0; i < r->n_answers && !rc; i++) {
        json_t *o = json_object();
        rc = path_json(s, v, &r->answers[i], NULL, o, err);
        json_array_append_new(paths, o);
    }
    if (!rc)
        *out = json_pack("{s:s, s:s, s:o, s:o, s:b}", "from", a, "to", b, "matched",
                         matches_json(v, r), "paths", paths, "truncated", r->truncated);
    else
        json_decref(paths);
    kg_query_result_free(r);
    return rc;
}

static int relations_of(kg_store *s, const char *id, json_t *arr, kg_err *err)
{
    kg_relation_row *r = NULL;
    size_t n = 0;
    int rc = kg_store_entity_relations(s, id, 50, &r, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:f, s:I, s:s}", "type",
                                             r[i].type, "direction", r[i].outgoing ? "out" : "in",
                                             "other", "id", r[i].other_id, "name", r[i].other_name,
                                             "type", r[i].other_type, "confidence", r[i].confidence,
                                             "support", (json_int_t)r[i].support, "method",
                                             r[i].method));
    kg_relation_rows_free(r, n);
    return rc;
}

int kg_graph_entity_json(kg_store *s, const char *id_or_name, int mention_limit, json_t **out,
                         kg_err *err)
{
    *out = NULL;
    kg_entity_row *rows = NULL;
    size_t n = 0;
    int rc = kg_store_find_entities(s, id_or_name, 5, &rows, &n, err);
    if (rc)
        return rc;
    if (n == 0)
        return kg_err_set(err, KG_ENOTFOUND,
                          "no entity named '%s' (try `kgas top` or a part of the name with "
                          "`kgas query`)",
                          id_or_name);
    const kg_entity_row *e = &rows[0];
    json_t *aliases = json_loads(e->aliases, 0, NULL);
    if (!aliases)
        aliases = json_array();
    json_t *mentions = json_array(), *rels = json_array();
    kg_mention_row *m = NULL;
    size_t nm = 0;
    rc = kg_store_entity_mentions(s, e->id, mention_limit, &m, &nm, err);
    for (size_t i = 0; !rc && i < nm; i++)
        json_array_append_new(mentions,
                              json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:s, s:s, s:f}", "document",
                                        m[i].doc_id, "title", m[i].title, "path", m[i].path, "page",
                                        m[i].page, "char_start", (json_int_t)m[i].start, "char_end",
                                        (json_int_t)m[i].end, "surface", m[i].surface, "snippet",
                                        m[i].snippet, "confidence", m[i].confidence));
    kg_mention_rows_free(m, nm);
    if (!rc)
        rc = relations_of(s, e->id, rels, err);
    json_t *others = json_array();
    for (size_t i = 1; i < n; i++)
        json_array_append_new(others, json_pack("{s:s, s:s, s:s}", "id", rows[i].id, "name",
                                                rows[i].name, "type", rows[i].type));
    if (!rc)
        *out = json_pack("{s:s, s:s, s:s, s:o, s:I, s:f, s:I, s:f, s:f, s:o, s:o, s:o}", "id",
                         e->id, "name", e->name, "type", e->type, "aliases", aliases, "mentions",
                         (json_int_t)e->mentions, "pagerank", e->pagerank, "rank",
                         (json_int_t)e->rank, "percentile", e->percentile, "confidence",
                         e->confidence, "mention_list", mentions, "relations", rels,
                         "other_matches", others);
    else {
        json_decref(aliases);
        json_decref(mentions);
        json_decref(rels);
        json_decref(others);
    }
    kg_entity_rows_free(rows, n);
    return rc;
}

int kg_graph_top_json(kg_store *s, const char *type, int limit, json_t **out, kg_err *err)
{
    /* Types are stored upper-case. */
    char up[KG_TYPE_MAX] = "";
    if (type) {
        size_t i = 0;
        for (; type[i] && i + 1 < sizeof up; i++)
            up[i] = (char)((type[i] >= 'a' && type[i] <= 'z') ? type[i] - 32 : type[i]);
        up[i] = '\0';
    }
    kg_entity_row *rows = NULL;
    size_t n = 0;
    int rc = kg_store_top_entities(s, type ? up : NULL, limit, &rows, &n, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:f, s:I, s:I, s:f}", "id", rows[i].id, "name",
                           rows[i].name, "type", rows[i].type, "pagerank", rows[i].pagerank, "rank",
                           (json_int_t)rows[i].rank, "mentions", (json_int_t)rows[i].mentions,
                           "percentile", rows[i].percentile));
    kg_entity_rows_free(rows, n);
    *out = json_pack("{s:o}", "entities", arr);
    return KG_OK;
}
