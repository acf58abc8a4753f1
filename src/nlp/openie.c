/* openie: the predicate rules (see openie.h); the tree helpers and part
 * building are in openie_parts.c, the relations without a verb
 * (appositions, possessives, "X in Y") in openie_nominal.c. */
#include "nlp/openie.h"

#include <stdbool.h>
#include <string.h>

#include "nlp/openie_internal.h"
#include "syntax/lemma.h"

#define MAX_COMPS 12
#define MAX_SPLIT 4

enum {
    C_OBJ = 1,
    C_IOBJ,
    C_CCOMP,
    C_XCOMP,
    C_OBL,
    C_AGENT
};

typedef struct comp {
    int head, kind;
    int subst; /* >= 0: the relative clause's antecedent stands in for head */
} comp;

typedef struct subj {
    int head;
    int src; /* KG_OIE_SUBJ_* */
} subj;

static bool is_verb(const otree *t, int i)
{
    return kg_oie_is_verb(t->s, i);
}

/* Word i is coordinated with a word tagged as a verb ("establish the
 * route, increment the count and rebroadcast the request"). */
static bool verb_conjunct(const kg_words *s, int i)
{
    int h = s->w[i].head;
    if (s->w[i].dep == KG_D_CONJ && h >= 0 && kg_tag_is_verb(s->w[h].tag))
        return true;
    for (int k = 0; k < s->n; k++)
        if (s->w[k].head == i && s->w[k].dep == KG_D_CONJ && kg_tag_is_verb(s->w[k].tag))
            return true;
    return false;
}

/* WordNet lists the word, lower-cased, as a noun or an adjective. */
static bool known_word(const char *f, size_t len)
{
    return kg_lemma_is_base_folded(f, len, KG_LEMMA_NOUN | KG_LEMMA_ADJ);
}

/* Can the word the tagger read as a verb be one?  Not when it is not a
 * word of letters ("rwang@coli.uni-sb.de", "6.3"), nor when it has a form
 * nouns share (bare or in -s) and WordNet knows its lemma as a noun and
 * never as a verb ("parameter" in "... problems is central to parameter
 * estimation", "inflows"): the parse around such a word is wrong, and no
 * triple is better than a wrong one.  A verb's own ending keeps a noun a
 * verb ("texted", "benchmarking"), unless WordNet has no such verb and
 * knows the word as written as a noun or an adjective ("watershed" read as
 * a past tense); so does a verb coordinated with it ("increment the count
 * and rebroadcast"), and so does a word WordNet does not know
 * ("backpropagate"), unless it is capitalised inside the sentence, a name
 * ("Jönköping" read as a gerund).  A word in capitals is an acronym ("AIS
 * AIM itAIS", a list of sponsors), unless the sentence is a headline
 * written in capitals. */
bool kg_oie_is_verb(const kg_words *s, int i)
{
    int tag = s->w[i].tag;
    if (!kg_tag_is_verb(tag) || tag == KG_T_MD)
        return false;
    const char *f = kg_words_form(s, i);
    size_t len = s->w[i].len;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)f[k];
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '-' && c != '\'' && c < 0x80)
            return false;
    }
    if (s->w[i].shape & KG_WSHAPE_ALLCAPS) {
        int words = 0, caps = 0;
        for (int k = 0; k < s->n; k++) {
            words += (s->w[k].shape & KG_WSHAPE_ALPHA) != 0;
            caps += (s->w[k].shape & KG_WSHAPE_ALLCAPS) != 0;
        }
        if (2 * caps < words)
            return false;
    }
    bool base = tag == KG_T_VB || tag == KG_T_VBP || tag == KG_T_VBZ;
    if (base && verb_conjunct(s, i))
        return true;
    char lem[KG_LEMMA_MAX];
    size_t n = kg_lemma(f, len, tag, lem, sizeof lem);
    /* A capitalised word inside the sentence that is no verb of WordNet's
     * is a name the tagger read as a verb ("in Jönköping", VBG). */
    if (i > 0 && (s->w[i].shape & KG_WSHAPE_UPPER) && !(s->w[i].shape & KG_WSHAPE_ALLCAPS) &&
        !kg_lemma_is_base(lem, n, KG_LEMMA_VERB))
        return false;
    if (!base)
        /* A past or present participle no verb of WordNet's, that WordNet
         * knows as a noun or an adjective as written ("the watershed of
         * the Meramec" read as a past tense), is a tagging slip. */
        return kg_lemma_is_base(lem, n, KG_LEMMA_VERB) || !known_word(f, len);
    return kg_lemma_is_base(lem, n, KG_LEMMA_VERB) || !kg_lemma_is_base(lem, n, KG_LEMMA_NOUN);
}

