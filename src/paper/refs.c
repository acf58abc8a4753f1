/* refs: one bibliography entry into its fields.
 *
 * The styles met in practice, and how each is read:
 *   numbered / IEEE   "[3] B. Karp, H.T. Kung, “GPSR: greedy ...,” in: Mobile
 *                     Computing and Networking, 2000, pp. 243-254."
 *                     a quoted title; the authors before it, the venue after;
 *   author-year       "Bates DM, DebRoy S (2003). “Converting ...” In ..."
 *                     "Bar-Haim, R., Dagan, I. ... 2006. The Second PASCAL ..."
 *                     the authors before the year, the title the sentence after;
 *   ACM / plain       "A. Aho, R. Sethi, and M. Lam. Compilers: Principles ..., 2006."
 *                     the authors up to the first full stop that does not end
 *                     an initial, the title the next sentence;
 *   physics           "Perlmutter S et al , 1997 Astrophys. J. 483 565"
 *                     "C.-Y. Lu et al., Phys. Rev. B 81, 035332 (2010)"
 *                     no title: the venue, volume and page after the authors.
 * DOIs, arXiv ids, URLs (rejoined when a line break split them), years,
 * volumes and page ranges are found wherever they are. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paper/paper_internal.h"
#include "pdf/pdf_zone.h"

#define MAX_AUTHORS 100

int kg_find_year(const char *s, size_t n, size_t from, size_t *at, char *suffix)
{
    for (size_t i = from; i + 4 <= n; i++) {
        if (!((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')))
            continue;
        if (!isdigit((unsigned char)s[i + 2]) || !isdigit((unsigned char)s[i + 3]))
            continue;
        if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '.' ||
                      s[i - 1] == '-' || s[i - 1] == ':'))
            continue;
        char next = i + 4 < n ? s[i + 4] : ' ';
        char after = i + 5 < n ? s[i + 5] : ' ';
        if (isdigit((unsigned char)next) || next == '/' ||
            (next == '.' && isdigit((unsigned char)after)))
            continue;
        int sfx = next >= 'a' && next <= 'h' && !isalpha((unsigned char)after);
        if (isalpha((unsigned char)next) && !sfx)
            continue;
        *at = i;
        *suffix = sfx ? next : 0;
        return (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 +
               (s[i + 3] - '0');
    }
    return 0;
}

/* Does e[0, m) hold lit at pos?  Reads nothing past m (a reference is a
 * slice of a longer text, or of nothing: found by fuzz_paper). */
static int lit_at(const char *e, size_t m, size_t pos, const char *lit)
{
    size_t l = strlen(lit);
    return pos <= m && m - pos >= l && memcmp(e + pos, lit, l) == 0;
}

/* The same, ignoring case (ASCII). */
static int lit_at_ci(const char *e, size_t m, size_t pos, const char *lit)
{
    size_t l = strlen(lit);
    return pos <= m && m - pos >= l && strncasecmp(e + pos, lit, l) == 0;
}

static size_t token_end(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] != ' ' && s[i] != ',' && s[i] != ';' && s[i] != ']' && s[i] != ')' &&
           s[i] != '"' && (unsigned char)s[i] != 0xE2)
        i++;
    while (i > 0 && (s[i - 1] == '.' || s[i - 1] == ':'))
        i--;
    return i;
}

/* Whether the space at s[i] is a line break inside the DOI read so far
 * (`got`, ending at s[i - 1]): the DOI stops at a character that cannot
 * end one ('/', '-', '_', '(') or at an old-style (SICI) ")" that needs its
 * item number ("0031-3203(94)" + "90007-D"), and the next line goes on with
 * what a DOI is made of.  A full stop before a space ends a sentence, and a
 * year after a ")" is the entry's, not the DOI's. */
static int doi_broken(const char *s, size_t n, size_t i, char prev)
{
    if (i + 1 >= n || !isalnum((unsigned char)s[i + 1]))
        return 0;
    if (prev == ')') {
        size_t d = i + 1;
        while (d < n && isdigit((unsigned char)s[d]))
            d++;
        return d > i + 1 && d < n && s[d] == '-';
    }
    return prev && strchr("/-_(", prev) != NULL;
}

