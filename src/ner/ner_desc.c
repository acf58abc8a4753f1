/* ner_desc: a name the text describes by a noun of its kind takes that
 * kind's type.  Wikipedia and papers say what a name is the first time
 * they use it: "Konami is a Japanese video game company", "SpiderMonkey,
 * the baseline interpreter, ...", "the AODV routing protocol".  The model
 * reads each sentence by its context and may type such a name a person, a
 * place or an organisation where the sentence itself says otherwise; the
 * description is the stronger evidence, so it settles the type.
 *
 * Three readings, inside one sentence, of the words right after a name:
 *   - a copula: NAME is|was|are|were [also|now|...] a|an|the WORDS;
 *   - an apposition: NAME , a|an|the WORDS followed by , . ; : ) or the
 *     end of the sentence, when NAME is not a preposition's object and
 *     the kind is not a person's (a list of roles more often);
 *   - a kind word right after the name, or after one more word, for the
 *     methods and programs of papers only ("AODV protocol", "the
 *     SpiderMonkey interpreter", a program's only after "the": "a
 *     JavaScript interpreter" is one for the language): a company or a
 *     band is rarely named so.
 * WORDS is a noun phrase of up to five words, ending before a function
 * word, a punctuation mark, or a participle after its first word ("an
 * American rock band formed in 1996"); its last word is the head, whose
 * kind gives the type.  A possessive anywhere in it ("the company's
 * founder") and a head followed by a possessive give nothing.
 *
 * Nothing is read after a name whose first word follows a capitalised word
 * (the model cut a longer name: "Air Seychelles is an airline") or, for
 * a copula, a preposition ("the Church in Malawi is a church").
 *
 * A described name is remembered in the document memory (its phrase hash,
 * salted, so that no word's bits are touched), and its later mentions in
 * the document take the type too. */
#include <string.h>
#include <strings.h>

#include "base/strlist.h"
#include "ner/ner_internal.h"

/* The kinds, one bit each in the document memory. */
enum {
    K_ORG,
    K_PERSON,
    K_GPE,
    K_LOC,
    K_SOFTWARE,
    K_METHOD,
    K_COUNT
};

static const char *const kind_type[K_COUNT] = {"ORG", "PERSON", "GPE", "LOC", "SOFTWARE", "METHOD"};

static const char org_words[] =
    " band company firm club team label group party newspaper magazine airline"
    " organization organisation channel broadcaster university college school church"
    " agency corporation business manufacturer retailer conglomerate subsidiary"
    " association society federation league union institute foundation charity"
    " orchestra ensemble choir duo trio quartet quintet supergroup collective studio"
    " publisher bank insurer ministry council committee commission parliament"
    " government army navy regiment militia movement side franchise squad imprint"
    " academy denomination developer tabloid chain outfit consortium cooperative"
    " nonprofit brand"
    " ";

static const char *const gpe_words[] = {
    "city",    "town",     "village",    "hamlet",  "municipality", "commune",    "borough",
    "county",  "province", "state",      "country", "nation",       "capital",    "metropolis",
    "suburb",  "district", "region",     "parish",  "township",     "kingdom",    "republic",
    "emirate", "canton",   "prefecture", "oblast",  "voivodeship",  "settlement", NULL};

static const char *const loc_words[] = {
    "river",   "mountain", "lake",   "island",  "peninsula",   "bay",       "sea",    "ocean",
    "valley",  "desert",   "forest", "glacier", "archipelago", "strait",    "creek",  "hill",
    "volcano", "plateau",  "range",  "gulf",    "tributary",   "reservoir", "lagoon", NULL};

static const char *const software_words[] = {"interpreter", "compiler",  "browser",  "library",
                                             "toolkit",     "framework", "software", "debugger",
                                             "emulator",    "simulator", NULL};

static const char *const method_words[] = {"algorithm", "protocol", "heuristic", "technique", NULL};

/* Kind words right after a name ("AODV protocol", "the SpiderMonkey
 * interpreter"). */
static const char *const method_tails[] = {"protocol", "algorithm", "heuristic", NULL};
static const char *const program_tails[] = {"compiler", "interpreter", NULL};

/* What Wikipedia and papers call a person in a description.  A list, not
 * WordNet's nouns of people: those hold every noun with one such sense
 * among others ("planet", a follower; "wing", a hockey player), and
 * companies, teams and bands are called developers, champions and giants
 * too. */
