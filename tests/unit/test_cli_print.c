/* The command line's text helpers (cli/cli_common): a snippet printed on
 * one line (whitespace runs as one space, cut at a word, never inside a
 * UTF-8 character) and a name padded to terminal columns, not bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_common.h"

/* A stream that keeps what is printed to it: capture_start, print, then
 * capture_is checks the text and frees it. */
typedef struct capture {
    FILE *f;
    char *buf;
    size_t len;
} capture;

static FILE *capture_start(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    return c->f;
}

static void capture_is(capture *c, const char *want)
{
    fclose(c->f);
    assert_string_equal(c->buf, want);
    free(c->buf);
}

static void expect_line(const char *s, size_t max, const char *want)
{
    capture c;
    kg_cli_print_oneline(capture_start(&c), s, max);
    capture_is(&c, want);
}

static void test_oneline(void **st)
{
    (void)st;
    expect_line("# Title\n\n## Origins\r\nDr.\tKeller  works ", 0,
                "# Title ## Origins Dr. Keller works");
    expect_line("  \n ", 0, "");
    expect_line(NULL, 0, "");
    expect_line("short text", 100, "short text");
    /* cut at the last space before max bytes */
    expect_line("alpha beta gamma delta", 12, "alpha beta...");
    expect_line("alpha beta gamma delta", 10, "alpha beta...");
    expect_line("alpha beta gamma delta", 9, "alpha...");
    /* no space before max: cut before the character that max falls in,
     * never inside it ("é" is two bytes, the cut at byte 5 is inside the
     * third) */
    expect_line("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5, "\xc3\xa9\xc3\xa9...");
    expect_line("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 4, "\xc3\xa9\xc3\xa9...");
}

static void padded(const char *s, int width, const char *want)
{
    capture c;
    kg_cli_print_padded(capture_start(&c), s, width);
    capture_is(&c, want);
}

static void test_padded(void **st)
{
    (void)st;
    padded("Zoe", 6, "Zoe   ");
    /* "Zoë" is four bytes and three columns: three spaces, as for "Zoe" */
    padded("Zo\xc3\xab", 6, "Zo\xc3\xab   ");
    /* an en dash is three bytes, one column */
    padded("a\xe2\x80\x93"
           "b",
           5,
           "a\xe2\x80\x93"
           "b  ");
    /* a wide character takes two columns */
    padded("\xe4\xba\xac", 4, "\xe4\xba\xac  ");
    padded("longer than width", 4, "longer than width");
    padded(NULL, 2, "  ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oneline),
        cmocka_unit_test(test_padded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
