/* config: see config.h.
 *
 * The table below is the single list of settings: defaults, ranges and help
 * live next to each other so the validator, `kgas config` and the docs can
 * never disagree about them. */
#include "config/config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

typedef enum {
    T_INT,
    T_DOUBLE,
    T_BOOL,
    T_STR,
    T_ENUM,
    T_SECRET
} kind_t;

typedef struct setting_def {
    const char *name;
    kind_t kind;
    const char *def;     /* textual default; NULL = unset */
    double min, max;     /* inclusive range for numbers; string max length */
    const char *choices; /* "a|b|c" for enums */
    const char *unit;    /* for messages: "tokens", "bytes" */
    const char *help;
} setting_def;

/* The settings every OpenAI-compatible API service has (net/openai reads
 * them as PREFIX.key), declared once and stamped out per service in DEFS:
 * P is the prefix ("llm"), WHAT what the service is for in help ("the LLM
 * (chat completions)"), SHORT its short name in help ("LLM").  A service's
 * own settings (llm.entity_types, embed.batch_size) are rows of their own. */
#define SERVICE_ROW(P, key, kind, def, min, max, unit, help) \
    {                                                        \
        P "." key, kind, def, min, max, NULL, unit, help     \
    }
#define API_SERVICE_SETTINGS(P, WHAT, SHORT)                                                \
    SERVICE_ROW(P, "base_url", T_STR, NULL, 0, 2048, NULL,                                  \
                "OpenAI-compatible API root for " WHAT " (e.g. https://api.openai.com/v1, " \
                "http://127.0.0.1:11434/v1); setting it turns the service on"),             \
        SERVICE_ROW(P, "model", T_STR, NULL, 0, 256, NULL, "model name for " WHAT),         \
        SERVICE_ROW(P, "api_key", T_SECRET, NULL, 0, 8192, NULL,                            \
                    "API key(s) for " WHAT                                                  \
                    ", comma-separated; a key rejected with 401 is retired "                \
                    "and the next used (fallback: OPENAI_API_KEY)"),                        \
        SERVICE_ROW(P, "key_file", T_STR, NULL, 0, 4096, NULL,                              \
                    "file whose first line holds the " SHORT " key(s)"),                    \
        SERVICE_ROW(P, "key_command", T_STR, NULL, 0, 4096, NULL,                           \
                    "command (run with /bin/sh -c) whose first output line is the " SHORT   \
                    " key(s)"),                                                             \
        SERVICE_ROW(P, "requests_per_minute", T_INT, "60", 1, 1000000, "requests",          \
                    "request rate limit for " WHAT),                                        \
        SERVICE_ROW(P, "tokens_per_minute", T_INT, "0", 0, 1000000000, "tokens",            \
                    "token rate limit for " WHAT "; 0 = none"),                             \
        SERVICE_ROW(P, "max_concurrency", T_INT, "8", 1, 1024, "requests",                  \
                    SHORT " requests in flight at once"),                                   \
        SERVICE_ROW(P, "timeout_s", T_INT, "120", 1, 3600, "seconds",                       \
                    "whole-request time limit for " WHAT),                                  \
        SERVICE_ROW(P, "connect_timeout_s", T_INT, "10", 1, 600, "seconds",                 \
                    "connection set-up time limit for " WHAT),                              \
        SERVICE_ROW(P, "retries", T_INT, "4", 0, 20, "retries",                             \
                    "retries of a failed " SHORT                                            \
                    " request (429, 5xx, timeouts, dropped connections)"),                  \
        SERVICE_ROW(P, "breaker_failures", T_INT, "5", 1, 1000, "failures",                 \
                    "consecutive failures that open the " SHORT " circuit breaker"),        \
        SERVICE_ROW(P, "breaker_cooldown_s", T_INT, "30", 1, 3600, "seconds",               \
                    "how long an open " SHORT " circuit waits before a trial request")

