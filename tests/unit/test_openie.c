/* Unit tests for nlp/openie and nlp/reltype on hand-made parses: each
 * construction (verb, passive, copula, apposition, relative clause,
 * reduced relative, control, coordination of predicates and of
 * arguments, clausal complement, possessive) gives exactly the triples
 * asserted, and the relation phrases of entity pairs are the normalised
 * ones.  The parses are written by hand in CoNLL-U (form, PTB tag, head,
 * label), so these tests check the rules alone, whatever the parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "syntax/conllu.h"
#include "nlp/oie_out.h"
#include "nlp/openie.h"
#include "syntax/postag.h"
#include "nlp/reltype.h"
#include "testutil.h"

/* A parse: one "form TAG head label" per word, words separated by "|". */
typedef struct parsed {
    kg_treebank *tb;
    kg_words w;
    kg_oie o;
    char text[2048];
} parsed;

static void parse(parsed *p, const char *spec)
{
    memset(p, 0, sizeof *p);
    kg_buf b = KG_BUF_INIT;
    int id = 1;
    char *copy = kg_xstrdup(spec);
    for (char *tok = strtok(copy, "|"); tok; tok = strtok(NULL, "|")) {
        char form[64], tag[16], label[32];
        int head;
        assert_int_equal(sscanf(tok, " %63s %15s %d %31s", form, tag, &head, label), 4);
        kg_buf_printf(&b, "%d\t%s\t_\t_\t%s\t_\t%d\t%s\t_\t_\n", id++, form, tag, head, label);
    }
    free(copy);
    kg_buf_puts(&b, "\n");
    kg_err e;
    assert_int_equal(kg_conllu_parse(b.data, b.len, "test", &p->tb, &e), KG_OK);
    kg_buf_free(&b);
    kg_words_from_tb(&p->w, &p->tb->sents[0]);
    /* The words' spans index the forms joined by single spaces. */
    size_t o = 0;
    for (int i = 0; i < p->w.n; i++) {
        const char *f = p->tb->sents[0].w[i].form;
        if (i)
            p->text[o++] = ' ';
        memcpy(p->text + o, f, strlen(f));
        o += strlen(f);
    }
    p->text[o] = 0;
    kg_openie(&p->w, &p->o);
}

static void done(parsed *p)
{
    kg_oie_free(&p->o);
    kg_words_free(&p->w);
    kg_treebank_free(p->tb);
}

/* All triples as "(rel; a1; a2...)" lines, in order. */
static char *triples(parsed *p)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < p->o.n; i++) {
        const kg_triple *x = &p->o.t[i];
        kg_buf_putc(&b, '(');
        kg_oie_part_text(p->text, &p->w, &p->o, &x->rel, &b);
        for (int k = 0; k < x->nargs; k++) {
            kg_buf_puts(&b, "; ");
            kg_oie_part_text(p->text, &p->w, &p->o, &x->arg[k], &b);
        }
        kg_buf_puts(&b, ")\n");
    }
    return b.data ? kg_buf_steal(&b) : kg_xstrdup("");
}

static void expect(const char *spec, const char *want)
{
    parsed p;
    parse(&p, spec);
    char *got = triples(&p);
    if (strcmp(got, want) != 0)
        fail_msg("parse %s\n got:\n%s want:\n%s", spec, got, want);
    free(got);
    done(&p);
}

static void test_verb(void **st)
{
    (void)st;
    expect("Keller NNP 2 nsubj|proposed VBD 0 root|the DT 4 det|network NN 2 obj|"
           "in IN 6 case|2019 CD 2 obl|. . 2 punct",
           "(proposed; Keller; the network; in 2019)\n");
    /* An oblique as the second argument: its preposition joins the relation. */
    expect("Keller NNP 2 nsubj|works VBZ 0 root|at IN 4 case|Lisbon NNP 2 obl|. . 2 punct",
           "(works at; Keller; Lisbon)\n");
    /* Negation and auxiliaries belong to the relation. */
    expect("Darcy NNP 4 nsubj|did VBD 4 aux|not RB 4 advmod|marry VB 0 root|Jane NNP 4 obj",
           "(did not marry; Darcy; Jane)\n");
    /* A particle too. */
    expect("They PRP 2 nsubj|set VBD 0 root|up RP 2 compound:prt|a DT 5 det|lab NN 2 obj",
           "(set up; They; a lab)\n");
}

