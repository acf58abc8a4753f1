/* cmd_ingest: `kgas ingest PATH...`. */
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "net/openai.h"
#include "graphops/fuse.h"
#include "ingest/ingest.h"

static volatile int g_cancel;

static void on_sigint(int sig)
{
    (void)sig;
    g_cancel = 1;
    /* A second Ctrl-C kills at once; the database stays consistent anyway. */
    signal(SIGINT, SIG_DFL);
}

static void fmt_eta(char *buf, size_t cap, double s)
{
    if (s < 0 || s > 1e7)
        snprintf(buf, cap, "--");
    else if (s < 60)
        snprintf(buf, cap, "%.0fs", s);
    else
        snprintf(buf, cap, "%.0fm%02.0fs", s / 60, s - 60 * (int)(s / 60));
}

static void draw_progress(void *ud, const kg_ingest_progress *p)
{
    (void)ud;
    double frac = p->bytes_total ? (double)p->bytes_done / (double)p->bytes_total
                                 : (p->files_total ? (double)p->files_done / p->files_total : 1);
    if (frac > 1)
        frac = 1;
    char bar[31];
    int full = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < full ? '#' : '.';
    bar[30] = '\0';
    double mb = (double)p->bytes_done / 1e6, total = (double)p->bytes_total / 1e6;
    double rate = p->seconds > 0 ? mb / p->seconds : 0;
    char eta[32];
    fmt_eta(eta, sizeof eta, rate > 0 ? (total - mb) / rate : -1);
    fprintf(stderr, "\r[%s] %zu/%zu docs  %.1f/%.1f MB  %.1f MB/s  ETA %s   ", bar, p->files_done,
            p->files_total, mb, total, rate, eta);
    if (p->files_done == p->files_total)
        fputc('\n', stderr);
    fflush(stderr);
}

static void print_llm(const kg_llm_counts *l, const char *reason)
{
    printf("extraction (llm): %lld chunks by the LLM, %lld from the cache, %lld by the local "
           "rules (fallback)\n",
           (long long)l->chunks_llm, (long long)l->chunks_cache, (long long)l->chunks_fallback);
    printf("  kept %lld entities, %lld relations; dropped %lld unanchored, %lld outside the "
           "ontology, %lld below llm.min_confidence, %lld malformed\n",
           (long long)l->entities, (long long)l->relations, (long long)l->unanchored,
           (long long)l->bad_type, (long long)l->low_confidence, (long long)l->malformed);
    if (l->chunks_fallback)
        printf("  fallback because: %s\n", reason);
}

