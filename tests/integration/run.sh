#!/bin/sh
# Integration tests: run the built binary on real files.
#   tests/integration/run.sh path/to/kgas [test-name-substring]
# run.py covers the CLI and pipeline; test_mcp.py the MCP server and tools
# (including the MCP TypeScript SDK client tests in tests/mcp); test_net.py
# `kgas doctor` against the fake OpenAI-compatible server (tests/fake_openai);
# test_export.py the exports; test_llm.py `ingest --extractor llm` against
# the fake server; test_vec.py embeddings and vector/hybrid search;
# test_libs.py the libraries opened at first use (dlopen) and their absence;
# test_mcp_http.py live event streams and hang-up cancellation over HTTP;
# test_embed_api.py API embeddings (`embed --model api`) against the fake server.
# test_fuse.py `kgas fuse` / `kgas unmerge` and the fuse_documents tool.
# test_retrieval.py multi-hop retrieval on slices of ../shared/data/qa:
# hybrid search not below text, kgas query's passages, bad questions.
# test_relations.py `kgas triples`, typed relations in the graph and their
# share, questions that use them, the analysis models' commands, the CaRB
# dev floor.
# test_shared_service.py one `kgas mcp` server: concurrent tool calls share
# the embed service's rate limit and circuit breaker (and the llm service's
# limit); SIGHUP re-reads the pooled service's keys.
# test_ner.py `kgas train ner` and `kgas eval ner` (a small model trained from a
# slice of the data; bad input; SciREX held out) and the ten papers (no junk).
# test_papers.py `kgas paper`: the ten papers against their gold titles,
# authors and reference counts, the layout fixtures, text/Markdown/HTML, odd PDFs;
# papers in the graph at ingest (PAPER, AUTHORED, CITES across documents).
# test_cli_text.py questions, searches and names that are not UTF-8 (exit 2);
# non-ASCII names in `top`'s columns; snippets and passages on one line each.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
status=0
python3 "$here/run.py" "$@" || status=1
python3 "$here/test_mcp.py" "$@" || status=1
python3 "$here/test_net.py" "$@" || status=1
python3 "$here/test_export.py" "$@" || status=1
python3 "$here/test_llm.py" "$@" || status=1
python3 "$here/test_vec.py" "$@" || status=1
python3 "$here/test_libs.py" "$@" || status=1
python3 "$here/test_mcp_http.py" "$@" || status=1
python3 "$here/test_embed_api.py" "$@" || status=1
python3 "$here/test_fuse.py" "$@" || status=1
python3 "$here/test_shared_service.py" "$@" || status=1
python3 "$here/test_ner.py" "$@" || status=1
python3 "$here/test_retrieval.py" "$@" || status=1
python3 "$here/test_relations.py" "$@" || status=1
python3 "$here/test_papers.py" "$@" || status=1
python3 "$here/test_cli_text.py" "$@" || status=1
exit $status
