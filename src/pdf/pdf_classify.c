/* pdf_classify: the kind of one block (part) of a page, and the title of
 * page 1; the rules are listed in pdf_zone.h. */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "pdf/pdf_zone_internal.h"

size_t kg_zone_ref_label(const char *s, size_t n, int *style, int *num)
{
    size_t i = 0;
    int open = 0;
    if (n && (s[0] == '[' || s[0] == '(')) {
        open = (unsigned char)s[0];
        i = 1;
    }
    size_t d0 = i;
    int v = 0;
    while (i < n && i - d0 < 6 && s[i] >= '0' && s[i] <= '9')
        v = v * 10 + (s[i++] - '0');
    if (i == d0 || i >= n)
        return 0;
    if (open == '[' && s[i] == ']')
        *style = 1;
    else if (open == '(' && s[i] == ')')
        *style = 3;
    else if (!open && s[i] == '.')
        *style = 2;
    else
        return 0;
    i++;
    /* "10.Wang, R." (no space) only for "n." labels */
    if (i < n && s[i] != ' ' && !(*style == 2 && isupper((unsigned char)s[i])))
        return 0;
    while (i < n && s[i] == ' ')
        i++;
    if (*style == 2 && (i >= n || !(isupper((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)))
        return 0; /* "3.5 mm", "2. the" are not labels */
    *num = v;
    return i;
}

static size_t roman_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 6 && strchr("IVX", s[i]))
        i++;
    return i;
}

size_t kg_zone_heading_number(const char *s, size_t n, int *depth)
{
    size_t i = 0;
    int d = 0;
    if (n && s[0] >= '0' && s[0] <= '9') {
        for (;;) {
            size_t d0 = i;
            while (i < n && i - d0 < 2 && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == d0)
                return 0;
            d++;
            if (i + 1 < n && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
                i++;
                continue;
            }
            break;
        }
        if (i < n && s[i] == '.')
            i++;
    } else if (roman_len(s, n) && roman_len(s, n) < n && s[roman_len(s, n)] == '.') {
        i = roman_len(s, n) + 1;
        d = 1;
    } else if (n >= 3 && s[0] >= 'A' && s[0] <= 'H' && s[1] == '.') {
        i = 2;
        d = 2;
    } else {
        return 0;
    }
    if (i >= n || s[i] != ' ')
        return 0;
    while (i < n && s[i] == ' ')
        i++;
    *depth = d;
    return i;
}

enum {
    K_NONE,
    K_REFS,
    K_ABSTRACT,
    K_END_REFS,
    K_OTHER
};

/* What a heading text names (numbering stripped, ':' or '.' after it). */
static int known_name(const char *s, size_t n)
{
    static const struct {
        const char *name;
        int what;
    } names[] = {
        {"references", K_REFS},
        {"bibliography", K_REFS},
        {"literature cited", K_REFS},
        {"works cited", K_REFS},
        {"references and notes", K_REFS},
        {"abstract", K_ABSTRACT},
        {"appendix", K_END_REFS},
        {"appendices", K_END_REFS},
        {"affiliation", K_END_REFS},
        {"affiliations", K_END_REFS},
        {"about the authors", K_END_REFS},
        {"author biographies", K_END_REFS},
        {"supplementary material", K_END_REFS},
        {"introduction", K_OTHER},
        {"related work", K_OTHER},
        {"background", K_OTHER},
        {"conclusion", K_OTHER},
        {"conclusions", K_OTHER},
        {"discussion", K_OTHER},
        {"results", K_OTHER},
        {"methods", K_OTHER},
        {"acknowledgments", K_OTHER},
        {"acknowledgements", K_OTHER},
        {"acknowledgment", K_OTHER},
        {"acknowledgement", K_OTHER},
        {"contents", K_OTHER},
        {"future work", K_OTHER},
        {"summary", K_OTHER},
        {"evaluation", K_OTHER},
        {"experiments", K_OTHER},
    };
    while (n && (s[n - 1] == ':' || s[n - 1] == '.' || s[n - 1] == ' '))
        n--;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t m = strlen(names[k].name);
        if (n == m && strncasecmp(s, names[k].name, m) == 0)
            return names[k].what;
        /* "Appendix A", "Appendix. Model specification" */
        if (names[k].what == K_END_REFS && n > m && strncasecmp(s, names[k].name, m) == 0 &&
            !isalpha((unsigned char)s[m]))
            return names[k].what;
    }
    return K_NONE;
}

