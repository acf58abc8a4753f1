/* qphrase: see qphrase.h. */
#include "graph/qphrase.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/strlist.h"
#include "base/vec.h"
#include "graph/qnames.h"
#include "ner/gazetteer.h"

/* Function words that may stand inside a name ("Journal of X", "Alexander
 * and the Terrible") but never at its ends; the ends are also checked by
 * kg_qname_gram_allowed. */
static const char *const inner_words[] = {"of",  "the", "and", "for", "de", "la", "le", "du",
                                          "von", "van", "der", "del", "da", "di", "y",  "a",
                                          "an",  "in",  "on",  "at",  "to", "&",  NULL};

/* ---- common words ------------------------------------------------------------ */

/* Gazetteer flags that make a word a name even though WordNet lists it. */
#define NAME_FLAGS                                                                  \
    (KG_GZ(COUNTRY) | KG_GZ(SUBDIV) | KG_GZ(CITY) | KG_GZ(NORP) | KG_GZ(LANGUAGE) | \
     KG_GZ(ORGNAME) | KG_GZ(EVENTNAME) | KG_GZ(PRODUCTNAME) | KG_GZ(DATASETNAME) |  \
     KG_GZ(CURRENCY))

/* scripts/gen_proper_words.py: sorted hashes of the words WordNet spells
 * only with a capital ("oahu", "alexander"). */
extern const size_t kg_proper_words_n;
extern const uint64_t kg_proper_words[];

static bool proper_only(const char *w)
{
    uint64_t h = kg_hash_fnv64(w, strlen(w));
    size_t lo = 0, hi = kg_proper_words_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kg_proper_words[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < kg_proper_words_n && kg_proper_words[lo] == h;
}

static bool common_form(const char *w, size_t n)
{
    if (n == 0 || n >= 64)
        return false;
    char b[64];
    memcpy(b, w, n);
    b[n] = '\0';
    return (kg_gz_lookup_str(b) & KG_GZ(COMMON)) != 0;
}

bool kg_qphrase_generic(const char *w)
{
    size_t n = strlen(w);
    if (n == 0)
        return true;
    if ((kg_gz_lookup_str(w) & NAME_FLAGS) || proper_only(w))
        return false;
    if (common_form(w, n))
        return true;
    /* Plural, past and -ing forms of a common word: films, shares,
     * countries, translated, stopped, founding. */
    const char *e = w + n;
    if (n > 4 && strcmp(e - 3, "ies") == 0) {
        char b[64];
        if (n < sizeof b) {
            memcpy(b, w, n - 3);
            strcpy(b + n - 3, "y");
            if (common_form(b, strlen(b)))
                return true;
        }
    }
    if (n > 3 && e[-1] == 's' && (common_form(w, n - 1) || (e[-2] == 'e' && common_form(w, n - 2))))
        return true;
    if (n > 4 && strcmp(e - 2, "ed") == 0 &&
        (common_form(w, n - 1) || common_form(w, n - 2) ||
         (e[-3] == e[-4] && common_form(w, n - 3))))
        return true;
    if (n > 5 && strcmp(e - 3, "ing") == 0) {
        char b[64];
        if (common_form(w, n - 3) || (e[-4] == e[-5] && common_form(w, n - 4)))
            return true;
        if (n < sizeof b) {
            memcpy(b, w, n - 3);
            strcpy(b + n - 3, "e");
            if (common_form(b, strlen(b)))
                return true;
        }
    }
    return false;
}

/* ---- the words of a question --------------------------------------------------- */

typedef struct qword {
    unsigned start, end;
    char *norm;
    bool caps;   /* starts with an upper-case letter (or is a number) */
    bool upper;  /* two or more letters, all upper-case */
    bool digits; /* only digits */
    bool inner;  /* a function word that may stand inside a name */
} qword;

static void shape(const char *q, qword *w)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)q + w->start;
    utf8proc_ssize_t len = (utf8proc_ssize_t)(w->end - w->start), i = 0;
    int letters = 0, uppers = 0, digits = 0, first = 1;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, len - i, &c);
        if (k <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT) {
            letters++;
            uppers++;
            if (first)
                w->caps = true;
        } else if (cat >= UTF8PROC_CATEGORY_LL && cat <= UTF8PROC_CATEGORY_LO) {
            letters++;
        } else if (cat == UTF8PROC_CATEGORY_ND) {
            digits++;
            if (first)
                w->caps = true;
        }
        first = 0;
        i += k;
    }
    w->upper = letters >= 2 && uppers == letters;
    w->digits = digits > 0 && letters == 0;
}