static const char person_words[] =
    " politician singer actor actress footballer player writer author novelist poet"
    " painter artist composer musician rapper guitarist drummer bassist pianist"
    " violinist vocalist songwriter journalist scientist physicist chemist biologist"
    " mathematician economist philosopher historian lawyer judge businessman"
    " businesswoman entrepreneur engineer architect filmmaker screenwriter playwright"
    " comedian presenter athlete boxer wrestler cyclist swimmer sprinter cricketer"
    " golfer jockey coach priest bishop cardinal monk nun missionary soldier officer"
    " general admiral commander colonel king queen prince princess emperor empress"
    " duke duchess earl baron knight pharaoh sultan president minister senator"
    " congressman congresswoman governor mayor diplomat ambassador statesman activist"
    " photographer sculptor illustrator cartoonist dancer choreographer conductor"
    " tenor soprano baritone teacher professor lecturer researcher psychologist"
    " physician surgeon nurse astronaut explorer aviator sailor banker industrialist"
    " philanthropist goalkeeper midfielder striker quarterback pitcher linguist"
    " anthropologist sociologist archaeologist astronomer geologist botanist zoologist"
    " theologian scholar critic columnist reporter correspondent character woman man"
    " girl boy son daughter wife husband brother sister father mother grandson"
    " granddaughter nephew niece cousin uncle aunt widow founder chairman chairwoman"
    " spokesman spokeswoman chef magician saint skater skier"
    " ";

static const char *const copulas[] = {"is", "was", "are", "were", NULL};
static const char *const copula_adverbs[] = {"also",       "now",   "currently", "still",
                                             "originally", "often", "formerly",  NULL};
static const char *const determiners[] = {"a", "an", "the", NULL};
static const char *const prepositions[] = {
    "in",    "at",      "of",      "from",    "to",     "for",    "with",    "by",
    "on",    "into",    "near",    "under",   "over",   "about",  "between", "within",
    "via",   "through", "across",  "against", "among",  "after",  "before",  "during",
    "since", "until",   "outside", "inside",  "beyond", "toward", "towards", NULL};
static const char *const name_joins[] = {"of", "de", "du", "der", "von", "van", NULL};
static const char *const relatives[] = {"who", "which", "that", "whose", "where", NULL};
static const char *const participles[] = {"known", "written", "made", "born", "run",
                                          "held",  "built",   "set",  "led",  NULL};

#define DESC_SALT 0x5bd1e9955bd1e995ULL /* description keys apart from word keys */
#define DESC_WORDS 6

/* Is token i, lowered, a word of list (words between single spaces, one
 * at each end)?  The long lists of heads are written so. */