/* "Keywords:", "Index Terms—", ...: front matter, not prose. */
static int keywords_label(const char *s, size_t n)
{
    static const char *const labels[] = {
        "keywords",      "key words", "index terms", "categories and subject descriptors",
        "general terms", "pacs",      "ams subject", NULL};
    for (int k = 0; labels[k]; k++) {
        size_t m = strlen(labels[k]);
        if (n > m && strncasecmp(s, labels[k], m) == 0 && !isalpha((unsigned char)s[m]))
            return 1;
    }
    return 0;
}

static int all_caps(const char *s, size_t n)
{
    int up = 0;
    for (size_t i = 0; i < n; i++) {
        if (islower((unsigned char)s[i]))
            return 0;
        up += isupper((unsigned char)s[i]) != 0;
    }
    return up >= 4;
}

static int count_words(const char *s, size_t n)
{
    int w = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ';
        w += !sp && !in;
        in = !sp;
    }
    return w;
}

/* Percent of words that begin in lowercase: prose has its "the", "of" and
 * "and"; author lists and affiliations hardly any. */
static int lower_words(const char *s, size_t n)
{
    int w = 0, low = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ';
        if (!sp && !in) {
            w++;
            low += islower((unsigned char)s[i]) != 0;
        }
        in = !sp;
    }
    return w ? low * 100 / w : 0;
}

/* Lines [l0, l1) of p joined by spaces into z->text. */
static void part_text(kg_zoner *z, const kg_pdf_page *p, uint32_t l0, uint32_t l1)
{
    kg_buf_truncate(&z->text, 0);
    for (uint32_t i = l0; i < l1; i++) {
        if (i > l0)
            kg_buf_putc(&z->text, ' ');
        kg_buf_append(&z->text, kg_pdf_line_text(p, i), p->lines[i].len);
    }
}

typedef struct part {
    const kg_pdf_block *blk;
    uint32_t l0, l1;
    const char *t;
    size_t n;
    float size;
    int prose; /* mean prose percent of its lines */
} part;

/* Heading level (0: not a heading); *what gets known_name's answer. */
static int heading_level(const kg_zoner *z, const part *pt, int *what)
{
    *what = K_NONE;
    uint32_t nl = pt->l1 - pt->l0;
    if (nl > 3 || pt->n < 3 || pt->n > 160 || (pt->blk->flags & KG_LINE_MATH))
        return 0;
    int words = count_words(pt->t, pt->n);
    if (words > 14)
        return 0;
    int depth = 0;
    size_t num = kg_zone_heading_number(pt->t, pt->n, &depth);
    const char *rest = pt->t + num;
    size_t rn = pt->n - num;
    *what = known_name(rest, rn);
    int styled = (pt->blk->flags & KG_LINE_BOLD) || pt->size >= 1.12f * z->body ||
                 all_caps(rest, rn);
    int upper = rn && (isupper((unsigned char)rest[0]) || (unsigned char)rest[0] >= 0x80);
    if (*what != K_NONE && (styled || words <= 3) && nl <= 2)
        return num && depth ? depth : 1;
    if (num && depth <= 4 && styled && upper && rest[rn - 1] != ',')
        return depth;
    if (!num && styled && pt->size >= 1.3f * z->body && upper && z->zone != KG_ZONE_FRONT)
        return pt->size >= 1.5f * z->body ? 1 : 2;
    return 0;
}

static int starts_with_word(const char *s, size_t n, const char *w)
{
    size_t m = strlen(w);
    return n > m && strncasecmp(s, w, m) == 0 && !isalpha((unsigned char)s[m]);
}

static int caption_text(const char *s, size_t n)
{
    static const char *const labels[] = {"figure", "fig.",      "fig", "table",
                                         "tab.",   "algorithm", NULL};
    for (int k = 0; labels[k]; k++) {
        size_t m = strlen(labels[k]);
        if (n <= m + 1 || strncasecmp(s, labels[k], m) != 0 || s[m] != ' ')
            continue;
        size_t i = m + 1;
        size_t d0 = i;
        while (i < n && (isdigit((unsigned char)s[i]) || strchr("IVX", s[i])))
            i++;
        if (i == d0)
            continue;
        if (i == n || strchr(".:|", s[i]) || (unsigned char)s[i] == 0xE2 /* dash */)
            return 1;
    }
    return 0;
}

