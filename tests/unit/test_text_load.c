/* Unit tests for text/load: formats, titles, errors, and the real PDFs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "text/load.h"
#include "testutil.h"

typedef struct doc {
    kg_buf text;
    kg_buf sections; /* "title@offset;" */
    int last_page;
    int pages_ok; /* pages never go backwards */
    int calls;
    int stop_after; /* >0: cancel on that call */
} doc;

static int on_text(void *ud, int page, const char *s, size_t len)
{
    doc *d = ud;
    if (page < d->last_page)
        d->pages_ok = 0;
    d->last_page = page;
    kg_buf_append(&d->text, s, len);
    d->calls++;
    return d->stop_after && d->calls >= d->stop_after;
}

static int on_section(void *ud, const char *title)
{
    doc *d = ud;
    kg_buf_printf(&d->sections, "%s@%zu;", title, d->text.len);
    return 0;
}

static int load(const char *path, doc *d, kg_load_info *info, kg_err *err)
{
    memset(d, 0, sizeof *d);
    d->pages_ok = 1;
    kg_load_sink sink = {on_text, on_section, d, NULL};
    kg_path_policy pol;
    kg_path_policy_init(&pol);
    int rc = kg_load_file(&pol, path, KG_KIND_UNKNOWN, &sink, info, err);
    kg_path_policy_free(&pol);
    return rc;
}

static void doc_free(doc *d)
{
    kg_buf_free(&d->text);
    kg_buf_free(&d->sections);
}

static char *fixture(const char *name)
{
    const char *src = getenv("TEST_SOURCE_DIR");
    char *dir = tu_join(src ? src : "..", "tests/data/text");
    char *p = tu_join(dir, name);
    free(dir);
    return p;
}

static void test_kinds(void **st)
{
    (void)st;
    assert_int_equal(kg_doc_kind_for_path("a/b.PDF"), KG_KIND_PDF);
    assert_int_equal(kg_doc_kind_for_path("x.markdown"), KG_KIND_MD);
    assert_int_equal(kg_doc_kind_for_path("x.htm"), KG_KIND_HTML);
    assert_int_equal(kg_doc_kind_for_path("x.text"), KG_KIND_TXT);
    assert_int_equal(kg_doc_kind_for_path("x.d/noext"), KG_KIND_UNKNOWN);
    assert_string_equal(kg_doc_kind_name(KG_KIND_MD), "md");
    assert_string_equal(kg_doc_kind_name(KG_KIND_UNKNOWN), "unknown");
}

static void test_txt_bom_crlf_invalid(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *p = tu_join(dir, "notes.txt");
    tu_write(p, "\xEF\xBB\xBFLine one\r\nLine\xff two\r\n\r\n\r\n\r\nEnd\r\n", 35);
    doc d;
    kg_load_info info;
    kg_err err;
    assert_int_equal(load(p, &d, &info, &err), 0);
    assert_string_equal(kg_buf_str(&d.text), "Line one\nLine\xEF\xBF\xBD two\n\nEnd");
    assert_int_equal(info.invalid_bytes, 1);
    assert_int_equal(info.pages, 1);
    assert_int_equal(info.bytes, 35);
    assert_string_equal(info.title, "notes.txt");
    kg_load_info_free(&info);
    doc_free(&d);
    /* unknown kind, missing file */
    char *q = tu_join(dir, "x.doc");
    tu_write_str(q, "x");
    assert_int_equal(load(q, &d, &info, &err), KG_EFORMAT);
    assert_non_null(strstr(err.msg, "unknown document type"));
    doc_free(&d);
    free(q);
    q = tu_join(dir, "missing.txt");
    assert_true(load(q, &d, &info, &err) < 0);
    assert_true(strlen(err.msg) > 0);
    doc_free(&d);
    free(q);
    tu_rmrf(dir);
    free(p);
    free(dir);
}

/* A first line that is short, followed by a blank line and more text, and
 * not a sentence, is the document's title; anything else leaves the file
 * name.  The title line stays in the text. */
