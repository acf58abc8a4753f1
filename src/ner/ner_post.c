/* ner_post: from the model's spans to the mentions kg_ner_run returns.
 *
 *   - split where the model ran two names together: a person at a
 *     lower-case word with a capitalised one after it ("Charles Bingley
 *     rented Netherfield": the rest at half confidence), a place at a comma
 *     before a country or a state ("Brussels, Belgium");
 *   - cleaned or refused (ner_junk.c: titles, markers and initials off;
 *     symbols, single letters, "Table 2", "Phys. Rev. Lett." never);
 *   - a lone word the document has used in a person's full name, read as
 *     an organisation or a place, is that person ("said Scrooge");
 *   - typed more finely from the gazetteer: a holiday, day or month the
 *     model took for a place, an organisation or MISC is a DATE; the model's LOC becomes GPE
 *     (countries, states, cities; and names it does not know) or LOC
 *     (continents, rivers, mountains...); its MISC becomes NORP, LANGUAGE,
 *     EVENT, LAW, WORK_OF_ART or PRODUCT when the gazetteer or a head word
 *     says so, else stays MISC; a data set it knows or a name ending in a
 *     data set's word ("Penn Treebank", "Brown Corpus") is a DATASET; a PERSON or LOC ending in an organisation's
 *     head word ("Vrije Universiteit", "Indiana University") or led by one
 *     or by "Project" ("Project Gutenberg") is an ORG, a
 *     PERSON ending in a place's ("Clarence Dock") a place, and a name
 *     after a personal honorific ("Dr. Paris") a person, its confidence
 *     the model's and the honorific's combined;
 *   - an institution's name made whole: "Institute for Applied Reasoning"
 *     where the name tagger stopped at "Institute for Applied" or left the
 *     name to the research tagger's TASK "Applied Reasoning";
 *   - an organisation cut at a place made whole: "Parliament of" + GPE
 *     "Norway", ORG "Carnegie Corporation" + "of New York", NORP
 *     "Republican" + "Party";
 *   - an acronym in brackets after an organisation or a place the model
 *     found, and left untagged by it, of the same type ("Movement for the
 *     Left (MpS)");
 *   - a name ending in "Network" that the research tagger reads as a
 *     method ("Graph Echo Network") is not an organisation;
 *   - typed by what the document says the name is (ner_desc.c: "Konami
 *     is a Japanese video game company", "the AODV protocol");
 *   - settled: of overlapping spans (two groups may claim the same words)
 *     the more confident stays;
 *   - completed: a lone word the document has used in a person's full name
 *     ("Scrooge" after "Ebenezer Scrooge") is that person where the model
 *     left it untagged, and its plural the family ("the Cratchits"); the
 *     rules' dates, money and percentages, and the data sets the gazetteer
 *     names ("Penn Treebank"), where no model span lies. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/strlist.h"
#include "base/vec.h"
#include "ner/ner_internal.h"

/* Personal honorifics: what follows one is a person ("Dr. Paris"), while
 * titles such as "General" or "Saint" also begin other names. */
static int after_honorific(const ner_ctx *c, uint32_t i)
{
    static const char *const hon[] = {"dr",   "mr",   "mrs",  "ms",     "miss", "prof", "sir",
                                      "dame", "lady", "lord", "mister", "herr", "mme",  NULL};
    if (i >= 1 && ner_tok_is(c, i - 1, ".") && i >= 2)
        i--;
    if (i == 0)
        return 0;
    return ner_tok_in(c, i - 1, hon);
}

