/* pdf_order: the reading order of a page's lines (recursive XY-cut) and
 * their grouping into blocks; pdf_layout.h says why and how. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_layout_internal.h"
#include "pdf/pdf_zone.h"

/* Pages with more lines than this (scatter plots full of labels) are read
 * top to bottom, left to right: the XY-cut's regrouping is quadratic. */
#define XY_MAX_LINES 3000
#define XY_MAX_DEPTH 64

typedef struct span {
    float a, b;
} span;

struct xspan;

typedef struct xy {
    kg_pdf_line *L;
    uint32_t *out;
    size_t nout;
    uint32_t nregion;
    float gutter;        /* the narrowest gap that separates columns */
    struct xspan *spans; /* scratch for find_vcut */
} xy;

static _Thread_local const kg_pdf_line *tl_lines;

static float core_y0(const kg_pdf_line *l)
{
    return l->y0 + 0.2f * (l->y1 - l->y0);
}

static float core_y1(const kg_pdf_line *l)
{
    return l->y1 - 0.2f * (l->y1 - l->y0);
}

typedef struct xspan {
    float a, b;   /* x extent */
    float c0, c1; /* core y extent */
} xspan;

static int cmp_xspan(const void *a, const void *b)
{
    const xspan *x = a, *y = b;
    return x->a < y->a ? -1 : x->a > y->a;
}

/* Two rows or more among s[0..n): two lines whose cores do not overlap. */
static int two_rows(const xspan *s, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (s[i].c0 > s[0].c1 || s[i].c1 < s[0].c0)
            return 1;
    return 0;
}

/* A vertical gutter through lines ids[0..n): x-coverage has a gap at least
 * c->gutter wide with two rows of text on each side (a stretched line of
 * justified text has wide gaps too, but on one row), or, when all lines are
 * on one row, one line each side and a gap of 2.2 ems (author names side by
 * side; a centred "I.   INTRODUCTION" has less).  *gap gets the widest such gap. */
static int find_vcut(xy *c, const uint32_t *ids, size_t n, span *gap)
{
    if (n < 2)
        return 0;
    xspan *s = c->spans;
    float sz = 0, top = -INFINITY, bottom = INFINITY;
    for (size_t i = 0; i < n; i++) {
        const kg_pdf_line *l = &c->L[ids[i]];
        s[i] = (xspan){l->x0, l->x1, core_y0(l), core_y1(l)};
        sz += l->size;
        top = fmaxf(top, s[i].c0);
        bottom = fminf(bottom, s[i].c1);
    }
    sz /= (float)n;
    int row = top <= bottom;
    qsort(s, n, sizeof *s, cmp_xspan);
    float end = s[0].b, best = 0, second = 0;
    for (size_t i = 1; i < n; i++) {
        float g = s[i].a - end;
        if (g >= c->gutter && g > best &&
            (row ? g >= 2.2f * sz : two_rows(s, i) && two_rows(s + i, n - i))) {
            second = best;
            best = g;
            *gap = (span){end, s[i].a};
        } else if (g > second) {
            second = g;
        }
        end = fmaxf(end, s[i].b);
    }
    /* On one row, a stretched line of justified text has several wide gaps
     * of a size; names side by side have one that stands out. */
    if (row && best > 0 && best < 2 * second && best < 6 * sz)
        return 0;
    return best > 0;
}

/* Narrow *gap by lines ids[0..n) that keep to one side of it; 0 when one
 * crosses it or too little of it is left.  *sides gets 1 left, 2 right, 3
 * both. */
static int fits_gap(const xy *c, const uint32_t *ids, size_t n, span *gap, int *sides)
{
    span g = *gap;
    *sides = 0;
    for (size_t i = 0; i < n; i++) {
        const kg_pdf_line *l = &c->L[ids[i]];
        float mid = (g.a + g.b) / 2;
        if (l->x1 <= mid) {
            g.a = fmaxf(g.a, l->x1);
            *sides |= 1;
        } else if (l->x0 >= mid) {
            g.b = fminf(g.b, l->x0);
            *sides |= 2;
        } else {
            return 0;
        }
    }
    if (g.b - g.a < c->gutter)
        return 0;
    *gap = g;
    return 1;
}

