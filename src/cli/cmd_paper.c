/* cmd_paper: `kgas paper FILE`: read one paper and print what was found in
 * it (header, sections, references, citations), without a database;
 * `kgas paper ID|TITLE` (an argument that is no file): the ingested paper
 * from the database, with the papers of the corpus that cite it
 * (tools/paper_view). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "paper/paper.h"
#include "paper/paper_json.h"
#include "text/load.h"
#include "tools/paper_view.h"

/* --blocks: the document text as the reader cut it, one block a line. */
typedef struct blocks_out {
    kg_buf text;
    int kind, page;
} blocks_out;

static void blocks_flush(blocks_out *o)
{
    if (!o->text.len)
        return;
    size_t n = o->text.len;
    while (n && (o->text.data[n - 1] == '\n' || o->text.data[n - 1] == ' '))
        n--;
    if (n)
        printf("[%s p%d] %.*s\n", kg_block_kind_name((kg_block_kind)o->kind), o->page, (int)n,
               o->text.data);
    kg_buf_truncate(&o->text, 0);
}

static int blocks_text(void *ud, int page, const char *s, size_t len)
{
    blocks_out *o = ud;
    if (!o->text.len)
        o->page = page;
    kg_buf_append(&o->text, s, len);
    return 0;
}

static int blocks_section(void *ud, const char *title)
{
    blocks_flush(ud);
    printf("== section: %s\n", title);
    return 0;
}

static int blocks_block(void *ud, const kg_block_info *b)
{
    blocks_out *o = ud;
    if (b->kind == KG_BLOCK_FURNITURE) {
        printf("[furniture p%d] %.*s\n", b->page, (int)b->len, b->text);
        return 0;
    }
    blocks_flush(o);
    o->kind = b->kind;
    o->page = b->page;
    return 0;
}

static void print_ref(const kg_ref *r, size_t i)
{
    if (r->number)
        printf("  [%d] ", r->number);
    else
        printf("  %zu. ", i + 1);
    for (size_t a = 0; a < r->nauthors && a < 6; a++)
        printf("%s%s", a ? ", " : "", r->authors[a]);
    if (r->nauthors > 6 || r->et_al)
        printf(" et al.");
    if (r->year && r->suffix)
        printf(" (%d%c)", r->year, r->suffix);
    else if (r->year)
        printf(" (%d)", r->year);
    if (r->title)
        printf(" %s.", r->title);
    if (r->venue)
        printf(" %s", r->venue);
    if (r->volume)
        printf(" vol. %s", r->volume);
    if (r->pages)
        printf(" pp. %s", r->pages);
    if (r->doi)
        printf(" doi:%s", r->doi);
    if (r->arxiv)
        printf(" arXiv:%s", r->arxiv);
    if (r->url)
        printf(" %s", r->url);
    printf("   [bytes %llu-%llu, p. %d]\n", (unsigned long long)r->start,
           (unsigned long long)r->end, r->page);
}

static void print_header(const kg_paper *p)
{
    printf("title: %s", p->title ? p->title : "(none)");
    printf(p->title_from ? "   (from %s)\n" : "\n", p->title_from);
    printf("header: %s\n", p->header_status ? p->header_status : "found");
    if (p->nauthors)
        printf("authors:\n");
    for (size_t i = 0; i < p->nauthors; i++) {
        const kg_paper_author *a = &p->authors[i];
        printf("  %zu. %s", i + 1, a->name);
        if (a->email)
            printf(" <%s>", a->email);
        printf("\n");
        for (size_t k = 0; k < a->naffil; k++)
            printf("     %s\n", p->affils[a->affil[k]].name);
    }
    if (p->year)
        printf("year: %d\n", p->year);
    if (p->venue)
        printf("venue: %s\n", p->venue);
    if (p->doi)
        printf("doi: %s\n", p->doi);
    if (p->arxiv)
        printf("arxiv: %s\n", p->arxiv);
    if (p->nkeywords) {
        printf("keywords:");
        for (size_t i = 0; i < p->nkeywords; i++)
            printf("%s %s", i ? ";" : "", p->keywords[i]);
        printf("\n");
    }
    if (p->abstract) {
        size_t n = strlen(p->abstract);
        printf("abstract: %.*s%s\n", (int)(n > 400 ? 400 : n), p->abstract, n > 400 ? "..." : "");
    }
}

