/* cmd_store: commands that read the database: documents, search, stats.
 * Output goes to stdout; everything allocated here is freed before return. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/commands.h"
#include "store/relation_stats.h"
#include "search/embed_api.h"
#include "search/entity_vec.h"
#include "search/vector_search.h"

/* Search's own options (NULL for the other commands). */
typedef struct search_opts {
    const char *mode, *model;
    int entities; /* --entities: rank entities, not chunks */
} search_opts;

/* Parse "[--json] [--limit N]" (and, for search, "--mode M --model ID") and
 * collect the remaining words. */
static int parse_opts(kg_cli *c, int *json, long *limit, kg_buf *words, search_opts *so)
{
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        const char *val;
        if (strcmp(a, "--json") == 0) {
            *json = 1;
            continue;
        }
        if (so && strcmp(a, "--entities") == 0) {
            so->entities = 1;
            continue;
        }
        if (so) {
            int r = kg_cli_opt_value(c, &i, "--mode", &val);
            if (r == 0)
                r = kg_cli_opt_value(c, &i, "--model", &val) * 2;
            if (r < 0)
                return KG_EXIT_USAGE;
            if (r == 1) {
                so->mode = val;
                continue;
            }
            if (r == 2) {
                so->model = val;
                continue;
            }
        }
        if (limit) {
            int r = kg_cli_opt_value(c, &i, "--limit", &val);
            if (r < 0)
                return KG_EXIT_USAGE;
            if (r == 1) {
                if (kg_cli_parse_int(c, "--limit", val, 1, 10000, limit) < 0)
                    return KG_EXIT_USAGE;
                continue;
            }
        }
        if (a[0] == '-' && a[1])
            return kg_cli_usage_error(c, "unknown option '%s'", a);
        if (!words)
            return kg_cli_usage_error(c, "unexpected argument '%s'", a);
        if (words->len)
            kg_buf_putc(words, ' ');
        kg_buf_puts(words, a);
    }
    return kg_cli_finish_settings(c);
}

static int parse_common(kg_cli *c, int *json, long *limit, kg_buf *words)
{
    return parse_opts(c, json, limit, words, NULL);
}

