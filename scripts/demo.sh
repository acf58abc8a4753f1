#!/bin/sh
# make demo: ingest the bundled demo corpus (and A Christmas Carol when
# ../shared/data is present) into a fresh database, then show what kgas
# found: statistics, the top entities and the answer to a multi-hop question.
set -eu
kgas=${1:-build/kgas}
here=$(cd "$(dirname "$0")/.." && pwd)
db="$here/build/demo.db"
rm -f "$db" "$db-wal" "$db-shm"
paths="$here/demo/corpus"
carol="$here/../shared/data/text/christmas_carol.txt"
if [ -f "$carol" ]; then
    paths="$paths $carol"
else
    echo "(../shared/data/text/christmas_carol.txt is absent: demo corpus only)"
fi
echo "== kgas ingest $paths"
# shellcheck disable=SC2086
"$kgas" --db "$db" ingest $paths
echo
echo "== kgas stats"
"$kgas" --db "$db" stats
if "$kgas" top --help >/dev/null 2>&1; then
    echo
    echo "== kgas top --limit 10"
    "$kgas" --db "$db" top --limit 10
    echo
    q="Which university does the researcher who proposed the Graph Echo Network work for?"
    echo "== kgas query \"$q\""
    "$kgas" --db "$db" query --limit 3 "$q"
    echo
    echo "== kgas path Scrooge Marley"
    "$kgas" --db "$db" path --limit 1 Scrooge Marley || true
fi
echo
echo "== kgas search \"memory echo\""
"$kgas" --db "$db" search --limit 3 memory echo
