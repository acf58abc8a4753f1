/* header: the paper's header from the blocks of page 1.
 *
 * The title is the layout's title block (the loader found it by size and
 * place, with the metadata title as a hint).  The front matter after it is
 * read line by line, in reading order:
 *   - an e-mail line ("E-mail: a@x and b@y", "{gal,shaver}@mozilla.com")
 *     gives addresses, matched to authors by name (user "bolejko" ->
 *     Bolejko) or, failing that, to the one author of the column above;
 *   - a line that starts or ends with a mark ("¹ School of Physics...",
 *     "Mozilla Corporation∗"), or names an institution, or continues one
 *     ("Poland", "Islamabad, Pakistan") is an affiliation; unmarked ones
 *     belong to the authors above that have none yet;
 *   - a line of plausible names is a list of authors, each with its marks;
 *   - keywords, dates, DOIs and venue lines are read for those fields.
 * Marks then join authors to affiliations; page-1 footnotes that start with
 * a mark ("† Electronic address: ...") add e-mails and affiliations. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paper/paper_internal.h"

#define MAX_NAMES 64

typedef struct hstate {
    kg_paper *p;
    size_t group0;  /* first author of the last group read */
    long cur_affil; /* affiliation being continued, -1 none */
    int last_affil; /* the previous line was part of an affiliation */
    size_t item;    /* item of the previous line */
    char **author_marks;
} hstate;

static int starts_ci(const char *s, size_t n, const char *w)
{
    size_t m = strlen(w);
    return n >= m && strncasecmp(s, w, m) == 0;
}

static void push_str(char ***v, size_t *n, char *s)
{
    kg_vec_grow_counted((void **)v, *n, sizeof **v);
    (*v)[(*n)++] = s;
}

/* ---- e-mails ------------------------------------------------------------ */

static int mail_char(char c)
{
    return isalnum((unsigned char)c) || strchr("._%+-", c);
}

/* Addresses in s: "a@b.c", and "{x,y,z}@b.c" expanded. */
static void find_emails(const char *s, size_t n, char ***out, size_t *nout)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '@')
            continue;
        size_t e = i + 1;
        while (e < n && (mail_char(s[e])))
            e++;
        while (e > i + 1 && s[e - 1] == '.')
            e--;
        if (e <= i + 3 || !memchr(s + i + 1, '.', e - i - 1))
            continue;
        kg_buf b = KG_BUF_INIT;
        if (i > 0 && s[i - 1] == '}') {
            size_t open = i - 1;
            while (open > 0 && s[open] != '{')
                open--;
            size_t a = open + 1;
            for (size_t k = open + 1; k <= i - 1; k++) {
                if (s[k] != ',' && s[k] != '}')
                    continue;
                size_t un = k - a;
                const char *u = kg_ptrim(s + a, &un);
                if (un) {
                    kg_buf_truncate(&b, 0);
                    kg_buf_append(&b, u, un);
                    kg_buf_append(&b, s + i, e - i);
                    push_str(out, nout, kg_xstrdup(b.data));
                }
                a = k + 1;
            }
        } else {
            size_t a = i;
            while (a > 0 && mail_char(s[a - 1]))
                a--;
            if (a < i)
                push_str(out, nout, kg_xstrndup(s + a, e - a));
        }
        kg_buf_free(&b);
        i = e;
    }
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* How well an address's user part fits a name: 3 surname, 2 first name
 * (or a prefix of four letters), 1 initials; 0 not at all. */
static int mail_fits(const char *mail, const char *name)
{
    const char *at = strchr(mail, '@');
    char user[128];
    size_t un = at ? (size_t)(at - mail) : strlen(mail);
    if (un >= sizeof user)
        un = sizeof user - 1;
    memcpy(user, mail, un);
    user[un] = '\0';
    lower_ascii(user);
    char *sur = kg_paper_surname(name);
    int score = 0;
    if (sur) {
        lower_ascii(sur);
        if (strlen(sur) >= 3 && strstr(user, sur))
            score = 3;
        free(sur);
    }
    char first[64];
    size_t fn = strcspn(name, " ");
    if (fn >= sizeof first)
        fn = sizeof first - 1;
    memcpy(first, name, fn);
    first[fn] = '\0';
    lower_ascii(first);
    if (!score && fn >= 3 && (strstr(user, first) || (fn >= 4 && strncmp(user, first, 4) == 0)))
        score = 2;
    return score;
}

