/* Unit tests for the service pool (services/service_pool): one instance
 * per key, started once even when many threads ask at once; references
 * counted; a released service kept (with its limiter and breaker) for the
 * next caller until the pool is freed, which stops every service; a failed
 * start not remembered.  Then the typed helpers with real embed and llm
 * services (started, never asked, so no server is needed): the same model
 * and setup share an instance, another model, prompt or configuration gets
 * its own, and no pool means a private service. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "services/service_pool.h"

/* ---- a fake service: counts its starts and stops ---------------------- */

static atomic_int starts, stops;

typedef struct fake {
    char name[32];
} fake;

static int fake_start(void *ud, void **svc, kg_err *err)
{
    const char *name = ud;
    /* Slow, so that concurrent callers really overlap with the start. */
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
    atomic_fetch_add(&starts, 1);
    if (strcmp(name, "broken") == 0)
        return kg_err_set(err, KG_EIO, "cannot start %s", name);
    fake *f = calloc(1, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    *svc = f;
    return KG_OK;
}

static void fake_stop(void *svc)
{
    atomic_fetch_add(&stops, 1);
    free(svc);
}

static void *get(kg_service_pool *p, const char *key, const char *name)
{
    void *svc = NULL;
    kg_err e;
    assert_int_equal(kg_service_pool_acquire(p, key, fake_start, (void *)name, fake_stop, &svc, &e),
                     KG_OK);
    return svc;
}

static void test_same_key_same_instance(void **st)
{
    (void)st;
    atomic_store(&starts, 0);
    atomic_store(&stops, 0);
    kg_service_pool *p = kg_service_pool_new();
    void *a = get(p, "embed m1", "a"), *b = get(p, "embed m1", "a");
    assert_ptr_equal(a, b);
    assert_int_equal(atomic_load(&starts), 1);
    assert_int_equal(kg_service_pool_refs(p, a), 2);
    void *c = get(p, "embed m2", "c");
    assert_ptr_not_equal(a, c);
    assert_int_equal(atomic_load(&starts), 2);
    assert_int_equal((int)kg_service_pool_size(p), 2);
    /* Released: not stopped; the next caller gets the same instance. */
    kg_service_pool_release(p, a);
    kg_service_pool_release(p, b);
    assert_int_equal(kg_service_pool_refs(p, a), 0);
    assert_int_equal(atomic_load(&stops), 0);
    assert_ptr_equal(get(p, "embed m1", "a"), a);
    assert_int_equal(atomic_load(&starts), 2);
    assert_int_equal(kg_service_pool_refs(p, a), 1);
    kg_service_pool_release(p, a);
    kg_service_pool_release(p, c);
    assert_int_equal(kg_service_pool_refs(p, (void *)&starts), -1); /* not pooled */
    /* The pool's end stops each service once. */
    kg_service_pool_free(p);
    assert_int_equal(atomic_load(&stops), 2);
    kg_service_pool_free(NULL);
}

static void test_failed_start_not_remembered(void **st)
{
    (void)st;
    atomic_store(&starts, 0);
    atomic_store(&stops, 0);
    kg_service_pool *p = kg_service_pool_new();
    void *svc = (void *)&starts;
    kg_err e;
    assert_int_equal(kg_service_pool_acquire(p, "k", fake_start, "broken", fake_stop, &svc, &e),
                     KG_EIO);
    assert_null(svc);
    assert_non_null(strstr(e.msg, "cannot start broken"));
    assert_int_equal((int)kg_service_pool_size(p), 0);
    /* Tried again by the next caller, which may succeed. */
    svc = get(p, "k", "fine");
    assert_string_equal(((fake *)svc)->name, "fine");
    assert_int_equal(atomic_load(&starts), 2);
    kg_service_pool_release(p, svc);
    kg_service_pool_free(p);
    assert_int_equal(atomic_load(&stops), 1);
}

typedef struct racer {
    kg_service_pool *p;
    void *got;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    kg_err e;
    if (kg_service_pool_acquire(r->p, "shared", fake_start, "s", fake_stop, &r->got, &e) != KG_OK)
        r->got = NULL;
    return NULL;
}

static void test_concurrent_acquire_starts_once(void **st)
{
    (void)st;
    atomic_store(&starts, 0);
    atomic_store(&stops, 0);
    kg_service_pool *p = kg_service_pool_new();
    enum {
        N = 8
    };
    racer r[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        r[i] = (racer){p, NULL};
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&starts), 1);
    for (int i = 0; i < N; i++) {
        assert_non_null(r[i].got);
        assert_ptr_equal(r[i].got, r[0].got);
    }
    assert_int_equal(kg_service_pool_refs(p, r[0].got), N);
    for (int i = 0; i < N; i++)
        kg_service_pool_release(p, r[i].got);
    assert_int_equal(kg_service_pool_refs(p, r[0].got), 0);
    kg_service_pool_free(p);
    assert_int_equal(atomic_load(&stops), 1);
}

