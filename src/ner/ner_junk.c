/* ner_junk: what a reader would never call an entity, and the bits that do
 * not belong to a name, whatever the model says.
 *
 * Trimmed off a span: leading titles ("Sir", "Dr.") and lower-case
 * articles, epithets before a person ("Poor Bob"), punctuation at either end, trailing possessives; everything
 * from a symbol, URL or footnote marker inside it on ("Eich * Neumann");
 * a person's trailing initials in the reference-list style ("Ellis G",
 * "Kolb E W" -> "Ellis", "Kolb"); and, when a span runs across a line end
 * between two names ("Finland\nIndiana University", "University of
 * Amsterdam\nKevin Crowston", as in the affiliation lists of papers;
 * "Chuttur\nIndiana University", an author's surname before the
 * institution in a title block), the part on the other side of it; an
 * organisation's street address after it ("University of Amsterdam
 * Roetersstraat 11,"); a title between an organisation and its holder's
 * name ("Department of Energy Secretary Rick Perry"); the first of a
 * person's name said twice ("called Scrooge Scrooge").
 *
 * Refused: spans with no letter, with a URL or an underscore; made only of
 * single letters and letters with digits ("R", "J", "Psi", "H0", "R2",
 * "Psi1"; a Greek letter with a subscript of one or two Latin letters or
 * digits, "ΘK1", "ΩB", which is also cut off a name's end or start,
 * "Cosmological Constant Λ", and leaves none when one word would be left,
 * "Dataset Ψ"), of document words and numbers ("Table 2", "Section 3.1",
 * "Introduction") or of reference-list abbreviations ("Phys. Rev. Lett.",
 * "Astrophys. J."); a Greek letter run into Latin ones ("Psi-q",
 * "Theta-space"); a capitalised word without a vowel ("Xpq"); a title
 * alone, or in the plural ("the Emperors"); a person that is only an epithet ("Old" of "Old fire-guard"); a
 * span running over a line that ends in a page number (a table of
 * contents); a name that is an interjection alone ("Hallo").  Names of people, organisations and places start with a capital
 * ("base station" is not one), and in a heading ("Tree Skeleton",
 * "Origins, Developments and Future Directions": a short line of
 * capitalised words) a span of dictionary words only is the heading's, not
 * a name; nor is a hyphenated word of dictionary words ("Market-Driven"),
 * nor a name's possessive followed by lower-case words only ("Scrooge's
 * counting-house", "Earth's surface": a thing of the name's).
 * People: a person's name is capitalised but for particles
 * ("van", "de"), so "fitModel" is code; has no inner capitals but after
 * Mc/Mac/O'/De/Di/La/Le ("TraceMonkey" is a program); is not all acronyms
 * ("TIMP"); and is not only dictionary words unless the gazetteer knows
 * them as names or the document used them in a longer name before
 * ("Origins", "Tree Skeleton" are headings; "Scrooge" after "Ebenezer
 * Scrooge" is a person); nor is it made only of holidays, weekdays and
 * months ("Christmas", "Christmas Eve", "Michaelmas": WordNet's feasts and
 * days, see scripts/gen_gazetteer.py).  An organisation is not its head
 * word alone ("Foundation", "the Foundation": a reference back to a name, not
 * a name).  Research entities (methods, tasks, data sets, metrics...) are
 * not read in shouted text (a run of words nearly all in capitals, as in
 * licences and disclaimers: "STRICT LIABILITY", "NEGLIGENCE"), where case,
 * the model's best clue, says nothing, nor is one a word the document
 * writes in lower case, capitalised for emphasis ("ANYTHING"), or a
 * person's name ("EBENEZER SCROOGE" after "Ebenezer Scrooge"); nor is one (but a metric) a lone
 * lower-case plural ("encoders", "features": a kind of thing, not a named
 * one). */
#include <string.h>
#include <strings.h>

#include "ner/ner_internal.h"

/* Letters and digits in token t (non-ASCII characters count as letters). */
static size_t letters(const ner_ctx *c, const ner_tok *t, size_t *digits)
{
    size_t n = 0;
    *digits = 0;
    for (uint32_t k = t->s; k < t->e; k++) {
        unsigned char ch = (unsigned char)c->text[k];
        if (((ch | 32) >= 'a' && (ch | 32) <= 'z') || ch >= 0xC0)
            n++;
        else if (ch >= '0' && ch <= '9')
            (*digits)++;
    }
    return n;
}

