/* sq_docs: the SQLite methods of store.h for documents, chunks, full-text
 * search (FTS5), statistics and operations.  Statements used per chunk are
 * prepared once per handle. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "store/sqlite/sq_internal.h"

/* Chunks rolled back need no indexing (and batches already written are
 * rolled back with them). */
void kg_sq_fts_forget(kg_sq *s)
{
    s->fts_from = s->fts_to = 0;
    s->fts_bytes = 0;
}

static int sq_doc_by_path(kg_store *store, const char *path, int *found, char id_out[KG_ID_MAX],
                          char hash_out[KG_HASH_HEX_LEN + 1], kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT id, hash FROM documents WHERE path = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = 1;
        kg_sq_copy_id(id_out, kg_sq_text(st, 0));
        if (hash_out)
            snprintf(hash_out, KG_HASH_HEX_LEN + 1, "%s", kg_sq_text(st, 1));
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "looking up a document");
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_doc_by_hash(kg_store *store, const char *hash, int *found, char id_out[KG_ID_MAX],
                          char **path_out, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT id, path FROM documents WHERE hash = ? LIMIT 1", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = 1;
        kg_sq_copy_id(id_out, kg_sq_text(st, 0));
        if (path_out)
            *path_out = kg_xstrdup(kg_sq_text(st, 1));
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "looking up a document");
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_doc_insert(kg_store *store, const kg_document *d, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (!s->ins_doc) {
        int rc = kg_sq_prepare(
            s,
            "INSERT INTO documents (id, path, hash, title, kind, pages, bytes, chars,"
            " chunks, confidence, ingested_at, operation_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,nullif(?,''))",
            &s->ins_doc, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = s->ins_doc;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, d->pages);
    sqlite3_bind_int64(st, 7, d->bytes);
    sqlite3_bind_int64(st, 8, d->chars);
    sqlite3_bind_int64(st, 9, d->chunks);
    sqlite3_bind_double(st, 10, d->confidence);
    sqlite3_bind_int64(st, 11, d->ingested_at);
    sqlite3_bind_text(st, 12, s->base.op_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return kg_sq_err(s, err, "inserting a document");
    return KG_OK;
}

/* Put the pending chunks into the full-text index, in one statement
 * (schema migration 5 says why not a trigger per chunk).  The writer is the
 * only one inserting chunks inside its transaction, so the rowids from
 * fts_from to fts_to are exactly the chunks it inserted since the last
 * batch. */
static int fts_flush(kg_sq *s, kg_err *err)
{
    if (s->fts_from == 0)
        return KG_OK;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT INTO chunks_fts(rowid, text) SELECT rowid, text FROM chunks"
                           " WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, s->fts_from);
    sqlite3_bind_int64(st, 2, s->fts_to);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "indexing a document's text");
    sqlite3_finalize(st);
    if (!rc)
        kg_sq_fts_forget(s);
    return rc;
}

static int sq_doc_finish(kg_store *store, const kg_document *d, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "UPDATE documents SET title = ?, pages = ?, chars = ?, chunks = ?,"
                           " confidence = ?, paper = ? WHERE id = ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, d->title, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, d->pages);
    sqlite3_bind_int64(st, 3, d->chars);
    sqlite3_bind_int64(st, 4, d->chunks);
    sqlite3_bind_double(st, 5, d->confidence);
    sqlite3_bind_text(st, 6, d->paper, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, d->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "updating a document");
    sqlite3_finalize(st);
    if (!rc && strcmp(s->rows_doc, d->id) == 0)
        rc = kg_sq_rows_persist(s, err);
    if (rc)
        return rc;
    return fts_flush(s, err);
}

static int sq_doc_delete(kg_store *store, const char *id, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    /* Mentions and evidence carry neither a foreign key nor an index on
     * document_id (schema migration 8 says why): they go first, found by
     * the stretch of rowids the document's rows were written in, and
     * checked by document_id within it.  Chunks, their full text and
     * vectors, and the document's entities follow the document by cascade
     * and triggers.  The caller's transaction or savepoint makes it all or
     * nothing. */
    static const char *const sql[] = {
        "DELETE FROM mentions WHERE rowid BETWEEN ?2 AND ?3 AND document_id = ?1",
        "DELETE FROM relation_evidence WHERE rowid BETWEEN ?2 AND ?3 AND document_id = ?1",
        "DELETE FROM documents WHERE id = ?1",
    };
    kg_row_span rows[2];
    int rc = kg_sq_rows_of(s, id, rows, err);
    for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
        sqlite3_stmt *st = NULL;
        if ((rc = kg_sq_prepare(s, sql[i], &st, err)) != KG_OK)
            break;
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (i < 2) {
            sqlite3_bind_int64(st, 2, rows[i].from);
            sqlite3_bind_int64(st, 3, rows[i].to);
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = kg_sq_err(s, err, "deleting a document");
        sqlite3_finalize(st);
    }
    if (!rc && strcmp(s->rows_doc, id) == 0)
        kg_sq_rows_forget(s);
    return rc;
}

static int sq_chunk_insert(kg_store *store, const kg_chunk *c, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    if (!s->ins_chunk) {
        int rc = kg_sq_prepare(s,
                               "INSERT INTO chunks (id, document_id, ordinal, page_start, page_end,"
                               " char_start, char_end, tokens, section, text)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?)",
                               &s->ins_chunk, err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *st = s->ins_chunk;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, c->ordinal);
    sqlite3_bind_int(st, 4, c->page_start);
    sqlite3_bind_int(st, 5, c->page_end);
    sqlite3_bind_int64(st, 6, c->char_start);
    sqlite3_bind_int64(st, 7, c->char_end);
    sqlite3_bind_int(st, 8, c->tokens);
    if (c->section)
        sqlite3_bind_text(st, 9, c->section, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_text(st, 10, c->text, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return kg_sq_err(s, err, "inserting a chunk");
    int64_t rowid = sqlite3_last_insert_rowid(s->db);
    if (s->fts_from == 0)
        s->fts_from = rowid;
    s->fts_to = rowid;
    s->fts_bytes += strlen(c->text);
    return s->fts_bytes >= KG_STORE_FTS_BATCH_BYTES ? fts_flush(s, err) : KG_OK;
}

#define DOC_COLS \
    "id, path, title, kind, hash, pages, bytes, chars, chunks, ingested_at, confidence, paper"

static void doc_row_read(sqlite3_stmt *st, kg_doc_row *d)
{
    kg_sq_copy_id(d->id, kg_sq_text(st, 0));
    d->path = kg_xstrdup(kg_sq_text(st, 1));
    d->title = kg_xstrdup(kg_sq_text(st, 2));
    d->kind = kg_xstrdup(kg_sq_text(st, 3));
    d->hash = kg_xstrdup(kg_sq_text(st, 4));
    d->pages = sqlite3_column_int(st, 5);
    d->bytes = sqlite3_column_int64(st, 6);
    d->chars = sqlite3_column_int64(st, 7);
    d->chunks = sqlite3_column_int64(st, 8);
    d->ingested_at = sqlite3_column_int64(st, 9);
    d->confidence = sqlite3_column_double(st, 10);
    const char *paper = kg_sq_text(st, 11);
    d->paper = paper[0] ? kg_xstrdup(paper) : NULL;
}

static int sq_doc_list(kg_store *store, kg_doc_row **rows, size_t *n, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT " DOC_COLS " FROM documents ORDER BY path", &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_vec_room(*rows, *n, cap);
        doc_row_read(st, &(*rows)[(*n)++]);
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "listing documents");
    sqlite3_finalize(st);
    return rc;
}

static int sq_doc_get(kg_store *store, const char *id, kg_doc_row **row, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *row = NULL;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT " DOC_COLS " FROM documents WHERE id = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *row = kg_xcalloc(1, sizeof **row);
        doc_row_read(st, *row);
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "reading a document");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Title matching in SQL: exact (ASCII case-insensitive), then the title
 * as a substring, then every word of it (LIKE is case-insensitive for
 * ASCII); shortest title first, so the closest wins. */
static int sq_doc_by_title(kg_store *store, const char *title, kg_doc_row **row, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *row = NULL;
    kg_buf sql = KG_BUF_INIT, like = KG_BUF_INIT;
    kg_buf_printf(&sql, "SELECT " DOC_COLS " FROM documents WHERE title = ?1 COLLATE NOCASE"
                        " OR instr(lower(title), lower(?1)) > 0 OR (1");
    /* The words of title, each a LIKE pattern bound in order from ?2. */
    int nwords = 0;
    for (const char *p = title; *p && nwords < 32;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (p == w)
            break;
        kg_buf_printf(&sql, " AND title LIKE ?%d ESCAPE '\\'", nwords + 2);
        nwords++;
    }
    kg_buf_printf(&sql, ") ORDER BY (title = ?1 COLLATE NOCASE) DESC,"
                        " (instr(lower(title), lower(?1)) > 0) DESC, length(title), path LIMIT 1");
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, sql.data, &st, err);
    kg_buf_free(&sql);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, title, -1, SQLITE_TRANSIENT);
    int k = 0;
    for (const char *p = title; *p && k < nwords;) {
        while (*p == ' ')
            p++;
        kg_buf_truncate(&like, 0);
        kg_buf_append(&like, "%", 1);
        for (; *p && *p != ' '; p++) {
            if (*p == '%' || *p == '_' || *p == '\\')
                kg_buf_append(&like, "\\", 1);
            kg_buf_append(&like, p, 1);
        }
        kg_buf_append(&like, "%", 1);
        sqlite3_bind_text(st, k + 2, like.data, (int)like.len, SQLITE_TRANSIENT);
        k++;
    }
    kg_buf_free(&like);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *row = kg_xcalloc(1, sizeof **row);
        doc_row_read(st, *row);
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "finding a document by title");
    }
    sqlite3_finalize(st);
    return rc;
}

