/* relspeech: see relspeech.h. */
#include "nlp/relspeech.h"

#include <string.h>

#include "base/strlist.h"
#include "syntax/lemma.h"
#include "syntax/ptb.h"

/* Verbs that tag a quotation with its speaker, as lemmas. */
static const char *const SPEECH_VERBS[] = {
    "add",       "answer",  "ask",    "beg",     "begin",   "call",    "continue",
    "cry",       "declare", "demand", "enquire", "exclaim", "explain", "falter",
    "gasp",      "groan",   "growl",  "hint",    "inquire", "insist",  "interpose",
    "interrupt", "laugh",   "murmur", "mutter",  "observe", "plead",   "protest",
    "pursue",    "rejoin",  "remark", "repeat",  "reply",   "resume",  "retort",
    "return",    "roar",    "say",    "scream",  "shout",   "sigh",    "sob",
    "stammer",   "suggest", "urge",   "whisper", "write",   "yell",    NULL,
};

static bool speech_verb(const kg_words *s, int i)
{
    int tag = s->w[i].tag;
    if (!kg_tag_is_verb(tag) || tag == KG_T_MD)
        return false;
    char lem[KG_LEMMA_MAX];
    kg_lemma(kg_words_form(s, i), s->w[i].len, tag, lem, sizeof lem);
    return kg_strlist_has(SPEECH_VERBS, lem);
}

/* Is word i (any i: outside the sentence it is none) one of v's forms? */
static bool form_in(const kg_words *s, int i, const char *const *v)
{
    return i >= 0 && i < s->n && kg_strlist_has(v, kg_words_form(s, i));
}

static bool is_dash(const kg_words *s, int i)
{
    if (i < 0 || i >= s->n)
        return false;
    const char *f = kg_words_form(s, i);
    return strcmp(f, "-") == 0 || strcmp(f, "--") == 0 || strncmp(f, "\xe2\x80\x94", 3) == 0 ||
           strncmp(f, "\xe2\x80\x93", 3) == 0;
}

/* What may stand before a closing single quotation mark. */
static bool closes_utterance(const kg_words *s, int i)
{
    static const char *const ends[] = {",", ".", "!", "?", ";", "...", NULL};
    return form_in(s, i, ends) || is_dash(s, i) ||
           strncmp(kg_words_form(s, i), "\xe2\x80\xa6", 3) == 0;
}

static bool touches_prev(const kg_words *s, int i)
{
    return i > 0 && s->w[i].start == s->w[i - 1].end;
}

static bool touches_next(const kg_words *s, int i)
{
    return i + 1 < s->n && s->w[i + 1].start == s->w[i].end;
}

static bool add_quote(kg_speech *sp, int lo, int hi)
{
    if (lo > hi)
        return true; /* an empty quotation: nothing inside, nothing wrong */
    if (sp->nq == KG_SPEECH_MAX_QUOTES)
        return false;
    sp->qlo[sp->nq] = lo;
    sp->qhi[sp->nq] = hi;
    sp->nq++;
    return true;
}

/* The quotations of s; false when their marks do not pair up. */
static bool find_quotes(const kg_words *s, kg_speech *sp)
{
    int open = -1; /* the opening mark's word, when inside a quotation */
    char kind = 0; /* its character */
    bool seen = false;
    for (int i = 0; i < s->n; i++) {
        const char *f = kg_words_form(s, i);
        if (strcmp(f, "\"") == 0) {
            if (open < 0) {
                open = i;
                kind = '"';
            } else if (kind == '"') {
                if (!add_quote(sp, open + 1, i - 1))
                    return false;
                open = -1;
            }
            seen = true;
        } else if (strcmp(f, "'") == 0) {
            bool opens = touches_next(s, i) &&
                         (!touches_prev(s, i) || is_dash(s, i - 1)); /* "--'just" */
            bool closes = touches_prev(s, i) && closes_utterance(s, i - 1) &&
                          (i + 1 == s->n || !touches_next(s, i) ||
                           (s->w[i + 1].shape & KG_WSHAPE_PUNCT));
            if (open < 0 && opens) {
                open = i;
                kind = '\'';
                seen = true;
            } else if (open >= 0 && kind == '\'' && closes) {
                if (!add_quote(sp, open + 1, i - 1))
                    return false;
                open = -1;
            } else if (open < 0 && closes && !seen) {
                /* A quotation that ran on from the sentence before. */
                if (!add_quote(sp, 0, i - 1))
                    return false;
                seen = true;
            }
        }
    }
    if (open >= 0 && !add_quote(sp, open + 1, s->n - 1))
        return false; /* runs on into the next sentence */
    return sp->nq > 0;
}

bool kg_speech_inside(const kg_speech *sp, int lo, int hi)
{
    for (int q = 0; q < sp->nq; q++)
        if (lo >= sp->qlo[q] && hi <= sp->qhi[q])
            return true;
    return false;
}

/* Is the verb v within a few words of a quotation's edge?  Its subject
 * may stand between ("'...,' Scrooge replied"; "'...,' said Mrs.
 * Cratchit"), and "Scrooge said, '...'" opens one after it. */
