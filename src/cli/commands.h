/* commands: one function per `kgas COMMAND`, with its --help text. */
#ifndef KG_CLI_COMMANDS_H
#define KG_CLI_COMMANDS_H

#include "cli/cli_common.h"

int kg_cmd_ingest(kg_cli *c);
int kg_cmd_documents(kg_cli *c);
int kg_cmd_search(kg_cli *c);
int kg_cmd_stats(kg_cli *c);
int kg_cmd_config(kg_cli *c);
int kg_cmd_top(kg_cli *c);
int kg_cmd_query(kg_cli *c);
int kg_cmd_path(kg_cli *c);
int kg_cmd_entity(kg_cli *c);
int kg_cmd_eval(kg_cli *c);
int kg_cmd_tools(kg_cli *c);
int kg_cmd_tool(kg_cli *c);
int kg_cmd_mcp(kg_cli *c);
int kg_cmd_doctor(kg_cli *c);
int kg_cmd_export(kg_cli *c);
int kg_cmd_embed(kg_cli *c);
int kg_cmd_fuse(kg_cli *c);
int kg_cmd_unmerge(kg_cli *c);
int kg_cmd_paper(kg_cli *c);

#define KG_USAGE_FUSE                                                                      \
    "usage: kgas fuse [--threshold X] [--strategy S] [--embedding-weight W] [--dry-run]\n" \
    "                 [--json]\n\n"                                                        \
    "Merge same-type entities that different documents name differently (\"Univ. of\n"     \
    "Lisbon\" / \"University of Lisbon\"), scored by normalised names, word overlap\n"     \
    "(abbreviations, initials), Jaro-Winkler and aliases, then moved up or down by how\n"  \
    "alike the words around their mentions are (context similarity: the cosine of\n"       \
    "locally embedded windows); names that differ in a word (\"John Smith\" / \"Mary\n"    \
    "Smith\") and different types never merge.  Each merge is printed with its id,\n"      \
    "score and reasons; the graph is rebuilt and re-ranked.\n\n"                           \
    "options:\n"                                                                           \
    "  --threshold X   smallest similarity that merges (0.5..1, setting fuse.threshold,\n" \
    "                  default 0.8)\n"                                                     \
    "  --strategy S    whose name and key a merged entity keeps: evidence_based (most\n"   \
    "                  mentions, the default), confidence_weighted (highest confidence)\n" \
    "                  or temporal (most recently ingested); setting fuse.strategy\n"      \
    "  --embedding-weight W  the most context similarity adds to or takes from a\n"        \
    "                  score (0..0.5, setting fuse.embedding_weight, default 0.25; 0 =\n"  \
    "                  names only); the window is embed.entity_window words (15)\n"        \
    "  --dry-run       report what would merge, change nothing\n"                          \
    "  --json          print the report as JSON\n\n"                                       \
    "Reverse a merge with `kgas unmerge ID`.\n"

#define KG_USAGE_PAPER                                                                      \
    "usage: kgas paper [--json] [--citations] [--blocks] FILE\n\n"                          \
    "Read one paper (PDF; text, Markdown and HTML give sections and references only)\n"     \
    "without a database and print what was found: the title, the authors in order with\n"   \
    "their affiliations and e-mails, year, venue, DOI, arXiv id, keywords, abstract, the\n" \
    "sections with their numbering, and the references parsed into authors, title,\n"       \
    "venue, year, volume, pages, DOI, arXiv id and URL, each with the byte span of its\n"   \
    "raw text. What could not be read is said (\"header: not found: ...\").\n\n"            \
    "options:\n"                                                                            \
    "  --json       the same as JSON (the fields `kgas documents --json` will carry)\n"     \
    "  --citations  also every in-text citation (marker, entry, citing sentence) and the\n" \
    "               acronym definitions\n"                                                  \
    "  --blocks     the document text as the PDF reader cut it, one block a line with\n"    \
    "               its kind (body, heading, caption, equation, reference, furniture...)\n" \
    "See docs/papers.md.\n"

#define KG_USAGE_UNMERGE                                                              \
    "usage: kgas unmerge [--json] ID\n\n"                                             \
    "Reverse merge ID of `kgas fuse`: the two entities come apart and the graph is\n" \
    "rebuilt as it was before that merge.\n"

