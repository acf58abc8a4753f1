/* lemma: see lemma.h.  The tables are in generated/kg_lemma_data.c. */
#include "syntax/lemma.h"

#include <stdint.h>
#include <string.h>

#include "syntax/ptb.h"

extern const size_t kg_lemma_nbases;
extern const uint64_t kg_lemma_bases[];
extern const size_t kg_lemma_nexc;
extern const char *const kg_lemma_exc[];

int kg_lemma_class(int tag)
{
    if (kg_tag_is_noun(tag))
        return KG_LEMMA_NOUN;
    if (kg_tag_is_verb(tag) && tag != KG_T_MD)
        return KG_LEMMA_VERB;
    if (kg_tag_is_adj(tag))
        return KG_LEMMA_ADJ;
    if (tag == KG_T_RB || tag == KG_T_RBR || tag == KG_T_RBS)
        return KG_LEMMA_ADV;
    return 0;
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

bool kg_lemma_is_base(const char *word, size_t len, int mask)
{
    uint64_t key = fnv(word, len) & ~(uint64_t)0xF;
    size_t lo = 0, hi = kg_lemma_nbases;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t k = kg_lemma_bases[mid] & ~(uint64_t)0xF;
        if (k < key)
            lo = mid + 1;
        else if (k > key)
            hi = mid;
        else
            return (kg_lemma_bases[mid] & (uint64_t)mask) != 0;
    }
    return false;
}

bool kg_lemma_is_base_folded(const char *word, size_t len, int mask)
{
    char w[KG_LEMMA_MAX];
    if (len >= sizeof w)
        return false;
    for (size_t k = 0; k < len; k++)
        w[k] = word[k] >= 'A' && word[k] <= 'Z' ? (char)(word[k] + 32) : word[k];
    return kg_lemma_is_base(w, len, mask);
}

/* The irregular lemma of word[0..len) in class letter c, or NULL; *n gets
 * its length.  Rows are "form lemma c", sorted; a space sorts below every
 * character a form may hold, so rows order by form first. */
static const char *exception(const char *word, size_t len, char c, size_t *n)
{
    size_t lo = 0, hi = kg_lemma_nexc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *row = kg_lemma_exc[mid];
        size_t fl = (size_t)(strchr(row, ' ') - row);
        int cmp = memcmp(row, word, fl < len ? fl : len);
        if (cmp == 0)
            cmp = fl < len ? -1 : fl > len ? 1 : 0;
        if (cmp < 0) {
            lo = mid + 1;
            continue;
        }
        if (cmp > 0) {
            hi = mid;
            continue;
        }
        /* The form matches: find the row of class c among its neighbours. */
        size_t first = mid;
        while (first > 0 && strncmp(kg_lemma_exc[first - 1], row, fl + 1) == 0)
            first--;
        for (size_t i = first; i < kg_lemma_nexc && strncmp(kg_lemma_exc[i], row, fl + 1) == 0;
             i++) {
            const char *lem = kg_lemma_exc[i] + fl + 1;
            const char *sp = strchr(lem, ' ');
            if (sp[1] == c) {
                *n = (size_t)(sp - lem);
                return lem;
            }
        }
        return NULL;
    }
    return NULL;
}

typedef struct rule {
    const char *suffix, *repl;
} rule;

static const rule noun_rules[] = {{"s", ""},      {"ses", "s"},   {"xes", "x"},
                                  {"zes", "z"},   {"ches", "ch"}, {"shes", "sh"},
                                  {"men", "man"}, {"ies", "y"},   {NULL, NULL}};
static const rule verb_rules[] = {{"s", ""},  {"ies", "y"}, {"es", "e"}, {"es", ""},  {"ed", "e"},
                                  {"ed", ""}, {"ing", "e"}, {"ing", ""}, {NULL, NULL}};
static const rule adj_rules[] = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}, {NULL, NULL}};

/* The first candidate of the rules that WordNet lists as a base of cls. */
static size_t detach(const char *w, size_t len, const rule *rules, int cls, char *out, size_t cap)
{
    for (const rule *r = rules; r->suffix; r++) {
        size_t sl = strlen(r->suffix), rl = strlen(r->repl);
        if (len <= sl || memcmp(w + len - sl, r->suffix, sl) != 0)
            continue;
        size_t stem = len - sl;
        if (stem + rl >= cap)
            continue;
        char cand[KG_LEMMA_MAX];
        memcpy(cand, w, stem);
        memcpy(cand + stem, r->repl, rl);
        if (kg_lemma_is_base(cand, stem + rl, cls)) {
            memcpy(out, cand, stem + rl);
            out[stem + rl] = 0;
            return stem + rl;
        }
    }
    return 0;
}