static int is_greek(const unsigned char *p)
{
    return p[0] == 0xCE || p[0] == 0xCF;
}

/* A Greek letter run into Latin lower-case ones or a hyphen: "Psi-q",
 * "Theta-space" (while "LambdaCDM", Greek then capitals, is a name). */
static int greek_mix(const ner_ctx *c, const ner_tok *t)
{
    const unsigned char *p = (const unsigned char *)c->text + t->s;
    size_t n = t->e - t->s;
    if (n < 3 || !is_greek(p))
        return 0;
    return (p[2] >= 'a' && p[2] <= 'z') || p[2] == '-';
}

/* A Greek letter with a subscript of at most two Latin letters or digits
 * run into it: a symbol of a formula ("ΘK1", "ΩB", "θC"), like "Ψ1";
 * while "ΛCDM" names a model. */
static int greek_symbol(const ner_ctx *c, const ner_tok *t)
{
    const unsigned char *p = (const unsigned char *)c->text + t->s;
    size_t n = t->e - t->s;
    if (n < 2 || n > 4 || !is_greek(p))
        return 0;
    for (size_t k = 2; k < n; k++)
        if (!((p[k] | 32) >= 'a' && (p[k] | 32) <= 'z') && !(p[k] >= '0' && p[k] <= '9'))
            return 0;
    return 1;
}

/* A capitalised word of three letters or more with no vowel ("Xpq"). */
static int no_vowel(const ner_ctx *c, const ner_tok *t)
{
    if (!(t->shape & NT_CAP) || (t->shape & (NT_ALLCAP | NT_MIXED)) || t->e - t->s < 3)
        return 0;
    for (uint32_t k = t->s; k < t->e; k++) {
        unsigned char ch = (unsigned char)(c->text[k] | 32);
        if (strchr("aeiouy", ch) || c->text[k] & 0x80 || c->text[k] == '\'')
            return 0;
    }
    return 1;
}

/* Inner capitals a name may have: McDonald, MacArthur, O'Brien, DeVito,
 * DiCaprio, LaGuardia, LeBron. */
static int camel_name(const ner_ctx *c, const ner_tok *t)
{
    static const char *const pre[] = {"Mc", "Mac", "O'",  "D'",  "De",   "Di", "Da",
                                      "La", "Le",  "Van", "Von", "Fitz", NULL};
    const char *s = c->text + t->s;
    size_t n = t->e - t->s;
    for (int k = 0; pre[k]; k++) {
        size_t m = strlen(pre[k]);
        if (n > m + 1 && memcmp(s, pre[k], m) == 0 && s[m] >= 'A' && s[m] <= 'Z')
            return 1;
    }
    return 0;
}

/* An initial of the reference-list style: "G", "IHM", "J-M" (capitals,
 * at most three, maybe a hyphen). */
static int initials_tok(const ner_ctx *c, const ner_tok *t)
{
    size_t caps = 0;
    for (uint32_t k = t->s; k < t->e; k++) {
        char ch = c->text[k];
        if (ch >= 'A' && ch <= 'Z')
            caps++;
        else if (ch != '-')
            return 0;
    }
    return caps >= 1 && caps <= 3;
}

/* A paper's title block ("Mohammad Chuttur\nIndiana University, USA"):
 * the span's part before the line end at k ends a line that a name (not
 * a dictionary word) starts, before the span or as its start, in a short run of
 * capitalised words with no organisation's head word; the part
 * after it holds an organisation's head word.  The left part is then the
 * end of an author's name, not the start of the institution's. */