/* See openie.h. */
bool kg_oie_verb_as_subject(const kg_words *s, int i)
{
    int tag = s->w[i].tag;
    if (!(tag == KG_T_VBD || tag == KG_T_VBP || tag == KG_T_VBZ || tag == KG_T_VB))
        return false;
    bool obj = false, to = false;
    for (int k = 0; k < s->n; k++)
        if (s->w[k].head == i) {
            obj |= s->w[k].dep == KG_D_OBJ;
            to |= s->w[k].dep == KG_D_MARK;
        }
    return obj && !(tag == KG_T_VB && to);
}

static bool is_relpron(const otree *t, int i)
{
    int tag = ot_tag(t, i);
    return tag == KG_T_WDT || tag == KG_T_WP || (ot_is(t, i, "that") && tag != KG_T_DT);
}

static bool is_neg(const otree *t, int i)
{
    return ot_is(t, i, "not n't never");
}

static int subj_child(const otree *t, int p)
{
    for (int k = t->koff[p]; k < t->koff[p + 1]; k++) {
        int c = t->kids[k], d = ot_dep(t, c);
        if (d == KG_D_NSUBJ || d == KG_D_NSUBJ_PASS || d == KG_D_CSUBJ || d == KG_D_CSUBJ_PASS)
            return c;
    }
    return -1;
}

/* A copular predicate (a noun, adjective... with a cop child), or one
 * conjoined to such a predicate without its own copula. */
static int copula_of(const otree *t, int p)
{
    int c = ot_child(t, p, KG_D_COP);
    if (c >= 0)
        return c;
    if (ot_dep(t, p) == KG_D_CONJ && !is_verb(t, p) && ot_head(t, p) >= 0 && subj_child(t, p) < 0)
        return ot_child(t, ot_head(t, p), KG_D_COP);
    return -1;
}

/* The antecedent's stand-in as an argument: a copular antecedent's own
 * subject ("Celeski is a footballer who plays..." -> Celeski plays). */
static int antecedent(const otree *t, int n)
{
    if (ot_child(t, n, KG_D_COP) >= 0) {
        int s = subj_child(t, n);
        if (s >= 0)
            return s;
    }
    return n;
}

/* A relative pronoun's antecedent when the parse did not attach its
 * clause as a relative clause: the nearest noun before the pronoun. */
static int nearest_noun_before(const otree *t, int i)
{
    for (int j = i - 1; j >= 0 && j >= i - 4; j--) {
        int tag = ot_tag(t, j);
        if (kg_tag_is_noun(tag) || tag == KG_T_CD)
            return j;
        if (!kg_tag_is_punct(tag) && tag != KG_T_RRB)
            break;
    }
    return -1;
}

