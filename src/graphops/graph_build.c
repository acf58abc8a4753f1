/* graph_build: see graph_build.h. */
#include "graphops/graph_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/buf.h"
#include "base/log.h"
#include "graph/csr.h"
#include "graph/graph_rules.h"
#include "graph/pagerank.h"
#include "graph/qnames.h"
#include "graphops/graph_rebuild.h"
#include "store/graph_store.h"
#include "store/hood_store.h"
#include "store/records.h"

int kg_pagerank_teleport_parse(const char *name)
{
    if (name && strcmp(name, "mentions") == 0)
        return KG_PAGERANK_TELEPORT_MENTIONS;
    if (name && strcmp(name, "uniform") == 0)
        return KG_PAGERANK_TELEPORT_UNIFORM;
    return -1;
}

void kg_pagerank_opts_from_config(const kg_config *cfg, kg_pagerank_opts *o)
{
    memset(o, 0, sizeof *o);
    if (!cfg)
        return; /* zeros: rank_locked uses graph/pagerank.h's defaults */
    o->damping = kg_config_double(cfg, "pagerank.damping");
    o->max_iterations = (int)kg_config_int(cfg, "pagerank.max_iterations");
    o->tolerance = kg_config_double(cfg, "pagerank.tolerance");
    int stop = kg_pagerank_stop_parse(kg_config_str(cfg, "pagerank.stopping"));
    o->stopping = stop < 0 ? KG_PAGERANK_STOP_CONVERGED : stop;
    int tp = kg_pagerank_teleport_parse(kg_config_str(cfg, "pagerank.teleport"));
    o->teleport = tp < 0 ? KG_PAGERANK_TELEPORT_MENTIONS : tp;
    const char *rel = kg_config_str(cfg, "pagerank.relations");
    o->directed = rel && strcmp(rel, "directed") == 0;
}

/* The teleport weights of the entities: log(1 + mentions), an entity
 * without a counted mention (a paper's cited work) as one. */
static double *teleport_weights(const kg_graph_data *g, int kind)
{
    if (kind == KG_PAGERANK_TELEPORT_UNIFORM)
        return NULL;
    double *t = kg_xmalloc(g->nnodes * sizeof *t);
    for (size_t i = 0; i < g->nnodes; i++)
        t[i] = log1p((double)(g->nodes[i].mentions > 1 ? g->nodes[i].mentions : 1));
    return t;
}

/* PageRank over the graph, caller holding a transaction: *built when the
 * caller just rebuilt it (and hands it over), else loaded from the store. */
static int rank_locked(kg_store *s, const kg_pagerank_opts *o, kg_graph_data *built,
                       kg_graph_summary *sum, kg_err *err)
{
    kg_graph_data g;
    int rc = KG_OK;
    if (built) {
        g = *built;
        memset(built, 0, sizeof *built);
    } else if ((rc = kg_store_graph_load(s, &g, err)) != KG_OK) {
        return rc;
    }
    sum->entities = (int64_t)g.nnodes;
    sum->relationships = (int64_t)g.nedges;
    if (g.nnodes == 0) {
        kg_graph_data_free(&g);
        sum->converged = 1;
        return KG_OK;
    }
    kg_edge_list el;
    kg_edge_list_init(&el, (int)g.nnodes);
    for (size_t i = 0; i < g.nedges; i++) {
        const kg_graph_edge *e = &g.edges[i];
        if (kg_rel_ranks_both_ways(e->type, e->method, !(o && o->directed)))
            kg_edge_list_add_undirected(&el, e->src, e->dst, e->weight);
        else
            kg_edge_list_add(&el, e->src, e->dst, e->weight);
    }
    kg_csr *csr = NULL;
    rc = kg_csr_build(&el, &csr, err);
    kg_edge_list_free(&el);
    if (rc) {
        kg_graph_data_free(&g);
        return rc;
    }
    double *score = kg_xcalloc(g.nnodes, sizeof *score);
    int64_t *rank = kg_xcalloc(g.nnodes, sizeof *rank);
    double *pct = kg_xcalloc(g.nnodes, sizeof *pct);
    double damping = o && o->damping > 0 ? o->damping : KG_PAGERANK_DAMPING;
    int iters = o && o->max_iterations > 0 ? o->max_iterations : KG_PAGERANK_MAX_ITER;
    double tol = o && o->tolerance > 0 ? o->tolerance : KG_PAGERANK_TOL;
    kg_pagerank_stop stop = o ? (kg_pagerank_stop)o->stopping : KG_PAGERANK_STOP_CONVERGED;
    double *tele = teleport_weights(&g, o ? o->teleport : KG_PAGERANK_TELEPORT_MENTIONS);
    rc = kg_pagerank_teleport(csr, tele, damping, iters, tol, stop, score, &sum->iterations, err);
    free(tele);
    sum->converged = rc == KG_OK;
    if (rc == KG_EBUSY) {
        /* Not converged within the limit: the last iterate is still a
         * ranking; say so rather than fail the ingest. */
        kg_warn("PageRank did not converge in %d iterations (tolerance %g); scores are the "
                "last iterate",
                iters, tol);
        rc = KG_OK;
    }
    if (!rc) {
        kg_pagerank_rank(score, (int)g.nnodes, rank, pct);
        rc = kg_store_entity_scores_write(s, &g, score, rank, pct, err);
    }
    free(score);
    free(rank);
    free(pct);
    kg_csr_free(csr);
    kg_graph_data_free(&g);
    return rc;
}

static int in_txn(kg_store *s, int rebuild, const kg_pagerank_opts *o, kg_graph_summary *sum,
                  kg_err *err)
{
    memset(sum, 0, sizeof *sum);
    double t0 = kg_now();
    int rc = kg_store_begin(s, err);
    if (rc)
        return rc;
    kg_graph_data built = {0};
    if (rebuild)
        rc = kg_graph_rebuild(s, &built, err);
    /* The name index follows the entities it describes, in the same
     * transaction, so a query never sees one without the other. */
    if (!rc && rebuild)
        rc = kg_store_names_rewrite(s, kg_qname_norm, err);
    if (!rc)
        rc = rank_locked(s, o, rebuild ? &built : NULL, sum, err);
    kg_graph_data_free(&built);
    if (!rc && rebuild)
        rc = kg_store_graph_set_dirty(s, 0, err);
    if (rc) {
        kg_store_rollback(s);
        return rc;
    }
    rc = kg_store_commit(s, err);
    sum->seconds = kg_now() - t0;
    return rc;
}

int kg_graph_build(kg_store *s, const kg_pagerank_opts *o, kg_graph_summary *sum, kg_err *err)
{
    return in_txn(s, 1, o, sum, err);
}

int kg_graph_rank(kg_store *s, const kg_pagerank_opts *o, kg_graph_summary *sum, kg_err *err)
{
    return in_txn(s, 0, o, sum, err);
}
