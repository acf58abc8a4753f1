/* oie_out: Open IE triples as text, CaRB's tab-separated lines and JSON.
 *
 * A part's text is its words as written in the sentence (not their
 * normalised forms), joined by single spaces, after any word the sentence
 * lacks ("is"); its spans are the byte ranges of runs of adjacent words,
 * offsets into the same text the words index.
 *
 * TSV (CaRB's "tabbed" format): sentence TAB confidence TAB relation TAB
 * arg1 TAB arg2 [TAB arg3...].  Tabs and line breaks inside the sentence
 * become spaces.
 *
 * JSON, per triple: {"relation": {"text", "spans": [[start, end]...],
 * "normalised"}, "args": [{"text", "spans"}...], "confidence", "kind"}. */
#ifndef KG_NLP_OIE_OUT_H
#define KG_NLP_OIE_OUT_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"
#include "nlp/openie.h"
#include "syntax/words.h"

/* Append part p's text to out. */
void kg_oie_part_text(const char *text, const kg_words *s, const kg_oie *o, const kg_oie_part *p,
                      kg_buf *out);

/* One TSV line (with its newline) for triple x of the sentence
 * text[start, end). */
void kg_oie_tsv(const char *text, size_t start, size_t end, const kg_words *s, const kg_oie *o,
                const kg_triple *x, kg_buf *out);

/* The JSON object of triple x (new reference). */
json_t *kg_oie_json(const char *text, const kg_words *s, const kg_oie *o, const kg_triple *x);

/* "verb", "copula", ... */
const char *kg_oie_kind_name(int kind);

#endif
