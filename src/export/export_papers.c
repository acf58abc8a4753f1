/* export_papers: the "Papers" part of the Markdown report (export.h's
 * markdown format): every document read as a paper, from the record read
 * at ingest (documents.paper: the header, sections and parsed references;
 * ingest/ingest_paper), as the BibTeX export uses it, and who in the
 * corpus cites it (the CITES edges to its PAPER entity, with a citing
 * sentence).  Nothing is guessed: a field the header did not give is left
 * out.  Bounded for people: MD_PAPERS papers, MD_REFS references and
 * MD_CITERS citers each (what is left out is counted). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "export/export_escape.h"
#include "export/export_internal.h"
#include "graph/resolve.h"
#include "paper/paper_key.h"
#include "store/graph_read.h"
#include "store/graph_store.h"

#define MD_PAPERS 100
#define MD_REFS 200
#define MD_CITERS 20
#define MD_RELATIONS_SEEN 500 /* relations of a paper read to find its citers */
#define MD_ABSTRACT 1500

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && *s ? s : NULL;
}

/* "Ada Quill (Univ. of X; Lab Y), Bo Lind" */
static void md_authors(kg_buf *b, const json_t *rec)
{
    size_t i, k;
    json_t *a, *f;
    json_array_foreach(json_object_get(rec, "authors"), i, a)
    {
        kg_buf_puts(b, i ? ", " : "");
        kg_export_markdown(b, jstr(a, "name") ? jstr(a, "name") : "?");
        const json_t *affs = json_object_get(a, "affiliations");
        json_array_foreach(affs, k, f)
        {
            kg_buf_puts(b, k ? "; " : " (");
            kg_export_markdown(b, json_string_value(f) ? json_string_value(f) : "");
        }
        if (json_array_size(affs))
            kg_buf_putc(b, ')');
    }
    if (i)
        kg_buf_puts(b, "  \n");
}

/* "2009 · *PLDI’09* · DOI [10.1/x](https://doi.org/10.1/x) · arXiv [...]" */
static void md_facts(kg_buf *b, const json_t *rec)
{
    const char *sep = "";
    json_int_t year = json_integer_value(json_object_get(rec, "year"));
    if (year) {
        kg_buf_printf(b, "%lld", (long long)year);
        sep = " · ";
    }
    if (jstr(rec, "venue")) {
        kg_buf_printf(b, "%s*", sep);
        kg_export_markdown(b, jstr(rec, "venue"));
        kg_buf_putc(b, '*');
        sep = " · ";
    }
    if (jstr(rec, "doi")) {
        kg_buf_printf(b, "%sDOI [", sep);
        kg_export_markdown(b, jstr(rec, "doi"));
        kg_buf_printf(b, "](https://doi.org/%s)", jstr(rec, "doi"));
        sep = " · ";
    }
    if (jstr(rec, "arxiv")) {
        kg_buf_printf(b, "%sarXiv [", sep);
        kg_export_markdown(b, jstr(rec, "arxiv"));
        kg_buf_printf(b, "](https://arxiv.org/abs/%s)", jstr(rec, "arxiv"));
        sep = " · ";
    }
    if (*sep)
        kg_buf_puts(b, "  \n");
}

static void md_sections(kg_buf *b, const json_t *rec)
{
    size_t i;
    json_t *s;
    const json_t *secs = json_object_get(rec, "sections");
    if (!json_array_size(secs))
        return;
    kg_buf_puts(b, "\n**Sections.** ");
    json_array_foreach(secs, i, s)
    {
        kg_buf_puts(b, i ? " · " : "");
        if (jstr(s, "number")) {
            kg_export_markdown(b, jstr(s, "number"));
            kg_buf_putc(b, ' ');
        }
        kg_export_markdown(b, jstr(s, "title") ? jstr(s, "title") : "");
    }
    kg_buf_puts(b, "\n");
}

/* One entry: "[4] F. Cutter (1994). *Recursive XY cuts.* Pattern Recognit.
 * 27, 1275-1290. doi:..., arXiv:..." */
static void md_ref(kg_buf *b, const json_t *r)
{
    size_t k;
    json_t *a;
    json_int_t num = json_integer_value(json_object_get(r, "number"));
    kg_buf_puts(b, "- ");
    if (num)
        kg_buf_printf(b, "\\[%lld\\] ", (long long)num);
    json_array_foreach(json_object_get(r, "authors"), k, a)
    {
        kg_buf_puts(b, k ? ", " : "");
        kg_export_markdown(b, json_string_value(a) ? json_string_value(a) : "");
    }
    if (json_is_true(json_object_get(r, "et_al")))
        kg_buf_puts(b, " et al.");
    if (json_integer_value(json_object_get(r, "year")))
        kg_buf_printf(b, " (%lld)", (long long)json_integer_value(json_object_get(r, "year")));
    kg_buf_puts(b, ".");
    if (jstr(r, "title")) {
        kg_buf_puts(b, " *");
        kg_export_markdown(b, jstr(r, "title"));
        kg_buf_puts(b, ".*");
    }
    static const char *const fields[] = {"venue", "volume", "pages", NULL};
    for (int f = 0; fields[f]; f++)
        if (jstr(r, fields[f])) {
            kg_buf_putc(b, ' ');
            kg_export_markdown(b, jstr(r, fields[f]));
        }
    if (jstr(r, "doi")) {
        kg_buf_puts(b, " doi:");
        kg_export_markdown(b, jstr(r, "doi"));
    }
    if (jstr(r, "arxiv")) {
        kg_buf_puts(b, " arXiv:");
        kg_export_markdown(b, jstr(r, "arxiv"));
    }
    kg_buf_puts(b, "\n");
}

