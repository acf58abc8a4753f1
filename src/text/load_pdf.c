/* load_pdf: a PDF through poppler-glib, read by layout.
 *
 * poppler gives each page's characters, one box per character and the font
 * of each run (pdf/pdf_lib.h); this file turns them into glyphs (with
 * bold, italic, math and typewriter read off the font name) and hands them
 * to a kg_pdf_reader (pdf/pdf_reader.h), which lays the page out, finds
 * its reading order, headings, captions, formulas, footnotes, running
 * headers and bibliography entries, and pushes the text to the sink.
 * Characters without a Unicode mapping (control codes from fonts without a
 * ToUnicode map) are dropped and counted: pages made mostly of them are
 * named in the warning instead of being passed on as text.
 *
 * The file is read through the path policy and handed to poppler as bytes,
 * so poppler never opens a path itself.  poppler-glib is opened at the
 * first PDF and called through the kg_pdf table; that load also silences
 * poppler's GLib logging.  Every call uses its own PopplerDocument, which
 * is poppler's documented way to use it from several threads. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/vec.h"
#include "text/load_internal.h"
#include "text/normalize.h"
#include "pdf/pdf_lib.h"
#include "pdf/pdf_reader.h"

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

/* What the font's name says about its glyphs: "NimbusRomNo9L-Medi" bold,
 * "CMMI10" math italic, "TimesNewRomanPS-BoldItalicMT" both... */
static uint8_t font_flags(const char *name)
{
    if (!name)
        return 0;
    const char *plus = strchr(name, '+');
    if (plus && plus - name == 6)
        name = plus + 1; /* subset prefix "NAJHIC+" */
    static const char *const bold[] = {"Bold",  "bold",  "BOLD", "Medi",        "Semibold", "Demi",
                                       "Black", "Heavy", "CMBX", "CMSSBX",      "CMB1",     "CMB9",
                                       "CMB8",  "CMB7",  "CMB5", "LMRomanDemi", NULL};
    static const char *const italic[] = {"Italic", "Ital", "Oblique", "-It",
                                         "CMTI",   "CMSL", "CMMI",    NULL};
    static const char *const math[] = {"CMMI", "CMSY",     "CMEX",         "MSAM", "MSBM", "Symbol",
                                       "Math", "MT-Extra", "rsfs",         "EUFM", "Eufm", "esint",
                                       "wasy", "stmary",   "LMMathItalic", NULL};
    static const char *const mono[] = {"Courier", "CMTT", "Mono", "Consol", "Typewriter", NULL};
    static const struct {
        const char *const *names;
        uint8_t flag;
    } sets[] = {{bold, KG_GLYPH_BOLD},
                {italic, KG_GLYPH_ITALIC},
                {math, KG_GLYPH_MATH},
                {mono, KG_GLYPH_MONO}};
    uint8_t f = 0;
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
        for (int i = 0; sets[k].names[i]; i++)
            if (strstr(name, sets[k].names[i]))
                f |= sets[k].flag;
    return f;
}

/* One UTF-8 character of s (poppler's text is valid UTF-8; be safe anyway). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    uint32_t c = need == 4 ? s[0] & 0x07u : need == 3 ? s[0] & 0x0Fu : s[0] & 0x1Fu;
    for (size_t k = 1; k < need; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return k;
        }
        c = (c << 6) | (s[k] & 0x3Fu);
    }
    *cp = need == 1 ? 0xFFFD : c;
    return need;
}

typedef struct glyphs {
    kg_glyph *v;
    size_t n, cap;
    size_t chars, controls; /* this page */
} glyphs;