static const char *refine(const ner_ctx *c, const char *type, uint32_t i, uint32_t j)
{
    if ((!strcmp(type, "LOC") || !strcmp(type, "ORG") || !strcmp(type, "MISC")) &&
        ner_time_name(c, i, j) == 2)
        return "DATE"; /* "Christmas Eve", "Michaelmas" */
    /* Not a country or a state: "Mr. Canada", "Miss Georgia" are contests. */
    if (j - i <= 3 && strcmp(type, "PERSON") != 0 &&
        (!strcmp(type, "LOC") || !strcmp(type, "ORG") || !strcmp(type, "MISC")) &&
        after_honorific(c, i) && !(ner_phrase_flags(c, i, j) & (KG_GZ(COUNTRY) | KG_GZ(SUBDIV))))
        return "PERSON";
    /* A country's name is a place, as CoNLL, CrossNER and OntoNotes (GPE)
     * all mark it: read as an organisation, or ending in an organisation's
     * head word ("the Soviet Union"), it is still a GPE. */
    if ((strcmp(type, "ORG") == 0 || strcmp(type, "LOC") == 0) &&
        (ner_phrase_flags(c, i, j) & KG_GZ(COUNTRY)))
        return "GPE";
    int loc = strcmp(type, "LOC") == 0, misc = strcmp(type, "MISC") == 0;
    uint64_t last = c->tok[j - 1].gz;
    /* "Penn Treebank", "Brown Corpus": a data set the gazetteer knows by
     * name, or a name ending in a data set's head word, is a DATASET
     * whatever the name tagger took it for (the demo had "Penn Treebank"
     * as a place). */
    if ((loc || misc || !strcmp(type, "ORG") || !strcmp(type, "PERSON")) && j - i > 1 &&
        (c->tok[j - 1].shape & NT_CAP) &&
        ((last & KG_GZ(DATASETHEAD)) || (ner_phrase_flags(c, i, j) & KG_GZ(DATASETNAME))))
        return "DATASET";
    /* "Project Gutenberg", "Institute Pasteur": a name led by an
     * organisation's word is not a person's. */
    if (strcmp(type, "PERSON") == 0 && ner_org_led(c, i, j))
        return "ORG";
    /* "Vrije Universiteit", "Indiana University": an organisation's head. */
    if ((loc || strcmp(type, "PERSON") == 0) && j - i > 1 &&
        (last & (KG_GZ(ORGHEAD) | KG_GZ(ORGSUF))) && (c->tok[j - 1].shape & NT_CAP))
        return "ORG";
    /* "Bobby Morris Playfield", "Clarence Dock": a place's head, not a
     * surname. */
    if (strcmp(type, "PERSON") == 0 && j - i > 1 && (last & KG_GZ(LOCHEAD)) &&
        !(last & (KG_GZ(LAST) | KG_GZ(FIRST))) && (c->tok[j - 1].shape & NT_CAP))
        loc = 1;
    if (!loc && !misc)
        return type;
    uint64_t ph = ner_phrase_flags(c, i, j);
    if (loc) {
        if (ph & (KG_GZ(COUNTRY) | KG_GZ(SUBDIV) | KG_GZ(CITY)))
            return "GPE";
        if ((ph & KG_GZ(LOCNAME)) || (last & KG_GZ(LOCHEAD)))
            return "LOC";
        return "GPE";
    }
    if (ph & KG_GZ(LANGUAGE) && j < c->ntok && ner_tok_is(c, j, "language"))
        return "LANGUAGE";
    if (ph & KG_GZ(NORP))
        return "NORP";
    if ((ph & KG_GZ(EVENTNAME)) || (j - i > 1 && (last & KG_GZ(EVENTHEAD))))
        return "EVENT";
    if (j - i > 1 && (last & KG_GZ(LAWHEAD)))
        return "LAW";
    if (ph & KG_GZ(WORKNAME))
        return "WORK_OF_ART";
    if (ph & KG_GZ(PRODUCTNAME))
        return "PRODUCT";
    return "MISC";
}

typedef struct cand {
    uint32_t a, b;
    const char *type;
    float conf;
    uint32_t ev;
} cand;

/* "Institute for Applied Reasoning", "Allen Institute for Artificial
 * Intelligence", "Society for Industrial and Applied Mathematics": the name
 * tagger often ends an institution at its head word or inside the phrase
 * after it, or leaves it out, while the research tagger takes the rest for a
 * TASK.  A name holding (or ending at) an institution's word followed by
 * "for", "of" or "on" runs to the end of the capitalised words after it
 * (through "and", "of", "on", "for", "the" or "&" before another
 * capitalised word; not a sentence's first word; up to 8 words):
 *   - an ORG the model made that way extends to there;
 *   - a research span or MISC right after "Institute for" that the name
 *     tagger left alone becomes that ORG, from the institution's word (and
 *     the capitalised words before it: "Allen Institute").
 * Spans of research types or MISC inside the name give way to it; any other
 * span there (a person: "the Department of Energy Secretary Rick Perry")
 * leaves things as the model made them.  The institution's words are a
 * short list, not every organisation head: "Feature Network for Semantic
 * Segmentation" is a paper title, not an organisation. */