static void test_txt_title_line(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    static const struct {
        const char *text, *title;
    } cases[] = {
        {"Journal of Mathematical Physics\n\nThe Journal is a journal.\n",
         "Journal of Mathematical Physics"},
        {"\xEF\xBB\xBF\r\n  Lilu (mythology)  \r\n\r\nA demon.\r\n", "Lilu (mythology)"},
        {"Who Framed Roger Rabbit?\n\nA film.\n", "Who Framed Roger Rabbit?"},
        {"This is a sentence.\n\nAnother one.\n", "t.txt"},
        {"Title line\nbody right below it\n", "t.txt"},
        {"Only a title\n\n\n", "t.txt"},
        {"12345\n\nnumbers have no letter\n", "t.txt"},
        {"A line far too long to be the title of anything: it goes on and on and on, and on "
         "again, well past one hundred and twenty bytes\n\nBody.\n",
         "t.txt"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = tu_join(dir, "t.txt");
        tu_write(p, cases[i].text, strlen(cases[i].text));
        doc d;
        kg_load_info info;
        kg_err err;
        assert_int_equal(load(p, &d, &info, &err), 0);
        assert_string_equal(info.title, cases[i].title);
        if (strcmp(cases[i].title, "t.txt") != 0)
            assert_non_null(strstr(kg_buf_str(&d.text), cases[i].title));
        kg_load_info_free(&info);
        doc_free(&d);
        free(p);
    }
    tu_rmrf(dir);
    free(dir);
}

/* A multi-MB file streamed in blocks equals normalising it whole, and a
 * CRLF split across the 1 MiB block edge is one line break. */
static void test_txt_streamed_blocks(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *p = tu_join(dir, "big.txt");
    size_t n = 3u << 20;
    char *raw = malloc(n);
    for (size_t i = 0; i < n; i++)
        raw[i] = "abc def.\r\n\xC3\xA9"[i % 12];
    raw[(1u << 20) - 1] = '\r';
    raw[1u << 20] = '\n';
    tu_write(p, raw, n);
    doc d;
    kg_load_info info;
    kg_err err;
    assert_int_equal(load(p, &d, &info, &err), 0);
    assert_true(d.calls >= 3);
    assert_null(strstr(kg_buf_str(&d.text), "\n\n"));
    assert_null(strchr(kg_buf_str(&d.text), '\r'));
    assert_int_equal(info.invalid_bytes, 0);
    kg_load_info_free(&info);
    doc_free(&d);
    free(raw);
    tu_rmrf(dir);
    free(p);
    free(dir);
}

/* A Project Gutenberg eBook's end: the plain-text loader announces the
 * licence section right where the END marker line begins, once, in any of
 * the marker's spellings, and wherever the marker falls against the 1 MiB
 * read blocks; a text without the marker has no section. */
static void pg_case(const char *dir, size_t pad, const char *marker, int want_section)
{
    char *p = tu_join(dir, "book.txt");
    kg_buf raw = KG_BUF_INIT;
    kg_buf_puts(&raw, "The Project Gutenberg eBook of A Tale\n\nLicence note.\n"
                      "*** START OF THE PROJECT GUTENBERG EBOOK A TALE ***\n\n");
    while (raw.len < pad) /* lines of words, never blank */
        kg_buf_puts(&raw, "Marley was dead to begin with.\n");
    kg_buf_puts(&raw, marker);
    kg_buf_puts(&raw, "\n\nThe Foundation is in Mississippi.\n");
    kg_buf_puts(&raw, marker); /* a second marker is licence text, no new section */
    kg_buf_puts(&raw, "\n");
    tu_write(p, raw.data, raw.len);
    doc d;
    kg_load_info info;
    kg_err err;
    assert_int_equal(load(p, &d, &info, &err), 0);
    const char *t = kg_buf_str(&d.text);
    const char *secs = kg_buf_str(&d.sections);
    if (!want_section) {
        assert_string_equal(secs, "");
    } else {
        /* One section, at the marker's line: at most blanks between. */
        const char *m = marker;
        while (*m == ' ')
            m++;
        const char *at = strstr(t, m);
        assert_non_null(at);
        size_t n = strlen(KG_LOAD_LICENCE_SECTION), off = 0;
        assert_memory_equal(secs, KG_LOAD_LICENCE_SECTION "@", n + 1);
        assert_int_equal(sscanf(secs + n + 1, "%zu", &off), 1);
        assert_string_equal(strchr(secs, ';'), ";");
        assert_true(off <= (size_t)(at - t) && (size_t)(at - t) - off <= 2);
        for (size_t k = off; k < (size_t)(at - t); k++)
            assert_true(t[k] == ' ' || t[k] == '\n');
    }
    assert_non_null(strstr(t, "The Foundation is in Mississippi.")); /* nothing dropped */
    assert_true(kg_load_licence_section(KG_LOAD_LICENCE_SECTION));
    assert_false(kg_load_licence_section("References"));
    kg_load_info_free(&info);
    doc_free(&d);
    kg_buf_free(&raw);
    free(p);
}

static void test_txt_gutenberg_licence(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    pg_case(dir, 0, "*** END OF THE PROJECT GUTENBERG EBOOK A TALE ***", 1);
    pg_case(dir, 0, "***END OF THIS PROJECT GUTENBERG EBOOK A TALE***", 1);
    pg_case(dir, 0, "  *** end of the project gutenberg ebook a tale ***", 1);
    /* the marker across the first 1 MiB read block's end, and after it */
    for (size_t pad = (1u << 20) - 40; pad < (1u << 20) + 8; pad += 16)
        pg_case(dir, pad, "*** END OF THE PROJECT GUTENBERG EBOOK A TALE ***", 1);
    /* not a marker: no section */
    pg_case(dir, 0, "The END OF THE PROJECT GUTENBERG EBOOK A TALE", 0);
    pg_case(dir, 0, "*** The end of the tale ***", 0);
    tu_rmrf(dir);
    free(dir);
}

/* The read block is sized to the file (4 KiB at least, 1 MiB at most): a
 * Markdown file of any size around those edges gives its whole text and
 * both headings, the last one right at the end of the file. */
static void test_md_block_sizes(void **st)
{
    (void)st;
    static const size_t sizes[] = {40,   4095,           4096,     4097,
                                   8193, (1u << 20) - 1, 1u << 20, (1u << 20) + 1};
    char *dir = tu_tmpdir();
    char *p = tu_join(dir, "sized.md");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        const char *head = "# Head A\n\n", *tail = "\n\n# Head B\n";
        size_t n = sizes[k], nh = strlen(head), nt = strlen(tail);
        char *raw = malloc(n);
        memcpy(raw, head, nh);
        for (size_t i = nh; i < n - nt; i++) /* lines of words, never blank */
            raw[i] = (i % 60 == 59) ? '\n' : "word "[i % 5];
        memcpy(raw + n - nt, tail, nt);
        tu_write(p, raw, n);
        doc d;
        kg_load_info info;
        kg_err err;
        assert_int_equal(load(p, &d, &info, &err), 0);
        const char *t = kg_buf_str(&d.text);
        size_t len = strlen(t);
        assert_true(len > 9 && strcmp(t + len - 8, "# Head B") == 0);
        char want[64];
        snprintf(want, sizeof want, "Head A@0;Head B@%zu;", len - 8);
        assert_string_equal(kg_buf_str(&d.sections), want);
        assert_int_equal(info.bytes, n);
        kg_load_info_free(&info);
        doc_free(&d);
        free(raw);
    }
    tu_rmrf(dir);
    free(p);
    free(dir);
}

