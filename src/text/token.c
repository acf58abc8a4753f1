/* token: the tokeniser every later stage counts and matches against.
 *
 * It runs over every byte kgas ingests (chunking counts tokens, NER and the
 * sentence splitter read them), so the common case -- ASCII letters, digits,
 * spaces -- goes through a 128-entry class table, and only bytes >= 0x80 are
 * decoded and looked up in utf8proc's category table.
 *
 * The tokeniser never looks behind a token's start and looks ahead at most
 * KG_TOKEN_LOOKAHEAD bytes past a whitespace-free run.  The chunker relies on
 * that to restart tokenising in the middle of a stream and get the same
 * tokens as a pass over the whole document. */
#include "text/token.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/vec.h"

enum {
    C_SPACE = 0x01,
    C_ALPHA = 0x02,
    C_DIGIT = 0x04,
    C_UPPER = 0x08,
    C_LOWER = 0x10,
    C_PUNCT = 0x20,
    C_MARK = 0x40, /* combining mark: continues a word, never starts one */
    C_SYM = 0x80,
};

#define CITE_MAX 64

static unsigned char ascii_class[128];
static int ascii_ready;

static void init_ascii(void)
{
    /* Idempotent and racing writers store identical values, so no lock. */
    unsigned char t[128];
    for (int c = 0; c < 128; c++) {
        unsigned char k = 0;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            k = C_SPACE;
        else if (c >= 'A' && c <= 'Z')
            k = C_ALPHA | C_UPPER;
        else if (c >= 'a' && c <= 'z')
            k = C_ALPHA | C_LOWER;
        else if (c >= '0' && c <= '9')
            k = C_DIGIT;
        else if (c < 0x20 || c == 0x7f)
            k = C_SPACE; /* stray controls separate tokens */
        else if (strchr("+<=>^|~$`\\", c))
            k = C_SYM;
        else
            k = C_PUNCT;
        t[c] = k;
    }
    memcpy(ascii_class, t, sizeof t);
    __atomic_store_n(&ascii_ready, 1, __ATOMIC_RELEASE);
}

/* Class of the character at s[i]; *n gets its byte length, *cp its code point. */
static unsigned cls_at(const unsigned char *s, size_t len, size_t i, size_t *n, int32_t *cp)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *n = 1;
        *cp = b;
        return ascii_class[b];
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &c);
    if (k <= 0) {
        *n = 1;
        *cp = -1;
        return C_SYM;
    }
    *n = (size_t)k;
    *cp = c;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return C_ALPHA | C_UPPER;
    case UTF8PROC_CATEGORY_LL: return C_ALPHA | C_LOWER;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return C_ALPHA;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return C_MARK;
    case UTF8PROC_CATEGORY_ND: return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: return C_SPACE;
    case UTF8PROC_CATEGORY_CF: return c == 0xFEFF || c == 0x200B ? C_SPACE : C_SYM;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: return C_PUNCT;
    default: return C_SYM;
    }
}

static unsigned cls1(const unsigned char *s, size_t len, size_t i)
{
    size_t n;
    int32_t cp;
    return i < len ? cls_at(s, len, i, &n, &cp) : C_SPACE;
}

/* Hyphens that join word parts: ASCII '-', U+2010 HYPHEN, U+2011 NB HYPHEN. */
static size_t hyphen_len(const unsigned char *s, size_t len, size_t i)
{
    if (i < len && s[i] == '-')
        return 1;
    if (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0x90 || s[i + 2] == 0x91))
        return 3;
    return 0;
}

/* Apostrophes inside words: ASCII ' and U+2019. */
static size_t apos_len(const unsigned char *s, size_t len, size_t i)
{
    if (i < len && s[i] == '\'')
        return 1;
    if (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x99)
        return 3;
    return 0;
}

/* Abbreviations that do not end a sentence by themselves.  Sorted by nothing:
 * the list is only consulted for a letter run followed by '.', about once a
 * sentence, so a linear scan is cheaper than any setup. */
