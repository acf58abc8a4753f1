/* ner_rules: candidate spans and their types (stage 2 of ner.h).
 *
 * Passes over the token array, each marking the tokens it claims:
 *   1. number patterns: dates, money, percentages;
 *   2. acronym definitions "Long Form (LF)": both spans, and LF remembered;
 *   3. capitalised sequences (joined across "of", "de", "&" where names do),
 *      trimmed of determiners, titles and sentence-initial common words, then
 *      typed by, in order of trust: in-text propagation, title/citation
 *      context, whole-phrase gazetteer, head words, lowercase heads to the
 *      right, role nouns to the left, given/family names, shape defaults;
 *   4. a second look at weakly typed spans using what the text itself
 *      established (a surname seen in a full name, an acronym defined later).
 * Every decision records an evidence bit so a scorer can weigh it. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ner/ner.h"
#include "ner/ner_internal.h"

#define WEAK_EV (KG_NER_EV_DEFAULT | KG_NER_EV_LOCPREP | KG_NER_EV_ALLCAPS)

/* ---- small helpers -------------------------------------------------------- */

static inline const ner_tok *T(const ner_ctx *c, size_t i)
{
    static const ner_tok none = {0, 0, 0, 0, 0, 0};
    return i < c->ntok ? &c->tok[i] : &none;
}

/* The key of in-text propagation: a single token's own hash (the
 * scanner's), else the phrase's. */
static uint64_t phrase_hash(const ner_ctx *c, size_t i, size_t j)
{
    return j == i + 1 ? c->tok[i].h : ner_phrase_hash(c, i, j);
}

static int numeric_value(const ner_ctx *c, size_t i, unsigned *v)
{
    const ner_tok *t = T(c, i);
    if (!(t->shape & NT_NUM) || t->e - t->s > 9)
        return 0;
    unsigned x = 0;
    for (uint32_t k = t->s; k < t->e; k++) {
        char ch = c->text[k];
        if (ch < '0' || ch > '9')
            return 0;
        x = x * 10 + (unsigned)(ch - '0');
    }
    *v = x;
    return 1;
}

static int is_year(const ner_ctx *c, size_t i)
{
    unsigned v;
    return T(c, i)->e - T(c, i)->s == 4 && numeric_value(c, i, &v) && v >= 1000 && v <= 2099;
}

static int is_day(const ner_ctx *c, size_t i)
{
    const ner_tok *t = T(c, i);
    unsigned v;
    if (numeric_value(c, i, &v))
        return v >= 1 && v <= 31 && t->e - t->s <= 2;
    /* 1st 2nd 3rd 4th ... 31st */
    size_t n = t->e - t->s;
    if (!(t->shape & NT_DIGIT) || n < 3 || n > 4)
        return 0;
    const char *s = c->text + t->s;
    return (s[n - 2] | 32) >= 'a' && (s[n - 1] | 32) >= 'a' && s[n - 3] >= '0' && s[n - 3] <= '9';
}

/* "1990s", "1990-1995", "2019-03-04" */
static int is_year_like(const ner_ctx *c, size_t i)
{
    const ner_tok *t = T(c, i);
    const char *s = c->text + t->s;
    size_t n = t->e - t->s;
    if (n < 5 || !(t->shape & NT_DIGIT))
        return 0;
    for (int k = 0; k < 4; k++)
        if (s[k] < '0' || s[k] > '9')
            return 0;
    if (s[0] != '1' && s[0] != '2')
        return 0;
    if (n == 5 && s[4] == 's')
        return 1;
    if (s[4] != '-')
        return 0;
    for (size_t k = 5; k < n; k++)
        if ((s[k] < '0' || s[k] > '9') && s[k] != '-')
            return 0;
    return n == 9 || n == 10 || n == 7;
}

