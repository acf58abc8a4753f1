/* ingest_fuzzy: see ingest_fuzzy.h. */
#include "ingest/ingest_fuzzy.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "ingest/extract.h"
#include "paper/paper_key.h"
#include "store/merge_store.h"

typedef struct work {
    char id[KG_ID_MAX];  /* its PAPER entity (by key) */
    char doc[KG_ID_MAX]; /* the document that is it, or cites it */
    char *title;
    char *surname; /* first author's, or NULL */
    int year;
    int own; /* the document's own paper, not a cited one */
} work;

typedef KG_VEC(work) work_vec;

struct kg_paper_works {
    work_vec v;
    int loaded;
};

kg_paper_works *kg_paper_works_new(void)
{
    return kg_xcalloc(1, sizeof(kg_paper_works));
}

static void works_clear(work_vec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->v[i].title);
        free(v->v[i].surname);
    }
    kg_vec_free(v);
}

void kg_paper_works_free(kg_paper_works *w)
{
    if (!w)
        return;
    works_clear(&w->v);
    free(w);
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void push(work_vec *v, const char *doc, const char *doi, const char *arxiv,
                 const char *title, int year, const char *author, int own)
{
    char *key = kg_paper_key(doi, arxiv, title, year);
    if (!key)
        return;
    work *x = kg_vec_push_zero(v);
    kg_entity_id_for(x->id, "PAPER", key);
    free(key);
    snprintf(x->doc, sizeof x->doc, "%s", doc);
    x->title = kg_xstrdup(title);
    x->surname = author ? kg_paper_surname(author) : NULL;
    x->year = year;
    x->own = own;
}

/* The works of one paper record: its own paper, and its titled entries. */
static void works_of(work_vec *v, const char *doc, const char *doc_title, const char *record)
{
    json_t *rec = record ? json_loads(record, 0, NULL) : NULL;
    if (!json_is_object(rec)) {
        json_decref(rec);
        return;
    }
    const char *title = jstr(rec, "title");
    if (!title || !*title)
        title = doc_title;
    const json_t *authors = json_object_get(rec, "authors");
    if (title && *title)
        push(v, doc, jstr(rec, "doi"), jstr(rec, "arxiv"), title,
             (int)json_integer_value(json_object_get(rec, "year")),
             jstr(json_array_get(authors, 0), "name"), 1);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(rec, "references"), i, r)
    {
        const char *t = jstr(r, "title");
        if (t && *t)
            push(v, doc, jstr(r, "doi"), jstr(r, "arxiv"), t,
                 (int)json_integer_value(json_object_get(r, "year")),
                 json_string_value(json_array_get(json_object_get(r, "authors"), 0)), 0);
    }
    json_decref(rec);
}

static int load(kg_paper_works *w, kg_store *s, const char *doc_id, kg_err *err)
{
    kg_doc_row *rows = NULL;
    size_t n = 0;
    int rc = kg_store_doc_list(s, &rows, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        if (rows[i].paper && strcmp(rows[i].id, doc_id) != 0)
            works_of(&w->v, rows[i].id, rows[i].title, rows[i].paper);
    kg_doc_rows_free(rows, n);
    w->loaded = !rc;
    return rc;
}

/* Is id the own entity of one of v's papers? */
static int has_own(const work_vec *v, const char *id)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i].own && strcmp(v->v[i].id, id) == 0)
            return 1;
    return 0;
}

int kg_paper_decide(kg_store *s, const char *from, const char *into, const char *from_name,
                    const char *into_name, double score, const char *reasons, int *done,
                    kg_err *err)
{
    int decided = 0, undone = 0;
    *done = 0;
    int rc = kg_merge_decided(s, from, &decided, err);
    if (!rc && !decided)
        rc = kg_merge_was_undone(s, from, into, &undone, err);
    if (rc || decided || undone)
        return rc;
    kg_merge_rec r = {0};
    snprintf(r.from_id, sizeof r.from_id, "%s", from);
    snprintf(r.into_id, sizeof r.into_id, "%s", into);
    r.from_name = (char *)from_name;
    r.into_name = (char *)into_name;
    snprintf(r.type, sizeof r.type, "PAPER");
    r.score = score;
    r.reasons = (char *)reasons;
    rc = kg_merge_insert(s, &r, err);
    *done = !rc;
    return rc;
}

/* The best ingested paper (other kind, other document) for x. */
static const work *best_match(const work_vec *v, const work *x, const char *doc_id, double *score)
{
    const work *best = NULL;
    *score = 0;
    for (size_t i = 0; i < v->n; i++) {
        const work *y = &v->v[i];
        if (y->own == x->own || strcmp(y->doc, doc_id) == 0 || strcmp(y->id, x->id) == 0)
            continue;
        double m = kg_paper_title_match(x->title, x->year, x->surname, y->title, y->year,
                                        y->surname);
        if (m > *score) {
            *score = m;
            best = y;
        }
    }
    return best;
}

int kg_paper_works_add(kg_paper_works *w, kg_store *s, const char *doc_id, const char *doc_title,
                       const char *record_json, size_t *recorded, kg_err *err)
{
    if (!record_json)
        return KG_OK;
    int rc = w->loaded ? KG_OK : load(w, s, doc_id, err);
    work_vec mine = {0};
    works_of(&mine, doc_id, doc_title, record_json);
    for (size_t i = 0; !rc && i < mine.n; i++) {
        double score;
        const work *x = &mine.v[i];
        const work *y = best_match(&w->v, x, doc_id, &score);
        if (!y)
            continue;
        const work *cited = x->own ? y : x, *paper = x->own ? x : y;
        if (has_own(&w->v, cited->id) || has_own(&mine, cited->id))
            continue;
        int done = 0;
        rc = kg_paper_decide(s, cited->id, paper->id, cited->title, paper->title, score,
                             "[\"paper: one work, its title spelled differently (words, year or "
                             "first author)\"]",
                             &done, err);
        *recorded += (size_t)done;
    }
    for (size_t i = 0; !rc && i < mine.n; i++)
        kg_vec_push(&w->v, mine.v[i]);
    if (!rc)
        mine.n = 0; /* moved */
    works_clear(&mine);
    return rc;
}