#define KG_USAGE_INGEST                                                                        \
    "usage: kgas ingest [OPTIONS] PATH...\n\n"                                                 \
    "Read PDF, text, Markdown and HTML files (folders recursively) into the database.\n"       \
    "Unchanged files are skipped; a changed file replaces its previous version.\n\n"           \
    "options:\n"                                                                               \
    "  --jobs N              worker threads (default: one per core)\n"                         \
    "  --include GLOBS       only files matching these comma-separated globs\n"                \
    "  --exclude GLOBS       skip files (and folders) matching these globs\n"                  \
    "  --chunk-size N        tokens per chunk (16..8192, default 512)\n"                       \
    "  --chunk-overlap N     tokens shared by consecutive chunks (default 50)\n"               \
    "  --allowed-roots DIRS  only read files below these colon-separated folders\n"            \
    "  --max-file-bytes N    refuse larger files (default 256 MiB)\n"                          \
    "  --extractor rules|llm entities and relations by the local rules (default) or by\n"      \
    "                        the LLM service (llm.* settings; docs/llm.md), falling back to\n" \
    "                        the rules for a chunk when the service fails\n"                   \
    "  --json                print a JSON summary on stdout\n\n"                               \
    "A progress bar is drawn on stderr when it is a terminal. Exit code 1 when some\n"         \
    "inputs failed (each is listed with its reason); the rest are stored.\n"

#define KG_USAGE_DOCUMENTS                                                                    \
    "usage: kgas documents [--json]\n\nList the documents in the database: id, kind, pages, " \
    "chunks, title and path.\n"

#define KG_USAGE_SEARCH                                                                     \
    "usage: kgas search [--mode text|vector|hybrid | --entities] [--model ID] [--limit N] " \
    "[--json] WORDS...\n\n"                                                                 \
    "Search the chunks. --mode text (default): full-text, ranked by BM25, with the\n"       \
    "matches in [brackets]. --mode vector: cosine similarity of local embeddings (run\n"    \
    "`kgas embed` first; docs/embeddings.md). --mode hybrid: both lists fused by\n"         \
    "reciprocal rank fusion (k = 60). Each result names its document, title, page,\n"       \
    "byte span and a snippet. --model picks the embedding model (default\n"                 \
    "local-tfidf-rp-v1-d256; api or api:NAME: the embed service's model, whose\n"           \
    "vectors `kgas embed --model api` made; the query is embedded by the service).\n"       \
    "--entities: the nearest entities instead (name, type, PageRank, mentions,\n"           \
    "cosine): an entity's vector sums the embeddings of the words around its mentions.\n"

#define KG_USAGE_EMBED                                                                  \
    "usage: kgas embed [--model ID | --api] [--fallback local|none] [--json]\n\n"       \
    "Embed every chunk that has no vector for the model yet (default\n"                 \
    "local-tfidf-rp-v1-d256: TF-IDF of stemmed words and character 3-grams, randomly\n" \
    "projected to 256 dimensions; local, no download). IDF is fitted on the stored\n"   \
    "chunks: when they changed since the last run every vector is recomputed.\n"        \
    "Then the entity vectors (model entity-v2:MODEL: the normalised sum of the\n"       \
    "embeddings of a window of embed.entity_window words, 15, each side of every\n"     \
    "mention) are recomputed if the graph, the texts or the IDF fit changed; `kgas\n"   \
    "search --entities` searches them.\n\n"                                             \
    "--model api (or --api) embeds through the configured OpenAI-compatible embed\n"    \
    "service (embed.base_url, embed.model; api:NAME names another model): batched,\n"   \
    "rate-limited, retried, each answer cached in the database, so a rerun pays\n"      \
    "nothing twice. When a batch fails for good (breaker open, retries used up) no\n"   \
    "further batch is sent and the run says why (exit 1); --fallback local then\n"      \
    "also embeds with the local model, under its own id (docs/embeddings.md).\n"

#define KG_USAGE_STATS                                                                   \
    "usage: kgas stats [--json]\n\nCounts of documents, chunks, mentions, entities and " \
    "relationships.\n"

#define KG_USAGE_CONFIG                                                                 \
    "usage: kgas config [--json]\n\nThe effective settings and where each came from:\n" \
    "built-in default < config file (kgas.conf, --config, KGAS_CONFIG) < environment\n" \
    "(KGAS_*) < command-line flags. Secrets are shown only as [set] or [unset].\n"

#define KG_USAGE_TOP                                      \
    "usage: kgas top [--type T] [--limit N] [--json]\n\n" \
    "Entities ranked by PageRank (optionally one type: PERSON, ORG, GPE, CONCEPT...).\n"

#define KG_USAGE_QUERY                                                                     \
    "usage: kgas query [--hops N] [--limit N] [--json] QUESTION\n\n"                       \
    "Answer a multi-hop question: find the entities the question names (exact, alias\n"    \
    "and fuzzy matches), follow relations 1..N hops (default 2, at most 3) and rank the\n" \
    "entities reached by path confidence and PageRank.  Each answer shows its path\n"      \
    "(A -[WORKS_FOR]-> B -[LOCATED_IN]-> C) and the sentences that support each edge,\n"   \
    "with document, page and byte span.\n"

