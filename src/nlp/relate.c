/* relate: see relate.h.  Each sentence's mentions are taken in text order;
 * each neighbouring pair's in-between words are tokenised, lower-cased and
 * stemmed once, then tried against apposition, phrase and verb rules in that
 * order; whatever pairs remain untyped become co-occurrences.  Pattern
 * phrases are written as ordinary words below and stemmed with the same
 * stemmer at run time, so "works for", "worked for" and "working for" meet
 * at "work for" without hand-written stems. */
#include "nlp/relate.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "base/buf.h"
#include "base/hash.h"

#define CONF_PATTERN 0.85
#define CONF_APPOS 0.75
#define CONF_VERB 0.70
#define CONF_COOCCUR 0.40
#define MAX_WORDS 16 /* longer gaps between mentions are not one relation */
#define MAX_PREFIX 2 /* adverbs/adjectives allowed before a phrase */

typedef struct phrase {
    const char *words; /* space-separated, as written in text */
    const char *type;
} phrase;

static const phrase patterns[] = {
    {"works for", "WORKS_FOR"},
    {"works at", "WORKS_FOR"},
    {"employed by", "WORKS_FOR"},
    {"employed at", "WORKS_FOR"},
    {"ceo of", "WORKS_FOR"},
    {"president of", "WORKS_FOR"},
    {"professor at", "WORKS_FOR"},
    {"researcher at", "WORKS_FOR"},
    {"scientist at", "WORKS_FOR"},
    {"engineer at", "WORKS_FOR"},
    {"located in", "LOCATED_IN"},
    {"based in", "LOCATED_IN"},
    {"headquartered in", "LOCATED_IN"},
    {"situated in", "LOCATED_IN"},
    {"founded", "CREATED"},
    {"co-founded", "CREATED"},
    {"created", "CREATED"},
    {"developed", "CREATED"},
    {"proposed", "CREATED"},
    {"introduced", "CREATED"},
    {"invented", "CREATED"},
    {"founder of", "CREATED"},
    {"leads", "LEADS"},
    {"heads", "LEADS"},
    {"directs", "LEADS"},
    {"manages", "LEADS"},
    {"member of", "MEMBER_OF"},
    {"part of", "MEMBER_OF"},
    {"partners with", "COLLABORATES_WITH"},
    {"partnered with", "COLLABORATES_WITH"},
    {"collaborates with", "COLLABORATES_WITH"},
    {"works with", "COLLABORATES_WITH"},
    {"owns", "OWNS"},
    {"cites", "CITES_OR_EXTENDS"},
    {"builds on", "CITES_OR_EXTENDS"},
    {"extends", "CITES_OR_EXTENDS"},
    {"uses", "USES"},
    {"applies", "USES"},
    {"evaluated on", "USES"},
    {"trained on", "USES"},
};

static const phrase appositions[] = {
    {"director of", "LEADS"},       {"head of", "LEADS"},          {"leader of", "LEADS"},
    {"chair of", "LEADS"},          {"chairman of", "LEADS"},      {"founder of", "CREATED"},
    {"co-founder of", "CREATED"},   {"professor at", "WORKS_FOR"}, {"professor of", "WORKS_FOR"},
    {"researcher at", "WORKS_FOR"}, {"scientist at", "WORKS_FOR"}, {"engineer at", "WORKS_FOR"},
    {"ceo of", "WORKS_FOR"},        {"president of", "WORKS_FOR"}, {"employee of", "WORKS_FOR"},
    {"member of", "MEMBER_OF"},     {"part of", "MEMBER_OF"},
};

#define NPAT (sizeof patterns / sizeof patterns[0])
#define NAPP (sizeof appositions / sizeof appositions[0])

/* Words that carry tense, aspect or reference but not the relation. */
static const char *const filler[] = {
    "is",       "are",        "was",  "were",      "be",    "been",    "being", "has",
    "have",     "had",        "also", "currently", "now",   "then",    "later", "subsequently",
    "recently", "originally", "a",    "an",        "the",   "who",     "which", "that",
    "its",      "his",        "her",  "their",     "first", "jointly", NULL};