static int tok_in_words(const ner_ctx *c, size_t i, const char *list)
{
    const ner_tok *t = &c->tok[i];
    size_t n = t->e - t->s;
    char key[40];
    if (n == 0 || n + 3 > sizeof key)
        return 0;
    key[0] = ' ';
    for (size_t k = 0; k < n; k++) {
        char ch = c->text[t->s + k];
        key[k + 1] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    key[n + 1] = ' ';
    key[n + 2] = 0;
    return strstr(list, key) != NULL;
}

/* Does token i begin a sentence (or lie beyond the text)? */
static int sentence_start(const ner_ctx *c, size_t i)
{
    return i >= c->ntok || (c->tok[i].shape & (NT_SENT | NT_PARA)) != 0;
}

static int lower_word(const ner_tok *t)
{
    return (t->shape & NT_WORD) && (t->shape & NT_LOWER);
}

/* A participle or gerund that ends a noun phrase once it has a word:
 * "formed", "based", "featuring", "known". */
static int ends_phrase(const ner_ctx *c, size_t i)
{
    const ner_tok *t = &c->tok[i];
    size_t n = t->e - t->s;
    const char *w = c->text + t->s;
    if (!lower_word(t))
        return 0;
    if (n > 4 && (memcmp(w + n - 2, "ed", 2) == 0 || memcmp(w + n - 3, "ing", 3) == 0))
        return 1;
    return ner_tok_in(c, i, participles);
}

/* A participle with its preposition, as an apposition goes on ("a team
 * based in Brooklyn", "founded by"), not a verb with its object or its
 * infinitive ("X, the party needed to ..."). */
static int participle_phrase(const ner_ctx *c, size_t k)
{
    return ends_phrase(c, k) && ner_tok_in(c, k + 1, prepositions) && !ner_tok_is(c, k + 1, "to");
}

/* The kind of head word h, or -1. */
static int head_kind(const ner_ctx *c, size_t h)
{
    if (!lower_word(&c->tok[h]))
        return -1;
    if (tok_in_words(c, h, org_words))
        return K_ORG;
    if (ner_tok_in(c, h, gpe_words))
        return K_GPE;
    if (ner_tok_in(c, h, loc_words))
        return K_LOC;
    if (ner_tok_in(c, h, software_words))
        return K_SOFTWARE;
    if (ner_tok_in(c, h, method_words))
        return K_METHOD;
    if (tok_in_words(c, h, person_words))
        return K_PERSON;
    return -1;
}

/* The noun phrase from token d on (after its determiner): the kind of its
 * head, or -1.  apposition: the phrase must end the apposition. */
static int phrase_kind(const ner_ctx *c, size_t d, int apposition)
{
    size_t k = d, head = 0, words = 0;
    while (k < c->ntok && words < DESC_WORDS && !sentence_start(c, k)) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD) || (t->gz & KG_GZ(FUNC)) || (words > 0 && ends_phrase(c, k)))
            break;
        head = k++;
        words++;
    }
    if (words == 0 || words == DESC_WORDS)
        return -1;
    if (k < c->ntok && !sentence_start(c, k)) {
        const ner_tok *t = &c->tok[k];
        if (t->shape & NT_POSS)
            return -1; /* "the company's founder" */
        /* An apposition ends at a mark, a preposition, a relative pronoun
         * or a participle; a verb after it makes the phrase a subject
         * ("According to the Census Bureau, the city has ..."). */
        if (apposition && !(t->shape & NT_PUNCT) && !ner_tok_in(c, k, prepositions) &&
            !ner_tok_in(c, k, relatives) && !participle_phrase(c, k))
            return -1;
        /* "a group of neurons", "a chain of hotels": a collection, not a
         * body. */
        if (head_kind(c, head) == K_ORG && ner_tok_is(c, k, "of"))
            return -1;
        if (apposition && (t->shape & NT_PUNCT) &&
            !ner_tok_in(c, k, (const char *const[]){",", ".", ";", ":", ")", NULL}))
            return -1;
    }
    return head_kind(c, head);
}

/* The kind the words after name tokens [a, b) give it, or -1. */
static int described_kind(const ner_ctx *c, uint32_t a, uint32_t b)
{
    size_t i = b;
    if (i >= c->ntok || sentence_start(c, i) || !(c->tok[a].shape & NT_CAP))
        return -1; /* a research term in lower case is no name to retype */
    /* A name after a preposition is the end of a larger one whose
     * description this is: "the Presbyterian Church in Malawi is a small
     * church", "the League in Palestine, an organization". */
    int first = a == 0 || (c->tok[a].shape & (NT_SENT | NT_PARA | NT_NL));
    int inner = !first && ner_tok_in(c, a - 1, prepositions);
    /* Nor when a capitalised word stands before it: the model cut a longer
     * name ("Air Seychelles is the national airline"). */
    if (!first && (c->tok[a - 1].shape & NT_WORD) && (c->tok[a - 1].shape & NT_CAP) &&
        !(c->tok[a - 1].gz & KG_GZ(FUNC)))
        return -1;
    if (ner_tok_in(c, i, copulas)) {
        if (inner)
            return -1;
        i++;
        if (ner_tok_in(c, i, copula_adverbs))
            i++;
        if (!ner_tok_in(c, i, determiners) || sentence_start(c, i))
            return -1;
        return phrase_kind(c, i + 1, 0);
    }
    if (ner_tok_is(c, i, ",")) {
        /* Not after a preposition ("at Stanford, a visiting scholar at
         * ..." lists what the sentence's subject is) nor after a comma
         * ("Perm Krai, Russia, a tributary of ...": the description is of
         * the whole or of a list).  Nor a person: a list of roles ("X, the
         * director of Y") follows the names of places and bodies more
         * often than it describes them. */
        if (inner || (!first && ner_tok_is(c, a - 1, ",")) || !ner_tok_in(c, i + 1, determiners) ||
            sentence_start(c, i + 1))
            return -1;
        int k = phrase_kind(c, i + 2, 1);
        return k == K_PERSON ? -1 : k;
    }
    /* "the SpiderMonkey interpreter" is the interpreter named so; "an
     * existing JavaScript interpreter" one for the language: a program's
     * kind word counts after "the" only. */
    int the = !first && ner_tok_is(c, a - 1, "the");
    for (size_t k = i; k < i + 2 && k < c->ntok && !sentence_start(c, k); k++) {
        if (ner_tok_in(c, k, method_tails) && lower_word(&c->tok[k]))
            return K_METHOD;
        if (the && ner_tok_in(c, k, program_tails) && lower_word(&c->tok[k]))
            return K_SOFTWARE;
        if (!lower_word(&c->tok[k]) || (c->tok[k].gz & KG_GZ(FUNC)))
            break;
    }
    return -1;
}

