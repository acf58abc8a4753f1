/* ingest_worker: one worker of an ingest run (ingest_internal.h): takes files,
 * loads, chunks and extracts each, reads it as a paper, and sends it all
 * to the writer through its channel. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/vec.h"
#include "ingest/ingest_internal.h"
#include "paper/paper_mask.h"
#include "text/load.h"

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
    kg_buf head;           /* the first KG_PAPER_HEAD bytes: where the header is */
    uint64_t *chunk_start; /* where each chunk starts, for the paper's rows */
    size_t nchunks, chunk_cap;
    kg_paper_mask *mask; /* what the recogniser must not read (paper/paper_mask.h) */
} doc_job;

static int on_chunk(void *ud, const kg_chunk_out *c)
{
    doc_job *j = ud;
    if (kg_ingest_cancelled(j->w->in)) {
        j->stopped = 1;
        return 1;
    }
    msg m = {0};
    m.type = M_CHUNK;
    snprintf(m.chunk.doc_id, KG_ID_MAX, "%s", j->doc_id);
    kg_chunk_id_for(m.chunk.id, j->doc_id, c->ordinal);
    kg_vec_room(j->chunk_start, j->nchunks, j->chunk_cap);
    j->chunk_start[j->nchunks++] = c->start;
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
        /* The recogniser reads the chunk with bibliography entries, formulas,
         * tables and citation markers blanked; the LLM reads it whole (its
         * cached answers are keyed by the chunk's text).  Applied either
         * way, so the mask forgets the spans behind each chunk. */
        const char *t = kg_paper_mask_apply(j->mask, c->text, c->len, c->start);
        int rc = o->llm ? kg_llm_extract_chunk(o->llm, j->w->ro, j->ex, m.chunk.id, c->text, c->len,
                                               c->start, j->owned_from, o->cancel, &m.batch,
                                               &m.llm_answer, m.llm_key, &m.llm, &j->err)
                        : kg_extract_chunk(j->ex, m.chunk.id, t, c->len, c->start, j->owned_from,
                                           &m.batch, &j->err);
        if (rc == KG_OK && m.llm_answer) /* paid for: cached at once */
            kg_llm_cache_now(o->llm, j->w->ro, m.llm_key, &m.llm_answer);
        if (rc == KG_ECANCELED) {
            kg_ingest_msg_free(&m);
            j->stopped = 1;
            return 1;
        }
        if (rc != KG_OK) {
            kg_ingest_msg_free(&m);
            j->failed = 1;
            return 1;
        }
        if (c->end > j->owned_from)
            j->owned_from = c->end;
    }
    kg_ingest_channel_push(&j->w->ch, &m);
    return 0;
}

static int on_text(void *ud, int page, const char *s, size_t len)
{
    doc_job *j = ud;
    if (j->head.len < KG_PAPER_HEAD)
        kg_buf_append(&j->head, s,
                      len < KG_PAPER_HEAD - j->head.len ? len : KG_PAPER_HEAD - j->head.len);
    kg_paper_mask_text(j->mask, len);
    return kg_chunker_feed(j->chunker, s, len, page);
}

static int on_section(void *ud, const char *title)
{
    doc_job *j = ud;
    kg_paper_mask_section(j->mask, title);
    kg_chunker_section(j->chunker, title);
    return 0;
}

static int on_block(void *ud, const kg_block_info *b)
{
    doc_job *j = ud;
    kg_paper_mask_block(j->mask, b);
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
    kg_ingest_ticket_push(w->in, w->index);
    kg_ingest_channel_push(&w->ch, &m);
}

static void ticket_push_begin(worker *w, msg *begin);
static void load_doc(worker *w, const char *real, kg_doc_kind kind, const char *doc_id);

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
    begin.type = M_BEGIN;
    begin.path = real;
    begin.kind = kg_doc_kind_name(kind);
    begin.bytes = size;
    const char *parts[] = {begin.hash};
    char doc_id[KG_ID_MAX];
    kg_make_id(doc_id, "doc", parts, 1);
    ticket_push_begin(w, &begin);
    load_doc(w, real, kind, doc_id);
}

static void ticket_push_begin(worker *w, msg *begin)
{
    kg_ingest_ticket_push(w->in, w->index);
    kg_ingest_channel_push(&w->ch, begin);
}

/* The document read as a paper: its rows (registering authors and
 * institutions with the extractor, before it resolves) into end->paper.
 * Returns the paper (kg_paper_free), NULL when the document is none. */