static const setting_def DEFS[] = {
    {"db", T_STR, "kgas.db", 0, 4096, NULL, NULL, "database file (SQLite)"},
    {"jobs", T_INT, "0", 0, 256, NULL, "threads", "worker threads; 0 = one per core"},
    {"chunk_size", T_INT, "512", 16, 8192, NULL, "tokens", "tokens per chunk"},
    {"chunk_overlap", T_INT, "50", 0, 4096, NULL, "tokens",
     "tokens shared by consecutive chunks (at most half of chunk_size)"},
    {"log_level", T_ENUM, "warn", 0, 0, "debug|info|warn|error|off", NULL, "log verbosity"},
    {"log_format", T_ENUM, "plain", 0, 0, "plain|json", NULL, "log line format"},
    {"allowed_roots", T_STR, NULL, 0, 65536, NULL, NULL,
     "colon-separated folders files may be read from (unset = anywhere for the CLI, "
     "the working directory for servers)"},
    {"max_file_bytes", T_INT, "268435456", 1, 17179869184.0, NULL, "bytes",
     "largest file kgas will read"},
    {"include", T_STR, NULL, 0, 4096, NULL, NULL,
     "comma-separated globs a file name must match to be ingested"},
    {"exclude", T_STR, NULL, 0, 4096, NULL, NULL, "comma-separated globs of file names to skip"},
    {"batch_chunks", T_INT, "2000", 1, 1000000, NULL, "chunks",
     "chunks per write transaction batch"},
    {"busy_timeout_ms", T_INT, "10000", 0, 600000, NULL, "ms",
     "how long to wait for another process's write lock"},
    {"graph.build", T_BOOL, "true", 0, 0, NULL, NULL,
     "build the knowledge graph (entities, relations, PageRank) during ingest"},
    {"ner.min_confidence", T_DOUBLE, "0.3", 0, 1, NULL, NULL,
     "mentions below this confidence are dropped"},
    {"pagerank.damping", T_DOUBLE, "0.85", 0.01, 0.99, NULL, NULL, "PageRank damping factor"},
    {"pagerank.max_iterations", T_INT, "1000", 1, 100000, NULL, NULL, "PageRank iteration limit"},
    {"pagerank.tolerance", T_DOUBLE, "1e-10", 1e-15, 0.01, NULL, NULL,
     "PageRank convergence tolerance: stop when the scores change by less than this in total "
     "(L1) in one iteration (pagerank.stopping networkx: n times this)"},
    {"pagerank.stopping", T_ENUM, "converged", 0, 0, "converged|networkx", NULL,
     "PageRank stopping rule: converged (L1 change < tolerance: every score within "
     "tolerance*d/(1-d) of the fixed point) or networkx (L1 change < n*tolerance, "
     "networkx.pagerank's rule, whose error grows with the graph)"},
    {"pagerank.teleport", T_ENUM, "mentions", 0, 0, "mentions|uniform", NULL,
     "where PageRank's random jumps land: mentions (an entity in proportion to log(1 + its "
     "mentions), so what a text repeats outranks a name said once) or uniform (networkx's "
     "default)"},
    {"pagerank.relations", T_ENUM, "undirected", 0, 0, "undirected|directed", NULL,
     "how a relation read from a sentence counts for PageRank: undirected (both ends; its "
     "subject is what the sentence is about as much as its object) or directed (source to "
     "target only); co-occurrence always counts both ways, a paper's citations and authors "
     "one way"},
    {"fuse.threshold", T_DOUBLE, "0.8", 0.5, 1, NULL, NULL,
     "kgas fuse / fuse_documents: smallest similarity at which two entities merge"},
    {"fuse.after_ingest", T_BOOL, "true", 0, 0, NULL, NULL,
     "fuse entities across documents (as kgas fuse) at the end of every ingest that added or "
     "changed documents, when the database holds two or more"},
    {"fuse.strategy", T_ENUM, "evidence_based", 0, 0, "evidence_based|confidence_weighted|temporal",
     NULL,
     "kgas fuse: whose attributes (canonical name, key) a merged cluster keeps: the entity "
     "with the most mentions (evidence_based), the highest confidence (confidence_weighted) "
     "or from the most recently ingested document (temporal)"},
    {"fuse.embedding_weight", T_DOUBLE, "0.25", 0, 0.5, NULL, NULL,
     "kgas fuse: the most the similarity of two entities' contexts (the cosine of their "
     "context vectors) can add to or take from their name score; 0 = names only"},
    {"fuse.context_mentions", T_INT, "50", 1, 100000, NULL, "mentions",
     "kgas fuse: mentions per entity whose context windows make its context vector"},
    {"embed.entity_window", T_INT, "15", 1, 1000, NULL, "words",
     "entity vectors (kgas embed) and fusion's context similarity: words each side of a "
     "mention that make an entity's context"},
    {"query.max_hops", T_INT, "2", 1, 3, NULL, "hops", "default path length for queries"},
    {"query.limit", T_INT, "10", 1, 1000, NULL, "answers", "default number of answers"},
    {"mcp.token", T_SECRET, NULL, 0, 4096, NULL, NULL,
     "bearer token the MCP HTTP transport requires (needed to bind beyond 127.0.0.1)"},
    {"mcp.workers", T_INT, "0", 0, 256, NULL, "threads",
     "MCP server worker threads running tools; 0 = one per core (at least 2)"},
    {"mcp.max_body_bytes", T_INT, "4194304", 1024, 1073741824.0, NULL, "bytes",
     "largest MCP HTTP request body or stdio line accepted"},
    {"mcp.max_connections", T_INT, "4096", 1, 1000000, NULL, "connections",
     "MCP HTTP connections open at once; a connection beyond gets 503 with Retry-After"},
    {"mcp.request_timeout_s", T_INT, "10", 1, 3600, NULL, "seconds",
     "MCP HTTP: a connection silent this long while its request is due is closed"},
    {"mcp.keepalive_timeout_s", T_INT, "5", 1, 3600, NULL, "seconds",
     "MCP HTTP: a kept-alive connection idle this long between requests is closed"},
    {"mcp.idle_timeout_s", T_INT, "300", 1, 86400, NULL, "seconds",
     "MCP HTTP sessions idle longer than this are ended (connections have their own timeouts)"},
    {"mcp.resume_grace_s", T_INT, "30", 0, 86400, NULL, "seconds",
     "MCP HTTP: how long a call whose client's stream broke runs on awaiting a resume "
     "(Last-Event-ID) before it is cancelled"},
    {"mcp.allowed_hosts", T_STR, NULL, 0, 4096, NULL, NULL,
     "comma-separated extra Host values the MCP HTTP transport accepts (loopback names "
     "always are; checked when it listens on loopback or when this is set)"},
    {"mcp.allowed_origins", T_STR, NULL, 0, 4096, NULL, NULL,
     "comma-separated extra Origin values the MCP HTTP transport accepts (localhost "
     "origins always are)"},
    {"mcp.query_timeout_ms", T_INT, "5000", 1, 600000, NULL, "ms",
     "time limit of one read_query statement"},
    {"cache.max_entries", T_INT, "256", 0, 1000000, NULL, "entries",
     "results kept by the read-tool cache (0 = no cache)"},
    {"cache.max_bytes", T_INT, "16777216", 0, 4294967296.0, NULL, "bytes",
     "memory the read-tool cache may hold"},
    {"cache.ttl_s", T_INT, "60", 0, 86400, NULL, "seconds",
     "how long a cached read-tool result stays valid"},
    API_SERVICE_SETTINGS("llm", "the LLM (chat completions)", "LLM"),
    {"extractor", T_ENUM, "rules", 0, 0, "rules|llm", NULL,
     "how ingest finds entities and relations: the local rules, or the LLM service "
     "(falling back to the rules per chunk when it fails)"},
    {"llm.entity_types", T_STR,
     "PERSON,ORG,GPE,LOC,NORP,EVENT,WORK_OF_ART,LAW,LANGUAGE,PRODUCT,DATE,MONEY,PERCENT,"
     "CONCEPT,DATASET,TASK,METHOD,METRIC,MATERIAL,THEORY",
     0, 4096, NULL, NULL, "comma-separated entity types the LLM extractor may return"},
    {"llm.relation_types", T_STR,
     "WORKS_FOR,LOCATED_IN,CREATED,LEADS,MEMBER_OF,COLLABORATES_WITH,OWNS,CITES_OR_EXTENDS,"
     "USES,EVALUATED_ON,MEASURED_BY,IMPROVES_ON,PART_OF,RELATED_TO",
     0, 4096, NULL, NULL, "comma-separated relation types the LLM extractor may return"},
    {"llm.min_confidence", T_DOUBLE, "0.7", 0, 1, NULL, NULL,
     "LLM extractor results below this confidence are dropped"},
    API_SERVICE_SETTINGS("embed", "embeddings", "embeddings"),
    {"embed.batch_size", T_INT, "64", 1, 2048, NULL, "inputs", "inputs per embeddings request"},
    {"vector.index", T_ENUM, "exact", 0, 0, "auto|exact|hnsw", NULL,
     "how vector search finds the nearest chunks: exact (scan every vector: always right, "
     "about 8 ms per 100k vectors in memory), hnsw (the approximate HNSW index, built on "
     "demand and stored: faster, recall below 1; docs/embeddings.md has the measured trade) "
     "or auto (hnsw from vector.hnsw_min_vectors vectors on)"},
    {"vector.hnsw_min_vectors", T_INT, "20000", 0, 2147483647.0, NULL, "vectors",
     "with vector.index = auto, the number of vectors of a model from which the HNSW index is "
     "used"},
    {"vector.hnsw_m", T_INT, "32", 2, 100, NULL, "links",
     "HNSW links per node (2M on the bottom layer): more is better recall, more memory and "
     "slower builds"},
    {"vector.hnsw_ef_construction", T_INT, "200", 8, 4096, NULL, "candidates",
     "HNSW candidate list length while building: more is a better graph, slower to build"},
    {"vector.hnsw_ef_search", T_INT, "256", 1, 4096, NULL, "candidates",
     "HNSW candidate list length per search (at least the number of results asked for): "
     "more is better recall, slower queries"},
};
#define NDEFS (sizeof DEFS / sizeof DEFS[0])