static bool find_subject(const otree *t, int p, subj *out, int depth)
{
    int s = subj_child(t, p), h = ot_head(t, p), d = ot_dep(t, p);
    if (depth > 8)
        return false;
    if (s >= 0 && is_relpron(t, s) && d != KG_D_ACL_RELCL) {
        int a = nearest_noun_before(t, s);
        if (a >= 0) {
            out->head = antecedent(t, a);
            out->src = KG_OIE_SUBJ_RELCL;
            return true;
        }
    }
    if (s >= 0 && !(d == KG_D_ACL_RELCL && is_relpron(t, s))) {
        if (kg_oie_verb_as_subject(t->s, s))
            return false;
        out->head = s;
        out->src = depth ? out->src : KG_OIE_SUBJ_OWN;
        return true;
    }
    if (h < 0)
        return false;
    if (d == KG_D_ACL_RELCL) {
        out->head = antecedent(t, h);
        out->src = KG_OIE_SUBJ_RELCL;
        /* Without a relative pronoun as subject, a clause that has no
         * subject at all still takes the antecedent ("the man seen there"). */
        return true;
    }
    if (d == KG_D_ACL && (ot_tag(t, p) == KG_T_VBG || ot_tag(t, p) == KG_T_VBN)) {
        out->head = h;
        out->src = KG_OIE_SUBJ_ACL;
        return true;
    }
    if (d == KG_D_CONJ && (is_verb(t, h) || copula_of(t, h) >= 0)) {
        out->src = KG_OIE_SUBJ_CONJ;
        return find_subject(t, h, out, depth + 1);
    }
    if (d == KG_D_XCOMP) {
        int o = ot_child(t, h, KG_D_OBJ);
        out->src = KG_OIE_SUBJ_XCOMP;
        if (o >= 0) {
            out->head = o;
            return true;
        }
        return find_subject(t, h, out, depth + 1);
    }
    if (d == KG_D_ADVCL && (ot_tag(t, p) == KG_T_VBG || ot_tag(t, p) == KG_T_VBN)) {
        out->src = KG_OIE_SUBJ_ADVCL;
        return find_subject(t, h, out, depth + 1);
    }
    return false;
}

/* An xcomp verb that its head's relation absorbs ("began to study"). */
static bool merged_xcomp(const otree *t, int p)
{
    int h = ot_head(t, p);
    return ot_dep(t, p) == KG_D_XCOMP && is_verb(t, p) && h >= 0 && is_verb(t, h) &&
           ot_child(t, h, KG_D_OBJ) < 0;
}

static int comp_kind(const otree *t, int c)
{
    switch (ot_dep(t, c)) {
    case KG_D_OBJ: return C_OBJ;
    case KG_D_IOBJ: return C_IOBJ;
    case KG_D_CCOMP: return C_CCOMP;
    case KG_D_XCOMP: return is_verb(t, c) ? 0 : C_XCOMP;
    case KG_D_OBL:
    case KG_D_OBL_UNMARKED: return C_OBL;
    case KG_D_OBL_AGENT: return C_AGENT;
    }
    return 0;
}

/* The preposition (case child) of h, or -1. */
static int case_of(const otree *t, int h)
{
    return ot_child(t, h, KG_D_CASE);
}

/* ---- assembling triples ---------------------------------------------------------- */

#define SKIP_CC (DEPS(KG_D_CC) | DEPS(KG_D_CC_PRECONJ))

/* See openie_internal.h. */
bool ot_coordinated(const otree *t, int h)
{
    for (int k = t->koff[h]; k < t->koff[h + 1]; k++) {
        int c = t->kids[k];
        if (ot_dep(t, c) == KG_D_CONJ &&
            (ot_child(t, c, KG_D_CC) >= 0 || ot_child(t, c, KG_D_CC_PRECONJ) >= 0))
            return true;
    }
    return false;
}

/* The alternatives an argument splits into: the head without its
 * conjuncts, then each nominal conjunct. */
static int alternatives(const otree *t, int h, int *alt)
{
    int n = 0;
    alt[n++] = h;
    if (is_verb(t, h) || !ot_coordinated(t, h))
        return n;
    for (int k = t->koff[h]; k < t->koff[h + 1] && n < MAX_SPLIT; k++) {
        int c = t->kids[k];
        if (ot_dep(t, c) == KG_D_CONJ && !is_verb(t, c) && copula_of(t, c) < 0)
            alt[n++] = c;
    }
    return n;
}

