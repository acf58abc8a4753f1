/* analyse: see analyse.h. */
#include "syntax/analyse.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ml/mfile.h"
#include "syntax/models.h"
#include "syntax/ptb.h"

struct kg_analyser {
    kg_mfile *pos_file, *parse_file;
    kg_postag *tagger;
    kg_depparse *parser;
};

static int finish(kg_analyser *a, kg_err *err)
{
    int rc = kg_postag_load(a->pos_file, &a->tagger, err);
    if (!rc)
        rc = kg_depparse_load(a->parse_file, &a->parser, err);
    return rc;
}

int kg_analyser_open(const char *pos_path, const char *parse_path, kg_analyser **out, kg_err *err)
{
    *out = NULL;
    kg_analyser *a = kg_xcalloc(1, sizeof *a);
    int rc = kg_mfile_open(pos_path, "pos", &a->pos_file, err);
    if (!rc)
        rc = kg_mfile_open(parse_path, "parse", &a->parse_file, err);
    if (!rc)
        rc = finish(a, err);
    if (rc) {
        kg_analyser_close(a);
        return rc;
    }
    *out = a;
    return KG_OK;
}

void kg_analyser_close(kg_analyser *a)
{
    if (!a)
        return;
    kg_postag_free(a->tagger);
    kg_depparse_free(a->parser);
    kg_mfile_close(a->pos_file);
    kg_mfile_close(a->parse_file);
    free(a);
}

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static kg_analyser *default_analyser;
static kg_err default_err;

static void load_default(void)
{
    kg_analyser *a = kg_xcalloc(1, sizeof *a);
    int rc = kg_model_open("pos", &a->pos_file, &default_err);
    if (!rc)
        rc = kg_model_open("parse", &a->parse_file, &default_err);
    if (!rc)
        rc = finish(a, &default_err);
    if (rc) {
        kg_analyser_close(a);
        return;
    }
    default_analyser = a;
}

int kg_analyser_default(const kg_analyser **out, kg_err *err)
{
    pthread_once(&default_once, load_default);
    *out = default_analyser;
    if (!default_analyser) {
        if (err)
            *err = default_err;
        return default_err.code ? default_err.code : KG_EFORMAT;
    }
    return KG_OK;
}

const kg_postag *kg_analyser_tagger(const kg_analyser *a)
{
    return a->tagger;
}

const kg_depparse *kg_analyser_parser(const kg_analyser *a)
{
    return a->parser;
}

/* Inside a noun phrase, walking left from its head. */
static bool np_inside(int t)
{
    return kg_tag_is_noun(t) || kg_tag_is_adj(t) || t == KG_T_DT || t == KG_T_PRPS ||
           t == KG_T_CD || t == KG_T_POS || t == KG_T_HYPH;
}

/* Does words [a, b) read as a clause: its first verb has a noun or
 * pronoun before it that is not the object of a preposition ("Master
 * Peter mashed", "she did"; not "and, without a witness, consented" nor
 * "and, without him, consented", whose subject is the clause's before the
 * semicolon)? */
static bool clause_like(const kg_words *s, int a, int b)
{
    int v = a;
    while (v < b && !kg_tag_is_verb(s->w[v].tag))
        v++;
    if (v == b)
        return false;
    int k = v - 1;
    while (k >= a && (kg_tag_is_adv(s->w[k].tag) || kg_words_form_is(s, k, ",")))
        k--;
    if (k < a || !(kg_tag_is_noun(s->w[k].tag) || s->w[k].tag == KG_T_PRP))
        return false;
    int j = k - 1; /* the word before the noun phrase ("without him") */
    while (j >= a && np_inside(s->w[j].tag))
        j--;
    return j < a || (s->w[j].tag != KG_T_IN && s->w[j].tag != KG_T_TO);
}

/* Parse words [a, b) of s as a sentence of their own: the parser reads a
 * view of the range (the same words, the same arena), then its heads are
 * moved back to s's numbering.  Returns the range's root. */
static int parse_range(const kg_depparse *p, kg_words *s, int a, int b)
{
    kg_words view = *s;
    view.w = s->w + a;
    view.n = b - a;
    kg_depparse_run(p, &view);
    int root = -1;
    for (int i = a; i < b; i++) {
        if (s->w[i].head >= 0)
            s->w[i].head = (int16_t)(s->w[i].head + a);
        else if (root < 0)
            root = i;
    }
    return root;
}

/* Clauses a semicolon sets side by side ("Mrs. Cratchit made the gravy;
 * Master Peter mashed the potatoes; Martha dusted the plates") are parsed
 * one by one and joined as parataxis under the first one's root: the
 * parser, trained mostly on short web sentences, otherwise hands one
 * clause's subject to the next one's verb.  A semicolon that does not
 * stand between two clauses (a list, "Paris, France; Lyon, France") is
 * left to the parser. */
static void parse_clauses(const kg_depparse *p, kg_words *s)
{
    int from = 0, first_root = -1, prev_semi = -1;
    for (int i = 0; i <= s->n; i++) {
        bool semi = i < s->n && kg_words_form_is(s, i, ";");
        if (i < s->n && !semi)
            continue;
        /* The range [from, i] ends with this semicolon; cut after it when
         * the words between the semicolon before it (or the range's
         * start) and it, and those between it and the next one (or the
         * end), each read as a clause. */
        if (semi) {
            int next = i + 1;
            while (next < s->n && !kg_words_form_is(s, next, ";"))
                next++;
            int left = prev_semi >= from ? prev_semi + 1 : from;
            prev_semi = i;
            if (!clause_like(s, left, i) || !clause_like(s, i + 1, next))
                continue;
        }
        int end = semi ? i + 1 : s->n;
        if (from == 0 && end == s->n) {
            kg_depparse_run(p, s); /* no cut: the sentence whole */
            return;
        }
        int root = parse_range(p, s, from, end);
        if (first_root < 0)
            first_root = root;
        else if (root >= 0) {
            s->w[root].head = (int16_t)first_root;
            s->w[root].dep = KG_D_PARATAXIS;
        }
        from = end;
    }
}

int kg_analyse(const kg_analyser *a, const char *text, size_t start, size_t end, int max_words,
               kg_words *s)
{
    if (max_words <= 0 || max_words > KG_PARSE_MAX_WORDS)
        max_words = max_words <= 0 ? KG_ANALYSE_MAX_WORDS : KG_PARSE_MAX_WORDS;
    int n = kg_words_from_text(s, text, start, end, max_words);
    if (n <= 0)
        return n;
    kg_postag_run(a->tagger, s);
    parse_clauses(a->parser, s);
    return n;
}
