/* load_html: the visible text of an HTML page.
 *
 * Not a full HTML5 parser -- we only need what a reader would see, in
 * order, with block structure kept as paragraph breaks so the sentence
 * splitter and chunker see paragraphs.  Script, style, head and template
 * content is dropped, <title> becomes the document title, entities are
 * decoded, source line breaks are just spaces (except inside <pre>).  The
 * raw text then goes through kg_normalize like any other format.  Pages are
 * small enough (the policy's size limit) to read whole. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "text/load_internal.h"
#include "text/normalize.h"

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
    {"nbsp", ' '},     {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026}, {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"laquo", 0xAB},    {"raquo", 0xBB},
    {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122}, {"deg", 0xB0},      {"middot", 0xB7},
    {"times", 0xD7},   {"eacute", 0xE9},  {"egrave", 0xE8},  {"aacute", 0xE1},   {"uuml", 0xFC},
    {"ouml", 0xF6},    {"auml", 0xE4},    {"szlig", 0xDF},   {"shy", 0xAD},      {"euro", 0x20AC},
    {"pound", 0xA3},   {"sect", 0xA7},
};

/* Decode the entity at s[i] == '&'; returns bytes consumed (0: not one). */
static size_t entity(const char *s, size_t len, size_t i, kg_buf *b)
{
    size_t j = i + 1;
    if (j < len && s[j] == '#') {
        j++;
        int hex = j < len && (s[j] == 'x' || s[j] == 'X');
        if (hex)
            j++;
        uint32_t v = 0;
        size_t d0 = j;
        while (j < len && j - d0 < 8) {
            char c = s[j];
            int dv = c >= '0' && c <= '9'                            ? c - '0'
                     : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                                     : -1;
            if (dv < 0)
                break;
            v = v * (hex ? 16u : 10u) + (uint32_t)dv;
            j++;
        }
        if (j == d0)
            return 0;
        if (j < len && s[j] == ';')
            j++;
        kg_utf8_put(b, v);
        return j - i;
    }
    size_t n0 = j;
    while (j < len && j - n0 < 10 && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
        j++;
    if (j >= len || s[j] != ';')
        return 0;
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++)
        if (strlen(entities[k].name) == j - n0 && memcmp(entities[k].name, s + n0, j - n0) == 0) {
            if (entities[k].cp != 0xAD)
                kg_utf8_put(b, entities[k].cp);
            return j + 1 - i;
        }
    return 0;
}

static int name_is(const char *name, size_t n, const char *const *set)
{
    for (; *set; set++)
        if (strlen(*set) == n && strncasecmp(*set, name, n) == 0)
            return 1;
    return 0;
}

static const char *const para_tags[] = {
    "p",        "div",     "h1",     "h2",     "h3",      "h4",     "h5",         "h6",
    "section",  "article", "header", "footer", "nav",     "aside",  "main",       "blockquote",
    "pre",      "table",   "ul",     "ol",     "dl",      "figure", "figcaption", "form",
    "fieldset", "address", "hr",     "body",   "caption", NULL};
static const char *const line_tags[] = {"br", "li", "tr", "dt", "dd", "option", NULL};
static const char *const cell_tags[] = {"td", "th", NULL};
static const char *const raw_tags[] = {"script", "style",  "template", "noscript", "svg",
                                       "iframe", "object", "textarea", NULL};

/* Index of the '>' closing the tag that starts at s[i] == '<', quotes respected. */
static size_t tag_end(const char *s, size_t len, size_t i)
{
    char q = 0;
    for (size_t j = i + 1; j < len; j++) {
        if (q) {
            if (s[j] == q)
                q = 0;
        } else if (s[j] == '"' || s[j] == '\'') {
            q = s[j];
        } else if (s[j] == '>') {
            return j;
        }
    }
    return len;
}

/* Position after "</name ...>" searching from i, or len; *at gets where the
 * closing tag starts (len when there is none). */
