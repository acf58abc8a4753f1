/* wal_flush: a thread that copies the WAL back into the database while the
 * ingest writer goes on.
 *
 * SQLite's automatic checkpoint runs inside the commit that fills the WAL,
 * on the writer's thread: after a large document the writer would stop to
 * copy every page it just wrote (a third of the time after the last chunk)
 * before it can rebuild the graph.  Instead the writer turns the automatic
 * checkpoint off on its handle and kicks this thread after each commit; the
 * thread runs a passive checkpoint on its own handle, which never blocks the
 * writer, so the copy overlaps the graph rebuild.  What is left at the end
 * is copied when the last handle closes (SQLite does that itself).
 *
 * The thread works through the store interface alone (kg_store_open,
 * kg_store_checkpoint), so it is the same for every backend; one without a
 * log to copy back (no checkpoint method, store/backend.h) gets no thread.
 *
 * Failures are not errors of the ingest: a checkpoint that cannot run only
 * leaves a longer WAL for the next one (or for close), so they are logged. */
#ifndef KG_STORE_WAL_FLUSH_H
#define KG_STORE_WAL_FLUSH_H

typedef struct kg_wal_flush kg_wal_flush;

/* Start the thread on its own handle of db_path.  NULL when it cannot be
 * started or the backend has nothing to checkpoint (then the writer keeps
 * its automatic checkpoint). */
kg_wal_flush *kg_wal_flush_start(const char *db_path);
/* Ask for a checkpoint (after a commit).  Never waits. */
void kg_wal_flush_kick(kg_wal_flush *f);
/* Wait for the checkpoint in progress (if any), stop the thread, close its
 * handle.  NULL is a no-op. */
void kg_wal_flush_stop(kg_wal_flush *f);

#endif