/* What a copular predicate's complement leaves to the clause: subject,
 * copula, auxiliaries, complementisers, adverbial clauses and modifiers,
 * obliques (their own arguments) and conjuncts (their own predicates). */
#define SKIP_CLAUSE                                                                         \
    (DEPS(KG_D_NSUBJ) | DEPS(KG_D_NSUBJ_PASS) | DEPS(KG_D_NSUBJ_OUTER) | DEPS(KG_D_CSUBJ) | \
     DEPS(KG_D_CSUBJ_PASS) | DEPS(KG_D_COP) | DEPS(KG_D_AUX) | DEPS(KG_D_AUX_PASS) |        \
     DEPS(KG_D_MARK) | DEPS(KG_D_ADVCL) | DEPS(KG_D_OBL) | DEPS(KG_D_OBL_UNMARKED) |        \
     DEPS(KG_D_OBL_AGENT) | DEPS(KG_D_PUNCT) | DEPS(KG_D_EXPL) | DEPS(KG_D_CCOMP) |         \
     DEPS(KG_D_ADVMOD) | SKIP_CONJ)

/* Add the subtree of arg head h (alternative a of its split) as a part.
 * `clause`: h is the predicate itself (a copula's complement); `nocase`:
 * leave out h's own preposition (a subject, an antecedent). */
static bool arg_part(otree *t, kg_oie *o, kg_oie_part *out, int h, int nalt, int a, int drop,
                     bool clause, bool nocase)
{
    part_start(t);
    int but[1] = {drop};
    uint64_t skip = clause ? SKIP_CLAUSE : a != h ? SKIP_CC : nalt > 1 ? SKIP_CONJ : 0;
    if (!ot_coordinated(t, a))
        skip |= SKIP_CONJ; /* conjuncts without a coordinator: appositions */
    if (nocase)
        skip |= DEPS(KG_D_CASE);
    part_subtree(t, a, skip, but, drop >= 0 ? 1 : 0);
    return part_end(t, o, out, a, NULL);
}

typedef struct pred {
    int p, kind, cop;
    int chain[4], nchain; /* the verbs of the relation (p, then merged xcomps) */
    subj su;
    comp c[MAX_COMPS];
    int nc, second; /* index in c of the second argument */
    int prep;       /* preposition moved into the relation, -1 none */
    int mark;       /* complementiser of a clausal second argument, -1 none */
    bool passive;
} pred;

static void rel_part(otree *t, kg_oie *o, kg_triple *x, const pred *pr)
{
    part_start(t);
    for (int i = 0; i < pr->nchain; i++) {
        int v = pr->chain[i];
        if (pr->kind != KG_OIE_COPULA)
            part_word(t, v);
        for (int k = t->koff[v]; k < t->koff[v + 1]; k++) {
            int c = t->kids[k], d = ot_dep(t, c);
            if (d == KG_D_AUX || d == KG_D_AUX_PASS || d == KG_D_COMPOUND_PRT ||
                (d == KG_D_ADVMOD && is_neg(t, c)) || (d == KG_D_MARK && i > 0) ||
                (d == KG_D_COP && v == pr->p))
                part_word(t, c);
        }
    }
    if (pr->cop >= 0)
        part_word(t, pr->cop);
    if (pr->prep >= 0) {
        part_word(t, pr->prep);
        int f = ot_child(t, pr->prep, KG_D_FIXED);
        part_word(t, f);
    }
    part_word(t, pr->mark);
    part_end(t, o, &x->rel, pr->p, NULL);
}