static void assign_emails(hstate *h, char **mails, size_t nm, size_t group0)
{
    kg_paper *p = h->p;
    for (size_t k = 0; k < nm; k++) {
        push_str(&p->emails, &p->nemails, kg_xstrdup(mails[k]));
        long best = -1;
        int bs = 0;
        for (size_t a = 0; a < p->nauthors; a++) {
            int s = p->authors[a].email ? 0 : mail_fits(mails[k], p->authors[a].name);
            if (s > bs) {
                bs = s;
                best = (long)a;
            }
        }
        /* One address under one author (a column of its own): theirs. */
        if (best < 0 && nm == 1 && p->nauthors == group0 + 1 && !p->authors[group0].email)
            best = (long)group0;
        if (best >= 0)
            p->authors[best].email = kg_xstrdup(mails[k]);
    }
}

/* ---- affiliations -------------------------------------------------------- */

static size_t add_affil(kg_paper *p, const char *name, size_t n, const char *mark)
{
    kg_vec_grow_counted((void **)&p->affils, p->naffils, sizeof *p->affils);
    kg_paper_affil *a = &p->affils[p->naffils];
    a->name = kg_pdup(name, n);
    if (!a->name)
        a->name = kg_xstrdup("");
    a->mark = mark && *mark ? kg_xstrdup(mark) : NULL;
    return p->naffils++;
}

static void extend_affil(kg_paper *p, size_t i, const char *s, size_t n)
{
    s = kg_ptrim(s, &n);
    while (n && (s[n - 1] == ',' || s[n - 1] == '.'))
        n--;
    if (!n)
        return;
    kg_buf b = KG_BUF_INIT;
    kg_buf_puts(&b, p->affils[i].name);
    while (b.len && (b.data[b.len - 1] == ',' || b.data[b.len - 1] == ' '))
        b.len--;
    if (b.len)
        kg_buf_puts(&b, ", ");
    kg_buf_append(&b, s, n);
    free(p->affils[i].name);
    p->affils[i].name = kg_buf_steal(&b);
}

static void link_affil(kg_paper_author *a, size_t affil)
{
    for (size_t k = 0; k < a->naffil; k++)
        if (a->affil[k] == affil)
            return;
    kg_vec_grow_counted((void **)&a->affil, a->naffil, sizeof *a->affil);
    a->affil[a->naffil++] = affil;
}

/* A mark at the start ("¹ School...", "* Department...") or the end
 * ("Mozilla Corporation∗") of a line: its length, mark in m (ASCII or the
 * symbol), the rest's span in *a.. *e. */
static int line_mark(const char *s, size_t n, char *m, size_t mcap, size_t *a, size_t *e)
{
    char ascii;
    *a = 0;
    *e = n;
    size_t k = kg_mark_char(s, n, &ascii);
    if (!k && n > 2 && isdigit((unsigned char)s[0]) && s[1] == ' ' && isupper((unsigned char)s[2]))
        k = 1, ascii = s[0];
    if (k) {
        *a = k;
    } else {
        size_t j = n;
        while (j > 0 && (s[j - 1] & 0xC0) == 0x80)
            j--;
        if (j > 0)
            j--;
        k = kg_mark_char(s + j, n - j, &ascii);
        if (!k || j == 0 || s[j - 1] == ' ')
            return 0;
        *e = j;
        s += j;
    }
    if (ascii) {
        m[0] = ascii;
        m[1] = '\0';
    } else {
        size_t l = k < mcap - 1 ? k : mcap - 1;
        memcpy(m, s, l);
        m[l] = '\0';
    }
    return 1;
}

/* ---- lines ------------------------------------------------------------- */

