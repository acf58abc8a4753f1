/* reltype: see reltype.h. */
#include "nlp/reltype.h"

#include <string.h>
#include <strings.h>

#include "syntax/lemma.h"
#include "syntax/ptb.h"

#define MAX_WORDS 4

typedef struct phrase_buf {
    char buf[KG_PHRASE_MAX];
    size_t len;
    int words;
    bool full;
    int extra; /* words allowed past MAX_WORDS */
} phrase_buf;

static void add(phrase_buf *p, const char *w, size_t n)
{
    if (p->full || n == 0)
        return;
    if (p->words == MAX_WORDS + p->extra || p->len + (p->len ? 1 : 0) + n >= KG_PHRASE_MAX) {
        p->full = true; /* cut at a word, never inside one */
        return;
    }
    if (p->len)
        p->buf[p->len++] = ' ';
    for (size_t i = 0; i < n; i++)
        p->buf[p->len++] = w[i] >= 'A' && w[i] <= 'Z' ? (char)(w[i] + 32) : w[i];
    p->buf[p->len] = 0;
    p->words++;
}

static void add_str(phrase_buf *p, const char *w)
{
    add(p, w, strlen(w));
}

static void add_form(phrase_buf *p, const kg_words *s, int i)
{
    add(p, kg_words_form(s, i), s->w[i].len);
}

static void add_lemma(phrase_buf *p, const kg_words *s, int i)
{
    char l[KG_LEMMA_MAX];
    size_t n = kg_lemma(kg_words_form(s, i), s->w[i].len, s->w[i].tag, l, sizeof l);
    add(p, l, n);
}

static bool is_neg(const kg_words *s, int i)
{
    const char *f = kg_words_form(s, i);
    return s->w[i].dep == KG_D_ADVMOD && (strcmp(f, "not") == 0 || strcmp(f, "n't") == 0 ||
                                          strcmp(f, "never") == 0 || strcmp(f, "Not") == 0);
}

/* The preposition of an argument: the case child of its head. */
static int case_child(const kg_words *s, int h)
{
    if (h < 0)
        return -1;
    for (int i = 0; i < s->n; i++)
        if (s->w[i].head == h && s->w[i].dep == KG_D_CASE)
            return i;
    return -1;
}

int kg_rel_case_child(const kg_words *s, int h)
{
    return case_child(s, h);
}

static void add_prep(phrase_buf *p, const kg_words *s, int c)
{
    if (c < 0)
        return;
    add_form(p, s, c);
    for (int i = c + 1; i < s->n && i <= c + 2; i++)
        if (s->w[i].head == c && s->w[i].dep == KG_D_FIXED)
            add_form(p, s, i);
}

static bool in_rel(const int16_t *w, int n, int i)
{
    for (int k = 0; k < n; k++)
        if (w[k] == i)
            return true;
    return false;
}

/* The verb phrase: negation, verbs (lemmas, or "be" + participle for a
 * passive read as such), infinitive markers, particles; the complementiser
 * of a clausal argument only when that clause is the argument the phrase
 * leads to (arg_head, -1 none: "indicate that" is not how the subject
 * relates to the object of another preposition). */
static void verb_words(phrase_buf *p, const kg_words *s, const kg_oie *o, const kg_triple *x,
                       bool passive_form, int arg_head)
{
    const int16_t *w = kg_oie_words(o, &x->rel);
    bool be = false;
    for (int k = 0; k < x->rel.n; k++) {
        int i = w[k], d = s->w[i].dep;
        if (i == x->prep || d == KG_D_CASE || d == KG_D_FIXED)
            continue;
        if (d == KG_D_AUX || d == KG_D_AUX_PASS || d == KG_D_COP || s->w[i].tag == KG_T_MD) {
            continue;
        }
        if (is_neg(s, i)) {
            add_str(p, "not");
        } else if (d == KG_D_MARK) {
            if (s->w[i].head == arg_head || in_rel(w, x->rel.n, s->w[i].head))
                add_form(p, s, i);
        } else if (d == KG_D_COMPOUND_PRT) {
            add_form(p, s, i);
        } else if (kg_tag_is_verb(s->w[i].tag)) {
            if (passive_form && s->w[i].tag == KG_T_VBN) {
                if (!be)
                    add_str(p, "be");
                be = true;
                add_form(p, s, i);
            } else {
                add_lemma(p, s, i);
            }
        }
    }
}