static const char *const join_words[] = {"and", "of", "on", "for", "the", "&", NULL};
static const char *const inst_preps[] = {"for", "of", "on", NULL};
static const char *const inst_words[] = {
    "institute", "institution", "institut",   "instituto",   "university",   "college",
    "school",    "academy",     "society",    "association", "foundation",   "council",
    "committee", "commission",  "agency",     "department",  "ministry",     "bureau",
    "office",    "center",      "centre",     "laboratory",  "laboratories", "lab",
    "labs",      "museum",      "federation", "alliance",    "consortium",   "corporation",
    "bank",      "board",       "authority",  "hospital",    "court",        NULL};

static int cap_name_word(const ner_ctx *c, size_t i)
{
    if (i >= c->ntok)
        return 0;
    const ner_tok *t = &c->tok[i];
    return (t->shape & NT_WORD) && (t->shape & NT_CAP) && !(t->shape & (NT_SENT | NT_PARA)) &&
           !(t->gz & KG_GZ(FUNC));
}

/* Token h is an institution's word followed by "for"/"of"/"on". */
static int inst_head(const ner_ctx *c, size_t h)
{
    return (c->tok[h].shape & NT_CAP) && ner_tok_in(c, h, inst_words) &&
           ner_tok_in(c, h + 1, inst_preps);
}

static int yields_to_org(const char *type)
{
    static const char *const t[] = {"METHOD", "TASK",    "DATASET",  "METRIC",
                                    "MISC",   "CONCEPT", "SOFTWARE", NULL};
    return kg_strlist_has(t, type);
}

/* The end of the capitalised words from e on (e itself when there are none). */
static uint32_t cap_run_end(const ner_ctx *c, uint32_t e)
{
    uint32_t lim = e + 8;
    while (e < c->ntok && e < lim) {
        if (cap_name_word(c, e) && !(c->tok[e].shape & NT_NL))
            e++;
        else if (ner_tok_in(c, e, join_words) && cap_name_word(c, e + 1) &&
                 !(c->tok[e + 1].shape & NT_NL))
            e += 2;
        else
            break;
    }
    return e;
}

/* Which live candidates other than k overlaps() looks for. */
enum {
    OV_ANY,
    OV_YIELDS,
    OV_HOLDS
};

/* Does a live candidate other than k overlap [a, e)?  OV_ANY: any; OV_YIELDS:
 * one that gives way to an ORG (yields_to_org); OV_HOLDS: one that does not.
 * An ORG is widened over [a, e) only when nothing there holds
 * (!OV_HOLDS), and when it stopped inside an institution's name only over
 * words the research tagger claimed (OV_YIELDS: "Institute for Applied" +
 * TASK "Applied Reasoning"), not over whatever capitalised word follows
 * ("University of Amsterdam Roetersstraat", an address run together from a
 * PDF). */
static int overlaps(const cand *cv, size_t n, size_t k, uint32_t a, uint32_t e, int which)
{
    for (size_t q = 0; q < n; q++)
        if (q != k && cv[q].conf >= 0.0f && cv[q].a < e && cv[q].b > a &&
            (which == OV_ANY || (which == OV_YIELDS) == (yields_to_org(cv[q].type) != 0)))
            return 1;
    return 0;
}

static void take_name(cand *cv, size_t n, size_t k, uint32_t a, uint32_t e)
{
    for (size_t q = 0; q < n; q++)
        if (q != k && cv[q].a < e && cv[q].b > a && (cv[q].a < cv[k].a || cv[q].b > cv[k].b))
            cv[q].conf = -1.0f; /* a research name inside the institution's */
    cv[k].a = a;
    cv[k].b = e;
    cv[k].type = "ORG";
}