static int is_keywords(const char *s, size_t n)
{
    return starts_ci(s, n, "keywords") || starts_ci(s, n, "key words") ||
           starts_ci(s, n, "index terms");
}

static void read_keywords(kg_paper *p, const char *s, size_t n)
{
    static const char *const labels[] = {"keywords", "key words", "index terms", NULL};
    size_t i = 0;
    for (int k = 0; labels[k] && !i; k++)
        if (starts_ci(s, n, labels[k]))
            i = strlen(labels[k]);
    /* ":", "-", "—" after the label */
    while (i < n && (s[i] == ' ' || s[i] == ':' || s[i] == '-' || s[i] == '.' || s[i] == '\n' ||
                     ((unsigned char)s[i] == 0xE2 && i + 2 < n)))
        i += (unsigned char)s[i] == 0xE2 ? 3 : 1;
    kg_buf b = KG_BUF_INIT;
    for (size_t k = i; k <= n; k++) {
        if (k < n && s[k] != ',' && s[k] != ';') {
            kg_buf_putc(&b, s[k] == '\n' ? ' ' : s[k]);
            continue;
        }
        size_t l = b.len;
        const char *w = kg_ptrim(b.data ? b.data : "", &l);
        while (l && w[l - 1] == '.')
            l--;
        if (l)
            push_str(&p->keywords, &p->nkeywords, kg_xstrndup(w, l));
        kg_buf_truncate(&b, 0);
    }
    kg_buf_free(&b);
}

/* Dates, copyright, URLs, DOIs, journal lines: fields, not people. */
static int is_meta_line(const char *s, size_t n)
{
    static const char *const starts[] = {"received",  "accepted",   "published", "online", "doi",
                                         "issn",      "copyright",  "http",      "www.",   "arxiv",
                                         "permanent", "reference:", "editor",    "z. ",    NULL};
    for (int k = 0; starts[k]; k++)
        if (starts_ci(s, n, starts[k]))
            return 1;
    return 0;
}

static void add_authors(hstate *h, kg_name_piece *pc, size_t np)
{
    kg_paper *p = h->p;
    h->group0 = p->nauthors;
    for (size_t i = 0; i < np; i++) {
        if (!pc[i].name)
            continue;
        kg_vec_grow_counted((void **)&p->authors, p->nauthors, sizeof *p->authors);
        kg_vec_grow_counted((void **)&h->author_marks, p->nauthors, sizeof(char *));
        p->authors[p->nauthors] = (kg_paper_author){pc[i].name, NULL, NULL, 0};
        h->author_marks[p->nauthors] = kg_xstrdup(pc[i].marks);
        pc[i].name = NULL;
        p->nauthors++;
    }
}

/* Authors of this group that have no affiliation yet take it (marks that
 * point to footnotes are common: "Montoya∗ †" over an unmarked line). */
static void give_affil(hstate *h, size_t affil)
{
    for (size_t a = h->group0; a < h->p->nauthors; a++)
        if (!h->p->authors[a].naffil)
            link_affil(&h->p->authors[a], affil);
}

static int all_names(kg_name_piece *pc, size_t np)
{
    size_t good = 0;
    for (size_t i = 0; i < np; i++)
        good += pc[i].name != NULL;
    return good > 0 && good == np;
}