static void md_refs(kg_buf *b, const json_t *rec)
{
    const json_t *refs = json_object_get(rec, "references");
    long long n = (long long)json_array_size(refs);
    long long all = (long long)json_integer_value(json_object_get(rec, "n_references"));
    if (!n)
        return;
    if (all < n)
        all = n;
    kg_buf_printf(b, "\n**References (%lld).**\n\n", all);
    for (long long i = 0; i < n && i < MD_REFS; i++)
        md_ref(b, json_array_get(refs, (size_t)i));
    long long shown = n < MD_REFS ? n : MD_REFS;
    if (all > shown)
        kg_buf_printf(b, "- … and %lld more\n", all - shown);
}

/* The papers whose CITES edges point at the document's PAPER entity (its
 * id from its key, as ingest gave it), each with one citing sentence. */
static int md_citers(kg_export_out *o, const json_t *rec, const char *doc_title)
{
    const char *title = jstr(rec, "title") ? jstr(rec, "title") : doc_title;
    char *key = kg_paper_key(jstr(rec, "doi"), jstr(rec, "arxiv"), title,
                             (int)json_integer_value(json_object_get(rec, "year")));
    if (!key)
        return KG_OK;
    char id[KG_ID_MAX];
    kg_entity_id_for(id, "PAPER", key);
    free(key);
    kg_relation_row *rel = NULL;
    size_t nrel = 0, shown = 0, citers = 0;
    int rc = kg_store_entity_relations(o->store, id, MD_RELATIONS_SEEN, &rel, &nrel, o->err);
    kg_buf *b = &o->buf;
    for (size_t i = 0; !rc && i < nrel; i++) {
        const kg_relation_row *r = &rel[i];
        if (r->outgoing || strcmp(r->type, "CITES") != 0 || citers++ >= MD_CITERS)
            continue;
        if (!shown++)
            kg_buf_puts(b, "\n**Cited in this corpus by:**\n\n");
        kg_buf_puts(b, "- *");
        kg_export_markdown(b, r->other_name ? r->other_name : r->other_id);
        kg_buf_puts(b, "*");
        kg_evidence_row *ev = NULL;
        size_t nev = 0;
        rc = kg_store_relation_evidence(o->store, r->other_id, id, "CITES", 1, &ev, &nev, o->err);
        if (!rc && nev && ev[0].sentence) {
            kg_buf_puts(b, ": “");
            kg_export_md_clip(b, ev[0].sentence, 300);
            kg_buf_printf(b, "” (p. %d)", ev[0].page);
        }
        kg_evidence_rows_free(ev, nev);
        kg_buf_puts(b, "\n");
    }
    if (citers > MD_CITERS)
        kg_buf_printf(b, "- … and %zu more\n", citers - MD_CITERS);
    if (!rc && !citers)
        kg_buf_puts(b, "\n*Cited by no other paper in this corpus.*\n");
    kg_relation_rows_free(rel, nrel);
    return rc;
}

typedef struct md_papers {
    kg_export_out *o;
    size_t n, more;
} md_papers;

static int md_paper(void *ud, const kg_export_doc *d)
{
    md_papers *mp = ud;
    kg_export_out *o = mp->o;
    if (!d->paper)
        return 0;
    if (mp->n >= MD_PAPERS) {
        mp->more++;
        return 0;
    }
    /* the export's rows leave out sections and references: the whole record */
    kg_doc_row *row = NULL;
    if (kg_store_doc_get(o->store, d->id, &row, o->err) != KG_OK)
        return o->rc = o->err->code;
    json_t *rec = row && row->paper ? json_loads(row->paper, 0, NULL) : NULL;
    if (json_is_object(rec)) {
        kg_buf *b = &o->buf;
        const char *title = jstr(rec, "title") ? jstr(rec, "title") : d->title;
        kg_buf_puts(b, "\n### ");
        kg_export_markdown(b, title);
        kg_buf_puts(b, "\n\n");
        md_authors(b, rec);
        md_facts(b, rec);
        kg_buf_puts(b, "Document: `");
        kg_buf_puts(b, d->id);
        kg_buf_puts(b, "` (");
        kg_export_markdown(b, d->path);
        kg_buf_puts(b, ")\n");
        if (jstr(rec, "abstract")) {
            kg_buf_puts(b, "\n**Abstract.** ");
            kg_export_md_clip(b, jstr(rec, "abstract"), MD_ABSTRACT);
            kg_buf_puts(b, "\n");
        }
        md_sections(b, rec);
        md_refs(b, rec);
        if (!o->rc)
            o->rc = md_citers(o, rec, d->title);
        mp->n++;
    }
    json_decref(rec);
    kg_doc_rows_free(row, row ? 1 : 0);
    return o->rc ? o->rc : kg_export_out_row(o);
}

int kg_export_md_papers(kg_export_out *o)
{
    md_papers mp = {o, 0, 0};
    kg_buf_puts(&o->buf, "\n## Papers\n\nEach document read as a paper: its header, sections and "
                         "references as read at ingest, and the papers of this corpus that cite "
                         "it.\n");
    int rc = kg_store_export_docs(o->store, md_paper, &mp, o->err);
    if (rc && !o->rc)
        o->rc = rc;
    if (!mp.n && !o->rc)
        kg_buf_puts(&o->buf, "\nNo document was read as a paper.\n");
    if (mp.more)
        kg_buf_printf(&o->buf, "\n… and %zu more papers (`kgas documents --json` lists them).\n",
                      mp.more);
    return o->rc;
}