static void extend_institutions(const ner_ctx *c, cand *cv, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const cand *o = &cv[k];
        if (o->conf < 0.0f)
            continue;
        if (!strcmp(o->type, "ORG")) {
            int head = 0;
            for (uint32_t i = o->a; i < o->b && !head; i++)
                head = inst_head(c, i) && (i + 1 < o->b || cap_name_word(c, i + 2));
            uint32_t e = o->b;
            int at_head = head && inst_head(c, o->b - 1);
            if (at_head)
                e++; /* the ORG ended at its head: "Institute" + "for ..." */
            if (!head || cap_run_end(c, e) == e)
                continue;
            e = cap_run_end(c, e);
            if (!overlaps(cv, n, k, o->b, e, OV_HOLDS) &&
                (at_head || overlaps(cv, n, k, o->b, e, OV_YIELDS)))
                take_name(cv, n, k, o->a, e);
        } else if (yields_to_org(o->type) && o->a >= 2 && inst_head(c, o->a - 2)) {
            uint32_t a = o->a - 2, e = cap_run_end(c, o->a);
            while (a > 0 && cap_name_word(c, a - 1) && !(c->tok[a].shape & (NT_SENT | NT_PARA)))
                a--;
            if (e >= o->b && !overlaps(cv, n, k, a, e, OV_HOLDS))
                take_name(cv, n, k, a, e);
        }
    }
}

/* An organisation's name the model cut in two at a place: "Parliament of
 * Norway", "Law Society of New South Wales", "Carnegie Corporation of New
 * York" came out as an ORG (or nothing) and a place; "Republican Party" as
 * a nationality and a lone "Party".  The words that end such a name are a
 * short list of bodies' words: not "Union" or "Federation" ("Soviet
 * Union", "Russian Federation" are places) nor "Government". */
static const char *const body_words[] = {
    "party",       "movement",   "church",      "army",      "navy",     "front",
    "league",      "alliance",   "association", "society",   "academy",  "institute",
    "institution", "university", "college",     "school",    "club",     "council",
    "congress",    "parliament", "assembly",    "senate",    "company",  "corporation",
    "foundation",  "museum",     "library",     "bank",      "ministry", "department",
    "office",      "court",      "commission",  "committee", "agency",   "bureau",
    "board",       "authority",  "hospital",    "trust",     "fund",     "airlines",
    "airways",     NULL};

static int body_word(const ner_ctx *c, size_t i)
{
    return i < c->ntok && (c->tok[i].shape & NT_CAP) && !(c->tok[i].shape & NT_NL) &&
           ner_tok_in(c, i, body_words);
}

static int is_place(const char *type)
{
    return !strcmp(type, "GPE") || !strcmp(type, "LOC");
}

/* The live place candidate starting at token a (after "of" or "of the"). */
static long place_at(const ner_ctx *c, const cand *cv, size_t n, uint32_t a)
{
    if (a < c->ntok && ner_tok_is(c, a, "the"))
        a++;
    for (size_t q = 0; q < n; q++)
        if (cv[q].conf >= 0.0f && cv[q].a == a && is_place(cv[q].type))
            return (long)q;
    return -1;
}

/* "Republican Party", "Catholic Church", "Stanford University": a name
 * followed by a body's word the model left out becomes an ORG with it. */
static void bodies_named_after(const ner_ctx *c, cand *cv, size_t n)
{
    static const char *const named[] = {"MISC", "NORP", "GPE", "LOC", "PERSON", NULL};
    for (size_t k = 0; k < n; k++) {
        cand *o = &cv[k];
        if (o->conf < 0.0f || !kg_strlist_has(named, o->type) || !body_word(c, o->b) ||
            overlaps(cv, n, k, o->b, o->b + 1, OV_ANY))
            continue;
        o->b++;
        o->type = "ORG";
    }
}

/* "Parliament of Norway": an ORG ending at a body's word, or such a word
 * the model left alone (with the capitalised words before it that it also
 * left alone: "Legislative Assembly"), followed by "of" (or "of the") and
 * a place, is one ORG to the place's end. */
static void bodies_of_places(const ner_ctx *c, cand *cv, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        cand *o = &cv[k];
        if (o->conf < 0.0f || !is_place(o->type) || o->a < 2)
            continue;
        uint32_t of = o->a - 1 - (ner_tok_is(c, o->a - 1, "the") ? 1 : 0);
        if (of == 0 || !ner_tok_is(c, of, "of") || !body_word(c, of - 1) ||
            place_at(c, cv, n, of + 1) != (long)k)
            continue;
        long org = -1;
        for (size_t q = 0; q < n && org < 0; q++)
            if (cv[q].conf >= 0.0f && cv[q].b == of && !strcmp(cv[q].type, "ORG"))
                org = (long)q;
        if (org >= 0) {
            cv[org].b = o->b;
            o->conf = -1.0f;
            continue;
        }
        uint32_t a = of - 1;
        if (overlaps(cv, n, k, a, of + 1, OV_ANY))
            continue;
        while (a > 0 && cap_name_word(c, a - 1) && !(c->tok[a].shape & (NT_SENT | NT_PARA)) &&
               !overlaps(cv, n, k, a - 1, a, OV_ANY))
            a--;
        o->a = a;
        o->type = "ORG";
    }
}

