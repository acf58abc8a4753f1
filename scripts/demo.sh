#!/bin/sh
# make demo: ingest the bundled demo corpus (and A Christmas Carol when
# ../shared/data is present) into a fresh database, then show what kgas
# found: statistics, the top entities and the answer to a two-hop question.
set -eu
kgas=${1:-build/kgas}
here=$(cd "$(dirname "$0")/.." && pwd)
db="$here/build/demo.db"
rm -f "$db" "$db-wal" "$db-shm"
carol="$here/../shared/data/text/christmas_carol.txt"
set -- "$here/demo/corpus"
if [ -f "$carol" ]; then
    set -- "$@" "$carol"
else
    echo "(../shared/data/text/christmas_carol.txt is absent: the demo corpus only)"
fi

echo "== kgas ingest $*"
"$kgas" --db "$db" ingest "$@"
echo
echo "== kgas top --limit 10"
"$kgas" --db "$db" top --limit 10
echo
q="Which university does the researcher who proposed the Graph Echo Network work for?"
echo "== kgas query \"$q\""
"$kgas" --db "$db" query --limit 3 "$q"
if [ -f "$carol" ]; then
    echo
    echo "== kgas path Scrooge Marley"
    "$kgas" --db "$db" path --limit 1 Scrooge Marley
fi
echo
echo "(database: $db; try \`$kgas --db $db entity \"Maria Keller\"\` or \`... search memory\`)"