static int words_of(const char *q, qword **out)
{
    kg_qname_span *sp = NULL;
    int n = kg_qname_spans(q, &sp);
    if (n > KG_QPHRASE_MAX_QWORDS)
        n = KG_QPHRASE_MAX_QWORDS;
    qword *w = kg_xcalloc((size_t)n + 1, sizeof *w);
    for (int i = 0; i < n; i++) {
        w[i].start = sp[i].start;
        w[i].end = sp[i].end;
        char *raw = kg_xstrndup(q + sp[i].start, sp[i].end - sp[i].start);
        w[i].norm = kg_qname_norm(raw);
        free(raw);
        shape(q, &w[i]);
        w[i].inner = kg_strlist_has(inner_words, w[i].norm);
    }
    free(sp);
    *out = w;
    return n;
}

/* ---- phrases ------------------------------------------------------------------- */

/* 2 when the words [s, e) are exactly a recognised mention (its words are
 * those whose bytes lie inside it), 1 when they lie inside one, else 0. */
static int in_mention(const qword *w, int nw, int s, int e, const kg_qphrase_span *m, size_t nm)
{
    int best = 0;
    for (size_t k = 0; k < nm; k++) {
        if (w[s].start < m[k].start || w[e - 1].end > m[k].end)
            continue;
        bool before = s > 0 && w[s - 1].start >= m[k].start;
        bool after = e < nw && w[e].end <= m[k].end;
        best = !before && !after ? 2 : best > 1 ? best : 1;
    }
    return best;
}

static bool name_shaped(const qword *w, int s, int e)
{
    if (!w[s].caps || !w[e - 1].caps)
        return false;
    for (int k = s + 1; k < e - 1; k++)
        if (!w[k].caps && !w[k].inner)
            return false;
    return true;
}

/* Why the words [s, e) may name something; -1 when they may not. */
static int why_of(const qword *w, int nw, int s, int e, const kg_qphrase_span *m, size_t nm,
                  bool phrase)
{
    int len = e - s;
    if (phrase && s == 0 && e == nw)
        return KG_QPHRASE_PHRASE;
    int men = in_mention(w, nw, s, e, m, nm);
    if (men == 2 && len <= KG_QPHRASE_MAX_SPAN)
        return KG_QPHRASE_NER;
    if (len > KG_QPHRASE_MAX_WORDS)
        return -1;
    if (men == 1)
        return KG_QPHRASE_NER_PART;
    if (len == 1)
        return w[s].upper ? KG_QPHRASE_ACRONYM : w[s].caps ? KG_QPHRASE_PROPER : -1;
    if (name_shaped(w, s, e))
        return KG_QPHRASE_NAME;
    return len <= 4 ? KG_QPHRASE_CONTENT : -1;
}

static char *initials(const qword *w, int s, int e)
{
    int n = 0;
    char b[KG_QPHRASE_MAX_SPAN + 1];
    for (int k = s; k < e; k++) {
        if (w[k].inner && k != s)
            continue;
        /* A whole-text phrase (path endpoints) may be longer than any
         * acronym: no initials then (found by fuzz_qlink). */
        if (!w[k].norm[0] || (unsigned char)w[k].norm[0] >= 0x80 || n == KG_QPHRASE_MAX_SPAN)
            return NULL;
        b[n++] = w[k].norm[0];
    }
    b[n] = '\0';
    return n >= 3 ? kg_xstrdup(b) : NULL;
}

/* 0: not a phrase; 1: a phrase; GRAM_EXACT: a phrase that links only an
 * entity spelt exactly so (a common word capitalised inside the question);
 * GRAM_RUN: one that only starts a title (a common word opening it). */
#define GRAM_EXACT 2
#define GRAM_RUN 3

static int gram_ok(const qword *w, char *const *norms, int s, int e, int why)
{
    int len = e - s;
    if (why == KG_QPHRASE_PHRASE)
        return 1;
    /* Never starting or ending with a stop word, except a title written
     * with its capital inside a sentence ("the film In Love and War",
     * "stuck in The Terminal"). */
    bool title = why == KG_QPHRASE_NAME && s > 0 && len >= 2 && w[s].caps &&
                 kg_qname_gram_allowed(norms, e - 1, 1);
    if (!title && !kg_qname_gram_allowed(norms, s, len))
        return 0;
    if (len == 1) {
        if (w[s].digits && why != KG_QPHRASE_NER)
            return 0;
        if (!w[s].digits && !w[s].upper && kg_qphrase_generic(w[s].norm))
            return !w[s].caps ? 0 : s > 0 ? GRAM_EXACT : GRAM_RUN;
    }
    return 1;
}

