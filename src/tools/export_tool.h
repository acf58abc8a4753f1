/* export_tool: what the two export tools (export_graph_table,
 * export_multi_format) share: turning their arguments into an export, to
 * files under the context's path policy or inline, and the formats each
 * offers (export/export_list.h's group column).  The result is a new JSON
 * object owned by the caller. */
#ifndef KG_TOOLS_EXPORT_TOOL_H
#define KG_TOOLS_EXPORT_TOOL_H

#include <jansson.h>

#include "tools/registry.h"

/* Largest inline export; past it the caller is told to give output_path. */
#define KG_EXPORT_INLINE_MAX (1024 * 1024)

int kg_export_tool_run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err);

/* The tools' complete_input: the "format" enum of each tool's input schema
 * is the names of the formats of its group in export/export_list.h. */
void kg_export_tool_table_formats(json_t *input_schema);
void kg_export_tool_multi_formats(json_t *input_schema);

#endif