/* Does w[0..len) end in suf, with at least one letter before it? */
static bool ends_with(const char *w, size_t len, const char *suf)
{
    size_t n = strlen(suf);
    return len > n && memcmp(w + (len - n), suf, n) == 0;
}

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Regular verb endings by spelling alone, for verbs WordNet does not list. */
static size_t verb_spelling(const char *w, size_t len, char *out, size_t cap)
{
    size_t n = len;
    const char *add = "";
    if (len > 4 && memcmp(w + len - 3, "ied", 3) == 0) {
        n = len - 3;
        add = "y";
    } else if (len > 4 && memcmp(w + len - 3, "ing", 3) == 0) {
        n = len - 3;
    } else if (len > 3 && memcmp(w + len - 2, "ed", 2) == 0) {
        n = len - 2;
    } else if (len > 3 && memcmp(w + len - 3, "ies", 3) == 0) {
        n = len - 3;
        add = "y";
    } else if (len > 3 && w[len - 1] == 's' && w[len - 2] != 's') {
        n = len - 1;
        if (len > 4 && w[len - 2] == 'e' && strchr("sxzh", w[len - 3]))
            n = len - 2;
    }
    /* "stopped" -> "stop": a doubled final consonant after a vowel. */
    if (n < len && !*add && n >= 3 && w[n - 1] == w[n - 2] && !vowel(w[n - 1]) &&
        !strchr("lsz", w[n - 1]) && vowel(w[n - 3]))
        n--;
    /* "curated" -> "curate", "stabilized" -> "stabilize" (Porter's step
     * 1b): an ending cut from these is followed by an e. */
    if (n < len && !*add && n >= 3 &&
        (memcmp(w + n - 2, "at", 2) == 0 || memcmp(w + n - 2, "iz", 2) == 0 ||
         memcmp(w + n - 2, "bl", 2) == 0))
        add = "e";
    size_t al = strlen(add);
    if (n + al >= cap)
        n = cap - 1 - al;
    memcpy(out, w, n);
    memcpy(out + n, add, al);
    out[n + al] = 0;
    return n + al;
}

/* Closed-class forms WordNet leaves out. */
static const char *closed_form(const char *w, size_t len, int tag)
{
#define IS(s) (len == sizeof(s) - 1 && memcmp(w, s, len) == 0)
    if (IS("'s") || IS("\xe2\x80\x99s"))
        return tag == KG_T_POS ? "'s" : tag == KG_T_VBZ ? "be" : NULL;
    if (IS("'re") || IS("'m") || IS("ai"))
        return "be";
    if (IS("'ve"))
        return "have";
    if (IS("'ll") || IS("wo"))
        return "will";
    if (IS("n't") || IS("\xe2\x80\x99t"))
        return "not";
    if (IS("ca"))
        return "can";
    if (IS("'d"))
        return tag == KG_T_MD ? "would" : "have";
#undef IS
    return NULL;
}

static size_t put(char *out, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = 0;
    return n;
}

size_t kg_lemma(const char *word, size_t len, int tag, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    char w[KG_LEMMA_MAX];
    if (len >= sizeof w)
        return put(out, cap, word, len);
    for (size_t i = 0; i < len; i++)
        w[i] = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] + 32) : word[i];
    w[len] = 0;
    const char *cf = closed_form(w, len, tag);
    if (cf)
        return put(out, cap, cf, strlen(cf));
    /* "co-wrote" -> "co-write": a prefix kept whole by syntax/words, the rest
     * lemmatised. */
    const char *hy = memchr(w, '-', len);
    if (hy && hy > w && (size_t)(hy - w) + 2 < len) {
        size_t pre = (size_t)(hy - w) + 1;
        if (pre + 1 < cap) {
            memcpy(out, w, pre);
            return pre + kg_lemma(w + pre, len - pre, tag, out + pre, cap - pre);
        }
    }
    int cls = kg_lemma_class(tag);
    if (!cls || tag == KG_T_NNP || tag == KG_T_NN)
        return put(out, cap, w, len);
    char letter = cls == KG_LEMMA_NOUN   ? 'n'
                  : cls == KG_LEMMA_VERB ? 'v'
                  : cls == KG_LEMMA_ADJ  ? 'a'
                                         : 'r';
    size_t n = 0;
    const char *ex = exception(w, len, letter, &n);
    if (ex)
        return put(out, cap, ex, n);
    bool base_tag = tag == KG_T_VB || tag == KG_T_VBP || tag == KG_T_JJ || tag == KG_T_RB;
    if (base_tag && kg_lemma_is_base(w, len, cls))
        return put(out, cap, w, len);
    const rule *rules = cls == KG_LEMMA_NOUN   ? noun_rules
                        : cls == KG_LEMMA_VERB ? verb_rules
                        : cls == KG_LEMMA_ADJ  ? adj_rules
                                               : NULL;
    if (rules && (n = detach(w, len, rules, cls, out, cap)) > 0)
        return n;
    if (kg_lemma_is_base(w, len, cls))
        return put(out, cap, w, len);
    /* British doubling of a final l ("remodelled", "travelling"): the
     * verb WordNet lists has one. */
    size_t end = 0;
    if (ends_with(w, len, "lled"))
        end = 3;
    if (ends_with(w, len, "lling"))
        end = 4;
    if (cls == KG_LEMMA_VERB && end && kg_lemma_is_base(w, len - end, KG_LEMMA_VERB))
        return put(out, cap, w, len - end);
    /* A word WordNet knows only as a noun or an adjective, tagged as a
     * verb form ("watershed" read as a past tense), is that word: cut by
     * spelling it would become a stem ("watersh"). */
    if (cls == KG_LEMMA_VERB && !base_tag &&
        !kg_lemma_is_base(w, len, KG_LEMMA_NOUN | KG_LEMMA_ADJ))
        return verb_spelling(w, len, out, cap);
    return put(out, cap, w, len);
}
