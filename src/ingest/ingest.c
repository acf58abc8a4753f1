/* ingest: see ingest.h.
 *
 * Why tickets and one channel per worker: SQLite has one writer, so the
 * writer must finish one document's transaction work before starting the
 * next, yet workers produce documents concurrently.  Each worker owns a
 * bounded FIFO channel; when it starts a document it appends its number to
 * the shared ticket queue.  The writer serves tickets in order and drains
 * exactly that worker's channel up to the document's end.  A worker whose
 * channel is full simply waits, which bounds memory, and since the writer
 * only ever waits on the channel at the head of the queue there is no
 * cycle to deadlock on. */
#include "ingest/ingest.h"

#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/hash.h"
#include "base/log.h"
#include "ingest/extract.h"
#include "ingest/ingest_internal.h"
#include "store/wal_flush.h"
#include "ingest/walk.h"
#include "store/graph_store.h"
#include "text/load.h"

#define CHANNEL_CAP 128

/* Documents at least this big are written with the by-entity indexes
 * rebuilt at the end instead of kept up row by row (graph_store.h). */
#define BULK_DOC_BYTES (8u << 20)

typedef enum {
    M_BEGIN,
    M_CHUNK,
    M_END,
    M_FAIL,
    M_SKIP
} msg_type;

typedef struct msg {
    msg_type type;
    /* BEGIN / SKIP / FAIL: the file */
    char *path;   /* resolved path (or as given when unresolved) */
    char *reason; /* FAIL / SKIP */
    char hash[KG_HASH_HEX_LEN + 1];
    const char *kind;
    uint64_t bytes;
    /* CHUNK */
    kg_chunk chunk; /* text and section owned by the message */
    kg_extract_batch batch;
    char *llm_answer; /* a fresh LLM answer the worker could not cache */
    char llm_key[KG_HASH_HEX_LEN + 1];
    kg_llm_counts llm;
    /* END: the document's entities */
    kg_extract_result result;
    /* END */
    char *title;
    int pages;
    int64_t chars;
    int64_t nchunks;
    double confidence;
} msg;

typedef struct channel {
    msg ring[CHANNEL_CAP];
    size_t head, count;
    pthread_mutex_t mu;
    pthread_cond_t not_full, not_empty;
    /* The writer's own: messages of the current document taken off the
     * ring before it is written (hold_doc), read before the ring. */
    msg *held;
    size_t held_head, held_n, held_cap;
} channel;

typedef struct ingest ingest;

typedef struct worker {
    ingest *in;
    int index;
    channel ch;
    pthread_t thread;
    kg_store *ro; /* "already stored?" check; with the LLM, also the cache's */
} worker;

struct ingest {
    const kg_ingest_opts *opts;
    const char *db_path;
    kg_walk walk;
    atomic_size_t next_file;
    kg_wal_flush *wal; /* checkpoints off the writer's thread; may be NULL */
    worker *workers;
    int nworkers;
    /* ticket queue: worker indices in the order their documents started */
    int *tickets;
    size_t tk_head, tk_tail, tk_cap;
    int workers_done;
    pthread_mutex_t tk_mu;
    pthread_cond_t tk_cond;
};

static int cancelled(const ingest *in)
{
    return in->opts->cancel && *in->opts->cancel;
}

static void msg_free(msg *m)
{
    free(m->path);
    free(m->reason);
    free((char *)m->chunk.text);
    free((char *)m->chunk.section);
    free(m->title);
    free(m->llm_answer);
    kg_extract_batch_free(&m->batch);
    kg_extract_result_free(&m->result);
    memset(m, 0, sizeof *m);
}

static void channel_init(channel *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->not_full, NULL);
    pthread_cond_init(&c->not_empty, NULL);
}

/* Free what hold_doc took that was not written (the document stopped on an
 * error before its END, or the ingest ended). */
static void drop_held(channel *c)
{
    for (size_t i = c->held_head; i < c->held_n; i++)
        msg_free(&c->held[i]);
    c->held_head = c->held_n = 0;
}

static void channel_destroy(channel *c)
{
    drop_held(c);
    free(c->held);
    while (c->count) {
        msg_free(&c->ring[c->head]);
        c->head = (c->head + 1) % CHANNEL_CAP;
        c->count--;
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->not_full);
    pthread_cond_destroy(&c->not_empty);
}