static void test_passive(void **st)
{
    (void)st;
    expect("The DT 2 det|network NN 4 nsubj:pass|was VBD 4 aux:pass|proposed VBN 0 root|"
           "by IN 6 case|Keller NNP 4 obl:agent|. . 4 punct",
           "(was proposed by; The network; Keller)\n");
    expect("Lisbon NNP 3 nsubj:pass|is VBZ 3 aux:pass|located VBN 0 root|in IN 6 case|"
           "southern JJ 6 amod|Portugal NNP 3 obl",
           "(is located in; Lisbon; southern Portugal)\n");
}

static void test_copula(void **st)
{
    (void)st;
    expect("Keller NNP 4 nsubj|is VBZ 4 cop|a DT 4 det|professor NN 0 root|at IN 6 case|"
           "Lisbon NNP 4 nmod|. . 4 punct",
           "(is; Keller; a professor at Lisbon)\n");
    expect("Keller NNP 4 nsubj|is VBZ 4 cop|in IN 4 case|Lisbon NNP 0 root",
           "(is in; Keller; Lisbon)\n");
    /* A conjoined complement keeps the copula and the subject. */
    expect("She PRP 4 nsubj|was VBD 4 cop|a DT 4 det|doctor NN 0 root|and CC 7 cc|"
           "a DT 7 det|writer NN 4 conj",
           "(was; She; a doctor)\n(was; She; a writer)\n");
}

static void test_apposition(void **st)
{
    (void)st;
    expect(
        "Keller NNP 8 nsubj|, , 4 punct|a DT 4 det|professor NN 1 appos|at IN 6 case|"
        "Lisbon NNP 4 nmod|, , 4 punct|works VBZ 0 root|with IN 10 case|Smith NNP 8 obl",
        "(is; Keller; a professor at Lisbon)\n(works with; Keller , a professor at Lisbon; Smith)\n");
    /* The parser may hang the main verb on the name as a participle; the
     * apposition's first argument is still the noun phrase before it (it
     * was "Keller , proposed it"). */
    expect("Keller NNP 0 root|, , 4 punct|a DT 4 det|professor NN 1 appos|at IN 6 case|"
           "Lisbon NNP 4 nmod|, , 8 punct|proposed VBN 1 acl|it PRP 8 obj",
           "(is; Keller; a professor at Lisbon)\n(proposed; Keller , a professor at Lisbon; it)\n");
}

static void test_relative_clause(void **st)
{
    (void)st;
    /* The antecedent stands in for the relative pronoun as subject... */
    expect("Elizabeth NNP 2 nsubj|married VBD 0 root|Darcy NNP 2 obj|, , 6 punct|"
           "who WP 6 nsubj|owned VBD 3 acl:relcl|Pemberley NNP 6 obj|. . 2 punct",
           "(married; Elizabeth; Darcy)\n(owned; Darcy; Pemberley)\n");
    /* ...and as object. */
    expect("Smith NNP 2 nsubj|used VBD 0 root|the DT 4 det|network NN 2 obj|that WDT 7 obj|"
           "Keller NNP 7 nsubj|proposed VBD 4 acl:relcl",
           "(used; Smith; the network)\n(proposed; Keller; the network)\n");
    /* A copular antecedent gives its subject ("Celeski is a footballer who plays"). */
    expect("Celeski NNP 3 nsubj|is VBZ 3 cop|footballer NN 0 root|who WP 5 nsubj|"
           "plays VBZ 3 acl:relcl|for IN 8 case|the DT 8 det|Jets NNPS 5 obl",
           "(is; Celeski; footballer)\n(plays for; Celeski; the Jets)\n");
}

static void test_reduced_relative(void **st)
{
    (void)st;
    expect("They PRP 2 nsubj|used VBD 0 root|a DT 4 det|network NN 2 obj|"
           "proposed VBN 4 acl|by IN 7 case|Keller NNP 5 obl:agent",
           "(used; They; a network proposed by Keller)\n(proposed by; a network; Keller)\n");
}