/* Confidence is the share of such extractions that are right: the
 * precision of each construction (how the subject was found, active or
 * passive, verb or copula), measured on CaRB's dev split with its scorer
 * (docs/relations.md), then lowered for long arguments and pronoun
 * subjects.  Indexed by KG_OIE_SUBJ_*. */
static const float VERB_ACTIVE[] = {0.70f, 0.68f, 0.56f, 0.40f, 0.70f, 0.44f};
static const float VERB_PASSIVE[] = {0.80f, 0.85f, 0.85f, 0.60f, 0.60f, 0.40f};
static const float COPULA[] = {0.60f, 0.75f, 0.60f, 0.50f, 0.65f, 0.40f};

static float confidence(const otree *t, const kg_triple *x, const pred *pr)
{
    float c = pr->kind == KG_OIE_COPULA ? COPULA[x->subj]
              : x->passive              ? VERB_PASSIVE[x->subj]
                                        : VERB_ACTIVE[x->subj];
    int k = pr->c[pr->second].kind;
    c *= k == C_CCOMP ? 0.9f : 1.0f;
    if (x->nargs > 2)
        c *= 0.93f;
    int words = 0;
    for (int i = 0; i < x->nargs; i++)
        words += x->arg[i].n;
    if (words > 25)
        c *= 0.8f;
    else if (words > 15)
        c *= 0.9f;
    if (x->arg[0].head >= 0 && ot_tag(t, x->arg[0].head) == KG_T_PRP)
        c *= 0.95f;
    return c;
}

/* The child of a that dominates b (the clause a subject heads from
 * above: a relative clause, a participle), or -1 when a is not above b. */
static int clause_below(const otree *t, int a, int b)
{
    for (int i = b, depth = 0; i >= 0 && depth < t->n; depth++) {
        int h = ot_head(t, i);
        if (h == a)
            return i;
        i = h;
    }
    return -1;
}

/* One triple for subject alternative sa and second-argument alternative a2. */
static void emit(otree *t, kg_oie *o, const pred *pr, int nsa, int sa, int n2, int a2, bool split)
{
    kg_triple *x = oie_new(o);
    if (!x)
        return;
    uint32_t mark = o->nidx;
    x->kind = (uint8_t)pr->kind;
    x->subj = (uint8_t)pr->su.src;
    x->passive = pr->passive;
    x->pred = (int16_t)pr->p;
    x->prep = (int16_t)pr->prep;
    rel_part(t, o, x, pr);
    bool ok = arg_part(t, o, &x->arg[0], pr->su.head, nsa, sa, clause_below(t, pr->su.head, pr->p),
                       false, true);
    const comp *s2 = &pr->c[pr->second];
    int h2 = s2->subst >= 0 ? s2->subst : s2->head;
    ok = ok && arg_part(t, o, &x->arg[1], h2, n2, a2,
                        s2->subst >= 0  ? -1
                        : pr->prep >= 0 ? pr->prep
                                        : pr->mark,
                        h2 == pr->p, s2->subst >= 0);
    x->nargs = 2;
    if (pr->passive && s2->kind == C_AGENT)
        x->agent = 1;
    for (int i = 0; i < pr->nc && ok && x->nargs < KG_OIE_MAX_ARGS; i++) {
        if (i == pr->second)
            continue;
        const comp *c = &pr->c[i];
        part_start(t);
        if (c->subst >= 0) {
            int cs = case_of(t, c->head);
            part_word(t, cs);
            part_subtree(t, c->subst, DEPS(KG_D_CASE), NULL, 0);
        } else {
            part_subtree(t, c->head, 0, NULL, 0);
        }
        if (part_end(t, o, &x->arg[x->nargs], c->subst >= 0 ? c->subst : c->head, NULL)) {
            if (pr->passive && c->kind == C_AGENT)
                x->agent = (int16_t)x->nargs;
            x->nargs++;
        }
    }
    if (!ok) {
        o->n--;
        o->nidx = mark;
        return;
    }
    x->confidence = confidence(t, x, pr) * (split ? 0.95f : 1.0f);
}