#define CHUNK_COLS "id, document_id, ordinal, char_start, char_end, text"

/* The row's text is borrowed from the statement. */
static void chunk_row_read(sqlite3_stmt *st, kg_chunk_row *c)
{
    kg_sq_copy_id(c->id, kg_sq_text(st, 0));
    kg_sq_copy_id(c->doc_id, kg_sq_text(st, 1));
    c->ordinal = sqlite3_column_int(st, 2);
    c->char_start = sqlite3_column_int64(st, 3);
    c->char_end = sqlite3_column_int64(st, 4);
    c->text = (char *)kg_sq_text(st, 5);
    c->len = (size_t)sqlite3_column_bytes(st, 5);
}

static int sq_chunk_get(kg_store *store, const char *chunk_id, kg_chunk_row *out, int *found,
                        kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(out, 0, sizeof *out);
    *found = 0;
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, "SELECT " CHUNK_COLS " FROM chunks WHERE id = ?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, chunk_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        chunk_row_read(st, out);
        char *text = kg_xcalloc(out->len + 1, 1);
        memcpy(text, out->text, out->len);
        out->text = text;
        *found = 1;
    } else if (r != SQLITE_DONE) {
        rc = kg_sq_err(s, err, "reading a chunk");
    }
    sqlite3_finalize(st);
    return rc;
}