/* A DOI: "10." + registrant + "/" + suffix, which may hold balanced
 * parentheses (SICI: "10.1016/0031-3203(94)90007-D") and may be split by a
 * line break (the space it left is taken out, as in URLs). */
char *kg_find_doi(const char *s, size_t n)
{
    for (size_t i = 0; i + 7 < n; i++) {
        if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.' ||
            (i > 0 && isalnum((unsigned char)s[i - 1])))
            continue;
        size_t j = i + 3;
        while (j < n && isdigit((unsigned char)s[j]))
            j++;
        if (j - (i + 3) < 4 || j >= n || s[j] != '/')
            continue;
        kg_buf b = KG_BUF_INIT;
        kg_buf_append(&b, s + i, j + 1 - i);
        int depth = 0;
        for (size_t k = j + 1; k < n; k++) {
            char c = s[k];
            if (c == ' ' && doi_broken(s, n, k, b.data[b.len - 1]))
                continue;
            if (c == '(')
                depth++;
            else if (c == ')' && depth > 0)
                depth--;
            else if (c == ' ' || c == ',' || c == ';' || c == ']' || c == ')' || c == '"' ||
                     (unsigned char)c == 0xE2)
                break;
            kg_buf_putc(&b, c);
        }
        size_t len = b.len;
        while (len > j + 1 - i && strchr(".:(", b.data[len - 1]))
            len--;
        kg_buf_truncate(&b, len);
        if (len > j + 1 - i)
            return kg_buf_steal(&b);
        kg_buf_free(&b);
    }
    return NULL;
}

static int arxiv_new(const char *s, size_t n, size_t i)
{
    /* 0807.3577, 1501.00001v2 */
    size_t d = 0;
    while (i + d < n && isdigit((unsigned char)s[i + d]))
        d++;
    if (d != 4 || i + 4 >= n || s[i + 4] != '.')
        return 0;
    size_t k = 0;
    while (i + 5 + k < n && isdigit((unsigned char)s[i + 5 + k]))
        k++;
    return k == 4 || k == 5 ? (int)(5 + k) : 0;
}

char *kg_find_arxiv(const char *s, size_t n)
{
    static const char *const archives[] = {"astro-ph", "astroph", "gr-qc",   "grqc",     "hep-ph",
                                           "hep-th",   "hep-ex",  "hep-lat", "cond-mat", "quant-ph",
                                           "math",     "nucl-th", "physics", "cs",       NULL};
    for (size_t i = 0; i < n; i++) {
        if (i + 6 < n && strncasecmp(s + i, "arxiv", 5) == 0) {
            size_t j = i + 5;
            while (j < n &&
                   (s[j] == ':' || s[j] == ' ' || s[j] == '.' || lit_at_ci(s, n, j, "eprint")))
                j += lit_at_ci(s, n, j, "eprint") ? 6 : 1;
            int l = arxiv_new(s, n, j);
            if (l) {
                size_t e = j + (size_t)l;
                while (e < n && (s[e] == 'v' || isdigit((unsigned char)s[e])))
                    e++;
                return kg_xstrndup(s + j, e - j);
            }
            size_t e = token_end(s, n, j);
            if (e > j && memchr(s + j, '/', e - j))
                return kg_xstrndup(s + j, e - j);
        }
        for (int k = 0; archives[k]; k++) {
            size_t m = strlen(archives[k]);
            if (i + m + 8 <= n && strncmp(s + i, archives[k], m) == 0 && s[i + m] == '/' &&
                (i == 0 || !isalpha((unsigned char)s[i - 1])) &&
                isdigit((unsigned char)s[i + m + 1])) {
                size_t e = token_end(s, n, i + m + 1);
                return kg_xstrndup(s + i, e - i);
            }
        }
    }
    return NULL;
}

/* A URL, with the spaces a line break left inside it taken out ("http:
 * //www.R-project.org", "lua-l/2008- 02/msg"). */