static int author_line_end(const ner_ctx *c, uint32_t i, uint32_t k, uint32_t j)
{
    uint32_t a = i;
    while (a > 0 && !(c->tok[a].shape & (NT_NL | NT_PARA)))
        a--;
    uint64_t first = c->tok[a].gz;
    if (i - a > 3 || !(c->tok[a].shape & (NT_NL | NT_PARA)) ||
        ((first & KG_GZ(COMMON)) && !(first & KG_GZ_NAMELIKE)))
        return 0;
    /* The span holds the whole line: the next line must hold a whole
     * institution's name ("Indiana University"), not the rest of one
     * ("Carnegie Mellon\nUniversity", "Max Planck\nInstitute"). */
    if (a == i && (j - k < 2 || (c->tok[k].gz & (KG_GZ(ORGHEAD) | KG_GZ(ORGSUF)))))
        return 0;
    for (uint32_t q = a; q < k; q++)
        if (!(c->tok[q].shape & NT_CAP) || !(c->tok[q].shape & NT_WORD) ||
            (c->tok[q].gz & (KG_GZ(ORGHEAD) | KG_GZ(ORGSUF))))
            return 0;
    for (uint32_t q = k; q < j; q++)
        if (c->tok[q].gz & KG_GZ(ORGHEAD))
            return 1;
    return 0;
}

/* Where a span crossing a line end splits into two names, if it does: the
 * token after the line end, else 0. */
static uint32_t line_split(const ner_ctx *c, uint32_t i, uint32_t j)
{
    for (uint32_t k = i + 1; k < j; k++) {
        if (!(c->tok[k].shape & NT_NL) || !(c->tok[k].shape & NT_CAP))
            continue;
        uint64_t left = ner_phrase_flags(c, i, k);
        if ((left & (KG_GZ(COUNTRY) | KG_GZ(SUBDIV) | KG_GZ(CITY))) ||
            ((c->tok[k].gz & KG_GZ(FIRST)) &&
             (c->tok[k - 1].gz &
              (KG_GZ(ORGHEAD) | KG_GZ(GPEHEAD) | KG_GZ(COUNTRY) | KG_GZ(CITY)))) ||
            author_line_end(c, i, k, j))
            return k;
    }
    return 0;
}

static int trim_front(const ner_ctx *c, uint32_t i, uint32_t j)
{
    static const char *const articles[] = {"the", "a", "an", "of", NULL};
    for (;;) {
        if (i < j && (c->tok[i].shape & NT_PUNCT)) {
            i++;
        } else if (i + 1 < j && (c->tok[i].gz & KG_GZ(TITLE)) && (c->tok[i].shape & NT_CAP) &&
                   !ner_tok_is(c, i + 1, "of")) { /* "Duchess of York" is a name */
            i++;
            if (ner_tok_is(c, i, "."))
                i++;
        } else if (i + 1 < j && (c->tok[i].shape & NT_LOWER) && ner_tok_in(c, i, articles)) {
            i++; /* "the UK Royal Academy": the article is not part of the name; nor
                    is the "of" of a title the model left out ("of Burma") */
        } else {
            return (int)i;
        }
    }
}

static uint32_t trim_back(const ner_ctx *c, uint32_t i, uint32_t j)
{
    while (j > i) {
        const ner_tok *t = &c->tok[j - 1];
        if (!(t->shape & NT_PUNCT))
            break;
        /* "Inc.", "Jr.", "U.S." keep the period glued to them. */
        if (ner_tok_is(c, j - 1, ".") && j - 1 > i && c->tok[j - 2].e == t->s &&
            ((c->tok[j - 2].gz & (KG_GZ(ORGSUF) | KG_GZ(ABBREV))) ||
             memchr(c->text + c->tok[j - 2].s, '.', c->tok[j - 2].e - c->tok[j - 2].s)))
            break;
        j--;
    }
    return j;
}

/* "the Department of Energy Secretary Rick Perry": a title between an
 * organisation and the name of the person who holds it is the person's,
 * not the organisation's; only before a capitalised word, as "Office of
 * the Inspector General" ends in a title of its own. */
static uint32_t title_off(const ner_ctx *c, uint32_t i, uint32_t j)
{
    if (j < i + 2 || !(c->tok[j - 1].gz & KG_GZ(TITLE)) || !(c->tok[j - 2].shape & NT_CAP) ||
        !(c->tok[j - 2].shape & NT_WORD) || j >= c->ntok || !(c->tok[j].shape & NT_WORD) ||
        !(c->tok[j].shape & NT_CAP))
        return j;
    return j - 1;
}