typedef struct value {
    char *text;
    kg_config_source src;
    char *origin;
} value;

struct kg_config {
    value v[NDEFS];
};

static int find_def(const char *name)
{
    for (size_t i = 0; i < NDEFS; i++)
        if (strcmp(DEFS[i].name, name) == 0)
            return (int)i;
    return -1;
}

int kg_config_known(const char *name)
{
    return find_def(name) >= 0;
}

int kg_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            int best = prev + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

static const char *suggest(const char *name)
{
    int best = 4;
    const char *pick = NULL;
    for (size_t i = 0; i < NDEFS; i++) {
        int d = kg_edit_distance(name, DEFS[i].name);
        /* Also compare the part after a section, so "damping" finds
         * "pagerank.damping". */
        const char *dot = strchr(DEFS[i].name, '.');
        if (dot) {
            int d2 = kg_edit_distance(name, dot + 1);
            if (d2 < d)
                d = d2;
        }
        if (d < best) {
            best = d;
            pick = DEFS[i].name;
        }
    }
    return pick;
}

static int unknown_key(const char *name, const char *origin, kg_err *err)
{
    const char *s = suggest(name);
    if (s)
        return kg_err_set(err, KG_EINVAL, "%s: unknown setting '%s' (did you mean '%s'?)", origin,
                          name, s);
    return kg_err_set(err, KG_EINVAL, "%s: unknown setting '%s' (`kgas config` lists the settings)",
                      origin, name);
}