/* A noun that can carry a relation to what hangs on it ("the hand of Y",
 * "the daughter of Y"): a common noun.  A name with a modifier ("Samuel
 * Okafor of the Lagos Institute") says whose place it is, not how the
 * subject relates to it: "collaborate with samuel of" would be invented. */
static bool relational_noun(int tag)
{
    return tag == KG_T_NN || tag == KG_T_NNS;
}

static bool inside(int i, int lo, int hi)
{
    return i >= lo && i <= hi;
}

/* The word of [lo, hi] the parse attaches outside it. */
static int span_head(const kg_words *s, int lo, int hi)
{
    for (int i = lo; i <= hi; i++) {
        int h = s->w[i].head;
        if (h < lo || h > hi)
            return i;
    }
    return lo;
}

/* Which argument holds the span [lo, hi] directly (its head inside the
 * span), -1 none. */
static int direct_arg(const kg_triple *x, int lo, int hi)
{
    for (int k = 0; k < x->nargs; k++)
        if (x->arg[k].head >= 0 && inside(x->arg[k].head, lo, hi))
            return k;
    return -1;
}

/* A preposition the sentence has no word for: the "of" of an owner. */
#define PREP_OF (-2)

static void copula_words(phrase_buf *p, const kg_words *s, const kg_oie *o, const kg_triple *x,
                         int noun, int prep)
{
    add_str(p, x->kind == KG_OIE_POSS ? "have" : "be");
    const int16_t *w = kg_oie_words(o, &x->rel);
    for (int k = 0; k < x->rel.n; k++)
        if (is_neg(s, w[k]))
            add_str(p, "not");
    if (noun >= 0)
        add_lemma(p, s, noun);
    if (prep == PREP_OF)
        add_str(p, "of"); /* an owner: "Y's sister" */
    else if (x->kind == KG_OIE_NOMINAL && prep < 0)
        add_str(p, "in"); /* "Tampa, Florida": the sentence has no word for it */
    else
        add_prep(p, s, prep);
}

int kg_rel_span_head(const kg_words *s, int lo, int hi)
{
    return span_head(s, lo, hi);
}

/* A child of verb v with label dep whose form is one of words, or -1. */
static int child_of(const kg_words *s, int v, int dep, const char *word)
{
    for (int i = 0; i < s->n; i++)
        if (s->w[i].head == v && s->w[i].dep == dep && (!word || kg_words_form_is(s, i, word)))
            return i;
    return -1;
}

/* A clause, not a noun phrase: a word with a subject or a copula of its
 * own ("a model is applied if the type is seq": "seq" heads the "if"
 * clause; the model is not applied to it). */
static bool heads_clause(const kg_words *s, int h)
{
    if (s->w[h].dep == KG_D_XCOMP) /* "is assumed to be a network": the subject's */
        return false;
    return child_of(s, h, KG_D_NSUBJ, NULL) >= 0 || child_of(s, h, KG_D_NSUBJ_PASS, NULL) >= 0 ||
           child_of(s, h, KG_D_COP, NULL) >= 0;
}

static bool negated(const kg_words *s, int v)
{
    for (int i = 0; i < s->n; i++)
        if (s->w[i].head == v && is_neg(s, i))
            return true;
    return false;
}

