/* openie_nominal: the triples whose relation is a word the sentence
 * lacks (see openie.h): appositions ("Keller, a professor at Lisbon": is),
 * names described by the noun before them ("biographer Andrew Boyle": is),
 * possessives ("Lisbon's university": has, had, have) and where a name is
 * ("the University of Lisbon in Portugal", "Tampa, Florida": is in).  Split
 * from openie.c, the rules of predicates with a verb or a copula. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ner/gazetteer.h"
#include "nlp/openie_internal.h"

/* A noun's dependents that belong to the clause it predicates. */
#define CLAUSE_DEPS                                                                               \
    (DEPS(KG_D_NSUBJ) | DEPS(KG_D_NSUBJ_PASS) | DEPS(KG_D_NSUBJ_OUTER) | DEPS(KG_D_CSUBJ) |       \
     DEPS(KG_D_COP) | DEPS(KG_D_AUX) | DEPS(KG_D_AUX_PASS) | DEPS(KG_D_MARK) | DEPS(KG_D_ADVCL) | \
     DEPS(KG_D_OBL) | DEPS(KG_D_OBL_UNMARKED) | DEPS(KG_D_OBL_AGENT) | DEPS(KG_D_CSUBJ_PASS) |    \
     DEPS(KG_D_EXPL) | DEPS(KG_D_PARATAXIS))

/* Their confidences: each construction's precision on CaRB's dev split,
 * ranked among the verb rules' (openie.c). */
#define CONF_APPOS 0.35f
#define CONF_POSS 0.25f
#define CONF_PREP 0.35f
#define CONF_DESC 0.60f

/* Whether the clause that holds word h is in the past: from h up, the
 * first auxiliary or copula of a word on the way, or the first finite verb
 * (VBD, VBZ, VBP, MD), says so ("this was Lisbon's university"; "Keller,
 * then a student, wrote"; "was founded"); with none on the way, the
 * sentence's first finite verb does.  For the words the sentence lacks,
 * which are written in its tense: "had". */
static bool clause_past(const otree *t, int h)
{
    for (int x = h, guard = 0; x >= 0 && guard <= t->n; x = ot_head(t, x), guard++) {
        for (int k = t->koff[x]; k < t->koff[x + 1]; k++) {
            int c = t->kids[k], d = ot_dep(t, c);
            if (d != KG_D_AUX && d != KG_D_AUX_PASS && d != KG_D_COP)
                continue;
            if (ot_is(t, c, "was were had did"))
                return true;
            if (ot_is(t, c, "is are am has have does do will shall can may must 's 're"))
                return false;
        }
        int g = ot_tag(t, x);
        if (g == KG_T_VBD)
            return true;
        if (g == KG_T_VBZ || g == KG_T_VBP || g == KG_T_MD)
            return false;
    }
    for (int i = 0; i < t->n; i++) {
        int g = ot_tag(t, i);
        if (g == KG_T_VBD)
            return true;
        if (g == KG_T_VBZ || g == KG_T_VBP || g == KG_T_MD)
            return false;
    }
    return false;
}

static bool plural(const otree *t, int h)
{
    int g = ot_tag(t, h);
    return g == KG_T_NNS || g == KG_T_NNPS;
}

/* The first (dir < 0) or last (dir > 0) word of a's subtree; with
 * no_punct, not counting punctuation hanging anywhere in it. */
static int subtree_edge(const otree *t, int a, int dir, bool no_punct)
{
    int edge = a;
    for (int k = t->koff[a]; k < t->koff[a + 1]; k++) {
        if (no_punct && ot_dep(t, t->kids[k]) == KG_D_PUNCT)
            continue;
        int c = subtree_edge(t, t->kids[k], dir, no_punct);
        if (dir < 0 ? c < edge : c > edge)
            edge = c;
    }
    return edge;
}

/* A triple (rel; a0; a1) whose relation is words the sentence lacks ("is",
 * "has", "is in"): a0's noun phrase without a1, its case marker and (but
 * for a coordinated list) its conjuncts; a1's without its case marker,
 * conjuncts and drop0.  The triple, or NULL (nothing added) when an
 * argument comes out empty or the sentence's cap is reached. */
