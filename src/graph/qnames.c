/* qnames: see qnames.h. */
#include "graph/qnames.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "base/strlist.h"
#include "base/vec.h"
#include "graph/resolve.h"

/* ---- normalisation --------------------------------------------------------- */

/* The code point at p[i] and its length; an invalid byte reads as a space
 * of one byte, and the end of the text (i == len) as a closing space, so
 * the last word ends like the others. */
static utf8proc_ssize_t next_char(const utf8proc_uint8_t *p, utf8proc_ssize_t len,
                                  utf8proc_ssize_t i, utf8proc_int32_t *c)
{
    *c = ' ';
    if (i >= len)
        return 1;
    utf8proc_ssize_t k = utf8proc_iterate(p + i, len - i, c);
    if (k <= 0) {
        *c = ' ';
        return 1;
    }
    return k;
}

/* Casefolded words of s (possessive 's dropped); caller frees each and v. */
int kg_qname_words(const char *s, char ***out)
{
    char *f = kg_resolve_fold(s, strlen(s));
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)f;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(f), i = 0;
    char **v = NULL;
    int n = 0;
    size_t cap = 0;
    kg_buf cur = KG_BUF_INIT;
    while (i <= len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = next_char(p, len, i, &c);
        utf8proc_category_t cat = utf8proc_category(c);
        bool word = i < len && cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
        if (word) {
            kg_buf_append(&cur, p + i, (size_t)k);
        } else if ((c == '\'' || c == 0x2019) && i + k < len && p[i + k] == 's' &&
                   (i + k + 1 >= len ||
                    !((p[i + k + 1] | 32) >= 'a' && (p[i + k + 1] | 32) <= 'z'))) {
            k += 1; /* possessive: "Scrooge's" -> "scrooge" */
        } else if (c == '\'' || c == 0x2019) {
            /* "O'Brien" -> "obrien", as in resolve keys */
        } else if (cur.len) {
            kg_vec_room(v, n, cap);
            v[n++] = kg_xstrndup(cur.data, cur.len);
            kg_buf_truncate(&cur, 0);
        }
        i += k;
    }
    kg_buf_free(&cur);
    free(f);
    *out = v;
    return n;
}

/* Is the code point a word character (letter, mark or number)? */
static bool word_char(utf8proc_int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

int kg_qname_spans(const char *s, kg_qname_span **out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), i = 0;
    kg_qname_span *v = NULL;
    int n = 0;
    size_t cap = 0;
    long start = -1, end = 0;
    while (i <= len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = next_char(p, len, i, &c);
        bool apostrophe = c == '\'' || c == 0x2019;
        if (i < len && word_char(c)) {
            if (start < 0)
                start = (long)i;
            end = (long)(i + k);
        } else if (apostrophe && i + k < len && p[i + k] == 's' &&
                   (i + k + 1 >= len ||
                    !((p[i + k + 1] | 32) >= 'a' && (p[i + k + 1] | 32) <= 'z'))) {
            k += 1; /* possessive: the word ends before it */
        } else if (apostrophe && start >= 0) {
            /* inside a word ("O'Brien"): part of its span */
        } else if (start >= 0) {
            kg_vec_room(v, n, cap);
            v[n++] = (kg_qname_span){(unsigned)start, (unsigned)end};
            start = -1;
        }
        i += k;
    }
    *out = v;
    return n;
}

char *kg_qname_join(char *const *w, int from, int to)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = from; i < to; i++) {
        if (i > from)
            kg_buf_putc(&b, ' ');
        kg_buf_puts(&b, w[i]);
    }
    return b.data ? kg_buf_steal(&b) : kg_xstrdup("");
}

char *kg_qname_norm(const char *s)
{
    char **w;
    int n = kg_qname_words(s, &w);
    char *r = kg_qname_join(w, 0, n);
    kg_qname_free_words(w, n);
    return r;
}

/* ---- fuzzy string measures ----------------------------------------------- */

