/* relpath: see relpath.h.  Anchors of each mention, then the rules that
 * relate two anchors. */
#include "nlp/relpath.h"

#include <string.h>

#include "nlp/openie.h"
#include "syntax/lemma.h"
#include "syntax/ptb.h"

enum {
    R_SUBJ = 1,
    R_PASS,
    R_OBJ,
    R_OBL,
    R_AGENT
};

typedef struct anchor {
    int verb, role, prep; /* the verb, the mention's role, the oblique's preposition */
    int noun, noun_prep;  /* object-side noun the mention hangs on, -1 none */
} anchor;

#define MAX_ANCHORS 6
#define MAX_CHAIN 4

static bool is_verb(const kg_words *s, int i)
{
    return i >= 0 && i < s->n && kg_oie_is_verb(s, i);
}

static int role_of_dep(int dep)
{
    switch (dep) {
    case KG_D_NSUBJ: return R_SUBJ;
    case KG_D_NSUBJ_PASS: return R_PASS;
    case KG_D_OBJ:
    case KG_D_IOBJ: return R_OBJ;
    case KG_D_OBL: return R_OBL;
    case KG_D_OBL_AGENT: return R_AGENT;
    }
    return 0;
}

static bool subject_side(int role)
{
    return role == R_SUBJ || role == R_PASS || role == R_AGENT;
}

static void push(anchor *a, int *n, int verb, int role, int prep, int noun, int noun_prep)
{
    if (*n == MAX_ANCHORS || role == 0 || (role == R_OBL && prep < 0))
        return;
    if (noun >= 0 && subject_side(role))
        return; /* "the nephew of X visited Y" says nothing of X */
    a[(*n)++] = (anchor){verb, role, prep, noun, noun_prep};
}

static bool is_relative_word(const kg_words *s, int i)
{
    int t = s->w[i].tag;
    if (t == KG_T_WDT || t == KG_T_WP)
        return true;
    return kg_words_form_is(s, i, "that");
}

static bool has_child(const kg_words *s, int v, bool (*pred)(int dep))
{
    for (int i = 0; i < s->n; i++)
        if (s->w[i].head == v && pred(s->w[i].dep))
            return true;
    return false;
}

static bool is_subject_dep(int d)
{
    return kg_dep_is_subj(d) || d == KG_D_EXPL;
}

static bool is_object_dep(int d)
{
    return d == KG_D_OBJ;
}

/* A relative clause on noun h ("Marley, whom Scrooge knew": the relative
 * word's role; none: the object gap, "the man Scrooge saw").  Not when h
 * is itself inside a prepositional phrase ("an album by X that was
 * released by Y"): the clause may belong to the noun above, and the parser
 * cannot tell.  Participles on the noun ("a portrait of X directed by Y")
 * are left to the triple rules for the same reason. */
static void clause_anchors(const kg_words *s, int h, anchor *a, int *n)
{
    if (s->w[h].dep == KG_D_NMOD)
        return;
    for (int c = 0; c < s->n; c++) {
        if (s->w[c].head != h || !is_verb(s, c) || s->w[c].dep != KG_D_ACL_RELCL)
            continue;
        int role = 0, prep = -1;
        for (int r = 0; r < s->n && !role; r++)
            if (s->w[r].head == c && is_relative_word(s, r)) {
                role = role_of_dep(s->w[r].dep);
                prep = kg_rel_case_child(s, r);
            }
        if (!role && has_child(s, c, is_subject_dep) && !has_child(s, c, is_object_dep))
            role = R_OBJ;
        push(a, n, c, role, prep, -1, -1);
    }
}

static bool bracket_between(const kg_words *s, int from, int to)
{
    for (int i = from; i <= to; i++)
        if (s->w[i].tag == KG_T_LRB || s->w[i].tag == KG_T_RRB)
            return true;
    return false;
}