static int cmp_core_y(const void *a, const void *b)
{
    float x = core_y0(&tl_lines[*(const uint32_t *)a]),
          y = core_y0(&tl_lines[*(const uint32_t *)b]);
    return x < y ? -1 : x > y;
}

static int cmp_mid_y(const void *a, const void *b)
{
    const kg_pdf_line *x = &tl_lines[*(const uint32_t *)a], *y = &tl_lines[*(const uint32_t *)b];
    float mx = x->y0 + x->y1, my = y->y0 + y->y1;
    return mx < my ? -1 : mx > my;
}

static int cmp_x(const void *a, const void *b)
{
    float x = tl_lines[*(const uint32_t *)a].x0, y = tl_lines[*(const uint32_t *)b].x0;
    return x < y ? -1 : x > y;
}

/* No cut left: rows top to bottom, each left to right. */
static void emit_leaf(xy *c, uint32_t *ids, size_t n, uint32_t region)
{
    qsort(ids, n, sizeof *ids, cmp_mid_y);
    size_t a = 0;
    while (a < n) {
        const kg_pdf_line *first = &c->L[ids[a]];
        size_t b = a + 1;
        while (b < n) {
            const kg_pdf_line *l = &c->L[ids[b]];
            float mid = (l->y0 + l->y1) / 2;
            if (mid < first->y0 || mid > first->y1)
                break;
            b++;
        }
        qsort(ids + a, b - a, sizeof *ids, cmp_x);
        for (size_t i = a; i < b; i++) {
            kg_pdf_line *l = &c->L[ids[i]];
            l->region = region;
            if (i > a)
                l->flags |= KG_LINE_ROW;
            c->out[c->nout++] = ids[i];
        }
        a = b;
    }
}

/* Horizontal bands, regrouped while a group keeps a gutter: the bands of a
 * two-column stretch stay together even where both columns have a gap at
 * the same height, and are then cut at the gutter.  A band joins the group
 * when it keeps to the sides of the group's gutter (the first line of the
 * right column beside a heading that stands alone on the left), or when
 * the two together have a gutter by find_vcut's rules. */
static void cut(xy *c, uint32_t *ids, size_t n, uint32_t region, int depth);

/* Read a group: at its gutter when it has one, else cut further. */
static void group(xy *c, uint32_t *ids, size_t n, uint32_t region, int depth, int has_gap, span gap)
{
    if (!has_gap) {
        cut(c, ids, n, region, depth + 1);
        return;
    }
    float at = (gap.a + gap.b) / 2;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (c->L[ids[i]].x1 <= at) {
            uint32_t t = ids[k];
            ids[k++] = ids[i];
            ids[i] = t;
        }
    cut(c, ids, k, c->nregion++, depth + 1);
    cut(c, ids + k, n - k, c->nregion++, depth + 1);
}

/* Read the group [gstart, solid) at its gutter, then what followed it on
 * one side only (a heading below a two-column table of contents). */
static void flush_group(xy *c, uint32_t *ids, size_t gstart, size_t solid, size_t end,
                        uint32_t region, int depth, int has_gap, span gap)
{
    group(c, ids + gstart, solid - gstart, region, depth, has_gap, gap);
    if (end > solid)
        cut(c, ids + solid, end - solid, region, depth + 1);
}

