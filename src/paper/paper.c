/* paper: the builder that reads a load sink's calls as a paper (paper.h).
 *
 * The text is cut into stretches: a new stretch starts at each block call
 * (PDF) and at each blank line; each stretch is handled by its kind when it
 * ends.  Only the current stretch is held (at most STRETCH_MAX bytes), plus
 * page 1's front matter (FRONT_MAX), the headings and the parsed entries. */
#include "paper/paper.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paper/paper_internal.h"
#include "pdf/pdf_zone.h"

#define STRETCH_MAX (64u << 10)
#define FRONT_MAX (64u << 10)

struct kg_paper_builder {
    kg_paper *p;
    uint64_t off; /* document bytes so far */
    int page;
    int blocks; /* the loader announces blocks (layout) */
    int kind;   /* the current stretch's kind */
    kg_block_info info;
    uint64_t start; /* where the current stretch began */
    int start_page;
    kg_buf cur;
    int in_refs; /* no layout: under a "References" heading */
    int tstate;  /* no layout: where the header is read (text_front) */
    int md;      /* no layout: the loader announces headings (Markdown) */
    int nl;      /* the last byte was a line end */
    kg_front_item *front;
    size_t nfront, front_bytes;
    kg_cite_list cites;
    size_t ref_bytes;         /* raw entry text kept so far */
    const kg_load_sink *next; /* kg_paper_builder_tee */
};

kg_paper_builder *kg_paper_builder_new(void)
{
    kg_paper_builder *b = kg_xcalloc(1, sizeof *b);
    b->p = kg_xcalloc(1, sizeof *b->p);
    b->kind = KG_BLOCK_BODY;
    b->page = b->start_page = 1;
    return b;
}

static void front_free(kg_paper_builder *b)
{
    for (size_t i = 0; i < b->nfront; i++)
        free(b->front[i].text);
    free(b->front);
    b->front = NULL;
    b->nfront = 0;
}

void kg_paper_builder_free(kg_paper_builder *b)
{
    if (!b)
        return;
    kg_paper_free(b->p);
    kg_buf_free(&b->cur);
    front_free(b);
    kg_cite_list_free(&b->cites);
    free(b);
}

void kg_paper_free(kg_paper *p)
{
    if (!p)
        return;
    free(p->title);
    for (size_t i = 0; i < p->nauthors; i++) {
        free(p->authors[i].name);
        free(p->authors[i].email);
        free(p->authors[i].affil);
    }
    free(p->authors);
    for (size_t i = 0; i < p->naffils; i++) {
        free(p->affils[i].name);
        free(p->affils[i].mark);
    }
    free(p->affils);
    for (size_t i = 0; i < p->nemails; i++)
        free(p->emails[i]);
    free(p->emails);
    free(p->abstract);
    for (size_t i = 0; i < p->nkeywords; i++)
        free(p->keywords[i]);
    free(p->keywords);
    free(p->venue);
    free(p->doi);
    free(p->arxiv);
    for (size_t i = 0; i < p->nsections; i++) {
        free(p->sections[i].number);
        free(p->sections[i].title);
    }
    free(p->sections);
    for (size_t i = 0; i < p->nrefs; i++)
        kg_ref_clear(&p->refs[i]);
    free(p->refs);
    for (size_t i = 0; i < p->ncites; i++) {
        free(p->cites[i].marker);
        free(p->cites[i].sentence);
    }
    free(p->cites);
    for (size_t i = 0; i < p->nacronyms; i++) {
        free(p->acronyms[i].short_form);
        free(p->acronyms[i].long_form);
    }
    free(p->acronyms);
    free(p->header_status);
    free(p->refs_status);
    free(p);
}

/* ---- what a stretch gives ----------------------------------------------- */

static void add_front(kg_paper_builder *b, int kind, const kg_block_info *info, const char *t,
                      size_t n)
{
    if (b->front_bytes + n > FRONT_MAX)
        return;
    kg_vec_grow_counted((void **)&b->front, b->nfront, sizeof *b->front);
    kg_front_item *f = &b->front[b->nfront++];
    f->kind = (kg_block_kind)kind;
    f->info = *info;
    f->info.text = NULL;
    f->info.len = 0;
    f->text = kg_xstrndup(t, n);
    b->front_bytes += n;
}