static const char *const abbrevs[] = {
    "Fig.",  "Figs.", "fig.",  "figs.", "Eq.",   "Eqs.",   "eq.",   "eqs.",  "Ref.",   "Refs.",
    "ref.",  "refs.", "Sec.",  "Sect.", "sec.",  "Ch.",    "Chap.", "Tab.",  "Tbl.",   "Dr.",
    "Drs.",  "Prof.", "Mr.",   "Mrs.",  "Ms.",   "St.",    "Jr.",   "Sr.",   "No.",    "Nos.",
    "Vol.",  "vol.",  "Vols.", "pp.",   "p.",    "Inc.",   "Ltd.",  "Co.",   "Corp.",  "approx.",
    "resp.", "cf.",   "Cf.",   "vs.",   "viz.",  "al.",    "ca.",   "Jan.",  "Feb.",   "Mar.",
    "Apr.",  "Jun.",  "Jul.",  "Aug.",  "Sep.",  "Sept.",  "Oct.",  "Nov.",  "Dec.",   "Univ.",
    "Dept.", "Gen.",  "Gov.",  "Sen.",  "Rep.",  "Lt.",    "Col.",  "Capt.", "Mt.",    "Ph.D.",
    "Eds.",  "Ed.",   "ed.",   "eds.",  "Proc.", "Trans.", "Int.",  "Conf.", "Assoc.", "Suppl.",
};

static int in_list(const char *s, size_t len)
{
    /* The first letter rules out nearly every entry without a strlen. */
    for (size_t i = 0; i < sizeof abbrevs / sizeof abbrevs[0]; i++)
        if (abbrevs[i][0] == s[0] && strlen(abbrevs[i]) == len && memcmp(abbrevs[i], s, len) == 0)
            return 1;
    return 0;
}

static int is_ascii_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* "U.S.", "e.g.", "a.m.": single letters each followed by '.', two or more. */
static size_t dotted_len(const unsigned char *s, size_t len, size_t i)
{
    size_t j = i, parts = 0;
    while (j + 1 < len && is_ascii_alpha(s[j]) && s[j + 1] == '.') {
        j += 2;
        parts++;
    }
    return parts >= 2 ? j - i : 0;
}

int kg_is_abbrev(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len < 2 || s[len - 1] != '.')
        return 0;
    if (len == 6 && memcmp(s, "et al.", 6) == 0)
        return 1;
    if (len == 2 && s[0] >= 'A' && s[0] <= 'Z')
        return 1; /* an initial */
    if (dotted_len(s, len, 0) == len)
        return 1;
    return in_list(str, len);
}

/* An abbreviation starting at s[i], or 0.  It must not run into a letter or
 * digit ("Fig.3" is fine, "No.x" is not an abbreviation). */
static size_t abbrev_at(const unsigned char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && j - i < 8 && is_ascii_alpha(s[j]))
        j++;
    size_t n = 0;
    /* "et al." is the one abbreviation that spans a space. */
    if (j - i == 2 && len - i >= 6 && memcmp(s + i, "et al.", 6) == 0)
        n = 6;
    else if (j == i || j >= len || s[j] != '.')
        return 0;
    if (!n && j - i == 1)
        n = dotted_len(s, len, i);
    if (!n && j - i == 1 && s[i] >= 'A' && s[i] <= 'Z')
        n = 2;
    if (!n && i + 5 <= len && memcmp(s + i, "Ph.D.", 5) == 0)
        n = 5;
    if (!n && in_list((const char *)s + i, j + 1 - i))
        n = j + 1 - i;
    if (n && (cls1(s, len, i + n) & (C_ALPHA | C_DIGIT)))
        return 0;
    return n;
}

/* "[12]", "[3, 7-9]", "[1; 4–6]": digits, separators, closing bracket. */
static size_t citation_at(const unsigned char *s, size_t len, size_t i)
{
    size_t j = i + 1, digits = 0;
    while (j < len && j - i < CITE_MAX) {
        unsigned char c = s[j];
        if (c >= '0' && c <= '9') {
            digits++;
            j++;
        } else if (c == ']') {
            return digits ? j + 1 - i : 0;
        } else if (c == ',' || c == ';' || c == '-' || c == ' ') {
            j++;
        } else if (c == 0xE2 && j + 2 < len && s[j + 1] == 0x80 &&
                   (s[j + 2] == 0x93 || s[j + 2] == 0x94)) {
            j += 3; /* en or em dash */
        } else {
            return 0;
        }
    }
    return 0;
}

