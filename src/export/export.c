/* export: see export.h.  This file has the format table (from
 * export_list.h) and the dispatch, the writer, the sinks and the csv and
 * json formats; export_formats.c and export_report.c have the rest. */
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/export_escape.h"
#include "export/export_internal.h"

static const struct {
    const char *name, *file;
    int multi;
    kg_export_group group;
    kg_export_writer *write;
    const char *help;
} FORMATS[] = {
#define KG_EXPORT_FORMAT(id, name, file, multi, group, writer, help) \
    [KG_EXPORT_##id] = {name, file, multi, group, writer, help},
#include "export/export_list.h"
#undef KG_EXPORT_FORMAT
};
#define NFORMATS (sizeof FORMATS / sizeof FORMATS[0])

size_t kg_export_format_count(void)
{
    return NFORMATS;
}

int kg_export_format_parse(const char *name, kg_export_format *out, kg_err *err)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (name && strcasecmp(name, FORMATS[i].name) == 0) {
            *out = (kg_export_format)i;
            return KG_OK;
        }
    kg_buf names = KG_BUF_INIT;
    for (size_t i = 0; i < NFORMATS; i++) {
        kg_buf_list_sep(&names, i, NFORMATS, "or");
        kg_buf_puts(&names, FORMATS[i].name);
    }
    kg_err_set(err, KG_EINVAL, "unknown export format '%s' (use %s)", name ? name : "",
               kg_buf_str(&names));
    kg_buf_free(&names);
    return KG_EINVAL;
}

const char *kg_export_format_name(kg_export_format f)
{
    return FORMATS[f].name;
}
int kg_export_format_multi(kg_export_format f)
{
    return FORMATS[f].multi;
}
const char *kg_export_default_file(kg_export_format f)
{
    return FORMATS[f].file;
}
kg_export_group kg_export_format_group(kg_export_format f)
{
    return FORMATS[f].group;
}
const char *kg_export_format_help(kg_export_format f)
{
    return FORMATS[f].help;
}

/* ---- the writer ------------------------------------------------------- */

static int out_flush(kg_export_out *o)
{
    if (o->rc || o->buf.len == 0)
        return o->rc;
    o->rc = o->sink->write(o->sink->ud, o->buf.data, o->buf.len, o->err);
    o->stats->bytes += (int64_t)o->buf.len;
    kg_buf_truncate(&o->buf, 0);
    return o->rc;
}

int kg_export_out_open(kg_export_out *o, const char *name)
{
    if (!o->rc) {
        o->rc = o->sink->open(o->sink->ud, name, o->err);
        if (!o->rc)
            o->stats->files++;
    }
    return o->rc;
}

int kg_export_out_close(kg_export_out *o)
{
    out_flush(o);
    int rc = o->sink->close(o->sink->ud, o->err);
    if (!o->rc)
        o->rc = rc;
    return o->rc;
}

int kg_export_out_row(kg_export_out *o)
{
    if (o->buf.len >= KG_EXPORT_FLUSH)
        out_flush(o);
    if (!o->rc && (++o->rows & 255) == 0 && o->opts->cancel && *o->opts->cancel)
        o->rc = kg_err_set(o->err, KG_ECANCELED, "export cancelled");
    return o->rc;
}

/* ---- csv -------------------------------------------------------------- */

static int csv_node(void *ud, const kg_export_node *n)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_export_csv(b, n->id);
    kg_buf_putc(b, ',');
    kg_export_csv(b, n->name);
    kg_buf_putc(b, ',');
    kg_export_csv(b, n->type);
    kg_buf_printf(b, ",%.17g,%lld,%.17g,%lld,", n->pagerank, (long long)n->rank, n->confidence,
                  (long long)n->mentions);
    kg_export_csv(b, n->aliases);
    kg_buf_puts(b, "\r\n");
    o->stats->nodes++;
    return kg_export_out_row(o);
}

static int csv_edge(void *ud, const kg_export_edge *e)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_export_csv(b, e->id);
    kg_buf_putc(b, ',');
    kg_export_csv(b, e->source);
    kg_buf_putc(b, ',');
    kg_export_csv(b, e->target);
    kg_buf_putc(b, ',');
    kg_export_csv(b, e->type);
    kg_buf_printf(b, ",%.17g,%.17g,%lld,", e->weight, e->confidence, (long long)e->support);
    kg_export_csv(b, e->method);
    kg_buf_puts(b, "\r\n");
    o->stats->edges++;
    return kg_export_out_row(o);
}

/* Adjacency rows arrive ordered by source then target; a node's list is
 * built in `cur` and written when the source changes, so only one node's
 * neighbours are held at a time. */
typedef struct adj_state {
    kg_export_out *o;
    int json;
    kg_buf src, last, list;
    int64_t count, nodes;
} adj_state;