static const char *src_names[] = {"default", "file", "env", "flag", "call"};

const char *kg_config_source_name(kg_config_source s)
{
    return (unsigned)s < 5 ? src_names[s] : "?";
}

static int enum_has(const char *choices, const char *v)
{
    size_t n = strlen(v);
    const char *p = choices;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int validate(const setting_def *d, const char *value_text, const char *origin, kg_err *err)
{
    const char *unit = d->unit ? d->unit : "";
    const char *sp = d->unit ? " " : "";
    switch (d->kind) {
    case T_INT: {
        errno = 0;
        char *end = NULL;
        long long x = strtoll(value_text, &end, 10);
        while (end && isspace((unsigned char)*end))
            end++;
        if (errno || end == value_text || (end && *end))
            return kg_err_set(err, KG_EINVAL,
                              "setting %s from %s: '%s' is not a whole number (allowed: "
                              "%.0f..%.0f%s%s)",
                              d->name, origin, value_text, d->min, d->max, sp, unit);
        if ((double)x < d->min || (double)x > d->max)
            return kg_err_set(err, KG_EINVAL,
                              "setting %s from %s: %lld is out of range (allowed: %.0f..%.0f%s%s)",
                              d->name, origin, x, d->min, d->max, sp, unit);
        return KG_OK;
    }
    case T_DOUBLE: {
        errno = 0;
        char *end = NULL;
        double x = strtod(value_text, &end);
        while (end && isspace((unsigned char)*end))
            end++;
        if (errno || end == value_text || (end && *end) || !isfinite(x))
            return kg_err_set(err, KG_EINVAL,
                              "setting %s from %s: '%s' is not a number (allowed: %g..%g)", d->name,
                              origin, value_text, d->min, d->max);
        if (x < d->min || x > d->max)
            return kg_err_set(err, KG_EINVAL,
                              "setting %s from %s: %s is out of range (allowed: %g..%g)", d->name,
                              origin, value_text, d->min, d->max);
        return KG_OK;
    }
    case T_BOOL: {
        static const char *ok[] = {"true", "false", "1", "0", "yes", "no", "on", "off"};
        for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
            if (strcmp(value_text, ok[i]) == 0)
                return KG_OK;
        return kg_err_set(err, KG_EINVAL,
                          "setting %s from %s: '%s' is not a boolean (allowed: true|false)",
                          d->name, origin, value_text);
    }
    case T_ENUM:
        if (enum_has(d->choices, value_text))
            return KG_OK;
        return kg_err_set(err, KG_EINVAL, "setting %s from %s: '%s' is not allowed (allowed: %s)",
                          d->name, origin, value_text, d->choices);
    case T_STR:
    case T_SECRET:
        if (strlen(value_text) > (size_t)d->max)
            return kg_err_set(err, KG_EINVAL,
                              "setting %s from %s: value is %zu characters, longer than %.0f",
                              d->name, origin, strlen(value_text), d->max);
        if (strchr(value_text, '\n'))
            return kg_err_set(err, KG_EINVAL, "setting %s from %s: value contains a line break",
                              d->name, origin);
        return KG_OK;
    }
    return KG_OK;
}

static void set_value(value *v, const char *text, kg_config_source src, const char *origin)
{
    free(v->text);
    free(v->origin);
    v->text = text ? kg_xstrdup(text) : NULL;
    v->src = src;
    v->origin = kg_xstrdup(origin);
}

kg_config *kg_config_new(void)
{
    kg_config *c = kg_xcalloc(1, sizeof *c);
    for (size_t i = 0; i < NDEFS; i++)
        set_value(&c->v[i], DEFS[i].def, KG_SRC_DEFAULT, "built-in default");
    return c;
}

void kg_config_free(kg_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < NDEFS; i++) {
        if (DEFS[i].kind == T_SECRET && c->v[i].text) {
            kg_redact_unregister(c->v[i].text);
            memset(c->v[i].text, 0, strlen(c->v[i].text));
        }
        free(c->v[i].text);
        free(c->v[i].origin);
    }
    free(c);
}

