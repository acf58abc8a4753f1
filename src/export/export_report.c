/* export_report: the document-style formats of export.h: latex (tables of
 * entities and relations), bibtex (one entry per document) and markdown (a
 * report with citations).  These are for people, so they hold the top of
 * the graph, not all of it: tables and lists are bounded (below). */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "export/export_escape.h"
#include "export/export_internal.h"
#include "store/graph_read.h"
#include "store/graph_store.h"

#define REPORT_ENTITIES 50 /* unless the filter's limit says otherwise */
#define REPORT_RELATIONS 50
#define MD_ENTITIES 20
#define MD_RELATIONS 15
#define MD_EVIDENCE 2
#define MD_SENTENCE 300

static int keep(kg_export_out *o, int rc)
{
    if (rc && !o->rc)
        o->rc = rc;
    return o->rc;
}

/* The filter with a default top-N when the caller gave none. */
static kg_export_filter bounded(const kg_export_out *o, int64_t n)
{
    kg_export_filter f = o->opts->filter;
    if (f.limit <= 0)
        f.limit = n;
    return f;
}

/* ---- latex ------------------------------------------------------------ */

static int tex_node(void *ud, const kg_export_node *n)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_buf_printf(b, "%lld & ", (long long)n->rank);
    kg_export_latex(b, n->name);
    kg_buf_puts(b, " & ");
    kg_export_latex(b, n->type);
    kg_buf_printf(b, " & %.6f & %lld \\\\\n", n->pagerank, (long long)n->mentions);
    o->stats->nodes++;
    return kg_export_out_row(o);
}

static int tex_edge(void *ud, const kg_export_edge *e)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_export_latex(b, e->source_name);
    kg_buf_puts(b, " & ");
    kg_export_latex(b, e->type);
    kg_buf_puts(b, " & ");
    kg_export_latex(b, e->target_name);
    kg_buf_printf(b, " & %.3f & %lld \\\\\n", e->weight, (long long)e->support);
    o->stats->edges++;
    return kg_export_out_row(o);
}

int kg_export_latex_doc(kg_export_out *o)
{
    kg_export_filter f = bounded(o, REPORT_ENTITIES);
    if (kg_export_out_open(o, kg_export_default_file(KG_EXPORT_LATEX)))
        return o->rc;
    kg_buf_puts(&o->buf, "% kgas knowledge graph tables; compile with pdflatex, or copy the\n"
                         "% longtable environments into a paper (needs longtable and booktabs).\n"
                         "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n"
                         "\\usepackage[utf8]{inputenc}\n\\usepackage{longtable}\n"
                         "\\usepackage{booktabs}\n\\begin{document}\n\n"
                         "\\section*{Entities by PageRank}\n\\begin{longtable}{rllrr}\n\\toprule\n"
                         "Rank & Entity & Type & PageRank & Mentions \\\\\n\\midrule\n\\endhead\n");
    keep(o, kg_store_export_nodes(o->store, &f, tex_node, o, o->err));
    kg_buf_puts(&o->buf, "\\bottomrule\n\\end{longtable}\n\n\\section*{Relations}\n"
                         "\\begin{longtable}{lllrr}\n\\toprule\n"
                         "Source & Relation & Target & Weight & Support \\\\\n\\midrule\n"
                         "\\endhead\n");
    keep(o, kg_store_export_edges(o->store, &f, KG_EXPORT_BY_WEIGHT, REPORT_RELATIONS, tex_edge, o,
                                  o->err));
    kg_buf_puts(&o->buf, "\\bottomrule\n\\end{longtable}\n\n\\end{document}\n");
    return kg_export_out_close(o);
}

/* ---- bibtex ----------------------------------------------------------- */

/* The n-th non-empty line of text (trimmed) into out; 0 when none. */
static int nth_line(const char *text, int n, char *out, size_t cap)
{
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *a = p, *z = p + len;
        while (a < z && isspace((unsigned char)*a))
            a++;
        while (z > a && isspace((unsigned char)z[-1]))
            z--;
        if (z > a && n-- == 0) {
            size_t k = (size_t)(z - a) < cap - 1 ? (size_t)(z - a) : cap - 1;
            memcpy(out, a, k);
            out[k] = '\0';
            return 1;
        }
        p = end ? end + 1 : p + len;
    }
    return 0;
}

/* Heuristic: an author line is short, has no digits or sentence end, and
 * most of its words are capitalised (names, initials) or "and". */
static int looks_like_authors(const char *line)
{
    size_t len = strlen(line);
    if (len < 5 || len > 200 || strpbrk(line, "0123456789:;?!") || line[len - 1] == '.')
        return 0;
    int words = 0, caps = 0;
    for (const char *p = line; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ' && *p != ',')
            p++;
        words++;
        if (isupper((unsigned char)*w) || (p - w == 3 && strncmp(w, "and", 3) == 0) ||
            ((unsigned char)*w >= 0xC0))
            caps++;
    }
    return words >= 2 && words <= 24 && caps * 10 >= words * 9;
}