static void adj_emit(adj_state *a)
{
    if (!a->src.len)
        return;
    kg_buf *b = &a->o->buf;
    if (a->json) {
        kg_buf_puts(b, a->nodes ? ",\n" : "\n");
        kg_export_json(b, kg_buf_str(&a->src));
        kg_buf_puts(b, ":[");
        kg_buf_puts(b, kg_buf_str(&a->list));
        kg_buf_putc(b, ']');
    } else {
        kg_export_csv(b, kg_buf_str(&a->src));
        kg_buf_printf(b, ",%lld,", (long long)a->count);
        kg_export_csv(b, kg_buf_str(&a->list));
        kg_buf_puts(b, "\r\n");
    }
    a->nodes++;
}

static int adj_edge(void *ud, const kg_export_edge *e)
{
    adj_state *a = ud;
    if (strcmp(kg_buf_str(&a->src), e->source) != 0) {
        adj_emit(a);
        kg_buf_truncate(&a->src, 0);
        kg_buf_puts(&a->src, e->source);
        kg_buf_truncate(&a->list, 0);
        kg_buf_truncate(&a->last, 0);
        a->count = 0;
    } else if (strcmp(kg_buf_str(&a->last), e->target) == 0) {
        return 0; /* a parallel edge: the neighbour is listed once */
    }
    if (a->count)
        kg_buf_putc(&a->list, a->json ? ',' : ';');
    if (a->json)
        kg_export_json(&a->list, e->target);
    else
        kg_buf_puts(&a->list, e->target);
    kg_buf_truncate(&a->last, 0);
    kg_buf_puts(&a->last, e->target);
    a->count++;
    return kg_export_out_row(a->o);
}

static int adjacency(kg_export_out *o, int json)
{
    adj_state a = {.o = o, .json = json};
    int rc = kg_store_export_edges(o->store, &o->opts->filter,
                                   KG_EXPORT_BOTH_WAYS | KG_EXPORT_BY_SOURCE, 0, adj_edge, &a,
                                   o->err);
    if (!rc) {
        adj_emit(&a);
        rc = kg_export_out_row(o);
    } else if (!o->rc) {
        o->rc = rc;
    }
    kg_buf_free(&a.src);
    kg_buf_free(&a.last);
    kg_buf_free(&a.list);
    return o->rc ? o->rc : rc;
}

/* Runs a store iteration and folds its status into the writer's. */
static int keep(kg_export_out *o, int rc)
{
    if (rc && !o->rc)
        o->rc = rc;
    return o->rc;
}

int kg_export_csv_doc(kg_export_out *o)
{
    const kg_export_filter *f = &o->opts->filter;
    if (kg_export_out_open(o, "nodes.csv"))
        return o->rc;
    kg_buf_puts(&o->buf, "id,name,type,pagerank,rank,confidence,mentions,aliases\r\n");
    keep(o, kg_store_export_nodes(o->store, f, csv_node, o, o->err));
    if (kg_export_out_close(o) || kg_export_out_open(o, "edges.csv"))
        return o->rc;
    kg_buf_puts(&o->buf, "id,source,target,type,weight,confidence,support,method\r\n");
    keep(o, kg_store_export_edges(o->store, f, 0, 0, csv_edge, o, o->err));
    if (kg_export_out_close(o) || kg_export_out_open(o, "adjacency.csv"))
        return o->rc;
    kg_buf_puts(&o->buf, "source,degree,targets\r\n");
    adjacency(o, 0);
    return kg_export_out_close(o);
}

/* ---- json ------------------------------------------------------------- */

static void json_aliases(kg_buf *b, const char *text)
{
    /* Stored as JSON already; re-encoded so a damaged value cannot break
     * the document. */
    json_t *v = json_loads(text, 0, NULL);
    char *s = json_is_array(v) ? json_dumps(v, JSON_COMPACT) : NULL;
    kg_buf_puts(b, s ? s : "[]");
    free(s);
    json_decref(v);
}

static int json_node(void *ud, const kg_export_node *n)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_buf_puts(b, o->stats->nodes ? ",\n{\"id\":" : "\n{\"id\":");
    kg_export_json(b, n->id);
    kg_buf_puts(b, ",\"name\":");
    kg_export_json(b, n->name);
    kg_buf_puts(b, ",\"type\":");
    kg_export_json(b, n->type);
    kg_buf_printf(b,
                  ",\"pagerank\":%.17g,\"rank\":%lld,\"confidence\":%.17g,\"mentions\":%lld,"
                  "\"aliases\":",
                  n->pagerank, (long long)n->rank, n->confidence, (long long)n->mentions);
    json_aliases(b, n->aliases);
    kg_buf_putc(b, '}');
    o->stats->nodes++;
    return kg_export_out_row(o);
}