static kg_triple *nominal_triple(otree *t, kg_oie *o, int kind, const char *rel, int a0, int a1,
                                 int drop0, float conf)
{
    kg_triple *x = oie_new(o);
    if (!x)
        return NULL;
    uint32_t mark = o->nidx;
    x->kind = (uint8_t)kind;
    x->pred = (int16_t)a1;
    part_start(t);
    part_end(t, o, &x->rel, -1, rel);
    part_start(t);
    int but0[8] = {a1}, nbut0 = 1;
    /* An apposition's first argument is the noun phrase before it: what
     * the parser hangs on a0 after the appositive ("Keller, a professor at
     * Lisbon, proposed it" with "proposed" read as a participle of
     * "Keller") is not part of it. */
    int end = kind == KG_OIE_APPOS ? subtree_edge(t, a1, +1, false) : t->n;
    for (int k = t->koff[a0]; k < t->koff[a0 + 1] && nbut0 < 8; k++)
        if (t->kids[k] > end)
            but0[nbut0++] = t->kids[k];
    /* The noun phrase only: a predicate noun's clause ("He was a lawyer in
     * Hillsborough , North Carolina") is not part of what it names. */
    part_subtree(t, a0, DEPS(KG_D_CASE) | CLAUSE_DEPS | (ot_coordinated(t, a0) ? 0 : SKIP_CONJ),
                 but0, nbut0);
    bool ok = part_end(t, o, &x->arg[0], a0, NULL);
    part_start(t);
    int but[1] = {drop0};
    part_subtree(t, a1, DEPS(KG_D_CASE) | SKIP_CONJ, but, drop0 >= 0 ? 1 : 0);
    ok = ok && part_end(t, o, &x->arg[1], a1, NULL) && x->arg[1].n > 0 && x->arg[0].n > 0;
    if (!ok) {
        o->n--;
        o->nidx = mark;
        return NULL;
    }
    x->nargs = 2;
    x->confidence = conf;
    return x;
}

/* A name that is one of a list of names ("Bart van Oort, Sergey Laptenok,
 * Ton Visser and Herbert van Amerongen", a paper's author line): it has
 * conjuncts of its own, or a comma and another capitalised name follow it.
 * The parser often hangs such lists as appositions of the first name. */
static bool in_name_list(const otree *t, int a)
{
    if (ot_child(t, a, KG_D_CONJ) >= 0)
        return true;
    int after = subtree_edge(t, a, +1, false) + 1;
    return after + 1 < t->n && ot_is(t, after, ", ;") && kg_tag_is_proper(ot_tag(t, after + 1)) &&
           (t->s->w[after + 1].shape & KG_WSHAPE_UPPER);
}

/* "Keller, a professor at Lisbon": (is; Keller; a professor at Lisbon).
 * Only an apposition set off by a comma or a bracket, between nouns: a
 * heading or a table cell ("Table 3: results") is not one. */
static void appositions(otree *t, kg_oie *o, int h)
{
    if (!kg_tag_is_noun(ot_tag(t, h)) && ot_tag(t, h) != KG_T_PRP)
        return;
    bool listed = ot_coordinated(t, h);
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int a = t->kids[k];
        /* "Keller, a professor"; "the label, Frazzy Frog Music"; but a list
         * of names ("Keller, Smith, Jones") parsed as appositions says
         * nothing.  Conjuncts without a coordinator are appositions too. */
        int at = ot_tag(t, a), ht = ot_tag(t, h), d = ot_dep(t, a);
        bool common = at == KG_T_NN || at == KG_T_NNS;
        bool named = kg_tag_is_proper(at) && (ht == KG_T_NN || ht == KG_T_NNS) &&
                     !in_name_list(t, a);
        if ((d != KG_D_APPOS && !(d == KG_D_CONJ && !listed)) || !(common || named))
            continue;
        int first = subtree_edge(t, a, -1, true);
        if (first == 0 || !ot_is(t, first - 1, ", ( -- -"))
            continue;
        /* A noun phrase that describes: with a determiner, an owner or a
         * modifier of its own ("a professor", "director of the lab"),
         * or a name; and about something ("no verbs, only words" is
         * not). */
        int det = ot_child(t, h, KG_D_DET);
        bool described = named || ot_child(t, a, KG_D_DET) >= 0 ||
                         ot_child(t, a, KG_D_NMOD_POSS) >= 0 || ot_child(t, a, KG_D_NMOD) >= 0;
        if (!described || (det >= 0 && ot_is(t, det, "no")))
            continue;
        nominal_triple(t, o, KG_OIE_APPOS, "is", h, a, -1, CONF_APPOS);
    }
}

/* "Lisbon's university": (has; Lisbon; university), "had" in a past clause
 * and "have" for a plural owner; only for an owner marked by 's or ', not
 * for pronouns. */
static void possessives(otree *t, kg_oie *o, int h)
{
    if (!kg_tag_is_noun(ot_tag(t, h)))
        return;
    int p = ot_child(t, h, KG_D_NMOD_POSS);
    if (p < 0 || !kg_tag_is_noun(ot_tag(t, p)))
        return;
    /* Only an owner the sentence marks as one ("Lisbon 's", "the students
     * '"): a noun the parser took for an owner without it ("Declining
     * issues outnumbered advancers") owns nothing. */
    int c = ot_child(t, p, KG_D_CASE);
    if (c < 0 || ot_tag(t, c) != KG_T_POS)
        return;
    nominal_triple(t, o, KG_OIE_POSS, clause_past(t, h) ? "had" : (plural(t, p) ? "have" : "has"),
                   p, h, p, CONF_POSS);
}

