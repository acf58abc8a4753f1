/* paper_key: see paper_key.h. */
#include "paper/paper_key.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "graph/resolve.h"
#include "paper/paper_internal.h"

#define SHORT_TITLE_WORDS 4

/* s casefolded, every run of characters that are not letters or digits
 * (ASCII punctuation, spaces) one space; *words gets the word count. */
static char *fold_words(const char *s, size_t n, int *words)
{
    char *f = kg_resolve_fold(s, n);
    kg_buf b = KG_BUF_INIT;
    int w = 0, gap = 0;
    for (const char *p = f; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80 && !isalnum(c)) {
            gap = 1;
            continue;
        }
        if (gap && b.len)
            kg_buf_putc(&b, ' ');
        if (gap || !b.len)
            w++;
        gap = 0;
        kg_buf_putc(&b, (char)c);
    }
    free(f);
    if (words)
        *words = w;
    char *r = kg_buf_steal(&b);
    return r ? r : kg_xstrdup("");
}

char *kg_paper_title_norm(const char *title)
{
    if (!title)
        return kg_xstrdup("");
    return fold_words(title, strlen(title), NULL);
}

/* ---- titles spelled differently ----------------------------------------- */

#define MATCH_WORDS 64 /* content words compared (a title has fewer) */

typedef struct title_words {
    char *text; /* the comparison form, its words NUL-separated */
    const char *w[MATCH_WORDS];
    size_t n;
} title_words;

static int stopword(const char *w)
{
    static const char *const stop[] = {"a",     "an",  "the",  "of",  "for",  "in",   "on",
                                       "and",   "to",  "with", "by",  "from", "at",   "via",
                                       "using", "its", "is",   "are", "as",   "into", NULL};
    for (int k = 0; stop[k]; k++)
        if (strcmp(w, stop[k]) == 0)
            return 1;
    return 0;
}

static void words_of(const char *title, title_words *out)
{
    memset(out, 0, sizeof *out);
    out->text = fold_words(title, strlen(title), NULL);
    for (char *p = out->text; *p;) {
        char *e = strchr(p, ' ');
        if (e)
            *e = '\0';
        int dup = 0;
        for (size_t i = 0; i < out->n && !dup; i++)
            dup = strcmp(out->w[i], p) == 0;
        if (!stopword(p) && !dup && out->n < MATCH_WORDS)
            out->w[out->n++] = p;
        if (!e)
            break;
        p = e + 1;
    }
}

static int has(const title_words *ws, const char *w)
{
    for (size_t i = 0; i < ws->n; i++)
        if (strcmp(ws->w[i], w) == 0)
            return 1;
    return 0;
}

/* A word two works of one series differ by: a number, a part or volume. */
static int numbering(const char *w)
{
    static const char *const roman[] = {"i",    "ii", "iii", "iv",   "v",   "vi",     "vii",
                                        "viii", "ix", "x",   "part", "vol", "volume", NULL};
    for (const char *p = w; *p; p++)
        if (isdigit((unsigned char)*p))
            return 1;
    for (int k = 0; roman[k]; k++)
        if (strcmp(w, roman[k]) == 0)
            return 1;
    return 0;
}

/* The words of a not in b: how many, and whether one is a numbering. */
static size_t missing(const title_words *a, const title_words *b, int *numbered)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (!has(b, a->w[i])) {
            n++;
            *numbered |= numbering(a->w[i]);
        }
    return n;
}

/* The comparison form of the shorter is where the longer's begins (before
 * a subtitle); both forms are rebuilt from the words with one space. */
static int starts_with(const char *title_long, const char *title_short)
{
    char *l = fold_words(title_long, strlen(title_long), NULL);
    char *s = fold_words(title_short, strlen(title_short), NULL);
    size_t n = strlen(s);
    int yes = n && strncmp(l, s, n) == 0 && (l[n] == ' ' || l[n] == '\0');
    free(l);
    free(s);
    return yes;
}

