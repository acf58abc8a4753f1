/* Unit tests for services/llm_inflight: one request per text even when
 * several workers meet it at once; failures release the key; a cancelled
 * waiter leaves; an answer stays for later claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/llm_inflight.h"

typedef struct waiter {
    kg_inflight *f;
    const char *key;
    volatile int cancel;
    atomic_int started;
    int rc;
    char *answer;
} waiter;

static void *wait_main(void *arg)
{
    waiter *w = arg;
    atomic_store(&w->started, 1);
    w->rc = kg_inflight_claim(w->f, w->key, &w->cancel, &w->answer);
    return NULL;
}

/* Until the waiter has started. */
static void started(waiter *w)
{
    while (!atomic_load(&w->started))
        sched_yield();
}

/* Until n callers wait on key inside the registry. */
static void blocked(kg_inflight *f, const char *key, int n)
{
    while (kg_inflight_waiters(f, key) < n)
        sched_yield();
}

static void test_waiters_share_the_owners_answer(void **st)
{
    (void)st;
    kg_inflight *f = kg_inflight_new();
    char *a = NULL;
    assert_int_equal(kg_inflight_claim(f, "h1", NULL, &a), KG_INFLIGHT_OWNER);
    waiter w[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].f = f;
        w[i].key = "h1";
        pthread_create(&t[i], NULL, wait_main, &w[i]);
        started(&w[i]);
    }
    blocked(f, "h1", 3);
    /* Another key is independent. */
    assert_int_equal(kg_inflight_claim(f, "h2", NULL, &a), KG_INFLIGHT_OWNER);
    kg_inflight_publish(f, "h1", "{\"entities\": []}");
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].rc, KG_INFLIGHT_SHARED);
        assert_string_equal(w[i].answer, "{\"entities\": []}");
        free(w[i].answer);
    }
    /* Kept: a later claim is answered at once. */
    assert_int_equal(kg_inflight_claim(f, "h1", NULL, &a), KG_INFLIGHT_SHARED);
    assert_string_equal(a, "{\"entities\": []}");
    free(a);
    kg_inflight_publish(f, "h2", NULL);
    kg_inflight_free(f);
}

static void test_failure_releases_the_key(void **st)
{
    (void)st;
    kg_inflight *f = kg_inflight_new();
    char *a = NULL;
    assert_int_equal(kg_inflight_claim(f, "k", NULL, &a), KG_INFLIGHT_OWNER);
    waiter w;
    memset(&w, 0, sizeof w);
    w.f = f;
    w.key = "k";
    pthread_t t;
    pthread_create(&t, NULL, wait_main, &w);
    blocked(f, "k", 1);
    kg_inflight_publish(f, "k", NULL);
    pthread_join(t, NULL);
    assert_int_equal(w.rc, KG_INFLIGHT_FAILED);
    assert_null(w.answer);
    /* The next claim owns the key again. */
    assert_int_equal(kg_inflight_claim(f, "k", NULL, &a), KG_INFLIGHT_OWNER);
    kg_inflight_publish(f, "k", "x");
    kg_inflight_free(f);
}

static void test_cancelled_waiter_leaves(void **st)
{
    (void)st;
    kg_inflight *f = kg_inflight_new();
    char *a = NULL;
    assert_int_equal(kg_inflight_claim(f, "c", NULL, &a), KG_INFLIGHT_OWNER);
    waiter w;
    memset(&w, 0, sizeof w);
    w.f = f;
    w.key = "c";
    pthread_t t;
    pthread_create(&t, NULL, wait_main, &w);
    blocked(f, "c", 1);
    w.cancel = 1;
    pthread_join(t, NULL);
    assert_int_equal(w.rc, KG_INFLIGHT_CANCELLED);
    kg_inflight_publish(f, "c", "late");
    assert_int_equal(kg_inflight_claim(f, "c", NULL, &a), KG_INFLIGHT_SHARED);
    assert_string_equal(a, "late");
    free(a);
    kg_inflight_free(f);
}

static void test_kept_answers_are_bounded(void **st)
{
    (void)st;
    kg_inflight *f = kg_inflight_new();
    char key[32], *a = NULL;
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "key%d", i);
        assert_int_equal(kg_inflight_claim(f, key, NULL, &a), KG_INFLIGHT_OWNER);
        kg_inflight_publish(f, key, "v");
    }
    /* The newest are kept, the oldest were dropped. */
    assert_int_equal(kg_inflight_claim(f, "key4999", NULL, &a), KG_INFLIGHT_SHARED);
    free(a);
    assert_int_equal(kg_inflight_claim(f, "key0", NULL, &a), KG_INFLIGHT_OWNER);
    kg_inflight_publish(f, "key0", NULL);
    kg_inflight_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waiters_share_the_owners_answer),
        cmocka_unit_test(test_failure_releases_the_key),
        cmocka_unit_test(test_cancelled_waiter_leaves),
        cmocka_unit_test(test_kept_answers_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