static void test_md_sections(void **st)
{
    (void)st;
    char *p = fixture("sections.md");
    doc d;
    kg_load_info info;
    kg_err err;
    assert_int_equal(load(p, &d, &info, &err), 0);
    const char *t = kg_buf_str(&d.text);
    assert_string_equal(t, "# Intro Title\n\nSome text here.\n\n```\n# not a heading\n```\n\n"
                           "## Methods ##\n\nWe did things.");
    size_t m = (size_t)(strstr(t, "## Methods") - t);
    char want[128];
    snprintf(want, sizeof want, "Intro Title@0;Methods@%zu;", m);
    assert_string_equal(kg_buf_str(&d.sections), want);
    assert_string_equal(info.title, "Intro Title");
    kg_load_info_free(&info);
    doc_free(&d);
    free(p);
}

static void test_html(void **st)
{
    (void)st;
    char *p = fixture("page.html");
    doc d;
    kg_load_info info;
    kg_err err;
    assert_int_equal(load(p, &d, &info, &err), 0);
    const char *t = kg_buf_str(&d.text);
    assert_string_equal(t, "Head\n\nFish & chips <3 \xC3\xA9t\xC3\xA9 \"q\" caf\xC3\xA9 ok\n\n"
                           "Line\ntwo\n\na\nb");
    assert_null(strstr(t, "color"));
    assert_null(strstr(t, "var x"));
    assert_null(strstr(t, "hidden"));
    assert_string_equal(info.title, "My & Page");
    kg_load_info_free(&info);
    doc_free(&d);
    free(p);
}

