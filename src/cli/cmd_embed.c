/* cmd_embed: `kgas embed`: compute the embeddings of the stored chunks,
 * with the local model (search/vector_search's kg_embed_chunks) or an API
 * model (--model api, --api: search/embed_api's kg_embed_chunks_api), and
 * report what was done; after local chunk vectors, the entity vectors made
 * from them (search/entity_vec).  Owns nothing beyond the call. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "search/embed_api.h"
#include "search/entity_vec.h"
#include "search/vector_index.h"
#include "search/vector_search.h"

static volatile int g_cancel;

static void on_sigint(int sig)
{
    (void)sig;
    g_cancel = 1;
    /* A second Ctrl-C kills at once; what is committed stays committed. */
    signal(SIGINT, SIG_DFL);
}

static void draw_progress(void *ud, double done, double total, const char *msg)
{
    (void)ud;
    fprintf(stderr, "\r%s: %.0f/%.0f   ", msg, done, total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int report_local(const kg_embed_report *rep, const kg_vindex_report *vr,
                        const kg_entity_vec_report *er, int json)
{
    if (json) {
        json_t *out = json_pack("{s:s, s:i, s:I, s:I, s:I, s:b, s:f}", "model", rep->model, "dim",
                                rep->dim, "chunks", (json_int_t)rep->chunks, "embedded",
                                (json_int_t)rep->embedded, "empty", (json_int_t)rep->empty, "refit",
                                rep->refit, "seconds", rep->seconds);
        json_object_set_new(out, "index",
                            json_pack("{s:s, s:I, s:b, s:b, s:I, s:b, s:f}", "kind", vr->index,
                                      "vectors", (json_int_t)vr->vectors, "built", vr->built,
                                      "extended", vr->extended, "added", (json_int_t)vr->added,
                                      "stored", vr->stored, "seconds", vr->seconds));
        json_object_set_new(out, "entities",
                            json_pack("{s:s, s:i, s:I, s:I, s:b, s:f}", "model", er->model,
                                      "window", er->window, "vectors", (json_int_t)er->entities,
                                      "skipped", (json_int_t)er->skipped, "recomputed",
                                      er->recomputed, "seconds", er->seconds));
        kg_cli_print_json(out);
        return KG_EXIT_OK;
    }
    printf("%s: %lld of %lld chunks embedded%s (%.2f s)\n", rep->model, (long long)rep->embedded,
           (long long)rep->chunks, rep->refit ? ", IDF refitted on the current chunks" : "",
           rep->seconds);
    if (vr->built || vr->extended)
        printf("HNSW index %s over %lld vectors (%.2f s)%s\n", vr->built ? "built" : "extended",
               (long long)vr->vectors, vr->seconds,
               vr->stored ? "" : ", not stored (see the warning)");
    else if (strcmp(vr->index, "hnsw") == 0)
        printf("HNSW index up to date (%lld vectors)\n", (long long)vr->vectors);
    printf("%s: %lld entity vectors from %d words each side of their mentions%s (%.2f s)\n",
           er->model, (long long)er->entities, er->window,
           er->recomputed ? ", recomputed" : ", unchanged", er->seconds);
    return KG_EXIT_OK;
}

static int report_api(const kg_embed_api_report *r, int json)
{
    if (json) {
        json_t *o = json_pack(
            "{s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:s, s:b, s:b, s:f}",
            "model", r->model, "dim", r->dim, "chunks", (json_int_t)r->chunks, "missing",
            (json_int_t)r->missing, "embedded", (json_int_t)r->embedded, "from_cache",
            (json_int_t)r->from_cache, "sent", (json_int_t)r->sent, "batches",
            (json_int_t)r->batches, "requests", (json_int_t)r->requests, "retries",
            (json_int_t)r->retries, "left", (json_int_t)r->left, "stopped", r->stopped,
            "stop_reason", r->stop_reason, "breaker_open", r->breaker_open, "cancelled",
            r->cancelled, "seconds", r->seconds);
        json_object_set_new(o, "fallback",
                            json_pack("{s:s, s:I}", "model", r->fallback_model, "embedded",
                                      (json_int_t)r->fallback));
        json_object_set_new(o, "loop_lag_ms",
                            json_pack("{s:f, s:f, s:I}", "max", r->lag.max_ms, "p99", r->lag.p99_ms,
                                      "samples", (json_int_t)r->lag.samples));
        kg_cli_print_json(o);
    } else {
        printf("%s: %lld of %lld chunks embedded (%lld from the cache), %lld left (%.2f s)\n",
               r->model, (long long)r->embedded, (long long)r->missing, (long long)r->from_cache,
               (long long)r->left, r->seconds);
        printf("  %lld texts sent in %lld batches: %lld requests, %lld retries; dim %d; "
               "loop lag max %.1f ms, p99 %.1f ms\n",
               (long long)r->sent, (long long)r->batches, (long long)r->requests,
               (long long)r->retries, r->dim, r->lag.max_ms, r->lag.p99_ms);
        if (r->stopped)
            printf("  stopped: %s\n  what is committed is kept; run again to embed the rest "
                   "(nothing committed is paid for again)\n",
                   r->stop_reason);
        if (r->breaker_open)
            printf("  the embed service's circuit breaker is open: requests fail at once, "
                   "without being sent, until embed.breaker_cooldown_s has passed\n");
        if (r->cancelled)
            printf("  cancelled; what is committed is kept, run again to finish\n");
        if (r->fallback_model[0])
            printf("  fallback: %lld chunks embedded by the local model %s (search them with "
                   "--model %s; vectors of different models are never compared)\n",
                   (long long)r->fallback, r->fallback_model, r->fallback_model);
    }
    return r->stopped || r->cancelled || r->left > 0 ? KG_EXIT_FAILED : KG_EXIT_OK;
}

int kg_cmd_embed(kg_cli *c)
{
    int json = 0, fallback = 0;
    const char *model = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        const char *val;
        if (strcmp(a, "--json") == 0) {
            json = 1;
            continue;
        }
        if (strcmp(a, "--api") == 0) {
            model = "api";
            continue;
        }
        int r = kg_cli_opt_value(c, &i, "--model", &val);
        if (r == 0)
            r = kg_cli_opt_value(c, &i, "--fallback", &val) == 1 ? 2 : 0;
        if (r < 0)
            return KG_EXIT_USAGE;
        if (r == 1) {
            model = val;
            continue;
        }
        if (r == 2) {
            if (strcmp(val, "local") != 0 && strcmp(val, "none") != 0)
                return kg_cli_usage_error(c, "--fallback must be local or none, not '%s'", val);
            fallback = strcmp(val, "local") == 0;
            continue;
        }
        return kg_cli_usage_error(
            c, a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
    }
    int api = kg_embed_is_api(model);
    if (fallback && !api)
        return kg_cli_usage_error(c, "--fallback applies to API models (--model api)");
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    /* Read-only first: a missing database is an error, not a new empty one. */
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s)
        return KG_EXIT_FAILED;
    kg_store_close(s);
    if (!(s = kg_cli_open_store(c, 0)))
        return KG_EXIT_FAILED;
    kg_err e;
    void (*progress)(void *, double, double, const char *) = isatty(STDERR_FILENO) ? draw_progress
                                                                                   : NULL;
    if (!api) {
        kg_embed_report rep;
        rc = kg_embed_chunks(s, model, NULL, progress, NULL, &rep, &e);
        /* Then the HNSW index, when searches of this many vectors use it, so
         * the first search does not pay for building it. */
        kg_vindex_opts ix;
        kg_vindex_opts_from_config(c->cfg, &ix);
        kg_vindex_report vr;
        if (rc == KG_OK)
            rc = kg_vindex_refresh(s, rep.model, rep.dim, &ix, &vr, &e);
        /* Entities change with every ingest: their vectors follow the
         * chunks' (recomputed only when the inputs' fingerprint moved). */
        kg_entity_vec_report er;
        if (rc == KG_OK)
            rc = kg_entity_vectors_refresh(
                s, rep.model, (int)kg_config_int(c->cfg, "embed.entity_window"), &er, &e);
        kg_store_close(s);
        if (rc != KG_OK) {
            kg_cli_error("%s", e.msg);
            return e.code == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED;
        }
        return report_local(&rep, &vr, &er, json);
    }
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    kg_embed_api_report rep;
    rc = kg_embed_chunks_api(c->cfg, NULL, s, model, fallback, &g_cancel, progress, NULL, &rep, &e);
    sigaction(SIGINT, &old, NULL);
    kg_store_close(s);
    if (rc != KG_OK) {
        kg_cli_error("%s", e.msg);
        return e.code == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED;
    }
    if (rep.stopped)
        kg_cli_error("embedding stopped%s: %s",
                     rep.breaker_open ? " (the circuit breaker is open)" : "", rep.stop_reason);
    return report_api(&rep, json);
}