bool kg_rel_path_phrase(const kg_words *s, const int *verbs, int n, bool passive_form, int prep,
                        int noun, int noun_prep, char out[KG_PHRASE_MAX])
{
    /* "be used as component of": a passive through a noun needs five */
    phrase_buf p = {{0}, 0, 0, false, passive_form && noun >= 0 ? 1 : 0};
    out[0] = 0;
    for (int k = 0; k < n; k++) {
        int v = verbs[k];
        if (negated(s, v))
            add_str(&p, "not");
        if (k > 0 && s->w[v].dep == KG_D_XCOMP && child_of(s, v, KG_D_MARK, "to") >= 0)
            add_str(&p, "to");
        if (k == n - 1 && passive_form) {
            add_str(&p, "be");
            add_form(&p, s, v);
        } else {
            add_lemma(&p, s, v);
        }
        int prt = child_of(s, v, KG_D_COMPOUND_PRT, NULL);
        if (prt >= 0)
            add_form(&p, s, prt);
    }
    add_prep(&p, s, prep);
    if (noun >= 0) {
        add_lemma(&p, s, noun);
        add_prep(&p, s, noun_prep);
    }
    if (p.full || p.len == 0)
        return false;
    memcpy(out, p.buf, p.len + 1);
    return true;
}

/* A noun that a name after its "of" stands in for: a kind of place ("in
 * the city of Treia" is in Treia, "the towns of Jaffrey and Rindge") and,
 * as a subject, a part ("Most of Ireland seceded from the United Kingdom":
 * Ireland did, in part).  Not a noun with a modifier of its own ("the
 * largest city of Japan" is not Japan, "the northern part of X"), and not
 * "part" as a complement: "X is part of Y" says PART_OF, and keeps its
 * noun.  Returns the word the name heads (the noun's "of" dependent), or
 * -1; *plural: the noun is plural, so conjuncts of that word count too. */
static int through_of(const kg_words *s, int h, bool subject, bool *plural)
{
    static const char *const place[] = {
        "city",     "cities",    "town",         "towns",   "village",  "villages", "state",
        "states",   "province",  "provinces",    "county",  "counties", "island",   "islands",
        "district", "districts", "municipality", "borough", "commune",  NULL};
    static const char *const part[] = {"most", "much",     "part",    "parts",    "half", "rest",
                                       "bulk", "majority", "portion", "portions", NULL};
    if (h < 0 || h >= s->n)
        return -1;
    const char *f = kg_words_form(s, h);
    bool hit = false;
    for (int k = 0; place[k] && !hit; k++)
        hit = strcasecmp(f, place[k]) == 0;
    for (int k = 0; subject && part[k] && !hit; k++)
        hit = strcasecmp(f, part[k]) == 0;
    if (!hit)
        return -1;
    int of = -1;
    for (int i = 0; i < s->n; i++) {
        if (s->w[i].head != h)
            continue;
        int d = s->w[i].dep;
        if (d == KG_D_AMOD || d == KG_D_COMPOUND || d == KG_D_NUMMOD || d == KG_D_NMOD_POSS)
            return -1;
        if (of < 0 && d == KG_D_NMOD && kg_words_form_is(s, case_child(s, i), "of"))
            of = i;
    }
    *plural = s->w[h].tag == KG_T_NNS;
    return of;
}

/* Does a name over words [lo, hi] stand where through_of() looks: the
 * word it returns, or, after a plural noun, a conjunct of it ("the towns
 * of Jaffrey and Rindge"; after "the island of Saint Helena, Senegal, ..."
 * a list runs on, and Senegal is no island)? */
static bool named_through(const kg_words *s, int h, bool subject, int lo, int hi)
{
    bool plural = false;
    int t = through_of(s, h, subject, &plural);
    if (t < 0)
        return false;
    int e = span_head(s, lo, hi);
    return inside(t, lo, hi) || (plural && s->w[e].dep == KG_D_CONJ && s->w[e].head == t);
}

/* Is the name over words [lo, hi] an apposition right after common noun
 * h, or a conjunct of one: "The first four siblings (Waldtraud, Verena,
 * Werther, and Wolfgang) were born in Germany", "her sister Jane Bennet"?
 * Then it is the argument h heads.  Only a comma or a bracket may stand
 * between the noun and the name: "Martha dusted the hot plates; Bob took
 * the knife" is two clauses, whatever the parse says. */
