/* ingest_write: the single writer of an ingest run (ingest_internal.h): one
 * document per savepoint, in ticket order, batched into transactions. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/vec.h"
#include "ingest/ingest_internal.h"
#include "store/graph_store.h"
#include "ingest/ingest_fuzzy.h"
#include "store/merge_store.h"

/* ---- writer side --------------------------------------------------- */

void kg_ingest_add_failure(kg_ingest_summary *sum, const char *path, const char *reason)
{
    /* Loaders name the file in their messages ("x.pdf: encrypted, ..."); a
     * failure already names it in path, so its reason does not again. */
    size_t n = strlen(path);
    if (strncmp(reason, path, n) == 0 && reason[n] == ':' && reason[n + 1] == ' ')
        reason += n + 2;
    sum->failures = kg_xrealloc(sum->failures, (sum->nfailures + 1) * sizeof *sum->failures);
    sum->failures[sum->nfailures].path = kg_xstrdup(path);
    sum->failures[sum->nfailures].reason = kg_xstrdup(reason);
    sum->nfailures++;
    sum->failed++;
}

/* The writer's next message of the current document: held ones first. */
static void doc_pop(channel *c, msg *out)
{
    if (c->held_head < c->held_n) {
        *out = c->held[c->held_head++];
        if (c->held_head == c->held_n)
            c->held_head = c->held_n = 0;
        return;
    }
    kg_ingest_channel_pop(c, out);
}

/* Take the rest of the current document off the ring, up to its END or
 * FAIL, before writing any of it.  With the LLM extractor a document's
 * chunks come as fast as the service answers, seconds apart under a rate
 * limit; writing them as they came held the database's write lock all that
 * time, and another ingest (another MCP call, another process) gave up
 * with "database is locked" after its busy timeout.  Held, the document is
 * written in one short transaction once it is all there.  Memory: one
 * document's chunks and extractions, which the LLM's pace keeps small. */
static void hold_doc(channel *c)
{
    for (;;) {
        kg_vec_room(c->held, c->held_n, c->held_cap);
        msg *m = &c->held[c->held_n];
        kg_ingest_channel_pop(c, m);
        c->held_n++;
        if (m->type == M_END || m->type == M_FAIL)
            return;
    }
}

/* Drain the rest of a document the writer has decided not to store. */
static void discard_doc(channel *c)
{
    for (;;) {
        msg m;
        doc_pop(c, &m);
        msg_type t = m.type;
        kg_ingest_msg_free(&m);
        if (t == M_END || t == M_FAIL)
            return;
    }
}

/* One chunk with its mentions, evidence and LLM answer. */
static int write_chunk(ingest *in, kg_store *s, msg *m, const char *doc_id, kg_ingest_summary *sum,
                       kg_err *err)
{
    int rc = kg_store_chunk_insert(s, &m->chunk, err);
    /* An answer the worker could not cache (it normally has). */
    if (!rc && m->llm_answer)
        rc = kg_llm_cache_write(in->opts->llm, s, m->llm_key, m->llm_answer, err);
    kg_llm_counts_add(&sum->llm, &m->llm);
    for (size_t i = 0; !rc && i < m->batch.nmentions; i++)
        rc = kg_store_mention_insert(s, doc_id, &m->batch.mentions[i], err);
    for (size_t i = 0; !rc && i < m->batch.nrelations; i++)
        rc = kg_store_evidence_insert(s, doc_id, &m->batch.relations[i], err);
    sum->mentions += (int64_t)m->batch.nmentions;
    sum->relations += (int64_t)m->batch.nrelations;
    kg_relate_counts_add(&sum->typing, &m->batch.counts);
    return rc;
}

/* One work under two keys, as a fusion decision (once, never against
 * `kgas unmerge`). */
static int record_same(kg_store *s, const kg_paper_same *sm, kg_err *err)
{
    int done;
    return kg_paper_decide(s, sm->from, sm->into, sm->name, sm->name, 1.0,
                           "[\"paper: one work under two keys (DOI or arXiv id, and title)\"]",
                           &done, err);
}

/* The rows of the document's reading as a paper: mentions and evidence
 * before the renames (its PERSON and ORG ids are provisional), PAPER
 * entities beside the extractor's. */
static int write_paper(kg_store *s, const char *doc_id, const kg_paper_rows *p, kg_err *err)
{
    int rc = KG_OK;
    for (size_t i = 0; !rc && i < p->nmentions; i++)
        rc = kg_store_mention_insert(s, doc_id, &p->mentions[i], err);
    for (size_t i = 0; !rc && i < p->nrelations; i++)
        rc = kg_store_evidence_insert(s, doc_id, &p->relations[i], err);
    for (size_t i = 0; !rc && i < p->nentities; i++)
        rc = kg_store_doc_entity_insert(s, doc_id, &p->entities[i], err);
    for (size_t i = 0; !rc && i < p->nsame; i++)
        rc = record_same(s, &p->same[i], err);
    return rc;
}