static void print_summary(const kg_ingest_summary *s, int json, kg_llm_extractor *lx,
                          json_t *fusion)
{
    char reason[KG_ERR_MSG_MAX] = "";
    if (lx)
        kg_llm_extractor_fallback_reason(lx, reason, sizeof reason);
    if (json) {
        json_t *fails = json_array();
        for (size_t i = 0; i < s->nfailures; i++)
            json_array_append_new(fails, json_pack("{s:s, s:s}", "path", s->failures[i].path,
                                                   "reason", s->failures[i].reason));
        json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:o, s:I, s:I, s:I, s:I, s:f, s:b}", "added",
                              s->added, "unchanged", s->unchanged, "replaced", s->replaced,
                              "failed", s->failed, "failures", fails, "chunks",
                              (json_int_t)s->chunks, "mentions", (json_int_t)s->mentions,
                              "relations", (json_int_t)s->relations, "bytes", (json_int_t)s->bytes,
                              "seconds", s->seconds, "cancelled", s->cancelled);
        if (s->graph_built)
            json_object_set_new(o, "graph",
                                json_pack("{s:I, s:I, s:i, s:b, s:f}", "entities",
                                          (json_int_t)s->graph.entities, "relationships",
                                          (json_int_t)s->graph.relationships, "iterations",
                                          s->graph.iterations, "converged", s->graph.converged,
                                          "seconds", s->graph.seconds));
        if (lx)
            json_object_set_new(o, "extraction", kg_llm_counts_json(&s->llm, reason));
        json_object_set_new(o, "relation_typing", kg_relate_counts_json(&s->typing));
        if (fusion)
            json_object_set(o, "fusion", fusion);
        kg_cli_print_json(o);
        return;
    }
    printf("ingest: %d added, %d unchanged, %d replaced, %d failed; %lld chunks, %.1f MB in "
           "%.2fs\n",
           s->added, s->unchanged, s->replaced, s->failed, (long long)s->chunks,
           (double)s->bytes / 1e6, s->seconds);
    if (s->graph_built)
        printf("graph: %lld entities, %lld relationships; PageRank %s in %d iterations "
               "(%.2fs)\n",
               (long long)s->graph.entities, (long long)s->graph.relationships,
               s->graph.converged ? "converged" : "stopped", s->graph.iterations, s->graph.seconds);
    if (lx)
        print_llm(&s->llm, reason);
    if (s->typing.typed_pairs || s->typing.cooccur_verb_pairs)
        printf("relations: %.0f%% typed (%lld entity pairs in a sentence got a relation phrase; "
               "%lld only co-occur with a verb between them)%s\n",
               100.0 * kg_relate_typed_share(&s->typing), (long long)s->typing.typed_pairs,
               (long long)s->typing.cooccur_verb_pairs,
               s->typing.sentences_too_long ? "; some sentences too long to analyse" : "");
    size_t nm = json_array_size(json_object_get(fusion, "merges"));
    if (nm)
        printf("fusion: %zu entities merged into others across documents (`kgas fuse "
               "--dry-run` lists them, `kgas unmerge ID` undoes one, fuse.after_ingest = "
               "false turns this off)\n",
               nm);
    /* Results on stdout, what went wrong on stderr (scripts redirect them
     * apart). */
    fflush(stdout);
    for (size_t i = 0; i < s->nfailures; i++)
        kg_cli_error("failed: %s: %s", s->failures[i].path, s->failures[i].reason);
    if (s->cancelled)
        kg_cli_error("ingest cancelled; whole documents stored so far are kept, run again to "
                     "finish");
}

/* The options (settings as flags, --json) and the paths to ingest, into
 * paths (argc entries of room); then the settings are final. */
static int parse_args(kg_cli *c, const char **paths, size_t *npaths, int *json)
{
    static const char *const flag_settings[][2] = {
        {"--jobs", "jobs"},
        {"--include", "include"},
        {"--exclude", "exclude"},
        {"--chunk-size", "chunk_size"},
        {"--chunk-overlap", "chunk_overlap"},
        {"--allowed-roots", "allowed_roots"},
        {"--max-file-bytes", "max_file_bytes"},
        {"--extractor", "extractor"},
    };
    int rc = 0;
    for (int i = 1; i < c->argc && !rc; i++) {
        const char *a = c->argv[i];
        if (strcmp(a, "--json") == 0) {
            *json = 1;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            while (++i < c->argc)
                paths[(*npaths)++] = c->argv[i];
            break;
        }
        int matched = 0;
        for (size_t f = 0; f < sizeof flag_settings / sizeof flag_settings[0]; f++) {
            const char *val;
            int r = kg_cli_opt_value(c, &i, flag_settings[f][0], &val);
            if (r < 0) {
                rc = KG_EXIT_USAGE;
                matched = 1;
                break;
            }
            if (r == 1) {
                rc = kg_cli_set_flag(c, flag_settings[f][1], flag_settings[f][0], val);
                matched = 1;
                break;
            }
        }
        if (matched)
            continue;
        if (a[0] == '-' && a[1]) {
            rc = kg_cli_usage_error(c, "unknown option '%s'", a);
            break;
        }
        paths[(*npaths)++] = a;
    }
    if (!rc && *npaths == 0)
        rc = kg_cli_usage_error(c, "give at least one file or folder to ingest");
    if (!rc)
        rc = kg_cli_finish_settings(c);
    return rc;
}

