/* pdf_reader: see pdf_reader.h. */
#include "pdf/pdf_reader.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "text/normalize.h"
#include "pdf/pdf_zone.h"

/* Floats held back while a paragraph waits for its second half. */
#define MAX_FLOATS 16
#define MAX_FLOAT_BYTES (64u << 10)

typedef struct held_float {
    kg_block_info info;
    char *text;
    size_t len;
} held_float;

struct kg_pdf_reader {
    const kg_load_sink *sink;
    const char *path;
    kg_zoner *z;
    kg_pdf_page pg[3]; /* a ring: the page being emitted and the two after it */
    int laid;          /* pages laid out */
    int done;          /* pages emitted */
    kg_zone_units units;
    kg_buf raw;
    /* the last unit's text, not yet pushed (a paragraph may continue) */
    kg_buf pend;
    int have_pend, pend_page, pend_kind, pend_open;
    uint32_t pend_region;
    held_float floats[MAX_FLOATS];
    int nfloats;
    size_t float_bytes;
    uint64_t emitted;
    int last_page;
    kg_buf title;
};

kg_pdf_reader *kg_pdf_reader_new(const kg_load_sink *sink, const char *path, const char *meta_title)
{
    kg_pdf_reader *r = kg_xcalloc(1, sizeof *r);
    r->sink = sink;
    r->path = path;
    r->z = kg_zoner_new();
    kg_zoner_hint_title(r->z, meta_title);
    for (int i = 0; i < 3; i++)
        kg_pdf_page_init(&r->pg[i]);
    return r;
}

void kg_pdf_reader_free(kg_pdf_reader *r)
{
    if (!r)
        return;
    kg_zoner_free(r->z);
    for (int i = 0; i < 3; i++)
        kg_pdf_page_free(&r->pg[i]);
    kg_zone_units_free(&r->units);
    kg_buf_free(&r->raw);
    kg_buf_free(&r->pend);
    for (int i = 0; i < r->nfloats; i++)
        free(r->floats[i].text);
    kg_buf_free(&r->title);
    free(r);
}

const char *kg_pdf_reader_title(const kg_pdf_reader *r)
{
    return r->title.len ? r->title.data : NULL;
}

uint64_t kg_pdf_reader_bytes(const kg_pdf_reader *r)
{
    return r->emitted;
}

/* ---- pushing to the sink ---------------------------------------------- */

static int push(kg_pdf_reader *r, int page, const char *s, size_t len, kg_err *err)
{
    if (!len)
        return 0;
    if (page < r->last_page)
        page = r->last_page; /* never backwards (cannot happen: floats stay on their page) */
    r->last_page = page;
    r->emitted += len;
    if (r->sink && r->sink->text && r->sink->text(r->sink->ud, page, s, len))
        return kg_err_set(err, KG_ECANCELED, "%s: loading cancelled", r->path);
    return 0;
}

static int announce(kg_pdf_reader *r, const kg_block_info *b, kg_err *err)
{
    if (r->sink && r->sink->block && r->sink->block(r->sink->ud, b))
        return kg_err_set(err, KG_ECANCELED, "%s: loading cancelled", r->path);
    return 0;
}

static int section(kg_pdf_reader *r, const char *title, kg_err *err)
{
    if (r->sink && r->sink->section && r->sink->section(r->sink->ud, title))
        return kg_err_set(err, KG_ECANCELED, "%s: loading cancelled", r->path);
    return 0;
}

static int separate(kg_pdf_reader *r, int page, kg_err *err)
{
    return r->emitted ? push(r, page, "\n\n", 2, err) : 0;
}

static int flush_pend(kg_pdf_reader *r, kg_err *err)
{
    int rc = 0;
    if (r->have_pend)
        rc = push(r, r->pend_page, r->pend.data, r->pend.len, err);
    r->have_pend = 0;
    kg_buf_truncate(&r->pend, 0);
    for (int i = 0; i < r->nfloats; i++) {
        held_float *f = &r->floats[i];
        if (!rc)
            rc = separate(r, f->info.page, err);
        if (!rc)
            rc = announce(r, &f->info, err);
        if (!rc)
            rc = push(r, f->info.page, f->text, f->len, err);
        free(f->text);
    }
    r->nfloats = 0;
    r->float_bytes = 0;
    return rc;
}

/* ---- units ------------------------------------------------------------ */

static int ends_open(const char *s, size_t n)
{
    while (n && s[n - 1] == ' ')
        n--;
    return n && !strchr(".!?:;", s[n - 1]);
}

static int ends_hyphen(const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != '-')
        return 0;
    unsigned char c = (unsigned char)s[n - 2];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int starts_lower(const char *s, size_t n)
{
    return n && ((s[0] >= 'a' && s[0] <= 'z'));
}

static void unit_info(const kg_pdf_page *p, const kg_zone_unit *u, kg_block_info *b)
{
    memset(b, 0, sizeof *b);
    b->kind = (kg_block_kind)u->kind;
    b->page = p->number;
    b->page_w = p->width;
    b->page_h = p->height;
    b->level = u->level;
    b->x0 = b->y0 = INFINITY;
    b->x1 = b->y1 = -INFINITY;
    unsigned best = 0, bold = 0, italic = 0;
    for (uint32_t i = u->line0; i < u->line0 + u->nlines; i++) {
        const kg_pdf_line *l = &p->lines[i];
        b->x0 = fminf(b->x0, l->x0);
        b->y0 = fminf(b->y0, l->y0);
        b->x1 = fmaxf(b->x1, l->x1);
        b->y1 = fmaxf(b->y1, l->y1);
        if (l->nglyph > best) {
            best = l->nglyph;
            b->font_size = l->size;
        }
        bold += (l->flags & KG_LINE_BOLD) != 0;
        italic += (l->flags & KG_LINE_ITALIC) != 0;
    }
    b->style = (bold * 2 > u->nlines ? KG_BLOCK_STYLE_BOLD : 0) |
               (italic * 2 > u->nlines ? KG_BLOCK_STYLE_ITALIC : 0);
}

