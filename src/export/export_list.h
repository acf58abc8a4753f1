/* export_list: every export format, one line each: the one place a format
 * is registered.  An X-macro, expanded by export/export.h (kg_export_format)
 * and export/export.c (the table: names, files, the writer each format
 * runs); from that table come the --format check, the format list of
 * `kgas export --help` (cli/cmd_export.c) and the "format" enum of the
 * export tools' input schemas (tools/export_tool.c).  The order is the
 * order they list the formats in.
 *
 *   KG_EXPORT_FORMAT(ID, name, file, multi, group, writer, help)
 *     ID      the format is KG_EXPORT_<ID>
 *     name    what --format and the tools' "format" argument take
 *     file    its file (the first, when it writes several); a single-file
 *             format given a directory writes this name in it
 *     multi   1 when it writes several files (then it needs a directory)
 *     group   the tool that offers it: KG_EXPORT_GROUP_TABLE
 *             (export_graph_table) or KG_EXPORT_GROUP_MULTI
 *             (export_multi_format)
 *     writer  its writer, a kg_export_writer (export/export_internal.h)
 *     help    its line in `kgas export --help`
 *
 * Adding an export format: write its writer (in export_formats.c,
 * export_report.c or a file of its own) and add its line here. */
KG_EXPORT_FORMAT(CSV, "csv", "nodes.csv", 1, KG_EXPORT_GROUP_TABLE, kg_export_csv_doc,
                 "nodes.csv, edges.csv, adjacency.csv (--out is a directory)")
KG_EXPORT_FORMAT(JSON, "json", "graph.json", 0, KG_EXPORT_GROUP_TABLE, kg_export_json_doc,
                 "{nodes, edges, adjacency}")
KG_EXPORT_FORMAT(GRAPHML, "graphml", "graph.graphml", 0, KG_EXPORT_GROUP_MULTI, kg_export_graphml,
                 "Gephi, Cytoscape, networkx (edges exactly as PageRank used them)")
KG_EXPORT_FORMAT(NEO4J, "neo4j", "nodes.csv", 1, KG_EXPORT_GROUP_MULTI, kg_export_neo4j,
                 "nodes.csv, relationships.csv for neo4j-admin database import (--out DIR)")
KG_EXPORT_FORMAT(CYPHER, "cypher", "graph.cypher", 0, KG_EXPORT_GROUP_MULTI, kg_export_cypher,
                 "a cypher-shell script (parameters + UNWIND batches)")
KG_EXPORT_FORMAT(LATEX, "latex", "graph.tex", 0, KG_EXPORT_GROUP_MULTI, kg_export_latex_doc,
                 "tables of top entities and relations")
KG_EXPORT_FORMAT(BIBTEX, "bibtex", "documents.bib", 0, KG_EXPORT_GROUP_MULTI, kg_export_bibtex_doc,
                 "one entry per document (a paper's parsed header; others guessed)")
KG_EXPORT_FORMAT(MARKDOWN, "markdown", "report.md", 0, KG_EXPORT_GROUP_MULTI,
                 kg_export_markdown_doc,
                 "a report: top entities, key relations, each paper's header and references")
