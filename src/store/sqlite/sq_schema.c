/* sq_schema: see sq_schema.h.  The tables follow DESIGN.md's data model. */
#include "store/sqlite/sq_schema.h"

const char *const kg_schema_migrations[] = {
    /* 1: documents, chunks with full text, the graph tables, operations. */
    "CREATE TABLE documents ("
    "  id TEXT PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  hash TEXT NOT NULL,"
    "  title TEXT,"
    "  kind TEXT NOT NULL,"
    "  pages INTEGER NOT NULL DEFAULT 0,"
    "  bytes INTEGER NOT NULL DEFAULT 0,"
    "  chars INTEGER NOT NULL DEFAULT 0,"
    "  chunks INTEGER NOT NULL DEFAULT 0,"
    "  confidence REAL NOT NULL DEFAULT 1.0,"
    "  ingested_at INTEGER NOT NULL,"
    "  operation_id TEXT"
    ");"
    "CREATE INDEX documents_hash ON documents(hash);"
    "CREATE TABLE chunks ("
    "  id TEXT PRIMARY KEY,"
    "  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  ordinal INTEGER NOT NULL,"
    "  page_start INTEGER NOT NULL,"
    "  page_end INTEGER NOT NULL,"
    "  char_start INTEGER NOT NULL,"
    "  char_end INTEGER NOT NULL,"
    "  tokens INTEGER NOT NULL,"
    "  section TEXT,"
    "  text TEXT NOT NULL"
    ");"
    "CREATE INDEX chunks_document ON chunks(document_id, ordinal);"
    "CREATE VIRTUAL TABLE chunks_fts USING fts5("
    "  text, content='chunks', content_rowid='rowid', tokenize='porter unicode61');"
    "CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN"
    "  INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text);"
    "END;"
    "CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN"
    "  INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);"
    "END;"
    "CREATE TABLE entities ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  confidence REAL NOT NULL DEFAULT 0,"
    "  mentions INTEGER NOT NULL DEFAULT 0,"
    "  aliases TEXT NOT NULL DEFAULT '[]',"
    "  pagerank REAL NOT NULL DEFAULT 0,"
    "  rank INTEGER NOT NULL DEFAULT 0,"
    "  percentile REAL NOT NULL DEFAULT 0,"
    "  community INTEGER NOT NULL DEFAULT -1"
    ");"
    "CREATE INDEX entities_key ON entities(type, key);"
    "CREATE INDEX entities_rank ON entities(pagerank DESC);"
    /* Mentions and evidence are the bulk of a database: their text ids are
     * unique by construction (chunk + span), so no index is kept on them,
     * and their operation is their document's. */
    "CREATE TABLE mentions ("
    "  id TEXT NOT NULL,"
    "  entity_id TEXT NOT NULL,"
    "  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  chunk_id TEXT NOT NULL,"
    "  char_start INTEGER NOT NULL,"
    "  char_end INTEGER NOT NULL,"
    "  surface TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  confidence REAL NOT NULL,"
    "  method TEXT NOT NULL"
    ");"
    "CREATE INDEX mentions_entity ON mentions(entity_id);"
    "CREATE INDEX mentions_document ON mentions(document_id);"
    "CREATE TABLE doc_entities ("
    "  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  entity_id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  aliases TEXT NOT NULL,"
    "  mentions INTEGER NOT NULL,"
    "  confidence REAL NOT NULL,"
    "  PRIMARY KEY (document_id, entity_id)"
    ");"
    "CREATE INDEX doc_entities_entity ON doc_entities(entity_id);"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE relation_evidence ("
    "  id TEXT NOT NULL,"
    "  source_id TEXT NOT NULL,"
    "  target_id TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    "  chunk_id TEXT NOT NULL,"
    "  char_start INTEGER NOT NULL,"
    "  char_end INTEGER NOT NULL,"
    "  confidence REAL NOT NULL,"
    "  method TEXT NOT NULL"
    ");"
    "CREATE INDEX relation_evidence_pair ON relation_evidence(source_id, target_id, type);"
    "CREATE INDEX relation_evidence_document ON relation_evidence(document_id);"
    /* Rebuilt from relation_evidence by every ingest: looked up by its
     * ends, never by id, so the id carries no index. */
    "CREATE TABLE relationships ("
    "  id TEXT NOT NULL,"
    "  source_id TEXT NOT NULL,"
    "  target_id TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  weight REAL NOT NULL,"
    "  confidence REAL NOT NULL,"
    "  method TEXT NOT NULL,"
    "  support INTEGER NOT NULL"
    ");"
    "CREATE INDEX relationships_source ON relationships(source_id);"
    "CREATE INDEX relationships_target ON relationships(target_id);"
    "CREATE TABLE embeddings ("
    "  owner_id TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  dim INTEGER NOT NULL,"
    "  vector BLOB NOT NULL,"
    "  PRIMARY KEY (owner_id, model)"
    ");"
    "CREATE TABLE operations ("
    "  id TEXT PRIMARY KEY,"
    "  tool TEXT NOT NULL,"
    "  parameters TEXT,"
    "  inputs TEXT,"
    "  outputs TEXT,"
    "  status TEXT NOT NULL,"
    "  error TEXT,"
    "  started_at REAL NOT NULL,"
    "  ended_at REAL"
    ");",
    /* 2: responses of paid services (the LLM extractor), so a rerun or a
     * second document with the same chunk text never pays twice.  The
     * params hash covers the prompt, schema and ontology: changing any of
     * them asks again instead of reusing an answer to another question. */
    "CREATE TABLE llm_cache ("
    "  service TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  input_hash TEXT NOT NULL,"
    "  params_hash TEXT NOT NULL,"
    "  response TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (service, model, input_hash, params_hash)"
    ");",
    /* 3: vector embeddings.  A local model's IDF fit (document count, the
     * hash of the chunk ids it was fitted on, per-bucket document
     * frequencies as little-endian uint32) lives next to its vectors, so a
     * query is embedded with the fit its stored vectors were; a chunk's
     * vectors go when the chunk does. */
    "CREATE TABLE embedding_fits ("
    "  model TEXT PRIMARY KEY,"
    "  documents INTEGER NOT NULL,"
    "  corpus_hash TEXT NOT NULL,"
    "  df BLOB NOT NULL,"
    "  fitted_at INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER chunks_embeddings_ad AFTER DELETE ON chunks BEGIN"
    "  DELETE FROM embeddings WHERE owner_id = old.id;"
    "END;",
    /* 4: the normal-form names and aliases of the entities (graph/qnames),
     * written with every graph build, so that a query finds the entities a
     * question names by index instead of loading the whole graph.  head and
     * len serve the fuzzy look-up (same first byte, close length).  The
     * graph is marked dirty so the next ingest fills the table; until then
     * queries load the whole graph as before. */
    "CREATE TABLE entity_names ("
    "  norm TEXT NOT NULL,"
    "  head INTEGER NOT NULL,"
    "  len INTEGER NOT NULL,"
    "  entity_id TEXT NOT NULL"
    ");"
    "CREATE INDEX entity_names_norm ON entity_names(norm);"
    "CREATE INDEX entity_names_head ON entity_names(head, len);"
    /* A query walks out of a node along its most confident edges first:
     * ordered by confidence, the indexes give those without reading every
     * edge of a hub. */
    "DROP INDEX relationships_source;"
    "CREATE INDEX relationships_source ON relationships(source_id, confidence DESC);"
    "DROP INDEX relationships_target;"
    "CREATE INDEX relationships_target ON relationships(target_id, confidence DESC);"
    "INSERT OR REPLACE INTO meta SELECT 'graph_dirty', '1' WHERE EXISTS (SELECT 1 FROM entities);",
    /* 5: bulk ingest.  The full-text index of a document's chunks is
     * written by one statement when the document is finished
     * (kg_store_doc_finish) instead of by a trigger per chunk: SQLite 3.40's
     * FTS5 flushes its in-memory terms to a new on-disk segment at every
     * statement savepoint, so a trigger per chunk made one tiny segment per
     * chunk and spent its time merging them.  Deletion stays a trigger.
     *
     * Co-occurrence (RELATED_TO) is undirected: its evidence is now stored
     * with source_id < target_id, and the pair index carries everything the
     * graph rebuild reads, in the order it reads it.  The rebuild then walks
     * the index instead of sorting every evidence row again, and the index
     * still answers "evidence of this pair" for the query side. */
    "DROP TRIGGER chunks_ai;"
    "UPDATE relation_evidence SET source_id = target_id, target_id = source_id"
    " WHERE type = 'RELATED_TO' AND source_id > target_id;"
    "DROP INDEX IF EXISTS relation_evidence_pair;"
    "CREATE INDEX relation_evidence_pair ON relation_evidence"
    "(source_id, target_id, type, document_id, char_start, confidence DESC, method);",
    /* 6: approximate-search indexes of the embeddings (vec/hnsw), one per
     * model: the serialised graph over the model's first `vectors` vectors
     * in rowid order, and a fingerprint of them (model, dimension, IDF fit,
     * rowid and owner of each), so that changed vectors make it stale and
     * appended ones can be added to it (search/vector_index). */
    "CREATE TABLE vector_indexes ("
    "  model TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  dim INTEGER NOT NULL,"
    "  vectors INTEGER NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  data BLOB NOT NULL,"
    "  built_at INTEGER NOT NULL"
    ");",
    /* 7: multi-document fusion (graphops/fuse).  entity_merges holds the
     * decisions "entity from_id is the same as into_id" (ids are derived
     * from type + resolution key, so they survive rebuilds); undone marks
     * one reversed by `kgas unmerge`.  entity_merge_map is derived: the
     * active decisions followed to their end, rewritten by every graph
     * rebuild, read by the rebuild and by the readers of mentions and
     * evidence (an absorbed id still names its per-document rows). */
    "CREATE TABLE entity_merges ("
    "  id INTEGER PRIMARY KEY,"
    "  from_id TEXT NOT NULL,"
    "  into_id TEXT NOT NULL,"
    "  from_name TEXT NOT NULL,"
    "  into_name TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  reasons TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  undone INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE entity_merge_map ("
    "  from_id TEXT PRIMARY KEY,"
    "  into_id TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX entity_merge_map_into ON entity_merge_map(into_id);",
    /* 8: mentions and relation_evidence without a foreign key and without
     * an index on document_id.  The key made SQLite look the document up
     * again for every row inserted, and the index was one more b-tree
     * written per row: together a third of the writer's time on a 15 MB
     * text (a million rows), to serve only the rare delete or rename of one
     * document's rows.  Those rows are written by one writer, document by
     * document, so each document's rows lie in one stretch of rowids; the
     * documents row keeps the stretch (lowest and highest rowid, 0 = none)
     * and kg_store_doc_delete / the renames scan just that stretch,
     * checking document_id.  The tables are copied (SQLite cannot drop a
     * constraint in place) and the stretches computed from what is there. */
    "ALTER TABLE documents ADD COLUMN mention_rows_from INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE documents ADD COLUMN mention_rows_to INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE documents ADD COLUMN evidence_rows_from INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE documents ADD COLUMN evidence_rows_to INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE mentions_v8 ("
    "  id TEXT NOT NULL,"
    "  entity_id TEXT NOT NULL,"
    "  document_id TEXT NOT NULL,"
    "  chunk_id TEXT NOT NULL,"
    "  char_start INTEGER NOT NULL,"
    "  char_end INTEGER NOT NULL,"
    "  surface TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  confidence REAL NOT NULL,"
    "  method TEXT NOT NULL"
    ");"
    "INSERT INTO mentions_v8 (id, entity_id, document_id, chunk_id, char_start, char_end,"
    " surface, type, confidence, method) SELECT id, entity_id, document_id, chunk_id,"
    " char_start, char_end, surface, type, confidence, method FROM mentions"
    " ORDER BY document_id, rowid;"
    "DROP TABLE mentions;"
    "ALTER TABLE mentions_v8 RENAME TO mentions;"
    "CREATE INDEX mentions_entity ON mentions(entity_id);"
    "CREATE TABLE relation_evidence_v8 ("
    "  id TEXT NOT NULL,"
    "  source_id TEXT NOT NULL,"
    "  target_id TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  document_id TEXT NOT NULL,"
    "  chunk_id TEXT NOT NULL,"
    "  char_start INTEGER NOT NULL,"
    "  char_end INTEGER NOT NULL,"
    "  confidence REAL NOT NULL,"
    "  method TEXT NOT NULL"
    ");"
    "INSERT INTO relation_evidence_v8 (id, source_id, target_id, type, document_id, chunk_id,"
    " char_start, char_end, confidence, method) SELECT id, source_id, target_id, type,"
    " document_id, chunk_id, char_start, char_end, confidence, method FROM relation_evidence"
    " ORDER BY document_id, rowid;"
    "DROP TABLE relation_evidence;"
    "ALTER TABLE relation_evidence_v8 RENAME TO relation_evidence;"
    "CREATE INDEX relation_evidence_pair ON relation_evidence"
    "(source_id, target_id, type, document_id, char_start, confidence DESC, method);"
    "UPDATE documents SET mention_rows_from = m.lo, mention_rows_to = m.hi FROM"
    " (SELECT document_id, min(rowid) AS lo, max(rowid) AS hi FROM mentions"
    "  GROUP BY document_id) AS m WHERE m.document_id = documents.id;"
    "UPDATE documents SET evidence_rows_from = r.lo, evidence_rows_to = r.hi FROM"
    " (SELECT document_id, min(rowid) AS lo, max(rowid) AS hi FROM relation_evidence"
    "  GROUP BY document_id) AS r WHERE r.document_id = documents.id;",
    /* 9: a document read as a paper (ingest/ingest_paper) keeps its
     * header and bibliography summary as JSON (title, authors with
     * affiliations, year, venue, doi, arxiv, n_references, header and
     * references status), for `kgas documents --json`; NULL for others. */
    "ALTER TABLE documents ADD COLUMN paper TEXT;",
};

const int kg_schema_version = (int)(sizeof kg_schema_migrations / sizeof kg_schema_migrations[0]);