static void add_section(kg_paper_builder *b, const char *t, size_t n, int level)
{
    kg_paper *p = b->p;
    if (p->nsections >= KG_PAPER_MAX_SECTIONS)
        return;
    int depth = 0;
    size_t num = kg_zone_heading_number(t, n, &depth);
    kg_vec_grow_counted((void **)&p->sections, p->nsections, sizeof *p->sections);
    kg_paper_section *s = &p->sections[p->nsections++];
    size_t nl = num;
    while (nl && (t[nl - 1] == ' ' || t[nl - 1] == '.'))
        nl--;
    s->number = nl ? kg_xstrndup(t, nl) : NULL;
    s->title = kg_pdup(t + num, n - num);
    if (!s->title)
        s->title = kg_xstrdup("");
    s->level = level ? level : (depth ? depth : 1);
    s->page = b->start_page;
    s->start = b->start;
}

static void add_ref(kg_paper_builder *b, const char *t, size_t n, uint64_t start)
{
    kg_paper *p = b->p;
    size_t keep = n < KG_PAPER_MAX_ENTRY ? n : KG_PAPER_MAX_ENTRY;
    if (p->nrefs >= KG_PAPER_MAX_REFS || b->ref_bytes + keep > KG_PAPER_MAX_REF_BYTES) {
        p->refs_dropped++;
        return;
    }
    b->ref_bytes += keep;
    while (keep < n && keep > 0 && ((unsigned char)t[keep] & 0xC0) == 0x80)
        keep--;
    kg_vec_grow_counted((void **)&p->refs, p->nrefs, sizeof *p->refs);
    kg_ref *r = &p->refs[p->nrefs++];
    kg_ref_parse(t, keep, r);
    r->raw = kg_xstrndup(t, keep);
    r->start = start;
    r->end = start + n;
    r->page = b->start_page;
}

int kg_paper_refs_heading(const char *t, size_t n)
{
    static const char *const names[] = {"references", "bibliography", "literature cited",
                                        "works cited", NULL};
    int depth;
    size_t num = kg_zone_heading_number(t, n, &depth);
    t += num;
    n -= num;
    while (n && (t[n - 1] == ':' || t[n - 1] == ' '))
        n--;
    for (int k = 0; names[k]; k++)
        if (strlen(names[k]) == n && strncasecmp(t, names[k], n) == 0)
            return 1;
    return 0;
}

static int entry_line(const char *t, size_t n)
{
    int style, num;
    return kg_zone_ref_label(t, n, &style, &num) ||
           (n > 1 && (t[0] == '-' || t[0] == '*') && t[1] == ' ');
}

/* No layout: a paragraph under "References" holds one entry, or several
 * when its lines start with labels or bullets. */
static void plain_refs(kg_paper_builder *b, const char *t, size_t n)
{
    if (n && t[0] == '#')
        return; /* the Markdown heading line itself */
    size_t a = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !(t[i] == '\n' && i + 1 < n))
            continue;
        size_t ls = i < n ? i + 1 : n;
        int begins = ls >= n || entry_line(t + ls, n - ls);
        if (!begins)
            continue;
        size_t s = a;
        while (s < ls && (t[s] == '-' || t[s] == '*' || t[s] == ' ' || t[s] == '\n'))
            s++;
        size_t e = i;
        if (e > s)
            add_ref(b, t + s, e - s, b->start + s);
        a = ls;
    }
}

static void prose(kg_paper_builder *b, const char *t, size_t n)
{
    kg_cites_find(t, n, b->start, b->start_page, &b->cites);
    kg_acronyms_find(t, n, b->start, b->p);
}

/* ---- the header of a document without layout ----------------------------
 *
 * Text and Markdown have no page to read a header from, but a paper laid
 * out as text says it by its lines: a title line (Markdown's first heading,
 * else the first line when it is short and ends no sentence), then short
 * lines of names, affiliations and e-mails, then "Abstract" (a heading, a
 * line alone, or a label) and its paragraph.  These become the same front
 * items a PDF's page 1 gives (kg_header_parse reads them); the header
 * counts only when it names an author (kg_paper_builder_finish).  Plain
 * text also gets its headings: a one-line paragraph that is numbered ("2.1
 * Data") or is "References". */