int kg_cmd_stats(kg_cli *c)
{
    int json = 0;
    int rc = parse_common(c, &json, NULL, NULL);
    if (rc)
        return rc;
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s)
        return KG_EXIT_FAILED;
    kg_store_stats st;
    kg_err e;
    if (kg_store_stats_get(s, &st, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        kg_store_close(s);
        return KG_EXIT_FAILED;
    }
    kg_relation_stats rs;
    if (kg_store_relation_stats(s, &rs, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        kg_store_close(s);
        return KG_EXIT_FAILED;
    }
    int64_t typed_den = rs.typed_evidence + rs.cooccur_verb_evidence;
    double share = typed_den ? (double)rs.typed_evidence / (double)typed_den : 0.0;
    if (json) {
        json_t *o = json_pack(
            "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "documents", (json_int_t)st.documents,
            "chunks", (json_int_t)st.chunks, "entities", (json_int_t)st.entities, "relationships",
            (json_int_t)st.relationships, "mentions", (json_int_t)st.mentions, "pages",
            (json_int_t)st.pages, "bytes", (json_int_t)st.bytes, "chars", (json_int_t)st.chars);
        json_object_set_new(o, "relation_typing",
                            json_pack("{s:I, s:I, s:I, s:f, s:I, s:I, s:I}", "typed_evidence",
                                      (json_int_t)rs.typed_evidence, "cooccur_verb_evidence",
                                      (json_int_t)rs.cooccur_verb_evidence, "cooccur_evidence",
                                      (json_int_t)rs.cooccur_evidence, "typed_share", share,
                                      "typed_relationships", (json_int_t)rs.typed_relationships,
                                      "cooccur_relationships", (json_int_t)rs.cooccur_relationships,
                                      "relation_types", (json_int_t)rs.phrases));
        kg_cli_print_json(o);
    } else {
        printf("documents      %lld\nchunks         %lld\nmentions       %lld\n"
               "entities       %lld\nrelationships  %lld\npages          %lld\n"
               "bytes          %lld\n",
               (long long)st.documents, (long long)st.chunks, (long long)st.mentions,
               (long long)st.entities, (long long)st.relationships, (long long)st.pages,
               (long long)st.bytes);
        printf("relationships  %lld typed (%lld relation types), %lld co-occurrence only\n"
               "typed share    %.0f%% (of entity pairs in a sentence that the text relates: a "
               "relation phrase, or a verb between them)\n",
               (long long)rs.typed_relationships, (long long)rs.phrases,
               (long long)rs.cooccur_relationships, 100.0 * share);
    }
    kg_store_close(s);
    return KG_EXIT_OK;
}

/* A document read as a paper (ingest/ingest_paper) carries its header
 * and bibliography: authors, year, venue, doi, arxiv, abstract, sections,
 * references, n_references, header and references status.  Added beside
 * the document's own fields (which win: its title is the header's
 * already); "paper" says whether it read as one. */
static json_t *doc_paper_fields(const char *paper, json_t *doc)
{
    json_t *p = paper ? json_loads(paper, 0, NULL) : NULL;
    json_object_set_new(doc, "paper", json_boolean(json_is_object(p)));
    if (json_is_object(p)) {
        json_object_del(p, "title");
        json_object_update_missing(doc, p);
    }
    json_decref(p);
    return doc;
}

/* "    paper: 3 authors (A, B, C), 2009, 40 references" */
static void print_paper_line(const char *paper)
{
    json_t *p = paper ? json_loads(paper, 0, NULL) : NULL;
    if (!json_is_object(p)) {
        json_decref(p);
        return;
    }
    json_t *au = json_object_get(p, "authors");
    printf("    paper: %zu author%s", json_array_size(au), json_array_size(au) == 1 ? "" : "s");
    size_t i;
    json_t *a;
    json_array_foreach(au, i, a)
    {
        if (i == 3) {
            printf(", ...");
            break;
        }
        printf("%s%s", i ? ", " : " (", json_string_value(json_object_get(a, "name")));
    }
    printf("%s", json_array_size(au) ? ")" : "");
    json_int_t year = json_integer_value(json_object_get(p, "year"));
    if (year)
        printf(", %lld", (long long)year);
    printf(", %lld references\n",
           (long long)json_integer_value(json_object_get(p, "n_references")));
    json_decref(p);
}

int kg_cmd_documents(kg_cli *c)
{
    int json = 0;
    int rc = parse_common(c, &json, NULL, NULL);
    if (rc)
        return rc;
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s)
        return KG_EXIT_FAILED;
    kg_doc_row *rows;
    size_t n;
    kg_err e;
    if (kg_store_doc_list(s, &rows, &n, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        kg_store_close(s);
        return KG_EXIT_FAILED;
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(
                arr, doc_paper_fields(
                         rows[i].paper,
                         json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:f, s:s}", "id",
                                   rows[i].id, "path", rows[i].path, "title", rows[i].title, "kind",
                                   rows[i].kind, "pages", rows[i].pages, "chunks",
                                   (json_int_t)rows[i].chunks, "bytes", (json_int_t)rows[i].bytes,
                                   "chars", (json_int_t)rows[i].chars, "confidence",
                                   rows[i].confidence, "hash", rows[i].hash)));
        kg_cli_print_json(json_pack("{s:o}", "documents", arr));
    } else {
        for (size_t i = 0; i < n; i++) {
            printf("%s  %-4s %4d p %5lld chunks  %s\n    %s\n", rows[i].id, rows[i].kind,
                   rows[i].pages, (long long)rows[i].chunks, rows[i].title, rows[i].path);
            print_paper_line(rows[i].paper);
        }
        if (n == 0)
            printf("no documents yet (run `kgas ingest PATH`)\n");
    }
    kg_doc_rows_free(rows, n);
    kg_store_close(s);
    return KG_EXIT_OK;
}

/* Hybrid, in words: which channels answered, and what the question names. */
static void print_channels(json_t *report)
{
    json_t *ch = json_object_get(report, "channels");
    printf("channels:");
    const char *k;
    json_t *v;
    json_object_foreach(ch, k, v)
    {
        printf(" %s %s (%lld)", k, json_string_value(json_object_get(v, "state")),
               (long long)json_integer_value(json_object_get(v, "hits")));
    }
    printf("\n");
    json_t *linked = json_object_get(report, "linked");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(linked, "entities"), i, x)
    {
        printf("%s %s (%s, %s: \"%s\")",
               i ? "," : "names:", json_string_value(json_object_get(x, "name")),
               json_string_value(json_object_get(x, "type")),
               json_string_value(json_object_get(x, "match")),
               json_string_value(json_object_get(x, "words")));
    }
    if (json_array_size(json_object_get(linked, "entities")))
        printf("\n");
    json_array_foreach(json_object_get(linked, "passages"), i, x)
    {
        printf("%s \"%s\"", i ? "," : "titles:", json_string_value(json_object_get(x, "title")));
    }
    if (json_array_size(json_object_get(linked, "passages")))
        printf("\n");
}