static bool named_in_apposition(const kg_words *s, int h, int lo, int hi)
{
    if (h < 0 || h >= s->n || !relational_noun(s->w[h].tag))
        return false;
    int e = span_head(s, lo, hi);
    for (int n = 0; n < 8 && s->w[e].dep == KG_D_CONJ && s->w[e].head >= 0; n++)
        e = s->w[e].head;
    if (s->w[e].dep != KG_D_APPOS || s->w[e].head != h || e <= h)
        return false;
    int first = e; /* the first word of the appositive name */
    while (first - 1 > h && s->w[first - 1].head == e && s->w[first - 1].dep != KG_D_PUNCT)
        first--;
    for (int i = h + 1; i < first; i++) {
        const char *f = kg_words_form(s, i);
        if (strcmp(f, ",") != 0 && strcmp(f, "(") != 0 && strcmp(f, "-LRB-") != 0)
            return false;
    }
    return first - h <= 2;
}

int kg_rel_arg_of(const kg_words *s, const kg_triple *x, int lo, int hi)
{
    int k = direct_arg(x, lo, hi);
    if (k < 0 && x->nargs > 0 &&
        (named_through(s, x->arg[0].head, true, lo, hi) ||
         (x->kind == KG_OIE_VERB && named_in_apposition(s, x->arg[0].head, lo, hi))))
        k = 0;
    return k;
}

/* The noun an argument headed by "one" stands for: "one of the fifteen
 * townships" is a township, "one of the founders" a founder; else h. */
static int one_of(const kg_words *s, int h)
{
    if (s->w[h].tag != KG_T_CD || !kg_words_form_is(s, h, "one"))
        return h;
    for (int i = 0; i < s->n; i++) {
        int c = s->w[i].head == h && s->w[i].dep == KG_D_NMOD ? case_child(s, i) : -1;
        if (c >= 0 && relational_noun(s->w[i].tag) && kg_words_form_is(s, c, "of"))
            return i;
    }
    return h;
}

/* Does the sentence say that place e is where h is: a relation without a
 * verb (h; is in; e), "Woodford County, Illinois"?  Then what is in h is
 * in e too. */
static bool place_of(const kg_oie *o, int h, int e)
{
    for (int t = 0; t < o->n; t++)
        if (o->t[t].kind == KG_OIE_NOMINAL && o->t[t].nargs >= 2 && o->t[t].arg[0].head == h &&
            o->t[t].arg[1].head == e)
            return true;
    return false;
}

/* Entity e2 is not the copula's complement ah itself: the noun of ah it
 * hangs on and that noun's preposition, for "X is the daughter of Y" (be
 * daughter of), "X is one of the founders of Y" (be founder of), "X is a
 * city in Ellis County, Kansas" (be city in, Kansas too) and "X is in
 * Battle Creek, Michigan" (be in, Michigan too: *noun stays -1).  False
 * when e2 hangs on something else. */
static bool complement_noun(const kg_words *s, const kg_oie *o, int k, int ah, int e2, int *noun,
                            int *prep)
{
    int vn = one_of(s, ah), h2 = s->w[e2].head;
    bool within = k == 1 && h2 >= 0 && place_of(o, h2, e2);
    if (within && h2 == ah && kg_words_form_is(s, *prep, "in"))
        return true;
    if (within && s->w[h2].head == vn && s->w[h2].dep == KG_D_NMOD &&
        relational_noun(s->w[vn].tag) && kg_words_form_is(s, case_child(s, h2), "in")) {
        *noun = vn;
        *prep = case_child(s, h2);
        return true;
    }
    if (k == 1 && h2 == vn && s->w[e2].dep == KG_D_NMOD_POSS && relational_noun(s->w[vn].tag) &&
        *prep < 0) {
        *noun = vn; /* "X is Y's sister": be sister of */
        *prep = PREP_OF;
        return true;
    }
    if (k != 1 || h2 != vn || s->w[e2].dep != KG_D_NMOD || !relational_noun(s->w[vn].tag))
        return false;
    *noun = vn;
    *prep = case_child(s, e2);
    return true;
}

