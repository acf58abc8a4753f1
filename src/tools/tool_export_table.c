/* tool_export_table: `export_graph_table`: the graph as CSV or JSON tables
 * (nodes, edges, adjacency), filtered, to files or inline. */
#include "tools/export_tool.h"
#include "kg_tool_schemas.h"

const kg_tool kg_tool_export_graph_table = {
    .name = "export_graph_table",
    .title = "Export graph tables",
    .description =
        "Export the knowledge graph as tables: format csv writes nodes.csv, edges.csv and "
        "adjacency.csv (output_path is a directory, created if missing); format json writes "
        "one file {nodes, edges, adjacency}. Filters: min_confidence (entities and "
        "relations), entity_types, relation_types, limit (top-N entities by PageRank, and "
        "only the edges among them). Files may only be written below the allowed roots. "
        "Without output_path the text is returned inline up to 64 KiB; a larger export "
        "comes back as links (files[].uri, kgas://export/...) to read with resources/read, "
        "and a summary.",
    .input_schema = kg_schema_export_graph_table_in,
    .output_schema = kg_schema_export_out,
    .complete_input = kg_export_tool_table_formats, /* the format enum */
    .flags = 0, /* writes files: never served from the read cache */
    .hints = KG_HINTS_DECLARED | KG_HINT_DESTRUCTIVE |
             KG_HINT_IDEMPOTENT, /* writes (overwrites) files at output_path */
    .run = kg_export_tool_run,
    .sample_args = "{\"format\": \"json\", \"limit\": 5}",
};