static void test_control(void **st)
{
    (void)st;
    expect("Keller NNP 2 nsubj|began VBD 0 root|to TO 4 mark|study VB 2 xcomp|law NN 4 obj",
           "(began to study; Keller; law)\n");
}

static void test_coordination(void **st)
{
    (void)st;
    /* Conjoined predicates share the subject. */
    expect("Keller NNP 2 nsubj|founded VBD 0 root|Acme NNP 2 obj|and CC 5 cc|led VBD 2 conj|"
           "Initech NNP 5 obj",
           "(founded; Keller; Acme)\n(led; Keller; Initech)\n");
    /* Conjoined arguments give one triple each. */
    expect("Keller NNP 4 nsubj|and CC 3 cc|Smith NNP 1 conj|proposed VBD 0 root|GEN NNP 4 obj",
           "(proposed; Keller; GEN)\n(proposed; Smith; GEN)\n");
    expect("Keller NNP 2 nsubj|visited VBD 0 root|Lisbon NNP 2 obj|and CC 5 cc|Oslo NNP 3 conj",
           "(visited; Keller; Lisbon)\n(visited; Keller; Oslo)\n");
}

static void test_clausal_complement(void **st)
{
    (void)st;
    expect("This DT 2 det|finding NN 3 nsubj|indicated VBD 0 root|that IN 8 mark|"
           "organic JJ 6 amod|compounds NNS 8 nsubj|could MD 8 aux|carry VB 3 ccomp|"
           "current NN 8 obj",
           "(indicated that; This finding; organic compounds could carry current)\n"
           "(could carry; organic compounds; current)\n");
}

/* "the University of Lisbon in Portugal", "Pleasant Grove , Utah": where
 * a name is, said without a verb. */
static void test_prepositional(void **st)
{
    (void)st;
    expect("The DT 2 det|University NNP 8 nsubj|of IN 4 case|Lisbon NNP 2 nmod|in IN 6 case|"
           "Portugal NNP 2 nmod|is VBZ 8 cop|old JJ 0 root",
           "(is in; The University of Lisbon; Portugal)\n"
           "(is; The University of Lisbon in Portugal; old)\n");
    /* Not a month, not a common noun, not a name with a lower-case word. */
    expect("The DT 2 det|Festival NNP 4 nsubj|in IN 4 case|May NNP 2 nmod|ended VBD 0 root", "");
    expect("The DT 2 det|houses NNS 6 nsubj|in IN 4 case|Lisbon NNP 2 nmod|are VBP 6 cop|"
           "old JJ 0 root",
           "(are; The houses in Lisbon; old)\n");
    /* A place after a comma, the parser's apposition or conjunct. */
    expect("He PRP 2 nsubj|lives VBZ 0 root|in IN 5 case|Pleasant NNP 5 compound|"
           "Grove NNP 2 obl|, , 7 punct|Utah NNP 5 appos",
           "(lives in; He; Pleasant Grove , Utah)\n(is in; Pleasant Grove; Utah)\n");
    expect("He PRP 2 nsubj|lives VBZ 0 root|in IN 4 case|Paris NNP 2 obl|, , 6 punct|"
           "France NNP 4 conj",
           "(lives in; He; Paris)\n(is in; Paris; France)\n");
    /* A name of two words read as flat, the place an unmarked modifier. */
    expect("Born VBN 9 advcl|in IN 3 case|Santa NNP 1 obl|Cruz NNP 3 flat|, , 6 punct|"
           "California NNP 3 nmod:unmarked|, , 1 punct|Mattos NNP 9 nsubj|went VBD 0 root",
           "(Born in; Mattos; Santa Cruz , California)\n(is in; Santa Cruz; California)\n");
    /* Not inside a list of places ("Armenia , the North Caucasus , Iraq ,
     * Kuwait"), nor a place in a country named first. */
    expect("Armenia NNP 0 root|, , 4 punct|the DT 4 det|Caucasus NNP 1 conj|, , 6 punct|"
           "Iraq NNP 4 appos|, , 8 punct|Kuwait NNP 1 conj",
           "");
    expect("Caucasus NNP 0 root|, , 3 punct|Iraq NNP 1 appos|, , 5 punct|Kuwait NNP 1 conj", "");
    /* Not a car: "in a Porsche". */
    expect("He PRP 2 nsubj|won VBD 0 root|the DT 4 det|Cup NNP 2 obj|in IN 7 case|a DT 7 det|"
           "Porsche NNP 4 nmod",
           "(won; He; the Cup in a Porsche)\n");
    expect("We PRP 2 nsubj|visited VBD 0 root|France NNP 2 obj|, , 5 punct|Germany NNP 3 conj|"
           "and CC 7 cc|Italy NNP 3 conj",
           "(visited; We; France)\n(visited; We; Germany)\n(visited; We; Italy)\n");
    expect("We PRP 2 nsubj|visited VBD 0 root|France NNP 2 obj|, , 5 punct|Paris NNP 3 appos",
           "(visited; We; France , Paris)\n");
}