/* "Internet Corporation for Assigned Names and Numbers (ICANN)", "Movement
 * for the Left (MpS)": an acronym in brackets right after an organisation
 * or a place the model found is the same entity type where the model left
 * it untagged (and only then: "the Wall Street Journal (WSJ)" of a paper
 * is a data set the research tagger found).  Only a word of two capitals
 * or more and no digit ("(2019)", "(a)" and "(Fig)" are not acronyms);
 * not after a person ("Smith (MP)").  Returns the candidates' new count;
 * cv has room for twice the model's. */
static size_t acronyms_in_brackets(const ner_ctx *c, cand *cv, size_t n)
{
    size_t n0 = n;
    for (size_t k = 0; k < n0; k++) {
        const cand *o = &cv[k];
        uint32_t i = o->b + 1;
        if (o->conf < 0.0f || (strcmp(o->type, "ORG") != 0 && !is_place(o->type)) ||
            i + 1 >= c->ntok || !ner_tok_is(c, i - 1, "(") || !ner_tok_is(c, i + 1, ")"))
            continue;
        const ner_tok *t = &c->tok[i];
        if (!(t->shape & NT_WORD) || !(t->shape & (NT_ALLCAP | NT_MIXED)) ||
            (t->shape & NT_DIGIT) || t->e - t->s > 12 || overlaps(cv, n, n, i, i + 1, OV_ANY))
            continue;
        unsigned caps = 0;
        for (uint32_t q = t->s; q < t->e; q++)
            caps += c->text[q] >= 'A' && c->text[q] <= 'Z';
        if (caps >= 2)
            cv[n++] = (cand){i, i + 1, o->type, o->conf, o->ev | KG_NER_EV_ACRONYM};
    }
    return n;
}

/* "Graph Echo Network", "Deep Belief Network", "Dual Path Network": a name
 * ending in "Network" is an organisation to the name tagger (broadcasters,
 * "University Health Network") and a method to the research tagger, and the
 * name tagger is usually the more confident: the demo's own model was an
 * ORG.  Where both read exactly the same words, the research tagger reads
 * them as a METHOD with confidence 0.7 or more, and no other word of the
 * name is an organisation's, a place's or a nationality ("University",
 * "Lisbon", "Polish"), the METHOD stands.  SciREX dev +32 methods found;
 * wikigold, PUD and CrossNER-AI unchanged, CrossNER dev-held one ORG lost
 * ("Student Left Network"); "Cartoon Network" (a method at 0.62) stays an
 * organisation. */
static int network_method(const ner_ctx *c, const cand *o, const cand *m)
{
    /* The span test first: this runs for every pair of candidates. */
    if (m->a != o->a || m->b != o->b || m->conf < 0.7f || o->b - o->a < 2 ||
        strcmp(o->type, "ORG") != 0 || strcmp(m->type, "METHOD") != 0 ||
        !(ner_tok_is(c, o->b - 1, "network") || ner_tok_is(c, o->b - 1, "networks")))
        return 0;
    const uint64_t marks = KG_GZ(ORGHEAD) | KG_GZ(ORGSUF) | KG_GZ(PREFIXHEAD) | KG_GZ(COUNTRY) |
                           KG_GZ(CITY) | KG_GZ(SUBDIV) | KG_GZ(ORGNAME);
    /* A nationality is a NORP that is a language's name too ("Polish"):
     * WordNet's NORP alone holds words like "Echo". */
    const uint64_t nation = KG_GZ(NORP) | KG_GZ(LANGUAGE);
    for (uint32_t i = o->a; i + 1 < o->b; i++)
        if ((c->tok[i].gz & marks) || (c->tok[i].gz & nation) == nation)
            return 0;
    return 1;
}

static void methods_named_network(const ner_ctx *c, cand *cv, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (size_t q = 0; q < n && cv[k].conf >= 0.0f; q++)
            if (q != k && cv[q].conf >= 0.0f && network_method(c, &cv[k], &cv[q]))
                cv[k].conf = -1.0f;
}