int kg_config_set(kg_config *c, const char *name, const char *value_text, kg_config_source src,
                  const char *origin, kg_err *err)
{
    int i = find_def(name);
    if (i < 0)
        return unknown_key(name, origin, err);
    const setting_def *d = &DEFS[i];
    if (d->kind == T_SECRET && value_text)
        kg_redact_register(value_text); /* before anything can echo it */
    int rc = validate(d, value_text, origin, err);
    if (rc)
        return rc;
    if (d->kind == T_SECRET && c->v[i].text) {
        kg_redact_unregister(c->v[i].text);
        memset(c->v[i].text, 0, strlen(c->v[i].text));
    }
    set_value(&c->v[i], value_text, src, origin);
    return KG_OK;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int kg_config_load_file(kg_config *c, const char *path, int required, kg_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!required && errno == ENOENT)
            return KG_OK;
        return kg_err_set(err, KG_EIO, "config file %s: %s", path, strerror(errno));
    }
    char line[8192];
    char section[128] = "";
    int lineno = 0;
    int rc = KG_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char origin[4200];
        snprintf(origin, sizeof origin, "%s:%d", path, lineno);
        size_t ll = strlen(line);
        if (ll == sizeof line - 1 && line[ll - 1] != '\n') {
            rc = kg_err_set(err, KG_EINVAL, "%s: line too long", origin);
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] != '\0') {
                rc = kg_err_set(err, KG_EINVAL, "%s: malformed section header '%s'", origin, s);
                break;
            }
            *close = '\0';
            snprintf(section, sizeof section, "%s", trim(s + 1));
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = kg_err_set(err, KG_EINVAL, "%s: expected 'key = value', got '%s'", origin, s);
            break;
        }
        *eq = '\0';
        char *key = trim(s);
        char *val = trim(eq + 1);
        size_t vl = strlen(val);
        if (vl >= 2 &&
            ((val[0] == '"' && val[vl - 1] == '"') || (val[0] == '\'' && val[vl - 1] == '\''))) {
            val[vl - 1] = '\0';
            val++;
        }
        char name[512];
        if (section[0])
            snprintf(name, sizeof name, "%s.%s", section, key);
        else
            snprintf(name, sizeof name, "%s", key);
        rc = kg_config_set(c, name, val, KG_SRC_FILE, origin, err);
        if (rc)
            break;
    }
    memset(line, 0, sizeof line); /* may have held a secret */
    fclose(f);
    return rc;
}

