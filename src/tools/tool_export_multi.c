/* tool_export_multi: `export_multi_format`: the graph for other programs
 * (GraphML, neo4j-admin CSV, Cypher) and for papers (LaTeX tables, BibTeX,
 * a Markdown report), to a file or inline. */
#include "tools/export_tool.h"
#include "kg_tool_schemas.h"

const kg_tool kg_tool_export_multi_format = {
    .name = "export_multi_format",
    .title = "Export the graph for other tools",
    .description =
        "Export the knowledge graph: graphml (Gephi, Cytoscape, networkx: nodes with name, "
        "type, pagerank; directed weighted edges exactly as PageRank used them), neo4j "
        "(nodes.csv and relationships.csv for neo4j-admin database import; output_path is a "
        "directory), cypher (a cypher-shell script loading parameter batches), latex (tables "
        "of top entities and relations), bibtex (one entry per document: a paper's title, "
        "authors, year, venue, DOI and arXiv id as parsed from its header; for other documents "
        "authors and years are guessed from the first lines), markdown (a report with top "
        "entities, key relations cited by document and page, and each paper's header, sections, "
        "references and citers). Files may only be written below the allowed "
        "roots. Without output_path the text is returned inline up to 64 KiB; a larger export "
        "comes back as links (files[].uri, kgas://export/...) to read with resources/read, "
        "and a summary.",
    .input_schema = kg_schema_export_multi_format_in,
    .output_schema = kg_schema_export_out,
    .complete_input = kg_export_tool_multi_formats, /* the format enum */
    .flags = 0,
    .hints = KG_HINTS_DECLARED | KG_HINT_DESTRUCTIVE |
             KG_HINT_IDEMPOTENT, /* writes (overwrites) files at output_path */
    .run = kg_export_tool_run,
    .sample_args = "{\"format\": \"graphml\"}",
};
