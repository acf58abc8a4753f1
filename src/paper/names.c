/* names: person names in author lines and reference entries.
 *
 * Author lines carry marks that point to affiliations and footnotes: the
 * layout turns raised marks into Unicode superscripts ("Bolejko¹,²"), and
 * symbol marks stay symbols ("Gal∗+", "Smith#").  A mark is kept apart from
 * the name it follows; a comma between two marks separates marks, not
 * authors.  A name is then checked for looking like one: capitalised words
 * and initials (with the particles "van", "de"...), no digits, no
 * institution word. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paper/paper_internal.h"

const char *kg_ptrim(const char *s, size_t *n)
{
    while (*n && (*s == ' ' || *s == '\n' || *s == '\t')) {
        s++;
        (*n)--;
    }
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\n' || s[*n - 1] == '\t'))
        (*n)--;
    return s;
}

size_t kg_lower_copy(char *dst, size_t cap, const char *s, size_t n)
{
    size_t m = 0;
    while (m < n && m + 1 < cap) {
        dst[m] = (char)tolower((unsigned char)s[m]);
        m++;
    }
    dst[m] = '\0';
    return m;
}

char *kg_pdup(const char *s, size_t n)
{
    s = kg_ptrim(s, &n);
    return n ? kg_xstrndup(s, n) : NULL;
}

/* Superscript forms the layout writes (pdf/pdf_layout.c), and their plain
 * letter or digit. */
static const struct {
    const char *utf8;
    char ascii;
} sups[] = {
    {"\xE2\x81\xB0", '0'}, {"\xC2\xB9", '1'},     {"\xC2\xB2", '2'},     {"\xC2\xB3", '3'},
    {"\xE2\x81\xB4", '4'}, {"\xE2\x81\xB5", '5'}, {"\xE2\x81\xB6", '6'}, {"\xE2\x81\xB7", '7'},
    {"\xE2\x81\xB8", '8'}, {"\xE2\x81\xB9", '9'}, {"\xE1\xB5\x83", 'a'}, {"\xE1\xB5\x87", 'b'},
    {"\xE1\xB6\x9C", 'c'}, {"\xE1\xB5\x88", 'd'}, {"\xE1\xB5\x89", 'e'}, {"\xE1\xB6\xA0", 'f'},
    {"\xE1\xB5\x8D", 'g'}, {"\xCA\xB0", 'h'},     {"\xE2\x81\xB1", 'i'}, {"\xCA\xB2", 'j'},
    {"\xE1\xB5\x8F", 'k'}, {"\xCB\xA1", 'l'},     {"\xE1\xB5\x90", 'm'}, {"\xE2\x81\xBF", 'n'},
    {"\xE1\xB5\x92", 'o'}, {"\xE1\xB5\x96", 'p'}, {"\xCA\xB3", 'r'},     {"\xCB\xA2", 's'},
    {"\xE1\xB5\x97", 't'}, {"\xE1\xB5\x98", 'u'}, {"\xE1\xB5\x9B", 'v'}, {"\xCA\xB7", 'w'},
    {"\xCB\xA3", 'x'},     {"\xCA\xB8", 'y'},     {"\xE1\xB6\xBB", 'z'}, {"\xE2\x81\xBA", '+'},
};

/* Symbols used as marks (kept as they are). */
static const char *const symbols[] = {"\xE2\x88\x97",
                                      /* ∗ */ "\xE2\x80\xA0",
                                      /* † */ "\xE2\x80\xA1", /* ‡ */
                                      "\xC2\xA7",
                                      /* § */ "\xC2\xB6",
                                      /* ¶ */ "\xE2\x8B\x86", /* ⋆ */
                                      "\xE2\x80\xB2",
                                      /* ′ */ "*",
                                      "#",
                                      "$",
                                      "+",
                                      "&",
                                      "'",
                                      NULL};

size_t kg_mark_char(const char *s, size_t n, char *ascii)
{
    *ascii = 0;
    for (size_t k = 0; k < sizeof sups / sizeof sups[0]; k++) {
        size_t m = strlen(sups[k].utf8);
        if (n >= m && memcmp(s, sups[k].utf8, m) == 0) {
            *ascii = sups[k].ascii;
            return m;
        }
    }
    for (int k = 0; symbols[k]; k++) {
        size_t m = strlen(symbols[k]);
        if (n >= m && memcmp(s, symbols[k], m) == 0)
            return m;
    }
    return 0;
}