typedef struct writer_state {
    kg_store *s;
    int in_txn;
    int64_t txn_chunks;
    kg_paper_works *works; /* cited titles spelled differently (ingest_fuzzy.h) */
} writer_state;

/* The document's END: its record, entities, renames. */
static int write_end(ingest *in, writer_state *ws, msg *m, kg_document *d, int bulk,
                     const char *path, kg_err *err)
{
    kg_store *s = ws->s;
    d->title = m->paper.title ? m->paper.title : m->title;
    d->pages = m->pages;
    d->chars = m->chars;
    d->confidence = m->confidence;
    d->paper = m->paper.record;
    if (m->reason)
        kg_info("%s: %s", path, m->reason);
    int rc = kg_store_doc_finish(s, d, err);
    if (!rc)
        rc = write_paper(s, d->id, &m->paper, err);
    size_t fuzzy = 0;
    if (!rc)
        rc = kg_paper_works_add(ws->works, s, d->id, d->title, m->paper.record, &fuzzy, err);
    if (fuzzy)
        kg_info("%s: %zu cited work%s spelled differently joined to an ingested paper", path, fuzzy,
                fuzzy == 1 ? "" : "s");
    for (size_t i = 0; !rc && i < m->result.nentities; i++)
        rc = kg_store_doc_entity_insert(s, d->id, &m->result.entities[i], err);
    if (!rc)
        rc = kg_store_doc_remap_entities(s, d->id, m->result.remap, m->result.nremap, err);
    /* After the renames, so they do not update the rebuilt indexes row by
     * row. */
    if (!rc && bulk)
        rc = kg_store_bulk_end(s, err);
    if (!rc && in->opts->build_graph)
        rc = kg_store_graph_set_dirty(s, 1, err);
    return rc;
}

/* Is the document stored already: the same bytes at its path (*skip), or
 * under another name (*skip, logged)?  *found: its path holds an older
 * version, old_id. */
static int stored_already(kg_store *s, const msg *begin, int *found, char old_id[KG_ID_MAX],
                          int *skip, kg_err *err)
{
    char old_hash[KG_HASH_HEX_LEN + 1];
    int rc = kg_store_doc_by_path(s, begin->path, found, old_id, old_hash, err);
    if (rc)
        return rc;
    if (*found && strcmp(old_hash, begin->hash) == 0) {
        *skip = 1;
        return KG_OK;
    }
    int dup = 0;
    char dup_id[KG_ID_MAX];
    char *dup_path = NULL;
    if ((rc = kg_store_doc_by_hash(s, begin->hash, &dup, dup_id, &dup_path, err)) != KG_OK)
        return rc;
    if (dup) {
        /* Same bytes under another name: stored once. */
        kg_info("%s: same content as %s, stored once", begin->path, dup_path);
        free(dup_path);
        *skip = 1;
    }
    return KG_OK;
}

/* Store one document from channel c, whose BEGIN message is *begin.
 * Returns KG_OK (stored, skipped or failed cleanly) or a database error. */
