/* pdf_zone: see pdf_zone.h.  The classification of one block is
 * pdf_classify.c's; this file keeps the document state (zone, furniture
 * memory, bibliography entries) and cuts pages into units. */
#include "pdf/pdf_zone.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "pdf/pdf_zone_internal.h"

void kg_zone_units_free(kg_zone_units *u)
{
    free(u->v);
    memset(u, 0, sizeof *u);
}

kg_zoner *kg_zoner_new(void)
{
    kg_zoner *z = kg_xcalloc(1, sizeof *z);
    z->zone = KG_ZONE_FRONT;
    return z;
}

void kg_zoner_free(kg_zoner *z)
{
    if (!z)
        return;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < z->nfurn[k]; i++)
            free(z->furn[k][i]);
    free(z->hint);
    free(z->furn_mark);
    free(z->order);
    kg_buf_free(&z->tmp);
    kg_buf_free(&z->text);
    kg_buf_free(&z->look);
    free(z);
}

void kg_zoner_hint_title(kg_zoner *z, const char *meta_title)
{
    free(z->hint);
    z->hint = NULL;
    if (meta_title) {
        kg_buf b = KG_BUF_INIT;
        kg_zone_letters(meta_title, strlen(meta_title), &b);
        if (b.len >= 8)
            z->hint = kg_buf_steal(&b);
        kg_buf_free(&b);
    }
}

/* Lowercase ASCII letters and every non-ASCII byte, nothing else: what a
 * running header keeps from page to page once numbers are gone. */
void kg_zone_letters(const char *s, size_t n, kg_buf *out)
{
    kg_buf_truncate(out, 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            kg_buf_putc(out, (char)(c + 32));
        else if ((c >= 'a' && c <= 'z') || c >= 0x80)
            kg_buf_putc(out, (char)c);
    }
}

/* ---- furniture ------------------------------------------------------- */

static int is_roman(const char *s, size_t n)
{
    if (n == 0 || n > 7)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("ivxlcIVXLC", s[i]))
            return 0;
    return 1;
}

/* "12", "xii", "Page 12", "- 12 -", "12 of 30", "12 / 30". */
static int page_number_text(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '-' || *s == 0x7C)) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '-' || s[n - 1] == '|'))
        n--;
    if (n > 5 && (strncmp(s, "Page ", 5) == 0 || strncmp(s, "page ", 5) == 0)) {
        s += 5;
        n -= 5;
    }
    size_t d = 0;
    while (d < n && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d == 0)
        return is_roman(s, n);
    if (d > 4)
        return 0;
    if (d == n)
        return 1;
    const char *r = s + d;
    size_t m = n - d;
    if (m > 4 && strncmp(r, " of ", 4) == 0)
        r += 4, m -= 4;
    else if (m > 3 && strncmp(r, " / ", 3) == 0)
        r += 3, m -= 3;
    else
        return 0;
    for (size_t i = 0; i < m; i++)
        if (r[i] < '0' || r[i] > '9')
            return 0;
    return 1;
}

/* Up to 3 lines at the top and 3 at the bottom of p, within its outer 15%. */
static int edge_lines(const kg_pdf_page *p, uint32_t *out)
{
    int n = 0;
    for (int side = 0; side < 2; side++) {
        uint32_t pick[3];
        int np = 0;
        for (size_t i = 0; i < p->nlines; i++) {
            const kg_pdf_line *l = &p->lines[i];
            if (l->flags & KG_LINE_VERTICAL)
                continue;
            int inside = side == 0 ? l->y1 < 0.15f * p->height : l->y0 > 0.85f * p->height;
            if (!inside)
                continue;
            /* keep the 3 nearest the edge */
            int k = np;
            while (k > 0) {
                const kg_pdf_line *o = &p->lines[pick[k - 1]];
                int closer = side == 0 ? l->y0 < o->y0 : l->y1 > o->y1;
                if (!closer)
                    break;
                if (k < 3)
                    pick[k] = pick[k - 1];
                k--;
            }
            if (k < 3) {
                pick[k] = (uint32_t)i;
                if (np < 3)
                    np++;
            }
        }
        for (int k = 0; k < np; k++)
            out[n++] = pick[k];
    }
    return n;
}

static int same_header(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la < 4 || lb < 4)
        return 0;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1;
    size_t m = la < lb ? la : lb, k = 0;
    while (k < m && a[k] == b[k])
        k++;
    return m >= 12 && k * 10 >= m * 8;
}