enum {
    T_START,
    T_FRONT,
    T_ABSTRACT_NEXT,
    T_DONE
};

static int word_count(const char *t, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w += t[i] != ' ' && (i == 0 || t[i - 1] == ' ');
    return w;
}

/* A line of a header: short, a few words, ending no sentence. */
static int header_like(const char *t, size_t n, size_t max)
{
    return n && n <= max && word_count(t, n) <= 15 && t[n - 1] != '.' && t[n - 1] != ':';
}

/* Every line of t is a header line, and there are few. */
static int front_like(const char *t, size_t n)
{
    int lines = 0;
    for (size_t i = 0; i < n; lines++) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - t) : n;
        if (!header_like(t + i, e - i, 150) || lines >= 8)
            return 0;
        i = e + 1;
    }
    return lines > 0;
}

/* "Abstract", "Abstract:" or "ABSTRACT." as a word at t; its length. */
static size_t abstract_label(const char *t, size_t n)
{
    if (n < 8 || strncasecmp(t, "abstract", 8) != 0)
        return 0;
    size_t e = 8;
    while (e < n && (t[e] == ':' || t[e] == '.' || t[e] == ' '))
        e++;
    return e == 8 && e < n && t[e] != '\n' ? 0 : e;
}

static void text_item(kg_paper_builder *b, int kind, const char *t, size_t n)
{
    kg_block_info info = {0};
    info.kind = (kg_block_kind)kind;
    info.page = 1;
    add_front(b, kind, &info, t, n);
}

/* Plain text: a one-line paragraph that is a heading. */
static int text_heading(kg_paper_builder *b, const char *t, size_t n)
{
    int depth = 0;
    if (b->md || memchr(t, '\n', n) || !header_like(t, n, 80))
        return 0;
    size_t num = kg_zone_heading_number(t, n, &depth);
    int refs = kg_paper_refs_heading(t, n);
    if (!refs && !(num && num < n && isupper((unsigned char)t[num])))
        return 0;
    add_section(b, t, n, 0);
    b->in_refs = refs;
    return 1;
}

/* The stretch t as header text: 1 when it was taken. */
static int text_front(kg_paper_builder *b, const char *t, size_t n)
{
    const char *nl = memchr(t, '\n', n);
    size_t first = nl ? (size_t)(nl - t) : n;
    if (b->md && t[0] == '#' && !nl)
        return 0; /* the heading's own line (announced already) */
    switch (b->tstate) {
    case T_START:
        b->tstate = T_DONE;
        if (b->md || !header_like(t, first, 200) || word_count(t, first) < 2)
            return text_heading(b, t, n);
        text_item(b, KG_BLOCK_TITLE, t, first);
        b->tstate = T_FRONT;
        if (nl && front_like(nl + 1, n - first - 1))
            text_item(b, KG_BLOCK_FRONT, nl + 1, n - first - 1);
        return 1;
    case T_ABSTRACT_NEXT:
        text_item(b, KG_BLOCK_ABSTRACT, t, n);
        b->tstate = T_DONE;
        return 0; /* its citations and acronyms too */
    case T_FRONT: {
        size_t lab = abstract_label(t, n);
        if (lab) {
            b->tstate = lab < n ? T_DONE : T_ABSTRACT_NEXT;
            if (lab < n)
                text_item(b, KG_BLOCK_ABSTRACT, t, n);
            return lab == n;
        }
        if (front_like(t, n)) {
            text_item(b, KG_BLOCK_FRONT, t, n);
            return 1;
        }
        b->tstate = T_DONE;
        return text_heading(b, t, n);
    }
    default: return text_heading(b, t, n);
    }
}