static int write_doc(ingest *in, writer_state *ws, channel *c, msg *begin, kg_ingest_summary *sum,
                     kg_err *err)
{
    kg_store *s = ws->s;
    const int64_t mentions0 = sum->mentions, relations0 = sum->relations;
    const kg_llm_counts llm0 = sum->llm;
    const kg_relate_counts typing0 = sum->typing;
    int found = 0, skip = 0;
    char old_id[KG_ID_MAX];
    int rc = stored_already(s, begin, &found, old_id, &skip, err);
    if (rc)
        return rc;
    if (skip) {
        sum->unchanged++;
        discard_doc(c);
        return KG_OK;
    }
    if (in->opts->llm)
        hold_doc(c);
    if (!ws->in_txn) {
        if ((rc = kg_store_begin(s, err)) != KG_OK) {
            kg_ingest_drop_held(c);
            return rc;
        }
        ws->in_txn = 1;
        ws->txn_chunks = 0;
    }
    if ((rc = kg_store_savepoint(s, err)) != KG_OK) {
        kg_ingest_drop_held(c);
        return rc;
    }
    if (found && (rc = kg_store_doc_delete(s, old_id, err)) != KG_OK)
        goto undo;
    kg_document d = {0};
    const char *parts[] = {begin->hash};
    kg_make_id(d.id, "doc", parts, 1);
    d.path = begin->path;
    snprintf(d.hash, sizeof d.hash, "%s", begin->hash);
    d.kind = begin->kind;
    d.bytes = (int64_t)begin->bytes;
    d.confidence = 1.0;
    d.ingested_at = (int64_t)time(NULL);
    if ((rc = kg_store_doc_insert(s, &d, err)) != KG_OK)
        goto undo;
    const int bulk = in->opts->build_graph && begin->bytes >= BULK_DOC_BYTES;
    if (bulk && (rc = kg_store_bulk_begin(s, err)) != KG_OK)
        goto undo;
    int64_t nchunks = 0;
    for (;;) {
        msg m;
        doc_pop(c, &m);
        if (m.type == M_CHUNK) {
            rc = write_chunk(in, s, &m, d.id, sum, err);
            kg_ingest_msg_free(&m);
            if (rc) {
                discard_doc(c);
                goto undo;
            }
            nchunks++;
            continue;
        }
        if (m.type == M_FAIL) {
            kg_store_rollback_to(s);
            sum->mentions = mentions0;
            sum->relations = relations0;
            sum->llm = llm0;
            sum->typing = typing0;
            kg_ingest_add_failure(sum, begin->path, m.reason ? m.reason : "failed");
            kg_ingest_msg_free(&m);
            return KG_OK;
        }
        /* M_END */
        d.chunks = nchunks;
        rc = write_end(in, ws, &m, &d, bulk, begin->path, err);
        sum->mentions += (int64_t)m.paper.nmentions;
        sum->relations += (int64_t)m.paper.nrelations;
        kg_ingest_msg_free(&m);
        if (rc)
            goto undo;
        break;
    }
    if ((rc = kg_store_release(s, err)) != KG_OK)
        return rc;
    kg_info("%s: %s, %lld chunks", begin->path, found ? "replaced" : "added", (long long)nchunks);
    if (found)
        sum->replaced++;
    else
        sum->added++;
    sum->chunks += nchunks;
    sum->bytes += begin->bytes;
    ws->txn_chunks += nchunks + 1;
    return KG_OK;
undo:
    kg_ingest_drop_held(c);
    kg_store_rollback_to(s);
    sum->mentions = mentions0;
    sum->relations = relations0;
    sum->llm = llm0;
    sum->typing = typing0;
    return rc;
}

int kg_ingest_writer_loop(ingest *in, kg_store *s, kg_ingest_summary *sum, double t0, kg_err *err)
{
    const kg_ingest_opts *o = in->opts;
    writer_state ws = {s, 0, 0, kg_paper_works_new()};
    kg_ingest_progress p = {0};
    p.files_total = in->walk.nfiles;
    for (size_t i = 0; i < in->walk.nfiles; i++) {
        uint64_t sz = 0;
        if (kg_path_check_file(o->policy, in->walk.files[i], NULL, &sz, NULL) == KG_OK)
            p.bytes_total += sz;
    }
    int batch = o->batch_chunks > 0 ? o->batch_chunks : 2000;
    int rc = KG_OK;
    int w;
    while ((w = kg_ingest_ticket_pop(in)) >= 0) {
        channel *c = &in->workers[w].ch;
        msg m;
        kg_ingest_channel_pop(c, &m);
        if (m.type == M_SKIP) {
            sum->unchanged++;
        } else if (m.type == M_FAIL) {
            kg_ingest_add_failure(sum, m.path, m.reason ? m.reason : "failed");
        } else if (!rc && !kg_ingest_cancelled(in)) {
            rc = write_doc(in, &ws, c, &m, sum, err);
            if (!rc && m.bytes)
                p.bytes_done += m.bytes;
        } else {
            discard_doc(c); /* after a fatal error or cancel: drain, store nothing */
        }
        kg_ingest_msg_free(&m);
        p.files_done++;
        /* Commit when the batch is big enough or nothing is waiting: small
         * runs see their documents promptly, large ones amortise commits.
         * With the LLM every document commits: its answers were paid for,
         * and a commit costs far less than asking again after a crash. */
        if (!rc && ws.in_txn && (ws.txn_chunks >= batch || !kg_ingest_ticket_ready(in) || o->llm)) {
            rc = kg_store_commit(s, err);
            kg_wal_flush_kick(in->wal);
            ws.in_txn = 0;
        }
        if (o->progress) {
            p.chunks = sum->chunks;
            p.seconds = kg_now() - t0;
            o->progress(o->progress_ud, &p);
        }
    }
    if (ws.in_txn) {
        if (rc || kg_ingest_cancelled(in))
            kg_store_rollback(s);
        else
            rc = kg_store_commit(s, err);
    }
    kg_paper_works_free(ws.works);
    return rc;
}