bool kg_rel_pair(const kg_words *s, const kg_oie *o, const kg_triple *x, int k, int lo, int hi,
                 char out[KG_PHRASE_MAX], bool *reverse)
{
    phrase_buf p = {{0}, 0, 0, false, 0};
    *reverse = false;
    out[0] = 0;
    if (k < 1 || k >= x->nargs || lo < 0 || hi >= s->n || lo > hi)
        return false;
    int ah = x->arg[k].head;
    /* Through "the city of": with a verb, or a copula with a preposition
     * ("are in the states of New York": be in); "X is the island of Y"
     * without one would say X is Y. */
    int kprep = k == 1 ? x->prep : case_child(s, ah);
    bool direct = inside(ah, lo, hi) ||
                  ((x->kind == KG_OIE_VERB || kprep >= 0) && named_through(s, ah, false, lo, hi)) ||
                  (x->kind == KG_OIE_VERB && named_in_apposition(s, ah, lo, hi));
    int e2 = span_head(s, lo, hi);
    if (x->kind == KG_OIE_VERB) {
        /* The entity is the argument, or hangs on the argument's noun by a
         * preposition ("X shook the hand of Y": shake hand of). */
        int vn = direct ? ah : one_of(s, ah); /* the noun e2 hangs on */
        /* ... or owns it ("X married Y's daughter": marry daughter of) */
        bool owner = s->w[e2].dep == KG_D_NMOD_POSS;
        bool via = !direct && s->w[e2].head == vn &&
                   ((s->w[e2].dep == KG_D_NMOD && case_child(s, e2) >= 0) || owner) &&
                   relational_noun(s->w[vn].tag);
        /* "X is located in Woodford County, Illinois": in Illinois too. */
        bool within = !direct && !via && place_of(o, ah, e2) &&
                      kg_words_form_is(s, k == 1 ? x->prep : case_child(s, ah), "in");
        if ((!direct && !via && !within) || heads_clause(s, ah))
            return false;
        /* A noun hanging on a bare third argument ("MDRPM is validated
         * through X, the results of Y"): a parse across a list, not a
         * relation to Y. */
        if (via && k > 1 && case_child(s, ah) < 0)
            return false;
        bool agent = direct && x->passive && x->agent == k;
        verb_words(&p, s, o, x, x->passive && !agent, ah);
        if (k == 1 && !agent)
            add_prep(&p, s, x->prep);
        else if (k > 1)
            add_prep(&p, s, case_child(s, ah));
        if (via) {
            add_lemma(&p, s, vn);
            if (owner)
                add_str(&p, "of");
            else
                add_prep(&p, s, case_child(s, e2));
            if (p.full)
                return false; /* a phrase cut short says less than co-occurrence */
        }
        *reverse = agent;
    } else {
        /* The entity is the complement itself ("X is Y"), or hangs on it
         * by a preposition ("X is the daughter of Y", "X is one of the
         * founders of Y": be founder of). */
        int noun = -1, prep = k == 1 ? x->prep : -1;
        if (!direct && !complement_noun(s, o, k, ah, e2, &noun, &prep))
            return false;
        copula_words(&p, s, o, x, noun, prep);
    }
    if (p.len == 0)
        return false;
    memcpy(out, p.buf, p.len + 1);
    return true;
}

void kg_rel_normalise(const kg_words *s, const kg_oie *o, const kg_triple *x,
                      char out[KG_PHRASE_MAX])
{
    bool rev;
    int h = x->nargs > 1 ? x->arg[1].head : -1;
    if (h < 0 || !kg_rel_pair(s, o, x, 1, h, h, out, &rev)) {
        phrase_buf p = {{0}, 0, 0, false, 0};
        if (x->kind == KG_OIE_VERB)
            verb_words(&p, s, o, x, x->passive, h);
        else
            copula_words(&p, s, o, x, -1, x->prep);
        memcpy(out, p.buf, p.len + 1);
    }
}

static bool is_be(const char *w)
{
    static const char *const be[] = {"is",    "are", "was", "were", "be", "been",
                                     "being", "am",  "'s",  "'re",  "'m", NULL};
    for (int i = 0; be[i]; i++)
        if (strcmp(w, be[i]) == 0)
            return true;
    return false;
}