/* Year: the first 1500..2099 standing alone in the head of the text. */
static int find_year(const char *text)
{
    for (const char *p = text; p[0] && p[1] && p[2] && p[3]; p++) {
        if ((p == text || !isdigit((unsigned char)p[-1])) && !isdigit((unsigned char)p[4]) &&
            ((p[0] == '1' && p[1] >= '5' && p[1] <= '9') || (p[0] == '2' && p[1] == '0')) &&
            isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]))
            return (int)strtol(p, NULL, 10);
    }
    return 0;
}

/* "A, B and C" -> "A and B and C" (BibTeX's separator), escaped. */
static void bib_authors(kg_buf *b, const char *line)
{
    kg_buf tmp = KG_BUF_INIT;
    for (const char *p = line; *p; p++) {
        if (*p == ',') {
            kg_buf_puts(&tmp, " and ");
            while (p[1] == ' ')
                p++;
            if (strncmp(p + 1, "and ", 4) == 0)
                p += 4;
        } else {
            kg_buf_putc(&tmp, *p);
        }
    }
    kg_export_bibtex(b, kg_buf_str(&tmp));
    kg_buf_free(&tmp);
}

/* The fields of a document's entry: from its reading as a paper where
 * that found them, else guessed from its first lines. */
typedef struct bib_fields {
    char title[256];
    kg_buf authors; /* BibTeX-escaped, " and "-separated; empty: none */
    int year;
    const char *venue, *doi, *arxiv; /* borrowed from the paper record */
} bib_fields;

/* Title, authors and year guessed from the text (documents not read as
 * papers, and what a paper's header did not give). */
static void bib_guess(const kg_export_doc *d, bib_fields *f)
{
    char line[256];
    int skip = 0;
    const char *slash = strrchr(d->path, '/'), *base = slash ? slash + 1 : d->path;
    /* A stored title that is only the file name (text files) is worth less
     * than a short first line, which is how papers start. */
    if (f->title[0]) {
        /* given */
    } else if (d->title[0] && strcmp(d->title, base) != 0) {
        snprintf(f->title, sizeof f->title, "%s", d->title);
    } else if (nth_line(d->head, 0, f->title, sizeof f->title) && strlen(f->title) < 200 &&
               f->title[strlen(f->title) - 1] != '.') {
        skip = 1; /* the first line served as the title */
    } else {
        snprintf(f->title, sizeof f->title, "%s", d->title[0] ? d->title : base);
    }
    /* Authors: among the first lines after the title, the first that
     * looks like a list of names.  A guess; docs/exports.md says so. */
    for (int i = skip; !f->authors.len && i < skip + 5 && nth_line(d->head, i, line, sizeof line);
         i++)
        if (strcmp(line, f->title) != 0 && looks_like_authors(line))
            bib_authors(&f->authors, line);
    if (!f->year) {
        char head[1001];
        snprintf(head, sizeof head, "%s", d->head);
        f->year = find_year(head);
    }
}

/* What the paper record gives: title, authors in order, year, venue, DOI,
 * arXiv id.  rec stays alive while f's borrowed strings are used. */
static void bib_from_paper(json_t *rec, bib_fields *f)
{
    const char *t = json_string_value(json_object_get(rec, "title"));
    if (t && *t)
        snprintf(f->title, sizeof f->title, "%s", t);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(rec, "authors"), i, a)
    {
        if (i)
            kg_buf_puts(&f->authors, " and ");
        kg_export_bibtex(&f->authors, json_string_value(json_object_get(a, "name")));
    }
    f->year = (int)json_integer_value(json_object_get(rec, "year"));
    f->venue = json_string_value(json_object_get(rec, "venue"));
    f->doi = json_string_value(json_object_get(rec, "doi"));
    f->arxiv = json_string_value(json_object_get(rec, "arxiv"));
}

/* A venue naming a meeting ("2010 International Conference on ...",
 * "Proceedings of ...", "PLDI'09"-style notes are not recognised). */
static int is_proceedings(const char *venue)
{
    static const char *const words[] = {"conference", "proceedings", "workshop", "symposium",
                                        "congress"};
    char low[512];
    size_t n = 0;
    for (; n < sizeof low - 1 && venue[n]; n++)
        low[n] = (char)tolower((unsigned char)venue[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(low, words[i]))
            return 1;
    return 0;
}

static void bib_field(kg_buf *b, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    kg_buf_printf(b, "  %s = {", name);
    kg_export_bibtex(b, value);
    kg_buf_puts(b, "},\n");
}

static int bib_doc(void *ud, const kg_export_doc *d)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    bib_fields f = {.authors = KG_BUF_INIT};
    json_t *rec = d->paper ? json_loads(d->paper, 0, NULL) : NULL;
    /* A paper: what its header gave, nothing guessed (a year in its first
     * lines is as likely a cited work's). */
    if (json_is_object(rec))
        bib_from_paper(rec, &f);
    if (!json_is_object(rec) || !f.title[0])
        bib_guess(d, &f);
    /* A paper with a venue is in proceedings when the venue says so, else
     * an article in a journal; anything else is misc. */
    int procs = f.venue && is_proceedings(f.venue);
    kg_buf_printf(b, "@%s{%s,\n  title = {{",
                  procs     ? "inproceedings"
                  : f.venue ? "article"
                            : "misc",
                  d->id);
    kg_export_bibtex(b, f.title);
    kg_buf_puts(b, "}},\n");
    if (f.authors.len)
        kg_buf_printf(b, "  author = {%s},\n", kg_buf_str(&f.authors));
    if (f.year)
        kg_buf_printf(b, "  year = {%d},\n", f.year);
    bib_field(b, procs ? "booktitle" : "journal", f.venue);
    bib_field(b, "doi", f.doi);
    if (f.arxiv) {
        bib_field(b, "eprint", f.arxiv);
        kg_buf_puts(b, "  archivePrefix = {arXiv},\n");
    }
    bib_field(b, "howpublished", d->path);
    kg_buf_printf(b, "  note = {%s, %d pages; kgas document %s}\n}\n\n", d->kind, d->pages, d->id);
    kg_buf_free(&f.authors);
    json_decref(rec);
    o->stats->documents++;
    return kg_export_out_row(o);
}

