/* Unit tests for nlp/relate through the shipped tagger and parser: typed
 * relations of simple sentences (verbs, passives, copulas, appositions,
 * relative clauses), co-occurrence and its cap, the typing counts, bad
 * input (a 5,000-word sentence, lists of numbers, no verbs) and threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "base/buf.h"
#include "syntax/analyse.h"
#include "nlp/relate.h"
#include "nlp/relpath.h"
#include "nlp/relspeech.h"
#include "testutil.h"

/* Mentions are written [Like This] in s, or [Like This|TYPE] to give
 * their type (else "X"); the brackets are removed and each mention gets
 * entity = index of its distinct name.  Sentences end at ". ". */
typedef struct doc {
    char text[1024];
    kg_relate_span sents[32];
    int ns;
    kg_relate_mention m[64];
    int nm;
    char names[64][64];
    char types[64][16];
    int nnames;
} doc;

static void mkdoc(doc *d, const char *s)
{
    memset(d, 0, sizeof *d);
    size_t o = 0;
    int64_t sent_start = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '[') {
            const char *q = strchr(p, ']');
            assert_non_null(q);
            const char *bar = memchr(p, '|', (size_t)(q - p));
            size_t len = (size_t)((bar ? bar : q) - p - 1);
            char name[64];
            memcpy(name, p + 1, len);
            name[len] = 0;
            snprintf(d->types[d->nm], sizeof d->types[0], "%.*s", bar ? (int)(q - bar - 1) : 1,
                     bar ? bar + 1 : "X");
            int e = 0;
            while (e < d->nnames && strcmp(d->names[e], name) != 0)
                e++;
            if (e == d->nnames)
                strcpy(d->names[d->nnames++], name);
            d->m[d->nm] = (kg_relate_mention){(int64_t)o, (int64_t)(o + len), d->types[d->nm], e};
            d->nm++;
            memcpy(d->text + o, name, len);
            o += len;
            p = q;
            continue;
        }
        d->text[o++] = *p;
        if (*p == '.' && (p[1] == ' ' || p[1] == 0)) {
            d->sents[d->ns++] = (kg_relate_span){sent_start, (int64_t)o};
            sent_start = (int64_t)o + 1;
        }
    }
    if (sent_start < (int64_t)o)
        d->sents[d->ns++] = (kg_relate_span){sent_start, (int64_t)o};
}

static kg_relate_list *run(doc *d, const char *s, int cap)
{
    mkdoc(d, s);
    kg_relate_list *l;
    kg_err e;
    assert_int_equal(
        kg_relate_extract(d->text, strlen(d->text), d->sents, d->ns, d->m, d->nm, cap, &l, &e),
        KG_OK);
    return l;
}

static int ent(const doc *d, const char *name)
{
    for (int i = 0; i < d->nnames; i++)
        if (strcmp(d->names[i], name) == 0)
            return i;
    fail_msg("no entity %s", name);
    return -1;
}

/* The one relation between a and b that is not a co-occurrence. */
static void expect(const char *s, const char *a, const char *type, const char *b,
                   const char *method)
{
    doc d;
    kg_relate_list *l = run(&d, s, 0);
    int found = 0;
    for (int i = 0; i < l->n; i++) {
        if (strncmp(l->v[i].method, "cooccur", 7) == 0)
            continue;
        found++;
        if (l->v[i].source != ent(&d, a) || l->v[i].target != ent(&d, b) ||
            strcmp(l->v[i].type, type) != 0 || strcmp(l->v[i].method, method) != 0)
            fail_msg("\"%s\": got %s -%s/%s-> %s, want %s -%s/%s-> %s", s, d.names[l->v[i].source],
                     l->v[i].type, l->v[i].method, d.names[l->v[i].target], a, type, method, b);
    }
    if (found != 1)
        fail_msg("\"%s\": %d typed relations, want 1", s, found);
    kg_relate_list_free(l);
}

