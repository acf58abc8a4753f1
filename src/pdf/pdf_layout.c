/* pdf_layout: glyphs into lines with their text (see pdf_layout.h); the
 * reading order and the blocks are pdf_order.c's. */
#include "pdf/pdf_layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/normalize.h"
#include "pdf/pdf_layout_internal.h"

void kg_layout_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap)
        return;
    size_t c = *cap ? *cap : 64;
    while (c < n)
        c *= 2;
    *arr = kg_xrealloc(*arr, c * elem);
    *cap = c;
}

void kg_pdf_page_init(kg_pdf_page *p)
{
    memset(p, 0, sizeof *p);
    p->scratch = kg_xcalloc(1, sizeof *p->scratch);
}

void kg_pdf_page_free(kg_pdf_page *p)
{
    if (!p)
        return;
    struct kg_layout_scratch *sc = p->scratch;
    if (sc) {
        free(sc->frags);
        free(sc->keys);
        free(sc->tmp);
        free(sc->ids);
        free(sc->ids2);
        free(sc->order);
        free(sc);
    }
    free(p->lines);
    free(p->blocks);
    kg_buf_free(&p->text);
    memset(p, 0, sizeof *p);
}

/* ---- fragments ------------------------------------------------------ */

static float overlap(float a0, float a1, float b0, float b1)
{
    return fminf(a1, b1) - fmaxf(a0, b0);
}

/* b sits right above or below a, in the same glyph column: rotated text. */
static int stacked(const kg_glyph *a, const kg_glyph *b)
{
    float wmin = fminf(a->x1 - a->x0, b->x1 - b->x0);
    if (wmin <= 0.5f || overlap(a->x0, a->x1, b->x0, b->x1) < 0.6f * wmin)
        return 0;
    float tol = 0.4f * fmaxf(a->size, b->size);
    return fabsf(b->y0 - a->y1) < tol || fabsf(a->y0 - b->y1) < tol;
}

/* b continues fragment f, whose last glyph is a, on the same baseline. */
static int continues(const kg_frag *f, const kg_glyph *a, const kg_glyph *b)
{
    float size = fmaxf(a->size, b->size);
    float hmin = fminf(f->y1 - f->y0, b->y1 - b->y0);
    if (hmin < 0.5f) {
        float cy = (b->y0 + b->y1) / 2;
        if (cy < f->y0 || cy > f->y1)
            return 0;
    } else if (overlap(f->y0, f->y1, b->y0, b->y1) < 0.4f * hmin) {
        return 0;
    }
    float gap = b->x0 - a->x1;
    return gap >= -0.3f * size && gap <= 1.0f * size;
}

static void frag_add(kg_frag *f, const kg_glyph *g)
{
    f->x0 = fminf(f->x0, g->x0);
    f->y0 = fminf(f->y0, g->y0);
    f->x1 = fmaxf(f->x1, g->x1);
    f->y1 = fmaxf(f->y1, g->y1);
    f->size = fmaxf(f->size, g->size);
    f->n++;
}

static size_t make_frags(struct kg_layout_scratch *sc, const kg_glyph *g, size_t n)
{
    size_t nf = 0;
    kg_frag *f = NULL;
    for (size_t i = 0; i < n; i++) {
        if (f) {
            const kg_glyph *a = &g[f->first + f->n - 1];
            if (f->vertical ? stacked(a, &g[i]) : continues(f, a, &g[i])) {
                frag_add(f, &g[i]);
                continue;
            }
            if (f->n == 1 && stacked(a, &g[i]) && fabsf(a->size - g[i].size) < 0.1f * a->size) {
                f->vertical = 1;
                frag_add(f, &g[i]);
                continue;
            }
        }
        kg_layout_grow((void **)&sc->frags, &sc->frags_cap, nf + 1, sizeof *sc->frags);
        f = &sc->frags[nf];
        *f = (kg_frag){g[i].x0,     g[i].y0, g[i].x1,      g[i].y1, g[i].size,
                       (uint32_t)i, 1,       (uint32_t)nf, 0};
        nf++;
    }
    return nf;
}

static uint32_t find_root(kg_frag *fr, uint32_t i)
{
    while (fr[i].parent != i) {
        fr[i].parent = fr[fr[i].parent].parent;
        i = fr[i].parent;
    }
    return i;
}

/* qsort has no context argument; layouts run on several threads at once. */
static _Thread_local const kg_frag *tl_frags;

static int cmp_frag_y(const void *a, const void *b)
{
    float ya = tl_frags[*(const uint32_t *)a].y0, yb = tl_frags[*(const uint32_t *)b].y0;
    return ya < yb ? -1 : ya > yb;
}