int kg_export_bibtex_doc(kg_export_out *o)
{
    if (kg_export_out_open(o, kg_export_default_file(KG_EXPORT_BIBTEX)))
        return o->rc;
    kg_buf_puts(&o->buf, "% kgas documents. A paper's title, authors, year, venue, DOI and arXiv\n"
                         "% id are those read from its header at ingest; for other documents\n"
                         "% authors and years are guessed from the first lines: check them.\n\n");
    keep(o, kg_store_export_docs(o->store, bib_doc, o, o->err));
    return kg_export_out_close(o);
}

/* ---- markdown --------------------------------------------------------- */

static int md_node(void *ud, const kg_export_node *n)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_buf_printf(b, "| %lld | ", (long long)n->rank);
    kg_export_markdown(b, n->name);
    kg_buf_puts(b, " | ");
    kg_export_markdown(b, n->type);
    kg_buf_printf(b, " | %.6f | %lld |\n", n->pagerank, (long long)n->mentions);
    o->stats->nodes++;
    return kg_export_out_row(o);
}

void kg_export_md_clip(kg_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        kg_export_markdown(b, s);
        return;
    }
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    char *cut = kg_xstrndup(s, max);
    kg_export_markdown(b, cut);
    kg_buf_puts(b, "…");
    free(cut);
}

static int md_edge(void *ud, const kg_export_edge *e)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_buf_printf(b, "%lld. **", (long long)o->stats->edges + 1);
    kg_export_markdown(b, e->source_name);
    kg_buf_puts(b, "** —");
    kg_export_markdown(b, e->type);
    kg_buf_puts(b, "→ **");
    kg_export_markdown(b, e->target_name);
    kg_buf_printf(b, "** (weight %.2f, %lld supporting sentences)\n", e->weight,
                  (long long)e->support);
    kg_evidence_row *ev = NULL;
    size_t n = 0;
    int rc = kg_store_relation_evidence(o->store, e->source, e->target, e->type, MD_EVIDENCE, &ev,
                                        &n, o->err);
    if (rc)
        return keep(o, rc);
    for (size_t i = 0; i < n; i++) {
        kg_buf_puts(b, "   - “");
        kg_export_md_clip(b, ev[i].sentence ? ev[i].sentence : "", MD_SENTENCE);
        kg_buf_puts(b, "” — *");
        const char *t = ev[i].title && ev[i].title[0] ? ev[i].title : ev[i].path;
        kg_export_markdown(b, t ? t : ev[i].doc_id);
        kg_buf_printf(b, "*, p. %d\n", ev[i].page);
    }
    kg_evidence_rows_free(ev, n);
    o->stats->edges++;
    return kg_export_out_row(o);
}

int kg_export_markdown_doc(kg_export_out *o)
{
    if (kg_export_out_open(o, kg_export_default_file(KG_EXPORT_MARKDOWN)))
        return o->rc;
    kg_store_stats st = {0};
    if (keep(o, kg_store_stats_get(o->store, &st, o->err)))
        return kg_export_out_close(o);
    kg_buf_printf(&o->buf,
                  "# Knowledge graph report\n\n%lld documents (%lld pages), %lld entities, "
                  "%lld relationships.\n\n## Top entities by PageRank\n\n"
                  "| Rank | Entity | Type | PageRank | Mentions |\n|---:|---|---|---:|---:|\n",
                  (long long)st.documents, (long long)st.pages, (long long)st.entities,
                  (long long)st.relationships);
    kg_export_filter f = bounded(o, MD_ENTITIES);
    keep(o, kg_store_export_nodes(o->store, &f, md_node, o, o->err));
    kg_buf_puts(&o->buf, "\n## Key relations\n\nThe heaviest relations among these entities, "
                         "each with the sentences that state it (document, page).\n\n");
    keep(o, kg_store_export_edges(o->store, &f, KG_EXPORT_BY_WEIGHT, MD_RELATIONS, md_edge, o,
                                  o->err));
    if (!o->rc)
        kg_export_md_papers(o);
    return kg_export_out_close(o);
}