static void flush(kg_paper_builder *b)
{
    size_t n = b->cur.len;
    const char *t = b->cur.data ? b->cur.data : "";
    size_t lead = 0;
    while (lead < n && (t[lead] == ' ' || t[lead] == '\n'))
        lead++;
    b->start += lead;
    t += lead;
    n -= lead;
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\n'))
        n--;
    if (n) {
        switch (b->kind) {
        case KG_BLOCK_TITLE:
        case KG_BLOCK_FRONT: add_front(b, b->kind, &b->info, t, n); break;
        case KG_BLOCK_ABSTRACT:
            add_front(b, b->kind, &b->info, t, n);
            prose(b, t, n);
            break;
        case KG_BLOCK_FOOTNOTE:
            if (b->start_page == 1)
                add_front(b, b->kind, &b->info, t, n);
            prose(b, t, n);
            break;
        case KG_BLOCK_HEADING: add_section(b, t, n, b->info.level); break;
        case KG_BLOCK_REFERENCE: add_ref(b, t, n, b->start); break;
        case KG_BLOCK_BODY:
            if (!b->blocks && b->in_refs)
                plain_refs(b, t, n);
            else if (b->blocks || !text_front(b, t, n))
                prose(b, t, n);
            break;
        default: break;
        }
    }
    kg_buf_truncate(&b->cur, 0);
}

/* ---- the sink calls ------------------------------------------------------ */

/* A long bibliography without blank lines (a 50 MB list): parse the
 * entries complete so far instead of letting the stretch grow. */
static void drain_refs(kg_paper_builder *b)
{
    const char *t = b->cur.data;
    size_t cut = b->cur.len;
    while (cut > 0 && !(t[cut - 1] == '\n' && entry_line(t + cut, b->cur.len - cut)))
        cut--;
    if (cut == 0)
        return;
    plain_refs(b, t, cut);
    memmove(b->cur.data, t + cut, b->cur.len - cut);
    kg_buf_truncate(&b->cur, b->cur.len - cut);
    b->start += cut;
}

static void append(kg_paper_builder *b, int page, const char *s, size_t n)
{
    if (!b->blocks && b->in_refs && b->cur.len > STRETCH_MAX / 2)
        drain_refs(b);
    if (!b->cur.len) {
        b->start = b->off;
        b->start_page = page;
    }
    if (b->cur.len + n <= STRETCH_MAX)
        kg_buf_append(&b->cur, s, n);
    else if (b->cur.len < STRETCH_MAX)
        kg_buf_append(&b->cur, s, STRETCH_MAX - b->cur.len);
    b->off += n;
}

int kg_paper_builder_text(kg_paper_builder *b, int page, const char *s, size_t len)
{
    b->page = page;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t k = nl ? (size_t)(nl - s) : len;
        if (k > i) {
            append(b, page, s + i, k - i);
            b->nl = 0;
        }
        if (!nl)
            break;
        if (b->nl) { /* a blank line ends the stretch */
            b->off++;
            flush(b);
        } else {
            append(b, page, "\n", 1);
        }
        b->nl = 1;
        i = k + 1;
    }
    return 0;
}

int kg_paper_builder_section(kg_paper_builder *b, const char *title)
{
    if (b->blocks)
        return 0; /* the heading block says it, with its level */
    flush(b);
    size_t n = strlen(title);
    b->md = 1;
    if (b->tstate == T_START && !b->p->nsections && !b->p->ncites)
        text_item(b, KG_BLOCK_TITLE, title, n); /* the first heading, before any text */
    b->tstate = b->tstate == T_START                               ? T_FRONT
                : b->tstate == T_FRONT && abstract_label(title, n) ? T_ABSTRACT_NEXT
                                                                   : T_DONE;
    add_section(b, title, n, 0);
    b->in_refs = kg_paper_refs_heading(title, n);
    return 0;
}

int kg_paper_builder_block(kg_paper_builder *b, const kg_block_info *info)
{
    if (info->kind == KG_BLOCK_FURNITURE) {
        if (info->page <= 2 && info->text)
            add_front(b, KG_BLOCK_FURNITURE, info, info->text, info->len);
        return 0;
    }
    flush(b);
    b->blocks = 1;
    b->kind = info->kind;
    b->info = *info;
    b->start_page = info->page;
    return 0;
}

static int sink_text(void *ud, int page, const char *s, size_t len)
{
    kg_paper_builder *b = ud;
    kg_paper_builder_text(b, page, s, len);
    return b->next && b->next->text ? b->next->text(b->next->ud, page, s, len) : 0;
}