/* Join fragments on one baseline a small gap apart (a section number and
 * its title; a superscript the text layer set apart; pieces of one line it
 * gave out of order). */
static void join_frags(struct kg_layout_scratch *sc, size_t nf)
{
    kg_layout_grow((void **)&sc->ids, &sc->ids_cap, nf, sizeof *sc->ids);
    kg_frag *fr = sc->frags;
    for (size_t i = 0; i < nf; i++)
        sc->ids[i] = (uint32_t)i;
    tl_frags = fr;
    qsort(sc->ids, nf, sizeof *sc->ids, cmp_frag_y);
    for (size_t a = 0; a < nf; a++) {
        const kg_frag *fa = &fr[sc->ids[a]];
        if (fa->vertical)
            continue;
        for (size_t b = a + 1; b < nf && fr[sc->ids[b]].y0 < fa->y1; b++) {
            const kg_frag *fb = &fr[sc->ids[b]];
            if (fb->vertical)
                continue;
            float hmin = fminf(fa->y1 - fa->y0, fb->y1 - fb->y0);
            if (overlap(fa->y0, fa->y1, fb->y0, fb->y1) < 0.5f * hmin)
                continue;
            float gap = fmaxf(fa->x0, fb->x0) - fminf(fa->x1, fb->x1);
            if (gap > 1.0f * fmaxf(fa->size, fb->size))
                continue;
            /* A drop cap spans two lines: it joins neither.  Markers and
             * exponents (a few small glyphs) still join their line. */
            float big = fmaxf(fa->size, fb->size), small = fminf(fa->size, fb->size);
            if (big > 1.6f * small && (fa->size < fb->size ? fa->n : fb->n) > 6)
                continue;
            uint32_t ra = find_root(fr, sc->ids[a]), rb = find_root(fr, sc->ids[b]);
            if (ra != rb)
                fr[rb].parent = ra;
        }
    }
}

static int cmp_gkey(const void *a, const void *b)
{
    const kg_gkey *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->x != y->x)
        return x->x < y->x ? -1 : 1;
    return x->glyph < y->glyph ? -1 : x->glyph > y->glyph;
}

/* ---- text of a line ------------------------------------------------- */

static uint32_t sup_of(uint32_t c)
{
    static const uint16_t digits[10] = {0x2070, 0xB9,   0xB2,   0xB3,   0x2074,
                                        0x2075, 0x2076, 0x2077, 0x2078, 0x2079};
    static const uint16_t letters[26] = {0x1D43, 0x1D47, 0x1D9C, 0x1D48, 0x1D49, 0x1DA0, 0x1D4D,
                                         0x02B0, 0x2071, 0x02B2, 0x1D4F, 0x02E1, 0x1D50, 0x207F,
                                         0x1D52, 0x1D56, 0,      0x02B3, 0x02E2, 0x1D57, 0x1D58,
                                         0x1D5B, 0x02B7, 0x02E3, 0x02B8, 0x1DBB};
    if (c >= '0' && c <= '9')
        return digits[c - '0'];
    if (c >= 'a' && c <= 'z')
        return letters[c - 'a'];
    switch (c) {
    case '+': return 0x207A;
    case '-':
    case 0x2212: return 0x207B;
    case '=': return 0x207C;
    case '(': return 0x207D;
    case ')': return 0x207E;
    case ',': return ',';
    default: return 0;
    }
}

static int is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Math: Greek, operators, arrows and the ASCII operators, or a math font. */
static int is_math(const kg_glyph *g)
{
    uint32_t c = g->cp;
    if ((g->flags & KG_GLYPH_MATH) && !(c >= '0' && c <= '9'))
        return 1;
    return (c >= 0x370 && c <= 0x3FF) || (c >= 0x2190 && c <= 0x22FF) ||
           (c >= 0x27C0 && c <= 0x2AFF) || c == '=' || c == '+' || c == '<' || c == '>' ||
           c == '^' || c == '|' || c == '~' || c == 0xB1 || c == 0xD7 || c == 0xF7;
}

typedef struct line_acc {
    float dom; /* dominant size */
    float mid; /* vertical middle of the dominant-size glyphs */
    int letters, bold, italic, math, prose, visible;
} line_acc;