static void header_line(hstate *h, const char *s, size_t n, size_t item)
{
    kg_paper *p = h->p;
    s = kg_ptrim(s, &n);
    if (!n)
        return;
    int same_item = item == h->item;
    h->item = item;
    if (memchr(s, '@', n)) {
        char **mails = NULL;
        size_t nm = 0;
        find_emails(s, n, &mails, &nm);
        assign_emails(h, mails, nm, h->group0);
        for (size_t k = 0; k < nm; k++)
            free(mails[k]);
        free(mails);
        h->last_affil = 0;
        return;
    }
    if (is_keywords(s, n)) {
        read_keywords(p, s, n);
        return;
    }
    if (is_meta_line(s, n))
        return;
    char mark[16];
    size_t a, e;
    int marked = line_mark(s, n, mark, sizeof mark, &a, &e);
    kg_name_piece pc[MAX_NAMES];
    size_t np = marked && a ? 0 : kg_names_split(s, n, pc, MAX_NAMES);
    if (np && all_names(pc, np) && !kg_is_institution(s, n)) {
        add_authors(h, pc, np);
        kg_name_pieces_free(pc, np);
        h->last_affil = 0;
        h->cur_affil = -1;
        return;
    }
    kg_name_pieces_free(pc, np);
    if (marked) {
        h->cur_affil = (long)add_affil(p, s + a, e - a, mark);
        h->last_affil = 1;
    } else if (h->last_affil && h->cur_affil >= 0 && (same_item || !kg_is_institution(s, n))) {
        extend_affil(p, (size_t)h->cur_affil, s, n);
    } else if (kg_is_institution(s, n) || (p->nauthors && h->last_affil)) {
        h->cur_affil = (long)add_affil(p, s, n, NULL);
        give_affil(h, (size_t)h->cur_affil);
        h->last_affil = 1;
    }
}

/* ---- fields ------------------------------------------------------------ */

static void find_fields(kg_paper *p, const kg_front_item *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *t = it[i].text;
        size_t len = strlen(t);
        if (it[i].kind == KG_BLOCK_TITLE || it[i].kind == KG_BLOCK_ABSTRACT)
            continue;
        if (!p->doi)
            p->doi = kg_find_doi(t, len);
        if (!p->arxiv)
            p->arxiv = kg_find_arxiv(t, len);
        size_t from = 0, at;
        char suf;
        int y;
        while ((y = kg_find_year(t, len, from, &at, &suf)) != 0) {
            if (y > p->year)
                p->year = y;
            from = at + 4;
        }
        if (is_keywords(t, len) && !p->nkeywords)
            read_keywords(p, t, len);
    }
}

/* The venue: a journal or meeting line before the title, else a page-1
 * note naming one ("PLDI'09, June 15-20, 2009, Dublin"). */
static void find_venue(kg_paper *p, const kg_front_item *it, size_t n)
{
    static const char *const words[] = {
        "journal",      "proceedings", "conference",     "symposium", "workshop",
        "transactions", "letters",     "working papers", "review",    NULL};
    for (int pass = 0; pass < 2 && !p->venue; pass++)
        for (size_t i = 0; i < n && !p->venue; i++) {
            if (pass == 0 && it[i].kind == KG_BLOCK_TITLE)
                break;
            if (it[i].kind != KG_BLOCK_FRONT && it[i].kind != KG_BLOCK_FOOTNOTE)
                continue;
            const char *t = it[i].text;
            size_t len = strcspn(t, "\n");
            char low[256];
            kg_lower_copy(low, sizeof low, t, len);
            int hit = 0;
            for (int k = 0; words[k] && !hit; k++)
                hit = strstr(low, words[k]) != NULL;
            /* "PLDI’09," */
            const char *ap = strstr(t, "\xE2\x80\x99");
            if (pass == 1 && !hit && ap && ap - t < (long)len && ap > t &&
                isupper((unsigned char)ap[-1]) && isdigit((unsigned char)ap[3]))
                hit = 1;
            if (hit && len < 200 && !memchr(t, '@', len))
                p->venue = kg_pdup(t, len);
        }
}

static char *strip_abstract_label(const char *s)
{
    size_t n = strlen(s);
    if (starts_ci(s, n, "abstract")) {
        size_t i = 8;
        while (i < n && !isalnum((unsigned char)s[i]) &&
               ((unsigned char)s[i] < 0x80 || (unsigned char)s[i] == 0xE2 ||
                ((unsigned char)s[i] & 0xC0) == 0x80))
            i++;
        s += i;
        n -= i;
    }
    return kg_pdup(s, n);
}

static void read_abstract(kg_paper *p, const kg_front_item *it, size_t n)
{
    kg_buf b = KG_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (it[i].kind != KG_BLOCK_ABSTRACT)
            continue;
        char *t = strip_abstract_label(it[i].text);
        if (!t)
            continue;
        if (b.len)
            kg_buf_puts(&b, "\n\n");
        kg_buf_puts(&b, t);
        free(t);
    }
    p->abstract = b.len ? kg_buf_steal(&b) : NULL;
    kg_buf_free(&b);
}