static void test_cancel(void **st)
{
    (void)st;
    char *p = fixture("page.html");
    doc d;
    memset(&d, 0, sizeof d);
    d.stop_after = 1;
    kg_load_sink sink = {on_text, NULL, &d, NULL};
    kg_load_info info;
    kg_err err;
    assert_int_equal(kg_load_file(NULL, p, KG_KIND_HTML, &sink, &info, &err), KG_ECANCELED);
    kg_load_info_free(&info);
    doc_free(&d);
    free(p);
}

static int pdfinfo_pages(const char *path)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", path);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    char line[512];
    int pages = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Pages:", 6) == 0)
            pages = atoi(line + 6);
    pclose(f);
    return pages;
}

static void test_pdf_papers(void **st)
{
    (void)st;
    char *dir = tu_shared("pdf/papers");
    if (!dir)
        return;
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    struct dirent *de;
    int seen = 0;
    while ((de = readdir(dh))) {
        if (!strstr(de->d_name, ".pdf"))
            continue;
        char *p = tu_join(dir, de->d_name);
        doc d;
        kg_load_info info;
        kg_err err;
        int rc = load(p, &d, &info, &err);
        if (rc)
            fail_msg("%s: %s", p, err.msg);
        int want = pdfinfo_pages(p);
        if (want >= 0)
            assert_int_equal(info.pages, want);
        assert_true(d.pages_ok);
        assert_true(d.last_page <= info.pages);
        assert_non_null(info.title);
        assert_true(strlen(info.title) > 0);
        if (!info.warning)
            assert_true(d.text.len > 1000);
        if (strcmp(de->d_name, "tracemonkey.pdf") == 0)
            assert_non_null(strstr(kg_buf_str(&d.text), "Trace"));
        if (strcmp(de->d_name, "Wang-paperAVE2008.pdf") == 0)
            assert_null(strstr(info.title, "Microsoft Word"));
        if (strcmp(de->d_name, "TAMReview.pdf") == 0)
            assert_non_null(info.warning && strstr(info.warning, "glyph") ? "" : NULL);
        if (strcmp(de->d_name, "0807.3577.pdf") == 0)
            assert_string_equal(info.title, "Apparent and average accelerations of the Universe");
        seen++;
        kg_load_info_free(&info);
        doc_free(&d);
        free(p);
    }
    closedir(dh);
    assert_true(seen >= 5);
    free(dir);
}

static void test_pdf_odd(void **st)
{
    (void)st;
    char *dir = tu_shared("pdf/odd");
    if (!dir)
        return;
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.')
            continue;
        char *p = tu_join(dir, de->d_name);
        doc d;
        kg_load_info info;
        kg_err err;
        err.msg[0] = '\0';
        int rc = load(p, &d, &info, &err);
        if (rc)
            assert_true(strlen(err.msg) > 0);
        if (!strcmp(de->d_name, "pr6531_1.pdf") || !strcmp(de->d_name, "issue6010_1.pdf") ||
            !strcmp(de->d_name, "saslprep-r6.pdf")) {
            assert_true(rc < 0);
            assert_non_null(strstr(err.msg, "password"));
        }
        kg_load_info_free(&info);
        doc_free(&d);
        free(p);
    }
    closedir(dh);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_txt_bom_crlf_invalid),
        cmocka_unit_test(test_txt_title_line),
        cmocka_unit_test(test_txt_streamed_blocks),
        cmocka_unit_test(test_txt_gutenberg_licence),
        cmocka_unit_test(test_md_block_sizes),
        cmocka_unit_test(test_md_sections),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_pdf_papers),
        cmocka_unit_test(test_pdf_odd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
