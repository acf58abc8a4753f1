/* Unit tests for base/dynlib and the three library shims: the libraries
 * kgas opens at first use load, once, from several threads, and every way
 * a load can fail (missing library, missing symbol, failed initialisation,
 * KG_TEST_DLOPEN_FAIL) ends in a message that names the library.  The
 * failures of the real shims are in test_dynlib_fail.c: a shim loads at
 * most once per process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dynlib.h"
#include "net/curl_lib.h"
#include "server/mhd_lib.h"
#include "pdf/pdf_lib.h"
#include "testutil.h"

static void *load_all(void *arg)
{
    (void)arg;
    kg_err e;
    int bad = 0;
    for (int i = 0; i < 50; i++)
        bad |= kg_pdf_lib_load(&e) | kg_curl_lib_load(&e) | kg_mhd_lib_load(&e);
    return bad ? (void *)1 : NULL;
}

/* Eight threads race to the first load (ingest workers do); all succeed and
 * the tables work. */
static void test_shims_load_from_threads(void **st)
{
    (void)st;
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, load_all, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *r = (void *)1;
        pthread_join(t[i], &r);
        assert_null(r);
    }
    assert_non_null(strstr(kg_pdf_lib_soname(), "libpoppler-glib.so."));
    assert_non_null(strstr(kg_curl_lib_soname(), "libcurl"));
    assert_non_null(strstr(kg_mhd_lib_soname(), "libmicrohttpd.so."));
    assert_true(strlen(kg_pdf->version()) > 0);
    assert_non_null(strstr(kg_curl->version(), "libcurl/"));
    assert_true(strlen(kg_mhd->version()) > 0);
    /* curl_global_init ran during the load: an easy handle works. */
    CURL *c = kg_curl->easy_init();
    assert_non_null(c);
    kg_curl->easy_cleanup(c);
}

/* The generic loader, on a library that is certainly present. */
typedef struct one_fn {
    void (*fn)(void);
} one_fn;

static int init_calls;

static int init_ok(char *why, size_t cap)
{
    (void)why;
    (void)cap;
    init_calls++;
    return 0;
}

static int init_fails(char *why, size_t cap)
{
    snprintf(why, cap, "refused for the test");
    return -1;
}

static void test_dynlib_success_runs_init_once(void **st)
{
    (void)st;
    one_fn table = {NULL};
    const kg_dynsym syms[] = {{"curl_version", offsetof(one_fn, fn)}};
    kg_dynlib lib = {.soname = kg_curl_lib_soname(),
                     .purpose = "test",
                     .package = "pkg",
                     .syms = syms,
                     .nsyms = 1,
                     .table = &table,
                     .init = init_ok};
    init_calls = 0;
    kg_err e;
    assert_int_equal(kg_dynlib_load(&lib, &e), KG_OK);
    assert_int_equal(kg_dynlib_load(&lib, &e), KG_OK);
    assert_int_equal(init_calls, 1);
    assert_non_null(table.fn);
}

static void test_dynlib_missing_library(void **st)
{
    (void)st;
    one_fn table = {NULL};
    const kg_dynsym syms[] = {{"f", offsetof(one_fn, fn)}};
    kg_dynlib lib = {.soname = "libkgas-no-such-library.so.1",
                     .purpose = "do a thing",
                     .package = "libkgas-thing1",
                     .syms = syms,
                     .nsyms = 1,
                     .table = &table};
    kg_err e;
    assert_int_equal(kg_dynlib_load(&lib, &e), KG_ENOTFOUND);
    assert_int_equal(e.code, KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "cannot do a thing: libkgas-no-such-library.so.1 could not "
                                  "be loaded ("));
    assert_non_null(strstr(e.msg, "install the package libkgas-thing1"));
    /* Not retried: the same answer, and err may be NULL. */
    char first[KG_ERR_MSG_MAX];
    snprintf(first, sizeof first, "%s", e.msg);
    assert_int_equal(kg_dynlib_load(&lib, NULL), KG_ENOTFOUND);
    assert_int_equal(kg_dynlib_load(&lib, &e), KG_ENOTFOUND);
    assert_string_equal(e.msg, first);
    /* Without a known package the hint is still a sentence. */
    kg_dynlib anon = {.soname = "libkgas-no-such-library.so.2",
                      .purpose = "x",
                      .package = "",
                      .syms = syms,
                      .nsyms = 1,
                      .table = &table};
    assert_int_equal(kg_dynlib_load(&anon, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "install the package that provides it"));
}

static void test_dynlib_missing_symbol_and_failed_init(void **st)
{
    (void)st;
    one_fn table = {NULL};
    const kg_dynsym bad[] = {{"curl_version", offsetof(one_fn, fn)},
                             {"kg_no_such_function", offsetof(one_fn, fn)}};
    kg_dynlib lib = {.soname = kg_curl_lib_soname(),
                     .purpose = "test",
                     .package = "pkg",
                     .syms = bad,
                     .nsyms = 2,
                     .table = &table};
    kg_err e;
    assert_int_equal(kg_dynlib_load(&lib, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "lacks kg_no_such_function"));
    const kg_dynsym good[] = {{"curl_version", offsetof(one_fn, fn)}};
    kg_dynlib fails = {.soname = kg_curl_lib_soname(),
                       .purpose = "test",
                       .package = "pkg",
                       .syms = good,
                       .nsyms = 1,
                       .table = &table,
                       .init = init_fails};
    assert_int_equal(kg_dynlib_load(&fails, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "did not initialise (refused for the test)"));
}

/* KG_TEST_DLOPEN_FAIL: a list of SONAMEs, or "all"; other names load. */
static void test_dynlib_forced_failure(void **st)
{
    (void)st;
    one_fn table = {NULL};
    const kg_dynsym syms[] = {{"curl_version", offsetof(one_fn, fn)}};
    char list[256];
    snprintf(list, sizeof list, "libother.so.1,%s,", kg_curl_lib_soname());
    setenv("KG_TEST_DLOPEN_FAIL", list, 1);
    kg_dynlib a = {.soname = kg_curl_lib_soname(),
                   .purpose = "test",
                   .package = "pkg",
                   .syms = syms,
                   .nsyms = 1,
                   .table = &table};
    kg_err e;
    assert_int_equal(kg_dynlib_load(&a, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "KG_TEST_DLOPEN_FAIL"));
    setenv("KG_TEST_DLOPEN_FAIL", "libother.so.1", 1);
    kg_dynlib b = {.soname = kg_curl_lib_soname(),
                   .purpose = "test",
                   .package = "pkg",
                   .syms = syms,
                   .nsyms = 1,
                   .table = &table};
    assert_int_equal(kg_dynlib_load(&b, &e), KG_OK);
    setenv("KG_TEST_DLOPEN_FAIL", "all", 1);
    kg_dynlib c = {.soname = kg_curl_lib_soname(),
                   .purpose = "test",
                   .package = "pkg",
                   .syms = syms,
                   .nsyms = 1,
                   .table = &table};
    assert_int_equal(kg_dynlib_load(&c, &e), KG_ENOTFOUND);
    unsetenv("KG_TEST_DLOPEN_FAIL");
}

int main(void)
{
    unsetenv("KG_TEST_DLOPEN_FAIL");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shims_load_from_threads),
        cmocka_unit_test(test_dynlib_success_runs_init_once),
        cmocka_unit_test(test_dynlib_missing_library),
        cmocka_unit_test(test_dynlib_missing_symbol_and_failed_init),
        cmocka_unit_test(test_dynlib_forced_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