/* Names the model left out that the document describes: a sentence's
 * subject described by that sentence ("Caloi is a Brazilian bicycle
 * company"), and a later mention of a name described before ("Deering was
 * founded in 1903" after "Deering is a city in ..."), each with the
 * description's type.  *cv is made room for: twice the new count and one,
 * as the passes after this one (acronyms_in_brackets) expect.  Returns the
 * new count. */
#define DESC_MAX_WORDS 4
static size_t described_names(const ner_ctx *c, kg_ner_doc *doc, cand **cv, size_t n)
{
    size_t n0 = n, cap = 2 * n + 1;
    int any = ner_desc_any(doc); /* else no later mention to look up */
    for (uint32_t a = 0; a < c->ntok; a++) {
        if (!(c->tok[a].shape & NT_WORD) || !(c->tok[a].shape & NT_CAP))
            continue;
        uint32_t b = 0;
        const char *type = ner_desc_subject(c, a, &b);
        uint32_t ev = KG_NER_EV_CAPS | KG_NER_EV_DESCRIBED;
        for (uint32_t e = a + 1; !type && any && e <= a + DESC_MAX_WORDS && e <= c->ntok; e++) {
            if (!(c->tok[e - 1].shape & NT_CAP) || !(c->tok[e - 1].shape & NT_WORD))
                break;
            if ((type = ner_desc_type(c, doc, a, e)) != NULL) {
                b = e;
                ev |= KG_NER_EV_PROPAGATED;
            }
        }
        /* The whole name only: not a part of a longer capitalised run. */
        if (!type || overlaps(*cv, n0, n0, a, b, OV_ANY) ||
            (b < c->ntok && (c->tok[b].shape & NT_WORD) && (c->tok[b].shape & NT_CAP) &&
             !(c->tok[b].shape & (NT_SENT | NT_PARA))))
            continue;
        if (2 * (n + 1) + 1 > cap) {
            cap = 2 * cap + 8;
            *cv = kg_xrealloc(*cv, cap * sizeof **cv);
        }
        (*cv)[n++] = (cand){a, b, type, 0.5f, ev};
        ner_desc_note(c, doc, a, b);
        any = ner_desc_any(doc);
        a = b - 1;
    }
    return n;
}

static int by_conf(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    if (p->conf != q->conf)
        return p->conf > q->conf ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b - p->a) > (q->b - q->a) ? -1 : (p->b - p->a) < (q->b - q->a);
}

/* Did the document use word t, or t less a plural "s", in a person's full
 * name?  The plural only of a word that is a name and nothing else: not
 * of a title ("the Emperors" after "Emperor Meiji"), a nationality or a
 * dictionary word ("Christians" after "Christian Bale"). */
static int in_a_name(const ner_ctx *c, const kg_ner_doc *doc, const ner_tok *t)
{
    if (ner_doc_get(doc, t->h) & NER_DOC_INNAME)
        return 1;
    size_t n = t->e - t->s;
    const char *w = c->text + t->s;
    if (n < 4 || w[n - 1] != 's' || w[n - 2] == 's' || w[n - 2] == '\'')
        return 0;
    uint64_t h = kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, w, n - 1);
    return (ner_doc_get(doc, h) & NER_DOC_INNAME) &&
           !(kg_gz_lookup(c->gz, h) & (KG_GZ(TITLE) | KG_GZ(NORP) | KG_GZ(COMMON) | KG_GZ(FUNC)));
}

static int by_start(const void *x, const void *y)
{
    const kg_ner_mention *p = x, *q = y;
    return p->start < q->start ? -1 : p->start > q->start;
}

static void emit(const ner_ctx *c, const cand *k, kg_ner_result *out)
{
    kg_ner_mention *m = kg_vec_push_zero(out);
    m->start = c->tok[k->a].s;
    m->end = c->tok[k->b - 1].e;
    strncpy(m->type, k->type, sizeof m->type - 1);
    m->confidence = k->conf;
    m->evidence = k->ev;
}

/* "Brussels, Belgium", "Austin, Texas": where a place the model found
 * runs over a comma into a country or a state, the two are two places (as
 * CoNLL and CrossNER mark them).  The comma's token, or 0. */