/* Takes ownership of *m. */
static void channel_push(channel *c, msg *m)
{
    pthread_mutex_lock(&c->mu);
    while (c->count == CHANNEL_CAP)
        pthread_cond_wait(&c->not_full, &c->mu);
    c->ring[(c->head + c->count) % CHANNEL_CAP] = *m;
    c->count++;
    pthread_cond_signal(&c->not_empty);
    pthread_mutex_unlock(&c->mu);
    memset(m, 0, sizeof *m);
}

static void channel_pop(channel *c, msg *out)
{
    pthread_mutex_lock(&c->mu);
    while (c->count == 0)
        pthread_cond_wait(&c->not_empty, &c->mu);
    *out = c->ring[c->head];
    c->head = (c->head + 1) % CHANNEL_CAP;
    c->count--;
    pthread_cond_signal(&c->not_full);
    pthread_mutex_unlock(&c->mu);
}

static void ticket_push(ingest *in, int w)
{
    pthread_mutex_lock(&in->tk_mu);
    in->tickets[in->tk_tail++] = w;
    pthread_cond_signal(&in->tk_cond);
    pthread_mutex_unlock(&in->tk_mu);
}

/* Next worker whose document is due, or -1 when every worker is done. */
static int ticket_pop(ingest *in)
{
    pthread_mutex_lock(&in->tk_mu);
    while (in->tk_head == in->tk_tail && in->workers_done < in->nworkers)
        pthread_cond_wait(&in->tk_cond, &in->tk_mu);
    int w = -1;
    if (in->tk_head < in->tk_tail)
        w = in->tickets[in->tk_head++];
    pthread_mutex_unlock(&in->tk_mu);
    return w;
}

static int ticket_ready(ingest *in)
{
    pthread_mutex_lock(&in->tk_mu);
    int r = in->tk_head < in->tk_tail;
    pthread_mutex_unlock(&in->tk_mu);
    return r;
}

/* ---- worker side --------------------------------------------------- */

typedef struct doc_job {
    worker *w;
    kg_chunker *chunker;
    char doc_id[KG_ID_MAX];
    kg_extract *ex;      /* NULL when the graph is not built */
    uint64_t owned_from; /* first byte no earlier chunk covered */
    int stopped;
    int failed;
    kg_err err;
} doc_job;

static int on_chunk(void *ud, const kg_chunk_out *c)
{
    doc_job *j = ud;
    if (cancelled(j->w->in)) {
        j->stopped = 1;
        return 1;
    }
    msg m = {0};
    m.type = M_CHUNK;
    snprintf(m.chunk.doc_id, KG_ID_MAX, "%s", j->doc_id);
    char ord[24];
    snprintf(ord, sizeof ord, "%d", c->ordinal);
    const char *parts[] = {j->doc_id, ord};
    kg_make_id(m.chunk.id, "chunk", parts, 2);
    m.chunk.ordinal = c->ordinal;
    m.chunk.page_start = c->page_start;
    m.chunk.page_end = c->page_end;
    m.chunk.char_start = (int64_t)c->start;
    m.chunk.char_end = (int64_t)c->end;
    m.chunk.tokens = c->tokens;
    m.chunk.text = kg_xstrndup(c->text, c->len);
    m.chunk.section = c->section ? kg_xstrdup(c->section) : NULL;
    if (j->ex) {
        const kg_ingest_opts *o = j->w->in->opts;
        int rc = o->llm ? kg_llm_extract_chunk(o->llm, j->w->ro, j->ex, m.chunk.id, c->text, c->len,
                                               c->start, j->owned_from, o->cancel, &m.batch,
                                               &m.llm_answer, m.llm_key, &m.llm, &j->err)
                        : kg_extract_chunk(j->ex, m.chunk.id, c->text, c->len, c->start,
                                           j->owned_from, &m.batch, &j->err);
        if (rc == KG_OK && m.llm_answer) /* paid for: cached at once */
            kg_llm_cache_now(o->llm, j->w->ro, m.llm_key, &m.llm_answer);
        if (rc == KG_ECANCELED) {
            msg_free(&m);
            j->stopped = 1;
            return 1;
        }
        if (rc != KG_OK) {
            msg_free(&m);
            j->failed = 1;
            return 1;
        }
        if (c->end > j->owned_from)
            j->owned_from = c->end;
    }
    channel_push(&j->w->ch, &m);
    return 0;
}

