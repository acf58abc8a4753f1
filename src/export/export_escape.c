/* export_escape: see export_escape.h. */
#include "export/export_escape.h"

#include <stdio.h>
#include <string.h>

void kg_export_csv(kg_buf *b, const char *s)
{
    size_t n = strlen(s);
    int quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    if (!quote && strpbrk(s, ",\"\r\n"))
        quote = 1;
    if (!quote) {
        kg_buf_append(b, s, n);
        return;
    }
    kg_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            kg_buf_putc(b, '"');
        kg_buf_putc(b, *p);
    }
    kg_buf_putc(b, '"');
}

void kg_export_xml(kg_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': kg_buf_puts(b, "&amp;"); break;
        case '<': kg_buf_puts(b, "&lt;"); break;
        case '>': kg_buf_puts(b, "&gt;"); break;
        case '"': kg_buf_puts(b, "&quot;"); break;
        case '\'': kg_buf_puts(b, "&apos;"); break;
        default:
            if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
                kg_buf_putc(b, (char)*p);
        }
    }
}

void kg_export_json(kg_buf *b, const char *s)
{
    kg_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': kg_buf_puts(b, "\\\""); break;
        case '\\': kg_buf_puts(b, "\\\\"); break;
        case '\n': kg_buf_puts(b, "\\n"); break;
        case '\r': kg_buf_puts(b, "\\r"); break;
        case '\t': kg_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20)
                kg_buf_printf(b, "\\u%04x", *p);
            else
                kg_buf_putc(b, (char)*p);
        }
    }
    kg_buf_putc(b, '"');
}

static int latex_char(kg_buf *b, char c)
{
    switch (c) {
    case '\\': kg_buf_puts(b, "\\textbackslash{}"); return 1;
    case '~': kg_buf_puts(b, "\\textasciitilde{}"); return 1;
    case '^': kg_buf_puts(b, "\\textasciicircum{}"); return 1;
    case '&':
    case '%':
    case '$':
    case '#':
    case '_':
    case '{':
    case '}':
        kg_buf_putc(b, '\\');
        kg_buf_putc(b, c);
        return 1;
    case '<': kg_buf_puts(b, "\\textless{}"); return 1;
    case '>': kg_buf_puts(b, "\\textgreater{}"); return 1;
    default: return 0;
    }
}

void kg_export_latex(kg_buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (latex_char(b, *p))
            continue;
        kg_buf_putc(b, (*p == '\n' || *p == '\r') ? ' ' : *p);
    }
}

void kg_export_bibtex(kg_buf *b, const char *s)
{
    int space = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = 1;
            continue;
        }
        if (space && b->len && b->data[b->len - 1] != '{')
            kg_buf_putc(b, ' ');
        space = 0;
        /* BibTeX also reads " and @ specially in some styles; in braces
         * only the brace balance matters, which latex_char keeps. */
        if (!latex_char(b, *p))
            kg_buf_putc(b, *p);
    }
}

void kg_export_markdown(kg_buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            kg_buf_putc(b, ' ');
            continue;
        }
        if (strchr("\\`*_{}[]<>#|~", *p))
            kg_buf_putc(b, '\\');
        kg_buf_putc(b, *p);
    }
}