/* Irregular past forms the stemmer leaves alone. */
static const char *const irregular[][2] = {
    {"led", "lead"},    {"built", "build"},  {"met", "meet"},   {"won", "win"},
    {"wrote", "write"}, {"taught", "teach"}, {"bought", "buy"}, {"sold", "sell"},
    {"made", "make"},   {"gave", "give"},    {"took", "take"},  {"became", "become"},
    {"began", "begin"}, {"held", "hold"},    {"beat", "beat"},  {"left", "leave"},
    {"ran", "run"},     {"saw", "see"},      {"knew", "know"},  {"told", "tell"},
    {NULL, NULL}};
/* Words that cannot be the verb of a triple. */
static const char *const not_verbs[] = {
    "and",     "or",     "but",     "nor",       "of",     "in",     "on",      "at",
    "for",     "with",   "to",      "from",      "by",     "as",     "than",    "like",
    "between", "vs",     "versus",  "including", "such",   "not",    "its",     "this",
    "these",   "those",  "his",     "hers",      "is",     "was",    "has",     "plus",
    "minus",   "thus",   "whereas", "unless",    "unlike", "across", "towards", "toward",
    "whereas", "always", "perhaps", "its",       "yes",    NULL};
static const char *const preps[] = {"with", "to",   "into", "on",      "in",   "at",
                                    "for",  "from", "by",   "against", "over", NULL};

static bool in_list(const char *w, const char *const *l)
{
    for (; *l; l++)
        if ((*l)[0] == w[0] && strcmp(w, *l) == 0)
            return true;
    return false;
}

typedef struct word {
    char raw[48]; /* lower-cased */
    char stem[48];
    bool punct; /* a punctuation token: raw[0] is the character */
    bool lower; /* all lower-case letters in the text */
} word;

typedef struct ctx {
    struct sb_stemmer *st;
    /* stemmed phrases */
    char pat[NPAT][4][48];
    int pat_n[NPAT];
    char app[NAPP][4][48];
    int app_n[NAPP];
} ctx;

/* Stems of the words between mentions, remembered per thread: the same few
 * hundred words ("works", "for", "in") come back sentence after sentence,
 * and the Snowball stemmer was a tenth of this module's time.  Direct
 * mapped by kg_hash_fnv64 of the word; a collision just stems again. */
#define STEM_CACHE 1024
typedef struct stem_slot {
    char word[48], stem[48];
} stem_slot;
static pthread_key_t stem_key;
static pthread_once_t stem_key_once = PTHREAD_ONCE_INIT;

static void stem_key_make(void)
{
    /* free() runs as each thread ends, so a worker's cache goes with it. */
    if (pthread_key_create(&stem_key, free) != 0)
        abort();
}

static void stem_uncached(ctx *c, const char *w, char out[48]);

static void stem_into(ctx *c, const char *w, char out[48])
{
    if (!c->st) {
        stem_uncached(c, w, out);
        return;
    }
    pthread_once(&stem_key_once, stem_key_make);
    stem_slot *stem_cache = pthread_getspecific(stem_key);
    if (!stem_cache) {
        stem_cache = kg_xcalloc(STEM_CACHE, sizeof *stem_cache);
        if (pthread_setspecific(stem_key, stem_cache) != 0)
            abort();
    }
    stem_slot *slot = &stem_cache[kg_hash_fnv64(w, strlen(w)) & (STEM_CACHE - 1)];
    if (slot->word[0] && strcmp(slot->word, w) == 0) {
        memcpy(out, slot->stem, 48);
        return;
    }
    stem_uncached(c, w, out);
    if (strlen(w) < sizeof slot->word) {
        snprintf(slot->word, sizeof slot->word, "%s", w);
        memcpy(slot->stem, out, 48);
    }
}

static void stem_uncached(ctx *c, const char *w, char out[48])
{
    for (int i = 0; irregular[i][0]; i++)
        if (strcmp(w, irregular[i][0]) == 0) {
            w = irregular[i][1];
            break;
        }
    const sb_symbol *s = c->st ? sb_stemmer_stem(c->st, (const sb_symbol *)w, (int)strlen(w))
                               : NULL;
    if (!s) {
        snprintf(out, 48, "%s", w);
        return;
    }
    int n = sb_stemmer_length(c->st);
    if (n > 47)
        n = 47;
    memcpy(out, s, (size_t)n);
    out[n] = 0;
}