static int prefix_ci(const unsigned char *s, size_t len, size_t i, const char *p)
{
    size_t n = strlen(p);
    if (len - i < n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if ((s[i + k] | 0x20) != (unsigned char)p[k] && s[i + k] != (unsigned char)p[k])
            return 0;
    return 1;
}

static size_t url_at(const unsigned char *s, size_t len, size_t i)
{
    size_t skip;
    if (prefix_ci(s, len, i, "https://"))
        skip = 8;
    else if (prefix_ci(s, len, i, "http://"))
        skip = 7;
    else if (prefix_ci(s, len, i, "ftp://"))
        skip = 6;
    else if (prefix_ci(s, len, i, "www."))
        skip = 4;
    else
        return 0;
    size_t j = i + skip;
    int open = 0;
    while (j < len && s[j] > ' ' && s[j] != '<' && s[j] != '>' && s[j] != '"' && s[j] != 0x7f) {
        if (s[j] == '(')
            open++;
        else if (s[j] == ')')
            open--;
        j++;
    }
    /* Trailing sentence punctuation belongs to the sentence, not the URL. */
    while (j > i + skip) {
        unsigned char c = s[j - 1];
        if (c == ')' && open < 0) {
            open++;
            j--;
        } else if (strchr(".,;:!?'\"]}", c)) {
            j--;
        } else {
            break;
        }
    }
    return j > i + skip ? j - i : 0;
}

static int email_local(unsigned char c)
{
    return is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' ||
           c == '+' || c == '-';
}

static size_t email_at(const unsigned char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && email_local(s[j]))
        j++;
    if (j == i || j >= len || s[j] != '@')
        return 0;
    size_t d = ++j, last_dot = 0;
    while (j < len &&
           (is_ascii_alpha(s[j]) || (s[j] >= '0' && s[j] <= '9') || s[j] == '-' || s[j] == '.')) {
        if (s[j] == '.' && j + 1 < len && is_ascii_alpha(s[j + 1]))
            last_dot = j;
        j++;
    }
    while (j > d && (s[j - 1] == '.' || s[j - 1] == '-'))
        j--;
    if (!last_dot || last_dot + 2 > j || last_dot == d)
        return 0;
    return j - i;
}

/* A number: digits, decimals ("3.14"), groups ("1,000"). */
static size_t number_at(const unsigned char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && s[j] >= '0' && s[j] <= '9')
        j++;
    for (;;) {
        if (j + 1 < len && s[j] == '.' && s[j + 1] >= '0' && s[j + 1] <= '9') {
            j++;
        } else if (j + 3 < len + 0 && s[j] == ',' && s[j + 1] >= '0' && s[j + 1] <= '9' &&
                   s[j + 2] >= '0' && s[j + 2] <= '9' && s[j + 3] >= '0' && s[j + 3] <= '9' &&
                   !(j + 4 < len && s[j + 4] >= '0' && s[j + 4] <= '9')) {
            j++;
        } else {
            break;
        }
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
    }
    return j - i;
}

static int ordinal_suffix(const unsigned char *s, size_t len, size_t j)
{
    static const char *const suf[] = {"st", "nd", "rd", "th"};
    for (int k = 0; k < 4; k++)
        if (j + 2 <= len && s[j] == (unsigned char)suf[k][0] &&
            s[j + 1] == (unsigned char)suf[k][1] && !(cls1(s, len, j + 2) & (C_ALPHA | C_DIGIT)))
            return 1;
    return 0;
}

/* A word: letters, digits and marks, with inner hyphens, apostrophes and
 * dots that are followed by more of the word.  *shape accumulates bits. */
static size_t word_at(const unsigned char *s, size_t len, size_t i, uint8_t *shape)
{
    size_t j = i, n;
    int32_t cp;
    int letters = 0, uppers = 0, lowers = 0, prev_lower = 0;
    uint8_t sh = 0;
    while (j < len) {
        unsigned c = cls_at(s, len, j, &n, &cp);
        if (c & (C_ALPHA | C_DIGIT | C_MARK)) {
            if (c & C_ALPHA) {
                letters++;
                if (c & C_UPPER) {
                    if (letters == 1)
                        sh |= KG_SHAPE_CAP;
                    else if (prev_lower)
                        sh |= KG_SHAPE_MIXED;
                    uppers++;
                }
                if (c & C_LOWER)
                    lowers++;
                prev_lower = (c & C_LOWER) != 0;
            }
            if (c & C_DIGIT)
                sh |= KG_SHAPE_DIGIT;
            j += n;
            continue;
        }
        size_t h = hyphen_len(s, len, j);
        if (h) {
            unsigned nx = cls1(s, len, j + h);
            if ((nx & C_ALPHA) || ((nx & C_DIGIT) && letters)) {
                sh |= KG_SHAPE_HYPHEN;
                j += h;
                continue;
            }
            break;
        }
        size_t a = apos_len(s, len, j);
        if (a && letters && (cls1(s, len, j + a) & C_ALPHA)) {
            j += a;
            continue;
        }
        if (s[j] == '.' && j > i) {
            unsigned pv = cls1(s, len, j - 1), nx = cls1(s, len, j + 1);
            if (((pv & C_ALPHA) && (nx & C_LOWER)) ||
                ((pv & C_DIGIT) && (nx & C_DIGIT) && letters)) {
                j++;
                continue;
            }
        }
        break;
    }
    if (letters && !uppers)
        sh |= KG_SHAPE_LOWER;
    if (letters >= 2 && !lowers && uppers == letters)
        sh |= KG_SHAPE_ALLCAPS;
    *shape = sh;
    return j - i;
}