static int sq_doc_chunks(kg_store *store, const char *doc_id, kg_chunk_fn fn, void *ud, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT " CHUNK_COLS " FROM chunks WHERE document_id = ?"
                           " ORDER BY ordinal",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_chunk_row c;
        chunk_row_read(st, &c);
        rc = fn(ud, &c);
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "reading a document's chunks");
    sqlite3_finalize(st);
    return rc;
}

static int sq_catalog(kg_store *store, int64_t offset, int limit, kg_catalog_fn fn, void *ud,
                      kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "SELECT 0, id, coalesce(title, path), kind, path, pages, chunks,"
                           " NULL, NULL FROM documents"
                           " UNION ALL SELECT 1, id, name, NULL, NULL, NULL, NULL, type, mentions"
                           " FROM entities ORDER BY 1, 2 LIMIT ? OFFSET ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, limit);
    sqlite3_bind_int64(st, 2, offset);
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_catalog_row c;
        c.entity = sqlite3_column_int(st, 0);
        c.id = kg_sq_text(st, 1);
        c.name = kg_sq_text(st, 2);
        c.kind = kg_sq_text(st, 3);
        c.path = kg_sq_text(st, 4);
        c.pages = sqlite3_column_int64(st, 5);
        c.chunks = sqlite3_column_int64(st, 6);
        c.type = kg_sq_text(st, 7);
        c.mentions = sqlite3_column_int64(st, 8);
        rc = fn(ud, &c);
    }
    if (!rc && r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "listing documents and entities");
    sqlite3_finalize(st);
    return rc;
}

