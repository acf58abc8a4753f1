/* wal_flush: see wal_flush.h. */
#include "store/wal_flush.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/backend.h"

struct kg_wal_flush {
    kg_store *s;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    int kicks; /* checkpoints asked for and not yet started */
    int stop;
};

static void *flush_main(void *arg)
{
    kg_wal_flush *f = arg;
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (!f->kicks && !f->stop)
            pthread_cond_wait(&f->cond, &f->mu);
        if (!f->kicks)
            break; /* stopped, nothing asked for */
        /* One checkpoint covers every commit made before it starts. */
        f->kicks = 0;
        pthread_mutex_unlock(&f->mu);
        kg_err e;
        if (kg_store_checkpoint(f->s, &e) != KG_OK)
            kg_warn("WAL checkpoint: %s", e.msg);
        pthread_mutex_lock(&f->mu);
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

kg_wal_flush *kg_wal_flush_start(const char *db_path)
{
    kg_wal_flush *f = kg_xcalloc(1, sizeof *f);
    kg_store_opts o = {KG_STORE_NO_MIGRATE, 0};
    kg_err e;
    if (kg_store_open(db_path, &o, &f->s, &e) != KG_OK) {
        kg_debug("WAL checkpoints stay on the writer: %s", e.msg);
        free(f);
        return NULL;
    }
    if (!f->s->be->store->checkpoint) { /* a backend with no log to copy back */
        kg_store_close(f->s);
        free(f);
        return NULL;
    }
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cond, NULL);
    if (pthread_create(&f->thread, NULL, flush_main, f) != 0) {
        pthread_mutex_destroy(&f->mu);
        pthread_cond_destroy(&f->cond);
        kg_store_close(f->s);
        free(f);
        return NULL;
    }
    return f;
}

void kg_wal_flush_kick(kg_wal_flush *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->kicks++;
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->mu);
}

void kg_wal_flush_stop(kg_wal_flush *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cond);
    kg_store_close(f->s);
    free(f);
}
