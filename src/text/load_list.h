/* load_list: every input format kgas reads, one line each: the one place a
 * format is registered.  An X-macro, expanded by text/load.h (kg_doc_kind)
 * and text/load.c (the table of loaders); ingest, the walk (which files of
 * a folder to take) and the load_documents tool take the formats and their
 * messages from it.  The order is the order messages list them in.
 *
 *   KG_LOADER(ID, kind, extensions, load)
 *     ID          the format's kg_doc_kind is KG_KIND_<ID>
 *     kind        its name, stored with every document ("pdf")
 *     extensions  file name endings it is chosen for, space-separated,
 *                 matched case-insensitively; messages name the first
 *     load        its loader, a kg_loader_fn (text/load.h)
 *
 * Adding an input format: write text/load_FORMAT.c defining its
 * kg_loader_fn and add its line here. */
KG_LOADER(PDF, "pdf", "pdf", kg_load_pdf)
KG_LOADER(TXT, "txt", "txt text", kg_load_txt)
KG_LOADER(MD, "md", "md markdown", kg_load_md)
KG_LOADER(HTML, "html", "html htm", kg_load_html)