static void add_cand(ner_ctx *c, size_t i, size_t j, int type, uint32_t ev)
{
    if (c->ncand == c->candcap) {
        size_t ncap = c->candcap * 2;
        ner_cand *nv = kg_xmalloc(ncap * sizeof *nv);
        memcpy(nv, c->cand, c->ncand * sizeof *nv);
        if (c->cand != c->cand_inline)
            free(c->cand);
        c->cand = nv;
        c->candcap = ncap;
    }
    ner_cand *k = &c->cand[c->ncand++];
    k->ti = (uint32_t)i;
    k->tj = (uint32_t)j;
    k->type = (uint8_t)type;
    k->ev = ev;
    for (size_t q = i; q < j; q++)
        c->tok[q].shape |= NT_USED;
}

/* ---- in-text propagation table ------------------------------------------- */

static void prop_put(ner_ctx *c, uint64_t h, int type)
{
    if (h == 0 || c->pcount * 2 >= c->pmask)
        return; /* full: propagation is a bonus, never a requirement */
    size_t i = (size_t)h & c->pmask;
    while (c->pkey[i] && c->pkey[i] != h)
        i = (i + 1) & c->pmask;
    if (!c->pkey[i]) {
        c->pkey[i] = h;
        c->pcount++;
        c->ptype[i] = (uint8_t)type;
    }
}

static int prop_get(const ner_ctx *c, uint64_t h)
{
    size_t i = (size_t)h & c->pmask;
    while (c->pkey[i]) {
        if (c->pkey[i] == h)
            return c->ptype[i];
        i = (i + 1) & c->pmask;
    }
    return NTY_NONE;
}

/* ---- pass 1: numbers ------------------------------------------------------ */

static size_t with_numword(const ner_ctx *c, size_t e)
{
    return (T(c, e)->gz & KG_GZ(NUMWORD)) && (T(c, e)->shape & NT_LOWER) ? e + 1 : e;
}

static void pass_numbers(ner_ctx *c)
{
    for (size_t i = 0; i < c->ntok; i++) {
        const ner_tok *t = &c->tok[i];
        if (t->shape & NT_USED)
            continue;
        const uint32_t ev = KG_NER_EV_PATTERN;
        if ((t->shape & NT_CURSYM) && (T(c, i + 1)->shape & NT_DIGIT)) {
            size_t e = with_numword(c, i + 2);
            add_cand(c, i, e, NTY_MONEY, ev);
            i = e - 1;
            continue;
        }
        if ((t->gz & KG_GZ(CURCODE)) && (t->shape & NT_ALLCAP) && (T(c, i + 1)->shape & NT_NUM)) {
            size_t e = with_numword(c, i + 2);
            add_cand(c, i, e, NTY_MONEY, ev);
            i = e - 1;
            continue;
        }
        if (t->shape & NT_NUM) {
            size_t e = with_numword(c, i + 1);
            const ner_tok *u = T(c, e);
            if ((u->gz & KG_GZ(CURRENCY)) || ((u->gz & KG_GZ(CURCODE)) && (u->shape & NT_ALLCAP))) {
                add_cand(c, i, e + 1, NTY_MONEY, ev);
                i = e;
                continue;
            }
            if (ner_tok_is(c, e, "%") || (u->gz & KG_GZ(PERCENTWORD))) {
                add_cand(c, i, e + 1, NTY_PERCENT, ev);
                i = e;
                continue;
            }
            if (ner_tok_is(c, e, "per") && ner_tok_is(c, e + 1, "cent")) {
                add_cand(c, i, e + 2, NTY_PERCENT, ev);
                i = e + 1;
                continue;
            }
        }
        if ((t->gz & KG_GZ(MONTH)) && (t->shape & NT_CAP)) {
            size_t s = i, e = i + 1;
            if (i > 0 && is_day(c, i - 1) && !(c->tok[i - 1].shape & NT_USED))
                s = i - 1;
            else if (i > 1 && ner_tok_is(c, i - 1, "of") && is_day(c, i - 2) &&
                     !(c->tok[i - 2].shape & NT_USED))
                s = i - 2;
            if (is_day(c, e))
                e++;
            if (ner_tok_is(c, e, ",") && is_year(c, e + 1))
                e += 2;
            else if (is_year(c, e))
                e++;
            /* "May", "Mar" and abbreviations need a number beside them. */
            int weak = t->e - t->s <= 3 || ner_tok_is(c, i, "march");
            if (!(weak && s == i && e == i + 1))
                add_cand(c, s, e, NTY_DATE, ev);
            i = e - 1;
            continue;
        }
        if ((t->gz & KG_GZ(WEEKDAY)) && (t->shape & NT_CAP)) {
            add_cand(c, i, i + 1, NTY_DATE, ev);
            continue;
        }
        if ((is_year(c, i) || is_year_like(c, i)) &&
            !(T(c, i + 1)->gz & (KG_GZ(NUMWORD) | KG_GZ(CURRENCY))) && !ner_tok_is(c, i + 1, "%")) {
            add_cand(c, i, i + 1, NTY_DATE, ev);
            continue;
        }
    }
}