/* Small type with nothing of body size below it in its column. */
static int footnote_like(const kg_zoner *z, const kg_pdf_page *p, const part *pt)
{
    if (pt->size >= 0.92f * z->body || pt->blk->y0 < 0.55f * p->height)
        return 0;
    for (size_t i = pt->l1; i < p->nlines; i++) {
        const kg_pdf_line *l = &p->lines[i];
        if (l->region == pt->blk->region && l->y0 > pt->blk->y1 && l->size >= 0.97f * z->body &&
            !z->furn_mark[i])
            return 0;
    }
    return 1;
}

/* A footnote's mark: a superscript digit (pdf/pdf_layout.c writes them). */
static int starts_superscript(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    return (n >= 2 && u[0] == 0xC2 && (u[1] == 0xB9 || u[1] == 0xB2 || u[1] == 0xB3)) ||
           (n >= 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] >= 0xB0 && u[2] <= 0xB9);
}

/* A "[1] ... [2] ..." list with no heading before it. */
static int bracket_list(const kg_pdf_page *p, const part *pt)
{
    int style = 0, num = 0, second = 0;
    if (!kg_zone_ref_label(pt->t, pt->n, &style, &num) || style != 1 || num > 1)
        return 0;
    for (size_t i = pt->l0 + 1; i < p->nlines && i < pt->l0 + 40 && !second; i++) {
        int s2 = 0, n2 = 0;
        second = kg_zone_ref_label(kg_pdf_line_text(p, i), p->lines[i].len, &s2, &n2) && s2 == 1 &&
                 n2 == 2;
    }
    return second;
}

static void heading_unit(kg_zoner *z, const part *pt, int level, kg_zone_units *out)
{
    (void)z;
    kg_zone_add(out, pt->l0, pt->l1 - pt->l0, KG_BLOCK_HEADING, 0, level, KG_SEC_TEXT);
}

static void abstract_unit(kg_zoner *z, const part *pt, int words, int section, kg_zone_units *out)
{
    kg_zone_add(out, pt->l0, pt->l1 - pt->l0, KG_BLOCK_ABSTRACT, 0, 0, section);
    z->abstract = 2;
    z->abstract_open = 1;
    z->abstract_size = pt->size;
    z->abstract_words += words;
}

/* Page 1 before the first section heading. 1 when the part was placed. */
static int front_part(kg_zoner *z, const kg_pdf_page *p, const part *pt, int level, int what,
                      kg_zone_units *out)
{
    uint32_t n = pt->l1 - pt->l0;
    int words = count_words(pt->t, pt->n);
    if (level && what == K_ABSTRACT) {
        heading_unit(z, pt, 1, out);
        z->abstract = 1;
        return 1;
    }
    if (starts_with_word(pt->t, pt->n, "abstract") && words > 12) {
        abstract_unit(z, pt, words, KG_SEC_ABSTRACT, out);
        return 1;
    }
    if (keywords_label(pt->t, pt->n)) {
        kg_zone_add(out, pt->l0, n, KG_BLOCK_FRONT, 0, 0, 0);
        z->abstract = z->abstract ? 2 : 0;
        z->abstract_open = 0;
        return 1;
    }
    if (level) {
        z->zone = KG_ZONE_BODY;
        return 0;
    }
    int prose = words >= 12 && pt->prose >= 50 && lower_words(pt->t, pt->n) >= 30;
    int more = z->abstract_open && fabsf(pt->size - z->abstract_size) <= 0.05f * pt->size &&
               z->abstract_words + words <= 600;
    if (prose && (z->abstract == 1 || more)) {
        abstract_unit(z, pt, words, 0, out);
        return 1;
    }
    if (prose && words >= 30 && z->abstract == 0 && z->title_b1) {
        abstract_unit(z, pt, words, KG_SEC_ABSTRACT, out);
        return 1;
    }
    if (prose && words >= 30) {
        z->zone = KG_ZONE_BODY;
        return 0;
    }
    z->abstract_open = 0;
    kg_zone_add(out, pt->l0, n, footnote_like(z, p, pt) ? KG_BLOCK_FOOTNOTE : KG_BLOCK_FRONT, 0, 0,
                0);
    return 1;
}