static void env_name_of(const char *name, char *out, size_t cap)
{
    size_t j = snprintf(out, cap, "KGAS_");
    for (const char *p = name; *p && j + 1 < cap; p++)
        out[j++] = *p == '.' ? '_' : (char)toupper((unsigned char)*p);
    out[j] = '\0';
}

/* Variables that are not settings but are read by kgas itself. */
static int env_reserved(const char *var)
{
    return strcmp(var, "KGAS_CONFIG") == 0;
}

int kg_config_load_env(kg_config *c, char *const *envp, kg_err *err)
{
    if (!envp)
        return KG_OK;
    for (char *const *e = envp; *e; e++) {
        if (strncmp(*e, "KGAS_", 5) != 0)
            continue;
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char var[256];
        size_t vl = (size_t)(eq - *e);
        if (vl >= sizeof var)
            continue;
        memcpy(var, *e, vl);
        var[vl] = '\0';
        if (env_reserved(var))
            continue;
        int found = -1;
        for (size_t i = 0; i < NDEFS; i++) {
            char en[256];
            env_name_of(DEFS[i].name, en, sizeof en);
            if (strcmp(en, var) == 0) {
                found = (int)i;
                break;
            }
        }
        if (found < 0) {
            /* Suggest against the environment names. */
            char lower[256];
            size_t j = 0;
            for (const char *p = var + 5; *p && j + 1 < sizeof lower; p++)
                lower[j++] = (char)tolower((unsigned char)*p);
            lower[j] = '\0';
            const char *s = suggest(lower);
            if (s) {
                char en[256];
                env_name_of(s, en, sizeof en);
                return kg_err_set(err, KG_EINVAL,
                                  "environment: unknown setting %s (did you mean %s?)", var, en);
            }
            return kg_err_set(err, KG_EINVAL,
                              "environment: unknown setting %s (`kgas config` lists the settings)",
                              var);
        }
        int rc = kg_config_set(c, DEFS[found].name, eq + 1, KG_SRC_ENV, var, err);
        if (rc)
            return rc;
    }
    return KG_OK;
}