static uint64_t name_key(const ner_ctx *c, uint32_t a, uint32_t b)
{
    uint64_t h = ner_phrase_hash(c, a, b) ^ DESC_SALT;
    return h ? h : 1;
}

/* The key that says the document has described some name. */
#define ANY_KEY (DESC_SALT ^ 0x2545f4914f6cdd1dULL)

void ner_desc_note(const ner_ctx *c, kg_ner_doc *doc, uint32_t a, uint32_t b)
{
    int k = described_kind(c, a, b);
    if (k >= 0 && doc) {
        ner_doc_or(doc, name_key(c, a, b), 1u << k);
        ner_doc_or(doc, ANY_KEY, 1);
    }
}

int ner_desc_any(const kg_ner_doc *doc)
{
    return doc && ner_doc_get(doc, ANY_KEY) != 0;
}

const char *ner_desc_type(const ner_ctx *c, const kg_ner_doc *doc, uint32_t a, uint32_t b)
{
    if (!doc)
        return NULL;
    uint32_t bits = ner_doc_get(doc, name_key(c, a, b)) & ((1u << K_COUNT) - 1);
    if (bits == 0 || (bits & (bits - 1)) != 0)
        return NULL; /* never described, or described as two kinds */
    for (int k = 0; k < K_COUNT; k++)
        if (bits == (1u << k))
            return kind_type[k];
    return NULL;
}

const char *ner_desc_subject(const ner_ctx *c, uint32_t a, uint32_t *b)
{
    /* The capitalised words of a sentence's start, "of" or "de" between
     * two of them ("Bank of Uganda"), up to a copula. */
    if (a >= c->ntok || !sentence_start(c, a))
        return NULL;
    uint32_t e = a;
    while (e < c->ntok && e - a < 8) {
        const ner_tok *t = &c->tok[e];
        int word = (t->shape & NT_WORD) && (t->shape & NT_CAP) && !(t->gz & KG_GZ(FUNC));
        if (word && (e == a || !sentence_start(c, e)))
            e++;
        else if (e > a && ner_tok_in(c, e, name_joins) && e + 1 < c->ntok &&
                 (c->tok[e + 1].shape & NT_CAP) && !(c->tok[e + 1].gz & KG_GZ(FUNC)))
            e++;
        else
            break;
    }
    if (e == a || !ner_tok_in(c, e, copulas))
        return NULL;
    /* A word the dictionary knows, alone at a sentence's start, is more
     * often a common noun than a name ("Football is a sport"); and the
     * model has read the words it left out. */
    if (e == a + 1 && (c->tok[a].gz & KG_GZ(COMMON)) && !(c->tok[a].gz & KG_GZ_NAMELIKE))
        return NULL;
    int k = described_kind(c, a, e);
    if (k < 0 || k == K_SOFTWARE || k == K_METHOD)
        return NULL;
    *b = e;
    return kind_type[k];
}

int ner_desc_may_retype(const char *from, const char *to)
{
    static const char *const names[] = {"PERSON", "ORG",         "GPE",     "LOC",
                                        "MISC",   "WORK_OF_ART", "PRODUCT", NULL};
    static const char *const research[] = {"METHOD",   "TASK",  "DATASET", "METRIC",
                                           "SOFTWARE", "VENUE", "CONCEPT", NULL};
    if (strcmp(from, to) == 0)
        return 0;
    if (kg_strlist_has(names, from))
        return 1;
    /* A research term described as a band, a village or a person is one
     * ("Orodruin is an American doom metal band"); described as a program
     * or a method it keeps the research tagger's finer reading. */
    return kg_strlist_has(research, from) && kg_strlist_has(names, to);
}