static int stem_phrase(ctx *c, const char *p, char out[4][48])
{
    int n = 0;
    while (*p && n < 4) {
        char w[48];
        size_t k = 0;
        while (*p && *p != ' ' && k < 47)
            w[k++] = *p++;
        w[k] = 0;
        while (*p == ' ')
            p++;
        stem_into(c, w, out[n++]);
    }
    return n;
}

/* The phrase tables stemmed once per process (pthread_once: workers call
 * kg_relate_extract concurrently). */
static pthread_once_t phrases_once = PTHREAD_ONCE_INIT;
static ctx phrases;

static void stem_phrases(void)
{
    phrases.st = sb_stemmer_new("english", NULL);
    for (size_t p = 0; p < NPAT; p++)
        phrases.pat_n[p] = stem_phrase(&phrases, patterns[p].words, phrases.pat[p]);
    for (size_t p = 0; p < NAPP; p++)
        phrases.app_n[p] = stem_phrase(&phrases, appositions[p].words, phrases.app[p]);
    sb_stemmer_delete(phrases.st);
    phrases.st = NULL;
}

/* Tokenise text[a, b) into words and punctuation; false when too long. */
static bool tokenize(ctx *c, const char *t, int64_t a, int64_t b, word *w, int *nw)
{
    int n = 0;
    int64_t i = a;
    while (i < b) {
        unsigned char ch = (unsigned char)t[i];
        if (isspace(ch)) {
            i++;
            continue;
        }
        if (n == MAX_WORDS)
            return false;
        word *x = &w[n++];
        memset(x, 0, sizeof *x);
        if (isalnum(ch) || ch >= 0x80) {
            size_t k = 0;
            bool lower = true;
            while (i < b) {
                unsigned char d = (unsigned char)t[i];
                bool inword = isalnum(d) || d >= 0x80 ||
                              ((d == '-' || d == '\'') && i + 1 < b &&
                               isalnum((unsigned char)t[i + 1]));
                if (!inword)
                    break;
                if (!islower(d) && d != '-' && d != '\'')
                    lower = false;
                if (k < sizeof x->raw - 1)
                    x->raw[k++] = (char)tolower(d);
                i++;
            }
            x->lower = lower;
            stem_into(c, x->raw, x->stem);
        } else {
            x->punct = true;
            x->raw[0] = (char)ch;
            i++;
        }
    }
    *nw = n;
    return true;
}

/* Match a stemmed phrase at the end of f[0..k) (optionally followed by
 * "by", which reverses direction unless the phrase itself ends in "by"),
 * with at most MAX_PREFIX words before it.  Returns 0 none, 1 forward, 2
 * reversed. */
static int match_phrase(char f[][48], int k, char p[4][48], int pn)
{
    bool ends_by = pn > 0 && strcmp(p[pn - 1], "by") == 0;
    for (int s = 0; s <= MAX_PREFIX && s + pn <= k; s++) {
        int j = 0;
        while (j < pn && strcmp(f[s + j], p[j]) == 0)
            j++;
        if (j < pn)
            continue;
        if (s + pn == k)
            return 1;
        if (!ends_by && s + pn == k - 1 && strcmp(f[k - 1], "by") == 0)
            return 2;
    }
    return 0;
}

static bool looks_like_verb(const word *x)
{
    size_t n = strlen(x->raw);
    if (!x->lower || n < 3 || in_list(x->raw, not_verbs))
        return false;
    for (int i = 0; irregular[i][0]; i++)
        if (strcmp(x->raw, irregular[i][0]) == 0)
            return true;
    if (n >= 4 && strcmp(x->raw + n - 2, "ed") == 0)
        return true;
    if (x->raw[n - 1] == 's' && !strchr("sui", x->raw[n - 2]))
        return true;
    return false;
}