/* A name described by the noun before it; and the first argument of a
 * relation without a verb is the noun phrase only, not the clause a
 * predicate noun heads. */
static void test_nominal_of_predicate_noun(void **st)
{
    (void)st;
    /* A name with a describing noun before it. */
    expect("Childers NNP 3 nmod:poss|'s POS 1 case|biographer NN 4 nmod:desc|Andrew NNP 6 nsubj|"
           "Boyle NNP 4 flat|noted VBD 0 root|this DT 6 obj",
           "(had; Childers; biographer)\n(is; Andrew Boyle; Childers 's biographer)\n"
           "(noted; Childers 's biographer Andrew Boyle; this)\n");
    expect("They PRP 2 nsubj|hired VBD 0 root|educationist NN 4 compound|Peter NNP 2 obj|"
           "Engelmann NNP 4 flat",
           "(hired; They; educationist Peter Engelmann)\n(is; Peter Engelmann; educationist)\n");
    /* Not an honorific, not a word that says nothing of the name. */
    expect("Mr. NNP 2 nmod:desc|Hunt NNP 3 nsubj|left VBD 0 root", "");
    expect("downtown NN 2 compound|Milwaukee NNP 3 nsubj|grew VBD 0 root", "");
    expect("He PRP 4 nsubj|was VBD 4 cop|a DT 4 det|lawyer NN 0 root|, , 7 punct|a DT 7 det|"
           "politician NN 4 appos",
           "(was; He; a lawyer , a politician)\n(is; a lawyer; a politician)\n");
}

static void test_possessive(void **st)
{
    (void)st;
    expect("Lisbon NNP 3 nmod:poss|'s POS 1 case|university NN 5 nsubj|is VBZ 5 cop|old JJ 0 root",
           "(has; Lisbon; university)\n(is; Lisbon 's university; old)\n");
    /* In the tense of its clause, and the number of the owner. */
    expect("Lisbon NNP 3 nmod:poss|'s POS 1 case|university NN 5 nsubj|was VBD 5 cop|old JJ 0 root",
           "(had; Lisbon; university)\n(was; Lisbon 's university; old)\n");
    expect("The DT 2 det|students NNS 4 nmod:poss|' POS 2 case|teachers NNS 5 nsubj|"
           "left VBD 0 root",
           "(had; The students; teachers)\n");
    expect("The DT 2 det|students NNS 4 nmod:poss|' POS 2 case|teachers NNS 5 nsubj|"
           "leave VBP 0 root",
           "(have; The students; teachers)\n");
    /* Not for an owner the sentence does not mark as one. */
    expect("Declining VBG 2 amod|issues NNS 3 nmod:poss|advancers NNS 0 root", "");
    /* Not for pronouns. */
    expect("Her PRP$ 2 nmod:poss|university NN 4 nsubj|is VBZ 4 cop|old JJ 0 root",
           "(is; Her university; old)\n");
}