static void test_typed_relations(void **st)
{
    (void)st;
    expect("[Alice] works for [Acme].", "Alice", "work for", "Acme", "verb");
    expect("[Keller] proposed [GEN] in 2019.", "Keller", "propose", "GEN", "verb");
    expect("[Elizabeth] married [Darcy].", "Elizabeth", "marry", "Darcy", "verb");
    /* A passive's agent is the source. */
    expect("[Apple] was founded by [Jobs].", "Jobs", "found", "Apple", "verb");
    expect("[Lisbon] is located in [Portugal].", "Lisbon", "be located in", "Portugal", "verb");
    expect("[Bob] is a professor at [MIT].", "Bob", "be professor at", "MIT", "copula");
    expect("[Jane] is the sister of [Elizabeth].", "Jane", "be sister of", "Elizabeth", "copula");
    expect("[Ada], the director of [the lab], spoke.", "Ada", "be director of", "the lab",
           "apposition");
    /* The antecedent of a relative clause is its subject. */
    expect("[Jobs], who founded [Apple], died.", "Jobs", "found", "Apple", "verb");
}

/* The pairs of s that are not co-occurrences, as "a -type/method-> b; ". */
static void typed_of(const char *s, char *out, size_t cap)
{
    doc d;
    kg_relate_list *l = run(&d, s, 0);
    out[0] = 0;
    for (int i = 0; i < l->n; i++) {
        if (strncmp(l->v[i].method, "cooccur", 7) == 0)
            continue;
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s -%s/%s-> %s; ", d.names[l->v[i].source], l->v[i].type,
                 l->v[i].method, d.names[l->v[i].target]);
    }
    kg_relate_list_free(l);
}

/* Each case's sentence must give exactly the typed pairs written beside it. */
static void typed_cases(const char *const (*cases)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char got[512];
        typed_of(cases[i][0], got, sizeof got);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i][0], got, cases[i][1]);
    }
}

/* Pairs no triple joins, typed from the dependency path through a verb
 * (nlp/relpath), and the pairs that path must leave alone. */