static char *find_url(const char *s, size_t n)
{
    const char *h = NULL;
    for (size_t i = 0; i + 4 < n && !h; i++)
        if ((strncmp(s + i, "http", 4) == 0 && (i == 0 || !isalpha((unsigned char)s[i - 1]))) ||
            (strncmp(s + i, "www.", 4) == 0 && (i == 0 || s[i - 1] == ' ')))
            h = s + i;
    if (!h)
        return NULL;
    kg_buf b = KG_BUF_INIT;
    size_t i = (size_t)(h - s);
    while (i < n) {
        char c = s[i];
        if (c == ' ') {
            char prev = b.len ? b.data[b.len - 1] : 0;
            /* a break after ':', '/', '-', '.', '~' or '_' left a space */
            if (prev && strchr(":/-.~_", prev) && i + 1 < n && s[i + 1] != ' ' &&
                !isupper((unsigned char)s[i + 1])) {
                i++;
                continue;
            }
            break;
        }
        if (strchr("\"<>)]", c) || c == ',' || (unsigned char)c == 0xE2)
            break;
        kg_buf_putc(&b, c);
        i++;
    }
    size_t len = b.len;
    while (len && strchr(".;:", b.data[len - 1]))
        len--;
    kg_buf_truncate(&b, len);
    if (b.len < 8) {
        kg_buf_free(&b);
        return NULL;
    }
    return kg_buf_steal(&b);
}

/* ---- quoted titles, years, author lists ----------------------------------- */

/* A title in quotes: “...”, "...", ``...''. *a, *e its span (inside). */
static int quoted(const char *s, size_t n, size_t *a, size_t *e)
{
    static const char *const open[] = {"\xE2\x80\x9C", "\"", "``", NULL};
    static const char *const close[] = {"\xE2\x80\x9D", "\"", "''", NULL};
    for (int k = 0; open[k]; k++) {
        const char *o = NULL;
        size_t ol = strlen(open[k]);
        for (size_t i = 0; i + ol <= n && !o; i++)
            if (memcmp(s + i, open[k], ol) == 0)
                o = s + i;
        if (!o)
            continue;
        size_t start = (size_t)(o - s) + ol, cl = strlen(close[k]);
        for (size_t j = start; j + cl <= n; j++)
            if (memcmp(s + j, close[k], cl) == 0 && j > start + 3 &&
                memchr(s + start, ' ', j - start)) {
                *a = start;
                *e = j;
                return 1;
            }
    }
    return 0;
}

static int is_initials(const char *w, size_t n)
{
    /* "R.", "J. A.", "IHM", "H.T.", "C.-Y." */
    if (!n || n > 8)
        return 0;
    int upper = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (isupper(c))
            upper++;
        else if (c != '.' && c != '-' && c != ' ')
            return 0;
    }
    return upper >= 1 && (upper <= 4);
}

static void add_author(kg_ref *r, const char *s, size_t n)
{
    s = kg_ptrim(s, &n);
    while (n && (s[n - 1] == ',' || s[n - 1] == ';'))
        n--;
    s = kg_ptrim(s, &n);
    /* "Christopher Manning." loses its full stop, "Szpektor, I." keeps it */
    if (n > 3 && s[n - 1] == '.' && s[n - 2] != ' ' && s[n - 3] != ' ' && s[n - 3] != '.')
        n--;
    if (!n || r->nauthors >= MAX_AUTHORS)
        return;
    kg_vec_grow_counted((void **)&r->authors, r->nauthors, sizeof *r->authors);
    r->authors[r->nauthors++] = kg_xstrndup(s, n);
}

/* Split "Bar-Haim, R., Dagan, I. and Szpektor, I." or "A. Aho, R. Sethi,
 * and M. Lam" or "Bates DM, DebRoy S" into authors; "et al." is noted. */