static void emit_all(otree *t, kg_oie *o, pred *pr)
{
    int sa[MAX_SPLIT], a2[MAX_SPLIT];
    int nsa = alternatives(t, pr->su.head, sa);
    const comp *s2 = &pr->c[pr->second];
    int n2 = s2->subst >= 0 ? 1 : alternatives(t, s2->head, a2);
    if (s2->subst >= 0)
        a2[0] = s2->subst;
    int made = 0;
    for (int i = 0; i < nsa; i++)
        for (int j = 0; j < n2 && made < KG_OIE_MAX_PER_PREDICATE; j++, made++)
            emit(t, o, pr, nsa, sa[i], n2, a2[j], nsa > 1 || n2 > 1);
}

/* Order complements: the second argument first, chosen as object, clause,
 * first prepositional object after the predicate, predicative, any other. */
static int choose_second(const otree *t, const pred *pr)
{
    static const int order[] = {C_OBJ, C_AGENT, C_CCOMP, -C_OBL, C_XCOMP, C_OBL, C_IOBJ};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
        int want = order[o] < 0 ? -order[o] : order[o];
        for (int i = 0; i < pr->nc; i++) {
            if (pr->c[i].kind != want)
                continue;
            if (order[o] < 0 && pr->c[i].head < pr->p)
                continue; /* first pass over obliques: only those after */
            return i;
        }
    }
    (void)t;
    return -1;
}

/* Relative clauses: the antecedent replaces the relative pronoun. */
static void substitute(const otree *t, pred *pr)
{
    int p = pr->p;
    bool relcl = ot_dep(t, p) == KG_D_ACL_RELCL;
    int ante = relcl ? antecedent(t, ot_head(t, p)) : -1;
    for (int i = 0; i < pr->nc; i++) {
        comp *c = &pr->c[i];
        if (!is_relpron(t, c->head))
            continue;
        int a = relcl ? ante : nearest_noun_before(t, c->head);
        if (a >= 0)
            c->subst = a;
    }
    if (!relcl)
        return;
    /* A clause whose subject is its own ("which Keibler lost") and that
     * has no object takes the antecedent as object. */
    int s = subj_child(t, p);
    bool has_obj = false;
    for (int i = 0; i < pr->nc; i++)
        has_obj |= pr->c[i].kind == C_OBJ;
    if (s >= 0 && !is_relpron(t, s) && !has_obj && pr->nc < MAX_COMPS &&
        ot_child(t, p, KG_D_ADVMOD) < 0)
        pr->c[pr->nc++] = (comp){ot_head(t, p), C_OBJ, ante};
}

static void collect_comps(const otree *t, pred *pr)
{
    pr->nc = 0;
    for (int i = 0; i < pr->nchain; i++) {
        int v = pr->chain[i];
        for (int k = t->koff[v]; k < t->koff[v + 1] && pr->nc < MAX_COMPS; k++) {
            int c = t->kids[k], kind = comp_kind(t, c);
            if (!kind)
                continue;
            if (kind == C_OBL && ot_is(t, case_of(t, c) >= 0 ? case_of(t, c) : c, "by") &&
                pr->passive)
                kind = C_AGENT;
            pr->c[pr->nc++] = (comp){c, kind, -1};
        }
    }
}

static void finish_pred(otree *t, kg_oie *o, pred *pr)
{
    collect_comps(t, pr);
    substitute(t, pr);
    pr->second = choose_second(t, pr);
    if (pr->second < 0)
        return;
    const comp *s2 = &pr->c[pr->second];
    pr->prep = -1;
    pr->mark = -1;
    if ((s2->kind == C_OBL || s2->kind == C_AGENT) && s2->subst < 0)
        pr->prep = case_of(t, s2->head);
    if (s2->kind == C_CCOMP)
        pr->mark = ot_child(t, s2->head, KG_D_MARK);
    emit_all(t, o, pr);
}

