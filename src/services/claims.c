/* claims: see claims.h.  A chained hash set of the claimed keys under one
 * mutex; one condition variable for every waiter (claims are dropped in
 * batches, and a waiter that wakes for another key just looks again). */
#include "services/claims.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/hash.h"

#define BUCKETS 1024
#define CANCEL_POLL_MS 100

typedef struct node {
    char *key;
    struct node *next;
} node;

struct kg_claims {
    pthread_mutex_t mu;
    pthread_cond_t dropped;
    node *bucket[BUCKETS];
    size_t n;
};

kg_claims *kg_claims_new(void)
{
    kg_claims *c = kg_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    kg_cond_init_monotonic(&c->dropped);
    return c;
}

void kg_claims_free(kg_claims *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < BUCKETS; i++) {
        node *x = c->bucket[i];
        while (x) {
            node *next = x->next;
            free(x->key);
            free(x);
            x = next;
        }
    }
    pthread_cond_destroy(&c->dropped);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static node **slot(kg_claims *c, const char *key)
{
    node **p = &c->bucket[kg_hash_fnv64(key, strlen(key)) % BUCKETS];
    while (*p && strcmp((*p)->key, key) != 0)
        p = &(*p)->next;
    return p;
}

int kg_claims_take(kg_claims *c, const char *key)
{
    pthread_mutex_lock(&c->mu);
    node **p = slot(c, key);
    int took = *p == NULL;
    if (took) {
        node *x = kg_xcalloc(1, sizeof *x);
        x->key = kg_xstrdup(key);
        *p = x;
        c->n++;
    }
    pthread_mutex_unlock(&c->mu);
    return took;
}

void kg_claims_drop(kg_claims *c, const char *key)
{
    pthread_mutex_lock(&c->mu);
    node **p = slot(c, key);
    if (*p) {
        node *x = *p;
        *p = x->next;
        free(x->key);
        free(x);
        c->n--;
        pthread_cond_broadcast(&c->dropped);
    }
    pthread_mutex_unlock(&c->mu);
}

int kg_claims_wait(kg_claims *c, const char *key, const volatile int *cancel)
{
    int rc = KG_OK;
    pthread_mutex_lock(&c->mu);
    while (*slot(c, key)) {
        if (cancel && *cancel) {
            rc = KG_ECANCELED;
            break;
        }
        kg_cond_wait_ms(&c->dropped, &c->mu, CANCEL_POLL_MS);
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

size_t kg_claims_count(kg_claims *c)
{
    pthread_mutex_lock(&c->mu);
    size_t n = c->n;
    pthread_mutex_unlock(&c->mu);
    return n;
}