static uint32_t place_comma_place(const ner_ctx *c, const char *type, uint32_t a, uint32_t b)
{
    if (strcmp(type, "LOC") != 0)
        return 0;
    for (uint32_t k = a + 1; k + 1 < b; k++)
        if (ner_tok_is(c, k, ",") && (c->tok[k + 1].shape & NT_CAP) &&
            (ner_phrase_flags(c, k + 1, b) & (KG_GZ(COUNTRY) | KG_GZ(SUBDIV))))
            return k;
    return 0;
}

static int in_a_name(const ner_ctx *c, const kg_ner_doc *doc, const ner_tok *t);

/* "Charles Bingley rented Netherfield" read as one person: a lower-case
 * word that is no particle ("de", "van", "bin", "of", "the") between the
 * capitalised words of a person's name ends the name (ner_name_verb); a
 * name written in lower case to its end ("Donald trump") is left whole.
 * Returns b when nothing ends it. */
static uint32_t person_end(const ner_ctx *c, uint32_t a, uint32_t b)
{
    uint32_t k = ner_name_verb(c, a, b);
    return k ? k : b;
}

/* One span of the model, cleaned and refined, into cv[*n]. */
static void take_model_span(const ner_ctx *c, kg_ner_doc *doc, const char *mt, uint32_t a,
                            uint32_t b, float conf, cand *cv, size_t *n)
{
    if (!ner_clean_span(c, doc, mt, &a, &b))
        return;
    const char *type = refine(c, mt, a, b);
    cv[*n] = (cand){a, b, type, conf, KG_NER_EV_MODEL | c->rev[a]};
    if (strcmp(mt, "PERSON") != 0 && strcmp(type, "PERSON") == 0) {
        /* "Dr. Paris": the model's doubt about its reading as a place
         * and the honorific are two pieces of evidence (noisy-or, as the
         * rules combine theirs). */
        float title = ner_rule_score(KG_NER_EV_TITLE);
        cv[*n].conf = 1.0f - (1.0f - cv[*n].conf) * (1.0f - title);
        cv[*n].ev |= KG_NER_EV_TITLE;
    }
    (*n)++;
}

/* A data set the gazetteer knows by its full name ("Penn Treebank",
 * "ImageNet"), capitalised, is one whether or not the model read it: the
 * list is a few dozen names that mean nothing else. */
static int known_dataset(const ner_ctx *c, const ner_cand *d)
{
    return d->type == NTY_DATASET && (c->tok[d->ti].shape & NT_CAP) &&
           (ner_phrase_flags(c, d->ti, d->tj) & KG_GZ(DATASETNAME));
}