/* The mention [lo, hi] fills a pair of brackets. */
static bool acronym(const kg_words *s, int lo, int hi)
{
    return lo > 0 && hi + 1 < s->n && s->w[lo - 1].tag == KG_T_LRB && s->w[hi + 1].tag == KG_T_RRB;
}

/* A common noun, or a capitalised word WordNet knows as one ("the
 * President of South Africa, Jacob Zuma"; "the ... Award at the Summer
 * Gala"): a word the mention may be set beside or hang on. */
static bool common_noun(const kg_words *s, int i)
{
    if (!kg_tag_is_noun(s->w[i].tag))
        return false;
    if (!kg_tag_is_proper(s->w[i].tag))
        return true;
    return !(s->w[i].shape & KG_WSHAPE_ALLCAPS) &&
           kg_lemma_is_base_folded(kg_words_form(s, i), s->w[i].len, KG_LEMMA_NOUN);
}

/* The anchors of the mention over [lo, hi]. */
static int anchors(const kg_words *s, int lo, int hi, anchor *a)
{
    int n = 0, h = kg_rel_span_head(s, lo, hi);
    int g = s->w[h].head;
    /* "his nephew Fred": the mention names the common noun it is set beside
     * or its acronym, "an interface (FFI)"; a bracket holding more is a
     * citation, "the method (Bunescu and Mooney, 2006)". */
    if (g >= 0 && (s->w[h].dep == KG_D_APPOS || s->w[h].dep == KG_D_FLAT) && common_noun(s, g) &&
        (acronym(s, lo, hi) || !bracket_between(s, g < h ? g : h, g < h ? h : g))) {
        h = g;
        g = s->w[h].head;
    }
    /* "Keller and Smith proposed": a later conjunct plays the first's role. */
    if (g >= 0 && s->w[h].dep == KG_D_CONJ && kg_tag_is_noun(s->w[g].tag)) {
        h = g;
        g = s->w[h].head;
    }
    clause_anchors(s, h, a, &n);
    int noun = -1, noun_prep = -1;
    if (g >= 0 && s->w[h].dep == KG_D_NMOD && common_noun(s, g)) {
        noun_prep = kg_rel_case_child(s, h);
        if (noun_prep < 0)
            return n;
        noun = g;
        h = g;
        g = s->w[h].head;
    }
    if (is_verb(s, g) && !(kg_dep_is_subj(s->w[h].dep) && kg_oie_verb_as_subject(s, h)))
        push(a, &n, g, role_of_dep(s->w[h].dep), kg_rel_case_child(s, h), noun, noun_prep);
    return n;
}

/* The chain of verbs from `from` down to `to` by xcomp and conj links
 * whose verbs have no subject of their own: the verbs whose words make
 * the phrase (a conj link starts it again: "rose and followed" is
 * "follow").  Returns their number, 0 when `to` is not reached. */
static int chain(const kg_words *s, int from, int to, int *verbs)
{
    int up[MAX_CHAIN + 1], n = 0;
    for (int v = to; n <= MAX_CHAIN; v = s->w[v].head) {
        up[n++] = v;
        if (v == from)
            break;
        int d = s->w[v].dep;
        if ((d != KG_D_XCOMP && d != KG_D_CONJ) || !is_verb(s, s->w[v].head) ||
            has_child(s, v, is_subject_dep))
            return 0;
        /* "X helped Y gain entry to Z": the object, not X, gains entry. */
        if (d == KG_D_XCOMP && has_child(s, s->w[v].head, is_object_dep))
            return 0;
    }
    if (up[n - 1] != from)
        return 0;
    int k = 0;
    for (int i = n - 1; i >= 0; i--) {
        if (i < n - 1 && s->w[up[i]].dep == KG_D_CONJ)
            k = 0;
        verbs[k++] = up[i];
    }
    return k;
}

