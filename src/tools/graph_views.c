/* graph_views: see graph_views.h. */
#include "tools/graph_views.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

typedef struct shared_view {
    kg_graph_view v; /* first: the pointer handed out is the shared_view's */
    int refs;        /* calls using it, plus one while it is the current view */
} shared_view;

static void unref_locked(shared_view *sv)
{
    if (--sv->refs == 0) {
        kg_graph_view_free(&sv->v);
        free(sv);
    }
}

int kg_tool_graph_acquire(kg_tool_ctx *ctx, kg_store *s, kg_graph_view **out, kg_err *err)
{
    *out = NULL;
    kg_tool_runtime *rt = ctx->rt;
    if (!rt) {
        shared_view *sv = kg_xcalloc(1, sizeof *sv);
        int rc = kg_graph_view_load(s, &sv->v, err);
        if (rc) {
            free(sv);
            return rc;
        }
        sv->refs = 1;
        *out = &sv->v;
        return KG_OK;
    }
    kg_buf stamp = KG_BUF_INIT;
    kg_tool_db_stamp(ctx->db_path, &stamp);
    int rc = KG_OK;
    /* Loading happens under the lock: concurrent calls on a changed
     * database wait for one load instead of each doing their own. */
    pthread_mutex_lock(&rt->graph_mu);
    shared_view *cur = rt->graph_view;
    if (!cur || !rt->graph_stamp || strcmp(rt->graph_stamp, kg_buf_str(&stamp)) != 0) {
        shared_view *sv = kg_xcalloc(1, sizeof *sv);
        rc = kg_graph_view_load(s, &sv->v, err);
        if (rc) {
            free(sv);
        } else {
            if (cur)
                unref_locked(cur);
            sv->refs = 1;
            rt->graph_view = sv;
            free(rt->graph_stamp);
            rt->graph_stamp = kg_buf_steal(&stamp);
            cur = sv;
        }
    }
    if (!rc) {
        cur->refs++;
        *out = &cur->v;
    }
    pthread_mutex_unlock(&rt->graph_mu);
    kg_buf_free(&stamp);
    return rc;
}

void kg_tool_runtime_release(kg_tool_runtime *rt)
{
    pthread_mutex_lock(&rt->graph_mu);
    if (rt->graph_view)
        unref_locked(rt->graph_view);
    rt->graph_view = NULL;
    free(rt->graph_stamp);
    rt->graph_stamp = NULL;
    pthread_mutex_unlock(&rt->graph_mu);
    pthread_mutex_destroy(&rt->graph_mu);
    /* Every call has ended: the pooled services stop here (at the server's
     * exit), letting their calls in flight finish. */
    kg_service_pool_free(rt->services);
    rt->services = NULL;
}

void kg_tool_graph_release(kg_tool_ctx *ctx, kg_graph_view *v)
{
    if (!v)
        return;
    shared_view *sv = (shared_view *)v;
    if (!ctx->rt) {
        unref_locked(sv);
        return;
    }
    pthread_mutex_lock(&ctx->rt->graph_mu);
    unref_locked(sv);
    pthread_mutex_unlock(&ctx->rt->graph_mu);
}
