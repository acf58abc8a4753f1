/* jsonfix: a tolerant reader for JSON written by language models.
 *
 * Models asked for JSON often wrap it in a Markdown code fence, put a
 * sentence in front ("Here is the JSON:"), or leave a trailing comma before
 * a closing bracket.  kg_jsonfix_parse repairs exactly those and nothing
 * else: it never invents content, so output that was cut short stays an
 * error (KG_EFORMAT) and the caller can ask again.
 * The returned json_t belongs to the caller (json_decref). */
#ifndef KG_NET_JSONFIX_H
#define KG_NET_JSONFIX_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"

json_t *kg_jsonfix_parse(const char *text, size_t len, kg_err *err);

#endif