static const char *const particles[] = {
    "van", "von", "de",  "der", "den", "da", "di",  "du",  "la", "le", "del", "della", "dos",
    "das", "bin", "ibn", "al",  "y",   "zu", "ter", "ten", "do", "e",  "des", NULL};

int kg_name_particle(const char *w, size_t n)
{
    for (int k = 0; particles[k]; k++)
        if (strlen(particles[k]) == n && strncmp(w, particles[k], n) == 0)
            return 1;
    return 0;
}

int kg_is_institution(const char *s, size_t n)
{
    static const char *const words[] = {
        "univ",          "institut", "department", "dept",       "laborator", "lab,",
        "lab ",          "-lab",     "college",    "school",     "center",    "centre",
        "corporation",   "inc.",     "ltd",        "gmbh",       "research",  "faculty",
        "academy",       "hospital", "foundation", "observator", "company",   "departamento",
        "politec",       "ecole",    "cnrs",       "inria",      "council",   "agency",
        "ministry",      "national", "technolog",  "science",    "street",    "avenue",
        "p.o.",          "campus",   "instituto",  "facult",     "division",  "group",
        "collaboration", NULL};
    char buf[512];
    kg_lower_copy(buf, sizeof buf, s, n);
    for (int k = 0; words[k]; k++)
        if (strstr(buf, words[k]))
            return 1;
    return 0;
}

/* One word of a name: "Gal", "H.", "M.-C.", "Günter", "O'Neil", "van". */
static int name_word(const char *w, size_t n)
{
    if (kg_name_particle(w, n))
        return 1;
    unsigned char c = (unsigned char)w[0];
    if (!(isupper(c) || c >= 0x80))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)w[i];
        if (isdigit(x) || x == '@' || x == '(' || x == ')' || x == '/' || x == ':' || x == ';')
            return 0;
    }
    return 1;
}

int kg_name_plausible(const char *s, size_t n)
{
    s = kg_ptrim(s, &n);
    if (n < 3 || n > 80 || kg_is_institution(s, n))
        return 0;
    int words = 0, long_words = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t a = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i == a)
            break;
        if (!name_word(s + a, i - a))
            return 0;
        words++;
        long_words += i - a >= 2 && s[i - 1] != '.';
    }
    return words >= 2 && words <= 6 && long_words >= 1;
}

static int is_title_word(const char *w, size_t n)
{
    static const char *const titles[] = {"Dr.", "Dr",  "Prof.", "Prof", "Professor",
                                         "Mr.", "Ms.", "Mrs.",  "Sir",  NULL};
    for (int k = 0; titles[k]; k++)
        if (strlen(titles[k]) == n && strncmp(w, titles[k], n) == 0)
            return 1;
    return 0;
}

/* The name of a piece: titles ("Dr.") and stray punctuation dropped. */
static char *clean_name(const char *s, size_t n)
{
    s = kg_ptrim(s, &n);
    while (n && strchr(",;:.", s[0])) {
        s++;
        n--;
        s = kg_ptrim(s, &n);
    }
    while (n && strchr(",;:", s[n - 1]))
        n--;
    s = kg_ptrim(s, &n);
    size_t w = 0;
    while (w < n && s[w] != ' ')
        w++;
    if (w < n && is_title_word(s, w)) {
        s += w;
        n -= w;
        s = kg_ptrim(s, &n);
    }
    return kg_pdup(s, n);
}

static void add_mark(kg_name_piece *p, const char *m, size_t mlen)
{
    size_t have = strlen(p->marks);
    if (have + mlen + 2 >= sizeof p->marks)
        return;
    if (have)
        p->marks[have++] = ',';
    memcpy(p->marks + have, m, mlen);
    p->marks[have + mlen] = '\0';
}

typedef struct splitter {
    kg_name_piece *out;
    size_t n, cap;
    kg_buf name;
    kg_name_piece cur;
} splitter;