static void push(kg_tokens *out, size_t start, size_t end, int kind, uint8_t shape)
{
    kg_vec_reserve(out, 1);
    kg_token *t = &out->v[out->n++];
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->kind = (uint8_t)kind;
    t->shape = shape;
}

static uint8_t abbrev_shape(const unsigned char *s, size_t n)
{
    int up = 0, lo = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] >= 'A' && s[k] <= 'Z')
            up++;
        else if (s[k] >= 'a' && s[k] <= 'z')
            lo++;
    }
    uint8_t sh = 0;
    if (s[0] >= 'A' && s[0] <= 'Z')
        sh |= KG_SHAPE_CAP;
    if (!up)
        sh |= KG_SHAPE_LOWER;
    if (up >= 2 && !lo)
        sh |= KG_SHAPE_ALLCAPS;
    return sh;
}

size_t kg_tokenize(const char *text, size_t len, kg_tokens *out)
{
    if (!__atomic_load_n(&ascii_ready, __ATOMIC_ACQUIRE))
        init_ascii();
    out->n = 0;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, n, k;
    int32_t cp;
    while (i < len) {
        unsigned char b = s[i];
        unsigned c = cls_at(s, len, i, &n, &cp);
        if (c & C_SPACE) {
            i += n;
            continue;
        }
        if (c & C_ALPHA) {
            if ((b == 'h' || b == 'H' || b == 'f' || b == 'F' || b == 'w' || b == 'W') &&
                (k = url_at(s, len, i)) != 0) {
                push(out, i, i + k, KG_TOK_URL, 0);
                i += k;
                continue;
            }
            if (b < 0x80 && (k = abbrev_at(s, len, i)) != 0) {
                push(out, i, i + k, KG_TOK_ABBREV, abbrev_shape(s + i, k));
                i += k;
                continue;
            }
        }
        if (c & (C_ALPHA | C_DIGIT)) {
            uint8_t shape = 0;
            if (c & C_DIGIT && b < 0x80) {
                size_t m = number_at(s, len, i);
                unsigned nx = cls1(s, len, i + m);
                size_t h = hyphen_len(s, len, i + m);
                if (ordinal_suffix(s, len, i + m)) {
                    push(out, i, i + m + 2, KG_TOK_NUMBER, 0);
                    i += m + 2;
                    continue;
                }
                if (!(nx & (C_ALPHA | C_MARK)) && !(h && (cls1(s, len, i + m + h) & C_ALPHA)) &&
                    s[i + m < len ? i + m : i] != '@') {
                    push(out, i, i + m, KG_TOK_NUMBER, 0);
                    i += m;
                    continue;
                }
            }
            k = word_at(s, len, i, &shape);
            if (i + k < len && strchr("@._+%-", s[i + k]) && b < 0x80) {
                size_t e = email_at(s, len, i);
                if (e) {
                    push(out, i, i + e, KG_TOK_EMAIL, 0);
                    i += e;
                    continue;
                }
            }
            push(out, i, i + k, KG_TOK_WORD, shape);
            i += k;
            continue;
        }
        if (b == '[' && (k = citation_at(s, len, i)) != 0) {
            push(out, i, i + k, KG_TOK_CITATION, 0);
            i += k;
            continue;
        }
        if (b == '.' && i + 2 < len && s[i + 1] == '.' && s[i + 2] == '.') {
            push(out, i, i + 3, KG_TOK_PUNCT, 0);
            i += 3;
            continue;
        }
        if (b == '-' && i + 1 < len && s[i + 1] == '-') {
            push(out, i, i + 2, KG_TOK_PUNCT, 0);
            i += 2;
            continue;
        }
        push(out, i, i + n, (c & C_PUNCT) ? KG_TOK_PUNCT : KG_TOK_SYMBOL, 0);
        i += n;
    }
    return out->n;
}

void kg_tokens_free(kg_tokens *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}
