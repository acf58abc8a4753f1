/* paper_mask: see paper_mask.h. */
#include "paper/paper_mask.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "paper/paper_internal.h"

#define OPEN UINT64_MAX /* a span still running at the current offset */

typedef struct hidden {
    uint64_t start, end;
} hidden;

struct kg_paper_mask {
    hidden *spans; /* in order, disjoint; the last may be OPEN */
    size_t nspans, cap;
    uint64_t at; /* bytes of text so far */
    int blocks;  /* the loader has layout: sections do not decide */
    kg_buf out;
};

kg_paper_mask *kg_paper_mask_new(void)
{
    return kg_xcalloc(1, sizeof(kg_paper_mask));
}

void kg_paper_mask_free(kg_paper_mask *m)
{
    if (!m)
        return;
    free(m->spans);
    kg_buf_free(&m->out);
    free(m);
}

void kg_paper_mask_text(kg_paper_mask *m, size_t len)
{
    m->at += len;
}

static void hide(kg_paper_mask *m, int on)
{
    int open = m->nspans && m->spans[m->nspans - 1].end == OPEN;
    if (on && !open) {
        if (m->nspans && m->spans[m->nspans - 1].end == m->at)
            m->spans[m->nspans - 1].end = OPEN; /* adjacent: one span */
        else {
            kg_vec_room(m->spans, m->nspans, m->cap);
            m->spans[m->nspans++] = (hidden){m->at, OPEN};
        }
    } else if (!on && open) {
        if (m->spans[m->nspans - 1].start == m->at)
            m->nspans--; /* nothing was hidden */
        else
            m->spans[m->nspans - 1].end = m->at;
    }
}

int kg_paper_mask_hides(kg_block_kind k)
{
    return k == KG_BLOCK_REFERENCE || k == KG_BLOCK_EQUATION || k == KG_BLOCK_TABLE ||
           k == KG_BLOCK_FURNITURE;
}

void kg_paper_mask_block(kg_paper_mask *m, const kg_block_info *b)
{
    if (b->kind == KG_BLOCK_FURNITURE) /* a side note: the block before goes on */
        return;
    m->blocks = 1;
    hide(m, kg_paper_mask_hides(b->kind));
}

void kg_paper_mask_section(kg_paper_mask *m, const char *title)
{
    if (kg_load_licence_section(title)) /* a Project Gutenberg eBook's licence */
        hide(m, 1);
    else if (!m->blocks) /* text, Markdown, HTML: the bibliography is its section */
        hide(m, kg_paper_refs_heading(title, strlen(title)));
}

static void blank(char *s, size_t a, size_t e)
{
    for (size_t i = a; i < e; i++)
        if (s[i] != '\n')
            s[i] = ' ';
}

/* The word ending at e (exclusive): its start, or e when there is none. */
static size_t word_before(const char *s, size_t e)
{
    size_t a = e;
    while (a > 0 && (isalpha((unsigned char)s[a - 1]) || (unsigned char)s[a - 1] >= 0x80 ||
                     s[a - 1] == '-' || s[a - 1] == '\''))
        a--;
    return a;
}

static int capital(const char *s, size_t a, size_t e)
{
    return a < e && (isupper((unsigned char)s[a]) || (unsigned char)s[a] >= 0x80);
}

/* One surname ending at e ("Ellis", "van Elst", "Bar-Haim"): its start, or
 * e when none ends there. */
static size_t surname_before(const char *s, size_t e)
{
    size_t a = word_before(s, e);
    if (!capital(s, a, e))
        return e;
    while (a > 1 && s[a - 1] == ' ') { /* "van Elst", "de la Cruz" */
        size_t p = word_before(s, a - 1);
        if (p == a - 1 || !kg_name_particle(s + p, a - 1 - p))
            break;
        a = p;
    }
    return a;
}

/* A numbered citation can be narrative: "Paranjape and Singh [20]",
 * "Kolb, Marra and Matarrese [13]", "Kai et al [21]".  The names before
 * the marker at `at` are the citation too when they are a list ("and",
 * "&" or "et al."); one name alone ("Smith [3]") stays a name.  Returns
 * where the citation starts. */
static size_t narrative_start(const char *s, size_t at)
{
    size_t e = at;
    while (e > 0 && s[e - 1] == ' ')
        e--;
    int list = 0;
    size_t el = e;
    if (el > 0 && s[el - 1] == '.')
        el--;
    if (el >= 6 && strncmp(s + el - 5, "et al", 5) == 0 && s[el - 6] == ' ') {
        e = el - 6;
        while (e > 0 && s[e - 1] == ' ')
            e--;
        list = 1;
    }
    size_t a = surname_before(s, e);
    if (a == e)
        return at;
    for (;;) {
        size_t k = a, sep = 0;
        if (k >= 5 && strncmp(s + k - 5, " and ", 5) == 0)
            sep = 5;
        else if (k >= 3 && strncmp(s + k - 3, " & ", 3) == 0)
            sep = 3;
        else if (k >= 2 && strncmp(s + k - 2, ", ", 2) == 0)
            sep = 2;
        if (!sep)
            break;
        size_t b = surname_before(s, k - sep);
        if (b == k - sep)
            break;
        list |= sep != 2;
        a = b;
    }
    return list ? a : at;
}

const char *kg_paper_mask_apply(kg_paper_mask *m, const char *text, size_t len, uint64_t start)
{
    size_t gone = 0;
    while (gone < m->nspans && m->spans[gone].end <= start)
        gone++;
    if (gone) {
        memmove(m->spans, m->spans + gone, (m->nspans - gone) * sizeof *m->spans);
        m->nspans -= gone;
    }
    kg_cite_list cl = {0};
    kg_cites_find(text, len, 0, 0, &cl);
    uint64_t end = start + len;
    if (!cl.n && (!m->nspans || m->spans[0].start >= end)) {
        kg_cite_list_free(&cl);
        return text;
    }
    kg_buf_truncate(&m->out, 0);
    kg_buf_append(&m->out, text, len);
    for (size_t i = 0; i < m->nspans && m->spans[i].start < end; i++) {
        uint64_t a = m->spans[i].start > start ? m->spans[i].start : start;
        uint64_t e = m->spans[i].end < end ? m->spans[i].end : end;
        blank(m->out.data, (size_t)(a - start), (size_t)(e - start));
    }
    for (size_t i = 0; i < cl.n; i++) {
        size_t a = (size_t)cl.v[i].start;
        if (cl.keys[i].num)
            a = narrative_start(m->out.data, a);
        blank(m->out.data, a, (size_t)cl.v[i].end);
    }
    kg_cite_list_free(&cl);
    return m->out.data;
}