static int same_surname(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return 0;
    char *fa = fold_words(a, strlen(a), NULL), *fb = fold_words(b, strlen(b), NULL);
    int same = *fa && strcmp(fa, fb) == 0;
    free(fa);
    free(fb);
    return same;
}

double kg_paper_title_match(const char *title_a, int year_a, const char *sur_a, const char *title_b,
                            int year_b, const char *sur_b)
{
    if (!title_a || !title_b)
        return 0;
    int years = year_a > 0 && year_b > 0;
    int gap = years ? abs(year_a - year_b) : 0;
    int surnames = sur_a && *sur_a && sur_b && *sur_b, same = same_surname(sur_a, sur_b);
    if ((surnames && !same) || !((years && gap <= 1) || (same && gap <= 2)))
        return 0;
    title_words a, b;
    words_of(title_a, &a);
    words_of(title_b, &b);
    double share = 0;
    int numbered = 0;
    size_t only_a = missing(&a, &b, &numbered), only_b = missing(&b, &a, &numbered);
    size_t common = a.n - only_a, all = common + only_a + only_b;
    size_t shorter = a.n < b.n ? a.n : b.n;
    if (shorter >= 4 && !numbered && common >= 4) {
        int subtitle = (only_a == 0 && starts_with(title_b, title_a)) ||
                       (only_b == 0 && starts_with(title_a, title_b));
        int few = only_a + only_b <= 2 || (only_a + only_b <= 4 && common * 4 >= all * 3);
        if (subtitle || few)
            share = (double)common / (double)all;
    }
    free(a.text);
    free(b.text);
    return share;
}

char *kg_paper_key(const char *doi, const char *arxiv, const char *title, int year)
{
    kg_buf b = KG_BUF_INIT;
    if (doi && *doi) {
        kg_buf_puts(&b, "doi:");
        for (const char *p = doi; *p; p++)
            kg_buf_putc(&b, (char)tolower((unsigned char)*p));
        return kg_buf_steal(&b);
    }
    if (arxiv && *arxiv) {
        size_t n = strlen(arxiv);
        /* "0803.0732v2" is the same work as "0803.0732" */
        size_t v = n;
        while (v > 0 && isdigit((unsigned char)arxiv[v - 1]))
            v--;
        if (v > 0 && v < n && arxiv[v - 1] == 'v')
            n = v - 1;
        kg_buf_puts(&b, "arxiv:");
        kg_buf_append(&b, arxiv, n);
        return kg_buf_steal(&b);
    }
    if (title && *title) {
        int words = 0;
        char *t = fold_words(title, strlen(title), &words);
        if (words) {
            kg_buf_puts(&b, "title:");
            kg_buf_puts(&b, t);
            if (words < SHORT_TITLE_WORDS && year > 0)
                kg_buf_printf(&b, " %d", year);
        }
        free(t);
        if (b.len)
            return kg_buf_steal(&b);
    }
    kg_buf_free(&b);
    return NULL;
}

size_t kg_paper_alt_keys(const char *doi, const char *arxiv, const char *title, int year,
                         char *out[2])
{
    size_t n = 0;
    int has_doi = doi && *doi, has_arxiv = arxiv && *arxiv;
    if (has_doi && has_arxiv)
        out[n++] = kg_paper_key(NULL, arxiv, NULL, 0);
    if (has_doi || has_arxiv) {
        char *t = kg_paper_key(NULL, NULL, title, year);
        if (t)
            out[n++] = t;
    }
    return n;
}

char *kg_ref_key(const kg_ref *r)
{
    char *k = kg_paper_key(r->doi, r->arxiv, r->title, r->year);
    if (k || !r->nauthors || !r->year || !(r->venue || r->volume))
        return k;
    char *sur = kg_paper_surname(r->authors[0]);
    kg_buf raw = KG_BUF_INIT;
    kg_buf_printf(&raw, "%s %d %s %s %s", sur ? sur : "", r->year, r->venue ? r->venue : "",
                  r->volume ? r->volume : "", r->pages ? r->pages : "");
    free(sur);
    char *f = fold_words(raw.data, raw.len, NULL);
    kg_buf_free(&raw);
    kg_buf b = KG_BUF_INIT;
    kg_buf_puts(&b, "ref:");
    kg_buf_puts(&b, f);
    free(f);
    return kg_buf_steal(&b);
}

