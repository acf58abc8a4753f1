/* export_tool: what the two export tools (export_graph_table,
 * export_multi_format) share: turning their arguments into an export, to
 * files under the context's path policy or inline, and the formats each
 * offers (export/export_list.h's group column).  The result is a new JSON
 * object owned by the caller. */
#ifndef KG_TOOLS_EXPORT_TOOL_H
#define KG_TOOLS_EXPORT_TOOL_H

#include <jansson.h>

#include "tools/registry.h"

/* An export without output_path is returned inline up to this many bytes
 * (all its files together); a larger one is returned as links
 * (kgas://export/FORMAT/FILE?ARGS, files[].uri, and resource_link content
 * for clients of 2025-06-18 and later) with a summary: clients cap what a
 * tool result may hold, and a graph's GraphML is easily 400 KB. */
#define KG_EXPORT_INLINE_LINK (64 * 1024)
/* The largest export resources/read returns (past it: use output_path). */
#define KG_EXPORT_READ_MAX (64 * 1024 * 1024)
#define KG_EXPORT_URI_PREFIX "kgas://export/"

int kg_export_tool_run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err);
/* resources/read of a link: the export run again on the database as it is
 * now; {contents: [{uri, mimeType, text}]}.  KG_ENOTFOUND for a malformed
 * link or a file the export does not have. */
int kg_export_tool_read(const kg_tool_ctx *ctx, const char *uri, json_t **result, kg_err *err);

/* The tools' complete_input: the "format" enum of each tool's input schema
 * is the names of the formats of its group in export/export_list.h. */
void kg_export_tool_table_formats(json_t *input_schema);
void kg_export_tool_multi_formats(json_t *input_schema);

#endif