static void cut_bands(xy *c, uint32_t *ids, size_t n, uint32_t region, int depth)
{
    qsort(ids, n, sizeof *ids, cmp_core_y);
    size_t gstart = 0, bstart = 0, solid = 0;
    span gap = {0, 0};
    int has_gap = 0;
    float bottom = core_y1(&c->L[ids[0]]);
    for (size_t i = 1; i <= n; i++) {
        if (i < n && core_y0(&c->L[ids[i]]) <= bottom) {
            bottom = fmaxf(bottom, core_y1(&c->L[ids[i]]));
            continue;
        }
        /* The band [bstart, i) ends: does the group keep a gutter with it? */
        span g = gap;
        int sides = 0;
        if (bstart == gstart) {
            has_gap = find_vcut(c, ids + gstart, i - gstart, &gap);
            solid = i;
        } else if (has_gap && fits_gap(c, ids + bstart, i - bstart, &g, &sides)) {
            gap = g;
            if (sides == 3)
                solid = i;
        } else if (find_vcut(c, ids + gstart, i - gstart, &g)) {
            gap = g;
            has_gap = 1;
            solid = i;
        } else {
            flush_group(c, ids, gstart, has_gap ? solid : bstart, bstart, region, depth, has_gap,
                        gap);
            gstart = bstart;
            has_gap = find_vcut(c, ids + gstart, i - gstart, &gap);
            solid = i;
        }
        bstart = i;
        if (i < n)
            bottom = core_y1(&c->L[ids[i]]);
    }
    if (gstart == 0 && !has_gap) /* one band: nothing left to cut */
        emit_leaf(c, ids, n, region);
    else
        flush_group(c, ids, gstart, has_gap ? solid : n, n, region, depth, has_gap, gap);
}

/* The dominant size of lines ids[0..n) (most glyphs, 0.5 pt steps). */
static float main_size(const xy *c, const uint32_t *ids, size_t n)
{
    float sizes[16];
    unsigned counts[16];
    int ns = 0;
    for (size_t i = 0; i < n; i++) {
        const kg_pdf_line *l = &c->L[ids[i]];
        int j = 0;
        while (j < ns && fabsf(sizes[j] - l->size) > 0.25f)
            j++;
        if (j == ns && ns < 16) {
            sizes[ns] = l->size;
            counts[ns++] = 0;
        }
        if (j < ns)
            counts[j] += l->nglyph;
    }
    int best = 0;
    for (int j = 1; j < ns; j++)
        if (counts[j] > counts[best])
            best = j;
    return ns ? sizes[best] : 0;
}

/* A full-width gap of two ems or more between text of one size above and
 * of another below (the body, then a bibliography or notes in smaller
 * type set in columns of their own): the parts are read one after the
 * other, whatever gutters they share.  Returns the split index into ids
 * (sorted by top), 0 when none. */
static size_t strong_hcut(const xy *c, uint32_t *ids, size_t n)
{
    qsort(ids, n, sizeof *ids, cmp_core_y);
    float bottom = c->L[ids[0]].y1;
    for (size_t i = 1; i < n; i++) {
        const kg_pdf_line *l = &c->L[ids[i]];
        if (l->y0 - bottom >= 2.0f * l->size) {
            float above = main_size(c, ids, i), below = main_size(c, ids + i, n - i);
            if (fabsf(above - below) >= 0.08f * fmaxf(above, below))
                return i;
        }
        bottom = fmaxf(bottom, l->y1);
    }
    return 0;
}

static void cut(xy *c, uint32_t *ids, size_t n, uint32_t region, int depth)
{
    if (n == 0)
        return;
    if (n == 1 || depth > XY_MAX_DEPTH) {
        emit_leaf(c, ids, n, region);
        return;
    }
    size_t h = strong_hcut(c, ids, n);
    if (h) {
        cut(c, ids, h, region, depth + 1);
        cut(c, ids + h, n - h, region, depth + 1);
        return;
    }
    span gap = {0, 0};
    if (find_vcut(c, ids, n, &gap))
        group(c, ids, n, region, depth, 1, gap);
    else
        cut_bands(c, ids, n, region, depth);
}