/* A proper noun written with a capital (the tagger says NNP of some
 * lower-case words: "the process", "league"). */
static bool capitalised_name(const otree *t, int i)
{
    return kg_tag_is_proper(ot_tag(t, i)) && (t->s->w[i].shape & KG_WSHAPE_UPPER);
}

/* "the University of Lisbon in Portugal": (is in; the University of
 * Lisbon; Portugal), "are in" for a plural name.  A capitalised name with
 * a capitalised name after "in" hanging on it; not a month or a day ("the
 * Festival in May"), not one with "a" or "an" ("the Cup in a Porsche"). */
static void prepositional(otree *t, kg_oie *o, int h)
{
    if (!capitalised_name(t, h))
        return;
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int m = t->kids[k];
        if (ot_dep(t, m) != KG_D_NMOD || !capitalised_name(t, m) || m < h)
            continue;
        int c = ot_child(t, m, KG_D_CASE), det = ot_child(t, m, KG_D_DET);
        if (c < 0 || !ot_is(t, c, "in") || (det >= 0 && ot_is(t, det, "a an")) ||
            ot_is(t, m,
                  "january february march april may june july august september october "
                  "november december monday tuesday wednesday thursday friday saturday sunday"))
            continue;
        kg_triple *x = nominal_triple(t, o, KG_OIE_NOMINAL, plural(t, h) ? "are in" : "is in", h, m,
                                      -1, CONF_PREP);
        if (x)
            x->prep = (int16_t)c;
    }
}

/* The gazetteer's flags of the words lo..hi as one phrase, 0 when it does
 * not know them. */
static uint64_t gz_flags(const otree *t, int lo, int hi)
{
    uint64_t hsh = KG_GZ_FNV_OFFSET;
    for (int i = lo; i <= hi; i++) {
        if (i > lo)
            hsh = kg_gz_hash_sep(hsh);
        const char *w = kg_words_form(t->s, i);
        hsh = kg_gz_hash_bytes(hsh, w, strlen(w));
    }
    return kg_gz_lookup(kg_gz_get(), hsh);
}

/* The last word of the name headed by h: h and the flat or compound
 * words right after it ("Santa Cruz" is Santa with Cruz flat). */
static int name_end(const otree *t, int h)
{
    int e = h;
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int c = t->kids[k], d = ot_dep(t, c);
        if (c == e + 1 && (d == KG_D_FLAT || d == KG_D_COMPOUND))
            e = c;
    }
    return e;
}

/* "Tampa , Florida", "Born in Santa Cruz , California": (is in; Tampa;
 * Florida).  A name followed, after a comma, by a place the gazetteer
 * knows, which the parser hangs on it (an apposition, a conjunct, an
 * unmarked modifier); not a place after a country, and not a list of
 * places ("Armenia , the North Caucasus , Iraq , Kuwait and
 * Afghanistan"): nothing list-like before the first or after the second,
 * and the first has no other conjunct. */
static void place_in_place(otree *t, kg_oie *o, int h)
{
    if (!capitalised_name(t, h))
        return;
    int h0 = h, e = name_end(t, h);
    while (h0 > 0 && kg_tag_is_proper(ot_tag(t, h0 - 1)))
        h0--;
    if (e + 2 >= t->n || !ot_is(t, e + 1, ","))
        return;
    int before = h0 > 0 && ot_is(t, h0 - 1, "the") ? h0 - 2 : h0 - 1;
    if (before >= 0 && ot_is(t, before, ", ;"))
        return;
    if (gz_flags(t, h0, e) & KG_GZ(COUNTRY))
        return;
    int a = -1, n = 0;
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int d = ot_dep(t, t->kids[k]);
        if (d == KG_D_APPOS || d == KG_D_CONJ || d == KG_D_NMOD_UNMARKED) {
            a = t->kids[k];
            n++;
        }
    }
    if (n != 1 || !capitalised_name(t, a) || subtree_edge(t, a, -1, true) != e + 2 ||
        ot_child(t, a, KG_D_CONJ) >= 0 || ot_child(t, a, KG_D_CC) >= 0)
        return;
    /* After the second: a coordinator, another name run on without a
     * comma (an affiliation list: "USA Pepperdine University"), or a
     * comma and the next item of a list.  (The parser may hang the comma
     * after the place on it: that comma is still "after".) */
    int after = subtree_edge(t, a, +1, true) + 1;
    if (after < t->n &&
        (ot_is(t, after, "and or nor") || capitalised_name(t, after) ||
         (ot_is(t, after, ",") && after + 1 < t->n &&
          (ot_is(t, after + 1, "and or") ||
           (capitalised_name(t, after + 1) &&
            (ot_dep(t, after + 1) == KG_D_CONJ || ot_dep(t, after + 1) == KG_D_APPOS ||
             ot_head(t, after + 1) == h || ot_head(t, after + 1) == a))))))
        return;
    /* The gazetteer marks one-word states and cities alike ("Utah",
     * "Tampa"): any place after a place that is not a country. */
    if (gz_flags(t, e + 2, name_end(t, a)) & (KG_GZ(COUNTRY) | KG_GZ(SUBDIV) | KG_GZ(CITY)))
        nominal_triple(t, o, KG_OIE_NOMINAL, plural(t, h) ? "are in" : "is in", h, a, -1,
                       CONF_PREP);
}

