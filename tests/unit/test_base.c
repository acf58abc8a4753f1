/* Unit tests for base/: errors, buffers, hashing, redaction, path safety. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fsafe.h"
#include "base/hash.h"
#include "base/log.h"
#include "testutil.h"

static void test_err_set_and_prefix(void **st)
{
    (void)st;
    kg_err e;
    kg_err_clear(&e);
    assert_int_equal(e.code, KG_OK);
    assert_int_equal(kg_err_set(&e, KG_EIO, "cannot read %s", "a.txt"), KG_EIO);
    assert_string_equal(e.msg, "cannot read a.txt");
    kg_err_prefix(&e, "batch %d", 3);
    assert_string_equal(e.msg, "batch 3: cannot read a.txt");
    assert_int_equal(kg_err_set(NULL, KG_EINVAL, "x"), KG_EINVAL);
    assert_string_equal(kg_err_name(KG_EDENIED), "refused");
    assert_string_equal(kg_err_name(12345), "error");
    const int codes[] = {KG_OK,        KG_EINVAL, KG_EIO,   KG_ENOMEM,    KG_EFORMAT,
                         KG_ENOTFOUND, KG_EDB,    KG_EBUSY, KG_ECANCELED, KG_ETOOBIG};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_true(strlen(kg_err_name(codes[i])) > 1);
        assert_string_not_equal(kg_err_name(codes[i]), "error");
    }
    kg_err_clear(NULL);
    assert_int_equal(kg_err_prefix(NULL, "x"), KG_EINVAL);
    /* A long prefix truncates instead of overflowing. */
    char longp[2000];
    memset(longp, 'p', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    kg_err_prefix(&e, "%s", longp);
    assert_int_equal(strlen(e.msg), KG_ERR_MSG_MAX - 1);
}