/* "Ellis G", "Kolb E W", "Piskorski, J" -> the surname. */
static uint32_t drop_initials(const ner_ctx *c, uint32_t i, uint32_t j)
{
    uint32_t k = j;
    while (k > i && ((c->tok[k - 1].shape & NT_WORD) ? initials_tok(c, &c->tok[k - 1])
                                                     : ner_tok_is(c, k - 1, ".")))
        k--;
    if (k == j || k == i)
        return j;
    if (ner_tok_is(c, k - 1, ","))
        k--;
    /* What is left must hold a real word ("Ellis"), not only particles. */
    for (uint32_t q = i; q < k; q++)
        if ((c->tok[q].shape & NT_WORD) && (c->tok[q].shape & NT_CAP) &&
            !(c->tok[q].shape & NT_ALLCAP) && c->tok[q].e - c->tok[q].s >= 2)
            return k;
    return j;
}

/* Epithets that stand before a name without being part of it ("Poor
 * Bob", "Old Scrooge", "Little Dorrit" aside), and kin named as a form of
 * address ("Uncle Scrooge", what his nephew calls him; "Aunt Polly"). */
static int epithet(const ner_ctx *c, uint32_t i)
{
    static const char *const ep[] = {
        "poor",    "old",     "young",  "dear",    "good",        "kind",        "honest",
        "sweet",   "wicked",  "lucky",  "uncle",   "aunt",        "auntie",      "cousin",
        "grandpa", "grandma", "granny", "grandad", "grandfather", "grandmother", NULL};
    return ner_tok_in(c, i, ep);
}

/* Interjections: a lone one is no name ("'Hallo!' returned the boy" gave a
 * person of nine mentions in A Christmas Carol; WordNet, the dictionary
 * the rules know, has few of them). */
static int interjection(const ner_ctx *c, uint32_t i)
{
    static const char *const ij[] = {
        "ah",       "aha",    "ahem",   "ahoy",  "alas",   "bah",    "bravo",  "egad",
        "gadzooks", "golly",  "ha",     "hah",   "hallo",  "halloa", "halloo", "hello",
        "hey",      "hi",     "hmm",    "ho",    "holla",  "hooray", "huh",    "hullo",
        "humph",    "hurrah", "hurray", "huzza", "huzzah", "lo",     "oh",     "oho",
        "ooh",      "ouch",   "pah",    "phew",  "pish",   "pooh",   "pshaw",  "tush",
        "tut",      "ugh",    "whoa",   "whoop", "wow",    "yah",    "zounds", NULL};
    return ner_tok_in(c, i, ij);
}

