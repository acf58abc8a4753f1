/* ingest: files -> store, in parallel, idempotent, resumable, with progress.
 *
 * Worker threads (opts.jobs) take files in order: check the path policy,
 * hash the content, skip what the database already holds, then load and
 * chunk (streaming) and hand the results to the writer through a small
 * bounded channel each, so memory does not grow with document size.
 *
 * The writer is the calling thread and the only one that writes.  It takes
 * documents in the order workers started them, wraps each in a savepoint
 * (a failed document is undone whole) and groups documents into
 * transactions of about opts.batch_chunks chunks for throughput.  A changed
 * file's old version is deleted in the same transaction that stores the new
 * one.  A kill at any moment leaves only whole documents; running the same
 * ingest again completes the rest.
 *
 * The summary owns its strings; release with kg_ingest_summary_free(). */
#ifndef KG_INGEST_INGEST_H
#define KG_INGEST_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/fsafe.h"
#include "store/store.h"
#include "graphops/graph_build.h"
#include "ingest/llm_extract.h"
#include "nlp/relate.h"
#include "text/chunk.h"

typedef struct kg_ingest_progress {
    size_t files_total, files_done;
    uint64_t bytes_total, bytes_done;
    int64_t chunks;
    double seconds;
} kg_ingest_progress;

typedef struct kg_ingest_opts {
    int jobs; /* worker threads; <= 0 = one per core */
    kg_chunk_opts chunk;
    const kg_path_policy *policy;
    const char *include, *exclude; /* comma-separated globs, may be NULL */
    int batch_chunks;              /* chunks per transaction (default 2000) */
    /* Called on the writer thread after each document (and at the end). */
    void (*progress)(void *ud, const kg_ingest_progress *p);
    void *progress_ud;
    int build_graph;       /* entities, relations, PageRank */
    double min_confidence; /* mentions below are dropped */
    /* Extract through the LLM (borrowed; NULL: the local rules). */
    kg_llm_extractor *llm;
    kg_pagerank_opts pagerank;
    /* Set non-zero (from a signal handler or another thread) to stop at the
     * next document boundary; what was committed stays. */
    volatile int *cancel;
} kg_ingest_opts;

typedef struct kg_ingest_failure {
    char *path;
    char *reason;
} kg_ingest_failure;

typedef struct kg_ingest_summary {
    int added, unchanged, replaced, failed;
    int64_t chunks; /* chunks written by this run */
    uint64_t bytes; /* bytes of source files written by this run */
    double seconds;
    int cancelled;
    int64_t mentions, relations; /* written by this run */
    kg_relate_counts typing;     /* how those relations were typed (nlp/relate) */
    int graph_built;             /* the graph was rebuilt and ranked */
    kg_llm_counts llm;           /* --extractor llm: chunks and drops, written */
    kg_graph_summary graph;
    kg_ingest_failure *failures;
    size_t nfailures;
} kg_ingest_summary;

/* Ingest paths into s (whose file path the workers open read-only too). */
int kg_ingest_run(kg_store *s, const char *const *paths, size_t npaths, const kg_ingest_opts *opts,
                  kg_ingest_summary *sum, kg_err *err);
void kg_ingest_summary_free(kg_ingest_summary *sum);

#endif
