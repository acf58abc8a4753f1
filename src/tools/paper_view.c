/* paper_view: a paper's stored record and its citers (see paper_view.h). */
#include "tools/paper_view.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/extract.h"
#include "paper/paper_key.h"
#include "store/graph_read.h"

/* The PAPER entity named or keyed by q (an id, a name or an alias), or 0. */
static int paper_entity(kg_store *s, const char *q, kg_entity_row *out, kg_err *err)
{
    kg_entity_row *rows = NULL;
    size_t n = 0;
    if (kg_store_find_entities(s, q, 20, &rows, &n, err) != KG_OK)
        return -1;
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        if (strcmp(rows[i].type, "PAPER") != 0)
            continue;
        *out = rows[i];
        memset(&rows[i], 0, sizeof rows[i]);
        found = 1;
    }
    kg_entity_rows_free(rows, n);
    return found;
}

/* The PAPER entity of an ingested document: by the id ingest gave it (its
 * key), else (fused into another id) by its title. */
static int doc_paper_entity(kg_store *s, const kg_doc_row *d, json_t *rec, kg_entity_row *out,
                            kg_err *err)
{
    const char *title = json_string_value(json_object_get(rec, "title"));
    if (!title || !*title)
        title = d->title;
    char *key = kg_paper_key(json_string_value(json_object_get(rec, "doi")),
                             json_string_value(json_object_get(rec, "arxiv")), title,
                             (int)json_integer_value(json_object_get(rec, "year")));
    int found = 0;
    if (key) {
        char id[KG_ID_MAX];
        kg_entity_id_for(id, "PAPER", key);
        free(key);
        found = paper_entity(s, id, out, err);
    }
    if (found == 0 && title && *title)
        found = paper_entity(s, title, out, err);
    return found;
}

static json_t *citer_json(const kg_relation_row *r, const kg_evidence_row *ev, size_t nev)
{
    json_t *c = json_object();
    json_object_set_new(c, "entity_id", json_string(r->other_id));
    json_object_set_new(c, "title", json_string(r->other_name ? r->other_name : ""));
    json_object_set_new(c, "document_id", nev ? json_string(ev[0].doc_id) : json_null());
    json_object_set_new(c, "path", nev && ev[0].path ? json_string(ev[0].path) : json_null());
    json_t *sents = json_array();
    for (size_t k = 0; k < nev; k++) {
        json_t *o = json_object();
        json_object_set_new(o, "text", json_string(ev[k].sentence ? ev[k].sentence : ""));
        json_object_set_new(o, "page", json_integer(ev[k].page));
        json_object_set_new(o, "start", json_integer(ev[k].start));
        json_object_set_new(o, "end", json_integer(ev[k].end));
        json_array_append_new(sents, o);
    }
    json_object_set_new(c, "sentences", sents);
    return c;
}

/* The papers with a CITES edge to entity_id, each with its sentences. */
static int cited_by(kg_store *s, const char *entity_id, json_t *out, kg_err *err)
{
    kg_relation_row *rel = NULL;
    size_t nrel = 0;
    if (kg_store_entity_relations(s, entity_id, KG_PAPER_VIEW_CITERS, &rel, &nrel, err) != KG_OK)
        return err->code;
    int rc = KG_OK;
    for (size_t i = 0; i < nrel && rc == KG_OK; i++) {
        const kg_relation_row *r = &rel[i];
        if (r->outgoing || strcmp(r->type, "CITES") != 0)
            continue;
        kg_evidence_row *ev = NULL;
        size_t nev = 0;
        rc = kg_store_relation_evidence(s, r->other_id, entity_id, "CITES", KG_PAPER_VIEW_SENTENCES,
                                        &ev, &nev, err);
        if (rc == KG_OK)
            json_array_append_new(out, citer_json(r, ev, nev));
        kg_evidence_rows_free(ev, nev);
    }
    kg_relation_rows_free(rel, nrel);
    return rc;
}

/* The document id_or_title names, exactly (*exact = 1) or closest. */
static int find_doc(kg_store *s, const char *q, kg_doc_row **d, int *exact, kg_err *err)
{
    *exact = 1;
    if (kg_store_doc_get(s, q, d, err) != KG_OK || *d)
        return err->code;
    if (kg_store_doc_by_title(s, q, d, err) != KG_OK)
        return err->code;
    *exact = *d && strcasecmp((*d)->title, q) == 0;
    return KG_OK;
}

/* The record of document d, with where it is.  A document not read as a
 * paper (no header, no references) has only its title, and may still be
 * cited by title: "paper" says which. */
static json_t *doc_record(const kg_doc_row *d)
{
    json_t *rec = d->paper ? json_loads(d->paper, 0, NULL) : NULL;
    int paper = json_is_object(rec);
    if (!paper) {
        json_decref(rec);
        rec = json_object();
    }
    if (!json_string_value(json_object_get(rec, "title")))
        json_object_set_new(rec, "title", json_string(d->title ? d->title : ""));
    json_object_set_new(rec, "document_id", json_string(d->id));
    json_object_set_new(rec, "path", json_string(d->path));
    json_object_set_new(rec, "ingested", json_true());
    json_object_set_new(rec, "paper", json_boolean(paper));
    return rec;
}

int kg_paper_view_json(kg_store *s, const char *id_or_title, json_t **out, kg_err *err)
{
    *out = NULL;
    if (!id_or_title || !*id_or_title)
        return kg_err_set(err, KG_EINVAL, "give a document id or a paper's title");
    kg_doc_row *d = NULL;
    int exact = 0;
    if (find_doc(s, id_or_title, &d, &exact, err) != KG_OK)
        return err->code;
    kg_entity_row ent;
    memset(&ent, 0, sizeof ent);
    int have = 0;
    json_t *rec = NULL;
    if (!exact) { /* a cited work's exact title beats a document's closest one */
        have = paper_entity(s, id_or_title, &ent, err);
        if (have < 0)
            goto fail;
        if (have) {
            kg_doc_rows_free(d, d ? 1 : 0);
            d = NULL;
        }
    }
    if (d) {
        rec = doc_record(d);
        have = doc_paper_entity(s, d, rec, &ent, err);
    } else if (have) {
        rec = json_pack("{s:s, s:n, s:n, s:b, s:b}", "title", ent.name ? ent.name : "",
                        "document_id", "path", "ingested", 0, "paper", 0);
    } else {
        kg_err_set(err, KG_ENOTFOUND, "no document or paper '%s' in the database", id_or_title);
        goto fail;
    }
    if (have < 0)
        goto fail;
    json_t *citers = json_array();
    json_object_set_new(rec, "paper_entity", have ? json_string(ent.id) : json_null());
    json_object_set_new(rec, "cited_by", citers);
    if (have && cited_by(s, ent.id, citers, err) != KG_OK)
        goto fail;
    *out = rec;
    rec = NULL;
fail:
    json_decref(rec);
    free(ent.name);
    free(ent.type);
    free(ent.aliases);
    kg_doc_rows_free(d, d ? 1 : 0);
    return *out ? KG_OK : (err->code ? err->code : KG_EIO);
}