static void verb_pred(otree *t, kg_oie *o, int p)
{
    if (merged_xcomp(t, p))
        return;
    pred pr;
    memset(&pr, 0, sizeof pr);
    pr.p = p;
    pr.kind = KG_OIE_VERB;
    pr.cop = -1;
    if (!find_subject(t, p, &pr.su, 0))
        return;
    pr.chain[pr.nchain++] = p;
    while (pr.nchain < 4) {
        int v = pr.chain[pr.nchain - 1], x = ot_child(t, v, KG_D_XCOMP);
        if (x < 0 || !merged_xcomp(t, x))
            break;
        pr.chain[pr.nchain++] = x;
    }
    /* A passive needs its participle: a subject labelled passive on a verb
     * the tagger did not read as one ("Elizabeth danced with Darcy") is
     * the parser's slip, not a passive.  Nor is a participle on a noun a
     * passive when it has an object of its own ("the two young Cratchits
     * hustled Tiny Tim", a clause the parser hung on its subject), unless
     * it names ("born Margaret Louise Higgins", "a dog called Rex"). */
    bool vbn = ot_tag(t, p) == KG_T_VBN;
    bool own_obj = ot_child(t, p, KG_D_OBJ) >= 0 &&
                   !ot_is(t, p, "born named called dubbed nicknamed titled entitled christened");
    pr.passive = vbn &&
                 (ot_child(t, p, KG_D_AUX_PASS) >= 0 || ot_child(t, p, KG_D_NSUBJ_PASS) >= 0 ||
                  (ot_dep(t, p) == KG_D_ACL && !own_obj) ||
                  (ot_dep(t, p) == KG_D_CONJ && ot_child(t, ot_head(t, p), KG_D_AUX_PASS) >= 0));
    finish_pred(t, o, &pr);
}

/* A copular predicate p: the complement is the second argument, and its
 * preposition ("is in Lisbon") joins the relation. */
static void copula_pred(otree *t, kg_oie *o, int p, int cop)
{
    pred pr;
    memset(&pr, 0, sizeof pr);
    pr.p = p;
    pr.kind = KG_OIE_COPULA;
    pr.cop = cop;
    pr.prep = -1;
    pr.mark = -1;
    if (!find_subject(t, p, &pr.su, 0))
        return;
    pr.chain[pr.nchain++] = p;
    pr.c[0] = (comp){p, C_XCOMP, -1};
    pr.nc = 1;
    pr.second = 0;
    for (int k = t->koff[p]; k < t->koff[p + 1] && pr.nc < MAX_COMPS; k++) {
        int c = t->kids[k], d = ot_dep(t, c);
        if (d == KG_D_OBL || d == KG_D_OBL_UNMARKED || d == KG_D_CCOMP)
            pr.c[pr.nc++] = (comp){c, d == KG_D_CCOMP ? C_CCOMP : C_OBL, -1};
    }
    int cs = case_of(t, p);
    if (cs >= 0 && !kg_tag_is_adj(ot_tag(t, p)))
        pr.prep = cs;
    emit_all(t, o, &pr);
}

int kg_openie(const kg_words *s, kg_oie *o)
{
    o->n = 0;
    o->nidx = 0;
    if (s->n == 0)
        return 0;
    otree t;
    ot_build(&t, s, &o->ws);
    for (int p = 0; p < s->n; p++) {
        int d = ot_dep(&t, p);
        if (d == KG_D_AUX || d == KG_D_AUX_PASS || d == KG_D_COP)
            continue;
        int cop = copula_of(&t, p);
        if (cop >= 0)
            copula_pred(&t, o, p, cop);
        else if (is_verb(&t, p) && d != KG_D_AMOD && d != KG_D_COMPOUND)
            verb_pred(&t, o, p);
        oie_nominal(&t, o, p);
    }
    return o->n;
}
