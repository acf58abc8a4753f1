/* resources: documents and entities as MCP resources.
 *
 *   kgas://document/{id}   the document's text (rebuilt from its chunks by
 *                          their byte spans) with a metadata header
 *   kgas://entity/{id}     the entity as JSON, the shape get_entity_details
 *                          returns: name, type, rank, aliases, up to 50
 *                          mentions with their source spans, relations
 *
 * Listing is paginated with an opaque cursor (documents first, then
 * entities, in id order).  These functions read the store and so run on a
 * worker thread, never on the loop.
 *
 * Memory: *result is a new JSON object the caller owns. */
#ifndef KG_TOOLS_RESOURCES_H
#define KG_TOOLS_RESOURCES_H

#include <jansson.h>

#include "base/err.h"
#include "tools/registry.h"

#define KG_RESOURCES_PAGE 50

/* {resources: [...], nextCursor?}.  A bad cursor is KG_EINVAL. */
int kg_resources_list(const kg_tool_ctx *ctx, const char *cursor, json_t **result, kg_err *err);
/* {contents: [{uri, mimeType, text}]}.  Unknown uri: KG_ENOTFOUND. */
int kg_resources_read(const kg_tool_ctx *ctx, const char *uri, json_t **result, kg_err *err);
/* {resourceTemplates: [...]} */
json_t *kg_resources_templates(void);

#endif