static bool is_skipped(const char *w)
{
    static const char *const skip[] = {"a",     "an",    "the",    "has", "have",  "had",  "will",
                                       "would", "shall", "should", "can", "could", "may",  "might",
                                       "must",  "did",   "does",   "do",  "also",  "then", NULL};
    for (int i = 0; skip[i]; i++)
        if (strcmp(w, skip[i]) == 0)
            return true;
    return false;
}

void kg_rel_normalise_text(const char *words, char out[KG_PHRASE_MAX], bool *reverse)
{
    char w[8][KG_LEMMA_MAX];
    int n = 0;
    *reverse = false;
    out[0] = 0;
    for (const char *p = words ? words : ""; *p && n < 8;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        size_t k = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
            char c = *p++;
            if (k + 1 < sizeof w[n] && c != ',' && c != '.' && c != '"')
                w[n][k++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
        }
        w[n][k] = 0;
        if (k && !is_skipped(w[n]))
            n++;
    }
    phrase_buf p = {{0}, 0, 0, false, 0};
    int i = 0;
    if (i < n && strcmp(w[i], "not") == 0) {
        add_str(&p, "not");
        i++;
    }
    if (i < n && is_be(w[i])) {
        i++;
        char lem[KG_LEMMA_MAX];
        if (i < n && i + 1 < n && strcmp(w[n - 1], "by") == 0 && !p.len &&
            kg_lemma(w[i], strlen(w[i]), KG_T_VBN, lem, sizeof lem) && strcmp(lem, w[i]) != 0) {
            /* "was founded by": the agent is the source. */
            add_str(&p, lem);
            for (int j = i + 1; j < n - 1; j++)
                add_str(&p, w[j]);
            *reverse = true;
        } else {
            add_str(&p, "be");
            for (; i < n; i++) {
                size_t len = strlen(w[i]);
                if (len > 2 && w[i][len - 1] == 's' &&
                    kg_lemma(w[i], len, KG_T_NNS, lem, sizeof lem))
                    add_str(&p, lem);
                else
                    add_str(&p, w[i]);
            }
        }
    } else if (i < n) {
        char lem[KG_LEMMA_MAX];
        kg_lemma(w[i], strlen(w[i]), KG_T_VBD, lem, sizeof lem);
        add_str(&p, lem);
        for (i++; i < n; i++)
            add_str(&p, w[i]);
    }
    memcpy(out, p.buf, p.len + 1);
}

/* ---- the ontology ------------------------------------------------------------------ */

typedef struct mapping {
    const char *phrase, *type;
    bool flip;
} mapping;