static kg_paper *read_paper(doc_job *j, kg_paper_builder *pb, const kg_load_info *info,
                            kg_doc_kind kind, msg *end)
{
    kg_paper *p = kg_paper_builder_finish(pb, info);
    if (kg_paper_reads_as_paper(p, kind == KG_KIND_PDF)) {
        kg_paper_doc d = {j->doc_id,      j->head.data, j->head.len,
                          j->chunk_start, j->nchunks,   info->title};
        kg_paper_rows_make(p, &d, j->ex, &end->paper);
        end->paper.record = kg_paper_record(p);
        return p;
    }
    kg_paper_free(p);
    return NULL;
}

/* How far the text can be trusted: invalid bytes repaired, a warning. */
static double doc_confidence(const kg_load_info *info, int64_t chars)
{
    double conf = 1.0;
    if (info->invalid_bytes && chars > 0) {
        double bad = (double)info->invalid_bytes / (double)chars;
        conf = bad * 10 >= 0.5 ? 0.5 : 1.0 - bad * 10;
    }
    if (info->warning && conf > 0.5)
        conf = 0.5;
    if (chars == 0)
        conf = 0.0;
    return conf;
}

/* The END (or FAIL) message of a loaded document. */
static void end_doc(doc_job *j, int rc, const kg_err *e, const kg_load_info *info, msg *end)
{
    if (j->failed) {
        end->type = M_FAIL;
        end->reason = kg_xstrdup(j->err.msg);
    } else if (j->stopped || kg_ingest_cancelled(j->w->in)) {
        end->type = M_FAIL;
        end->reason = kg_xstrdup("cancelled");
    } else if (rc != KG_OK) {
        end->type = M_FAIL;
        end->reason = kg_xstrdup(e->msg[0] ? e->msg : kg_err_name(rc));
    } else {
        end->type = M_END;
        end->title = info->title ? kg_xstrdup(info->title) : NULL;
        end->pages = info->pages;
        end->chars = (int64_t)kg_chunker_total_bytes(j->chunker);
        end->nchunks = kg_chunker_count(j->chunker);
        end->confidence = doc_confidence(info, end->chars);
        end->reason = info->warning ? kg_xstrdup(info->warning) : NULL;
    }
}

static void load_doc(worker *w, const char *real, kg_doc_kind kind, const char *doc_id)
{
    const kg_ingest_opts *o = w->in->opts;
    kg_err e;
    kg_err_clear(&e);
    doc_job job = {0};
    job.w = w;
    snprintf(job.doc_id, sizeof job.doc_id, "%s", doc_id);
    job.chunker = kg_chunker_new(&o->chunk, on_chunk, &job);
    if (o->build_graph) {
        kg_extract_opts xo = {o->min_confidence, 0};
        job.ex = kg_extract_new(job.doc_id, &xo);
    }
    job.mask = kg_paper_mask_new();
    kg_load_sink chunks = {on_text, on_section, &job, on_block};
    kg_paper_builder *pb = kg_paper_builder_new();
    kg_load_sink sink;
    kg_paper_builder_tee(pb, &chunks, &sink);
    kg_load_info info = {0};
    int rc = kg_load_file(o->policy, real, kind, &sink, &info, &e);
    if (rc == KG_OK && !job.stopped && !job.failed)
        rc = kg_chunker_finish(job.chunker) ? KG_ECANCELED : KG_OK;
    msg end = {0};
    kg_paper *paper = NULL;
    if (rc == KG_OK && !job.failed && !job.stopped)
        paper = read_paper(&job, pb, &info, kind, &end);
    if (rc == KG_OK && !job.failed && job.ex) {
        if (kg_extract_finish(job.ex, &end.result, &job.err) != KG_OK)
            job.failed = 1;
        else if (paper) {
            kg_paper_acronyms(paper, &end.result);
            kg_paper_author_names(paper, &end.result);
        }
    }
    end.path = kg_xstrdup(real);
    end_doc(&job, rc, &e, &info, &end);
    kg_ingest_channel_push(&w->ch, &end);
    kg_paper_free(paper);
    kg_paper_builder_free(pb);
    kg_extract_free(job.ex);
    kg_chunker_free(job.chunker);
    kg_buf_free(&job.head);
    kg_paper_mask_free(job.mask);
    free(job.chunk_start);
    kg_load_info_free(&info);
}

void *kg_ingest_worker_main(void *arg)
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
        if (kg_ingest_cancelled(in))
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