static void test_path_relations(void **st)
{
    (void)st;
    static const char *const cases[][2] = {
        /* the mention is a conjunct of the common noun that is the subject */
        {"His two sons, [Peter] and Paul, moved to [London].", "Peter -move to/path-> London; "},
        /* the mention names the common noun that is the subject: the
         * triple's own subject since 2026-12-07 (nlp/reltype) */
        {"His nephew [Fred] visited [Scrooge] on Christmas Day.", "Fred -visit/verb-> Scrooge; "},
        /* a triple joins them: the path adds nothing */
        {"[Scrooge] began to hate [Marley].", "Scrooge -begin to hate/verb-> Marley; "},
        /* a dialogue tag: the vocative is no argument of "faltered", no
         * path relates them; the speech rule does (test_speech; "say to"
         * for a person, and these mentions have no type) */
        {"'But you were always a good man of business, [Jacob],' faltered [Scrooge].",
         "Scrooge -speak of/speech-> Jacob; "},
        /* clauses side by side */
        {"[Martha] dusted the hot plates; [Bob] took the knife.", ""},
        /* an owner is not the subject */
        {"[Keller]'s student met the dean.", ""},
        /* two subjects of one verb: a list */
        {"[Alice] and [Bob] slept.", ""},
        /* a capitalised word WordNet knows as a noun is a common noun: the
         * mention names it or hangs on it */
        {"In 2011, the President of South Africa, [Jacob Zuma], attended the summit in "
         "[Sanya], China.",
         "Jacob Zuma -attend summit in/path-> Sanya; "},
        /* a passive keeps a second object, and the mention hangs on it */
        {"In 2006, [Spielberg] was awarded the Gold Hugo Lifetime Achievement Award at the "
         "[Summer Gala].",
         "Spielberg -be awarded award at/path-> Summer Gala; "},
        /* a passive through a noun keeps its five words */
        {"The [RTE system] is used as a core component of the [AVE system].",
         "RTE system -be used as component of/path-> AVE system; "},
    };
    typed_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Parses that must not become relations (each read in an ingest of real
 * text): a clause hung on its subject as a participle is active; a clause
 * is no entity's argument; a complementiser belongs to its clause only; a
 * noun on a bare third argument is a parse across a list; a subject the
 * tagger read as a verb with an object is a clause parsed wrong. */
static void test_typing_slips(void **st)
{
    (void)st;
    static const char *const cases[][2] = {
        {"Martha ran into his arms, while the two young [Cratchits] hustled [Tiny Tim].",
         "Cratchits -hustle/verb-> Tiny Tim; "},
        {"[Margaret Sanger] (born [Margaret Higgins]) was an activist.",
         "Margaret Sanger -be born/verb-> Margaret Higgins; "},
        {"If cohspec$type is \"[seq]\" a sequential exponential [decay model] is applied, whose "
         "parameters are contained in coh.",
         ""},
        {"[Pliny] the Elder records that the first sundial in Rome arrived in 264 BC, looted "
         "from [Catania], Sicily.",
         ""},
        {"[MDRPM] is validated through both static and dynamic validation, the results of "
         "[static and dynamic validation] shows that it can be practically implemented.",
         ""},
        {"[MDRPM] is validated through [static validation], the results of [dynamic validation] "
         "show that it can be implemented.",
         "MDRPM -be validated through/verb-> static validation; "},
    };
    typed_cases(cases, sizeof cases / sizeof cases[0]);
}

/* A name after "the city of", "the towns of" (an argument) or "most of"
 * (a subject) is what the noun stands for; not after a noun with a
 * modifier of its own, not a copula's "the island of" without a
 * preposition, not a list running on after a singular noun, and "part
 * of" as a complement keeps its noun.  A name in apposition to a verb's
 * common-noun argument is that argument. */
static void test_named_through_a_noun(void **st)
{
    (void)st;
    static const char *const cases[][2] = {
        {"Most of [Ireland] seceded from [the United Kingdom] after the war.",
         "Ireland -secede from/verb-> the United Kingdom; "},
        {"[Kim] was born in the village of [Vyatskoye].", "Kim -be born in/verb-> Vyatskoye; "},
        {"[Ellis Island] is in the states of [New York] and [New Jersey].",
         "Ellis Island -be in/copula-> New York; Ellis Island -be in/copula-> New Jersey; "},
        {"[Boston] is bordered by the towns of [Winthrop] and [Revere].",
         "Winthrop -border/verb-> Boston; Revere -border/verb-> Boston; "},
        {"[Tokyo] is the largest city of [Japan].", "Tokyo -be city of/copula-> Japan; "},
        {"[The Church] is part of [the Communion].",
         "The Church -be part of/copula-> the Communion; "},
        {"[Diana] grew up on the island of [Saint Helena], [Senegal] and [Benin].",
         "Diana -grow up on/verb-> Saint Helena; "},
        /* a name in apposition to a common-noun argument is the argument;
         * not across a semicolon (test_path_relations) */
        {"The first four siblings ([Waldtraud], [Verena] and [Wolfgang]) were born in [Germany].",
         "Waldtraud -be born in/verb-> Germany; Verena -be born in/verb-> Germany; "
         "Wolfgang -be born in/verb-> Germany; "},
        {"[Elizabeth] lived at Longbourn with her sister [Jane].",
         "Elizabeth -live with/verb-> Jane; "},
        /* an owner of the noun is related through it, as "the sister of Y"
         * is; the owner of a subject is not the subject */
        {"[Jane] is [Elizabeth]'s sister.", "Jane -be sister of/copula-> Elizabeth; "},
        {"[Darcy] married [Elizabeth]'s sister.", "Darcy -marry sister of/verb-> Elizabeth; "},
        {"[Keller]'s student met [Smith] in May.", ""},
        /* a title left out of the name heads it in the parse */
        {"When Mr [Gibbs] had chosen [Joan Gildea], he left.",
         "Gibbs -choose/verb-> Joan Gildea; "},
        {"Lord [Palmerston] opened the mine at [Spinney Park].",
         "Palmerston -open mine at/verb-> Spinney Park; "},
    };
    typed_cases(cases, sizeof cases / sizeof cases[0]);
}

/* The index of the word with form f in the parsed sentence. */
static int word(const kg_words *w, const char *f)
{
    for (int i = 0; i < w->n; i++)
        if (strcmp(kg_words_form(w, i), f) == 0)
            return i;
    fail_msg("no word %s", f);
    return -1;
}

/* Dialogue: the speaker of a quotation says something to a person it
 * addresses and speaks of the names in it (nlp/relspeech); a pronoun or
 * a possessor is no speaker, a nationality nothing spoken of. */
static void test_speech(void **st)
{
    (void)st;
    static const char *const cases[][2] = {
        {"'A merry Christmas, [Bob|PERSON]!' said [Scrooge|PERSON], with an earnestness that "
         "could not be mistaken.",
         "Scrooge -say to/speech-> Bob; "},
        {"'[Marley|PERSON] has been dead these seven years,' [Scrooge|PERSON] replied.",
         "Scrooge -speak of/speech-> Marley; "},
        /* the parser makes the speaker after the verb an object */
        {"'But you were always a good man of business, [Jacob|PERSON],' faltered "
         "[Scrooge|PERSON], who now began to apply this to himself.",
         "Scrooge -say to/speech-> Jacob; "},
        {"'Why, it is impossible to carry that to [Camden Town|GPE],' said [Scrooge|PERSON].",
         "Scrooge -speak of/speech-> Camden Town; "},
        {"'Here is [Martha|PERSON], mother!' cried the two young [Cratchits|PERSON].",
         "Cratchits -speak of/speech-> Martha; "},
        {"'Mr [Scrooge|PERSON]!' said [Bob|PERSON].", "Bob -say to/speech-> Scrooge; "},
        /* the parse makes the vocative the object of "said": no triple
         * across a quotation mark in dialogue */
        {"'[Fred|PERSON]!' said [Scrooge|PERSON].", "Scrooge -say to/speech-> Fred; "},
        {"\u201cGood evening, [Rachel|PERSON],\u201d [Marilla|PERSON] said briskly.",
         "Marilla -say to/speech-> Rachel; "},
        {"'Spirit,' said [Scrooge|PERSON], 'tell me if [Tiny Tim|PERSON] will live.'",
         "Scrooge -speak of/speech-> Tiny Tim; "},
        {"\"Really, [Watson|PERSON], you excel yourself,\" said [Holmes|PERSON], pushing back "
         "his chair.",
         "Holmes -say to/speech-> Watson; "},
        {"\"No mention of that local hunt, [Watson|PERSON],\" said [Holmes|PERSON] with a "
         "smile.",
         "Holmes -say to/speech-> Watson; "},
        {"\"Do not scrunch up like that, [Huckleberry|PERSON] -- set up straight,\" said "
         "[Watson|PERSON].",
         "Watson -say to/speech-> Huckleberry; "},
        /* a quotation run on from the sentence before, a second one after */
        {"And [Valentine|PERSON],' said [Scrooge|PERSON], 'and his wild brother, [Orson|PERSON]; "
         "there they go!",
         "Scrooge -speak of/speech-> Valentine; Scrooge -speak of/speech-> Orson; "},
        /* a name between commas inside a quotation is one of a list; a
         * quotation right after the verb is its object, a title */
        {"'He admired [Bergson|PERSON], [Whitehead|PERSON], and others,' wrote "
         "[Popper|PERSON].",
         "Popper -speak of/speech-> Bergson; Popper -speak of/speech-> Whitehead; "},
        {"[Cornell|PERSON] wrote \"Say Hello to [Heaven|LOC]\" as a tribute to [Wood|PERSON].", ""},
        /* a quotation running on past the sentence's end, a name last */
        {"[Scrooge|PERSON] said, 'Come here at once, [Bob|PERSON]",
         "Scrooge -say to/speech-> Bob; "},
        /* the niece speaks, not Scrooge; "he" is no entity */
        {"'Do go on, [Fred|PERSON],' said [Scrooge|PERSON]'s niece.", ""},
        {"'[Bob|PERSON], come here,' he said to [Scrooge|PERSON].", ""},
        {"'I am an [American|NORP] boy,' said [Randolph|PERSON].", ""},
        /* an apostrophe closes no quotation; no verb of saying, no speech */
        {"The [Cratchits|PERSON]' house was warm, and [Bob|PERSON] sat down.", ""},
        {"'[Bob|PERSON] and the pudding!' [Scrooge|PERSON] ate the goose.", ""},
    };
    typed_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Where kg_speech_find puts the quotations and the speaker. */
static void speech_is(const char *s, int nq, const char *speaker)
{
    const kg_analyser *an;
    kg_err e;
    assert_int_equal(kg_analyser_default(&an, &e), KG_OK);
    kg_words w = KG_WORDS_INIT;
    assert_true(kg_analyse(an, s, 0, strlen(s), 0, &w) > 0);
    kg_speech sp;
    bool got = kg_speech_find(&w, &sp);
    if (got != (speaker != NULL) || (got && (sp.nq != nq || sp.speaker != word(&w, speaker))))
        fail_msg("\"%s\": got %d, %d quotations, speaker %d; want %d, %s", s, got, sp.nq,
                 sp.speaker, nq, speaker ? speaker : "none");
    kg_words_free(&w);
}

static void test_speech_quotes(void **st)
{
    (void)st;
    speech_is("'Couldn't I take 'em all at once, Jacob?' hinted Scrooge.", 1, "Scrooge");
    speech_is("And Valentine,' said Scrooge, 'and his wild brother, Orson; there they go!", 2,
              "Scrooge");
    speech_is("Fred went down a slide--'just a little down, you know,' said Bob.", 1, "Bob");
    speech_is("\u201cNo,\u201d said Lucy, \u201cnot at all.\u201d", 2, "Lucy");
    speech_is("The Cratchits' house was warm, said Bob.", 0, NULL);
    speech_is("Scrooge said nothing at all.", 0, NULL);
}

/* kg_rel_path on the one-word mentions a and b of sentence s: the phrase
 * ("" none) and its direction. */
static void path_is(const char *s, const char *a, const char *b, const char *want, bool rev)
{
    const kg_analyser *an;
    kg_err e;
    assert_int_equal(kg_analyser_default(&an, &e), KG_OK);
    kg_words w = KG_WORDS_INIT;
    assert_true(kg_analyse(an, s, 0, strlen(s), 0, &w) > 0);
    int x = word(&w, a), y = word(&w, b);
    char out[KG_PHRASE_MAX];
    bool r = false;
    bool got = kg_rel_path(&w, x, x, y, y, out, &r);
    if (got != (want[0] != 0) || (got && (strcmp(out, want) != 0 || r != rev)))
        fail_msg("\"%s\" %s/%s: got %d \"%s\" rev %d, want \"%s\" rev %d", s, a, b, got, out, r,
                 want, rev);
    kg_words_free(&w);
}

static void same_clause_is(const char *s, const char *a, const char *b, bool want)
{
    const kg_analyser *an;
    kg_err e;
    assert_int_equal(kg_analyser_default(&an, &e), KG_OK);
    kg_words w = KG_WORDS_INIT;
    assert_true(kg_analyse(an, s, 0, strlen(s), 0, &w) > 0);
    int x = word(&w, a), y = word(&w, b);
    if (kg_rel_same_clause(&w, x, x, y, y) != want)
        fail_msg("\"%s\" %s/%s: same clause should be %d", s, a, b, want);
    kg_words_free(&w);
}

/* The path rules themselves, on parsed sentences, including what the
 * triples usually type first. */
static void test_path_rules(void **st)
{
    (void)st;
    path_is("Scrooge began to hate Marley.", "Scrooge", "Marley", "begin to hate", false);
    path_is("Scrooge rose and followed Fred.", "Scrooge", "Fred", "follow", false);
    path_is("Marley, whom Scrooge knew, died.", "Marley", "Scrooge", "know", true);
    path_is("Apple was founded by Jobs.", "Apple", "Jobs", "found", true);
    path_is("Lisbon is located in Portugal.", "Lisbon", "Portugal", "be located in", false);
    path_is("Franco took over the government of Spain.", "Franco", "Spain",
            "take over government of", false);
    /* object control: Schwartz gains the entry, not Shostakovich */
    path_is("Shostakovich helped Schwartz gain entry to Harvard.", "Shostakovich", "Harvard", "",
            false);
    /* separate clauses, lists, dialogue */
    path_is("Alice thinks that Bob left.", "Alice", "Bob", "", false);
    path_is("Alice and Bob slept.", "Alice", "Bob", "", false);
    path_is("'Goodbye, Jacob,' said Scrooge.", "Jacob", "Scrooge", "", false);
    same_clause_is("Scrooge met Fred in London.", "Scrooge", "Fred", true);
    same_clause_is("'Goodbye, Jacob,' said Scrooge.", "Jacob", "Scrooge", false);
    same_clause_is("Alice thinks that Bob left.", "Alice", "Bob", false);
}

static int count_method(const kg_relate_list *l, const char *method)
{
    int n = 0;
    for (int i = 0; i < l->n; i++)
        n += strcmp(l->v[i].method, method) == 0;
    return n;
}

static void test_cooccurrence_and_cap(void **st)
{
    (void)st;
    doc d;
    /* Conjoined subjects each go to Paris; the two only co-occur, with no
     * verb between them: undirected, low confidence. */
    kg_relate_list *l = run(&d, "[Alice] and [Bob] went to [Paris]. [Carol] slept.", 0);
    int co = 0, typed = 0;
    for (int i = 0; i < l->n; i++) {
        const kg_relate_rel *r = &l->v[i];
        if (strcmp(r->method, "cooccur") == 0) {
            co++;
            assert_string_equal(r->type, "RELATED_TO");
            assert_true(r->source < r->target);
            assert_true(r->confidence < 0.5);
            assert_int_equal(r->start, 0);
            assert_int_equal(d.text[r->end - 1], '.');
        } else {
            typed++;
            assert_string_equal(r->type, "go to");
            assert_int_equal(r->target, ent(&d, "Paris"));
        }
    }
    assert_int_equal(co, 1);
    assert_int_equal(typed, 2);
    assert_int_equal(l->counts.typed_pairs, 2);
    assert_int_equal(l->counts.sentences_analysed, 1);
    kg_relate_list_free(l);

    /* A typed pair gets no extra co-occurrence; a pair with a verb between
     * them that the rules cannot type is marked so. */
    l = run(&d, "[Alice] thinks that [Bob] left.", 0);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->v[0].method, "cooccur-verb");
    assert_int_equal(l->counts.cooccur_verb_pairs, 1);
    assert_int_equal(l->counts.typed_pairs, 0);
    kg_relate_list_free(l);

    /* Repeated mentions of one entity produce no self-relations or dupes. */
    l = run(&d, "[Alice] and [Bob] and [Alice] and [Bob].", 0);
    assert_int_equal(l->n, 1);
    kg_relate_list_free(l);

    /* 20 distinct entities in one sentence: neighbours only (19), not 190,
     * and a list of names is no relation. */
    char s[512] = "";
    for (int i = 0; i < 20; i++) {
        char t[16];
        snprintf(t, sizeof t, "[E%d], ", i);
        strcat(s, t);
    }
    strcat(s, "etc.");
    l = run(&d, s, 0);
    assert_int_equal(l->n, 19);
    assert_int_equal(count_method(l, "cooccur"), 19);
    kg_relate_list_free(l);
    l = run(&d, s, 25); /* a higher cap: all pairs */
    assert_int_equal(l->n, 190);
    kg_relate_list_free(l);

    /* Mentions outside the text are an error. */
    kg_relate_mention bad = {5, 50, "X", 0};
    kg_relate_span sp = {0, 4};
    kg_err e;
    assert_int_equal(kg_relate_extract("abcd", 4, &sp, 1, &bad, 1, 0, &l, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "outside"));
}

/* Bad input: a sentence of 5,000 words is not analysed (bounded work) and
 * its entities only co-occur; numbers and tables invent nothing. */
static void test_bad_input(void **st)
{
    (void)st;
    kg_buf b = KG_BUF_INIT;
    kg_buf_puts(&b, "Alice met Bob");
    for (int i = 0; i < 5000; i++)
        kg_buf_printf(&b, " and %d", i);
    kg_buf_puts(&b, ".");
    kg_relate_span sp = {0, (int64_t)b.len};
    kg_relate_mention m[2] = {{0, 5, "PERSON", 0}, {10, 13, "PERSON", 1}};
    kg_relate_list *l = NULL;
    kg_err e;
    assert_int_equal(kg_relate_extract(b.data, b.len, &sp, 1, m, 2, 0, &l, &e), KG_OK);
    assert_int_equal(l->counts.sentences_too_long, 1);
    assert_int_equal(l->counts.sentences_analysed, 0);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->v[0].method, "cooccur");
    kg_relate_list_free(l);
    kg_buf_free(&b);

    doc d;
    l = run(&d, "[Table 3]: 12 14 15 17 [Group B] 0.5 0.7 1.2 3.4.", 0);
    assert_int_equal(count_method(l, "cooccur") + count_method(l, "cooccur-verb"), l->n);
    kg_relate_list_free(l);
    l = run(&d, "1 2 3 4 5 [Alpha] 6 7 8 9 [Beta] 10 11 12.", 0);
    assert_int_equal(count_method(l, "cooccur") + count_method(l, "cooccur-verb"), l->n);
    kg_relate_list_free(l);
}

