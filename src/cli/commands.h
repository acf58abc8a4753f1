/* commands: one function per `kgas COMMAND`, with its --help text (or, for
 * a help that lists a table, a function that prints it). */
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
int kg_cmd_train(kg_cli *c);
int kg_cmd_tools(kg_cli *c);
int kg_cmd_tool(kg_cli *c);
int kg_cmd_mcp(kg_cli *c);
int kg_cmd_doctor(kg_cli *c);
int kg_cmd_export(kg_cli *c);
int kg_cmd_embed(kg_cli *c);
int kg_cmd_fuse(kg_cli *c);
int kg_cmd_unmerge(kg_cli *c);
int kg_cmd_triples(kg_cli *c);
int kg_cmd_train_analysis(kg_cli *c);
int kg_cmd_eval_analysis(kg_cli *c);
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

#define KG_USAGE_TRIPLES                                                                  \
    "usage: kgas triples [--json | --tsv | --conllu] [--lines] [FILE | -]\n\n"            \
    "Open IE: the (relation; argument 1; argument 2; ...) triples of each sentence of\n"  \
    "FILE (or standard input), with a confidence, from the built-in tagger, parser and\n" \
    "extraction rules (docs/relations.md): verbs, passives, copulas, appositions,\n"      \
    "relative clauses, possessives; conjuncts give one triple each.\n\n"                  \
    "options:\n"                                                                          \
    "  --lines   each input line is one sentence (otherwise sentences are found)\n"       \
    "  --tsv     one triple a line in CaRB's tabbed order: sentence TAB confidence TAB\n" \
    "            relation TAB arg1 TAB arg2 [TAB arg3...]\n"                              \
    "  --json    every sentence with its byte span and triples; each part with its\n"     \
    "            text and byte spans, the relation also normalised (\"propose\",\n"       \
    "            \"work at\") with its ontology category when one fits\n"                 \
    "  --conllu  the analysis itself: words, tags, heads and labels (CoNLL-U)\n\n"        \
    "A sentence of more than 150 words is not analysed (no triples; --json marks it).\n"

#define KG_USAGE_TRAIN_ANALYSIS                                                                \
    "usage: kgas train pos --train FILE.conllu --out MODEL [--dev FILE.conllu] [--epochs N]\n" \
    "                      [--seed N] [--max-rows N] [--min-weight X]\n"                       \
    "       kgas train parse --train FILE.conllu --out MODEL [--dev FILE.conllu]\n"            \
    "                      [--tagger POS_MODEL] [--epochs N] [--seed N] [--folds N]\n"         \
    "                      [--max-rows N] [--max-label-rows N] [--min-weight X]\n\n"           \
    "Train the sentence-analysis models of relations from Universal Dependencies\n"            \
    "treebanks (CoNLL-U; PTB tags in the XPOS column): the part-of-speech tagger (pos)\n"      \
    "or the dependency parser (parse).  The same files, options and seed give the same\n"      \
    "bytes.  Each epoch is scored on --dev (tag accuracy; UAS/LAS with tags from\n"            \
    "--tagger, default the built-in tagger); the parser trains on tags predicted by\n"         \
    "taggers trained on the other --folds of the data (default 4; 0: gold tags).\n"            \
    "--max-rows keeps the strongest features (the model's size), --max-label-rows the\n"       \
    "parser's label model's.  A malformed line stops it with the file and line.\n"             \
    "`make analysis-models` trains the shipped models (docs/relations.md).\n"

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
    "Entities ranked by PageRank (optionally one type: PERSON, ORG, GPE, METHOD...).\n"

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