static void add_gram(kg_qphrase **v, int *n, size_t *cap, const char *q, const qword *w, int s,
                     int e, int why, int ok)
{
    kg_vec_room(*v, *n, *cap);
    kg_qphrase *g = &(*v)[(*n)++];
    memset(g, 0, sizeof *g);
    char *raw = kg_xstrndup(q + w[s].start, w[e - 1].end - w[s].start);
    g->norm = kg_qname_norm(raw);
    free(raw);
    g->word_start = s;
    g->word_end = e;
    g->byte_start = w[s].start;
    g->byte_end = w[e - 1].end;
    g->why = (kg_qphrase_why)why;
    g->entity = !(why == KG_QPHRASE_CONTENT && e - s < 2);
    g->fuzzy = (why == KG_QPHRASE_NER || why == KG_QPHRASE_NAME || why == KG_QPHRASE_PHRASE) &&
               !(e - s == 1 && w[s].upper);
    if (e - s >= 2 && (why == KG_QPHRASE_NER || why == KG_QPHRASE_NAME || why == KG_QPHRASE_PHRASE))
        g->initials = initials(w, s, e);
    if (ok == GRAM_EXACT) {
        g->exact_only = true;
        g->fuzzy = false;
    }
    if (ok == GRAM_RUN) {
        g->run_only = true;
        g->entity = false;
        g->fuzzy = false;
    }
}

int kg_qphrases(const char *question, const kg_qphrase_span *m, size_t nm, bool phrase,
                kg_qphrase **out)
{
    *out = NULL;
    qword *w = NULL;
    int nw = words_of(question ? question : "", &w);
    kg_qphrase *v = NULL;
    int n = 0;
    size_t cap = 0;
    /* A whole-text phrase may be as long as the text. */
    int longest = phrase || nw < KG_QPHRASE_MAX_SPAN ? nw : KG_QPHRASE_MAX_SPAN;
    char **norms = kg_xcalloc((size_t)nw + 1, sizeof *norms);
    for (int i = 0; i < nw; i++)
        norms[i] = w[i].norm;
    for (int len = longest; len >= 1; len--)
        for (int s = 0; s + len <= nw; s++) {
            int why = why_of(w, nw, s, s + len, m, nm, phrase);
            int ok = why >= 0 ? gram_ok(w, norms, s, s + len, why) : 0;
            if (ok)
                add_gram(&v, &n, &cap, question, w, s, s + len, why, ok);
        }
    free(norms);
    for (int i = 0; i < nw; i++)
        free(w[i].norm);
    free(w);
    *out = v;
    return n;
}

void kg_qphrase_free(kg_qphrase *g, int n)
{
    for (int i = 0; i < n; i++) {
        free(g[i].norm);
        free(g[i].initials);
    }
    free(g);
}

/* ---- fuzzy matching ------------------------------------------------------------ */

static int count_words(const char *s)
{
    int n = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

/* The digits of s, in order (numerals must agree: "May 1998" is not
 * "May 1994"). */
static void digits_of(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        if (*s >= '0' && *s <= '9')
            out[n++] = *s;
    out[n] = '\0';
}

/* A single word shorter than 5 bytes ("jon" / "john", "deane" / "dean"
 * are different names more often than typos). */
static bool short_word(const char *s)
{
    return !strchr(s, ' ') && strlen(s) < 5;
}

double kg_qphrase_fuzzy(const char *gram, const char *name)
{
    size_t gl = strlen(gram), nl = strlen(name);
    if (!gl || !nl || strcmp(gram, name) == 0 || gram[0] != name[0])
        return 0;
    if (strncmp(gram, name, gl < nl ? gl : nl) == 0)
        return 0; /* one extends the other: a different word */
    if (count_words(gram) != count_words(name) || short_word(gram) || short_word(name))
        return 0;
    char dg[32], dn[32];
    digits_of(gram, dg, sizeof dg);
    digits_of(name, dn, sizeof dn);
    if (strcmp(dg, dn) != 0)
        return 0;
    double jw = kg_qname_jaro_winkler(gram, name);
    return jw >= KG_QPHRASE_FUZZY_JW ? 0.8 * jw : 0;
}

/* ---- reasons ------------------------------------------------------------------- */

double kg_qphrase_why_weight(kg_qphrase_why why)
{
    switch (why) {
    case KG_QPHRASE_NER:
    case KG_QPHRASE_NAME:
    case KG_QPHRASE_PHRASE: return 1.0;
    case KG_QPHRASE_PROPER:
    case KG_QPHRASE_ACRONYM: return 0.9;
    case KG_QPHRASE_NER_PART: return 0.7;
    case KG_QPHRASE_CONTENT: return 0.6;
    }
    return 0;
}

const char *kg_qphrase_why_name(kg_qphrase_why why)
{
    static const char *const names[] = {"ner",     "ner_part", "name",  "proper",
                                        "acronym", "content",  "phrase"};
    return (unsigned)why < sizeof names / sizeof names[0] ? names[why] : "?";
}