/* ---- type guesses from head words ------------------------------------------ */

static int head_type(uint64_t f)
{
    if (f & (KG_GZ(ORGSUF) | KG_GZ(ORGHEAD)))
        return NTY_ORG;
    if (f & KG_GZ(GPEHEAD))
        return NTY_GPE;
    if (f & KG_GZ(LOCHEAD))
        return NTY_LOC;
    if (f & KG_GZ(EVENTHEAD))
        return NTY_EVENT;
    if (f & KG_GZ(LAWHEAD))
        return NTY_LAW;
    if (f & KG_GZ(DATASETHEAD))
        return NTY_DATASET;
    if (f & KG_GZ(CONCEPTHEAD))
        return NTY_CONCEPT;
    return NTY_NONE;
}

static int gaz_type(uint64_t f, int multi)
{
    if ((f & KG_GZ(PERSON)) && multi)
        return NTY_PERSON;
    if (f & (KG_GZ(COUNTRY) | KG_GZ(SUBDIV) | KG_GZ(CITY)))
        return NTY_GPE;
    if (f & KG_GZ(LOCNAME))
        return NTY_LOC;
    if (f & KG_GZ(ORGNAME))
        return NTY_ORG;
    if (f & KG_GZ(DATASETNAME))
        return NTY_DATASET;
    if (f & KG_GZ(NORP))
        return NTY_NORP;
    if (f & KG_GZ(LANGUAGE))
        return NTY_LANGUAGE;
    if (f & KG_GZ(EVENTNAME))
        return NTY_EVENT;
    if (f & KG_GZ(PRODUCTNAME))
        return NTY_PRODUCT;
    if (f & KG_GZ(CONCEPTNAME))
        return NTY_CONCEPT;
    if (f & KG_GZ(WORKNAME))
        return NTY_WORK;
    if (f & KG_GZ(PERSON))
        return NTY_PERSON;
    return NTY_NONE;
}

/* ---- pass 2: acronym definitions ------------------------------------------ */

