/* cite: in-text citation markers and the entries they cite.
 *
 * Numbered: "[12]", "[3, 5-7]", "[1, 2, 3]" (each number one citation;
 * ranges of at most 50 are expanded).  Author-year: parenthetical
 * "(Smith et al., 2019)", "(Wang and Neumann, 2007a; Peñas et al., 2007)"
 * and narrative "Smith and Lee (2018)", "van Stokkum (1997)".  Each
 * citation keeps its marker, its span and the span (and text) of the
 * sentence that holds it (text/sentence.h).  Linking happens once the
 * bibliography is known: by number, or by the first author's surname and
 * the year (with its letter); an author-year marker no entry matches is
 * dropped (it may not be a citation at all), a number no entry carries is
 * kept unlinked. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/vec.h"
#include "paper/paper_internal.h"
#include "text/sentence.h"

#define SENTENCE_MAX 400
#define MAX_RANGE 50

static void add(kg_cite_list *l, const char *text, size_t a, size_t e, uint64_t base, int page,
                const kg_span *sent, const char *ptext, kg_cite_key key)
{
    if (l->n >= KG_PAPER_MAX_CITES) {
        l->dropped++;
        free(key.surname);
        return;
    }
    if (l->n == l->cap) { /* v sets the capacity, keys follow it */
        l->v = kg_vec_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
        l->keys = kg_xrealloc(l->keys, l->cap * sizeof *l->keys);
    }
    kg_citation *c = &l->v[l->n];
    memset(c, 0, sizeof *c);
    c->ref = -1;
    c->marker = kg_xstrndup(text + a, e - a);
    c->start = base + a;
    c->end = base + e;
    c->page = page;
    if (sent) {
        c->sent_start = base + sent->start;
        c->sent_end = base + sent->end;
        size_t sl = sent->end - sent->start;
        if (sl > SENTENCE_MAX) {
            sl = SENTENCE_MAX;
            while (sl > 0 && ((unsigned char)ptext[sent->start + sl] & 0xC0) == 0x80)
                sl--;
        }
        c->sentence = kg_xstrndup(ptext + sent->start, sl);
    }
    l->keys[l->n] = key;
    l->n++;
}

static const kg_span *sentence_of(const kg_spans *ss, size_t at)
{
    for (size_t i = 0; i < ss->n; i++)
        if (at >= ss->v[i].start && at < ss->v[i].end)
            return &ss->v[i];
    return ss->n ? &ss->v[ss->n - 1] : NULL;
}

/* "[3, 5-7]": the numbers, 0 when the bracket is not a citation. */
static size_t bracket_numbers(const char *s, size_t n, int *out, size_t cap)
{
    size_t k = 0, i = 0;
    int prev = -1;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == ';'))
            i++;
        if (i >= n)
            break;
        int range = 0;
        if (s[i] == '-' || ((unsigned char)s[i] == 0xE2 && i + 2 < n)) {
            range = 1;
            i += s[i] == '-' ? 1 : 3; /* "–" */
            while (i < n && s[i] == ' ')
                i++;
        }
        if (i >= n || !isdigit((unsigned char)s[i]))
            return 0;
        int v = 0, d = 0;
        while (i < n && isdigit((unsigned char)s[i]) && d < 4)
            v = v * 10 + (s[i++] - '0'), d++;
        if (i < n && isdigit((unsigned char)s[i]))
            return 0;
        if (v == 0)
            return 0;
        if (range && prev > 0 && v > prev && v - prev <= MAX_RANGE) {
            for (int x = prev + 1; x <= v && k < cap; x++)
                out[k++] = x;
        } else if (!range && k < cap) {
            out[k++] = v;
        } else {
            return 0;
        }
        prev = v;
    }
    return k;
}

/* "[12]", "[3, 5-7]"; and "(12)", which some papers use (it may be an
 * equation's number: kg_cites_link keeps those only when no "[n]" is seen). */