static int json_edge(void *ud, const kg_export_edge *e)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_buf_puts(b, o->stats->edges ? ",\n{\"id\":" : "\n{\"id\":");
    kg_export_json(b, e->id);
    kg_buf_puts(b, ",\"source\":");
    kg_export_json(b, e->source);
    kg_buf_puts(b, ",\"target\":");
    kg_export_json(b, e->target);
    kg_buf_puts(b, ",\"type\":");
    kg_export_json(b, e->type);
    kg_buf_printf(b,
                  ",\"weight\":%.17g,\"confidence\":%.17g,\"support\":%lld,\"method\":", e->weight,
                  e->confidence, (long long)e->support);
    kg_export_json(b, e->method);
    kg_buf_putc(b, '}');
    o->stats->edges++;
    return kg_export_out_row(o);
}

int kg_export_json_doc(kg_export_out *o)
{
    const kg_export_filter *f = &o->opts->filter;
    if (kg_export_out_open(o, FORMATS[KG_EXPORT_JSON].file))
        return o->rc;
    kg_buf_puts(&o->buf, "{\"nodes\":[");
    keep(o, kg_store_export_nodes(o->store, f, json_node, o, o->err));
    kg_buf_puts(&o->buf, "\n],\n\"edges\":[");
    keep(o, kg_store_export_edges(o->store, f, 0, 0, json_edge, o, o->err));
    kg_buf_puts(&o->buf, "\n],\n\"adjacency\":{");
    if (!o->rc)
        adjacency(o, 1);
    kg_buf_puts(&o->buf, "\n}}\n");
    return kg_export_out_close(o);
}

int kg_export_run(kg_store *s, const kg_export_opts *opts, const kg_export_sink *sink,
                  kg_export_stats *st, kg_err *err)
{
    kg_export_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    kg_export_out o = {.sink = sink, .opts = opts, .store = s, .stats = st, .err = err};
    /* One read transaction: every file of an export sees the same graph. */
    int rc = kg_store_export_begin(s, err);
    if (rc)
        return rc;
    if ((size_t)opts->format < NFORMATS)
        rc = FORMATS[opts->format].write(&o);
    else
        rc = kg_err_set(err, KG_EINVAL, "unknown export format %d", (int)opts->format);
    kg_buf_free(&o.buf);
    kg_store_export_end(s);
    return rc;
}

/* ---- sinks ------------------------------------------------------------ */

static int stream_open(void *ud, const char *name, kg_err *err)
{
    kg_export_stream *st = ud;
    if (st->opened++)
        return kg_err_set(err, KG_EINVAL,
                          "this format writes several files (%s is the second): give an "
                          "output directory",
                          name);
    return KG_OK;
}

static int stream_write(void *ud, const void *data, size_t len, kg_err *err)
{
    kg_export_stream *st = ud;
    if (fwrite(data, 1, len, st->f) != len)
        return kg_err_set(err, KG_EIO, "cannot write the export: %s", strerror(errno));
    return KG_OK;
}

static int stream_close(void *ud, kg_err *err)
{
    kg_export_stream *st = ud;
    if (fflush(st->f) != 0)
        return kg_err_set(err, KG_EIO, "cannot write the export: %s", strerror(errno));
    return KG_OK;
}

void kg_export_stream_sink(kg_export_stream *st, FILE *f, kg_export_sink *sink)
{
    st->f = f;
    st->opened = 0;
    *sink = (kg_export_sink){stream_open, stream_write, stream_close, st};
}

static int mem_open(void *ud, const char *name, kg_err *err)
{
    kg_export_mem *m = ud;
    if (m->n == sizeof m->names / sizeof m->names[0])
        return kg_err_set(err, KG_EINVAL, "too many export files");
    m->names[m->n] = kg_xstrdup(name);
    kg_buf_truncate(&m->texts[m->n], 0);
    m->n++;
    return KG_OK;
}

static int mem_write(void *ud, const void *data, size_t len, kg_err *err)
{
    kg_export_mem *m = ud;
    if (m->total + len > m->max_bytes)
        return kg_err_set(err, KG_ETOOBIG,
                          "the export is larger than %zu bytes, too big to return inline: "
                          "give output_path to write it to a file",
                          m->max_bytes);
    m->total += len;
    kg_buf_append(&m->texts[m->n - 1], data, len);
    return KG_OK;
}

static int mem_close(void *ud, kg_err *err)
{
    (void)ud;
    (void)err;
    return KG_OK;
}

void kg_export_mem_sink(kg_export_mem *m, size_t max_bytes, kg_export_sink *sink)
{
    memset(m, 0, sizeof *m);
    m->max_bytes = max_bytes;
    *sink = (kg_export_sink){mem_open, mem_write, mem_close, m};
}

void kg_export_mem_free(kg_export_mem *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->names[i]);
    for (size_t i = 0; i < sizeof m->texts / sizeof m->texts[0]; i++)
        kg_buf_free(&m->texts[i]);
    memset(m, 0, sizeof *m);
}