/* "i" to "xxxix" in lower case: the front matter's page numbers. */
static int roman_page(const char *p, size_t n)
{
    static const char *const units[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
    size_t x = 0;
    while (x < n && x < 3 && p[x] == 'x')
        x++;
    for (int u = 0; u < 10; u++)
        if (strlen(units[u]) == n - x && strncmp(p + x, units[u], n - x) == 0)
            return n > 0;
    return 0;
}

/* A page number ending a line inside [i, j): a number or a lower-case
 * roman numeral before a line end.  Names do not run over the end of a
 * line of a plain-text table of contents ("Tailpiece to List of Coloured
 * Illustrations x" / "Tailpiece to Stave One 34", the stored text having
 * lost the column's spaces), which gave "Coloured Illustrations x
 * Tailpiece" and "Three 69 There" in A Christmas Carol. */
static int page_number_break(const ner_ctx *c, uint32_t i, uint32_t j)
{
    for (uint32_t k = i + 1; k < j; k++) {
        if (!(c->tok[k].shape & NT_NL))
            continue;
        const ner_tok *t = &c->tok[k - 1];
        if (t->shape & NT_NUM)
            return 1;
        if (roman_page(c->text + t->s, t->e - t->s))
            return 1;
    }
    return 0;
}

/* An affiliation list read as one line ("Helsinki School of Economics,
 * Finland Indiana University, USA"): an organisation between commas that
 * starts with a country and goes on with another name holding an
 * organisation's head word is that name; the country ends the entry
 * before it ("Finland").  Returns the new start. */
static uint32_t list_country_off(const ner_ctx *c, uint32_t i, uint32_t j)
{
    /* Only in such a list: a comma before, and a comma and a country after
     * ("..., Finland Indiana University, USA"); "Auckland Rugby League, New
     * Zealand Rugby League, Australian Rugby League" is a list of names
     * that start with a country. */
    if (i == 0 || !ner_tok_is(c, i - 1, ",") || j + 1 >= c->ntok || !ner_tok_is(c, j, ",") ||
        !(c->tok[j + 1].gz & KG_GZ(COUNTRY)))
        return i;
    for (uint32_t k = i + 1; k < j && k <= i + 3; k++) {
        /* A country, then a name: not a common word ("Georgia State
         * University", "Georgia Tech", "National University of Singapore"
         * are names that start with a country or a state). */
        uint64_t next = c->tok[k].gz;
        if (!(ner_phrase_flags(c, i, k) & KG_GZ(COUNTRY)) || !(c->tok[k].shape & NT_CAP) ||
            !(c->tok[k].shape & NT_WORD) || ((next & KG_GZ(COMMON)) && !(next & KG_GZ_NAMELIKE)))
            continue;
        for (uint32_t q = k + 1; q < j; q++)
            if (c->tok[q].gz & KG_GZ(ORGHEAD))
                return k;
    }
    return i;
}

static int same_word(const ner_ctx *c, uint32_t a, uint32_t b)
{
    const ner_tok *x = &c->tok[a], *y = &c->tok[b];
    return (x->shape & NT_WORD) && x->e - x->s == y->e - y->s &&
           memcmp(c->text + x->s, c->text + y->s, x->e - x->s) == 0;
}

/* "University of Amsterdam Roetersstraat 11, Room E": an organisation run
 * into its street address, the street a capitalised word with its house
 * number (1-4 digits) and a comma after it, is the organisation without
 * the street. */
static uint32_t street_off(const ner_ctx *c, uint32_t i, uint32_t j)
{
    const ner_tok *last = &c->tok[j - 1], *num = j < c->ntok ? &c->tok[j] : NULL;
    if (j - i < 3 || !num || !(num->shape & NT_NUM) || num->e - num->s > 4 ||
        !(last->shape & NT_CAP) || (last->gz & (KG_GZ(ORGHEAD) | KG_GZ(ORGSUF))) ||
        j + 1 >= c->ntok || !ner_tok_is(c, j + 1, ","))
        return j;
    return j - 1;
}

static int trim(const ner_ctx *c, const char *type, uint32_t *a, uint32_t *b)
{
    uint32_t i = *a, j = *b;
    for (uint32_t k = i; k < j; k++)
        if (c->tok[k].shape & (NT_SYM | NT_URL | NT_MARK)) {
            j = k;
            break;
        }
    i = (uint32_t)trim_front(c, i, j);
    j = trim_back(c, i, j);
    /* "Cosmological Constant Λ": the symbol is not the name's; and "Dataset
     * Ψ", "parameter ΘL" name the symbol, one word left is no name. */
    uint32_t was = j - i;
    while (j > i + 1 && greek_symbol(c, &c->tok[j - 1]))
        j = trim_back(c, i, j - 1);
    while (j > i + 1 && greek_symbol(c, &c->tok[i]))
        i = (uint32_t)trim_front(c, i + 1, j);
    if (j - i < was && j - i <= 1)
        return 0;
    uint32_t k = i < j ? line_split(c, i, j) : 0;
    if (k) {
        /* Keep the side that has the type's head word, else the right one. */
        int org = strcmp(type, "ORG") == 0;
        int left_head = 0;
        for (uint32_t q = i; q < k && org; q++)
            left_head |= (c->tok[q].gz & (KG_GZ(ORGHEAD) | KG_GZ(ORGSUF))) != 0;
        if (left_head)
            j = trim_back(c, i, k);
        else
            i = k;
    }
    if (i < j && strcmp(type, "ORG") == 0) {
        i = list_country_off(c, i, j);
        j = street_off(c, i, j);
        j = title_off(c, i, j);
    }
    if (i < j && strcmp(type, "PERSON") == 0) {
        while (i + 1 < j && epithet(c, i) && (c->tok[i + 1].shape & NT_CAP))
            i++;
        if (j == i + 1 && epithet(c, i))
            return 0; /* "Old fire-guard": an epithet alone names no one */
        j = drop_initials(c, i, j);
        if (j == i + 2 && same_word(c, i, i + 1))
            i++; /* "called Scrooge Scrooge": the name said twice, not a full name */
    }
    *a = i;
    *b = j;
    return i < j;
}

/* A heading: the line around token i, a short line with a line end at
 * either side, whose content words are nearly all capitalised. */
static int title_line(const ner_ctx *c, uint32_t i)
{
    size_t a = i, b = i + 1;
    while (a > 0 && !(c->tok[a].shape & (NT_NL | NT_PARA)))
        a--;
    while (b < c->ntok && !(c->tok[b].shape & (NT_NL | NT_PARA)))
        b++;
    if (!(c->tok[a].shape & (NT_NL | NT_PARA)) && b == c->ntok)
        return 0; /* no line structure: running text */
    size_t words = 0, caps = 0;
    for (size_t k = a; k < b; k++) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD) || (t->shape & NT_DIGIT) || (t->gz & KG_GZ(FUNC)))
            continue;
        words++;
        caps += (t->shape & (NT_CAP | NT_ALLCAP)) != 0;
    }
    return words >= 2 && words <= 16 && caps * 5 >= words * 4;
}

