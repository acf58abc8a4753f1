/* load_pdf: page text of a PDF through poppler-glib.
 *
 * Each page's text is normalised on its own (with dehyphenation, since PDF
 * text is typeset) and pushed with its page number; pages are joined by a
 * "\n\n" at the start of the next non-empty page's segment so page spans stay
 * exact.  The file is read through the path policy and handed to poppler as
 * bytes, so poppler never opens a path itself.
 *
 * poppler-glib is opened at the first PDF (text/pdf_lib.h) and called
 * through the kg_pdf table; that load also silences poppler's GLib logging.
 * Every call uses its own PopplerDocument, which is poppler's documented way
 * to use it from several threads. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "text/load_internal.h"
#include "text/normalize.h"
#include "text/pdf_lib.h"

/* Metadata titles are often junk: "Microsoft Word - report.doc", file names,
 * "untitled".  Returns a normalised copy when it looks like a real title. */
static char *sensible_title(const char *raw)
{
    if (!raw)
        return NULL;
    size_t n;
    char *t = kg_normalize(raw, strlen(raw), KG_NORM_UNWRAP, &n, NULL);
    int letters = 0, spaces = 0, underscores = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        letters += isalpha(c) || c >= 0x80;
        spaces += c == ' ';
        underscores += c == '_';
    }
    static const char *const bad_prefix[] = {"Microsoft Word", "Microsoft PowerPoint", "untitled",
                                             "Untitled", NULL};
    static const char *const bad_suffix[] = {".doc", ".docx", ".pdf", ".dvi", ".tex",
                                             ".ps",  ".rtf",  ".odt", NULL};
    int ok = n >= 4 && n <= 400 && letters >= 3 && !(underscores && !spaces) &&
             memchr(t, 0xEF, n) == NULL; /* U+FFFD: undecodable */
    for (int i = 0; ok && bad_prefix[i]; i++)
        if (strncmp(t, bad_prefix[i], strlen(bad_prefix[i])) == 0)
            ok = 0;
    for (int i = 0; ok && bad_suffix[i]; i++) {
        size_t k = strlen(bad_suffix[i]);
        if (n > k && strcasecmp(t + n - k, bad_suffix[i]) == 0)
            ok = 0;
    }
    if (!ok) {
        free(t);
        return NULL;
    }
    return t;
}

/* The first line of page 1, when it is short enough to be a heading. */
static char *first_line_title(const char *s, size_t len)
{
    const char *nl = memchr(s, '\n', len);
    size_t n = nl ? (size_t)(nl - s) : len;
    if (n < 4 || n > 200)
        return NULL;
    char *line = kg_xstrndup(s, n);
    char *t = sensible_title(line);
    free(line);
    return t;
}

int kg_load_pdf(const kg_path_policy *policy, const char *path, const kg_load_sink *sink,
                kg_load_info *info, kg_err *err)
{
    /* Before reading the file: without poppler there is nothing to do. */
    int rc = kg_pdf_lib_load(err);
    if (rc) {
        kg_err_prefix(err, "%s", path);
        return rc;
    }
    char *data = NULL;
    size_t len = 0;
    rc = kg_file_read_all(policy, path, &data, &len, err);
    if (rc)
        return rc;
    info->bytes = len;
    GBytes *bytes = kg_pdf->bytes_new_with_free_func(data, len, free, data);
    GError *ge = NULL;
    PopplerDocument *doc = kg_pdf->document_new_from_bytes(bytes, NULL, &ge);
    kg_pdf->bytes_unref(bytes);
    if (!doc) {
        if (ge && ge->domain == kg_pdf->error_quark() && ge->code == POPPLER_ERROR_ENCRYPTED)
            rc = kg_err_set(err, KG_EFORMAT, "%s: encrypted, needs a password", path);
        else
            rc = kg_err_set(err, KG_EFORMAT, "%s: damaged or not a PDF (poppler: %s)", path,
                            ge && ge->message ? ge->message : "unknown error");
        if (ge)
            kg_pdf->error_free(ge);
        return rc;
    }
    int pages = kg_pdf->document_get_n_pages(doc);
    info->pages = pages > 0 ? pages : 0;
    size_t total_chars = 0, controls = 0, text_bytes = 0;
    char *line_title = NULL;
    kg_buf seg = KG_BUF_INIT;
    for (int p = 0; p < pages && !rc; p++) {
        PopplerPage *page = kg_pdf->document_get_page(doc, p);
        if (!page)
            continue;
        char *raw = kg_pdf->page_get_text(page);
        kg_pdf->object_unref(page);
        if (!raw)
            continue;
        kg_norm_stats st;
        size_t n;
        char *t = kg_normalize(raw, strlen(raw), KG_NORM_DEHYPHENATE, &n, &st);
        kg_pdf->gfree(raw);
        info->invalid_bytes += st.invalid_bytes;
        total_chars += st.chars;
        controls += st.control_chars;
        if (n) {
            if (!line_title && text_bytes == 0)
                line_title = first_line_title(t, n);
            kg_buf_truncate(&seg, 0);
            if (text_bytes)
                kg_buf_puts(&seg, "\n\n");
            kg_buf_append(&seg, t, n);
            text_bytes += n;
            rc = kg_load_push(sink, p + 1, seg.data, seg.len, path, err);
        }
        free(t);
    }
    kg_buf_free(&seg);
    if (!rc) {
        char *meta = kg_pdf->document_get_title(doc);
        info->title = sensible_title(meta);
        kg_pdf->gfree(meta);
        if (!info->title) {
            info->title = line_title;
            line_title = NULL;
        }
        if (pages <= 0)
            info->warning = kg_xstrdup("no pages");
        else if (text_bytes == 0)
            info->warning = kg_xstrdup("no text layer (scanned?)");
        else if (controls * 5 > total_chars)
            info->warning = kg_xstrdup(
                "text is mostly undecodable glyph codes (fonts without a Unicode map); "
                "extracted text is unreliable");
    }
    free(line_title);
    kg_pdf->object_unref(doc);
    return rc;
}