static int on_text(void *ud, int page, const char *s, size_t len)
{
    doc_job *j = ud;
    return kg_chunker_feed(j->chunker, s, len, page);
}

static int on_section(void *ud, const char *title)
{
    doc_job *j = ud;
    kg_chunker_section(j->chunker, title);
    return 0;
}

static int hash_file(const char *path, char out[KG_HASH_HEX_LEN + 1], kg_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kg_err_set(err, KG_EIO, "%s: %s", path, strerror(errno));
    kg_hasher h;
    kg_hasher_init(&h);
    char *buf = kg_xmalloc(1 << 20);
    ssize_t n;
    int rc = KG_OK;
    while ((n = read(fd, buf, 1 << 20)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = kg_err_set(err, KG_EIO, "%s: read failed: %s", path, strerror(errno));
            break;
        }
        kg_hasher_update(&h, buf, (size_t)n);
    }
    free(buf);
    close(fd);
    if (!rc)
        kg_hasher_final_hex(&h, out);
    return rc;
}

static void send_result(worker *w, msg_type t, const char *path, char *reason)
{
    msg m = {0};
    m.type = t;
    m.path = kg_xstrdup(path);
    m.reason = reason;
    ticket_push(w->in, w->index);
    channel_push(&w->ch, &m);
}

static void process_file(worker *w, const char *given)
{
    ingest *in = w->in;
    const kg_ingest_opts *o = in->opts;
    kg_err e;
    kg_err_clear(&e);
    char *real = NULL;
    uint64_t size = 0;
    if (kg_path_check_file(o->policy, given, &real, &size, &e) != KG_OK) {
        send_result(w, M_FAIL, given, kg_xstrdup(e.msg));
        return;
    }
    kg_doc_kind kind = kg_doc_kind_for_path(real);
    if (kind == KG_KIND_UNKNOWN) {
        kg_buf why = KG_BUF_INIT;
        kg_buf_puts(&why, "unsupported file type (kgas reads ");
        kg_doc_kinds_list(&why, "and");
        kg_buf_putc(&why, ')');
        send_result(w, M_FAIL, real, kg_buf_steal(&why));
        free(real);
        return;
    }
    msg begin = {0};
    if (hash_file(real, begin.hash, &e) != KG_OK) {
        send_result(w, M_FAIL, real, kg_xstrdup(e.msg));
        free(real);
        return;
    }
    /* Cheap pre-check on our own read-only handle: skip loading what is
     * stored already.  The writer re-checks; this only saves work. */
    if (w->ro) {
        int found = 0;
        char id[KG_ID_MAX], h[KG_HASH_HEX_LEN + 1];
        if (kg_store_doc_by_path(w->ro, real, &found, id, h, NULL) == KG_OK && found &&
            strcmp(h, begin.hash) == 0) {
            send_result(w, M_SKIP, real, NULL);
            free(real);
            return;
        }
    }
    const char *parts[] = {begin.hash};
    doc_job job = {0};
    job.w = w;
    kg_make_id(job.doc_id, "doc", parts, 1);
    begin.type = M_BEGIN;
    begin.path = real;
    begin.kind = kg_doc_kind_name(kind);
    begin.bytes = size;
    ticket_push(in, w->index);
    channel_push(&w->ch, &begin);

    job.chunker = kg_chunker_new(&o->chunk, on_chunk, &job);
    if (o->build_graph) {
        kg_extract_opts xo = {o->min_confidence, 0};
        job.ex = kg_extract_new(job.doc_id, &xo);
    }
    kg_load_sink sink = {on_text, on_section, &job, NULL};
    kg_load_info info = {0};
    int rc = kg_load_file(o->policy, real, kind, &sink, &info, &e);
    if (rc == KG_OK && !job.stopped && !job.failed)
        rc = kg_chunker_finish(job.chunker) ? KG_ECANCELED : KG_OK;
    msg end = {0};
    if (rc == KG_OK && !job.failed && job.ex &&
        kg_extract_finish(job.ex, &end.result, &job.err) != KG_OK)
        job.failed = 1;
    end.path = kg_xstrdup(real);
    if (job.failed) {
        end.type = M_FAIL;
        end.reason = kg_xstrdup(job.err.msg);
    } else if (job.stopped || cancelled(in)) {
        end.type = M_FAIL;
        end.reason = kg_xstrdup("cancelled");
    } else if (rc != KG_OK) {
        end.type = M_FAIL;
        end.reason = kg_xstrdup(e.msg[0] ? e.msg : kg_err_name(rc));
    } else {
        end.type = M_END;
        end.title = info.title ? kg_xstrdup(info.title) : NULL;
        end.pages = info.pages;
        end.chars = (int64_t)kg_chunker_total_bytes(job.chunker);
        end.nchunks = kg_chunker_count(job.chunker);
        double conf = 1.0;
        if (info.invalid_bytes && end.chars > 0) {
            double bad = (double)info.invalid_bytes / (double)end.chars;
            conf = bad * 10 >= 0.5 ? 0.5 : 1.0 - bad * 10;
        }
        if (info.warning && conf > 0.5)
            conf = 0.5;
        if (end.chars == 0)
            conf = 0.0;
        end.confidence = conf;
        end.reason = info.warning ? kg_xstrdup(info.warning) : NULL;
    }
    channel_push(&w->ch, &end);
    kg_extract_free(job.ex);
    kg_chunker_free(job.chunker);
    kg_load_info_free(&info);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    ingest *in = w->in;
    /* With the LLM extractor the worker writes each answer to the cache as
     * it arrives, not with its chunk: a kill -9 must not make a rerun pay
     * twice for an answer received. */
    kg_store_opts ro = {in->opts->llm ? KG_STORE_NO_MIGRATE : KG_STORE_READONLY, 0};
    kg_err e;
    if (kg_store_open(in->db_path, &ro, &w->ro, &e) != KG_OK)
        w->ro = NULL; /* the writer's checks still hold */
    for (;;) {
        if (cancelled(in))
            break;
        size_t i = atomic_fetch_add(&in->next_file, 1);
        if (i >= in->walk.nfiles)
            break;
        process_file(w, in->walk.files[i]);
    }
    kg_store_close(w->ro);
    w->ro = NULL;
    pthread_mutex_lock(&in->tk_mu);
    in->workers_done++;
    pthread_cond_broadcast(&in->tk_cond);
    pthread_mutex_unlock(&in->tk_mu);
    return NULL;
}