static void add_rel(kg_relate_list *l, int from_sent, int src, int dst, const char *type,
                    double conf, const char *method, int64_t s, int64_t e)
{
    for (int i = from_sent; i < l->n; i++)
        if (l->v[i].source == src && l->v[i].target == dst && strcmp(l->v[i].type, type) == 0)
            return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = kg_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    kg_relate_rel *r = &l->v[l->n++];
    memset(r, 0, sizeof *r);
    r->source = src;
    r->target = dst;
    snprintf(r->type, sizeof r->type, "%s", type);
    r->confidence = conf;
    snprintf(r->method, sizeof r->method, "%s", method);
    r->start = s;
    r->end = e;
}

/* Type the pair (a before b) from the words between them; false if none. */
static bool type_pair(ctx *c, const char *text, const kg_relate_mention *a,
                      const kg_relate_mention *b, kg_relate_list *l, int from_sent, int64_t ss,
                      int64_t se)
{
    word w[MAX_WORDS];
    int nw;
    if (!tokenize(c, text, a->end, b->start, w, &nw) || nw == 0)
        return false;
    int first = 0;
    bool appos = false;
    if (w[0].punct && w[0].raw[0] == ',') {
        first = 1;
        appos = !(nw > 1 && (strcmp(w[1].raw, "who") == 0 || strcmp(w[1].raw, "which") == 0));
    }
    char f[MAX_WORDS][48];
    int fi[MAX_WORDS];
    int k = 0;
    for (int i = first; i < nw; i++) {
        if (w[i].punct)
            return false; /* a clause boundary: not one relation */
        if (in_list(w[i].raw, filler))
            continue;
        fi[k] = i;
        memcpy(f[k++], w[i].stem, 48);
    }
    if (k == 0)
        return false;
    if (appos) {
        for (size_t p = 0; p < NAPP; p++) {
            int r = match_phrase(f, k, c->app[p], c->app_n[p]);
            if (r == 1) {
                add_rel(l, from_sent, a->entity, b->entity, appositions[p].type, CONF_APPOS,
                        "apposition", ss, se);
                return true;
            }
        }
        return false;
    }
    for (size_t p = 0; p < NPAT; p++) {
        int r = match_phrase(f, k, c->pat[p], c->pat_n[p]);
        if (r) {
            const kg_relate_mention *s = r == 1 ? a : b, *o = r == 1 ? b : a;
            add_rel(l, from_sent, s->entity, o->entity, patterns[p].type, CONF_PATTERN, "pattern",
                    ss, se);
            return true;
        }
    }
    /* Verb triple: a verb, then only prepositions ("met with", "moved to"). */
    if (k > 3 || !looks_like_verb(&w[fi[0]]))
        return false;
    for (int j = 1; j < k; j++)
        if (!in_list(w[fi[j]].raw, preps))
            return false;
    bool passive = k >= 2 && strcmp(w[fi[k - 1]].raw, "by") == 0;
    char type[KG_TYPE_MAX];
    size_t n = 0;
    for (const char *p = f[0]; *p && n < sizeof type - 1; p++)
        type[n++] = (char)(isalnum((unsigned char)*p) ? toupper((unsigned char)*p) : '_');
    type[n] = 0;
    const kg_relate_mention *s = passive ? b : a, *o = passive ? a : b;
    add_rel(l, from_sent, s->entity, o->entity, type, CONF_VERB, "verb", ss, se);
    return true;
}

static int by_start(const void *x, const void *y)
{
    const kg_relate_mention *a = *(const kg_relate_mention *const *)x;
    const kg_relate_mention *b = *(const kg_relate_mention *const *)y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->end > b->end) - (a->end < b->end);
}