/* The gazetteer's flags of word i read without a final period ("Corp.",
 * "Mr."). */
static uint64_t word_flags(const otree *t, int i)
{
    const char *w = kg_words_form(t->s, i);
    size_t n = strlen(w);
    if (n > 1 && w[n - 1] == '.')
        n--;
    return kg_gz_lookup(kg_gz_get(), kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, w, n));
}

/* Whether a word of lo..hi is an organisation's head or suffix ("Corp.",
 * "University"). */
static bool org_name(const otree *t, int lo, int hi)
{
    for (int i = lo; i <= hi; i++)
        if (word_flags(t, i) & (KG_GZ(ORGSUF) | KG_GZ(ORGHEAD)))
            return true;
    return false;
}

/* A form of address that says nothing of the one it names ("Mr.", "Sir",
 * "St."), unlike a rank or an office ("President", "Judge", "Lady"). */
static bool honorific(const otree *t, int i)
{
    return ot_is(t, i,
                 "mr mr. mrs mrs. ms ms. miss dr dr. st st. sir saint mt mt. messrs messrs. mme "
                 "mlle dame rev rev. fr fr. father");
}

/* "biographer Andrew Boyle", "Colombian President Virgilio Barco", "the
 * software company Microsoft": (is; Andrew Boyle; biographer).  A name
 * with a describing noun right before it, which the parser marks as such
 * (nmod:desc) or as a compound of a common noun; not a noun with a
 * preposition of its own. */
static void described_name(otree *t, kg_oie *o, int h)
{
    if (!capitalised_name(t, h))
        return;
    int h0 = h, e = name_end(t, h);
    while (h0 > 0 && ot_head(t, h0 - 1) == h && kg_tag_is_proper(ot_tag(t, h0 - 1)) &&
           (ot_dep(t, h0 - 1) == KG_D_COMPOUND || ot_dep(t, h0 - 1) == KG_D_FLAT))
        h0--;
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int d = t->kids[k], dep = ot_dep(t, d), g = ot_tag(t, d);
        bool desc = dep == KG_D_NMOD_DESC && kg_tag_is_noun(g);
        bool common = dep == KG_D_COMPOUND && (g == KG_T_NN || g == KG_T_NNS);
        if (!(desc || common) || subtree_edge(t, d, +1, false) != h0 - 1)
            continue;
        /* A noun for a person, a body or a place ("author", "President",
         * "company", "city"); not an honorific ("Mr.", "Dr.", "St."), nor
         * a capitalised word of an organisation's name ("General Dynamics
         * Corp."). */
        uint64_t df = word_flags(t, d);
        if (!(df & (KG_GZ(PERSONNOUN) | KG_GZ(ORGNOUN) | KG_GZ(GPENOUN))) || (df & KG_GZ(ABBREV)) ||
            honorific(t, d) || ot_child(t, d, KG_D_CASE) >= 0 ||
            ((t->s->w[d].shape & KG_WSHAPE_UPPER) && org_name(t, h0, e)))
            continue;
        kg_triple *x = oie_new(o);
        if (!x)
            return;
        uint32_t mark = o->nidx;
        x->kind = KG_OIE_APPOS;
        x->pred = (int16_t)d;
        part_start(t);
        part_end(t, o, &x->rel, -1, "is");
        part_start(t);
        for (int q = h0; q <= e; q++)
            part_word(t, q);
        bool ok = part_end(t, o, &x->arg[0], h, NULL);
        part_start(t);
        part_subtree(t, d, 0, NULL, 0);
        ok = ok && part_end(t, o, &x->arg[1], d, NULL) && x->arg[0].n > 0 && x->arg[1].n > 0;
        if (!ok) {
            o->n--;
            o->nidx = mark;
            return;
        }
        x->nargs = 2;
        x->confidence = CONF_DESC;
        return;
    }
}

void oie_nominal(otree *t, kg_oie *o, int h)
{
    appositions(t, o, h);
    described_name(t, o, h);
    possessives(t, o, h);
    prepositional(t, o, h);
    place_in_place(t, o, h);
}