/* ---- writer side --------------------------------------------------- */

static void add_failure(kg_ingest_summary *sum, const char *path, const char *reason)
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
    channel_pop(c, out);
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
        if (c->held_n == c->held_cap) {
            c->held_cap = c->held_cap ? c->held_cap * 2 : 64;
            c->held = kg_xrealloc(c->held, c->held_cap * sizeof *c->held);
        }
        msg *m = &c->held[c->held_n];
        channel_pop(c, m);
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
        msg_free(&m);
        if (t == M_END || t == M_FAIL)
            return;
    }
}

typedef struct writer_state {
    kg_store *s;
    int in_txn;
    int64_t txn_chunks;
} writer_state;

/* Store one document from channel c, whose BEGIN message is *begin.
 * Returns KG_OK (stored, skipped or failed cleanly) or a database error. */
static int write_doc(ingest *in, writer_state *ws, channel *c, msg *begin, kg_ingest_summary *sum,
                     kg_err *err)
{
    kg_store *s = ws->s;
    const int64_t mentions0 = sum->mentions, relations0 = sum->relations;
    const kg_llm_counts llm0 = sum->llm;
    const kg_relate_counts typing0 = sum->typing;
    int found = 0;
    char old_id[KG_ID_MAX], old_hash[KG_HASH_HEX_LEN + 1];
    int rc = kg_store_doc_by_path(s, begin->path, &found, old_id, old_hash, err);
    if (rc)
        return rc;
    if (found && strcmp(old_hash, begin->hash) == 0) {
        sum->unchanged++;
        discard_doc(c);
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
        sum->unchanged++;
        discard_doc(c);
        return KG_OK;
    }
    if (in->opts->llm)
        hold_doc(c);
    if (!ws->in_txn) {
        if ((rc = kg_store_begin(s, err)) != KG_OK) {
            drop_held(c);
            return rc;
        }
        ws->in_txn = 1;
        ws->txn_chunks = 0;
    }
    if ((rc = kg_store_savepoint(s, err)) != KG_OK) {
        drop_held(c);
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
            rc = kg_store_chunk_insert(s, &m.chunk, err);
            /* An answer the worker could not cache (it normally has). */
            if (!rc && m.llm_answer)
                rc = kg_llm_cache_write(in->opts->llm, s, m.llm_key, m.llm_answer, err);
            kg_llm_counts_add(&sum->llm, &m.llm);
            for (size_t i = 0; !rc && i < m.batch.nmentions; i++)
                rc = kg_store_mention_insert(s, d.id, &m.batch.mentions[i], err);
            for (size_t i = 0; !rc && i < m.batch.nrelations; i++)
                rc = kg_store_evidence_insert(s, d.id, &m.batch.relations[i], err);
            sum->mentions += (int64_t)m.batch.nmentions;
            sum->relations += (int64_t)m.batch.nrelations;
            kg_relate_counts_add(&sum->typing, &m.batch.counts);
            msg_free(&m);
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
            add_failure(sum, begin->path, m.reason ? m.reason : "failed");
            msg_free(&m);
            return KG_OK;
        }
        /* M_END */
        d.title = m.title;
        d.pages = m.pages;
        d.chars = m.chars;
        d.chunks = nchunks;
        d.confidence = m.confidence;
        if (m.reason)
            kg_info("%s: %s", begin->path, m.reason);
        rc = kg_store_doc_finish(s, &d, err);
        for (size_t i = 0; !rc && i < m.result.nentities; i++)
            rc = kg_store_doc_entity_insert(s, d.id, &m.result.entities[i], err);
        if (!rc)
            rc = kg_store_doc_remap_entities(s, d.id, m.result.remap, m.result.nremap, err);
        /* After the renames, so they do not update the rebuilt indexes row
         * by row. */
        if (!rc && bulk)
            rc = kg_store_bulk_end(s, err);
        if (!rc && in->opts->build_graph)
            rc = kg_store_graph_set_dirty(s, 1, err);
        msg_free(&m);
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
    drop_held(c);
    kg_store_rollback_to(s);
    sum->mentions = mentions0;
    sum->relations = relations0;
    sum->llm = llm0;
    sum->typing = typing0;
    return rc;
}