/* Footnotes of page 1 that start with marks: "∗ Part of the IAC ... †
 * Electronic address: x@y". */
static void marked_notes(hstate *h, const kg_front_item *it, size_t n)
{
    if (!h->author_marks)
        return;
    for (size_t i = 0; i < n; i++) {
        if (it[i].kind != KG_BLOCK_FOOTNOTE)
            continue;
        const char *t = it[i].text;
        size_t len = strlen(t), k = 0;
        while (k < len) {
            char m[16], ascii;
            size_t ml = kg_mark_char(t + k, len - k, &ascii);
            if (!ml || (k > 0 && t[k - 1] != ' '))
                break;
            if (ascii) {
                m[0] = ascii;
                m[1] = '\0';
            } else {
                memcpy(m, t + k, ml);
                m[ml] = '\0';
            }
            size_t a = k + ml, e = a;
            while (e < len && !(t[e - 1] == ' ' && kg_mark_char(t + e, len - e, &ascii)))
                e++;
            char **mails = NULL;
            size_t nm = 0;
            find_emails(t + a, e - a, &mails, &nm);
            for (size_t au = 0; au < h->p->nauthors; au++)
                if (nm && !h->p->authors[au].email && strstr(h->author_marks[au], m))
                    h->p->authors[au].email = kg_xstrdup(mails[0]);
            if (!nm && kg_is_institution(t + a, e - a))
                add_affil(h->p, t + a, e - a, m);
            for (size_t q = 0; q < nm; q++)
                free(mails[q]);
            free(mails);
            k = e;
        }
    }
}

/* Authors with marks take the affiliations that carry them. */
static void link_marks(hstate *h)
{
    kg_paper *p = h->p;
    if (!h->author_marks)
        return;
    for (size_t a = 0; a < p->nauthors; a++) {
        const char *m = h->author_marks[a];
        while (*m) {
            size_t l = strcspn(m, ",");
            for (size_t f = 0; f < p->naffils; f++)
                if (p->affils[f].mark && strlen(p->affils[f].mark) == l &&
                    strncmp(p->affils[f].mark, m, l) == 0)
                    link_affil(&p->authors[a], f);
            m += l;
            if (*m == ',')
                m++;
        }
    }
}

void kg_header_parse(kg_paper *p, const kg_front_item *it, size_t n, const char *meta_title,
                     const char *meta_author)
{
    (void)meta_author;
    hstate h = {p, 0, -1, 0, (size_t)-1, NULL};
    kg_buf title = KG_BUF_INIT;
    size_t after = n;
    for (size_t i = 0; i < n; i++)
        if (it[i].kind == KG_BLOCK_TITLE) {
            if (title.len)
                kg_buf_putc(&title, ' ');
            kg_buf_puts(&title, it[i].text);
            after = i;
        }
    if (title.len) {
        p->title = kg_buf_steal(&title);
        p->title_from = "layout";
    } else if (meta_title && *meta_title) {
        p->title = kg_pdup(meta_title, strlen(meta_title));
        p->title_from = "metadata";
    }
    kg_buf_free(&title);
    for (size_t i = after == n ? 0 : after + 1; i < n; i++) {
        if (it[i].kind == KG_BLOCK_ABSTRACT)
            break;
        if (it[i].kind != KG_BLOCK_FRONT)
            continue;
        const char *t = it[i].text;
        while (*t) {
            size_t l = strcspn(t, "\n");
            header_line(&h, t, l, i);
            t += l + (t[l] == '\n');
        }
    }
    marked_notes(&h, it, n);
    link_marks(&h);
    find_fields(p, it, n);
    find_venue(p, it, n);
    read_abstract(p, it, n);
    for (size_t a = 0; h.author_marks && a < p->nauthors; a++)
        free(h.author_marks[a]);
    free(h.author_marks);
}