static void test_nothing_invented(void **st)
{
    (void)st;
    /* No verb, no copula: nothing. */
    expect("1 CD 0 root|2 CD 1 list|3 CD 1 list|4 CD 1 list", "");
    expect("Table NN 0 root|3 CD 1 nummod|: : 1 punct|results NNS 1 appos", "");
    /* A verb without a second argument: nothing. */
    expect("Keller NNP 2 nsubj|slept VBD 0 root|. . 2 punct", "");
}

/* A word the tagger read as a verb that cannot be one gives no triple;
 * a real verb in the same spot does. */
static void test_not_a_verb(void **st)
{
    (void)st;
    /* Not a word of letters (an e-mail address on an affiliation line). */
    expect("Germany NNP 2 nsubj|rwang@coli.uni-sb.de VBZ 0 root|Saarland NNP 4 compound|"
           "University NNP 2 obj",
           "");
    /* A noun WordNet never lists as a verb, in a form nouns share. */
    expect("algorithm NN 2 nsubj|parameter VBP 0 root|estimation NN 2 obj", "");
    expect("funds NNS 2 nsubj|inflows VBZ 0 root|bonds NNS 2 obj", "");
    /* ... but with a verb's own ending, or coordinated with a verb, it is one. */
    expect("Smith NNP 2 nsubj|texted VBD 0 root|Mary NNP 2 obj", "(texted; Smith; Mary)\n");
    expect("They PRP 2 nsubj|establish VBP 0 root|routes NNS 2 obj|, , 5 punct|"
           "increment VBP 2 conj|counts NNS 5 obj",
           "(establish; They; routes)\n(increment; They; counts)\n");
    /* A participle that is no verb's but WordNet's noun as written (a
     * tagging slip) is not one either; a real one with a noun's spelling
     * elsewhere ("building": build) is. */
    expect("Meramec NNP 2 nsubj|watershed VBD 0 root|Crawford NNP 2 obj", "");
    expect("Drought NNP 2 nsubj|droughted VBD 0 root|China NNP 2 obj",
           "(droughted; Drought; China)\n");
    expect("They PRP 2 nsubj|building VBG 0 root|houses NNS 2 obj", "(building; They; houses)\n");
    /* A capitalised word inside the sentence that WordNet has no verb for
     * is a name ("Jönköping" read as a gerund), not a predicate. */
    expect("Smith NNP 2 nsubj|Jönköping VBG 0 root|Sweden NNP 2 obj", "");
    /* A word WordNet does not know stays a verb. */
    expect("We PRP 2 nsubj|backpropagate VBP 0 root|errors NNS 2 obj",
           "(backpropagate; We; errors)\n");
    /* An acronym is not a verb ... unless the sentence is a headline. */
    expect("AIS NNP 2 nsubj|AIM VBP 0 root|itAIS NNP 6 compound|Addis NNP 6 compound|"
           "Ababa NNP 6 compound|University NNP 2 obj",
           "");
    expect("SCIENTISTS NNS 2 nsubj|DISCOVER VBP 0 root|PLANETS NNS 2 obj",
           "(DISCOVER; SCIENTISTS; PLANETS)\n");
}

/* A list of names that the parser hung as appositions of the first one
 * says nothing of who is whom ("Bart van Oort, Sergey Laptenok, Ton Visser
 * and Herbert Amerongen provided the data"; a paper's author line). */
static void test_name_list(void **st)
{
    (void)st;
    expect("Bart NNP 2 compound|van NN 12 nsubj|Oort NNP 2 flat|, , 5 punct|Sergey NNP 2 appos|"
           "Laptenok NNP 5 flat|, , 8 punct|Ton NNP 2 appos|Visser NNP 8 flat|and CC 11 cc|"
           "Amerongen NNP 8 conj|provided VBD 0 root|data NNS 12 obj",
           "(provided; Bart van Oort , Sergey Laptenok , Ton Visser and Amerongen; data)\n");
    /* A name set off after a common noun is still an apposition. */
    expect("the DT 2 det|label NN 7 nsubj|, , 4 punct|Frazzy NNP 5 compound|Music NNP 2 appos|"
           ", , 2 punct|released VBD 0 root|albums NNS 7 obj",
           "(is; the label; Frazzy Music)\n(released; the label , Frazzy Music; albums)\n");
}

/* The relation of two entity mentions (word ranges) in triple t; phrase
 * NULL: they have none. */