static void end_piece(splitter *sp)
{
    char *name = sp->name.len ? clean_name(sp->name.data, sp->name.len) : NULL;
    if (name && !kg_name_plausible(name, strlen(name))) {
        /* keep it (the caller decides), flagged by a NULL name */
        free(name);
        name = NULL;
        if (!sp->name.len)
            return;
    }
    if ((name || sp->name.len) && sp->n < sp->cap) {
        sp->cur.name = name;
        sp->out[sp->n++] = sp->cur;
    } else {
        free(name);
    }
    memset(&sp->cur, 0, sizeof sp->cur);
    kg_buf_truncate(&sp->name, 0);
}

/* Is s[i..] the word "and" or "&" between spaces? Its length, else 0. */
static size_t conjunction(const char *s, size_t n, size_t i)
{
    if (i > 0 && s[i - 1] != ' ')
        return 0;
    if (i + 4 <= n && strncmp(s + i, "and ", 4) == 0)
        return 4;
    if (i + 2 <= n && strncmp(s + i, "& ", 2) == 0)
        return 2;
    return 0;
}

size_t kg_names_split(const char *s, size_t n, kg_name_piece *out, size_t cap)
{
    splitter sp = {out, 0, cap, KG_BUF_INIT, {0}};
    size_t i = 0;
    int after_mark = 0;
    while (i < n) {
        char ascii;
        size_t m = kg_mark_char(s + i, n - i, &ascii);
        /* A digit right after a letter is a mark too ("Wang1"). */
        if (!m && isdigit((unsigned char)s[i]) && sp.name.len &&
            isalpha((unsigned char)sp.name.data[sp.name.len - 1]))
            m = 1, ascii = s[i];
        if (m && (sp.name.len || after_mark)) {
            if (ascii)
                add_mark(&sp.cur, &ascii, 1);
            else
                add_mark(&sp.cur, s + i, m);
            i += m;
            after_mark = 1;
            continue;
        }
        size_t c = conjunction(s, n, i);
        if (s[i] == ',' || s[i] == ';' || c) {
            /* "¹,²": a comma between marks separates marks */
            size_t j = i + (c ? c : 1);
            while (j < n && s[j] == ' ')
                j++;
            char a2;
            if (s[i] == ',' && after_mark && j < n && kg_mark_char(s + j, n - j, &a2)) {
                i = j;
                continue;
            }
            end_piece(&sp);
            after_mark = 0;
            i = j;
            continue;
        }
        if (s[i] != ' ' || after_mark == 0 || sp.name.len)
            kg_buf_putc(&sp.name, s[i]);
        if (s[i] != ' ')
            after_mark = 0;
        i++;
    }
    end_piece(&sp);
    kg_buf_free(&sp.name);
    return sp.n;
}

void kg_name_pieces_free(kg_name_piece *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
}

char *kg_paper_surname(const char *name)
{
    size_t n = strlen(name);
    const char *s = kg_ptrim(name, &n);
    const char *comma = memchr(s, ',', n);
    if (comma) /* "Gal, A." */
        return kg_pdup(s, (size_t)(comma - s));
    /* words; initials are short words ending in '.' or all capitals */
    size_t starts[16], lens[16];
    int nw = 0;
    for (size_t i = 0; i < n && nw < 16;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t a = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i > a) {
            starts[nw] = a;
            lens[nw++] = i - a;
        }
    }
    if (!nw)
        return NULL;
    int last = nw - 1;
    /* "Bates DM", "van Stokkum IHM": trailing initials */
    while (last > 0) {
        const char *w = s + starts[last];
        size_t l = lens[last];
        int caps = l <= 4;
        for (size_t k = 0; k < l && caps; k++)
            caps = isupper((unsigned char)w[k]) || w[k] == '.' || w[k] == '-';
        if (!caps)
            break;
        last--;
    }
    int first = last;
    while (first > 0 && kg_name_particle(s + starts[first - 1], lens[first - 1]))
        first--;
    size_t a = starts[first], e = starts[last] + lens[last];
    while (e > a && s[e - 1] == '.')
        e--;
    return kg_pdup(s + a, e - a);
}