static void split_authors(kg_ref *r, const char *s, size_t n)
{
    s = kg_ptrim(s, &n);
    for (size_t i = 0; i + 5 <= n; i++)
        if (strncmp(s + i, "et al", 5) == 0) {
            r->et_al = 1;
            n = i;
            break;
        }
    size_t piece[MAX_AUTHORS][2];
    int np = 0;
    size_t a = 0;
    for (size_t i = 0; i <= n && np < MAX_AUTHORS; i++) {
        size_t sep = 0;
        if (i == n)
            sep = 1;
        else if (s[i] == ',' || s[i] == ';')
            sep = 1;
        else if (i > 0 && s[i - 1] == ' ' && (lit_at(s, n, i, "and ") || lit_at(s, n, i, "& ")))
            sep = s[i] == '&' ? 2 : 4;
        if (!sep)
            continue;
        size_t l = i - a;
        const char *w = kg_ptrim(s + a, &l);
        if (l) {
            piece[np][0] = (size_t)(w - s);
            piece[np][1] = l;
            np++;
        }
        a = i + sep;
        i = a - 1;
    }
    /* "Surname, I." pairs: an initials-only piece joins the surname before it. */
    for (int k = 0; k < np; k++) {
        const char *w = s + piece[k][0];
        size_t l = piece[k][1];
        if (k + 1 < np && !is_initials(w, l) && !memchr(w, ' ', l) &&
            is_initials(s + piece[k + 1][0], piece[k + 1][1])) {
            kg_buf b = KG_BUF_INIT;
            kg_buf_append(&b, s + piece[k + 1][0], piece[k + 1][1]);
            kg_buf_putc(&b, ' ');
            kg_buf_append(&b, w, l);
            add_author(r, b.data, b.len);
            kg_buf_free(&b);
            k++;
        } else {
            add_author(r, w, l);
        }
    }
}

/* "Rev." "Lett." "J.": a capitalised word of at most six letters and a
 * full stop, at s[i]. */
static int abbreviation(const char *s, size_t n, size_t i)
{
    if (i >= n || !isupper((unsigned char)s[i]))
        return 0;
    size_t j = i + 1;
    while (j < n && islower((unsigned char)s[j]) && j - i < 7)
        j++;
    return j < n && s[j] == '.';
}

/* Where the author list ends in "A. Aho, R. Sethi, and M. Lam. Compilers":
 * the first ". " that does not end an initial or "al". */
static size_t authors_end(const char *s, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] != '.' || s[i + 1] != ' ')
            continue;
        size_t w = i;
        while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '.' && s[w - 1] != '-')
            w--;
        size_t wl = i - w;
        if (wl <= 1 || (wl == 2 && strncmp(s + w, "al", 2) == 0) ||
            (wl == 2 && isupper((unsigned char)s[w]) && isupper((unsigned char)s[w + 1])))
            continue;
        /* "Gruzinov A. Phys. Rev. Lett.": a journal's abbreviations follow
         * the authors; the list ended before them */
        if (abbreviation(s, n, i + 2) && w >= 2 && s[w - 1] == ' ' && s[w - 2] == '.')
            return w - 2;
        return i;
    }
    return 0;
}

/* The sentence starting at s[i]: up to ". " (not after an initial) or end. */
static size_t sentence_end(const char *s, size_t n, size_t i)
{
    for (size_t j = i + 1; j < n; j++) {
        if ((s[j] == '.' || s[j] == '?' || s[j] == '!') && (j + 1 == n || s[j + 1] == ' ') &&
            !(j >= 2 && s[j - 2] == ' ' && isupper((unsigned char)s[j - 1])))
            return j;
    }
    return n;
}

/* The last "1275-1290" standing alone (not inside a DOI, URL or ISBN). */
static void page_range(kg_ref *r, const char *s, size_t n)
{
    size_t best_a = 0, best_e = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) ||
            (i > 0 && s[i - 1] != ' ' && s[i - 1] != ',' && s[i - 1] != '('))
            continue;
        size_t j = i;
        while (j < n && isdigit((unsigned char)s[j]))
            j++;
        size_t d = j;
        if (j < n && s[j] == '-')
            j++;
        else if (j + 2 < n && (unsigned char)s[j] == 0xE2 && (unsigned char)s[j + 1] == 0x80 &&
                 (unsigned char)s[j + 2] == 0x93)
            j += 3;
        else
            continue;
        size_t k = j;
        while (k < n && isdigit((unsigned char)s[k]))
            k++;
        if (k == j || d - i > 5 || k - j > 5 ||
            (k < n && (isalnum((unsigned char)s[k]) || s[k] == '/' || s[k] == '-')))
            continue;
        best_a = i;
        best_e = k;
        i = k;
    }
    if (best_e)
        r->pages = kg_xstrndup(s + best_a, best_e - best_a);
}

