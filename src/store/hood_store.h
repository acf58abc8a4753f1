/* hood_store: the part of the graph one question needs, read by index.
 *
 * A `kgas query` process answers one question and exits; loading every
 * entity and relationship to follow a few dozen edges made it cost tens of
 * milliseconds on a small graph and grow with the graph.  Two tables make a
 * narrower read possible:
 *
 * - entity_names holds the normal form (graph/qnames) of every entity name
 *   and alias, with its first byte and length, rewritten by every graph
 *   build.  kg_store_names_exact / kg_store_names_near find the entities a
 *   phrase may name.
 * - relationships is indexed by both ends, so kg_store_graph_load_hood can
 *   walk out from the named entities level by level, keeping per node only
 *   the `fanout` edges with the highest confidence (ties: older first), the
 *   same edges the in-memory walk of graph/query follows.
 *
 * The loaded kg_graph_data keeps the order of the full load
 * (kg_store_graph_load: entities and relationships by rowid), so that ties
 * broken by position break the same way. */
#ifndef KG_STORE_HOOD_STORE_H
#define KG_STORE_HOOD_STORE_H

#include <stddef.h>

#include "base/err.h"
#include "store/graph_store.h"
#include "store/store.h"

/* Replace entity_names with the names and aliases of the current entities,
 * each in the normal form norm() returns (malloc'ed; empty forms are
 * skipped).  Call inside the transaction that rebuilt the entities. */
int kg_store_names_rewrite(kg_store *s, char *(*norm)(const char *), kg_err *err);

/* Does entity_names describe the entities?  0 when the table is empty
 * while entities are not (a database from before the table existed, not
 * rebuilt since): callers then load the whole graph. */
int kg_store_names_ready(kg_store *s, int *ready, kg_err *err);

/* fn(norm, entity_id, ud) for every name whose normal form is `norm`
 * (exact), or whose first byte is norm's and whose length is within
 * [min_len, max_len] (near).  fn returns non-zero to stop. */
typedef int (*kg_name_fn)(const char *norm, const char *entity_id, void *ud);
int kg_store_names_exact(kg_store *s, const char *norm, kg_name_fn fn, void *ud, kg_err *err);
int kg_store_names_near(kg_store *s, const char *norm, int min_len, int max_len, kg_name_fn fn,
                        void *ud, kg_err *err);

typedef struct kg_hood_req {
    const char *const *seeds; /* entity ids the walk starts from */
    size_t nseeds;
    const char *const *extra; /* entity ids included but not walked from */
    size_t nextra;
    int levels; /* edges followed out of a seed, at most */
    int fanout; /* edges kept per walked node */
    /* When set, the walk looks for paths to this entity: it is never
     * walked from, and the last level only walks from its neighbours. */
    const char *target;
    size_t max_walked; /* give up beyond this many walked nodes */
} kg_hood_req;

/* Load the entities and relationships reached.  *too_big is set (and g left
 * empty) when more than max_walked nodes would be walked: the caller loads
 * the whole graph instead.  *max_pagerank is the highest score of the whole
 * graph. */
int kg_store_graph_load_hood(kg_store *s, const kg_hood_req *req, kg_graph_data *g,
                             double *max_pagerank, int *too_big, kg_err *err);

/* The entities with these ids (missing ones are left out), by rowid. */
int kg_store_graph_load_nodes(kg_store *s, const char *const *ids, size_t n, kg_graph_data *g,
                              kg_err *err);

#endif