double kg_qname_jaro_winkler(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la == 0 || lb == 0)
        return la == lb ? 1.0 : 0.0;
    if (la > 64 || lb > 64)
        return strcmp(a, b) == 0 ? 1.0 : 0.0;
    int win = (la > lb ? la : lb) / 2 - 1;
    if (win < 0)
        win = 0;
    bool ma[64] = {false}, mb[64] = {false};
    int m = 0;
    for (int i = 0; i < la; i++) {
        int lo = i - win > 0 ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
        for (int j = lo; j < hi; j++)
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                m++;
                break;
            }
    }
    if (m == 0)
        return 0.0;
    int t = 0, j = 0;
    for (int i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[j])
            j++;
        if (a[i] != b[j])
            t++;
        j++;
    }
    double jaro = ((double)m / la + (double)m / lb + ((double)m - (double)t / 2.0) / m) / 3.0;
    int prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + prefix * 0.1 * (1.0 - jaro);
}

/* True when a and b differ by exactly one insertion, deletion or substitution. */
static bool edit1(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la < lb) {
        const char *t = a;
        a = b;
        b = t;
        size_t u = la;
        la = lb;
        lb = u;
    }
    if (la - lb > 1)
        return false;
    size_t i = 0;
    while (i < lb && a[i] == b[i])
        i++;
    if (i == lb)
        return la != lb; /* equal strings are not an edit */
    return la == lb ? strcmp(a + i + 1, b + i + 1) == 0 : strcmp(a + i + 1, b + i) == 0;
}

static const char *const stop_words[] = {
    "a",    "an",    "the",     "of",     "in",    "on",    "at",    "for",   "to",    "with",
    "by",   "from",  "and",     "or",     "not",   "is",    "are",   "was",   "were",  "be",
    "been", "do",    "does",    "did",    "what",  "who",   "whom",  "whose", "which", "where",
    "when", "why",   "how",     "that",   "this",  "these", "those", "it",    "its",   "as",
    "into", "about", "between", "there",  "their", "they",  "he",    "she",   "his",   "her",
    "i",    "we",    "you",     "me",     "my",    "our",   "your",  "has",   "have",  "had",
    "can",  "could", "would",   "should", "will",  "any",   "all",   "some",  "s",     NULL};
/* Common words a question uses about the graph, not in it. */
static const char *const common_words[] = {
    "work",      "works",      "worked",  "working", "person",   "people",       "thing",
    "things",    "know",       "known",   "related", "relation", "relationship", "relationships",
    "connected", "connection", "connect", "link",    "linked",   "tell",         "show",
    "find",      "list",       "name",    "names",   "entity",   "entities",     "also",
    "other",     "many",       "much",    "most",    "more",     "same",         "located",
    "based",     "founded",    "created", "leads",   "led",      "uses",         "used",
    NULL};

bool kg_qname_stop(const char *w)
{
    return kg_strlist_has(stop_words, w);
}

void kg_qname_free_words(char **w, int n)
{
    for (int i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

/* n-grams that start or end with a stop word are never names ("of
 * Oxford"); a single common word is not one either. */
bool kg_qname_gram_allowed(char *const *w, int s, int len)
{
    return !kg_strlist_has(stop_words, w[s]) && !kg_strlist_has(stop_words, w[s + len - 1]) &&
           !(len == 1 && kg_strlist_has(common_words, w[s]));
}

double kg_qname_fuzzy(const char *gram, int words, const char *norm)
{
    size_t gl = strlen(gram), nl = strlen(norm);
    /* Only names with the same first byte: Jaro-Winkler rewards a shared
     * prefix, and a typo in the first letter is not worth scanning every
     * name of a large graph for.  Beyond the length gap JW >= 0.92 cannot
     * hold. */
    if (gl < KG_QNAME_FUZZY_MIN || norm[0] != gram[0] || nl + KG_QNAME_LEN_GAP < gl ||
        gl + KG_QNAME_LEN_GAP < nl)
        return 0;
    double jw = kg_qname_jaro_winkler(gram, norm);
    if (jw >= 0.92)
        return 0.8 * jw;
    if (words == 1 && gl >= 5 && nl >= 5 && edit1(gram, norm))
        return 0.75;
    return 0;
}