#define KG_USAGE_PATH                                                                \
    "usage: kgas path [--hops N] [--limit N] [--json] X Y\n\n"                       \
    "Paths between two named entities (up to 3 hops), shortest and most confident\n" \
    "first, each edge with its evidence sentences.\n"

#define KG_USAGE_ENTITY                                                                 \
    "usage: kgas entity [--limit N] [--json] NAME|ID\n\n"                               \
    "One entity: type, aliases, PageRank, its mentions (document, page, snippet) and\n" \
    "its relations.\n"

#define KG_USAGE_EVAL                                                                     \
    "usage: kgas eval ner [--json] GOLD.conll\n\n"                                        \
    "Measure the entity recogniser against a CoNLL file (token and tag per line; IO or\n" \
    "IOB2; PER/ORG/LOC/MISC or WNUT types): precision, recall and F1 per type and\n"      \
    "overall (over PER, ORG, LOC), entity-level exact match, and words per second.\n"
#define KG_USAGE_TOOLS                                                                      \
    "usage: kgas tools [--validate] [--json]\n\n"                                           \
    "List the tools kgas serves over MCP (and `kgas tool` runs). --json prints each\n"      \
    "tool's title, description and input/output JSON Schemas. --validate runs every tool\n" \
    "once on built-in sample input in a temporary database and reports pass/fail and time.\n"

#define KG_USAGE_TOOL                                                                        \
    "usage: kgas tool NAME [--args JSON]\n\n"                                                \
    "Call one tool exactly as an MCP client would: arguments are validated against its\n"    \
    "schema, then it runs; the structured result is printed as JSON. Exit code 1 when the\n" \
    "result is an error (the message names the argument or the problem).\n"                  \
    "example: kgas tool read_query --args '{\"sql\": \"SELECT count(*) FROM chunks\"}'\n"

#define KG_USAGE_MCP                                                                         \
    "usage: kgas mcp [--http HOST:PORT] [--token-file FILE] [--workers N]\n\n"               \
    "Serve the tools, documents and entities to an MCP client (Claude Desktop, Claude\n"     \
    "Code, ...). Without --http: JSON-RPC over stdin/stdout (logs go to stderr).\n"          \
    "With --http: Streamable HTTP at http://HOST:PORT/mcp. Binding anything but 127.0.0.1\n" \
    "(or localhost / ::1) needs a bearer token: setting mcp.token, KGAS_MCP_TOKEN or\n"      \
    "--token-file. Files are read only below allowed_roots (default: the working folder).\n" \
    "See docs/mcp.md.\n"

#define KG_USAGE_DOCTOR                                                                     \
    "usage: kgas doctor [--json]\n\n"                                                       \
    "Check that the libraries kgas opens when first needed load (poppler-glib for PDFs,\n"  \
    "libcurl for API services, libmicrohttpd for mcp --http), and show their versions.\n"   \
    "For each configured API service (llm, embed): check that its key is present and\n"     \
    "well-formed, then make one cheap authenticated request (GET {base_url}/models).\n"     \
    "Exit code 1 when a check fails (a rejected key is named by its setting and where it\n" \
    "came from, never shown). With no service configured, says so (exit 0 when the\n"       \
    "libraries load).\n"                                                                    \
    "See docs/llm.md.\n"
#define KG_USAGE_EXPORT                                                                      \
    "usage: kgas export --format F [--out PATH] [--min-confidence X] [--types T1,T2]\n"      \
    "                   [--relation-types R1,R2] [--limit N] [--json]\n\n"                   \
    "Write the graph for other tools, streaming from the database. Formats:\n"               \
    "  csv       nodes.csv, edges.csv, adjacency.csv (--out is a directory)\n"               \
    "  json      {nodes, edges, adjacency}\n"                                                \
    "  graphml   Gephi, Cytoscape, networkx (edges exactly as PageRank used them)\n"         \
    "  neo4j     nodes.csv, relationships.csv for neo4j-admin database import (--out DIR)\n" \
    "  cypher    a cypher-shell script (parameters + UNWIND batches)\n"                      \
    "  latex     tables of top entities and relations\n"                                     \
    "  bibtex    one entry per document (authors and years are guessed)\n"                   \
    "  markdown  a report: top entities, key relations cited by document and page\n\n"       \
    "Single-file formats go to stdout without --out. --types keeps entities of those\n"      \
    "types, --limit the top N by PageRank (edges only among the kept entities),\n"           \
    "--min-confidence drops weaker entities and relations. --json prints a summary.\n"       \
    "See docs/exports.md.\n"

#endif