static void volume_pages(kg_ref *r, const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (!r->pages && (strncasecmp(s + i, "pp", 2) == 0 || strncmp(s + i, "PP", 2) == 0) &&
            (i == 0 || s[i - 1] == ' ' || s[i - 1] == ',')) {
            size_t j = i + 2;
            while (j < n && (s[j] == '.' || s[j] == ' '))
                j++;
            size_t a = j;
            while (j < n &&
                   (isalnum((unsigned char)s[j]) || s[j] == '-' || (unsigned char)s[j] == 0xE2 ||
                    (unsigned char)s[j] == 0x80 || (unsigned char)s[j] == 0x93))
                j++;
            if (j > a && isdigit((unsigned char)s[a]))
                r->pages = kg_xstrndup(s + a, j - a);
        }
        if (!r->volume && (strncasecmp(s + i, "vol", 3) == 0) && (i == 0 || s[i - 1] == ' ')) {
            size_t j = i + 3;
            while (j < n && isalpha((unsigned char)s[j]))
                j++;
            while (j < n && (s[j] == '.' || s[j] == ' '))
                j++;
            size_t a = j;
            while (j < n && isdigit((unsigned char)s[j]))
                j++;
            if (j > a)
                r->volume = kg_xstrndup(s + a, j - a);
        }
    }
}

/* ---- the entry ---------------------------------------------------------- */

static void venue_after(kg_ref *r, const char *s, size_t n, size_t from);

/* An initials-first name at s ("A. Author", "C.-Y. Lu", "H.T. Kung",
 * "K. S. McKinley", "J. van Dam"): its length, 0 when there is none. */