/* Turn free text into an FTS5 query: each word becomes a quoted term, OR-ed
 * together so BM25 ranks chunks by how many (and how rare) words match.
 * Quoting makes every FTS operator character plain text. */
char *kg_sq_fts_query(const char *q)
{
    kg_buf b = KG_BUF_INIT, seen = KG_BUF_INIT; /* seen: " term term ", lower-case */
    const unsigned char *p = (const unsigned char *)q;
    int terms = 0;
    while (*p && terms < KG_FTS_MAX_TERMS) {
        while (*p && !(*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                       (*p >= 'A' && *p <= 'Z')))
            p++;
        const unsigned char *start = p;
        while (*p && (*p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                      (*p >= 'A' && *p <= 'Z') || *p == '\'' || *p == '-'))
            p++;
        if (p == start)
            continue;
        /* A word said twice is one term: a long text repeating itself
         * costs what its vocabulary does. */
        size_t mark = seen.len;
        kg_buf_putc(&seen, ' ');
        for (const unsigned char *c = start; c < p; c++)
            kg_buf_putc(&seen, (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c));
        kg_buf_putc(&seen, ' ');
        seen.data[seen.len] = '\0';
        if (mark && strstr(seen.data, seen.data + mark) < seen.data + mark) {
            kg_buf_truncate(&seen, mark);
            continue;
        }
        kg_buf_truncate(&seen, seen.len - 1);
        if (terms++)
            kg_buf_puts(&b, " OR ");
        kg_buf_putc(&b, '"');
        for (const unsigned char *c = start; c < p; c++) {
            if (*c == '"')
                kg_buf_putc(&b, '"');
            kg_buf_putc(&b, (char)*c);
        }
        kg_buf_putc(&b, '"');
    }
    kg_buf_free(&seen);
    if (!terms) {
        kg_buf_free(&b);
        return NULL;
    }
    return kg_buf_steal(&b);
}