/* The next block of the page reads as prose (so a heading before it is
 * a real one, not a table-of-contents line). */
static int next_is_prose(kg_zoner *z, const kg_pdf_page *p, size_t b)
{
    for (size_t k = b + 1; k < p->nblocks; k++) {
        const kg_pdf_block *nb = &p->blocks[k];
        if (z->furn_mark[nb->line0])
            continue;
        kg_buf_truncate(&z->look, 0);
        for (uint32_t i = nb->line0; i < nb->line0 + nb->nlines; i++) {
            kg_buf_append(&z->look, kg_pdf_line_text(p, i), p->lines[i].len);
            kg_buf_putc(&z->look, ' ');
        }
        return count_words(z->look.data, z->look.len) >= 15 &&
               lower_words(z->look.data, z->look.len) >= 30;
    }
    return 1;
}

/* "(12)", "(A.9)", "(3b)": an equation's number. */
static int equation_number(const char *s, size_t n)
{
    if (n < 3 || n > 8 || s[0] != '(' || s[n - 1] != ')')
        return 0;
    int digit = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '.')
            return 0;
        digit |= isdigit((unsigned char)s[i]) != 0;
    }
    return digit;
}

static int mathy(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=' || c == '<' || c == '>' || c == '^')
            return 1;
        /* U+2200..U+22FF (math operators): E2 88..8B xx */
        if (c == 0xE2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x88 &&
            (unsigned char)s[i + 1] <= 0x8B)
            return 1;
    }
    return 0;
}

void kg_zone_classify(kg_zoner *z, const kg_pdf_page *p, size_t b, uint32_t l0, uint32_t l1,
                      kg_zone_units *out)
{
    part_text(z, p, l0, l1);
    part pt = {&p->blocks[b], l0, l1, z->text.data ? z->text.data : "", z->text.len, 0, 0};
    unsigned best = 0;
    int prose = 0;
    for (uint32_t i = l0; i < l1; i++) {
        prose += p->lines[i].prose;
        if (p->lines[i].nglyph > best) {
            best = p->lines[i].nglyph;
            pt.size = p->lines[i].size;
        }
    }
    pt.prose = prose / (int)(l1 - l0);
    if (p->number == 1 && z->title_b1 && b >= z->title_b0 && b < z->title_b1) {
        kg_zone_add(out, l0, l1 - l0, KG_BLOCK_TITLE, 0, 0, 0);
        return;
    }
    if (z->zone != KG_ZONE_REFS && caption_text(pt.t, pt.n)) {
        kg_zone_add(out, l0, l1 - l0, KG_BLOCK_CAPTION, 0, 0, 0);
        return;
    }
    int what = K_NONE, level = heading_level(z, &pt, &what);
    if (z->zone == KG_ZONE_FRONT && front_part(z, p, &pt, level, what, out))
        return;
    if (z->zone == KG_ZONE_REFS) {
        if (level && what != K_REFS &&
            (what != K_NONE || pt.size >= 1.1f * z->body ||
             !kg_zone_ref_label(pt.t, pt.n, &(int){0}, &(int){0}))) {
            z->zone = KG_ZONE_BODY;
            heading_unit(z, &pt, level, out);
        } else if (caption_text(pt.t, pt.n)) {
            kg_zone_add(out, l0, l1 - l0, KG_BLOCK_CAPTION, 0, 0, 0);
        } else if (starts_superscript(pt.t, pt.n) && footnote_like(z, p, &pt)) {
            kg_zone_add(out, l0, l1 - l0, KG_BLOCK_FOOTNOTE, 0, 0, 0);
        } else {
            kg_zone_entries(z, p, l0, l1, out);
        }
        return;
    }
    int kind = KG_BLOCK_BODY;
    if (z->toc && (!level || !next_is_prose(z, p, b))) {
        kg_zone_add(out, l0, l1 - l0, KG_BLOCK_TABLE, 0, 0, 0);
        return;
    }
    z->toc = 0;
    if (level) {
        z->toc = count_words(pt.t, pt.n) <= 3 && (strncasecmp(pt.t, "contents", 8) == 0 ||
                                                  strncasecmp(pt.t, "table of contents", 17) == 0);
        if (what == K_REFS) {
            z->zone = KG_ZONE_REFS;
            z->ref_style = z->ref_open = z->ref_section_due = 0;
        }
        heading_unit(z, &pt, level, out);
        return;
    }
    if (bracket_list(p, &pt)) {
        z->zone = KG_ZONE_REFS;
        z->ref_style = 1;
        z->ref_open = 0;
        z->ref_section_due = 1;
        kg_zone_entries(z, p, l0, l1, out);
        return;
    }
    if ((pt.blk->flags & KG_LINE_MATH) || equation_number(pt.t, pt.n))
        kind = KG_BLOCK_EQUATION;
    else if (footnote_like(z, p, &pt))
        kind = KG_BLOCK_FOOTNOTE;
    else if (pt.prose < 35)
        kind = mathy(pt.t, pt.n) ? KG_BLOCK_EQUATION : KG_BLOCK_TABLE;
    kg_zone_add(out, l0, l1 - l0, kind, 0, 0, 0);
}