int kg_relate_extract(const char *text, size_t text_len, const kg_relate_span *sents, int nsents,
                      const kg_relate_mention *m, int nm, int max_cooccur, kg_relate_list **out,
                      kg_err *err)
{
    *out = NULL;
    if (!text || nsents < 0 || nm < 0 || (nsents && !sents) || (nm && !m))
        return kg_err_set(err, KG_EINVAL, "relate: missing text, sentences or mentions");
    for (int i = 0; i < nsents; i++)
        if (sents[i].start < 0 || sents[i].end < sents[i].start || (size_t)sents[i].end > text_len)
            return kg_err_set(err, KG_EINVAL,
                              "relate: sentence %d spans %lld..%lld, outside "
                              "the %zu-byte text",
                              i, (long long)sents[i].start, (long long)sents[i].end, text_len);
    for (int i = 0; i < nm; i++)
        if (m[i].start < 0 || m[i].end < m[i].start || (size_t)m[i].end > text_len)
            return kg_err_set(err, KG_EINVAL,
                              "relate: mention %d spans %lld..%lld, outside "
                              "the %zu-byte text",
                              i, (long long)m[i].start, (long long)m[i].end, text_len);
    if (max_cooccur <= 0)
        max_cooccur = KG_RELATE_MAX_COOCCUR;

    ctx *c = kg_xcalloc(1, sizeof *c);
    c->st = sb_stemmer_new("english", NULL);
    if (!c->st) {
        free(c);
        return kg_err_set(err, KG_ENOMEM, "relate: cannot create the English stemmer");
    }
    /* The stemmed phrases are the same for every call: stem them once. */
    pthread_once(&phrases_once, stem_phrases);
    memcpy(c->pat, phrases.pat, sizeof c->pat);
    memcpy(c->pat_n, phrases.pat_n, sizeof c->pat_n);
    memcpy(c->app, phrases.app, sizeof c->app);
    memcpy(c->app_n, phrases.app_n, sizeof c->app_n);

    const kg_relate_mention **ms = kg_xmalloc(
        ((size_t)nm + 1) *
        sizeof *ms); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
    int nms = 0;
    for (int i = 0; i < nm; i++)
        if (m[i].entity >= 0)
            ms[nms++] = &m[i];
    qsort(ms, (size_t)nms, sizeof *ms, by_start); /* NOLINT(bugprone-sizeof-expression) */
    const kg_relate_mention **in = kg_xmalloc(((size_t)nms + 1) *
                                              sizeof *in); /* NOLINT(bugprone-sizeof-expression) */
    int *ents = kg_xmalloc(((size_t)nms + 1) * sizeof *ents);
    kg_relate_list *l = kg_xcalloc(1, sizeof *l);

    for (int s = 0; s < nsents; s++) {
        int64_t ss = sents[s].start, se = sents[s].end;
        int lo = 0, hi = nms;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (ms[mid]->start < ss)
                lo = mid + 1;
            else
                hi = mid;
        }
        int n = 0;
        for (int i = lo; i < nms && ms[i]->start < se; i++) {
            if (ms[i]->end > se)
                continue;
            if (n && ms[i]->start < in[n - 1]->end)
                continue; /* overlapping mention: keep the first */
            in[n++] = ms[i];
        }
        int from = l->n;
        for (int i = 0; i + 1 < n; i++)
            if (in[i]->entity != in[i + 1]->entity)
                type_pair(c, text, in[i], in[i + 1], l, from, ss, se);
        int typed_end = l->n;

        /* Co-occurrence over distinct entities, in text order. */
        int ne = 0;
        for (int i = 0; i < n; i++) {
            int j = 0;
            while (j < ne && ents[j] != in[i]->entity)
                j++;
            if (j == ne)
                ents[ne++] = in[i]->entity;
        }
        for (int i = 0; i < ne; i++) {
            int jmax = ne > max_cooccur ? (i + 2 < ne ? i + 2 : ne) : ne;
            for (int j = i + 1; j < jmax; j++) {
                int a = ents[i] < ents[j] ? ents[i] : ents[j];
                int b = ents[i] < ents[j] ? ents[j] : ents[i];
                bool typed = false;
                for (int r = from; r < typed_end && !typed; r++)
                    typed = (l->v[r].source == a && l->v[r].target == b) ||
                            (l->v[r].source == b && l->v[r].target == a);
                if (!typed)
                    add_rel(l, typed_end, a, b, "RELATED_TO", CONF_COOCCUR, "cooccur", ss, se);
            }
        }
    }
    free(in);
    free(ents);
    free(ms);
    sb_stemmer_delete(c->st);
    free(c);
    *out = l;
    return KG_OK;
}

void kg_relate_list_free(kg_relate_list *l)
{
    if (!l)
        return;
    free(l->v);
    free(l);
}