static int writer_loop(ingest *in, kg_store *s, kg_ingest_summary *sum, double t0, kg_err *err)
{
    const kg_ingest_opts *o = in->opts;
    writer_state ws = {s, 0, 0};
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
    while ((w = ticket_pop(in)) >= 0) {
        channel *c = &in->workers[w].ch;
        msg m;
        channel_pop(c, &m);
        if (m.type == M_SKIP) {
            sum->unchanged++;
        } else if (m.type == M_FAIL) {
            add_failure(sum, m.path, m.reason ? m.reason : "failed");
        } else if (!rc && !cancelled(in)) {
            rc = write_doc(in, &ws, c, &m, sum, err);
            if (!rc && m.bytes)
                p.bytes_done += m.bytes;
        } else {
            discard_doc(c); /* after a fatal error or cancel: drain, store nothing */
        }
        msg_free(&m);
        p.files_done++;
        /* Commit when the batch is big enough or nothing is waiting: small
         * runs see their documents promptly, large ones amortise commits.
         * With the LLM every document commits: its answers were paid for,
         * and a commit costs far less than asking again after a crash. */
        if (!rc && ws.in_txn && (ws.txn_chunks >= batch || !ticket_ready(in) || o->llm)) {
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
        if (rc || cancelled(in))
            kg_store_rollback(s);
        else
            rc = kg_store_commit(s, err);
    }
    return rc;
}

static int ingest_run(kg_store *s, const char *const *paths, size_t npaths,
                      const kg_ingest_opts *opts, kg_ingest_summary *sum, kg_err *err);

int kg_ingest_run(kg_store *s, const char *const *paths, size_t npaths, const kg_ingest_opts *opts,
                  kg_ingest_summary *sum, kg_err *err)
{
    memset(sum, 0, sizeof *sum);
    char op[KG_ID_MAX];
    int rc = kg_ingest_op_begin(s, paths, npaths, opts, op, err);
    if (rc)
        return rc;
    rc = ingest_run(s, paths, npaths, opts, sum, err);
    kg_ingest_op_end(s, op, opts, sum, rc, err);
    return rc;
}

static int ingest_run(kg_store *s, const char *const *paths, size_t npaths,
                      const kg_ingest_opts *opts, kg_ingest_summary *sum, kg_err *err)
{
    memset(sum, 0, sizeof *sum);
    double t0 = kg_now();
    ingest in;
    memset(&in, 0, sizeof in);
    in.opts = opts;
    in.db_path = kg_store_path(s);
    int rc = kg_walk_paths(paths, npaths, opts->include, opts->exclude, opts->policy, &in.walk,
                           err);
    if (rc)
        return rc;
    kg_debug("ingest: %zu files to consider, database %s", in.walk.nfiles, in.db_path);
    for (size_t i = 0; i < in.walk.nfailed; i++) {
        const char *msgtext = in.walk.failed[i];
        const char *colon = strstr(msgtext, ": ");
        if (colon) {
            char *path = kg_xstrndup(msgtext, (size_t)(colon - msgtext));
            add_failure(sum, path, colon + 2);
            free(path);
        } else {
            add_failure(sum, msgtext, "cannot be read");
        }
    }
    int jobs = opts->jobs;
    if (jobs <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (int)n : 1;
    }
    if ((size_t)jobs > in.walk.nfiles)
        jobs = in.walk.nfiles ? (int)in.walk.nfiles : 1;
    in.nworkers = jobs;
    in.tk_cap = in.walk.nfiles + 1;
    in.tickets = kg_xcalloc(in.tk_cap, sizeof *in.tickets);
    pthread_mutex_init(&in.tk_mu, NULL);
    pthread_cond_init(&in.tk_cond, NULL);
    in.workers = kg_xcalloc((size_t)jobs, sizeof *in.workers);
    atomic_init(&in.next_file, 0);
    int started = 0;
    for (int i = 0; i < jobs; i++) {
        worker *w = &in.workers[i];
        w->in = &in;
        w->index = i;
        channel_init(&w->ch);
        if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            channel_destroy(&w->ch);
            break;
        }
        started++;
    }
    if (started < jobs) {
        /* Fewer threads than asked: the remaining ones do all the work. */
        pthread_mutex_lock(&in.tk_mu);
        in.workers_done += jobs - started;
        pthread_mutex_unlock(&in.tk_mu);
        if (started == 0) {
            rc = kg_err_set(err, KG_ENOMEM, "ingest: cannot start worker threads");
        }
    }
    /* Checkpoints in their own thread (wal_flush.h); without it, SQLite's. */
    if (!rc && (in.wal = kg_wal_flush_start(in.db_path)) != NULL &&
        kg_store_set_autocheckpoint(s, 0, err) != KG_OK) {
        kg_wal_flush_stop(in.wal);
        in.wal = NULL;
    }
    if (!rc)
        rc = writer_loop(&in, s, sum, t0, err);
    if (!rc && opts->build_graph && !cancelled(&in)) {
        int dirty = 0;
        rc = kg_store_graph_is_dirty(s, &dirty, err);
        if (!rc && dirty) {
            rc = kg_graph_build(s, &opts->pagerank, &sum->graph, err);
            sum->graph_built = rc == KG_OK;
        }
    }
    if (in.wal) {
        kg_wal_flush_stop(in.wal);
        kg_err e2;
        if (kg_store_set_autocheckpoint(s, 1, &e2) != KG_OK)
            kg_warn("%s", e2.msg);
    }
    for (int i = 0; i < started; i++)
        pthread_join(in.workers[i].thread, NULL);
    for (int i = 0; i < started; i++)
        channel_destroy(&in.workers[i].ch);
    free(in.workers);
    free(in.tickets);
    pthread_mutex_destroy(&in.tk_mu);
    pthread_cond_destroy(&in.tk_cond);
    kg_walk_free(&in.walk);
    sum->cancelled = cancelled(&in);
    sum->seconds = kg_now() - t0;
    return rc;
}

void kg_ingest_summary_free(kg_ingest_summary *sum)
{
    for (size_t i = 0; i < sum->nfailures; i++) {
        free(sum->failures[i].path);
        free(sum->failures[i].reason);
    }
    free(sum->failures);
    memset(sum, 0, sizeof *sum);
}