/* ---- the title ---------------------------------------------------------- */

static int block_words(kg_zoner *z, const kg_pdf_page *p, size_t b)
{
    const kg_pdf_block *k = &p->blocks[b];
    part_text(z, p, k->line0, k->line0 + k->nlines);
    return count_words(z->text.data ? z->text.data : "", z->text.len);
}

/* The block the metadata title matches best (most of the hint's letters
 * found in the block's, or the block's in the hint), or -1. */
static long hinted_block(kg_zoner *z, const kg_pdf_page *p)
{
    long best = -1;
    size_t best_len = 0, hl = strlen(z->hint);
    for (size_t b = 0; b < p->nblocks; b++) {
        const kg_pdf_block *k = &p->blocks[b];
        if (k->y0 > 0.6f * p->height || z->furn_mark[k->line0])
            continue;
        part_text(z, p, k->line0, k->line0 + k->nlines);
        kg_zone_letters(z->text.data ? z->text.data : "", z->text.len, &z->tmp);
        size_t bl = z->tmp.len;
        if (bl < 8)
            continue;
        int inside = strstr(z->hint, kg_buf_str(&z->tmp)) != NULL;
        int covers = strstr(kg_buf_str(&z->tmp), z->hint) != NULL;
        size_t common = covers ? hl : inside ? bl : 0;
        if (common * 2 >= hl && common > best_len && (inside || bl <= 2 * hl)) {
            best_len = common;
            best = (long)b;
        }
    }
    return best;
}

void kg_zone_find_title(kg_zoner *z, const kg_pdf_page *p)
{
    z->title_b0 = z->title_b1 = 0;
    long t = z->hint ? hinted_block(z, p) : -1;
    if (t < 0) {
        float best = 1.15f * z->body;
        for (size_t b = 0; b < p->nblocks; b++) {
            const kg_pdf_block *k = &p->blocks[b];
            if (k->y0 > 0.5f * p->height || z->furn_mark[k->line0] || (k->flags & KG_LINE_VERTICAL))
                continue;
            if (k->size > best && block_words(z, p, b) >= 2) {
                best = k->size;
                t = (long)b;
            }
        }
    }
    /* No larger type: the first bold block of four words or more at the
     * top, unless it names a journal or a meeting. */
    for (size_t b = 0; t < 0 && b < p->nblocks; b++) {
        const kg_pdf_block *k = &p->blocks[b];
        if (k->y0 > 0.4f * p->height || z->furn_mark[k->line0] || !(k->flags & KG_LINE_BOLD) ||
            k->size < 0.97f * z->body || block_words(z, p, b) < 4)
            continue;
        kg_zone_letters(z->text.data, z->text.len, &z->tmp);
        if (!strstr(z->tmp.data, "journal") && !strstr(z->tmp.data, "proceedings") &&
            !strstr(z->tmp.data, "conference"))
            t = (long)b;
    }
    if (t < 0)
        return;
    z->title_b0 = (size_t)t;
    z->title_b1 = (size_t)t + 1;
    /* A title set as several blocks: the same type right below. */
    while (z->title_b1 < p->nblocks) {
        const kg_pdf_block *a = &p->blocks[z->title_b1 - 1], *k = &p->blocks[z->title_b1];
        if (fabsf(k->size - a->size) > 0.05f * a->size || ((k->flags ^ a->flags) & KG_LINE_BOLD) ||
            k->y0 < a->y0 || k->y0 - a->y1 > 0.5f * a->size || z->furn_mark[k->line0])
            break;
        z->title_b1++;
    }
}
