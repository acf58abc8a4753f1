#!/usr/bin/env python3
"""Fill a kgas database with a synthetic graph, straight into SQLite.

    gen_graph.py DB ENTITIES EDGES

DB must already carry the kgas schema (run `kgas ingest` on anything
first).  Names hold quotes, commas and ampersands so that every exporter's
escaping is exercised.  Used by bench/export.sh and
tests/integration/test_export.py; the SQL does the work, so a million edges
take seconds.
"""
import sqlite3
import sys


def main():
    db, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    con = sqlite3.connect(db)
    con.execute("DELETE FROM entities")
    con.execute("DELETE FROM relationships")
    con.execute(
        "INSERT INTO entities(id, name, key, type, confidence, mentions, pagerank, rank)"
        " WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ?1 - 1)"
        " SELECT printf('ent_%016x', i), 'Entity \"' || i || '\", & Co', 'k' || i,"
        " CASE i % 3 WHEN 0 THEN 'PERSON' WHEN 1 THEN 'ORG' ELSE 'GPE' END,"
        " 0.5 + (i % 50) / 100.0, 1 + i % 7, 1.0 / (i + 1), i + 1 FROM c", (n,))
    con.execute(
        "INSERT INTO relationships(id, source_id, target_id, type, weight, confidence, method,"
        " support)"
        " WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ?2 - 1)"
        " SELECT printf('rel_%016x', i), printf('ent_%016x', (i * 7919) % ?1),"
        " printf('ent_%016x', (i * 104729 + 13) % ?1),"
        " CASE i % 4 WHEN 0 THEN 'RELATED_TO' WHEN 1 THEN 'WORKS_FOR' WHEN 2 THEN 'LOCATED_IN'"
        " ELSE 'PART_OF' END, 0.3 + (i % 10) / 10.0, 0.5 + (i % 5) / 10.0, 'verb', 1 + i % 3"
        " FROM c", (n, m))
    con.commit()
    con.close()


if __name__ == "__main__":
    main()