static void test_buf(void **st)
{
    (void)st;
    kg_buf b = KG_BUF_INIT;
    assert_string_equal(kg_buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        kg_buf_printf(&b, "%d,", i);
    assert_true(b.len > 3000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    kg_buf_truncate(&b, 2);
    assert_string_equal(kg_buf_str(&b), "0,");
    kg_buf_putc(&b, 'x');
    kg_buf_puts(&b, "yz");
    char *s = kg_buf_steal(&b);
    assert_string_equal(s, "0,xyz");
    assert_null(b.data);
    free(s);
    kg_buf_free(&b);
    char *d = kg_xstrndup("hello", 3);
    assert_string_equal(d, "hel");
    free(d);
}

static void test_hash_and_ids(void **st)
{
    (void)st;
    assert_int_equal(kg_hash_init(), 0);
    char a[KG_HASH_HEX_LEN + 1], b[KG_HASH_HEX_LEN + 1];
    kg_hash_hex("abc", 3, a);
    kg_hasher h;
    kg_hasher_init(&h);
    kg_hasher_update(&h, "a", 1);
    kg_hasher_update(&h, "bc", 2);
    kg_hasher_final_hex(&h, b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
    char id1[KG_ID_MAX], id2[KG_ID_MAX];
    const char *p1[] = {"PERSON", "john smith"};
    const char *p2[] = {"ORG", "john smith"};
    kg_make_id(id1, "ent", p1, 2);
    kg_make_id(id2, "ent", p2, 2);
    assert_int_equal(strlen(id1), 4 + 16);
    assert_memory_equal(id1, "ent_", 4);
    assert_string_not_equal(id1, id2);
    kg_make_id(id2, "ent", p1, 2);
    assert_string_equal(id1, id2);
    assert_true(kg_hash64("x", 1) != kg_hash64("y", 1));

    /* Row ids: the same form, stable, different for different parts (the
     * separator counts), and the general path for parts too long to join. */
    char r1[KG_ID_MAX], r2[KG_ID_MAX];
    const char *q1[] = {"chunk_00112233", "120:131"};
    const char *q2[] = {"chunk_00112233", "120:132"};
    kg_make_row_id(r1, "men", q1, 2);
    assert_int_equal(strlen(r1), 4 + 16);
    assert_memory_equal(r1, "men_", 4);
    assert_true(strspn(r1 + 4, "0123456789abcdef") == 16);
    kg_make_row_id(r2, "men", q2, 2);
    assert_string_not_equal(r1, r2);
    kg_make_row_id(r2, "men", q1, 2);
    assert_string_equal(r1, r2);
    kg_make_id(id1, "men", q1, 2);
    assert_string_not_equal(r1, id1); /* another hash than kg_make_id's */
    const char *s1[] = {"ab", "c"}, *s2[] = {"a", "bc"};
    kg_make_row_id(r1, "rel", s1, 2);
    kg_make_row_id(r2, "rel", s2, 2);
    assert_string_not_equal(r1, r2);
    char longpart[600];
    memset(longpart, 'x', sizeof longpart - 1);
    longpart[sizeof longpart - 1] = 0;
    const char *l1[] = {longpart, "1"};
    kg_make_row_id(r1, "rel", l1, 2);
    kg_make_id(id1, "rel", l1, 2);
    assert_string_equal(r1, id1);
    /* A known value: the derivation (key, separator, hex form) is fixed, so
     * rows written by one build keep their ids in the next. */
    kg_make_row_id(r1, "men", q1, 2);
    assert_string_equal(r1, "men_04d38cf1181d58a5");
}

static void test_redaction_in_logs_and_errors(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *path = tu_join(dir, "log.txt");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    kg_log_set_stream(f);
    kg_log_set_level(KG_LOG_DEBUG);
    const char *key = "sk-test-SECRET-0123456789";
    assert_int_equal(kg_redact_register(key), 0);
    assert_int_equal(kg_redact_register(key), 0); /* twice is fine */
    assert_true(kg_redact_register("ab") < 0);    /* too short to redact safely */
    kg_info("calling with key %s and again %s.", key, key);
    kg_log_set_format(KG_LOG_JSON);
    kg_error("json line \"quoted\" %s\n", key);
    kg_log_set_format(KG_LOG_PLAIN);
    kg_err e;
    kg_err_set(&e, KG_EINVAL, "401 for key=%s", key);
    assert_null(strstr(e.msg, key));
    assert_non_null(strstr(e.msg, "[REDACTED]"));
    kg_err_prefix(&e, "service %s", key);
    assert_null(strstr(e.msg, key));
    kg_debug("below %s", "threshold");
    kg_log_set_level(KG_LOG_ERROR);
    kg_info("not shown");
    kg_log_set_stream(NULL);
    fclose(f);
    char *log = tu_read(path, NULL);
    assert_non_null(log);
    assert_null(strstr(log, key));
    assert_null(strstr(log, "not shown"));
    assert_non_null(strstr(log, "calling with key [REDACTED] and again [REDACTED]."));
    assert_non_null(strstr(log, "\"level\":\"error\""));
    assert_non_null(strstr(log, "\\\"quoted\\\""));
    assert_non_null(strstr(log, "below threshold"));
    kg_redact_unregister(key);
    char buf[64];
    snprintf(buf, sizeof buf, "x %s", key);
    kg_redact_inplace(buf, sizeof buf);
    assert_non_null(strstr(buf, key)); /* no longer secret */
    kg_redact_register(key);
    kg_redact_clear();
    kg_redact_inplace(buf, sizeof buf);
    assert_non_null(strstr(buf, key));
    free(log);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

static void test_redaction_truncates_safely(void **st)
{
    (void)st;
    const char *key = "abcd";
    kg_redact_register(key);
    char small[12] = "abcdabcd";
    kg_redact_inplace(small, sizeof small);
    /* "[REDACTED]" is 10 bytes: the first fits, the second would overflow and is cut. */
    assert_null(strstr(small, "abcd"));
    assert_true(strlen(small) < sizeof small);
    kg_redact_clear();
}

static void test_log_levels_parse(void **st)
{
    (void)st;
    assert_int_equal(kg_log_level_parse("debug"), KG_LOG_DEBUG);
    assert_int_equal(kg_log_level_parse("warning"), KG_LOG_WARN);
    assert_int_equal(kg_log_level_parse("loud"), -1);
    assert_int_equal(kg_log_level_parse(NULL), -1);
    assert_int_equal(kg_log_format_parse("json"), KG_LOG_JSON);
    assert_int_equal(kg_log_format_parse("plain"), KG_LOG_PLAIN);
    assert_int_equal(kg_log_format_parse("xml"), -1);
    assert_int_equal(kg_log_format_parse(NULL), -1);
    assert_string_equal(kg_log_level_name(KG_LOG_INFO), "info");
    assert_string_equal(kg_log_level_name((kg_log_level)9), "?");
    kg_log_set_level(KG_LOG_WARN);
    assert_int_equal(kg_log_get_level(), KG_LOG_WARN);
}

static void test_path_policy(void **st)
{
    (void)st;
    char *root = tu_tmpdir();
    char *outside = tu_tmpdir();
    char *inside_file = tu_join(root, "ok.txt");
    tu_write_str(inside_file, "hello");
    char *outside_file = tu_join(outside, "secret.txt");
    tu_write_str(outside_file, "secret");
    char *link = tu_join(root, "escape.txt");
    assert_int_equal(symlink(outside_file, link), 0);
    char *sub = tu_join(root, "sub");
    mkdir(sub, 0755);
    char traversal[4096];
    snprintf(traversal, sizeof traversal, "%s/sub/../../%s/secret.txt", root,
             strrchr(outside, '/') + 1);

    kg_path_policy p;
    kg_path_policy_init(&p);
    kg_err e;
    assert_int_equal(kg_path_policy_add_root(&p, root, &e), KG_OK);
    assert_int_equal(kg_path_policy_add_root(&p, "/nonexistent/dir", &e), KG_EINVAL);
    assert_int_equal(kg_path_policy_add_root(&p, inside_file, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "not a directory"));

    char *data = NULL;
    size_t len = 0;
    assert_int_equal(kg_file_read_all(&p, inside_file, &data, &len, &e), KG_OK);
    assert_int_equal(len, 5);
    assert_string_equal(data, "hello");
    free(data);

    assert_int_equal(kg_file_read_all(&p, outside_file, &data, &len, &e), KG_EDENIED);
    assert_non_null(strstr(e.msg, "outside the allowed roots"));
    assert_int_equal(kg_path_check_file(&p, link, NULL, NULL, &e), KG_EDENIED);
    assert_non_null(strstr(e.msg, "resolves to"));
    assert_int_equal(kg_path_check_file(&p, traversal, NULL, NULL, &e), KG_EDENIED);
    assert_int_equal(kg_path_check_file(&p, sub, NULL, NULL, &e), KG_EDENIED);
    assert_non_null(strstr(e.msg, "directory"));
    char *missing = tu_join(root, "missing.txt");
    assert_int_equal(kg_path_check_file(&p, missing, NULL, NULL, &e), KG_ENOTFOUND);

    kg_path_policy none;
    kg_path_policy_init(&none);
    assert_int_equal(kg_path_check_file(&none, "/dev/null", NULL, NULL, &e), KG_EDENIED);
    assert_non_null(strstr(e.msg, "not a regular file"));
    none.max_bytes = 3;
    assert_int_equal(kg_file_read_all(&none, inside_file, &data, &len, &e), KG_ETOOBIG);
    assert_non_null(strstr(e.msg, "limit"));
    char *resolved = NULL;
    uint64_t size = 0;
    none.max_bytes = 0;
    assert_int_equal(kg_path_check_file(&none, link, &resolved, &size, &e), KG_OK);
    assert_int_equal(size, 6);
    free(resolved);
    assert_int_equal(kg_path_check_dir(&p, sub, &resolved, &e), KG_OK);
    free(resolved);
    assert_int_equal(kg_path_check_dir(&p, outside, NULL, &e), KG_EDENIED);
    assert_int_equal(kg_path_check_dir(&p, inside_file, NULL, &e), KG_EINVAL);
    assert_int_equal(kg_path_check_dir(&p, missing, NULL, &e), KG_ENOTFOUND);

    kg_path_policy two;
    kg_path_policy_init(&two);
    char list[8192];
    snprintf(list, sizeof list, "%s:%s", root, outside);
    assert_int_equal(kg_path_policy_add_roots(&two, list, &e), KG_OK);
    assert_int_equal(two.nroots, 2);
    assert_int_equal(kg_path_check_file(&two, outside_file, NULL, NULL, &e), KG_OK);
    assert_true(kg_path_is_below("/a/b", "/"));
    assert_false(kg_path_is_below("/ab", "/a"));
    assert_true(kg_path_is_below("/a", "/a"));

    /* NULL policy: no limits at all. */
    assert_int_equal(kg_file_read_all(NULL, inside_file, &data, &len, &e), KG_OK);
    free(data);
    assert_int_equal(kg_path_check_file(NULL, outside_file, NULL, NULL, &e), KG_OK);
    /* An unreadable file is an I/O error with the reason (root reads anyway). */
    if (geteuid() != 0) {
        chmod(inside_file, 0);
        assert_int_equal(kg_file_read_all(&p, inside_file, &data, &len, &e), KG_EIO);
        chmod(inside_file, 0644);
    }
    kg_path_policy_free(&two);
    kg_path_policy_free(&p);
    free(missing);
    free(sub);
    free(link);
    free(inside_file);
    free(outside_file);
    tu_rmrf(root);
    tu_rmrf(outside);
    free(root);
    free(outside);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_set_and_prefix),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_hash_and_ids),
        cmocka_unit_test(test_redaction_in_logs_and_errors),
        cmocka_unit_test(test_redaction_truncates_safely),
        cmocka_unit_test(test_log_levels_parse),
        cmocka_unit_test(test_path_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