/* Many sentences, each a typed relation, then a passive. */
#define MANY 300
static char *many_text(void)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < MANY; i++)
        kg_buf_printf(&b, "Pa %s Pb. ", i % 3 == 0 ? "married" : i % 3 == 1 ? "visited" : "helped");
    kg_buf_printf(&b, "Pa works for Pb. Pa was founded by Pb. ");
    return kg_buf_steal(&b);
}

typedef struct relate_job {
    char *text;
    kg_relate_list *l;
} relate_job;

static void relate_text(relate_job *j)
{
    size_t len = strlen(j->text);
    size_t ns = 0, nm = 0;
    kg_relate_span *sents = kg_xcalloc(MANY + 8, sizeof *sents);
    kg_relate_mention *m = kg_xcalloc(2 * MANY + 16, sizeof *m);
    size_t start = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (j->text[i] == 'P' && (j->text[i + 1] == 'a' || j->text[i + 1] == 'b'))
            m[nm++] = (kg_relate_mention){(int64_t)i, (int64_t)i + 2, "PERSON",
                                          j->text[i + 1] == 'a' ? 0 : 1};
        if (j->text[i] == '.' && j->text[i + 1] == ' ') {
            sents[ns++] = (kg_relate_span){(int64_t)start, (int64_t)i + 1};
            start = i + 2;
        }
    }
    kg_err e;
    if (kg_relate_extract(j->text, len, sents, (int)ns, m, (int)nm, 0, &j->l, &e) != KG_OK)
        fail_msg("relate: %s", e.msg);
    free(sents);
    free(m);
}

