/* Unit tests for the paths taken when a library kgas opens at first use is
 * missing: KG_TEST_DLOPEN_FAIL=all (base/dynlib.h) makes every such load
 * fail for real, and each user must turn that into an error naming the
 * library and the package, while everything else keeps working. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/curl_lib.h"
#include "net/http.h"
#include "net/retry.h"
#include "server/mhd_lib.h"
#include "server/serve.h"
#include "text/load.h"
#include "pdf/pdf_lib.h"
#include "testutil.h"

static int on_text(void *ud, int page, const char *s, size_t len)
{
    (void)page;
    (void)s;
    *(size_t *)ud += len;
    return 0;
}

static void assert_names_library(const char *msg, const char *soname)
{
    assert_non_null(strstr(msg, soname));
    assert_non_null(strstr(msg, "could not be loaded"));
    assert_non_null(strstr(msg, "install the package"));
}

static void test_pdf_without_poppler(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *pdf = tu_join(dir, "paper.pdf");
    char *txt = tu_join(dir, "notes.txt");
    tu_write_str(pdf, "%PDF-1.4\n%%EOF\n");
    tu_write_str(txt, "Plain text needs no optional library.\n");
    size_t got = 0;
    kg_load_sink sink = {on_text, NULL, &got, NULL};
    kg_load_info info;
    kg_err e;
    assert_int_equal(kg_load_file(NULL, pdf, KG_KIND_UNKNOWN, &sink, &info, &e), KG_ENOTFOUND);
    kg_load_info_free(&info);
    assert_non_null(strstr(e.msg, pdf));
    assert_non_null(strstr(e.msg, "cannot read PDFs"));
    assert_names_library(e.msg, kg_pdf_lib_soname());
    /* Asked again (the next PDF of an ingest): the same answer. */
    assert_int_equal(kg_pdf_lib_load(&e), KG_ENOTFOUND);
    assert_names_library(e.msg, kg_pdf_lib_soname());
    assert_int_equal(kg_load_file(NULL, txt, KG_KIND_UNKNOWN, &sink, &info, &e), KG_OK);
    kg_load_info_free(&info);
    assert_true(got > 0);
    tu_rmrf(dir);
    free(pdf);
    free(txt);
    free(dir);
}

static void test_http_without_curl(void **st)
{
    (void)st;
    uv_loop_t loop;
    uv_loop_init(&loop);
    kg_err e;
    assert_null(kg_http_new(&loop, &e));
    assert_int_equal(e.code, KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "cannot call web APIs"));
    assert_names_library(e.msg, kg_curl_lib_soname());
    assert_int_equal(uv_loop_close(&loop), 0);
    /* Retry hints: seconds need no library; HTTP dates are read by libcurl,
     * so without it there is no hint rather than a crash. */
    assert_true(kg_retry_after_ms("2", 0) == 2000);
    struct tm tm = {
        .tm_year = 94, .tm_mon = 10, .tm_mday = 6, .tm_hour = 8, .tm_min = 49, .tm_sec = 37};
    assert_true(kg_retry_after_ms("Sun, 06 Nov 1994 08:49:47 GMT", timegm(&tm)) == -1);
}

static void test_mcp_http_without_microhttpd(void **st)
{
    (void)st;
    kg_mcp_serve_opts o = {0};
    o.http = "127.0.0.1:0";
    kg_err e;
    assert_int_equal(kg_mcp_serve_http(&o, &e), KG_ENOTFOUND);
    assert_non_null(strstr(e.msg, "cannot serve MCP over HTTP"));
    assert_names_library(e.msg, kg_mhd_lib_soname());
}

int main(void)
{
    setenv("KG_TEST_DLOPEN_FAIL", "all", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf_without_poppler),
        cmocka_unit_test(test_http_without_curl),
        cmocka_unit_test(test_mcp_http_without_microhttpd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