/* ---- the typed helpers with real services ------------------------------ */

static void set(kg_config *cfg, const char *k, const char *v)
{
    kg_err e;
    assert_int_equal(kg_config_set(cfg, k, v, KG_SRC_CALL, "t", &e), 0);
}

static kg_config *api_cfg(void)
{
    kg_config *cfg = kg_config_new();
    /* Nothing listens there: the services start but are never asked. */
    set(cfg, "embed.base_url", "http://127.0.0.1:9/v1");
    set(cfg, "embed.model", "fake-embed");
    set(cfg, "llm.base_url", "http://127.0.0.1:9/v1");
    set(cfg, "llm.model", "fake-chat");
    return cfg;
}

static void test_embed_services_by_model_and_config(void **st)
{
    (void)st;
    kg_config *cfg = api_cfg(), *other = api_cfg();
    kg_service_pool *p = kg_service_pool_new();
    kg_err e;
    kg_embed_service *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    assert_int_equal(kg_service_pool_embed_get(p, cfg, NULL, &a, &e), KG_OK);
    /* embed.model named explicitly is the same model. */
    assert_int_equal(kg_service_pool_embed_get(p, cfg, "fake-embed", &b, &e), KG_OK);
    assert_ptr_equal(a, b);
    assert_int_equal(kg_service_pool_refs(p, a), 2);
    assert_int_equal(kg_service_pool_embed_get(p, cfg, "other-model", &c, &e), KG_OK);
    assert_ptr_not_equal(a, c);
    assert_string_equal(kg_embed_service_model(c), "other-model");
    /* Another configuration (its keys are re-read from it): its own. */
    assert_int_equal(kg_service_pool_embed_get(p, other, NULL, &d, &e), KG_OK);
    assert_ptr_not_equal(a, d);
    assert_int_equal((int)kg_service_pool_size(p), 3);
    /* A client per caller on the one shared service. */
    kg_embed_client *k1 = kg_embed_client_open(a), *k2 = kg_embed_client_open(b);
    assert_ptr_equal(kg_embed_client_service(k1), kg_embed_client_service(k2));
    kg_embed_client_close(k1, NULL);
    kg_embed_client_close(k2, NULL);
    kg_service_pool_embed_put(p, a);
    kg_service_pool_embed_put(p, b);
    kg_service_pool_embed_put(p, c);
    kg_service_pool_embed_put(p, d);
    assert_int_equal(kg_service_pool_refs(p, a), 0);
    /* A service that cannot start is an error, nothing is pooled. */
    kg_config *bare = kg_config_new();
    kg_embed_service *x = NULL;
    assert_int_equal(kg_service_pool_embed_get(p, bare, NULL, &x, &e), KG_EINVAL);
    assert_null(x);
    assert_int_equal((int)kg_service_pool_size(p), 3);
    kg_service_pool_free(p); /* stops the three threads */
    /* No pool: a private service, stopped by the put. */
    assert_int_equal(kg_service_pool_embed_get(NULL, cfg, NULL, &x, &e), KG_OK);
    assert_non_null(x);
    kg_service_pool_embed_put(NULL, x);
    kg_config_free(bare);
    kg_config_free(other);
    kg_config_free(cfg);
}