static void *relate_thread(void *arg)
{
    relate_text(arg);
    return NULL;
}

/* The per-thread analysis buffers change nothing: the same text gives the
 * same relations in a fresh thread as in this one, twice. */
static void test_threads_agree(void **st)
{
    (void)st;
    char *text = many_text();
    relate_job warm = {text, NULL}, again = {text, NULL}, fresh = {text, NULL};
    relate_text(&warm);
    relate_text(&again);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, relate_thread, &fresh), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(again.l->n, fresh.l->n);
    assert_int_equal(warm.l->n, fresh.l->n);
    for (int i = 0; i < fresh.l->n; i++) {
        assert_string_equal(again.l->v[i].type, fresh.l->v[i].type);
        assert_string_equal(warm.l->v[i].type, fresh.l->v[i].type);
        assert_string_equal(again.l->v[i].method, fresh.l->v[i].method);
        assert_int_equal(again.l->v[i].source, fresh.l->v[i].source);
    }
    assert_string_equal(fresh.l->v[0].type, "marry");
    const kg_relate_rel *last = &fresh.l->v[fresh.l->n - 1];
    assert_string_equal(last->type, "found");
    assert_int_equal(last->source, 1); /* passive: Pb founded Pa */
    kg_relate_list_free(warm.l);
    kg_relate_list_free(again.l);
    kg_relate_list_free(fresh.l);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typed_relations), cmocka_unit_test(test_cooccurrence_and_cap),
        cmocka_unit_test(test_path_relations),  cmocka_unit_test(test_path_rules),
        cmocka_unit_test(test_bad_input),       cmocka_unit_test(test_threads_agree),
        cmocka_unit_test(test_typing_slips),    cmocka_unit_test(test_named_through_a_noun),
        cmocka_unit_test(test_speech),          cmocka_unit_test(test_speech_quotes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