int kg_config_validate(const kg_config *c, kg_err *err)
{
    int64_t size = kg_config_int(c, "chunk_size");
    int64_t overlap = kg_config_int(c, "chunk_overlap");
    if (overlap * 2 > size)
        return kg_err_set(err, KG_EINVAL,
                          "setting chunk_overlap from %s: %lld is more than half of chunk_size "
                          "%lld (allowed: 0..%lld tokens)",
                          kg_config_origin_of(c, "chunk_overlap"), (long long)overlap,
                          (long long)size, (long long)(size / 2));
    return KG_OK;
}

static const value *get(const kg_config *c, const char *name)
{
    int i = find_def(name);
    if (i < 0)
        return NULL;
    return &c->v[i];
}

int64_t kg_config_int(const kg_config *c, const char *name)
{
    const value *v = get(c, name);
    return v && v->text ? strtoll(v->text, NULL, 10) : 0;
}

double kg_config_double(const kg_config *c, const char *name)
{
    const value *v = get(c, name);
    return v && v->text ? strtod(v->text, NULL) : 0.0;
}

int kg_config_bool(const kg_config *c, const char *name)
{
    const value *v = get(c, name);
    if (!v || !v->text)
        return 0;
    return strcmp(v->text, "true") == 0 || strcmp(v->text, "1") == 0 ||
           strcmp(v->text, "yes") == 0 || strcmp(v->text, "on") == 0;
}

const char *kg_config_str(const kg_config *c, const char *name)
{
    const value *v = get(c, name);
    return v ? v->text : NULL;
}

kg_config_source kg_config_source_of(const kg_config *c, const char *name)
{
    const value *v = get(c, name);
    return v ? v->src : KG_SRC_DEFAULT;
}

const char *kg_config_origin_of(const kg_config *c, const char *name)
{
    const value *v = get(c, name);
    return v ? v->origin : "";
}

void kg_config_dump(const kg_config *c, int json, kg_buf *out)
{
    json_t *root = json ? json_object() : NULL;
    for (size_t i = 0; i < NDEFS; i++) {
        const setting_def *d = &DEFS[i];
        const value *v = &c->v[i];
        const char *shown = v->text;
        if (d->kind == T_SECRET)
            shown = v->text ? "[set]" : "[unset]";
        if (json) {
            json_t *o = json_object();
            json_t *jv = json_null();
            if (shown) {
                if (d->kind == T_INT)
                    jv = json_integer(strtoll(shown, NULL, 10));
                else if (d->kind == T_DOUBLE)
                    jv = json_real(strtod(shown, NULL));
                else if (d->kind == T_BOOL)
                    jv = json_boolean(kg_config_bool(c, d->name));
                else
                    jv = json_string(shown);
            }
            json_object_set_new(o, "value", jv);
            json_object_set_new(o, "source", json_string(kg_config_source_name(v->src)));
            json_object_set_new(o, "origin", json_string(v->origin));
            json_object_set_new(o, "help", json_string(d->help));
            json_object_set_new(root, d->name, o);
        } else {
            kg_buf_printf(out, "%-24s = %-24s (%s: %s)\n", d->name, shown ? shown : "(unset)",
                          kg_config_source_name(v->src), v->origin);
        }
    }
    if (json) {
        char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        kg_buf_puts(out, s);
        kg_buf_putc(out, '\n');
        free(s);
        json_decref(root);
    }
}