/* Dominant size (most glyphs within 0.25 pt) and its glyphs' middle. */
static void line_metrics(const kg_glyph *g, const kg_gkey *k, size_t n, line_acc *acc)
{
    float sizes[8];
    int counts[8], ns = 0;
    for (size_t i = 0; i < n; i++) {
        float s = g[k[i].glyph].size;
        int j = 0;
        while (j < ns && fabsf(sizes[j] - s) > 0.25f)
            j++;
        if (j == ns && ns < 8) {
            sizes[ns] = s;
            counts[ns++] = 0;
        }
        if (j < ns)
            counts[j]++;
    }
    int best = 0;
    for (int j = 1; j < ns; j++)
        if (counts[j] > counts[best] || (counts[j] == counts[best] && sizes[j] > sizes[best]))
            best = j;
    acc->dom = ns ? sizes[best] : 0;
    double sum = 0;
    int m = 0;
    for (size_t i = 0; i < n; i++) {
        const kg_glyph *x = &g[k[i].glyph];
        if (fabsf(x->size - acc->dom) <= 0.1f * acc->dom) {
            sum += (x->y0 + x->y1) / 2;
            m++;
        }
    }
    acc->mid = m ? (float)(sum / m) : 0;
}

/* 1 superscript, -1 subscript, 0 on the line. */
static int script_of(const kg_glyph *x, const line_acc *acc)
{
    if (x->size >= 0.85f * acc->dom || acc->dom <= 0)
        return 0;
    float d = (x->y0 + x->y1) / 2 - acc->mid;
    if (d < -0.15f * acc->dom)
        return 1;
    if (d > 0.1f * acc->dom)
        return -1;
    return 0;
}

static void put_plain(kg_buf *t, uint32_t c, uint32_t next)
{
    static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    if (c >= 0xFB00 && c <= 0xFB06) {
        kg_buf_puts(t, lig[c - 0xFB00]);
    } else if (c == 0x131 && next >= 0x300 && next <= 0x36F) {
        kg_buf_putc(t, 'i'); /* dotless i under an accent: "Lemaı̂tre" */
    } else if (c == 0xAD) {
        kg_buf_putc(t, '-');
    } else {
        kg_utf8_put(t, c);
    }
}

/* Superscript run k[a..b): Unicode superscripts when every glyph has one and
 * it holds a digit or letter (a marker or an exponent), else as it is. */
static void put_script(kg_buf *t, const kg_glyph *g, const kg_gkey *k, size_t a, size_t b, int sup)
{
    int ok = 1, alnum = 0;
    for (size_t i = a; i < b && ok; i++) {
        uint32_t c = g[k[i].glyph].cp;
        alnum |= is_ascii_alnum(c);
        ok = sup ? sup_of(c) != 0 : (c >= '0' && c <= '9');
    }
    for (size_t i = a; i < b; i++) {
        uint32_t c = g[k[i].glyph].cp;
        if (ok && alnum)
            kg_utf8_put(t, sup ? sup_of(c) : 0x2080 + (c - '0'));
        else
            put_plain(t, c, i + 1 < b ? g[k[i + 1].glyph].cp : 0);
    }
}

static int space_between(const kg_glyph *a, const kg_glyph *b, uint32_t ia, uint32_t ib,
                         int vertical)
{
    if (ib == ia + 1)
        return (b->flags & KG_GLYPH_SPACE) != 0 ||
               (!vertical && b->x0 - a->x1 > 0.25f * fminf(a->size, b->size));
    if (vertical)
        return 1;
    return b->x0 - a->x1 > 0.15f * fminf(a->size, b->size);
}

static void count_glyph(const kg_glyph *x, line_acc *acc, int *word_letters)
{
    uint32_t c = x->cp;
    int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c < 0x250);
    acc->visible++;
    if (is_math(x)) {
        acc->math++;
        *word_letters = 0;
        return;
    }
    if (letter) {
        acc->letters++;
        acc->bold += (x->flags & KG_GLYPH_BOLD) != 0;
        acc->italic += (x->flags & KG_GLYPH_ITALIC) != 0;
        if (++*word_letters == 3)
            acc->prose += 3;
        else if (*word_letters > 3)
            acc->prose++;
    } else if (c != '-' && c != '\'' && c != 0x2019) {
        *word_letters = 0;
    }
}