static void test_llm_services_by_prompt_and_schema(void **st)
{
    (void)st;
    kg_config *cfg = api_cfg();
    kg_service_pool *p = kg_service_pool_new();
    kg_err e;
    json_t *schema = json_pack("{s:s}", "type", "object");
    json_t *schema2 = json_pack("{s:s, s:b}", "type", "object", "additionalProperties", 0);
    kg_llm_service *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    assert_int_equal(kg_service_pool_llm_get(p, cfg, "llm", "be brief", schema, "x", &a, &e),
                     KG_OK);
    assert_int_equal(kg_service_pool_llm_get(p, cfg, "llm", "be brief", schema, "x", &b, &e),
                     KG_OK);
    assert_ptr_equal(a, b);
    assert_string_equal(kg_llm_service_model(a), "fake-chat");
    /* Another prompt or schema changes what is asked: another service. */
    assert_int_equal(kg_service_pool_llm_get(p, cfg, "llm", "be verbose", schema, "x", &c, &e),
                     KG_OK);
    assert_int_equal(kg_service_pool_llm_get(p, cfg, "llm", "be brief", schema2, "x", &d, &e),
                     KG_OK);
    assert_ptr_not_equal(a, c);
    assert_ptr_not_equal(a, d);
    assert_ptr_not_equal(c, d);
    assert_int_equal(kg_service_pool_refs(p, a), 2);
    kg_service_pool_llm_put(p, a);
    kg_service_pool_llm_put(p, b);
    kg_service_pool_llm_put(p, c);
    kg_service_pool_llm_put(p, d);
    assert_int_equal((int)kg_service_pool_size(p), 3);
    kg_service_pool_free(p);
    json_decref(schema);
    json_decref(schema2);
    kg_config_free(cfg);
}

typedef struct waiter {
    kg_claims *c;
    const char *key;
    volatile int cancel;
    int rc;
    atomic_int done;
} waiter;

static void *wait_thread(void *arg)
{
    waiter *w = arg;
    w->rc = kg_claims_wait(w->c, w->key, &w->cancel);
    atomic_store(&w->done, 1);
    return NULL;
}

/* Claims: one holder per key; a waiter wakes when the key is dropped (not
 * when another is), or when its cancel flag is set; the pool has one set,
 * pool NULL has none. */
static void test_claims(void **st)
{
    (void)st;
    kg_service_pool *p = kg_service_pool_new();
    kg_claims *c = kg_service_pool_claims(p);
    assert_non_null(c);
    assert_null(kg_service_pool_claims(NULL));
    assert_int_equal(kg_claims_take(c, "db\x1fm\x1fh1"), 1);
    assert_int_equal(kg_claims_take(c, "db\x1fm\x1fh1"), 0);
    assert_int_equal(kg_claims_take(c, "db\x1fm\x1fh2"), 1);
    assert_int_equal(kg_claims_count(c), 2);
    assert_int_equal(kg_claims_wait(c, "not claimed", NULL), KG_OK);

    waiter w = {c, "db\x1fm\x1fh1", 0, -1, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wait_thread, &w), 0);
    kg_claims_drop(c, "db\x1fm\x1fh2"); /* another key: w keeps waiting */
    assert_int_equal(kg_claims_count(c), 1);
    assert_int_equal(atomic_load(&w.done), 0); /* h1 is still held: it cannot be done */
    kg_claims_drop(c, "db\x1fm\x1fh1");
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(w.rc, KG_OK);
    assert_int_equal(kg_claims_count(c), 0);
    assert_int_equal(kg_claims_take(c, "db\x1fm\x1fh1"), 1); /* free again */

    waiter w2 = {c, "db\x1fm\x1fh1", 0, -1, 0};
    assert_int_equal(pthread_create(&t, NULL, wait_thread, &w2), 0);
    w2.cancel = 1;
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(w2.rc, KG_ECANCELED);
    kg_claims_drop(c, "db\x1fm\x1fh1");
    /* Many keys (more than the buckets), taken and dropped. */
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(kg_claims_take(c, key), 1);
    }
    assert_int_equal(kg_claims_count(c), 5000);
    for (int i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "k%d", i);
        kg_claims_drop(c, key);
    }
    assert_int_equal(kg_claims_count(c), 2500);
    assert_int_equal(kg_claims_take(c, "k1"), 0);
    assert_int_equal(kg_claims_take(c, "k2"), 1);
    kg_service_pool_free(p); /* frees what is still claimed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_key_same_instance),
        cmocka_unit_test(test_failed_start_not_remembered),
        cmocka_unit_test(test_concurrent_acquire_starts_once),
        cmocka_unit_test(test_embed_services_by_model_and_config),
        cmocka_unit_test(test_llm_services_by_prompt_and_schema),
        cmocka_unit_test(test_claims),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
