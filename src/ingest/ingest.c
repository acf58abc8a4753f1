/* ingest: see ingest.h; how a run is organised: ingest_internal.h.  This file
 * holds the channels and tickets and starts and stops a run. */
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "ingest/ingest_internal.h"
#include "store/graph_store.h"

void kg_ingest_msg_free(msg *m)
{
    free(m->path);
    free(m->reason);
    free((char *)m->chunk.text);
    free((char *)m->chunk.section);
    free(m->title);
    free(m->llm_answer);
    kg_extract_batch_free(&m->batch);
    kg_extract_result_free(&m->result);
    kg_paper_rows_free(&m->paper);
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
void kg_ingest_drop_held(channel *c)
{
    for (size_t i = c->held_head; i < c->held_n; i++)
        kg_ingest_msg_free(&c->held[i]);
    c->held_head = c->held_n = 0;
}

static void channel_destroy(channel *c)
{
    kg_ingest_drop_held(c);
    free(c->held);
    while (c->count) {
        kg_ingest_msg_free(&c->ring[c->head]);
        c->head = (c->head + 1) % CHANNEL_CAP;
        c->count--;
    }
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->not_full);
    pthread_cond_destroy(&c->not_empty);
}

/* Takes ownership of *m. */
void kg_ingest_channel_push(channel *c, msg *m)
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

void kg_ingest_channel_pop(channel *c, msg *out)
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

void kg_ingest_ticket_push(ingest *in, int w)
{
    pthread_mutex_lock(&in->tk_mu);
    in->tickets[in->tk_tail++] = w;
    pthread_cond_signal(&in->tk_cond);
    pthread_mutex_unlock(&in->tk_mu);
}

/* Next worker whose document is due, or -1 when every worker is done. */
int kg_ingest_ticket_pop(ingest *in)
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

int kg_ingest_ticket_ready(ingest *in)
{
    pthread_mutex_lock(&in->tk_mu);
    int r = in->tk_head < in->tk_tail;
    pthread_mutex_unlock(&in->tk_mu);
    return r;
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
            kg_ingest_add_failure(sum, path, colon + 2);
            free(path);
        } else {
            kg_ingest_add_failure(sum, msgtext, "cannot be read");
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
        if (pthread_create(&w->thread, NULL, kg_ingest_worker_main, w) != 0) {
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
        rc = kg_ingest_writer_loop(&in, s, sum, t0, err);
    if (!rc && opts->build_graph && !kg_ingest_cancelled(&in)) {
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
    sum->cancelled = kg_ingest_cancelled(&in);
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
