/* export_escape: quoting of text for the export formats.
 *
 * Each function appends the escaped form of a NUL-terminated UTF-8 string
 * to a caller-owned kg_buf; nothing is allocated otherwise.  Bytes >= 0x80
 * pass through (every format here is UTF-8). */
#ifndef KG_EXPORT_EXPORT_ESCAPE_H
#define KG_EXPORT_EXPORT_ESCAPE_H

#include "base/buf.h"

/* RFC 4180: quoted (with "" for ") when the field holds a comma, quote,
 * CR, LF or leading/trailing space; as is otherwise. */
void kg_export_csv(kg_buf *b, const char *s);
/* XML 1.0 character data and attribute values: & < > " ' as entities;
 * control characters XML cannot carry (all below 0x20 except tab, LF, CR)
 * are dropped. */
void kg_export_xml(kg_buf *b, const char *s);
/* A JSON string literal, quotes included; also a valid Cypher string. */
void kg_export_json(kg_buf *b, const char *s);
/* LaTeX text mode: the ten special characters as commands; newlines as
 * spaces. */
void kg_export_latex(kg_buf *b, const char *s);
/* A BibTeX field body inside braces: LaTeX-escaped (so braces always
 * balance) with runs of whitespace collapsed to one space. */
void kg_export_bibtex(kg_buf *b, const char *s);
/* Markdown inline text (a table cell too): \ ` * _ { } [ ] < > # | ~ are
 * backslash-escaped; newlines become spaces. */
void kg_export_markdown(kg_buf *b, const char *s);

#endif