/* The text and flags of the line made of glyphs k[0..n). */
static void line_text(kg_pdf_page *p, const kg_glyph *g, const kg_gkey *k, size_t n, int vertical,
                      kg_pdf_line *ln)
{
    line_acc acc = {0};
    line_metrics(g, k, n, &acc);
    kg_buf *t = &p->text;
    ln->text = (uint32_t)t->len;
    int word_letters = 0;
    size_t i = 0;
    while (i < n) {
        const kg_glyph *x = &g[k[i].glyph];
        if (i > 0 && space_between(&g[k[i - 1].glyph], x, k[i - 1].glyph, k[i].glyph, vertical)) {
            kg_buf_putc(t, ' ');
            word_letters = 0;
        }
        int s = vertical ? 0 : script_of(x, &acc);
        if (s) {
            size_t j = i + 1;
            while (
                j < n && script_of(&g[k[j].glyph], &acc) == s &&
                !space_between(&g[k[j - 1].glyph], &g[k[j].glyph], k[j - 1].glyph, k[j].glyph, 0))
                j++;
            put_script(t, g, k, i, j, s > 0);
            for (size_t m = i; m < j; m++)
                acc.visible++;
            i = j;
            word_letters = 0;
            continue;
        }
        count_glyph(x, &acc, &word_letters);
        put_plain(t, x->cp, i + 1 < n ? g[k[i + 1].glyph].cp : 0);
        i++;
    }
    ln->len = (uint32_t)(t->len - ln->text);
    ln->size = acc.dom;
    ln->nglyph = (uint16_t)(n > 65535 ? 65535 : n);
    ln->flags = vertical ? KG_LINE_VERTICAL : 0;
    ln->prose = (uint8_t)(acc.visible ? acc.prose * 100 / acc.visible : 0);
    if (acc.letters)
        ln->flags |= KG_LINE_LETTERS;
    if (acc.letters && acc.bold * 10 >= acc.letters * 6)
        ln->flags |= KG_LINE_BOLD;
    if (acc.letters && acc.italic * 10 >= acc.letters * 6)
        ln->flags |= KG_LINE_ITALIC;
    /* A formula: few letters in words, and math glyphs among the rest. */
    if (acc.prose * 2 < acc.visible && acc.math >= 1 && acc.math * 10 >= acc.visible * 2)
        ln->flags |= KG_LINE_MATH;
}

/* The page's most common glyph size, in 0.5 pt steps. */
static float body_size(const kg_glyph *g, size_t n)
{
    int hist[128] = {0};
    for (size_t i = 0; i < n; i++) {
        int b = (int)lroundf(g[i].size * 2);
        if (b > 0 && b < 128)
            hist[b]++;
    }
    int best = 0;
    for (int b = 1; b < 128; b++)
        if (hist[b] > hist[best])
            best = b;
    return best ? best / 2.0f : 10.0f;
}

static size_t make_lines(kg_pdf_page *p, struct kg_layout_scratch *sc, const kg_glyph *g, size_t n,
                         size_t nf)
{
    kg_layout_grow((void **)&sc->keys, &sc->keys_cap, n, sizeof *sc->keys);
    for (size_t f = 0; f < nf; f++) {
        uint32_t root = find_root(sc->frags, (uint32_t)f);
        const kg_frag *fr = &sc->frags[f];
        for (uint32_t i = fr->first; i < fr->first + fr->n; i++)
            sc->keys[i] = (kg_gkey){root, fr->vertical ? (float)i : g[i].x0, i};
    }
    qsort(sc->keys, n, sizeof *sc->keys, cmp_gkey);
    size_t nl = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && sc->keys[b].line == sc->keys[a].line)
            b++;
        kg_layout_grow((void **)&sc->tmp, &sc->tmp_cap, nl + 1, sizeof *sc->tmp);
        kg_pdf_line *ln = &sc->tmp[nl++];
        memset(ln, 0, sizeof *ln);
        ln->x0 = ln->y0 = INFINITY;
        ln->x1 = ln->y1 = -INFINITY;
        for (size_t i = a; i < b; i++) {
            const kg_glyph *x = &g[sc->keys[i].glyph];
            ln->x0 = fminf(ln->x0, x->x0);
            ln->y0 = fminf(ln->y0, x->y0);
            ln->x1 = fmaxf(ln->x1, x->x1);
            ln->y1 = fmaxf(ln->y1, x->y1);
        }
        line_text(p, g, sc->keys + a, b - a, sc->frags[sc->keys[a].line].vertical, ln);
        a = b;
    }
    return nl;
}

void kg_pdf_layout(kg_pdf_page *p, const kg_glyph *g, size_t n, float width, float height)
{
    struct kg_layout_scratch *sc = p->scratch;
    p->width = width;
    p->height = height;
    p->nlines = p->nblocks = 0;
    kg_buf_truncate(&p->text, 0);
    p->body_size = body_size(g, n);
    if (n == 0)
        return;
    size_t nf = make_frags(sc, g, n);
    join_frags(sc, nf);
    size_t nl = make_lines(p, sc, g, n, nf);
    kg_layout_order(p, sc, nl);
    kg_layout_blocks(p);
}