static int sink_section(void *ud, const char *title)
{
    kg_paper_builder *b = ud;
    kg_paper_builder_section(b, title);
    return b->next && b->next->section ? b->next->section(b->next->ud, title) : 0;
}

static int sink_block(void *ud, const kg_block_info *info)
{
    kg_paper_builder *b = ud;
    kg_paper_builder_block(b, info);
    return b->next && b->next->block ? b->next->block(b->next->ud, info) : 0;
}

void kg_paper_builder_tee(kg_paper_builder *b, const kg_load_sink *next, kg_load_sink *out)
{
    b->next = next;
    *out = (kg_load_sink){sink_text, sink_section, b, sink_block};
}

void kg_paper_builder_sink(kg_paper_builder *b, kg_load_sink *out)
{
    kg_paper_builder_tee(b, NULL, out);
}

/* ---- the end ---------------------------------------------------------- */

static void statuses(kg_paper_builder *b, const kg_load_info *info)
{
    kg_paper *p = b->p;
    kg_buf s = KG_BUF_INIT;
    if (!b->blocks && !p->title_from)
        kg_buf_puts(&s, "not found: no page layout to read a header from (not a PDF)");
    else if (!b->blocks && strcmp(p->title_from, "text") != 0)
        kg_buf_puts(&s, "not found: no title line with author lines under it (not a PDF)");
    else if (!p->title_from && !p->nauthors)
        kg_buf_puts(&s, "not found: no title or author lines on page 1");
    else if (!p->nauthors)
        kg_buf_puts(&s, "partial: no author line found under the title");
    if (s.len)
        p->header_status = kg_buf_steal(&s);
    kg_buf_truncate(&s, 0);
    if (!p->nrefs) {
        kg_buf_puts(&s, "not found: no bibliography (no References heading, no [1] [2] list)");
        if (info && info->warning)
            kg_buf_printf(&s, "; %s", info->warning);
        p->refs_status = kg_buf_steal(&s);
    } else if (p->refs_dropped) {
        kg_buf_printf(&s, "truncated: %zu entries past the first %d were not kept", p->refs_dropped,
                      KG_PAPER_MAX_REFS);
        p->refs_status = kg_buf_steal(&s);
    }
    kg_buf_free(&s);
}

/* A document without layout: its header from the text's front items, kept
 * only when it names an author (a title line alone could be anything).
 * Returns 1 when kept. */
static int text_header(kg_paper_builder *b)
{
    if (!b->nfront || b->front[0].kind != KG_BLOCK_TITLE)
        return 0;
    kg_paper *h = kg_xcalloc(1, sizeof *h);
    kg_header_parse(h, b->front, b->nfront, NULL, NULL);
    int keep = h->nauthors > 0 && h->title;
    if (keep) {
        kg_paper *p = b->p;
        /* the header's fields move over; sections, entries and citations stay */
        p->title = h->title;
        p->title_from = "text";
        p->authors = h->authors;
        p->nauthors = h->nauthors;
        p->affils = h->affils;
        p->naffils = h->naffils;
        p->emails = h->emails;
        p->nemails = h->nemails;
        p->abstract = h->abstract;
        p->keywords = h->keywords;
        p->nkeywords = h->nkeywords;
        p->venue = h->venue;
        p->year = h->year;
        p->doi = h->doi;
        p->arxiv = h->arxiv;
        memset(h, 0, sizeof *h);
    }
    kg_paper_free(h);
    return keep;
}

kg_paper *kg_paper_builder_finish(kg_paper_builder *b, const kg_load_info *info)
{
    flush(b);
    kg_paper *p = b->p;
    if (b->blocks) {
        kg_header_parse(p, b->front, b->nfront, info ? info->meta_title : NULL,
                        info ? info->meta_author : NULL);
    } else if (!text_header(b) && info && info->title) {
        p->title = kg_xstrdup(info->title);
        p->title_from = "loader";
    }
    kg_cites_link(p, &b->cites);
    statuses(b, info);
    b->p = NULL;
    return p;
}
