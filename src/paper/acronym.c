/* acronym: "long form (SF)" definitions, after Schwartz and Hearst (2003),
 * "A simple algorithm for identifying abbreviation definitions in
 * biomedical text".
 *
 * A short form in parentheses (2 to 10 characters, one word, a capital
 * letter in it, not a number or a year) is matched against the words right
 * before it (at most min(|SF| + 5, 2|SF|)): going backwards, each of its
 * letters and digits must be found in order, the first one at the start
 * of a word; the long form is the shortest such stretch.  "Analytical
 * Hierarchical Process (AHP)", "named-entity (NE)". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "paper/paper_internal.h"

static int short_form_ok(const char *s, size_t n, int *letters)
{
    if (n < 2 || n > 10 || !isalnum((unsigned char)s[0]))
        return 0;
    int upper = 0, digits = 0;
    *letters = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c >= 0x80)
            return 0;
        upper += isupper(c) != 0;
        digits += isdigit(c) != 0;
        *letters += isalnum(c) != 0;
    }
    return upper >= 1 && digits < (int)n - 1;
}

/* The long form for short form sf in lf[0..n) (which ends right before the
 * parenthesis): its start in lf, or -1. */
static long best_long_form(const char *sf, size_t sn, const char *lf, size_t n)
{
    long si = (long)sn - 1, li = (long)n - 1;
    while (si >= 0) {
        unsigned char c = (unsigned char)tolower((unsigned char)sf[si]);
        if (!isalnum(c)) {
            si--;
            continue;
        }
        while (li >= 0 && ((unsigned char)tolower((unsigned char)lf[li]) != c ||
                           (si == 0 && li > 0 && isalnum((unsigned char)lf[li - 1]))))
            li--;
        if (li < 0)
            return -1;
        li--;
        si--;
    }
    while (li >= 0 && lf[li] != ' ')
        li--;
    return li + 1;
}

static int contains(const char *h, size_t hn, const char *nd, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (memcmp(h + i, nd, nn) == 0)
            return 1;
    return 0;
}

static void add(kg_paper *p, const char *sf, size_t sn, const char *lf, size_t ln, uint64_t start,
                uint64_t end)
{
    for (size_t i = 0; i < p->nacronyms; i++)
        if (strlen(p->acronyms[i].short_form) == sn &&
            memcmp(p->acronyms[i].short_form, sf, sn) == 0)
            return;
    if (p->nacronyms >= KG_PAPER_MAX_ACRONYMS)
        return;
    kg_vec_grow_counted((void **)&p->acronyms, p->nacronyms, sizeof *p->acronyms);
    p->acronyms[p->nacronyms++] = (kg_acronym){kg_xstrndup(sf, sn), kg_xstrndup(lf, ln), start,
                                               end};
}

/* The reverse form "AHP (Analytical Hierarchical Process)": the short form
 * before the parenthesis, the long form inside it, whole. */
static void reverse_form(const char *t, size_t n, size_t open, uint64_t base, kg_paper *p)
{
    const char *close = memchr(t + open, ')', n - open < 120 ? n - open : 120);
    if (!close || open < 3)
        return;
    size_t e = open - 1, a = e;
    while (a > 0 && t[a - 1] != ' ' && t[a - 1] != '(')
        a--;
    int letters;
    if (!short_form_ok(t + a, e - a, &letters))
        return;
    const char *lf = t + open + 1;
    size_t ln = (size_t)(close - lf), words = 1;
    for (size_t i = 0; i < ln; i++)
        words += lf[i] == ' ';
    if (words < 2 || words > 2 * (size_t)letters || best_long_form(t + a, e - a, lf, ln) != 0)
        return;
    add(p, t + a, e - a, lf, ln, base + a, base + (size_t)(close - t) + 1);
}

void kg_acronyms_find(const char *t, size_t n, uint64_t base, kg_paper *p)
{
    for (size_t i = 1; i < n; i++)
        if (t[i] == '(' && t[i - 1] == ' ')
            reverse_form(t, n, i, base, p);
    for (size_t i = 1; i < n; i++) {
        if (t[i] != '(' || t[i - 1] != ' ')
            continue;
        const char *close = memchr(t + i, ')', n - i < 14 ? n - i : 14);
        if (!close)
            continue;
        const char *sf = t + i + 1;
        size_t sn = (size_t)(close - sf);
        int letters;
        if (!short_form_ok(sf, sn, &letters))
            continue;
        /* the words before: at most min(letters + 5, 2 * letters) */
        size_t want = (size_t)(letters + 5 < 2 * letters ? letters + 5 : 2 * letters);
        size_t a = i - 1, words = 0;
        while (a > 0 && words < want) {
            while (a > 0 && t[a - 1] == ' ')
                a--;
            while (a > 0 && t[a - 1] != ' ' && t[a - 1] != '(' && t[a - 1] != ',' &&
                   t[a - 1] != '.')
                a--;
            words++;
            if (a > 0 && (t[a - 1] == '(' || t[a - 1] == ',' || t[a - 1] == '.'))
                break;
        }
        size_t ln = i - 1 - a;
        long s = best_long_form(sf, sn, t + a, ln);
        if (s < 0)
            continue;
        const char *lf = t + a + s;
        size_t lfn = ln - (size_t)s;
        if (lfn <= sn || contains(lf, lfn, sf, sn))
            continue;
        add(p, sf, sn, lf, lfn, base + a + (size_t)s, base + (size_t)(close - t) + 1);
        i = (size_t)(close - t);
    }
}
