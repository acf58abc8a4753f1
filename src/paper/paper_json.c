/* paper_json: a kg_paper as JSON (paper_json.h). */
#include "paper/paper_json.h"

#include <jansson.h>
#include <stdlib.h>

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *span(uint64_t a, uint64_t b)
{
    return json_pack("[I, I]", (json_int_t)a, (json_int_t)b);
}

static json_t *strings(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *authors(const kg_paper *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->nauthors; i++) {
        const kg_paper_author *au = &p->authors[i];
        json_t *aff = json_array();
        for (size_t k = 0; k < au->naffil; k++)
            json_array_append_new(aff, json_string(p->affils[au->affil[k]].name));
        json_array_append_new(a, json_pack("{s:s, s:o, s:o}", "name", au->name, "email",
                                           str_or_null(au->email), "affiliations", aff));
    }
    return a;
}

static json_t *sections(const kg_paper *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->nsections; i++) {
        const kg_paper_section *s = &p->sections[i];
        json_array_append_new(a,
                              json_pack("{s:o, s:s, s:i, s:i, s:I}", "number",
                                        str_or_null(s->number), "title", s->title, "level",
                                        s->level, "page", s->page, "start", (json_int_t)s->start));
    }
    return a;
}

static json_t *ref_json(const kg_ref *r, size_t cited)
{
    json_t *o = json_object();
    json_object_set_new(o, "number", r->number ? json_integer(r->number) : json_null());
    json_object_set_new(o, "authors", strings(r->authors, r->nauthors));
    json_object_set_new(o, "et_al", json_boolean(r->et_al));
    json_object_set_new(o, "title", str_or_null(r->title));
    json_object_set_new(o, "venue", str_or_null(r->venue));
    if (r->year) {
        char y[8];
        snprintf(y, sizeof y, "%d%c", r->year, r->suffix ? r->suffix : '\0');
        json_object_set_new(o, "year", json_integer(r->year));
        if (r->suffix)
            json_object_set_new(o, "year_label", json_string(y));
    } else {
        json_object_set_new(o, "year", json_null());
    }
    json_object_set_new(o, "volume", str_or_null(r->volume));
    json_object_set_new(o, "pages", str_or_null(r->pages));
    json_object_set_new(o, "doi", str_or_null(r->doi));
    json_object_set_new(o, "arxiv", str_or_null(r->arxiv));
    json_object_set_new(o, "url", str_or_null(r->url));
    json_object_set_new(o, "raw", json_string(r->raw ? r->raw : ""));
    json_object_set_new(o, "span", span(r->start, r->end));
    json_object_set_new(o, "page", json_integer(r->page));
    json_object_set_new(o, "cited", json_integer((json_int_t)cited));
    return o;
}

static json_t *references(const kg_paper *p)
{
    size_t *cited = calloc(p->nrefs + 1, sizeof *cited);
    for (size_t i = 0; i < p->ncites; i++)
        if (p->cites[i].ref >= 0 && cited)
            cited[p->cites[i].ref]++;
    json_t *a = json_array();
    for (size_t i = 0; i < p->nrefs; i++)
        json_array_append_new(a, ref_json(&p->refs[i], cited ? cited[i] : 0));
    free(cited);
    return a;
}

static json_t *citations(const kg_paper *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->ncites; i++) {
        const kg_citation *c = &p->cites[i];
        json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o, s:o, s:i}", "marker", c->marker,
                                           "ref", c->ref >= 0 ? json_integer(c->ref) : json_null(),
                                           "span", span(c->start, c->end), "sentence",
                                           str_or_null(c->sentence), "sentence_span",
                                           span(c->sent_start, c->sent_end), "page", c->page));
    }
    return a;
}

static json_t *acronyms(const kg_paper *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->nacronyms; i++) {
        const kg_acronym *x = &p->acronyms[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "short", x->short_form, "long",
                                           x->long_form, "span", span(x->start, x->end)));
    }
    return a;
}

void *kg_paper_json(const kg_paper *p, unsigned what)
{
    json_t *o = json_object();
    json_object_set_new(o, "title", str_or_null(p->title));
    json_object_set_new(o, "title_from", str_or_null(p->title_from));
    json_object_set_new(o, "header", json_string(p->header_status ? p->header_status : "found"));
    json_object_set_new(o, "authors", authors(p));
    json_object_set_new(o, "year", p->year ? json_integer(p->year) : json_null());
    json_object_set_new(o, "doi", str_or_null(p->doi));
    json_object_set_new(o, "arxiv", str_or_null(p->arxiv));
    json_object_set_new(o, "venue", str_or_null(p->venue));
    json_object_set_new(o, "abstract", str_or_null(p->abstract));
    json_object_set_new(o, "keywords", strings(p->keywords, p->nkeywords));
    json_object_set_new(o, "emails", strings(p->emails, p->nemails));
    json_object_set_new(o, "sections", sections(p));
    json_object_set_new(o, "references", references(p));
    json_object_set_new(o, "references_status",
                        json_string(p->refs_status ? p->refs_status : "found"));
    if (what & KG_PAPER_JSON_CITATIONS) {
        json_object_set_new(o, "citations", citations(p));
        json_object_set_new(o, "acronyms", acronyms(p));
    }
    json_object_set_new(o, "counts",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "references",
                                  (json_int_t)p->nrefs, "references_dropped",
                                  (json_int_t)p->refs_dropped, "citations", (json_int_t)p->ncites,
                                  "citations_dropped", (json_int_t)p->cites_dropped, "sections",
                                  (json_int_t)p->nsections, "acronyms", (json_int_t)p->nacronyms));
    return o;
}