static void numbered(const char *t, size_t n, uint64_t base, int page, const kg_spans *ss,
                     kg_cite_list *l)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] != '[' && t[i] != '(')
            continue;
        if (i > 0 && (isalnum((unsigned char)t[i - 1]) || t[i - 1] == ')' || t[i - 1] == ']'))
            continue; /* "dim(C)[1]", "f(2)": code and functions */
        int paren = t[i] == '(';
        if (paren && (i + 1 >= n || !isdigit((unsigned char)t[i + 1])))
            continue;
        const char *close = memchr(t + i, paren ? ')' : ']', n - i < 80 ? n - i : 80);
        if (!close)
            continue;
        size_t e = (size_t)(close - t) + 1;
        int nums[MAX_RANGE * 2];
        size_t k = bracket_numbers(t + i + 1, e - i - 2, nums, sizeof nums / sizeof nums[0]);
        /* IEEE "[4]-[6]": the numbers between too */
        size_t dash = e < n && t[e] == '-' ? 1
                      : (e + 2 < n && (unsigned char)t[e] == 0xE2 &&
                         (unsigned char)t[e + 2] == 0x93)
                          ? 3
                          : 0;
        if (!paren && k == 1 && dash && e + dash < n && t[e + dash] == '[') {
            const char *c2 = memchr(t + e + dash, ']', n - e - dash < 8 ? n - e - dash : 8);
            int to[2];
            if (c2 &&
                bracket_numbers(t + e + dash + 1, (size_t)(c2 - t) - e - dash - 1, to, 2) == 1 &&
                to[0] > nums[0] && to[0] - nums[0] <= MAX_RANGE) {
                for (int x = nums[0] + 1; x <= to[0]; x++)
                    nums[k++] = x;
                e = (size_t)(c2 - t) + 1;
            }
        }
        for (size_t j = 0; j < k; j++)
            add(l, t, i, e, base, page, sentence_of(ss, i), t,
                (kg_cite_key){nums[j], paren, NULL, 0, 0});
        if (k)
            i = e - 1;
    }
}

/* The surname at the start of a citation part: "Smith et al., 2019",
 * "Wang and Neumann, 2007a", "RTE-2 – Bar-Haim et al., 2006" (the name
 * nearest the "et al." / "and" / year wins), lowercase. */
static char *part_surname(const char *s, size_t n, size_t *start)
{
    /* from the first name on: "as Councill et al.", "and van Stokkum" */
    size_t f = 0;
    while (f < n) {
        while (f < n && s[f] == ' ')
            f++;
        size_t w = f;
        while (w < n && s[w] != ' ')
            w++;
        if (f < n &&
            (isupper((unsigned char)s[f]) || (unsigned char)s[f] >= 0x80 ||
             (kg_name_particle(s + f, w - f) && w + 1 < n && isupper((unsigned char)s[w + 1]))))
            break;
        f = w;
    }
    if (f > 0)
        f--;
    size_t e = n;
    for (size_t i = f; i + 1 < n; i++)
        if (strncmp(s + i, " et al", 6) == 0 || strncmp(s + i, " and ", 5) == 0 ||
            strncmp(s + i, " & ", 3) == 0) {
            e = i;
            break;
        }
    while (e > 0 && strchr(" ,(", s[e - 1]))
        e--;
    size_t a = e;
    while (a > 0 && s[a - 1] != ' ' && s[a - 1] != '(')
        a--;
    if (a >= e || !(isupper((unsigned char)s[a]) || (unsigned char)s[a] >= 0x80))
        return NULL;
    /* "van Stokkum" */
    size_t b = a;
    while (b > 1 && s[b - 1] == ' ') {
        size_t c = b - 1;
        while (c > 0 && s[c - 1] != ' ')
            c--;
        if (!kg_name_particle(s + c, b - 1 - c))
            break;
        b = c;
    }
    *start = b;
    char *r = kg_xstrndup(s + b, e - b);
    for (char *x = r; *x; x++)
        *x = (char)tolower((unsigned char)*x);
    return r;
}