void kg_layout_order(kg_pdf_page *p, struct kg_layout_scratch *sc, size_t n)
{
    kg_layout_grow((void **)&sc->ids, &sc->ids_cap, n, sizeof *sc->ids);
    kg_layout_grow((void **)&sc->ids2, &sc->ids2_cap, n, sizeof *sc->ids2);
    kg_layout_grow((void **)&sc->order, &sc->order_cap, n, sizeof *sc->order);
    struct xspan *spans = kg_xmalloc((n ? n : 1) * sizeof *spans);
    xy c = {sc->tmp, sc->order, 0, 1, fmaxf(5.0f, 0.9f * p->body_size), spans};
    tl_lines = sc->tmp;
    size_t nh = 0, nv = 0;
    for (size_t i = 0; i < n; i++) {
        if (sc->tmp[i].flags & KG_LINE_VERTICAL)
            sc->ids2[nv++] = (uint32_t)i;
        else
            sc->ids[nh++] = (uint32_t)i;
    }
    if (nh > XY_MAX_LINES)
        emit_leaf(&c, sc->ids, nh, 0);
    else
        cut(&c, sc->ids, nh, 0, 0);
    for (size_t i = 0; i < nv; i++) {
        sc->tmp[sc->ids2[i]].region = c.nregion++;
        c.out[c.nout++] = sc->ids2[i];
    }
    free(spans);
    kg_layout_grow((void **)&p->lines, &p->lines_cap, n, sizeof *p->lines);
    for (size_t i = 0; i < n; i++)
        p->lines[i] = sc->tmp[c.out[i]];
    p->nlines = n;
}

/* ---- blocks ---------------------------------------------------------- */

/* Typical gap between consecutive lines of one column (the median), so
 * that double-spaced manuscripts do not become one block per line. */
static float typical_gap(const kg_pdf_page *p)
{
    float gaps[512];
    size_t ng = 0;
    for (size_t i = 1; i < p->nlines && ng < 512; i++) {
        const kg_pdf_line *a = &p->lines[i - 1], *b = &p->lines[i];
        if (a->region != b->region || (b->flags & KG_LINE_ROW) || fabsf(a->size - b->size) > 0.5f)
            continue;
        float g = b->y0 - a->y1;
        if (g >= -0.5f * a->size && g < 2.0f * a->size)
            gaps[ng++] = g;
    }
    if (!ng)
        return 0.2f * p->body_size;
    /* Insertion sort: at most 512 values. */
    for (size_t i = 1; i < ng; i++)
        for (size_t j = i; j > 0 && gaps[j - 1] > gaps[j]; j--) {
            float t = gaps[j];
            gaps[j] = gaps[j - 1];
            gaps[j - 1] = t;
        }
    return gaps[ng / 2];
}

static int starts_caption(const kg_pdf_page *p, size_t i)
{
    static const char *const labels[] = {"Figure ", "Fig. ",  "FIGURE ", "FIG. ",      "Fig ",
                                         "Table ",  "TABLE ", "Tab. ",   "Algorithm ", NULL};
    const char *t = kg_pdf_line_text(p, i);
    size_t n = p->lines[i].len;
    for (int k = 0; labels[k]; k++) {
        size_t m = strlen(labels[k]);
        if (n > m && memcmp(t, labels[k], m) == 0 &&
            ((t[m] >= '0' && t[m] <= '9') || t[m] == 'I' || t[m] == 'V' || t[m] == 'X'))
            return 1;
    }
    return 0;
}

/* A line that is a numbered heading in capitals ("IV. RESULTS",
 * "2 RELATED WORK"): what follows it is another block even when set in
 * the same type without extra space. */
static int caps_heading(const kg_pdf_page *p, size_t i)
{
    const char *t = kg_pdf_line_text(p, i);
    size_t n = p->lines[i].len;
    int depth;
    size_t num = kg_zone_heading_number(t, n, &depth);
    if (!num || n - num > 60)
        return 0;
    int upper = 0;
    for (size_t k = num; k < n; k++) {
        if (t[k] >= 'a' && t[k] <= 'z')
            return 0;
        upper += t[k] >= 'A' && t[k] <= 'Z';
    }
    return upper >= 4;
}