static size_t skip_to_close(const char *s, size_t len, size_t i, const char *name, size_t n,
                            size_t *at)
{
    for (size_t j = i; j + 2 + n <= len; j++)
        if (s[j] == '<' && s[j + 1] == '/' && strncasecmp(s + j + 2, name, n) == 0) {
            size_t e = tag_end(s, len, j);
            if (at)
                *at = j;
            return e < len ? e + 1 : len;
        }
    if (at)
        *at = len;
    return len;
}

static void html_text(const char *s, size_t len, kg_buf *out, char **title)
{
    int in_head = 0, in_pre = 0;
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '<') {
            if (i + 3 < len && memcmp(s + i, "<!--", 4) == 0) {
                const char *e = NULL;
                for (size_t j = i + 4; j + 3 <= len; j++)
                    if (memcmp(s + j, "-->", 3) == 0) {
                        e = s + j;
                        break;
                    }
                i = e ? (size_t)(e - s) + 3 : len;
                continue;
            }
            size_t j = i + 1;
            int closing = j < len && s[j] == '/';
            if (closing)
                j++;
            size_t n0 = j;
            while (j < len && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
                j++;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            size_t nlen = j - n0;
            if (nlen == 0 && !(i + 1 < len && (s[i + 1] == '!' || s[i + 1] == '?'))) {
                kg_buf_putc(out, '<'); /* a bare "<" in text */
                i++;
                continue;
            }
            size_t e = tag_end(s, len, i);
            size_t after = e < len ? e + 1 : len;
            const char *name = s + n0;
            if (!closing && name_is(name, nlen, raw_tags)) {
                i = skip_to_close(s, len, after, name, nlen, NULL);
                continue;
            }
            if (!closing && nlen == 5 && strncasecmp(name, "title", 5) == 0) {
                size_t tend;
                size_t close = skip_to_close(s, len, after, "title", 5, &tend);
                if (!*title) {
                    kg_buf tb = KG_BUF_INIT;
                    char *ignored = NULL;
                    html_text(s + after, tend > after ? tend - after : 0, &tb, &ignored);
                    free(ignored);
                    size_t tl;
                    char *t = kg_normalize(tb.data ? tb.data : "", tb.len, KG_NORM_UNWRAP, &tl,
                                           NULL);
                    kg_buf_free(&tb);
                    if (tl && !*title)
                        *title = t;
                    else
                        free(t);
                }
                i = close;
                continue;
            }
            if (nlen == 4 && strncasecmp(name, "head", 4) == 0)
                in_head = !closing;
            else if (nlen == 3 && strncasecmp(name, "pre", 3) == 0)
                in_pre = !closing;
            if (name_is(name, nlen, para_tags))
                kg_buf_puts(out, "\n\n");
            else if (!closing && name_is(name, nlen, line_tags))
                kg_buf_putc(out, '\n');
            else if (!closing && name_is(name, nlen, cell_tags))
                kg_buf_putc(out, ' ');
            i = after;
            continue;
        }
        if (in_head) {
            i++;
            continue;
        }
        if (c == '&') {
            size_t k = entity(s, len, i, out);
            if (k) {
                i += k;
                continue;
            }
        }
        if (!in_pre && (c == '\n' || c == '\r' || c == '\t'))
            c = ' ';
        kg_buf_putc(out, c);
        i++;
    }
}

int kg_load_html(const kg_path_policy *policy, const char *path, const kg_load_sink *sink,
                 kg_load_info *info, kg_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = kg_file_read_all(policy, path, &data, &len, err);
    if (rc)
        return rc;
    info->bytes = len;
    info->pages = 1;
    kg_buf raw = KG_BUF_INIT;
    kg_buf_reserve(&raw, len);
    html_text(data, len, &raw, &info->title);
    free(data);
    kg_norm_stats st;
    size_t olen;
    char *text = kg_normalize(raw.data ? raw.data : "", raw.len, 0, &olen, &st);
    kg_buf_free(&raw);
    info->invalid_bytes = st.invalid_bytes;
    rc = kg_load_push(sink, 1, text, olen, path, err);
    free(text);
    return rc;
}