static void author_year(const char *t, size_t n, uint64_t base, int page, const kg_spans *ss,
                        kg_cite_list *l)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] != '(')
            continue;
        const char *close = memchr(t + i, ')', n - i < 240 ? n - i : 240);
        if (!close)
            continue;
        size_t e = (size_t)(close - t), from = i + 1, at;
        char sfx;
        int y = kg_find_year(t, e, from, &at, &sfx);
        if (!y)
            continue;
        size_t after_year = at + 4 + (sfx ? 1 : 0);
        if (at == i + 1 && after_year == e) {
            /* narrative: "Smith et al. (2019)", "van Stokkum (1997)" */
            size_t s0 = i > 60 ? i - 60 : 0;
            const char *ctx = t + s0;
            size_t cl = i - s0;
            /* the name right before: skip "et al." */
            size_t k = cl;
            while (k > 0 && ctx[k - 1] == ' ')
                k--;
            if (k >= 6 && strncmp(ctx + k - 6, "et al.", 6) == 0)
                k -= 6;
            size_t c0 = k;
            while (c0 > 0 && !strchr(",;:()", ctx[c0 - 1]))
                c0--;
            ctx += c0;
            s0 += c0;
            k -= c0;
            size_t at0 = 0;
            char *sur = part_surname(ctx, k, &at0);
            if (sur)
                add(l, t, s0 + at0, e + 1, base, page, sentence_of(ss, i), t,
                    (kg_cite_key){0, 0, sur, y, sfx});
            i = e;
            continue;
        }
        /* parenthetical, parts split by ';' */
        size_t a = i + 1;
        for (size_t j = i + 1; j <= e; j++) {
            if (j < e && t[j] != ';')
                continue;
            size_t pat;
            char psfx;
            int py = kg_find_year(t, j, a, &pat, &psfx);
            if (py) {
                size_t at0 = 0;
                char *sur = part_surname(t + a, pat - a, &at0);
                size_t end = pat + 4 + (psfx ? 1 : 0);
                if (sur)
                    add(l, t, a + at0, end, base, page, sentence_of(ss, i), t,
                        (kg_cite_key){0, 0, sur, py, psfx});
            }
            a = j + 1;
        }
        i = e;
    }
}

void kg_cites_find(const char *text, size_t n, uint64_t base, int page, kg_cite_list *out)
{
    kg_spans ss = KG_SPANS_INIT;
    kg_sentences(text, n, &ss);
    numbered(text, n, base, page, &ss, out);
    author_year(text, n, base, page, &ss, out);
    kg_spans_free(&ss);
}

static char *lower_surname(const char *name)
{
    char *s = kg_paper_surname(name);
    if (s)
        for (char *x = s; *x; x++)
            *x = (char)tolower((unsigned char)*x);
    return s;
}

void kg_cites_link(kg_paper *p, kg_cite_list *l)
{
    char **sur = kg_xcalloc(p->nrefs + 1, sizeof *sur);
    for (size_t r = 0; r < p->nrefs; r++)
        sur[r] = p->refs[r].nauthors ? lower_surname(p->refs[r].authors[0]) : NULL;
    int brackets = 0;
    for (size_t i = 0; i < l->n; i++)
        brackets |= l->keys[i].num && !l->keys[i].paren;
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        kg_citation c = l->v[i];
        kg_cite_key *k = &l->keys[i];
        for (size_t r = 0; r < p->nrefs && c.ref < 0; r++) {
            if (k->num)
                c.ref = p->refs[r].number == k->num ? (long)r : -1;
            else if (sur[r] && k->surname && strcmp(sur[r], k->surname) == 0 &&
                     p->refs[r].year == k->year && (!k->suffix || p->refs[r].suffix == k->suffix))
                c.ref = (long)r;
        }
        free(k->surname);
        /* an author-year marker no entry has, or "(12)" beside "[n]"
         * citations (an equation), is not a citation */
        if ((!k->num && c.ref < 0) || (k->paren && (brackets || c.ref < 0))) {
            free(c.marker);
            free(c.sentence);
            continue;
        }
        l->v[kept++] = c;
    }
    for (size_t r = 0; r < p->nrefs; r++)
        free(sur[r]);
    free(sur);
    p->cites = l->v;
    p->ncites = kept;
    p->cites_dropped = l->dropped;
    free(l->keys);
    memset(l, 0, sizeof *l);
}

void kg_cite_list_free(kg_cite_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].marker);
        free(l->v[i].sentence);
        free(l->keys[i].surname);
    }
    free(l->v);
    free(l->keys);
    memset(l, 0, sizeof *l);
}