/* A hyphenated word all of whose parts are dictionary words
 * ("Market-Driven", "Well-Known"), not a name. */
static int common_compound(const ner_ctx *c, const ner_tok *t)
{
    const char *s = c->text + t->s, *e = c->text + t->e;
    if (!memchr(s, '-', (size_t)(e - s)))
        return 0;
    while (s < e) {
        const char *q = memchr(s, '-', (size_t)(e - s));
        if (!q)
            q = e;
        uint64_t f = kg_gz_lookup(c->gz, kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, s, (size_t)(q - s)));
        if (!(f & KG_GZ(COMMON)) || (f & KG_GZ_NAMELIKE))
            return 0;
        s = q + 1;
    }
    return 1;
}

/* Names of people, organisations and places, by the rules of the file
 * comment: they start with a capital; in a heading they are not made only
 * of dictionary words. */
static int not_a_name(const ner_ctx *c, uint32_t i, uint32_t j)
{
    size_t words = 0, plain = 0;
    for (uint32_t k = i; k < j; k++) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD))
            continue;
        if (!words && (t->shape & NT_LOWER) && !(t->shape & NT_MIXED) && !(t->gz & KG_GZ(NAMEJOIN)))
            return 1; /* "base station" */
        words++;
        plain += (t->gz & KG_GZ(COMMON)) && !(t->gz & KG_GZ_NAMELIKE);
        if (j - i == 1 && common_compound(c, t))
            return 1;
    }
    return words && plain == words && title_line(c, i);
}

/* "Scrooge's counting-house", "Earth's surface", "Harker's fiancée": a
 * possessive followed only by lower-case words describes something of a
 * name's, it is not one ("Jehovah's Witnesses", "Sullivan's Island" are). */
static int possessed_thing(const ner_ctx *c, uint32_t i, uint32_t j)
{
    uint32_t k = i;
    while (k < j && !(c->tok[k].shape & NT_POSS))
        k++;
    if (k == i || k >= j)
        return 0;
    int words = 0;
    for (uint32_t q = k + 1; q < j; q++) {
        const ner_tok *t = &c->tok[q];
        if (!(t->shape & NT_WORD))
            continue;
        if (!(t->shape & NT_LOWER))
            return 0;
        words++;
    }
    return words > 0;
}

int ner_time_name(const ner_ctx *c, uint32_t i, uint32_t j)
{
    const uint64_t when = KG_GZ(HOLIDAY) | KG_GZ(WEEKDAY) | KG_GZ(MONTH);
    if (ner_phrase_flags(c, i, j) & KG_GZ(HOLIDAY))
        return 2;
    size_t words = 0, times = 0, feasts = 0;
    for (uint32_t k = i; k < j; k++) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD))
            continue;
        words++;
        times += (t->gz & when) != 0;
        feasts += (t->gz & KG_GZ(HOLIDAY)) != 0;
    }
    return !words ? 0 : times == words ? 2 : feasts ? 1 : 0;
}