static int sq_search(kg_store *store, const char *query, int limit, kg_search_hit **hits, size_t *n,
                     kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    *hits = NULL;
    *n = 0;
    char *fq = kg_sq_fts_query(query);
    if (!fq)
        return kg_err_set(err, KG_EINVAL, "search: the query '%s' has no words to search for",
                          query);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(
        s,
        "SELECT c.document_id, c.id, d.path, d.title, c.page_start, c.char_start,"
        " c.char_end, snippet(chunks_fts, 0, '[', ']', '...', 24), bm25(chunks_fts), c.section"
        " FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid"
        " JOIN documents d ON d.id = c.document_id"
        " WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?",
        &st, err);
    if (rc) {
        free(fq);
        return rc;
    }
    sqlite3_bind_text(st, 1, fq, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : 10);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        kg_vec_room(*hits, *n, cap);
        kg_search_hit *h = &(*hits)[(*n)++];
        kg_sq_copy_id(h->doc_id, kg_sq_text(st, 0));
        kg_sq_copy_id(h->chunk_id, kg_sq_text(st, 1));
        h->path = kg_xstrdup(kg_sq_text(st, 2));
        h->title = kg_xstrdup(kg_sq_text(st, 3));
        h->page = sqlite3_column_int(st, 4);
        h->char_start = sqlite3_column_int64(st, 5);
        h->char_end = sqlite3_column_int64(st, 6);
        h->snippet = kg_xstrdup(kg_sq_text(st, 7));
        h->score = -sqlite3_column_double(st, 8);
        h->section = sqlite3_column_type(st, 9) == SQLITE_TEXT ? kg_xstrdup(kg_sq_text(st, 9))
                                                               : NULL;
    }
    if (r != SQLITE_DONE)
        rc = kg_sq_err(s, err, "searching");
    sqlite3_finalize(st);
    free(fq);
    return rc;
}

static int count(kg_sq *s, const char *sql, int64_t *out, kg_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = kg_sq_err(s, err, "counting");
    sqlite3_finalize(st);
    return rc;
}

static int sq_stats_get(kg_store *store, kg_store_stats *st, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    memset(st, 0, sizeof *st);
    int rc = count(s, "SELECT count(*) FROM documents", &st->documents, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM chunks", &st->chunks, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM mentions", &st->mentions, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM entities", &st->entities, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM relationships", &st->relationships, err);
    if (!rc)
        rc = count(s, "SELECT count(*) FROM embeddings", &st->embeddings, err);
    if (!rc)
        rc = count(s, "SELECT coalesce(sum(pages),0) FROM documents", &st->pages, err);
    if (!rc)
        rc = count(s, "SELECT coalesce(sum(bytes),0) FROM documents", &st->bytes, err);
    if (!rc)
        rc = count(s, "SELECT coalesce(sum(chars),0) FROM documents", &st->chars, err);
    return rc;
}

static int sq_op_insert(kg_store *store, const char *id, const char *tool, const char *params_json,
                        const char *inputs_json, double started_at, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "INSERT INTO operations (id, tool, parameters, inputs, status,"
                           " started_at) VALUES (?, ?, ?, ?, 'running', ?)",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tool, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, params_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, inputs_json, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, started_at);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "recording an operation");
    sqlite3_finalize(st);
    return rc;
}

static int sq_op_update(kg_store *store, const char *id, const char *status,
                        const char *outputs_json, const char *error, double ended_at, kg_err *err)
{
    kg_sq *s = kg_sq_of(store);
    sqlite3_stmt *st = NULL;
    int rc = kg_sq_prepare(s,
                           "UPDATE operations SET status = ?, outputs = ?, error = ?,"
                           " ended_at = ? WHERE id = ?",
                           &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, outputs_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, ended_at);
    sqlite3_bind_text(st, 5, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kg_sq_err(s, err, "closing an operation");
    sqlite3_finalize(st);
    return rc;
}

const kg_doc_store_methods kg_sq_doc_store_methods = {
    .doc_by_path = sq_doc_by_path,
    .doc_by_hash = sq_doc_by_hash,
    .doc_insert = sq_doc_insert,
    .doc_finish = sq_doc_finish,
    .doc_delete = sq_doc_delete,
    .chunk_insert = sq_chunk_insert,
    .doc_list = sq_doc_list,
    .doc_get = sq_doc_get,
    .doc_by_title = sq_doc_by_title,
    .chunk_get = sq_chunk_get,
    .doc_chunks = sq_doc_chunks,
    .catalog = sq_catalog,
    .search = sq_search,
    .stats_get = sq_stats_get,
    .op_insert = sq_op_insert,
    .op_update = sq_op_update,
};