static void print_paper(const kg_paper *p, int cites)
{
    print_header(p);
    printf("sections (%zu):\n", p->nsections);
    for (size_t i = 0; i < p->nsections; i++) {
        const kg_paper_section *s = &p->sections[i];
        printf("  %*s%s%s%s   (p. %d)\n", 2 * (s->level > 1 ? s->level - 1 : 0), "",
               s->number ? s->number : "", s->number ? " " : "", s->title, s->page);
    }
    size_t linked = 0;
    for (size_t i = 0; i < p->ncites; i++)
        linked += p->cites[i].ref >= 0;
    printf("references (%zu; %zu in-text citations, %zu linked to an entry): %s\n", p->nrefs,
           p->ncites, linked, p->refs_status ? p->refs_status : "found");
    for (size_t i = 0; i < p->nrefs; i++)
        print_ref(&p->refs[i], i);
    if (!cites)
        return;
    printf("citations (%zu):\n", p->ncites);
    for (size_t i = 0; i < p->ncites; i++) {
        const kg_citation *c = &p->cites[i];
        printf("  %s -> %ld  p. %d: %s\n", c->marker, c->ref, c->page,
               c->sentence ? c->sentence : "");
    }
    printf("acronyms (%zu):\n", p->nacronyms);
    for (size_t i = 0; i < p->nacronyms; i++)
        printf("  %s = %s\n", p->acronyms[i].short_form, p->acronyms[i].long_form);
}

/* ---- a paper from the database --------------------------------------- */

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void print_stored_header(const json_t *p)
{
    printf("title: %s\n", jstr(p, "title") ? jstr(p, "title") : "(none)");
    if (json_is_true(json_object_get(p, "ingested")))
        printf("document: %s   %s\n", jstr(p, "document_id"), jstr(p, "path"));
    else
        printf("document: none (a work cited in the corpus, not ingested)\n");
    if (json_is_true(json_object_get(p, "ingested")) && !json_is_true(json_object_get(p, "paper")))
        printf("not read as a paper (no header or references found in it)\n");
    if (jstr(p, "header"))
        printf("header: %s\n", jstr(p, "header"));
    size_t i, k;
    json_t *a, *f;
    json_array_foreach(json_object_get(p, "authors"), i, a)
    {
        printf(i ? "  %zu. %s" : "authors:\n  %zu. %s", i + 1, jstr(a, "name"));
        printf(jstr(a, "email") ? " <%s>\n" : "\n", jstr(a, "email"));
        const json_t *affs = json_object_get(a, "affiliations");
        for (k = 0; k < json_array_size(affs); k++) {
            f = json_array_get(affs, k);
            printf("     %s\n", json_string_value(f));
        }
    }
    if (json_integer_value(json_object_get(p, "year")))
        printf("year: %lld\n", (long long)json_integer_value(json_object_get(p, "year")));
    const char *fields[] = {"venue", "doi", "arxiv"};
    for (i = 0; i < 3; i++)
        if (jstr(p, fields[i]))
            printf("%s: %s\n", fields[i], jstr(p, fields[i]));
}

static void print_stored_ref(const json_t *r, size_t i)
{
    json_int_t num = json_integer_value(json_object_get(r, "number"));
    if (num)
        printf("  [%lld] ", (long long)num);
    else
        printf("  %zu. ", i + 1);
    size_t k;
    json_t *a;
    const json_t *authors = json_object_get(r, "authors");
    for (k = 0; k < json_array_size(authors); k++) {
        a = json_array_get(authors, k);
        printf("%s%s", k ? ", " : "", json_string_value(a));
    }
    if (json_is_true(json_object_get(r, "et_al")))
        printf(" et al.");
    if (json_integer_value(json_object_get(r, "year")))
        printf(" (%lld)", (long long)json_integer_value(json_object_get(r, "year")));
    if (jstr(r, "title"))
        printf(" %s.", jstr(r, "title"));
    if (jstr(r, "venue"))
        printf(" %s", jstr(r, "venue"));
    if (jstr(r, "doi"))
        printf(" doi:%s", jstr(r, "doi"));
    if (jstr(r, "arxiv"))
        printf(" arXiv:%s", jstr(r, "arxiv"));
    printf("\n");
}

