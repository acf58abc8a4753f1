/* relspeech: who speaks to whom, and of whom, in a sentence of dialogue.
 *
 * In fiction most sentences that name two people are speech and its tag:
 * "'A merry Christmas, Bob!' said Scrooge", "'Mr. Marley has been dead
 * these seven years,' Scrooge replied".  The parse of such a sentence
 * joins the two names by nothing a triple or a dependency path can read
 * (nlp/relpath leaves a quotation mark between mentions alone, on
 * purpose), yet the text says something definite: who spoke, whom the
 * speaker addressed, whom the speaker talked about.  Literary network
 * studies build their character graphs from exactly this.
 *
 * A sentence is read as speech when it holds a quotation (words between
 * quotation marks; one may also run on from the sentence before, ending
 * at a closing mark, or on into the next) and, outside every quotation, a
 * verb of saying ("say", "cry", "reply", "whisper", "return"... a fixed
 * list of lemmas) at most five words after a quotation's end or eight
 * before its start (not right before it: "wrote ``Say Hello 2
 * Heaven''" quotes a title).  The speaker is that verb's subject in the parse
 * ("said Scrooge's niece": the niece, not Scrooge) or, when the parser
 * found none, the noun right after a verb that follows a closing mark
 * ("'...,' faltered Scrooge", which the parser, trained on little
 * fiction, reads as an object).  Then each name inside a quotation is
 *   - addressed ("say to", a person) when it opens the quotation (after
 *     at most one word and a comma: "'Really, Watson, you...'") and a
 *     comma follows, or it stands after a comma and closes the quotation
 *     or a clause of it ("!", "?", ".", ";" or a dash after it): "'Mr.
 *     Scrooge!' said Bob", "'Do go on, Fred,' said ...", "'..., Huckleberry
 *     -- set up straight'" (a vocative; kg_speech_vocative); not a name
 *     between two commas in the middle of a quotation, more often one of a
 *     list, nor one in apposition to a word for a person ("'... his wild
 *     brother, Orson;'");
 *   - spoken of ("speak of") otherwise: "'Spirit,' said Scrooge, 'tell
 *     me if Tiny Tim will live.'".
 * The direction runs from the speaker.  In such a sentence nlp/relate
 * takes no triple across a quotation mark: "'Fred!' said Scrooge" parses
 * with Fred the object of "said", which is the tag misread.  Nothing is read when no speaker
 * is found (a pronoun, "he said", is no entity) or no quotation is.
 *
 * Single quotation marks are told from apostrophes by where they stand:
 * an opening one touches the next word and follows a space, a dash or
 * nothing; a closing one touches the word before, which is ",", ".",
 * "!", "?", ";", "..." or a dash (Dickens's "'...seven years,' Scrooge
 * replied"), so the plural possessive ("the Cratchits' house") never
 * closes a quotation.  Double quotation marks pair in order.
 *
 * Pure functions over the parse; thread safe. */
#ifndef KG_NLP_RELSPEECH_H
#define KG_NLP_RELSPEECH_H

#include <stdbool.h>

#include "syntax/words.h"

#define KG_SPEECH_MAX_QUOTES 8
#define KG_REL_SPEECH_CONFIDENCE 0.45

typedef struct kg_speech {
    int speaker; /* the speech verb's subject (a word), or -1 */
    int verb;    /* the verb of saying, or -1 */
    int nq;      /* the quotations, at most KG_SPEECH_MAX_QUOTES: */
    int qlo[KG_SPEECH_MAX_QUOTES], qhi[KG_SPEECH_MAX_QUOTES]; /* first and last word inside */
} kg_speech;

/* Read sentence s (tagged and parsed) as speech.  True when it has a
 * quotation and a speaker (*out filled); false otherwise (speaker -1). */
bool kg_speech_find(const kg_words *s, kg_speech *out);

/* True when the words [lo, hi] lie inside one of sp's quotations. */
bool kg_speech_inside(const kg_speech *sp, int lo, int hi);

/* True when the mention over [lo, hi] (inside a quotation) is addressed:
 * at the quotation's start or end, set off from the rest by a comma or
 * the marks above (a title such as "Mr." may stand before it), and not in
 * apposition to a word for a person ("brother", "friend"). */
bool kg_speech_vocative(const kg_words *s, const kg_speech *sp, int lo, int hi);

#endif
