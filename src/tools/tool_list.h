/* tool_list: every tool, one line each (X-macro expanded by registry.c).
 * The order is the order of tools/list. */
KG_TOOL(ingest)
KG_TOOL(load_documents)
KG_TOOL(chunk_text)
KG_TOOL(get_graph_statistics)
KG_TOOL(read_query)
KG_TOOL(get_system_status)
KG_TOOL(export_graph_table)
KG_TOOL(export_multi_format)