/* The unit's text, normalised, in a new string (*len bytes). */
static char *unit_text(kg_pdf_reader *r, const kg_pdf_page *p, const kg_zone_unit *u, size_t *len)
{
    kg_buf_truncate(&r->raw, 0);
    for (uint32_t i = u->line0; i < u->line0 + u->nlines; i++) {
        if (i > u->line0)
            kg_buf_putc(&r->raw, '\n');
        kg_buf_append(&r->raw, kg_pdf_line_text(p, i), p->lines[i].len);
    }
    int flags = KG_NORM_DEHYPHENATE;
    if (u->kind != KG_BLOCK_FRONT)
        flags |= KG_NORM_UNWRAP;
    return kg_normalize(r->raw.data ? r->raw.data : "", r->raw.len, flags, len, NULL);
}

static int is_float(int kind)
{
    return kind == KG_BLOCK_CAPTION || kind == KG_BLOCK_TABLE || kind == KG_BLOCK_FOOTNOTE;
}

/* Join text t to the pending unit (a paragraph or an entry continues). */
static int join(kg_pdf_reader *r, int page, uint32_t region, char *t, size_t n, kg_err *err)
{
    if (ends_hyphen(r->pend.data, r->pend.len) && starts_lower(t, n))
        kg_buf_truncate(&r->pend, r->pend.len - 1);
    else
        kg_buf_putc(&r->pend, ' ');
    int rc = push(r, r->pend_page, r->pend.data, r->pend.len, err);
    kg_buf_truncate(&r->pend, 0);
    kg_buf_append(&r->pend, t, n);
    r->pend_page = page;
    r->pend_region = region;
    r->pend_open = ends_open(t, n);
    free(t);
    return rc;
}

static int emit_unit(kg_pdf_reader *r, const kg_pdf_page *p, const kg_zone_unit *u, kg_err *err)
{
    size_t n;
    char *t = unit_text(r, p, u, &n);
    if (!n) {
        free(t);
        return 0;
    }
    kg_block_info info;
    unit_info(p, u, &info);
    if (u->kind == KG_BLOCK_FURNITURE) {
        info.text = t;
        info.len = n;
        int rc = announce(r, &info, err);
        free(t);
        return rc;
    }
    if (u->kind == KG_BLOCK_TITLE) {
        if (r->title.len)
            kg_buf_putc(&r->title, ' ');
        kg_buf_append(&r->title, t, n);
    }
    uint32_t region = p->lines[u->line0].region;
    int moved = region != r->pend_region || p->number != r->pend_page;
    int cont = r->have_pend && u->kind == r->pend_kind &&
               (u->cont ||
                (u->kind == KG_BLOCK_BODY && r->pend_open && moved && starts_lower(t, n)));
    if (cont && (!r->nfloats || p->number == r->pend_page))
        return join(r, p->number, region, t, n, err);
    if (is_float(u->kind) && r->have_pend && r->pend_kind == KG_BLOCK_BODY && r->pend_open &&
        p->number == r->pend_page && r->nfloats < MAX_FLOATS && r->float_bytes < MAX_FLOAT_BYTES) {
        r->floats[r->nfloats++] = (held_float){info, t, n};
        r->float_bytes += n;
        return 0;
    }
    int rc = flush_pend(r, err);
    if (!rc)
        rc = separate(r, p->number, err);
    if (!rc && u->section)
        rc = section(r, u->section == 2 ? "References" : u->section == 3 ? "Abstract" : t, err);
    if (!rc)
        rc = announce(r, &info, err);
    kg_buf_append(&r->pend, t, n);
    r->have_pend = 1;
    r->pend_page = p->number;
    r->pend_kind = u->kind;
    r->pend_region = region;
    r->pend_open = ends_open(t, n);
    free(t);
    return rc;
}

/* Emit the oldest page laid out but not emitted. */
static int emit_next(kg_pdf_reader *r, kg_err *err)
{
    kg_pdf_page *p = &r->pg[r->done % 3];
    const kg_pdf_page *n1 = r->done + 1 < r->laid ? &r->pg[(r->done + 1) % 3] : NULL;
    const kg_pdf_page *n2 = r->done + 2 < r->laid ? &r->pg[(r->done + 2) % 3] : NULL;
    kg_zoner_page(r->z, p, n1, n2, &r->units);
    r->done++;
    int rc = 0;
    for (size_t i = 0; i < r->units.n && !rc; i++)
        rc = emit_unit(r, p, &r->units.v[i], err);
    return rc;
}

int kg_pdf_reader_page(kg_pdf_reader *r, const kg_glyph *g, size_t n, float w, float h, kg_err *err)
{
    int rc = 0;
    if (r->laid - r->done == 3)
        rc = emit_next(r, err);
    kg_pdf_page *p = &r->pg[r->laid % 3];
    kg_pdf_layout(p, g, n, w, h);
    p->number = ++r->laid;
    return rc;
}

int kg_pdf_reader_finish(kg_pdf_reader *r, kg_err *err)
{
    int rc = 0;
    while (!rc && r->done < r->laid)
        rc = emit_next(r, err);
    if (!rc)
        rc = flush_pend(r, err);
    return rc;
}