static bool near_quote(const kg_speech *sp, int v)
{
    for (int q = 0; q < sp->nq; q++) {
        int close = sp->qhi[q] + 1, open = sp->qlo[q] - 1;
        if (close < v && v - close <= 5)
            return true;
        if (open > v + 1 && open - v <= 8) /* not "wrote ``Say Hello 2 Heaven''": a title */
            return true;
    }
    return false;
}

/* "'...,' faltered Scrooge", "'...?' cried the two young Cratchits": a
 * verb of saying right after a closing mark, its speaker the noun after
 * it (the parser, trained on little fiction, often makes it the object).
 * Not "said Scrooge's niece": the niece speaks. */
static int inverted_speaker(const kg_words *s, const kg_speech *sp, int v)
{
    bool after_close = false;
    for (int q = 0; q < sp->nq; q++)
        after_close |= sp->qhi[q] + 2 == v;
    if (!after_close)
        return -1;
    int k = v + 1, skipped = 0;
    while (k < s->n && skipped < 4 &&
           (s->w[k].tag == KG_T_DT || s->w[k].tag == KG_T_CD || kg_tag_is_adj(s->w[k].tag))) {
        k++;
        skipped++;
    }
    if (k >= s->n || !kg_tag_is_noun(s->w[k].tag))
        return -1;
    while (k + 1 < s->n && kg_tag_is_proper(s->w[k].tag) && kg_tag_is_proper(s->w[k + 1].tag))
        k++; /* the name's last word: "Bob Cratchit" */
    if (k + 1 < s->n && s->w[k + 1].tag == KG_T_POS)
        return -1;
    return k;
}

bool kg_speech_find(const kg_words *s, kg_speech *out)
{
    memset(out, 0, sizeof *out);
    out->speaker = out->verb = -1;
    if (!find_quotes(s, out))
        return false;
    for (int v = 0; v < s->n; v++) {
        if (kg_speech_inside(out, v, v) || !speech_verb(s, v) || !near_quote(out, v))
            continue;
        int who = -1;
        for (int k = 0; k < s->n && who < 0; k++)
            if (s->w[k].head == v && kg_dep_is_subj(s->w[k].dep) &&
                !kg_dep_is_passive_subj(s->w[k].dep) && !kg_speech_inside(out, k, k))
                who = k;
        if (who < 0)
            who = inverted_speaker(s, out, v);
        if (who >= 0) {
            out->verb = v;
            out->speaker = who;
            return true;
        }
    }
    return false;
}

/* Which quotation holds word i, or -1. */
static int quote_of(const kg_speech *sp, int i)
{
    for (int q = 0; q < sp->nq; q++)
        if (i >= sp->qlo[q] && i <= sp->qhi[q])
            return q;
    return -1;
}

bool kg_speech_vocative(const kg_words *s, const kg_speech *sp, int lo, int hi)
{
    static const char *const titles[] = {"Mr.",  "Mrs.",  "Mr",      "Mrs",  "Miss", "Ms.",
                                         "Dr.",  "Sir",   "Master",  "Lady", "Lord", "Uncle",
                                         "Aunt", "Madam", "Captain", NULL};
    static const char *const after[] = {",", "!", "?", ".", ";", NULL};
    int q = quote_of(sp, lo);
    if (q < 0 || quote_of(sp, hi) != q)
        return false;
    while (lo > sp->qlo[q] && form_in(s, lo - 1, titles))
        lo--;
    /* "his wild brother, Orson;": a name in apposition to a word for a
     * person names that person ("that local hunt, Watson" is still said
     * to Watson: the parser often makes a vocative an apposition). */
    static const char *const kin[] = {
        "brother",  "sister",  "father", "mother",    "son",     "daughter", "wife",    "husband",
        "friend",   "uncle",   "aunt",   "cousin",    "nephew",  "niece",    "partner", "master",
        "servant",  "clerk",   "child",  "boy",       "girl",    "man",      "woman",   "lady",
        "brothers", "sisters", "sons",   "daughters", "friends", "children", NULL};
    for (int i = lo; i <= hi; i++) {
        int h = s->w[i].head;
        if ((h < lo || h > hi) && s->w[i].dep == KG_D_APPOS && h >= 0 && form_in(s, h, kin))
            return false;
    }
    /* At the quotation's start ("'Snake, what's...", "'Really, Watson,
     * you...") or end ("'..., Jacob?'"), or closing a clause inside it
     * ("..., Huckleberry -- set up straight"); a name between two commas
     * in the middle of a quotation is more often one of a list
     * ("Bergson, Whitehead, Smuts"). */
    static const char *const stops[] = {"!", "?", ".", ";", NULL};
    static const char *const comma[] = {",", NULL};
    bool comma_before = form_in(s, lo - 1, comma);
    bool at_start = lo == sp->qlo[q] || (lo == sp->qlo[q] + 2 && comma_before);
    bool at_end = hi == sp->qhi[q] || (hi + 1 == sp->qhi[q] && form_in(s, hi + 1, after));
    bool stop_after = form_in(s, hi + 1, stops) || is_dash(s, hi + 1);
    bool before = at_start || comma_before;
    bool behind = at_end || stop_after || (at_start && form_in(s, hi + 1, comma));
    return before && behind;
}