#define KG_USAGE_EVAL                                                                         \
    "usage: kgas eval ner [--types T1,T2,...] [--model PATH|rules] [--json] GOLD.conll\n\n"   \
    "Measure the entity recogniser against a CoNLL file (token and tag per line; IO,\n"       \
    "IOB1, IOB2 or BILOU; PER/ORG/LOC/MISC, WNUT, OntoNotes-like or research types):\n"       \
    "precision, recall and F1 per type and overall, entity-level exact match, and words\n"    \
    "per second.\n\n"                                                                         \
    "options:\n"                                                                              \
    "  --types T1,T2   score exactly these types (PER, ORG, LOC, METHOD, TASK, ...);\n"       \
    "                  overall = micro average over them.  Default: PER, ORG, LOC, MISC,\n"   \
    "                  overall over PER, ORG, LOC\n"                                          \
    "  --model PATH    a model file from `kgas train ner` instead of the built-in one;\n"     \
    "                  `--model rules`: the rules alone (the recogniser before the model)\n"  \
    "  --errors        first list every wrong and every missed entity, with its sentence\n\n" \
    "usage: kgas eval pos [--model MODEL] [--json] GOLD.conllu\n"                             \
    "       kgas eval parse [--model MODEL] [--tagger POS_MODEL] [--json] GOLD.conllu\n\n"    \
    "Measure the part-of-speech tagger (tag accuracy) or the dependency parser (UAS and\n"    \
    "LAS, punctuation excluded, on predicted tags) against a CoNLL-U treebank; the\n"         \
    "built-in models unless --model / --tagger name files.\n"
#define KG_USAGE_TRAIN                                                                          \
    "usage: kgas train ner --out MODEL [--train FILE]... [--train-text FILE]...\n"              \
    "                      [--dev FILE]... [--epochs N] [--seed N] [--groups G1;G2]\n"          \
    "                      [--scheme bio|bilou] [--min-count N] [--max-rows N]\n"               \
    "                      [--min-weight X]\n\n"                                                \
    "Train the entity recogniser's model (an averaged perceptron with Viterbi decoding)\n"      \
    "from CoNLL files (token TAB-or-space tag; IOB/IOB2/IO/BILOU; -DOCSTART- between\n"         \
    "documents) and write it to MODEL.  The same files, options and seed give the same\n"       \
    "bytes.  Each epoch is scored on the --dev files (F1 over the model's types they\n"         \
    "hold); the best epoch is kept.  A malformed line stops it with the file and line.\n\n"     \
    "options:\n"                                                                                \
    "  --train FILE       training data (also: files given without an option); a file\n"        \
    "                     without -DOCSTART- is one document per sentence\n"                    \
    "  --train-text FILE  training data whose sentences are running text (one document)\n"      \
    "  --dev FILE         held-out data scored after each epoch\n"                              \
    "  --epochs N         passes over the data (default 12)\n"                                  \
    "  --seed N           the order of documents (default 1)\n"                                 \
    "  --groups G1;G2     tag groups, each a comma list of types (default\n"                    \
    "                     \"PERSON,ORG,LOC,MISC;METHOD,TASK,DATASET,METRIC,SOFTWARE,VENUE\")\n" \
    "  --scheme S         bio (default) or bilou\n"                                             \
    "  --min-count N      learn only features seen N times or more (default 2)\n"               \
    "  --max-rows N       keep at most N feature rows in the file (the strongest)\n"            \
    "  --min-weight X     drop feature rows whose largest weight is below X\n\n" KG_USAGE_TRAIN_ANALYSIS
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
/* `kgas export --help` is built by kg_cmd_export_help: this head, a line per
 * format of export/export_list.h, this tail. */
#define KG_USAGE_EXPORT_HEAD                                                            \
    "usage: kgas export --format F [--out PATH] [--min-confidence X] [--types T1,T2]\n" \
    "                   [--relation-types R1,R2] [--limit N] [--json]\n\n"              \
    "Write the graph for other tools, streaming from the database. Formats:\n"
#define KG_USAGE_EXPORT_TAIL                                                              \
    "\nSingle-file formats go to stdout without --out. --types keeps entities of those\n" \
    "types, --limit the top N by PageRank (edges only among the kept entities),\n"        \
    "--min-confidence drops weaker entities and relations. --json prints a summary.\n"    \
    "See docs/exports.md.\n"
void kg_cmd_export_help(FILE *out);

#endif
