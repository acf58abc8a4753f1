/* chunk_read: a stored chunk for the tools that take a chunk_id
 * (extract_entities, extract_entities_llm): its text, its document and
 * where in the document it starts, so that spans the tools report are
 * document offsets, as the graph's evidence is.
 *
 * Memory: *text is allocated here; the caller frees it. */
#ifndef KG_TOOLS_CHUNK_READ_H
#define KG_TOOLS_CHUNK_READ_H

#include <stddef.h>

#include "base/hash.h"
#include "tools/registry.h"

/* KG_ENOTFOUND naming the argument when there is no such chunk (or no
 * database yet). */
int kg_tool_read_chunk(const kg_tool_ctx *ctx, const char *id, char **text, size_t *len,
                       char doc[KG_ID_MAX], long long *start, kg_err *err);

#endif