/* " § Methods" after a hit's title when its chunk is in a section: the
 * mark, then the name (two printf arguments). */
/* " § Section" after the title, unless the section is the title (a
 * document whose only heading is its title). */
#define SECTION_SHOWN(h) \
    ((h)->section && *(h)->section && (!(h)->title || strcmp((h)->section, (h)->title) != 0))
#define SECTION_MARK(h) (SECTION_SHOWN(h) ? " \xc2\xa7 " : "")
#define SECTION_NAME(h) (SECTION_SHOWN(h) ? (h)->section : "")

/* `search --mode vector|hybrid`: kg_search_ranked. */
static int search_ranked(kg_cli *c, kg_store *s, const char *query, kg_search_mode mode,
                         const char *model, long limit, int json)
{
    kg_ranked_hit *hits;
    size_t n;
    kg_search_info info;
    kg_err e;
    kg_vindex_opts ix;
    kg_vindex_opts_from_config(c->cfg, &ix);
    int rc = kg_embed_is_api(model) ? kg_search_ranked_api(c->cfg, NULL, s, s, query, mode, model,
                                                           (int)limit, &hits, &n, &info, &e)
                                    : kg_search_ranked_ex(s, query, mode, model, (int)limit, &ix,
                                                          &hits, &n, &info, &e);
    if (rc != KG_OK) {
        kg_cli_error("%s", e.msg);
        return e.code == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED;
    }
    if (info.unembedded > 0)
        kg_cli_error("note: %lld chunks have no vector yet; run `kgas embed` to include them",
                     (long long)info.unembedded);
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const kg_search_hit *h = &hits[i].hit;
            json_t *o = kg_search_hit_json(h);
            json_object_set_new(o, "text_rank",
                                hits[i].text_rank ? json_integer(hits[i].text_rank) : json_null());
            json_object_set_new(o, "vector_rank",
                                hits[i].vector_rank ? json_integer(hits[i].vector_rank)
                                                    : json_null());
            if (hits[i].vector_rank)
                json_object_set_new(o, "cosine", json_real(hits[i].cosine));
            if (mode == KG_SEARCH_HYBRID) {
                json_object_set_new(o, "graph_rank",
                                    hits[i].graph_rank ? json_integer(hits[i].graph_rank)
                                                       : json_null());
                json_object_set_new(o, "named", json_boolean(hits[i].named));
            }
            json_array_append_new(arr, o);
        }
        json_t *out = json_pack("{s:s, s:s, s:I, s:o}", "query", query, "mode",
                                kg_search_mode_name(mode), "unembedded",
                                (json_int_t)info.unembedded, "results", arr);
        if (info.index)
            json_object_set_new(out, "index", json_string(info.index));
        if (mode == KG_SEARCH_HYBRID) {
            json_object_set_new(out, "named_entities", json_integer(info.named_entities));
            json_object_update(out, info.report);
        }
        kg_cli_print_json(out);
    } else {
        if (mode == KG_SEARCH_HYBRID)
            print_channels(info.report);
        for (size_t i = 0; i < n; i++) {
            printf("%2zu. %s%s%s (p. %d, bytes %lld-%lld, %s %.4f)\n    ", i + 1, hits[i].hit.title,
                   SECTION_MARK(&hits[i].hit), SECTION_NAME(&hits[i].hit), hits[i].hit.page,
                   (long long)hits[i].hit.char_start, (long long)hits[i].hit.char_end,
                   mode == KG_SEARCH_VECTOR ? "cosine" : "walk", hits[i].hit.score);
            kg_cli_print_oneline(stdout, hits[i].hit.snippet, 0);
            putchar('\n');
        }
        if (n == 0)
            printf("no matches for '%s'\n", query);
    }
    kg_ranked_hits_free(hits, n);
    kg_search_info_free(&info);
    return KG_EXIT_OK;
}