static size_t initials_name(const char *s, size_t n)
{
    size_t i = 0;
    int initials = 0;
    for (;;) {
        if (i + 1 < n && isupper((unsigned char)s[i]) && s[i + 1] == '.') {
            i += 2;
            initials++;
            if (i < n && s[i] == '-')
                i++;
            if (i < n && s[i] == ' ')
                i++;
            continue;
        }
        break;
    }
    if (!initials || i >= n)
        return 0;
    size_t w = i;
    while (w < n && islower((unsigned char)s[w]))
        w++;
    if (w < n && s[w] == ' ' && kg_name_particle(s + i, w - i))
        i = w + 1;
    if (i >= n || !(isupper((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
        return 0;
    size_t a = i;
    while (i < n && (isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80 || s[i] == '-' ||
                     s[i] == '\''))
        i++;
    return i - a >= 2 ? i : 0;
}

static int title_like(const char *s, size_t n)
{
    int words = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        words += s[i] == ' ';
        digits += isdigit((unsigned char)s[i]) != 0;
    }
    return words >= 2 && !digits;
}

/* "A. Author, B. Writer, Title, Venue 3 (2001) 1-10." and the ACM form
 * "A. Aho, R. Sethi, and M. Lam. Title. Venue, 2006.": 1 when read. */
static int comma_style(kg_ref *r, const char *e, size_t m)
{
    if (!initials_name(e, m))
        return 0;
    size_t pos = 0, title = 0;
    int acm = 0;
    while (pos < m) {
        while (pos < m && e[pos] == ' ')
            pos++;
        if (lit_at(e, m, pos, "and "))
            pos += 4;
        size_t k = initials_name(e + pos, m - pos);
        if (!k)
            break;
        add_author(r, e + pos, k);
        size_t end = pos + k;
        if (lit_at(e, m, end, " et al")) {
            r->et_al = 1;
            end += 6;
            while (end < m && strchr(". ", e[end]))
                end++;
        }
        if (end < m && e[end] == ',' && !lit_at(e, m, end, ", and ")) {
            pos = end + 1;
            title = pos;
            continue;
        }
        if (lit_at(e, m, end, ", and ") || lit_at(e, m, end, " and ")) {
            pos = end + (e[end] == ',' ? 6 : 5);
            continue;
        }
        if (end < m && e[end] == '.') { /* ACM: the title is the next sentence */
            end++;
            acm = 1;
        }
        title = end;
        break;
    }
    while (title < m && strchr(" ,.:", e[title]))
        title++;
    size_t te = acm ? sentence_end(e, m, title) : title;
    while (!acm && te < m && e[te] != ',' &&
           !(e[te] == '.' && (te + 1 == m || e[te + 1] == ' ') && !(te >= 2 && e[te - 2] == ' ')))
        te++;
    /* "Compilers: Principles, techniques, and tools, 2006." */
    size_t yat;
    char sfx;
    if (acm && te > title + 6 && kg_find_year(e, te, te - 6, &yat, &sfx) && yat > title + 2 &&
        e[yat - 2] == ',')
        te = yat - 2;
    if (title_like(e + title, te - title)) {
        r->title = kg_pdup(e + title, te - title);
        venue_after(r, e, m, te);
    } else {
        venue_after(r, e, m, title);
    }
    return 1;
}

static void venue_after(kg_ref *r, const char *s, size_t n, size_t from)
{
    size_t i = from;
    while (i < n && strchr(" ,.:;", s[i]))
        i++;
    if (i + 3 < n && (strncmp(s + i, "In ", 3) == 0 || strncmp(s + i, "in:", 3) == 0 ||
                      strncmp(s + i, "in ", 3) == 0))
        i += 3;
    while (i < n && strchr(" ,.:;", s[i]))
        i++;
    size_t e = i;
    /* up to a year, "vol", "pp", a number or the end */
    while (e < n) {
        if (e > i && (s[e] == ',' || s[e] == '(') && e + 2 < n &&
            (isdigit((unsigned char)s[e + 1]) || isdigit((unsigned char)s[e + 2]) ||
             lit_at_ci(s, n, e + 2, "vol") || lit_at_ci(s, n, e + 2, "pp")))
            break;
        if (e > i && s[e] == ' ' && e + 1 < n && isdigit((unsigned char)s[e + 1]))
            break;
        e++;
    }
    while (e > i && strchr(" ,;:", s[e - 1]))
        e--;
    /* "Astrophys. J." keeps its last full stop; "Springer." does not */
    if (e > i && s[e - 1] == '.') {
        size_t w = e - 1;
        while (w > i && s[w - 1] != ' ' && s[w - 1] != '.')
            w--;
        if (e - 1 - w > 4 || !isupper((unsigned char)s[w]))
            e--;
    }
    if (e > i + 1)
        r->venue = kg_xstrndup(s + i, e - i);
    /* physics: "Astrophys. J. 483 565", "Phys. Rev. B 81, 035332" */
    size_t j = e;
    while (j < n && strchr(" .,", s[j]))
        j++;
    size_t v0 = j;
    while (j < n && isdigit((unsigned char)s[j]))
        j++;
    if (!r->volume && j > v0 && j - v0 <= 4 && j < n && (s[j] == ' ' || s[j] == ',')) {
        size_t p0 = j;
        while (p0 < n && (s[p0] == ' ' || s[p0] == ','))
            p0++;
        size_t p1 = p0;
        while (p1 < n && (isalnum((unsigned char)s[p1]) || s[p1] == '-'))
            p1++;
        if (p1 > p0 && isdigit((unsigned char)s[p1 - 1]) && !r->pages) {
            r->volume = kg_xstrndup(s + v0, j - v0);
            r->pages = kg_xstrndup(s + p0, p1 - p0);
        }
    }
}

/* An arXiv identifier is the entry's arxiv field, never its venue:
 * "Reading order detection, arXiv:1203.4567, 2012." has no venue, and
 * "Phys. Rev. D, arXiv:astro-ph/0003365" has "Phys. Rev. D".  The venue is
 * cut where the identifier (or the word "arXiv" before it) begins; what is
 * left of it is dropped when nothing but arXiv's own words remain. */
static void venue_without_arxiv(kg_ref *r)
{
    if (!r->venue || !r->arxiv)
        return;
    char *v = r->venue;
    size_t all = strlen(v), cut = all;
    const char *id = strstr(v, r->arxiv);
    if (id)
        cut = (size_t)(id - v);
    for (size_t k = 0; k < cut && v[k]; k++)
        if (strncasecmp(v + k, "arxiv", 5) == 0 && (k == 0 || !isalpha((unsigned char)v[k - 1])))
            cut = k;
    if (cut == all)
        return;
    while (cut && strchr(" ,.:;([", v[cut - 1]))
        cut--;
    v[cut] = '\0';
    static const char *const words[] = {"preprint", "e-print", "eprint", "e-prints", NULL};
    for (int k = 0; words[k]; k++)
        if (strcasecmp(v, words[k]) == 0)
            cut = 0;
    if (!cut) {
        free(r->venue);
        r->venue = NULL;
    }
}

void kg_ref_parse(const char *s, size_t n, kg_ref *r)
{
    memset(r, 0, sizeof *r);
    s = kg_ptrim(s, &n);
    int style = 0, num = 0;
    size_t lab = kg_zone_ref_label(s, n, &style, &num);
    if (lab)
        r->number = num;
    const char *e = s + lab;
    size_t m = n - lab;
    r->doi = kg_find_doi(e, m);
    r->arxiv = kg_find_arxiv(e, m);
    r->url = find_url(e, m);
    size_t yat = 0;
    r->year = kg_find_year(e, m, 0, &yat, &r->suffix);
    volume_pages(r, e, m);
    size_t qa, qe;
    if (quoted(e, m, &qa, &qe)) {
        /* authors, “Title,” venue */
        size_t ae = qa;
        while (ae > 0 && ((unsigned char)e[ae - 1] >= 0x80 || strchr("\"`", e[ae - 1])))
            ae--;
        if (yat && yat < ae && e[yat - 1] == '(')
            ae = yat - 1;
        split_authors(r, e, ae);
        size_t tl = qe - qa;
        const char *t = kg_ptrim(e + qa, &tl);
        while (tl && strchr(",.", t[tl - 1]))
            tl--;
        r->title = kg_pdup(t, tl);
        size_t after = qe;
        while (after < m && ((unsigned char)e[after] >= 0x80 || strchr("\"'", e[after])))
            after++;
        venue_after(r, e, m, after);
        goto done;
    }
    if (comma_style(r, e, m))
        goto done;
    size_t ae = 0;
    if (r->year && yat > 0 && yat < m / 2 + 20) {
        /* author-year: "Authors (2003). Title." or "Authors. 2006. Title." or physics "Authors , 1997 Venue" */
        ae = yat;
        while (ae > 0 && strchr(" ,(", e[ae - 1]))
            ae--;
        size_t after = yat + 4 + (r->suffix ? 1 : 0);
        while (after < m && strchr(").,: ", e[after]))
            after++;
        size_t te = sentence_end(e, m, after);
        int physics = after < m && te > after &&
                      (abbreviation(e, m, after) || !memchr(e + after, ' ', te - after));
        split_authors(r, e, ae);
        if (!physics && te > after) {
            r->title = kg_pdup(e + after, te - after);
            venue_after(r, e, m, te);
        } else {
            venue_after(r, e, m, after);
        }
        goto done;
    }
    ae = authors_end(e, m);
    if (ae) {
        split_authors(r, e, ae);
        size_t ts = ae + 1;
        while (ts < m && e[ts] == ' ')
            ts++;
        if (abbreviation(e, m, ts)) { /* "Phys. Rev. Lett. 85": no title */
            venue_after(r, e, m, ts);
            goto done;
        }
        size_t te = sentence_end(e, m, ts);
        r->title = kg_pdup(e + ts, te - ts);
        venue_after(r, e, m, te);
    } else {
        /* "C.-Y. Lu et al., Phys. Rev. B 81, 035332 (2010)" */
        size_t c = 0;
        while (c < m && e[c] != ',')
            c++;
        split_authors(r, e, c);
        venue_after(r, e, m, c);
    }
done:
    if (!r->pages)
        page_range(r, e, m);
    venue_without_arxiv(r);
}

void kg_ref_clear(kg_ref *r)
{
    for (size_t i = 0; i < r->nauthors; i++)
        free(r->authors[i]);
    free(r->authors);
    free(r->title);
    free(r->venue);
    free(r->volume);
    free(r->pages);
    free(r->doi);
    free(r->arxiv);
    free(r->url);
    free(r->raw);
    memset(r, 0, sizeof *r);
}