/* The glyphs of page, from its text, character boxes and font runs. */
static void page_glyphs(PopplerPage *page, glyphs *gs)
{
    gs->n = gs->chars = gs->controls = 0;
    char *text = kg_pdf->page_get_text(page);
    if (!text)
        return;
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (!kg_pdf->page_get_text_layout(page, &rects, &nrects))
        rects = NULL, nrects = 0;
    GList *attrs = kg_pdf->page_get_text_attributes(page);
    GList *at = attrs;
    const char *font = NULL;
    uint8_t fflags = 0, space = 0;
    const unsigned char *s = (const unsigned char *)text;
    for (guint i = 0; *s && i < nrects; i++) {
        uint32_t cp;
        s += utf8_next(s, &cp);
        while (at && ((PopplerTextAttributes *)at->data)->end_index < (gint)i)
            at = at->next;
        const PopplerTextAttributes *ta = at ? at->data : NULL;
        if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == 0xA0) {
            space = KG_GLYPH_SPACE;
            continue;
        }
        gs->chars++;
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
            gs->controls++;
            continue;
        }
        if (ta && ta->font_name != font) {
            font = ta->font_name;
            fflags = font_flags(font);
        }
        kg_vec_reserve(gs, 1);
        const PopplerRectangle *r = &rects[i];
        gs->v[gs->n++] = (kg_glyph){cp,
                                    (float)r->x1,
                                    (float)r->y1,
                                    (float)r->x2,
                                    (float)r->y2,
                                    ta ? (float)ta->font_size : (float)(r->y2 - r->y1),
                                    (uint8_t)(fflags | space)};
        space = 0;
    }
    kg_pdf->page_free_text_attributes(attrs);
    kg_pdf->gfree(rects);
    kg_pdf->gfree(text);
}

/* "pages 2-22" of the pages whose text was mostly undecodable. */
static void note_bad_pages(kg_buf *b, const unsigned char *bad, int pages)
{
    int runs = 0;
    for (int p = 0; p < pages; p++) {
        if (!bad[p] || (p > 0 && bad[p - 1]))
            continue;
        int e = p;
        while (e + 1 < pages && bad[e + 1])
            e++;
        if (runs++ < 8) {
            kg_buf_puts(b, runs > 1 ? ", " : "");
            if (e > p)
                kg_buf_printf(b, "%d-%d", p + 1, e + 1);
            else
                kg_buf_printf(b, "%d", p + 1);
        }
    }
}

static char *warning(int pages, uint64_t text_bytes, const unsigned char *bad, int nbad)
{
    if (pages <= 0)
        return kg_xstrdup("no pages");
    if (text_bytes == 0 && nbad == 0)
        return kg_xstrdup("no text layer (scanned?)");
    if (nbad == 0)
        return NULL;
    kg_buf b = KG_BUF_INIT;
    kg_buf_printf(&b, "%s ", nbad > 1 ? "pages" : "page");
    note_bad_pages(&b, bad, pages);
    kg_buf_printf(&b,
                  " of %d: text is mostly undecodable glyph codes (fonts without a "
                  "Unicode map); left out, extracted text is incomplete",
                  pages);
    return kg_buf_steal(&b);
}

static int read_pages(PopplerDocument *doc, int pages, kg_pdf_reader *r, unsigned char *bad,
                      int *nbad, kg_err *err)
{
    glyphs gs = {0};
    int rc = 0;
    for (int p = 0; p < pages && !rc; p++) {
        PopplerPage *page = kg_pdf->document_get_page(doc, p);
        double w = 0, h = 0;
        gs.n = 0;
        if (page) {
            kg_pdf->page_get_size(page, &w, &h);
            page_glyphs(page, &gs);
            kg_pdf->object_unref(page);
        }
        if (gs.chars >= 20 && gs.controls * 2 > gs.chars) {
            bad[p] = 1;
            (*nbad)++;
            gs.n = 0;
        }
        rc = kg_pdf_reader_page(r, gs.v, gs.n, (float)w, (float)h, err);
    }
    free(gs.v);
    if (!rc)
        rc = kg_pdf_reader_finish(r, err);
    return rc;
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
    char *meta = kg_pdf->document_get_title(doc);
    char *author = kg_pdf->document_get_author(doc);
    info->meta_title = meta && *meta ? kg_xstrdup(meta) : NULL;
    info->meta_author = author && *author ? kg_xstrdup(author) : NULL;
    kg_pdf->gfree(author);
    char *hint = sensible_title(meta);
    kg_pdf->gfree(meta);
    kg_pdf_reader *r = kg_pdf_reader_new(sink, path, hint);
    unsigned char *bad = kg_xcalloc((size_t)info->pages + 1, 1);
    int nbad = 0;
    rc = read_pages(doc, info->pages, r, bad, &nbad, err);
    if (!rc) {
        const char *t = kg_pdf_reader_title(r);
        info->title = t ? sensible_title(t) : NULL;
        if (!info->title) {
            info->title = hint;
            hint = NULL;
        }
        info->warning = warning(pages, kg_pdf_reader_bytes(r), bad, nbad);
    }
    free(bad);
    free(hint);
    kg_pdf_reader_free(r);
    kg_pdf->object_unref(doc);
    return rc;
}
