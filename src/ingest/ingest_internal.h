/* ingest_internal: private to the ingest module (ingest.c, ingest_op.c,
 * ingest_worker.c, ingest_write.c).
 *
 * The operation record of an ingest: what was asked
 * (parameters, inputs) when it starts and, at the end, what came of it
 * (counts, and with the LLM extractor what the model, the cache and the
 * fallback rules did).  Every row the run writes carries the operation's
 * id (store/store.h: kg_store_op_begin). */
#ifndef KG_INGEST_INGEST_INTERNAL_H
#define KG_INGEST_INGEST_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "base/err.h"
#include "base/hash.h"
#include "ingest/extract.h"
#include "ingest/ingest.h"
#include "ingest/ingest_paper.h"
#include "ingest/walk.h"
#include "store/store.h"
#include "store/wal_flush.h"

int kg_ingest_op_begin(kg_store *s, const char *const *paths, size_t npaths,
                       const kg_ingest_opts *o, char id[KG_ID_MAX], kg_err *err);
/* Best effort: a record that cannot be closed is logged, and says "running". */
void kg_ingest_op_end(kg_store *s, const char *id, const kg_ingest_opts *o,
                      const kg_ingest_summary *sum, int rc, const kg_err *err);

/* What the files of one ingest run share: the messages a worker sends the writer, the per-worker
 * channels, the ticket queue that orders documents, and the two sides.
 *
 *   ingest.c         channels, tickets, starting and stopping the run
 *   ingest_worker.c  a worker: load, chunk, extract, read as a paper
 *   ingest_write.c   the single writer: one document per savepoint
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
    /* END: the document's entities, and what its reading as a paper adds */
    kg_extract_result result;
    kg_paper_rows paper;
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

static inline int kg_ingest_cancelled(const ingest *in)
{
    return in->opts->cancel && *in->opts->cancel;
}

void kg_ingest_msg_free(msg *m);
/* Takes ownership of *m. */
void kg_ingest_channel_push(channel *c, msg *m);
void kg_ingest_channel_pop(channel *c, msg *out);
/* Free what hold_doc took that was not written. */
void kg_ingest_drop_held(channel *c);
void kg_ingest_ticket_push(ingest *in, int w);
/* Next worker whose document is due, or -1 when every worker is done. */
int kg_ingest_ticket_pop(ingest *in);
int kg_ingest_ticket_ready(ingest *in);

/* ingest_worker.c: the thread of one worker. */
void *kg_ingest_worker_main(void *arg);

/* ingest_write.c */
void kg_ingest_add_failure(kg_ingest_summary *sum, const char *path, const char *reason);
int kg_ingest_writer_loop(ingest *in, kg_store *s, kg_ingest_summary *sum, double t0, kg_err *err);

#endif