char *kg_ref_name(const kg_ref *r)
{
    if (r->title && *r->title)
        return kg_xstrdup(r->title);
    if (!r->nauthors && !r->venue)
        return NULL;
    kg_buf b = KG_BUF_INIT;
    if (r->nauthors) {
        char *sur = kg_paper_surname(r->authors[0]);
        kg_buf_puts(&b, sur && *sur ? sur : r->authors[0]);
        free(sur);
        if (r->nauthors > 2 || r->et_al)
            kg_buf_puts(&b, " et al.");
        else if (r->nauthors == 2) {
            char *s2 = kg_paper_surname(r->authors[1]);
            kg_buf_printf(&b, " and %s", s2 && *s2 ? s2 : r->authors[1]);
            free(s2);
        }
    }
    if (r->year)
        kg_buf_printf(&b, " (%d)", r->year);
    if (r->venue)
        kg_buf_printf(&b, "%s%s", b.len ? ", " : "", r->venue);
    if (r->volume)
        kg_buf_printf(&b, " %s", r->volume);
    if (r->pages)
        kg_buf_printf(&b, ", %s", r->pages);
    return kg_buf_steal(&b);
}

/* A unit of an institution, not the institution ("Department of
 * Physics", "Computer Sciences Department", "School of ..."), or a note. */
static int is_unit(const char *s, size_t n)
{
    static const char *const heads[] = {"Department", "Departamento", "Dept",     "Faculty",
                                        "Facultad",   "School of",    "Division", "Part of",
                                        "Group",      "Chair",        NULL};
    for (int k = 0; heads[k]; k++) {
        size_t l = strlen(heads[k]);
        if (n >= l && strncmp(s, heads[k], l) == 0)
            return 1;
    }
    return n >= 10 && strncmp(s + n - 10, "Department", 10) == 0;
}

/* A web or mail address: never an institution's name. */
static int has_address(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((i + 4 <= n && strncmp(s + i, "http", 4) == 0) || s[i] == '@')
            return 1;
    return 0;
}

/* Words that name a whole institution (a university before its laboratory). */
static int is_whole(const char *s, size_t n)
{
    static const char *const words[] = {"univ",       "institut", "corporation", "inc.",  "ltd",
                                        "gmbh",       "centro",   "cnrs",        "inria", "academy",
                                        "observator", "hospital", "company",     NULL};
    char buf[512];
    kg_lower_copy(buf, sizeof buf, s, n);
    for (int k = 0; words[k]; k++)
        if (strstr(buf, words[k]))
            return 1;
    return 0;
}

char *kg_paper_affil_org(const char *affil)
{
    if (!affil)
        return NULL;
    const char *best[3] = {NULL, NULL, NULL}; /* whole institution, institution, first */
    size_t best_n[3] = {0, 0, 0};
    const char *p = affil;
    for (;;) {
        const char *c = strstr(p, ", ");
        size_t n = c ? (size_t)(c - p) : strlen(p);
        const char *s = kg_ptrim(p, &n);
        if (n && n < 200 && !has_address(s, n)) {
            int unit = is_unit(s, n);
            int tier = unit ? 2 : is_whole(s, n) ? 0 : kg_is_institution(s, n) ? 1 : 2;
            if (!best[tier]) {
                best[tier] = s;
                best_n[tier] = n;
            }
        }
        if (!c)
            break;
        p = c + 2;
    }
    for (int t = 0; t < 3; t++)
        if (best[t])
            return kg_xstrndup(best[t], best_n[t]);
    return NULL;
}