static int repeats_in(kg_zoner *z, const char *m, float mid, const kg_pdf_page *q, int slot)
{
    if (slot >= 0) {
        for (int i = 0; i < z->nfurn[slot]; i++)
            if (fabsf(z->furn_y[slot][i] - mid) < 0.05f && same_header(m, z->furn[slot][i]))
                return 1;
        return 0;
    }
    if (!q)
        return 0;
    uint32_t e[6];
    int ne = edge_lines(q, e);
    kg_buf b = KG_BUF_INIT;
    int hit = 0;
    for (int i = 0; i < ne && !hit; i++) {
        const kg_pdf_line *l = &q->lines[e[i]];
        kg_zone_letters(kg_pdf_line_text(q, e[i]), l->len, &b);
        float qm = (l->y0 + l->y1) / 2 / q->height;
        hit = fabsf(qm - mid) < 0.05f && same_header(m, kg_buf_str(&b));
    }
    kg_buf_free(&b);
    return hit;
}

/* Mark z->furn_mark[i] for the furniture lines of p; remember p's edge lines. */
static void find_furniture(kg_zoner *z, const kg_pdf_page *p, const kg_pdf_page *next,
                           const kg_pdf_page *next2)
{
    kg_layout_grow((void **)&z->furn_mark, &z->furn_cap, p->nlines + 1, 1);
    memset(z->furn_mark, 0, p->nlines + 1);
    for (size_t i = 0; i < p->nlines; i++)
        if (p->lines[i].flags & KG_LINE_VERTICAL)
            z->furn_mark[i] = 1;
    uint32_t e[6];
    int ne = edge_lines(p, e);
    char *keep[6] = {NULL};
    float keep_y[6] = {0};
    for (int k = 0; k < ne; k++) {
        const kg_pdf_line *l = &p->lines[e[k]];
        const char *t = kg_pdf_line_text(p, e[k]);
        kg_zone_letters(t, l->len, &z->tmp);
        keep[k] = kg_xstrdup(kg_buf_str(&z->tmp));
        keep_y[k] = (l->y0 + l->y1) / 2 / p->height;
        if (p->number == 1 && l->size > 1.2f * z->body)
            continue; /* a title is never a running header */
        if (page_number_text(t, l->len) || repeats_in(z, keep[k], keep_y[k], NULL, 0) ||
            repeats_in(z, keep[k], keep_y[k], NULL, 1) ||
            repeats_in(z, keep[k], keep_y[k], next, -1) ||
            repeats_in(z, keep[k], keep_y[k], next2, -1))
            z->furn_mark[e[k]] = 1;
    }
    for (int i = 0; i < z->nfurn[1]; i++)
        free(z->furn[1][i]);
    memcpy(z->furn[1], z->furn[0], sizeof z->furn[0]);
    memcpy(z->furn_y[1], z->furn_y[0], sizeof z->furn_y[0]);
    z->nfurn[1] = z->nfurn[0];
    memcpy(z->furn[0], keep, sizeof keep);
    memcpy(z->furn_y[0], keep_y, sizeof keep_y);
    z->nfurn[0] = ne;
}

/* ---- units ------------------------------------------------------------ */

void kg_zone_add(kg_zone_units *out, uint32_t l0, uint32_t n, int kind, int cont, int level,
                 int section)
{
    kg_layout_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v);
    out->v[out->n++] = (kg_zone_unit){
        l0, n, (uint8_t)kind, (uint8_t)cont, (uint8_t)level, (uint8_t)section};
}

/* The document's body size: the font size of most glyphs so far. */
static void update_body(kg_zoner *z, const kg_pdf_page *p)
{
    for (size_t i = 0; i < p->nlines; i++) {
        int b = (int)lroundf(p->lines[i].size * 2);
        if (b > 0 && b < 128)
            z->size_hist[b] += p->lines[i].nglyph;
    }
    int best = 0;
    for (int b = 1; b < 128; b++)
        if (z->size_hist[b] > z->size_hist[best])
            best = b;
    z->body = best ? best / 2.0f : p->body_size;
}

static int entry_begins(kg_zoner *z, const kg_pdf_page *p, uint32_t i, uint32_t l0, float left,
                        int hanging)
{
    int style = 0, num = 0;
    const kg_pdf_line *l = &p->lines[i];
    size_t lab = kg_zone_ref_label(kg_pdf_line_text(p, i), l->len, &style, &num);
    if (z->ref_style == 0)
        z->ref_style = lab ? style : 4;
    if (z->ref_style != 4)
        return lab && style == z->ref_style;
    return hanging ? l->x0 <= left + 0.5f * l->size : i == l0;
}