/* The LLM extractor when extractor = llm (else *lx stays NULL). */
static int open_extractor(kg_cli *c, kg_llm_extractor **lx)
{
    *lx = NULL;
    if (strcmp(kg_config_str(c->cfg, "extractor"), "llm") != 0)
        return 0;
    kg_err le;
    if (!kg_openai_configured(c->cfg, "llm")) {
        kg_cli_error("--extractor llm needs the LLM service: set llm.base_url (or a key "
                     "source) and llm.model (docs/llm.md)");
        return KG_EXIT_FAILED;
    }
    if (kg_llm_extractor_new(c->cfg, NULL, lx, &le) != KG_OK) {
        kg_cli_error("--extractor llm: %s", le.msg);
        return KG_EXIT_FAILED;
    }
    return 0;
}

static void ingest_opts(kg_cli *c, kg_llm_extractor *lx, kg_ingest_opts *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = (int)kg_config_int(c->cfg, "jobs");
    o->chunk.chunk_size = (int)kg_config_int(c->cfg, "chunk_size");
    o->chunk.overlap = (int)kg_config_int(c->cfg, "chunk_overlap");
    o->policy = &c->policy;
    o->include = kg_config_str(c->cfg, "include");
    o->exclude = kg_config_str(c->cfg, "exclude");
    o->batch_chunks = (int)kg_config_int(c->cfg, "batch_chunks");
    o->cancel = &g_cancel;
    o->build_graph = kg_config_bool(c->cfg, "graph.build");
    o->min_confidence = kg_config_double(c->cfg, "ner.min_confidence");
    kg_pagerank_opts_from_config(c->cfg, &o->pagerank);
    o->llm = lx;
    if (isatty(STDERR_FILENO))
        o->progress = draw_progress;
}

/* Ingest, then fusion across documents (graphops/fuse) as `kgas fuse`
 * would, then the summary; returns the exit code. */
static int run_ingest(kg_cli *c, kg_store *s, const char **paths, size_t npaths, int json,
                      kg_llm_extractor *lx)
{
    kg_ingest_opts o;
    ingest_opts(c, lx, &o);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int rc = 0;
    kg_ingest_summary sum;
    kg_err e;
    int r = kg_ingest_run(s, paths, npaths, &o, &sum, &e);
    if (r != KG_OK) {
        kg_cli_error("ingest stopped: %s", e.msg);
        rc = KG_EXIT_FAILED;
    }
    json_t *fusion = NULL;
    if (r == KG_OK && !sum.cancelled && o.build_graph &&
        kg_config_bool(c->cfg, "fuse.after_ingest")) {
        kg_fuse_opts fo;
        kg_fuse_opts_from_config(c->cfg, &fo);
        if (kg_fuse_after_ingest(s, &fo, sum.added + sum.replaced, &fusion, &e) != KG_OK) {
            kg_cli_error("fusion after ingest: %s", e.msg);
            rc = KG_EXIT_FAILED;
        }
    }
    print_summary(&sum, json, lx, fusion);
    json_decref(fusion);
    if (!rc && (sum.failed > 0 || sum.cancelled))
        rc = KG_EXIT_FAILED;
    kg_ingest_summary_free(&sum);
    return rc;
}

int kg_cmd_ingest(kg_cli *c)
{
    int json = 0;
    const char **paths = calloc((size_t)c->argc, sizeof *paths);
    size_t npaths = 0;
    kg_llm_extractor *lx = NULL;
    int rc = parse_args(c, paths, &npaths, &json);
    if (!rc)
        rc = open_extractor(c, &lx);
    if (rc) {
        free(paths);
        return rc;
    }
    kg_store *s = kg_cli_open_store(c, 0);
    if (!s) {
        kg_llm_extractor_free(lx);
        free(paths);
        return KG_EXIT_FAILED;
    }
    rc = run_ingest(c, s, paths, npaths, json, lx);
    kg_llm_extractor_free(lx);
    kg_store_close(s);
    free(paths);
    return rc;
}