/* The relation from anchor x (the subject side) to anchor y, or false. */
static bool relate(const kg_words *s, const anchor *x, const anchor *y, char out[KG_PHRASE_MAX])
{
    int verbs[MAX_CHAIN + 1];
    if (x->verb == y->verb) {
        verbs[0] = x->verb;
        if (x->role == R_SUBJ && (y->role == R_OBJ || y->role == R_OBL))
            return kg_rel_path_phrase(s, verbs, 1, false, y->prep, y->noun, y->noun_prep, out);
        if (x->role == R_AGENT && y->role == R_PASS)
            return kg_rel_path_phrase(s, verbs, 1, false, -1, -1, -1, out);
        /* "Y was founded in Z"; "X was awarded the prize at Z" (a second
         * object the passive keeps, with the entity on it: the object
         * itself, "X might be excused Y", is the parse's slip) */
        if (x->role == R_PASS && (y->role == R_OBL || (y->role == R_OBJ && y->noun >= 0)))
            return kg_rel_path_phrase(s, verbs, 1, true, y->prep, y->noun, y->noun_prep, out);
        return false;
    }
    if (x->role != R_SUBJ || (y->role != R_OBJ && y->role != R_OBL))
        return false;
    int n = chain(s, x->verb, y->verb, verbs);
    return n > 0 && kg_rel_path_phrase(s, verbs, n, false, y->prep, y->noun, y->noun_prep, out);
}

/* A quotation mark, a semicolon or a colon between the mentions: one is in
 * quoted speech and the other in its dialogue tag ("'..., Jacob,'
 * faltered Scrooge"), or they are in clauses set side by side ("Martha
 * dusted the plates; Bob took Tiny Tim"): the parse's path between them
 * is not a relation. */
static bool boundary_between(const kg_words *s, int from, int to)
{
    for (int i = from; i <= to; i++) {
        int t = s->w[i].tag;
        const char *f = kg_words_form(s, i);
        if (t == KG_T_OQUOTE || t == KG_T_CQUOTE || strcmp(f, "\"") == 0 ||
            (strcmp(f, "'") == 0 && t != KG_T_POS) || strcmp(f, ";") == 0 || strcmp(f, ":") == 0)
            return true;
    }
    return false;
}

bool kg_rel_path(const kg_words *s, int alo, int ahi, int blo, int bhi, char out[KG_PHRASE_MAX],
                 bool *reverse)
{
    anchor a[MAX_ANCHORS], b[MAX_ANCHORS];
    *reverse = false;
    out[0] = 0;
    if (alo < 0 || blo < 0 || ahi >= s->n || bhi >= s->n || alo > ahi || blo > bhi)
        return false;
    if (boundary_between(s, ahi < blo ? ahi + 1 : bhi + 1, ahi < blo ? blo - 1 : alo - 1))
        return false;
    int na = anchors(s, alo, ahi, a), nb = anchors(s, blo, bhi, b);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) {
            if (relate(s, &a[i], &b[j], out))
                return true;
            if (relate(s, &b[j], &a[i], out)) {
                *reverse = true;
                return true;
            }
        }
    return false;
}

/* The nearest verb above word h (h itself not counted), -1 none. */
static int clause_of(const kg_words *s, int h)
{
    int k = 0;
    for (int v = s->w[h].head; v >= 0 && k <= s->n; v = s->w[v].head, k++)
        if (is_verb(s, v))
            return v;
    return -1;
}

bool kg_rel_same_clause(const kg_words *s, int alo, int ahi, int blo, int bhi)
{
    if (alo < 0 || blo < 0 || ahi >= s->n || bhi >= s->n || alo > ahi || blo > bhi)
        return false;
    if (boundary_between(s, ahi < blo ? ahi + 1 : bhi + 1, ahi < blo ? blo - 1 : alo - 1))
        return false;
    int va = clause_of(s, kg_rel_span_head(s, alo, ahi));
    return va >= 0 && va == clause_of(s, kg_rel_span_head(s, blo, bhi));
}