/* Bibliography lines [l0, l1) of p (one block): one unit per entry; the
 * first continues the last entry when it does not begin one. */
void kg_zone_entries(kg_zoner *z, const kg_pdf_page *p, uint32_t l0, uint32_t l1,
                     kg_zone_units *out)
{
    float left = INFINITY;
    int hanging = 0;
    for (uint32_t i = l0; i < l1; i++)
        left = fminf(left, p->lines[i].x0);
    for (uint32_t i = l0; i < l1; i++)
        hanging |= p->lines[i].x0 > left + 0.8f * p->lines[i].size;
    uint32_t start = l0;
    int start_begins = entry_begins(z, p, l0, l0, left, hanging);
    for (uint32_t i = l0 + 1; i <= l1; i++) {
        if (i < l1 && !entry_begins(z, p, i, l0, left, hanging))
            continue;
        int cont = !start_begins && z->ref_open;
        kg_zone_add(out, start, i - start, KG_BLOCK_REFERENCE, cont, 0,
                    z->ref_section_due && !cont ? 2 : 0);
        if (!cont)
            z->ref_section_due = 0;
        z->ref_open = 1;
        start = i;
        start_begins = 1;
    }
}

/* Does block b open the paper's text: "Abstract...", or a numbered or
 * plain "Introduction"? */
static int opens_text(kg_zoner *z, const kg_pdf_page *p, size_t b)
{
    const kg_pdf_block *k = &p->blocks[b];
    const char *t = kg_pdf_line_text(p, k->line0);
    size_t n = p->lines[k->line0].len;
    int depth = 0;
    size_t num = kg_zone_heading_number(t, n, &depth);
    kg_zone_letters(t + num, n - num, &z->tmp);
    const char *w = kg_buf_str(&z->tmp);
    return strncmp(w, "abstract", 8) == 0 || strcmp(w, "introduction") == 0;
}

/* The blocks of page p in the order to classify them: on page 1, blocks
 * that stand entirely above the abstract (or the introduction) but were
 * read after it (the second author's column over a two-column body) move
 * before it. */
static void block_order(kg_zoner *z, const kg_pdf_page *p)
{
    kg_layout_grow((void **)&z->order, &z->order_cap, p->nblocks + 1, sizeof *z->order);
    for (size_t b = 0; b < p->nblocks; b++)
        z->order[b] = (uint32_t)b;
    if (p->number != 1)
        return;
    size_t a = 0;
    while (a < p->nblocks && !opens_text(z, p, a))
        a++;
    if (a == p->nblocks)
        return;
    float top = p->blocks[a].y0;
    size_t k = a;
    for (size_t b = a + 1; b < p->nblocks; b++)
        if (p->blocks[b].y1 <= top && !z->furn_mark[p->blocks[b].line0])
            z->order[k++] = (uint32_t)b;
    for (size_t b = a; b < p->nblocks; b++)
        if (!(p->blocks[b].y1 <= top && !z->furn_mark[p->blocks[b].line0]) || b == a)
            z->order[k++] = (uint32_t)b;
}

void kg_zoner_page(kg_zoner *z, const kg_pdf_page *p, const kg_pdf_page *next,
                   const kg_pdf_page *next2, kg_zone_units *out)
{
    out->n = 0;
    update_body(z, p);
    find_furniture(z, p, next, next2);
    if (p->number > 1 && z->zone == KG_ZONE_FRONT)
        z->zone = KG_ZONE_BODY;
    if (p->number == 1)
        kg_zone_find_title(z, p);
    block_order(z, p);
    for (size_t o = 0; o < p->nblocks; o++) {
        size_t b = z->order[o];
        const kg_pdf_block *blk = &p->blocks[b];
        uint32_t i = blk->line0, end = blk->line0 + blk->nlines;
        while (i < end) {
            uint32_t j = i + 1;
            int furn = z->furn_mark[i];
            while (j < end && z->furn_mark[j] == furn)
                j++;
            if (furn)
                kg_zone_add(out, i, j - i, KG_BLOCK_FURNITURE, 0, 0, 0);
            else
                kg_zone_classify(z, p, b, i, j, out);
            i = j;
        }
    }
}