static void expect_pair(const char *spec, int t, int lo, int hi, const char *phrase, int reverse,
                        const char *category)
{
    parsed p;
    parse(&p, spec);
    assert_true(t < p.o.n);
    const kg_triple *x = &p.o.t[t];
    char out[KG_PHRASE_MAX];
    bool rev = false;
    bool ok = false;
    for (int k = 1; k < x->nargs && !ok; k++)
        ok = kg_rel_pair(&p.w, &p.o, x, k, lo, hi, out, &rev);
    if (!phrase) { /* none of the triple's arguments gives one */
        assert_false(ok);
        done(&p);
        return;
    }
    assert_true(ok);
    assert_string_equal(out, phrase);
    assert_int_equal(rev, reverse);
    const char *cat = kg_rel_category(out, NULL);
    if (category)
        assert_string_equal(cat ? cat : "(none)", category);
    else
        assert_null(cat);
    done(&p);
}

static void test_phrases(void **st)
{
    (void)st;
    expect_pair("Keller NNP 2 nsubj|proposed VBD 0 root|GEN NNP 2 obj", 0, 2, 2, "propose", 0,
                "CREATED");
    expect_pair("Keller NNP 2 nsubj|works VBZ 0 root|at IN 4 case|Lisbon NNP 2 obl", 0, 3, 3,
                "work at", 0, "WORKS_FOR");
    expect_pair("Elizabeth NNP 3 nsubj|has VBZ 3 aux|married VBN 0 root|Darcy NNP 3 obj", 0, 3, 3,
                "marry", 0, NULL);
    /* A passive with its agent reads actively: the agent is the source. */
    expect_pair("Acme NNP 3 nsubj:pass|was VBD 3 aux:pass|founded VBN 0 root|by IN 5 case|"
                "Jobs NNP 3 obl:agent",
                0, 4, 4, "found", 1, "CREATED");
    /* Without an agent it keeps its participle. */
    expect_pair("Keller NNP 3 nsubj:pass|was VBD 3 aux:pass|born VBN 0 root|in IN 5 case|"
                "Lisbon NNP 3 obl",
                0, 4, 4, "be born in", 0, NULL);
    /* A copula with the entity on its noun: be + noun + preposition. */
    expect_pair("Elizabeth NNP 4 nsubj|is VBZ 4 cop|the DT 4 det|daughter NN 0 root|of IN 7 case|"
                "Mr. NNP 7 compound|Bennet NNP 4 nmod",
                0, 5, 6, "be daughter of", 0, NULL);
    expect_pair("Keller NNP 4 nsubj|is VBZ 4 cop|a DT 4 det|professor NN 0 root|at IN 6 case|"
                "Lisbon NNP 4 nmod",
                0, 5, 5, "be professor at", 0, "WORKS_FOR");
    /* "One of the Ys" is a Y: be founder of (it was co-occurrence). */
    expect_pair("Kim NNP 3 nsubj|is VBZ 3 cop|one CD 0 root|of IN 6 case|the DT 6 det|"
                "founders NNS 3 nmod|of IN 8 case|Apple NNP 6 nmod",
                0, 7, 7, "be founder of", 0, "CREATED");
    expect_pair("Kim NNP 2 nsubj|became VBD 0 root|one CD 2 obj|of IN 7 case|the DT 7 det|"
                "first JJ 7 amod|members NNS 3 nmod|of IN 11 case|the DT 11 det|Royal NNP 11 amod|"
                "Society NNP 7 nmod",
                0, 9, 10, "become member of", 0, NULL);
    /* What is in a place is in the place the sentence puts that one in
     * ("Woodford County, Illinois": a relation without a verb). */
    expect_pair("Metamora NNP 2 compound|Township NNP 4 nsubj:pass|is VBZ 4 aux:pass|"
                "located VBN 0 root|in IN 7 case|Woodford NNP 7 compound|County NNP 4 obl|"
                ", , 9 punct|Illinois NNP 7 nmod:unmarked",
                0, 8, 8, "be located in", 0, "LOCATED_IN");
    expect_pair("Ellis NNP 4 nsubj|is VBZ 4 cop|a DT 4 det|city NN 0 root|in IN 7 case|"
                "Ellis NNP 7 compound|County NNP 4 nmod|, , 9 punct|Kansas NNP 7 nmod:unmarked",
                0, 8, 8, "be city in", 0, "LOCATED_IN");
    expect_pair("Rittman NNP 2 compound|High NNP 6 nsubj|is VBZ 6 cop|in IN 6 case|"
                "Battle NNP 6 compound|Creek NNP 0 root|, , 8 punct|Michigan NNP 6 nmod:unmarked",
                0, 7, 7, "be in", 0, "LOCATED_IN");
    /* Only "in": "a professor at the university of Lisbon, Portugal" is
     * not a professor at Portugal. */
    expect_pair(
        "Keller NNP 4 nsubj|is VBZ 4 cop|a DT 4 det|professor NN 0 root|at IN 7 case|"
        "Lisbon NNP 7 compound|University NNP 4 nmod|, , 9 punct|Portugal NNP 7 nmod:unmarked",
        0, 8, 8, NULL, 0, NULL);
    /* An apposition says the same. */
    expect_pair("Keller NNP 0 root|, , 4 punct|a DT 4 det|professor NN 1 appos|at IN 6 case|"
                "Lisbon NNP 4 nmod",
                0, 5, 5, "be professor at", 0, "WORKS_FOR");
    /* Negation stays, and takes the category away. */
    expect_pair("Darcy NNP 4 nsubj|did VBD 4 aux|not RB 4 advmod|marry VB 0 root|Jane NNP 4 obj", 0,
                4, 4, "not marry", 0, NULL);
}