static int initial_lower(const ner_ctx *c, uint32_t pos)
{
    unsigned char ch = (unsigned char)c->text[pos];
    return (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch;
}

static void pass_acronyms(ner_ctx *c)
{
    for (size_t i = 1; i + 2 < c->ntok; i++) {
        const ner_tok *a = &c->tok[i + 1];
        if (!ner_tok_is(c, i, "(") || !ner_tok_is(c, i + 2, ")") || !(a->shape & NT_WORD) ||
            (a->shape & NT_USED))
            continue;
        char L[12];
        size_t m = 0;
        for (uint32_t k = a->s; k < a->e && m < sizeof L; k++) {
            char ch = c->text[k];
            if (ch >= 'A' && ch <= 'Z')
                L[m++] = (char)(ch + 32);
        }
        if (m < 2 || m >= sizeof L || !(a->shape & (NT_ALLCAP | NT_MIXED | NT_CAP)))
            continue;
        long k = (long)m - 1;
        size_t b = i; /* long form is [b, i) */
        while (k >= 0 && b > 0 && i - b < m + 4) {
            const ner_tok *t = &c->tok[b - 1];
            if (!(t->shape & NT_WORD) || (t->shape & NT_USED))
                break;
            /* initials of the hyphen parts: "Short-Term" -> s, t */
            char ini[8];
            size_t np = 0;
            ini[np++] = (char)initial_lower(c, t->s);
            for (uint32_t q = t->s + 1; q + 1 < t->e && np < sizeof ini; q++)
                if (c->text[q] == '-')
                    ini[np++] = (char)initial_lower(c, q + 1);
            int ok = (long)np <= k + 1;
            for (size_t q = 0; ok && q < np; q++)
                ok = ini[q] == L[k - (long)np + 1 + (long)q];
            if (ok)
                k -= (long)np;
            else if (ini[0] == L[k])
                k--;
            else if ((t->gz & KG_GZ(FUNC)) && k < (long)m - 1)
                ; /* "Department of Defense (DoD)": skip "of" */
            else
                break;
            b--;
        }
        if (k >= 0 || b == i || (c->tok[b].gz & KG_GZ(FUNC)))
            continue;
        uint64_t lf = ner_phrase_flags(c, b, i);
        int type = head_type(c->tok[i - 1].gz);
        if (type == NTY_NONE)
            type = gaz_type(lf, 1);
        if (type == NTY_NONE) {
            /* Capitalised long forms without a method-like head are mostly
             * organisations ("National Basketball Association" has a head,
             * "Irish Republican Army" too); lowercase ones are methods. */
            type = (c->tok[b].shape & NT_CAP) && !(c->tok[i - 1].gz & KG_GZ(CONCEPTHEAD))
                       ? NTY_ORG
                       : NTY_CONCEPT;
        }
        add_cand(c, b, i, type, KG_NER_EV_ACRONYM | KG_NER_EV_CAPS);
        add_cand(c, i + 1, i + 2, type, KG_NER_EV_ACRONYM | KG_NER_EV_ALLCAPS);
        prop_put(c, a->h, type);
        prop_put(c, phrase_hash(c, b, i), type);
    }
}

/* ---- pass 3: capitalised sequences ------------------------------------------ */

static int cap_word(const ner_tok *t)
{
    return (t->shape & NT_WORD) && !(t->shape & (NT_USED | NT_DIGIT)) &&
           (t->shape & (NT_CAP | NT_ALLCAP | NT_MIXED));
}

/* type_span's last rules, when the span itself says nothing: the word
 * after it (a lower-case head: "Gaussian process"), the word before it (a
 * role noun, a place preposition), name lists, and the shape default. */
static int type_by_context(ner_ctx *c, size_t i, size_t *jp, uint64_t first, uint64_t last,
                           int any_common, uint32_t *evp)
{
    size_t j = *jp, len = j - i;
    uint32_t ev = KG_NER_EV_CAPS;
    const ner_tok *r = T(c, j);
    if ((r->shape & NT_LOWER) && (r->gz & KG_GZ(CONCEPTHEAD)) && !(r->gz & KG_GZ(FUNC))) {
        size_t e = j + 1;
        if ((T(c, e)->shape & NT_LOWER) && (T(c, e)->gz & KG_GZ(CONCEPTHEAD)))
            e++;
        *jp = e;
        *evp = ev | KG_NER_EV_LOWERHEAD;
        return NTY_CONCEPT;
    }
    if ((r->shape & NT_LOWER) && (r->gz & KG_GZ(DATASETHEAD))) {
        *evp = ev | KG_NER_EV_LOWERHEAD;
        return NTY_DATASET;
    }
    if (i >= 1 && (c->tok[i - 1].shape & NT_LOWER)) {
        uint64_t l = c->tok[i - 1].gz;
        if (l & KG_GZ(ORGNOUN)) {
            *evp = ev | KG_NER_EV_ROLE;
            return NTY_ORG;
        }
        if (l & KG_GZ(PERSONNOUN)) {
            *evp = ev | KG_NER_EV_ROLE;
            return NTY_PERSON;
        }
    }
    if (i >= 2 && ner_tok_is(c, i - 1, "of") && (c->tok[i - 2].gz & KG_GZ(GPENOUN)) &&
        (c->tok[i - 2].shape & NT_LOWER)) {
        *evp = ev | KG_NER_EV_ROLE;
        return NTY_GPE;
    }
    if (len >= 2 && (first & KG_GZ(FIRST))) {
        *evp = ev | KG_NER_EV_FIRSTNAME | ((last & KG_GZ(LAST)) ? KG_NER_EV_SURNAME : 0);
        return NTY_PERSON;
    }
    if ((len >= 2 || !any_common) && (last & KG_GZ(LAST))) {
        *evp = ev | KG_NER_EV_SURNAME;
        return NTY_PERSON;
    }
    if (len == 1 && (first & KG_GZ(PERSONNOUN)) == 0 && (c->tok[i].shape & NT_ALLCAP)) {
        *evp = ev | KG_NER_EV_ALLCAPS;
        return NTY_ORG;
    }
    if (i >= 1 && (c->tok[i - 1].gz & KG_GZ(LOCPREP)) && (c->tok[i - 1].shape & NT_LOWER)) {
        *evp = ev | KG_NER_EV_LOCPREP;
        return NTY_GPE;
    }
    /* Shape default: dictionary words make up organisation and work names,
     * non-dictionary words make up personal names. */
    *evp = ev | KG_NER_EV_DEFAULT;
    if (len >= 2 && !any_common)
        return NTY_PERSON;
    /* A lone capitalised word that is in no dictionary is most often a
     * family name; a lone dictionary word or an unknown run of them is left
     * untyped, as guessing costs more precision than it buys recall. */
    if (len == 1)
        return any_common ? NTY_NONE : NTY_PERSON;
    return NTY_NONE;
}

/* Type span [i, *j); may widen *j to take in a right-hand head or suffix. */
static int type_span(ner_ctx *c, size_t i, size_t *jp, uint32_t *evp, int titled)
{
    size_t j = *jp, len = j - i;
    uint32_t ev = KG_NER_EV_CAPS;
    uint64_t ph = ner_phrase_flags(c, i, j);
    uint64_t first = c->tok[i].gz, last = c->tok[j - 1].gz;
    const ner_tok *r = T(c, j);
    int t, any_common = 0;
    for (size_t k = i; k < j; k++)
        if (c->tok[k].gz & KG_GZ(COMMON))
            any_common = 1;

    if ((t = prop_get(c, phrase_hash(c, i, j))) != NTY_NONE) {
        *evp = ev | KG_NER_EV_PROPAGATED;
        return t;
    }
    if (titled || (i >= 1 && (c->tok[i - 1].gz & KG_GZ(TITLE)) && (c->tok[i - 1].shape & NT_CAP)) ||
        (i >= 2 && ner_tok_is(c, i - 1, ".") && (c->tok[i - 2].gz & KG_GZ(TITLE)))) {
        *evp = ev | KG_NER_EV_TITLE;
        return NTY_PERSON;
    }
    if (ner_tok_is(c, j, "et") && j + 1 < c->ntok && ner_tok_is(c, j + 1, "al")) {
        *evp = ev | KG_NER_EV_ETAL;
        return NTY_PERSON;
    }
    if (len <= 3 && ((ner_tok_is(c, j, "(") && is_year(c, j + 1)) ||
                     ((r->shape & NT_POSS) && (T(c, j + 1)->shape & NT_LOWER) &&
                      ((T(c, j + 1)->gz & KG_GZ(CONCEPTHEAD)) || ner_tok_is(c, j + 1, "law"))))) {
        *evp = ev | KG_NER_EV_CITATION;
        return NTY_PERSON;
    }
    if (ner_tok_is(c, j, ",") && (T(c, j + 1)->gz & KG_GZ(ORGSUF))) {
        *jp = j + 2;
        *evp = ev | KG_NER_EV_ORGSUFFIX;
        return NTY_ORG;
    }
    if ((t = gaz_type(ph, len > 1)) != NTY_NONE) {
        if (t == NTY_NORP && (ph & KG_GZ(LANGUAGE)) &&
            (ner_tok_is(c, j, "language") || !(r->shape & NT_WORD) ||
             ner_tok_is(c, i - 1, "into") || ner_tok_is(c, i - 1, "speak") ||
             ner_tok_is(c, i - 1, "speaks") || ner_tok_is(c, i - 1, "spoken")))
            t = NTY_LANGUAGE;
        if (t == NTY_NORP && (r->shape & NT_LOWER) && (r->gz & KG_GZ(CONCEPTHEAD)) &&
            !(ph & (KG_GZ(COUNTRY) | KG_GZ(CITY)))) {
            /* "Gaussian process"-like: fall through to the lowercase head */
        } else {
            *evp = ev | KG_NER_EV_GAZ;
            return t;
        }
    }
    if (len >= 2) {
        if (last & KG_GZ(ORGSUF)) {
            *evp = ev | KG_NER_EV_ORGSUFFIX;
            return NTY_ORG;
        }
        for (size_t k = i + 1; k + 1 < j; k++) {
            if (ner_tok_is(c, k, "of")) {
                t = head_type(first);
                if (t == NTY_NONE && (first & KG_GZ(TITLE)))
                    t = NTY_PERSON;
                if (t == NTY_NONE && (first & KG_GZ(PREFIXHEAD)))
                    t = NTY_ORG;
                if (t != NTY_NONE) {
                    *evp = ev | KG_NER_EV_OFPHRASE | KG_NER_EV_HEAD;
                    return t;
                }
                break;
            }
        }
        if ((t = head_type(last)) != NTY_NONE) {
            *evp = ev | KG_NER_EV_HEAD;
            return t;
        }
    }
    return type_by_context(c, i, jp, first, last, any_common, evp);
}

static void pass_caps(ner_ctx *c)
{
    for (size_t i = 0; i < c->ntok; i++) {
        if (!cap_word(&c->tok[i]))
            continue;
        int has_prefix = (c->tok[i].gz & KG_GZ(PREFIXHEAD)) != 0;
        size_t j = i + 1;
        while (j < c->ntok) {
            const ner_tok *t = &c->tok[j];
            if (cap_word(t) && !(t->gz & KG_GZ(FUNC))) {
                has_prefix |= (t->gz & KG_GZ(PREFIXHEAD)) != 0;
                j++;
            } else if ((t->shape & NT_LOWER) && (t->gz & KG_GZ(NAMEJOIN)) &&
                       cap_word(T(c, j + 1))) {
                j += 2;
            } else if (ner_tok_is(c, j, "of") && has_prefix && cap_word(T(c, j + 1))) {
                j += 2;
            } else if (ner_tok_is(c, j, "of") && has_prefix && ner_tok_is(c, j + 1, "the") &&
                       cap_word(T(c, j + 2))) {
                j += 3;
            } else if (ner_tok_is(c, j, ".") && T(c, j - 1)->e - T(c, j - 1)->s == 1 &&
                       (T(c, j - 1)->shape & NT_CAP) && cap_word(T(c, j + 1))) {
                j += 2; /* middle initial: "George F. Kennan" */
            } else if (ner_tok_is(c, j, "&") && cap_word(T(c, j + 1))) {
                j += 2;
            } else {
                break;
            }
        }
        size_t end = j;
        int titled = 0;
        /* Trim the front: determiners, sentence-initial common words, titles. */
        while (i < j) {
            const ner_tok *t = &c->tok[i];
            uint64_t ph = ner_phrase_flags(c, i, j);
            if ((ph & KG_GZ_NAMELIKE) && (j - i >= 2 || !(t->gz & KG_GZ(FUNC))))
                break;
            if ((t->gz & KG_GZ(TITLE)) && j - i == 1) {
                i++; /* a lone title ("Dr.") names nobody */
                continue;
            }
            /* A capitalised "The" mid-sentence belongs to the name
             * ("The Mad Capsule Markets"); elsewhere determiners go. */
            if (ner_tok_is(c, i, "the") && (t->shape & NT_CAP) && !(t->shape & NT_SENT) &&
                j - i >= 2 && !(c->tok[i + 1].gz & KG_GZ_NAMELIKE))
                break;
            if ((t->gz & KG_GZ(FUNC)) || !cap_word(t)) {
                i++;
                continue;
            }
            if ((t->gz & KG_GZ(PERSONNOUN)) && (t->shape & NT_CAP) && j - i >= 2 &&
                (c->tok[i + 1].gz & KG_GZ(FIRST))) {
                titled = 1; /* "Engineer John Greiner": a role used as a title */
                i++;
                continue;
            }
            if ((t->gz & KG_GZ(TITLE)) && j - i >= 2 &&
                !(c->tok[j - 1].gz & (KG_GZ(ORGSUF) | KG_GZ(ORGHEAD))) &&
                !ner_tok_is(c, i + 1, "of")) {
                titled = 1;
                i++;
                if (ner_tok_is(c, i, "."))
                    i++;
                continue;
            }
            if ((t->shape & NT_SENT) && (t->gz & KG_GZ(COMMON)) && !(t->gz & KG_GZ_NAMELIKE) &&
                !(j - i >= 3 && ner_tok_is(c, i + 1, "of"))) {
                /* Remember it untyped: a later full name may vouch for it. */
                if (j - i == 1)
                    add_cand(c, i, i + 1, NTY_NONE, KG_NER_EV_CAPS);
                i++;
                continue;
            }
            break;
        }
        if (i < j) {
            uint32_t ev = 0;
            size_t jj = j;
            int type = type_span(c, i, &jj, &ev, titled);
            /* "Inc.", "D.C." and "Jr." keep their period. */
            if (ner_tok_is(c, jj, ".") && c->tok[jj].s == c->tok[jj - 1].e &&
                ((c->tok[jj - 1].gz & (KG_GZ(ORGSUF) | KG_GZ(ABBREV))) ||
                 memchr(c->text + c->tok[jj - 1].s, '.', c->tok[jj - 1].e - c->tok[jj - 1].s)))
                jj++;
            add_cand(c, i, jj, type, ev);
            if (type == NTY_PERSON && jj - i >= 2 && !(ev & WEAK_EV)) {
                prop_put(c, c->tok[jj - 1].h, NTY_PERSON);
                prop_put(c, c->tok[i].h, NTY_PERSON);
            }
            if (!(ev & WEAK_EV))
                prop_put(c, phrase_hash(c, i, jj), type);
            if (jj > end)
                end = jj;
        }
        i = end - 1;
    }
}

/* ---- pass 4: in-text propagation for weak guesses ---------------------------- */

static void pass_propagate(ner_ctx *c)
{
    for (size_t k = 0; k < c->ncand; k++) {
        ner_cand *d = &c->cand[k];
        if (d->type != NTY_NONE && !(d->ev & WEAK_EV))
            continue;
        int t = prop_get(c, phrase_hash(c, d->ti, d->tj));
        if (t != NTY_NONE) {
            d->type = (uint8_t)t;
            d->ev = (d->ev & ~(uint32_t)WEAK_EV) | KG_NER_EV_PROPAGATED;
        }
    }
}

static int cand_cmp(const void *a, const void *b)
{
    const ner_cand *x = a, *y = b;
    return x->ti < y->ti ? -1 : x->ti > y->ti;
}

int ner_propose(ner_ctx *c)
{
    pass_numbers(c);
    pass_acronyms(c);
    pass_caps(c);
    pass_propagate(c);
    qsort(c->cand, c->ncand, sizeof *c->cand, cand_cmp);
    return 0;
}

void ner_rule_marks(ner_ctx *c)
{
    size_t n = c->ntok ? c->ntok : 1;
    c->rtype = kg_xcalloc(n, 1);
    c->rpos = kg_xcalloc(n, 1);
    c->rev = kg_xcalloc(n, sizeof *c->rev);
    for (size_t k = 0; k < c->ncand; k++) {
        const ner_cand *d = &c->cand[k];
        if (d->type == NTY_NONE || d->tj <= d->ti || d->tj > c->ntok)
            continue;
        for (uint32_t i = d->ti; i < d->tj; i++) {
            c->rtype[i] = d->type;
            c->rpos[i] = d->tj - d->ti == 1 ? 4 : i == d->ti ? 1 : i + 1 == d->tj ? 3 : 2;
            c->rev[i] = d->ev;
        }
    }
}