/* Does line i start a new block after line i - 1 of block b? */
static int breaks(const kg_pdf_page *p, const kg_pdf_block *b, size_t i, float gap_typ)
{
    const kg_pdf_line *a = &p->lines[i - 1], *l = &p->lines[i];
    if (a->region != l->region || ((a->flags | l->flags) & KG_LINE_VERTICAL))
        return 1;
    if (l->flags & KG_LINE_ROW)
        return 0;
    float size = fmaxf(a->size, l->size);
    if (fabsf(a->size - l->size) > 0.07f * size)
        return 1;
    if (((a->flags ^ l->flags) & KG_LINE_BOLD) && (a->flags & l->flags & KG_LINE_LETTERS))
        return 1;
    if ((a->flags ^ l->flags) & KG_LINE_MATH)
        return 1;
    float gap = l->y0 - a->y1;
    if (gap > gap_typ + 0.5f * size || l->y1 < a->y0)
        return 1;
    if (starts_caption(p, i) || caps_heading(p, i - 1))
        return 1;
    /* A first-line indent after a line at the left edge that stopped short,
     * or that ended a sentence: a new paragraph.  (After an indented line,
     * or after a first line at the edge, an indent is a hanging indent: a
     * bibliography entry going on.) */
    if (l->x0 > b->x0 + 0.8f * size && a->x0 <= b->x0 + 0.5f * size && b->nlines >= 2) {
        const char *at = kg_pdf_line_text(p, i - 1);
        char last = a->len ? at[a->len - 1] : 0;
        if ((a->x1 < b->x1 - 1.0f * size && l->x1 > a->x1 - 2 * size) ||
            (last && strchr(".!?:", last)))
            return 1;
    }
    return 0;
}

static void block_close(kg_pdf_page *p, kg_pdf_block *b)
{
    int bold = 1, italic = 1, math = 0, letters = 0;
    unsigned best = 0;
    for (uint32_t i = b->line0; i < b->line0 + b->nlines; i++) {
        const kg_pdf_line *l = &p->lines[i];
        if (l->flags & KG_LINE_LETTERS) {
            letters = 1;
            bold &= (l->flags & KG_LINE_BOLD) != 0;
            italic &= (l->flags & KG_LINE_ITALIC) != 0;
        }
        math += (l->flags & KG_LINE_MATH) != 0;
        if (l->nglyph > best) {
            best = l->nglyph;
            b->size = l->size;
        }
    }
    b->flags = (uint8_t)((bold && letters ? KG_LINE_BOLD : 0) |
                         (italic && letters ? KG_LINE_ITALIC : 0) |
                         (math * 2 >= (int)b->nlines ? KG_LINE_MATH : 0) |
                         (p->lines[b->line0].flags & KG_LINE_VERTICAL));
}

void kg_layout_blocks(kg_pdf_page *p)
{
    float gap_typ = typical_gap(p);
    p->nblocks = 0;
    kg_pdf_block *b = NULL;
    for (size_t i = 0; i < p->nlines; i++) {
        const kg_pdf_line *l = &p->lines[i];
        if (!b || breaks(p, b, i, gap_typ)) {
            if (b)
                block_close(p, b);
            kg_layout_grow((void **)&p->blocks, &p->blocks_cap, p->nblocks + 1, sizeof *p->blocks);
            b = &p->blocks[p->nblocks++];
            *b = (kg_pdf_block){(uint32_t)i, 0, l->x0, l->y0, l->x1, l->y1, l->size, l->region, 0};
        }
        b->nlines++;
        b->x0 = fminf(b->x0, l->x0);
        b->y0 = fminf(b->y0, l->y0);
        b->x1 = fmaxf(b->x1, l->x1);
        b->y1 = fmaxf(b->y1, l->y1);
    }
    if (b)
        block_close(p, b);
}