int ner_org_led(const ner_ctx *c, uint32_t i, uint32_t j)
{
    return j - i > 1 && (c->tok[i].shape & NT_CAP) &&
           ((c->tok[i].gz & KG_GZ(ORGHEAD)) || ner_tok_is(c, i, "project") ||
            ner_tok_is(c, i, "programme"));
}

/* Shouted text: a run of four words or more in capitals (of two letters
 * or more, through punctuation, within the sentence) holds [i, j). */
static int shouted(const ner_ctx *c, uint32_t i, uint32_t j)
{
    size_t run = 0;
    for (uint32_t k = i; k < j; k++) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD))
            continue;
        if (!(t->shape & NT_ALLCAP))
            return 0;
        run++;
    }
    for (int dir = -1; dir <= 1; dir += 2) {
        size_t k = dir < 0 ? i : j - 1;
        for (size_t n = 0; n < 40; n++) {
            if (dir < 0 ? (k == 0 || (c->tok[k].shape & (NT_SENT | NT_PARA))) : k + 1 >= c->ntok)
                break;
            k = dir < 0 ? k - 1 : k + 1;
            const ner_tok *t = &c->tok[k];
            if (dir > 0 && (t->shape & (NT_SENT | NT_PARA)))
                break;
            if (!(t->shape & NT_WORD))
                continue;
            if (!(t->shape & NT_ALLCAP) && t->e - t->s >= 2)
                break;
            run += t->e - t->s >= 2;
        }
    }
    return run >= 4;
}

/* Two words or more in capitals, every one used in a person's full name
 * before ("EBENEZER SCROOGE" after "Ebenezer Scrooge"). */
static int person_words(const ner_ctx *c, const kg_ner_doc *doc, uint32_t i, uint32_t j)
{
    size_t words = 0;
    for (uint32_t k = i; k < j && doc; k++) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD))
            continue;
        if (!(t->shape & NT_ALLCAP) || !(ner_doc_get(doc, t->h) & NER_DOC_INNAME))
            return 0;
        words++;
    }
    return words >= 2;
}

/* A word written in capitals for emphasis ("ANYTHING"), alone, that the
 * document also writes in lower case: not a research entity
 * (while "ROUGE", "METEOR", "GLUE" are). */
static int shouted_word(const ner_ctx *c, const kg_ner_doc *doc, uint32_t i, uint32_t j)
{
    const ner_tok *t = &c->tok[i];
    return doc && j == i + 1 && (t->shape & NT_ALLCAP) && t->e - t->s >= 5 &&
           (ner_doc_get(doc, t->h) & NER_DOC_LOWER);
}

/* A lone lower-case plural ("encoders", "classifiers"): a kind of
 * thing, not a named one.  "corpus", "analysis" and "class" are not
 * plurals; a metric may be one ("accuracies"). */
static int common_plural(const ner_ctx *c, const char *type, uint32_t i, uint32_t j)
{
    const ner_tok *t = &c->tok[i];
    size_t n = t->e - t->s;
    char before = n >= 2 ? c->text[t->e - 2] : 0;
    return j == i + 1 && strcmp(type, "METRIC") != 0 && (t->shape & NT_LOWER) &&
           !(t->shape & (NT_MIXED | NT_DIGIT)) && n >= 5 && c->text[t->e - 1] == 's' &&
           before != 's' && before != 'i' && before != 'u' && !memchr(c->text + t->s, '-', n);
}

/* An organisation's head word alone ("Foundation", "University"), but
 * for the bodies a country has one of ("the Senate", "Parliament"): those
 * are names on their own. */
static int head_alone(const ner_ctx *c, uint32_t i)
{
    static const char *const one[] = {"senate", "parliament", "congress", "government",
                                      "army",   "navy",       "police",   NULL};
    if ((c->tok[i].gz & (KG_GZ(ORGHEAD) | KG_GZ(ORGNAME))) != KG_GZ(ORGHEAD))
        return 0;
    return !ner_tok_in(c, i, one);
}