static const mapping MAP[] = {
    {"work at", "WORKS_FOR", false},
    {"work for", "WORKS_FOR", false},
    {"be employed by", "WORKS_FOR", false},
    {"be employed at", "WORKS_FOR", false},
    {"employ", "WORKS_FOR", true},
    {"hire", "WORKS_FOR", true},
    {"teach at", "WORKS_FOR", false},
    {"be professor at", "WORKS_FOR", false},
    {"be professor of", "WORKS_FOR", false},
    {"be researcher at", "WORKS_FOR", false},
    {"be scientist at", "WORKS_FOR", false},
    {"be engineer at", "WORKS_FOR", false},
    {"be employee of", "WORKS_FOR", false},
    {"be lecturer at", "WORKS_FOR", false},
    {"be fellow at", "WORKS_FOR", false},
    {"be located in", "LOCATED_IN", false},
    {"be based in", "LOCATED_IN", false},
    {"be headquartered in", "LOCATED_IN", false},
    {"be situated in", "LOCATED_IN", false},
    {"lie in", "LOCATED_IN", false},
    {"be in", "LOCATED_IN", false},
    {"be capital of", "LOCATED_IN", false},
    {"be city in", "LOCATED_IN", false},
    {"be town in", "LOCATED_IN", false},
    {"found", "CREATED", false},
    {"co-found", "CREATED", false},
    {"create", "CREATED", false},
    {"develop", "CREATED", false},
    {"propose", "CREATED", false},
    {"introduce", "CREATED", false},
    {"invent", "CREATED", false},
    {"design", "CREATED", false},
    {"devise", "CREATED", false},
    {"establish", "CREATED", false},
    {"author", "CREATED", false},
    {"write", "CREATED", false},
    {"build", "CREATED", false},
    {"be founder of", "CREATED", false},
    {"be author of", "CREATED", false},
    {"be creator of", "CREATED", false},
    {"be inventor of", "CREATED", false},
    {"lead", "LEADS", false},
    {"head", "LEADS", false},
    {"direct", "LEADS", false},
    {"chair", "LEADS", false},
    {"manage", "LEADS", false},
    {"be director of", "LEADS", false},
    {"be head of", "LEADS", false},
    {"be leader of", "LEADS", false},
    {"be chair of", "LEADS", false},
    {"be chairman of", "LEADS", false},
    {"be president of", "LEADS", false},
    {"be ceo of", "LEADS", false},
    {"join", "MEMBER_OF", false},
    {"belong to", "MEMBER_OF", false},
    {"be member of", "MEMBER_OF", false},
    {"be part of", "PART_OF", false},
    {"be component of", "PART_OF", false},
    {"be module of", "PART_OF", false},
    {"be division of", "PART_OF", false},
    {"be subsidiary of", "PART_OF", false},
    {"use", "USES", false},
    {"apply", "USES", false},
    {"utilize", "USES", false},
    {"utilise", "USES", false},
    {"adopt", "USES", false},
    {"rely on", "USES", false},
    {"train on", "USES", false},
    {"be trained on", "USES", false},
    {"evaluate on", "EVALUATED_ON", false},
    {"be evaluated on", "EVALUATED_ON", false},
    {"test on", "EVALUATED_ON", false},
    {"be tested on", "EVALUATED_ON", false},
    {"benchmark on", "EVALUATED_ON", false},
    {"be benchmarked on", "EVALUATED_ON", false},
    {"cite", "CITES_OR_EXTENDS", false},
    {"extend", "CITES_OR_EXTENDS", false},
    {"build on", "CITES_OR_EXTENDS", false},
    {"be based on", "CITES_OR_EXTENDS", false},
    {"improve on", "IMPROVES_ON", false},
    {"outperform", "IMPROVES_ON", false},
    {"beat", "IMPROVES_ON", false},
    {"surpass", "IMPROVES_ON", false},
    {"own", "OWNS", false},
    {"acquire", "OWNS", false},
    {"buy", "OWNS", false},
    {"purchase", "OWNS", false},
    {"collaborate with", "COLLABORATES_WITH", false},
    {"work with", "COLLABORATES_WITH", false},
    {"partner with", "COLLABORATES_WITH", false},
    {"cooperate with", "COLLABORATES_WITH", false},
    {"measure", "MEASURED_BY", true},
    {"be measured by", "MEASURED_BY", false},
    {"be measured with", "MEASURED_BY", false},
};

static const char *const ONTOLOGY[] = {
    "WORKS_FOR",         "LOCATED_IN",  "CREATED",          "LEADS", "MEMBER_OF",
    "COLLABORATES_WITH", "OWNS",        "CITES_OR_EXTENDS", "USES",  "EVALUATED_ON",
    "MEASURED_BY",       "IMPROVES_ON", "PART_OF"};

bool kg_rel_is_ontology(const char *type)
{
    for (size_t i = 0; i < sizeof ONTOLOGY / sizeof ONTOLOGY[0]; i++)
        if (strcmp(type, ONTOLOGY[i]) == 0)
            return true;
    return false;
}

const char *kg_rel_category(const char *phrase, bool *flip)
{
    if (flip)
        *flip = false;
    if (!phrase)
        return NULL;
    for (size_t i = 0; i < sizeof ONTOLOGY / sizeof ONTOLOGY[0]; i++)
        if (strcmp(phrase, ONTOLOGY[i]) == 0)
            return ONTOLOGY[i];
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (strcmp(phrase, MAP[i].phrase) == 0) {
            if (flip)
                *flip = MAP[i].flip;
            return MAP[i].type;
        }
    return NULL;
}