static void print_stored(const json_t *p)
{
    print_stored_header(p);
    size_t i, k;
    json_t *x, *y;
    json_t *secs = json_object_get(p, "sections");
    if (json_is_true(json_object_get(p, "paper")))
        printf("sections (%zu):\n", json_array_size(secs));
    json_array_foreach(secs, i, x)
    {
        json_int_t level = json_integer_value(json_object_get(x, "level"));
        printf("  %*s%s%s%s\n", 2 * (int)(level > 1 ? level - 1 : 0), "",
               jstr(x, "number") ? jstr(x, "number") : "", jstr(x, "number") ? " " : "",
               jstr(x, "title"));
    }
    json_t *refs = json_object_get(p, "references");
    if (json_is_true(json_object_get(p, "paper")))
        printf("references (%lld): %s\n",
               (long long)json_integer_value(json_object_get(p, "n_references")),
               jstr(p, "references_status") ? jstr(p, "references_status") : "found");
    for (i = 0; i < json_array_size(refs); i++)
        print_stored_ref(json_array_get(refs, i), i);
    json_t *cb = json_object_get(p, "cited_by");
    printf("cited by (%zu in the corpus):\n", json_array_size(cb));
    json_array_foreach(cb, i, x)
    {
        printf("  %s", jstr(x, "title"));
        printf(jstr(x, "path") ? "   (%s)\n" : "\n", jstr(x, "path"));
        const json_t *sents = json_object_get(x, "sentences");
        for (k = 0; k < json_array_size(sents); k++) {
            y = json_array_get(sents, k);
            printf("    p. %lld: %s\n", (long long)json_integer_value(json_object_get(y, "page")),
                   jstr(y, "text"));
        }
    }
}

static int paper_from_db(kg_cli *c, const char *q, int json)
{
    const char *db = kg_config_str(c->cfg, "db");
    if (!kg_store_exists(db)) {
        kg_cli_error("no file '%s', and no database at %s to look it up in", q, db);
        return KG_EXIT_FAILED;
    }
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s)
        return KG_EXIT_FAILED;
    json_t *out = NULL;
    kg_err e;
    kg_err_clear(&e);
    int rc = kg_paper_view_json(s, q, &out, &e);
    kg_store_close(s);
    if (rc != KG_OK) {
        kg_cli_error("%s", e.msg);
        return KG_EXIT_FAILED;
    }
    if (json) {
        kg_cli_print_json(out);
        return KG_EXIT_OK;
    }
    print_stored(out);
    json_decref(out);
    return KG_EXIT_OK;
}

/* ---- a paper read from its file ---------------------------------------- */

static int paper_from_file(kg_cli *c, const char *path, int json, int blocks, int cites)
{
    kg_paper_builder *b = kg_paper_builder_new();
    blocks_out bo = {KG_BUF_INIT, 0, 1};
    kg_load_sink show = {blocks_text, blocks_section, &bo, blocks_block};
    kg_load_sink sink;
    kg_paper_builder_tee(b, blocks ? &show : NULL, &sink);
    kg_load_info info;
    kg_err e;
    kg_err_clear(&e);
    if (kg_load_file(&c->policy, path, KG_KIND_UNKNOWN, &sink, &info, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        kg_paper_builder_free(b);
        kg_buf_free(&bo.text);
        return KG_EXIT_FAILED;
    }
    blocks_flush(&bo);
    kg_buf_free(&bo.text);
    kg_paper *p = kg_paper_builder_finish(b, &info);
    kg_paper_builder_free(b);
    if (json) {
        json_t *o = kg_paper_json(p, cites ? KG_PAPER_JSON_CITATIONS : 0);
        json_object_set_new(o, "path", json_string(path));
        json_object_set_new(o, "pages", json_integer(info.pages));
        json_object_set_new(o, "warning", info.warning ? json_string(info.warning) : json_null());
        kg_cli_print_json(o);
    } else if (!blocks) {
        print_paper(p, cites);
        if (info.warning)
            printf("warning: %s\n", info.warning);
    }
    kg_paper_free(p);
    kg_load_info_free(&info);
    return KG_EXIT_OK;
}

int kg_cmd_paper(kg_cli *c)
{
    int json = 0, blocks = 0, cites = 0;
    const char *path = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        if (strcmp(a, "--json") == 0)
            json = 1;
        else if (strcmp(a, "--blocks") == 0)
            blocks = 1;
        else if (strcmp(a, "--citations") == 0)
            cites = 1;
        else if (a[0] == '-' && a[1])
            return kg_cli_usage_error(c, "unknown option '%s'", a);
        else if (!path)
            path = a;
        else
            return kg_cli_usage_error(c, "one file at a time ('%s' is one too many)", a);
    }
    if (!path)
        return kg_cli_usage_error(
            c, "give a file (`kgas paper paper.pdf`) or an ingested paper's id or title");
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    struct stat st;
    if (stat(path, &st) == 0)
        return paper_from_file(c, path, json, blocks, cites);
    if (blocks || cites)
        return kg_cli_usage_error(c, "no file '%s' (--blocks and --citations read a file)", path);
    return paper_from_db(c, path, json);
}