static int research_type(const char *type)
{
    static const char *const rt[] = {"METHOD",   "TASK",  "DATASET", "METRIC",
                                     "SOFTWARE", "VENUE", NULL};
    for (int k = 0; rt[k]; k++)
        if (strcmp(type, rt[k]) == 0)
            return 1;
    return 0;
}

/* "Emperors", "Kings": a title in the plural. */
static int plural_title(const ner_ctx *c, uint32_t i)
{
    const ner_tok *t = &c->tok[i];
    size_t n = t->e - t->s;
    const char *w = c->text + t->s;
    if (n < 4 || w[n - 1] != 's' || w[n - 2] == 's')
        return 0;
    return (kg_gz_lookup(c->gz, kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, w, n - 1)) & KG_GZ(TITLE)) != 0;
}

/* The person rules of the file comment. */
static int not_a_person(const ner_ctx *c, const kg_ner_doc *doc, uint32_t i, uint32_t j)
{
    size_t words = 0, acronyms = 0, plain = 0, named = 0;
    for (uint32_t k = i; k < j; k++) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD) || t->e - t->s == 1)
            continue; /* initials ("E. TIMP") neither make nor unmake a name */
        words++;
        if (!(t->shape & NT_CAP) && !(t->gz & KG_GZ(NAMEJOIN)))
            return 1;
        if ((t->shape & NT_MIXED) && !camel_name(c, t))
            return 1;
        acronyms += (t->shape & NT_ALLCAP) != 0;
        if ((t->gz & (KG_GZ(FIRST) | KG_GZ(LAST) | KG_GZ(PERSON))) ||
            (ner_doc_get(doc, t->h) & NER_DOC_INNAME))
            named++;
        else if (t->gz & KG_GZ(COMMON))
            plain++;
    }
    return words && (acronyms == words || (plain == words && !named));
}

int ner_clean_span(const ner_ctx *c, const kg_ner_doc *doc, const char *type, uint32_t *a,
                   uint32_t *b)
{
    if (!trim(c, type, a, b))
        return 0;
    uint32_t i = *a, j = *b;
    size_t words = 0, lettered = 0, doc_or_ref = 0, single = 0, dg;
    for (uint32_t k = i; k < j; k++) {
        const ner_tok *t = &c->tok[k];
        if ((t->shape & NT_URL) || ner_tok_is(c, k, "_"))
            return 0;
        if (!(t->shape & NT_WORD))
            continue;
        words++;
        size_t nl = letters(c, t, &dg);
        if (nl == 0)
            continue;
        if (greek_mix(c, t) || no_vowel(c, t))
            return 0;
        lettered++;
        if (t->gz & (KG_GZ(DOCWORD) | KG_GZ(REFABBREV)))
            doc_or_ref++;
        else if (nl == 1 || greek_symbol(c, t))
            single++; /* "R", "J", "H0", "Psi1", "ΘK1": a letter, maybe a subscript */
    }
    if (lettered == 0 || doc_or_ref + single == lettered || page_number_break(c, i, j))
        return 0;
    if (lettered == 1 && words == 1 && ((c->tok[i].gz & KG_GZ(TITLE)) || plural_title(c, i)))
        return 0; /* a title alone ("Sir", "Colonel", "Mr.", "the Emperors") */
    int name = !strcmp(type, "PERSON") || !strcmp(type, "ORG") || !strcmp(type, "LOC") ||
               !strcmp(type, "GPE");
    if (name && not_a_name(c, i, j))
        return 0;
    if ((name || !strcmp(type, "MISC")) && words == 1 && interjection(c, i))
        return 0; /* "Hallo" */
    if ((name || !strcmp(type, "MISC")) && possessed_thing(c, i, j))
        return 0;
    if (strcmp(type, "PERSON") == 0 && (not_a_person(c, doc, i, j) || ner_time_name(c, i, j)))
        return 0;
    if (strcmp(type, "ORG") == 0 && (words == 1 || (words == 2 && ner_tok_is(c, i, "the"))) &&
        head_alone(c, j - 1))
        return 0; /* "Foundation" */
    if (research_type(type) && (shouted(c, i, j) || shouted_word(c, doc, i, j) ||
                                common_plural(c, type, i, j) || person_words(c, doc, i, j)))
        return 0;
    return 1;
}