static void test_names_carry_no_relation(void **st)
{
    (void)st;
    /* The place on a person's name is that person's, not the subject's:
     * once this gave "collaborate with samuel of". */
    const char *collab = "Keller NNP 2 nsubj|collaborates VBZ 0 root|with IN 6 case|Dr. NNP 6 "
                         "compound|Samuel NNP 6 compound|Okafor NNP 2 obl|of IN 9 case|"
                         "the DT 9 det|Lagos NNP 6 nmod";
    expect_pair(collab, 0, 3, 5, "collaborate with", 0, "COLLABORATES_WITH");
    expect_pair(collab, 0, 8, 8, NULL, 0, NULL);
    /* The same after a copula: "X is Samuel of Lagos". */
    expect_pair("Keller NNP 3 nsubj|is VBZ 3 cop|Samuel NNP 0 root|of IN 5 case|Lagos NNP 3 nmod",
                0, 4, 4, NULL, 0, NULL);
}

static void test_category_table(void **st)
{
    (void)st;
    bool flip = false;
    assert_string_equal(kg_rel_category("WORKS_FOR", &flip), "WORKS_FOR");
    assert_false(flip);
    assert_string_equal(kg_rel_category("employ", &flip), "WORKS_FOR");
    assert_true(flip);
    assert_string_equal(kg_rel_category("be located in", &flip), "LOCATED_IN");
    assert_string_equal(kg_rel_category("evaluate on", NULL), "EVALUATED_ON");
    assert_null(kg_rel_category("marry", NULL));
    assert_null(kg_rel_category(NULL, NULL));
    assert_true(kg_rel_is_ontology("CITES_OR_EXTENDS"));
    assert_false(kg_rel_is_ontology("propose"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verb),
        cmocka_unit_test(test_passive),
        cmocka_unit_test(test_copula),
        cmocka_unit_test(test_apposition),
        cmocka_unit_test(test_relative_clause),
        cmocka_unit_test(test_reduced_relative),
        cmocka_unit_test(test_control),
        cmocka_unit_test(test_coordination),
        cmocka_unit_test(test_clausal_complement),
        cmocka_unit_test(test_prepositional),
        cmocka_unit_test(test_nominal_of_predicate_noun),
        cmocka_unit_test(test_possessive),
        cmocka_unit_test(test_nothing_invented),
        cmocka_unit_test(test_not_a_verb),
        cmocka_unit_test(test_name_list),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_names_carry_no_relation),
        cmocka_unit_test(test_category_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
