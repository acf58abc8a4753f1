/* sq_rows: where a document's mentions and evidence lie (sq_internal.h,
 * kg_sq_rows_*).  Schema migration 8 took the index on document_id off
 * those bulk tables; each documents row keeps instead the lowest and
 * highest rowid of its rows in each table.  The writer notes every row it
 * inserts; the stretches being written live in the handle until the
 * document is finished (or its rows roll back), and a reader of a
 * document's stretches gets the stored ones joined with those. */
#include <sqlite3.h>
#include <string.h>

#include "store/sqlite/sq_internal.h"

void kg_sq_rows_forget(kg_sq *s)
{
    s->rows_doc[0] = 0;
    memset(s->rows, 0, sizeof s->rows);
}

int kg_sq_rows_persist(kg_sq *s, kg_err *err)
{
    if (!s->rows_doc[0] || (s->rows[0].from == 0 && s->rows[1].from == 0))
        return KG_OK;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(
        s,
        "UPDATE documents SET"
        " mention_rows_from = CASE WHEN ?2 = 0 THEN mention_rows_from"
        "  WHEN mention_rows_from = 0 THEN ?2 ELSE min(mention_rows_from, ?2) END,"
        " mention_rows_to = max(mention_rows_to, ?3),"
        " evidence_rows_from = CASE WHEN ?4 = 0 THEN evidence_rows_from"
        "  WHEN evidence_rows_from = 0 THEN ?4 ELSE min(evidence_rows_from, ?4) END,"
        " evidence_rows_to = max(evidence_rows_to, ?5)"
        " WHERE id = ?1",
        &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, s->rows_doc, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, s->rows[KG_ROWS_MENTIONS].from);
    sqlite3_bind_int64(st, 3, s->rows[KG_ROWS_MENTIONS].to);
    sqlite3_bind_int64(st, 4, s->rows[KG_ROWS_EVIDENCE].from);
    sqlite3_bind_int64(st, 5, s->rows[KG_ROWS_EVIDENCE].to);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "recording a document's rows");
    sqlite3_finalize(st);
    /* Kept in the row now: the next document's first row does not write
     * them again. */
    if (!rc)
        kg_sq_rows_forget(s);
    return rc;
}

int kg_sq_rows_note(kg_sq *s, const char *doc_id, int which, kg_err *err)
{
    if (strcmp(s->rows_doc, doc_id) != 0) {
        /* Another document's rows begin (never in the middle of one with
         * the ingest writer, but the store does not rely on it). */
        int rc = kg_sq_rows_persist(s, err);
        if (rc)
            return rc;
        kg_sq_copy_id(s->rows_doc, doc_id);
        memset(s->rows, 0, sizeof s->rows);
    }
    int64_t r = sqlite3_last_insert_rowid(s->db);
    kg_row_span *sp = &s->rows[which];
    if (sp->from == 0 || r < sp->from)
        sp->from = r;
    if (r > sp->to)
        sp->to = r;
    return KG_OK;
}

static void span_union(kg_row_span *a, const kg_row_span *b)
{
    if (b->from == 0)
        return;
    if (a->from == 0 || b->from < a->from)
        a->from = b->from;
    if (b->to > a->to)
        a->to = b->to;
}

int kg_sq_rows_of(kg_sq *s, const char *doc_id, kg_row_span spans[2], kg_err *err)
{
    memset(spans, 0, 2 * sizeof *spans);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT mention_rows_from, mention_rows_to, evidence_rows_from,"
                           " evidence_rows_to FROM documents WHERE id = ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        spans[0].from = sqlite3_column_int64(st, 0);
        spans[0].to = sqlite3_column_int64(st, 1);
        spans[1].from = sqlite3_column_int64(st, 2);
        spans[1].to = sqlite3_column_int64(st, 3);
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "reading a document's rows");
    }
    sqlite3_finalize(st);
    if (!rc && strcmp(s->rows_doc, doc_id) == 0) {
        span_union(&spans[0], &s->rows[0]);
        span_union(&spans[1], &s->rows[1]);
    }
    return rc;
}
