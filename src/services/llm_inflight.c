/* llm_inflight: see llm_inflight.h. */
#include "services/llm_inflight.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"

#define CANCEL_POLL_MS 20
/* Answers kept after they came: the writer caches an answer only when its
 * chunk's transaction commits, so a worker meeting the same text a moment
 * later would otherwise miss both the cache and the registry. */
#define KEEP_ANSWERS 4096

typedef struct entry {
    char *key;
    int done;
    char *answer; /* NULL until done, and when the request failed */
    int waiters;
    struct entry *next;
} entry;

struct kg_inflight {
    pthread_mutex_t mu;
    pthread_cond_t cond; /* any entry done */
    entry *head;         /* newest first */
    size_t kept;         /* done entries with an answer, still listed */
};

kg_inflight *kg_inflight_new(void)
{
    kg_inflight *f = kg_xcalloc(1, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    kg_cond_init_monotonic(&f->cond);
    return f;
}

static void entry_free(entry *e)
{
    free(e->key);
    free(e->answer);
    free(e);
}

void kg_inflight_free(kg_inflight *f)
{
    if (!f)
        return;
    while (f->head) {
        entry *e = f->head;
        f->head = e->next;
        entry_free(e);
    }
    pthread_cond_destroy(&f->cond);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

static entry *find(kg_inflight *f, const char *key)
{
    for (entry *e = f->head; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static void unlink_entry(kg_inflight *f, entry *e)
{
    for (entry **pp = &f->head; *pp; pp = &(*pp)->next)
        if (*pp == e) {
            *pp = e->next;
            return;
        }
}

/* Drop the oldest kept answers beyond KEEP_ANSWERS (none is waited on: a
 * kept answer has been handed out already). */
static void trim(kg_inflight *f)
{
    while (f->kept > KEEP_ANSWERS) {
        entry *last = NULL;
        for (entry *e = f->head; e; e = e->next)
            if (e->done && e->waiters == 0)
                last = e;
        if (!last)
            return;
        unlink_entry(f, last);
        entry_free(last);
        f->kept--;
    }
}

int kg_inflight_claim(kg_inflight *f, const char *key, const volatile int *cancel, char **answer)
{
    *answer = NULL;
    pthread_mutex_lock(&f->mu);
    entry *e = find(f, key);
    if (!e) {
        e = kg_xcalloc(1, sizeof *e);
        e->key = kg_xstrdup(key);
        e->next = f->head;
        f->head = e;
        pthread_mutex_unlock(&f->mu);
        return KG_INFLIGHT_OWNER;
    }
    if (e->done) { /* answered a moment ago */
        *answer = kg_xstrdup(e->answer);
        pthread_mutex_unlock(&f->mu);
        return KG_INFLIGHT_SHARED;
    }
    e->waiters++;
    while (!e->done && !(cancel && *cancel)) {
        int w = kg_cond_wait_ms(&f->cond, &f->mu, CANCEL_POLL_MS);
        if (w != 0 && w != ETIMEDOUT)
            break;
    }
    int rc = !e->done ? KG_INFLIGHT_CANCELLED : e->answer ? KG_INFLIGHT_SHARED : KG_INFLIGHT_FAILED;
    if (rc == KG_INFLIGHT_SHARED)
        *answer = kg_xstrdup(e->answer);
    /* The last one out frees a failed entry (already unlinked); an answer
     * stays listed for the next worker that meets the text. */
    if (--e->waiters == 0 && e->done && !e->answer)
        entry_free(e);
    pthread_mutex_unlock(&f->mu);
    return rc;
}

void kg_inflight_publish(kg_inflight *f, const char *key, const char *answer)
{
    pthread_mutex_lock(&f->mu);
    entry *e = find(f, key);
    if (e && !e->done) {
        e->done = 1;
        if (answer) { /* kept for later claims */
            e->answer = kg_xstrdup(answer);
            f->kept++;
        } else { /* failed: released; the waiters ask for themselves */
            unlink_entry(f, e);
            if (e->waiters == 0)
                entry_free(e);
        }
        pthread_cond_broadcast(&f->cond);
        trim(f);
    }
    pthread_mutex_unlock(&f->mu);
}

int kg_inflight_waiters(kg_inflight *f, const char *key)
{
    pthread_mutex_lock(&f->mu);
    const entry *e = find(f, key);
    int n = e ? e->waiters : 0;
    pthread_mutex_unlock(&f->mu);
    return n;
}