void ner_post(const ner_layout *l, const ner_ctx *c, const ner_spans *sp, kg_ner_doc *doc,
              float min_conf, kg_ner_result *out)
{
    out->n = 0;
    /* Room for two candidates per span (a place list splits in two) and
     * twice that again for the passes that add names. */
    cand *cv = kg_xmalloc((4 * sp->n + 1) * sizeof *cv);
    size_t n = 0;
    for (size_t k = 0; k < sp->n; k++) {
        uint32_t a = sp->v[k].ti, b = sp->v[k].tj;
        const char *mt = l->types[sp->v[k].type];
        uint32_t e = strcmp(mt, "PERSON") == 0 ? person_end(c, a, b) : b;
        if (e < b) {
            /* The part after the verb ("Netherfield") is the next name the
             * model ran on into, of its reading for want of another, with
             * half its confidence. */
            uint32_t r = e + 1;
            take_model_span(c, doc, mt, a, e, sp->v[k].conf, cv, &n);
            while (r < b && !(c->tok[r].shape & NT_CAP))
                r++;
            if (r < b)
                take_model_span(c, doc, mt, r, person_end(c, r, b), 0.5f * sp->v[k].conf, cv, &n);
            continue;
        }
        uint32_t comma = place_comma_place(c, mt, a, b);
        if (comma) {
            take_model_span(c, doc, mt, a, comma, sp->v[k].conf, cv, &n);
            take_model_span(c, doc, mt, comma + 1, b, sp->v[k].conf, cv, &n);
        } else {
            take_model_span(c, doc, mt, a, b, sp->v[k].conf, cv, &n);
        }
    }
    /* A lone word the document used in a person's full name ("Scrooge"
     * after "Ebenezer Scrooge") is that person where the model read it as
     * an organisation or a place ("said Scrooge" as an ORG): one reading
     * per document, as a reader keeps it.  Not a MISC: an album may be
     * named for someone (CrossNER's "Dookie"). */
    for (size_t k = 0; k < n; k++) {
        const ner_tok *t = &c->tok[cv[k].a];
        if (cv[k].b == cv[k].a + 1 &&
            (!strcmp(cv[k].type, "ORG") || !strcmp(cv[k].type, "GPE") ||
             !strcmp(cv[k].type, "LOC")) &&
            !(t->shape & (NT_ALLCAP | NT_MIXED)) && in_a_name(c, doc, t) &&
            !(t->gz & (KG_GZ(COUNTRY) | KG_GZ(SUBDIV) | KG_GZ(CITY) | KG_GZ(NORP)))) {
            cv[k].type = "PERSON";
            cv[k].ev |= KG_NER_EV_PROPAGATED;
        }
    }
    /* What the document says a name is settles its kind ("Konami is a
     * Japanese video game company"): descriptions first, then types. */
    for (size_t k = 0; k < n; k++)
        ner_desc_note(c, doc, cv[k].a, cv[k].b);
    for (size_t k = 0; k < n; k++) {
        const char *kind = ner_desc_type(c, doc, cv[k].a, cv[k].b);
        if (kind && ner_desc_may_retype(cv[k].type, kind)) {
            cv[k].type = kind;
            cv[k].ev |= KG_NER_EV_DESCRIBED;
        }
    }
    n = described_names(c, doc, &cv, n);
    extend_institutions(c, cv, n);
    bodies_named_after(c, cv, n);
    bodies_of_places(c, cv, n);
    methods_named_network(c, cv, n);
    n = acronyms_in_brackets(c, cv, n);
    qsort(cv, n, sizeof *cv, by_conf);
    /* Greedy by confidence: a token belongs to one mention at most. */
    uint8_t *taken = kg_xcalloc(c->ntok ? c->ntok : 1, 1);
    for (size_t k = 0; k < n; k++) {
        int free_span = 1;
        for (uint32_t i = cv[k].a; i < cv[k].b && free_span; i++)
            free_span = !taken[i];
        if (!free_span || cv[k].conf < min_conf)
            continue;
        memset(taken + cv[k].a, 1, cv[k].b - cv[k].a);
        emit(c, &cv[k], out);
    }
    /* A word the document used in a person's full name ("Scrooge" after
     * "Ebenezer Scrooge") is that person wherever it stands capitalised,
     * and its plural the family ("the two young Cratchits"). */
    for (size_t i = 0; i < c->ntok; i++) {
        const ner_tok *t = &c->tok[i];
        if (taken[i] || !(t->shape & NT_WORD) || !(t->shape & NT_CAP) ||
            (t->shape & (NT_ALLCAP | NT_MIXED)) ||
            (t->gz &
             (KG_GZ(FUNC) | KG_GZ(TITLE) | KG_GZ(MONTH) | KG_GZ(WEEKDAY) | KG_GZ(HOLIDAY))) ||
            !in_a_name(c, doc, t) ||
            (i + 1 < c->ntok && (c->tok[i + 1].shape & NT_CAP) && (c->tok[i + 1].shape & NT_WORD)))
            continue;
        cand r = {(uint32_t)i, (uint32_t)i + 1, "PERSON", 0.6f, KG_NER_EV_PROPAGATED};
        if (r.conf >= min_conf && ner_clean_span(c, doc, "PERSON", &r.a, &r.b)) {
            taken[i] = 1;
            emit(c, &r, out);
        }
    }
    for (size_t k = 0; k < c->ncand; k++) {
        const ner_cand *d = &c->cand[k];
        if (d->tj <= d->ti ||
            !(((d->ev & KG_NER_EV_PATTERN) &&
               (d->type == NTY_DATE || d->type == NTY_MONEY || d->type == NTY_PERCENT)) ||
              known_dataset(c, d)))
            continue;
        int free_span = 1;
        for (uint32_t i = d->ti; i < d->tj && free_span; i++)
            free_span = !taken[i];
        uint32_t ev = known_dataset(c, d) ? d->ev | KG_NER_EV_GAZ : d->ev;
        cand r = {d->ti, d->tj, ner_type_names[d->type], ner_rule_score(ev), ev};
        if (free_span && r.conf >= min_conf)
            emit(c, &r, out);
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_start);
    free(taken);
    free(cv);
}