/* `search --entities`: the entities nearest the query (search/entity_vec). */
static int search_entities(kg_cli *c, const char *query, const char *model, long limit, int json)
{
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s)
        return KG_EXIT_FAILED;
    kg_vindex_opts ix;
    kg_vindex_opts_from_config(c->cfg, &ix);
    kg_entity_hit *hits;
    size_t n;
    const char *index;
    kg_err e;
    int rc = kg_entity_search(s, query, model, (int)limit, &ix, &hits, &n, &index, &e);
    kg_store_close(s);
    if (rc != KG_OK) {
        kg_cli_error("%s", e.msg);
        return e.code == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED;
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const kg_entity_row *r = &hits[i].row;
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:f, s:I, s:f}", "id", r->id,
                                                 "name", r->name, "type", r->type, "pagerank",
                                                 r->pagerank, "mentions", (json_int_t)r->mentions,
                                                 "cosine", hits[i].cosine));
        }
        kg_cli_print_json(json_pack("{s:s, s:s, s:s, s:o}", "query", query, "target", "entities",
                                    "index", index, "results", arr));
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%2zu. %s [%s] (cosine %.4f, pagerank %.4f, %lld mentions)  %s\n", i + 1,
                   hits[i].row.name, hits[i].row.type, hits[i].cosine, hits[i].row.pagerank,
                   (long long)hits[i].row.mentions, hits[i].row.id);
        if (n == 0)
            printf("no entities for '%s'\n", query);
    }
    kg_entity_hits_free(hits, n);
    return KG_EXIT_OK;
}

int kg_cmd_search(kg_cli *c)
{
    int json = 0;
    long limit = 10;
    kg_buf q = KG_BUF_INIT;
    search_opts so = {0};
    int rc = parse_opts(c, &json, &limit, &q, &so);
    int mode = so.mode ? kg_search_mode_parse(so.mode) : KG_SEARCH_TEXT;
    if (!rc && mode < 0)
        rc = kg_cli_usage_error(c, "--mode must be text, vector or hybrid, not '%s'", so.mode);
    if (!rc && so.entities && so.mode && mode != KG_SEARCH_VECTOR)
        rc = kg_cli_usage_error(c, "--entities ranks entities by vector similarity: "
                                   "--mode vector or no --mode");
    if (!rc && so.entities && kg_embed_is_api(so.model))
        rc = kg_cli_usage_error(c, "--entities works with the local models only");
    if (!rc && so.model && mode == KG_SEARCH_TEXT && !so.entities)
        rc = kg_cli_usage_error(c, "--model applies to --mode vector or hybrid");
    if (!rc && q.len == 0)
        rc = kg_cli_usage_error(c, "give the words to search for");
    if (!rc)
        rc = kg_cli_check_text(c, "the search", q.data);
    if (rc) {
        kg_buf_free(&q);
        return rc;
    }
    if (so.entities) {
        rc = search_entities(c, q.data, so.model, limit, json);
        kg_buf_free(&q);
        return rc;
    }
    if (mode != KG_SEARCH_TEXT) {
        /* An API model's query vector is cached: that needs a writable handle. */
        kg_store *vs = kg_cli_open_store(c, !kg_embed_is_api(so.model));
        rc = vs ? search_ranked(c, vs, q.data, (kg_search_mode)mode, so.model, limit, json)
                : KG_EXIT_FAILED;
        kg_store_close(vs);
        kg_buf_free(&q);
        return rc;
    }
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s) {
        kg_buf_free(&q);
        return KG_EXIT_FAILED;
    }
    kg_search_hit *hits;
    size_t n;
    kg_err e;
    if (kg_store_search(s, q.data, (int)limit, &hits, &n, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        kg_store_close(s);
        kg_buf_free(&q);
        return e.code == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED;
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, kg_search_hit_json(&hits[i]));
        kg_cli_print_json(json_pack("{s:s, s:o}", "query", q.data, "results", arr));
    } else {
        for (size_t i = 0; i < n; i++) {
            printf("%2zu. %s%s%s (p. %d, score %.2f)\n    ", i + 1, hits[i].title,
                   SECTION_MARK(&hits[i]), SECTION_NAME(&hits[i]), hits[i].page, hits[i].score);
            kg_cli_print_oneline(stdout, hits[i].snippet, 0);
            putchar('\n');
        }
        if (n == 0)
            printf("no matches for '%s'\n", q.data);
    }
    kg_search_hits_free(hits, n);
    kg_store_close(s);
    kg_buf_free(&q);
    return KG_EXIT_OK;
}

int kg_cmd_config(kg_cli *c)
{
    int json = 0;
    int rc = parse_common(c, &json, NULL, NULL);
    if (rc)
        return rc;
    kg_buf out = KG_BUF_INIT;
    kg_config_dump(c->cfg, json, &out);
    fputs(kg_buf_str(&out), stdout);
    kg_buf_free(&out);
    return KG_EXIT_OK;
}
