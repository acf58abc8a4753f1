/* resolve_key: a name's forms for entity resolution: its casefolded key
 * (kg_resolve_key, what resolution groups by and ids hash), its key words,
 * the form shown as its name, its acronym letters and the initials of a
 * long form.  Pure functions of the name; graph/resolve's passes use them. */
#include "graph/resolve.h"
#include "graph/resolve_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "base/strlist.h"
#include "base/vec.h"

/* ---- folding and keys ---------------------------------------------------- */

char *kg_resolve_fold(const char *s, size_t len)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst,
                                      UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
    if (n >= 0 && dst)
        return (char *)dst;
    free(dst);
    char *r = kg_xstrndup(s, len);
    for (char *p = r; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return r;
}

static const char *const honorifics[] = {"dr",   "prof", "professor", "mr",   "mrs",  "ms",
                                         "miss", "mx",   "sir",       "dame", "lord", "lady",
                                         "rev",  "hon",  "dr.",       NULL};
static const char *const name_suffixes[] = {"jr", "sr", "ii", "iii", "iv", "phd", NULL};
static const char *const org_markers[] = {"university", "institute",  "college",     "academy",
                                          "school",     "universite", "universitat", "universidad",
                                          "universita", NULL};
static const char *const org_stop[] = {"of", "the", "for", "and", "at", "in", "de", NULL};

/* Looks like an acronym: 2..10 bytes of A-Z/0-9 (at least two letters),
 * optionally a plural 's'.  Writes the letters (no 's') to out[11]. */
bool kg_resolve_acronym(const char *s, size_t len, char out[11])
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len >= 3 && s[len - 1] == 's')
        len--;
    if (len < 2 || len > 10)
        return false;
    int upper = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            upper++;
        else if (!(s[i] >= '0' && s[i] <= '9'))
            return false;
        out[i] = s[i];
    }
    out[len] = 0;
    return upper >= 2;
}

static void toks_push(toks *t, const char *s, size_t len)
{
    kg_vec_room(t->v, t->n, t->cap);
    t->v[t->n++] = kg_xstrndup(s, len);
}

void kg_resolve_toks_free(toks *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static void toks_drop(toks *t, int i)
{
    free(t->v[i]);
    memmove(t->v + i, t->v + i + 1, (size_t)(t->n - i - 1) * sizeof *t->v);
    t->n--;
}

static bool is_word_cp(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO);
}

/* Split folded text into word tokens (see resolve.h for what is dropped). */
static void tokenize_folded(const char *f, bool join_dotted, toks *out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)f;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(f), i = 0;
    kg_buf cur = KG_BUF_INIT;
    int cur_cps = 0;
    while (i < len) {
        utf8proc_int32_t c, c1 = -1, c2 = -1;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, len - i, &c);
        if (k <= 0) { /* cannot happen after utf8proc_map; be safe */
            k = 1;
            c = ' ';
        }
        utf8proc_ssize_t k1 = i + k < len ? utf8proc_iterate(p + i + k, len - i - k, &c1) : 0;
        if (k1 > 0 && i + k + k1 < len)
            utf8proc_iterate(p + i + k + k1, len - i - k - k1, &c2);
        if (is_word_cp(c)) {
            kg_buf_append(&cur, p + i, (size_t)k);
            cur_cps++;
        } else if (c == '\'' || c == 0x2019 || c == 0x02BC) {
            /* Possessive 's at a word end goes; other apostrophes join
             * ("O'Brien" -> "obrien"). */
            if (c1 == 's' && (c2 < 0 || !is_word_cp(c2)))
                k += k1;
        } else if (c == '.' && join_dotted && cur_cps == 1 && c1 > 0 && is_word_cp(c1) &&
                   (c2 < 0 || !is_word_cp(c2))) {
            /* "U.S." -> "us": dots between single letters join them. */
        } else if (cur.len) {
            toks_push(out, cur.data, cur.len);
            kg_buf_truncate(&cur, 0);
            cur_cps = 0;
        }
        i += k;
    }
    if (cur.len)
        toks_push(out, cur.data, cur.len);
    kg_buf_free(&cur);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Tokens of a name's key, before joining. */
void kg_resolve_key_tokens(const char *type, const char *name, toks *t)
{
    bool person = type && strcmp(type, "PERSON") == 0;
    size_t len = strlen(name);
    char acr[11];
    /* "LSTMs" and "LSTM" are one thing. */
    if (kg_resolve_acronym(name, len, acr)) {
        char *f = kg_resolve_fold(acr, strlen(acr));
        toks_push(t, f, strlen(f));
        free(f);
        return;
    }
    char *f = kg_resolve_fold(name, len);
    tokenize_folded(f, !person, t);
    free(f);
    if (person) {
        /* "Master", a boy's title ("Master Peter Cratchit"), leaves the key
         * but not the name: it is also a word of nicknames ("Master
         * Rapper"), which keep it when they are the name. */
        while (t->n > 1 && (kg_strlist_has(honorifics, t->v[0]) || !strcmp(t->v[0], "master")))
            toks_drop(t, 0);
        while (t->n > 2 && kg_strlist_has(name_suffixes, t->v[t->n - 1]))
            toks_drop(t, t->n - 1);
        return;
    }
    if (t->n > 1 && strcmp(t->v[0], "the") == 0)
        toks_drop(t, 0);
    if (type && strcmp(type, "ORG") == 0) {
        bool marker = false;
        for (int i = 0; i < t->n; i++)
            marker |= kg_strlist_has(org_markers, t->v[i]);
        if (marker) {
            for (int i = t->n - 1; i >= 0 && t->n > 1; i--)
                if (kg_strlist_has(org_stop, t->v[i]))
                    toks_drop(t, i);
            qsort(t->v, (size_t)t->n, sizeof *t->v, cmp_str);
            for (int i = t->n - 1; i > 0; i--)
                if (strcmp(t->v[i], t->v[i - 1]) == 0)
                    toks_drop(t, i);
        }
    }
}

static char *join_toks(const toks *t)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < t->n; i++) {
        if (i)
            kg_buf_putc(&b, ' ');
        kg_buf_puts(&b, t->v[i]);
    }
    return b.data ? kg_buf_steal(&b) : kg_xstrdup("");
}

char *kg_resolve_key(const char *type, const char *name)
{
    toks t = {0};
    kg_resolve_key_tokens(type, name ? name : "", &t);
    char *k = join_toks(&t);
    kg_resolve_toks_free(&t);
    return k;
}

/* ---- display forms ------------------------------------------------------- */

/* The surface as a name: trimmed, possessive removed, and for PERSON a
 * leading honorific ("Dr.", "Prof") removed.  Caller frees. */
char *kg_resolve_display(const char *type, const char *s)
{
    size_t len = strlen(s);
    while (len && (unsigned char)*s <= ' ')
        s++, len--;
    while (len && (unsigned char)s[len - 1] <= ' ')
        len--;
    if (len >= 2 && s[len - 2] == '\'' && (s[len - 1] == 's' || s[len - 1] == 'S'))
        len -= 2;
    else if (len >= 4 && memcmp(s + len - 4, "\xe2\x80\x99s", 4) == 0)
        len -= 4;
    else if (len >= 2 && s[len - 1] == '\'' && s[len - 2] == 's')
        len -= 1;
    if (type && strcmp(type, "PERSON") == 0) {
        for (;;) {
            size_t w = 0;
            while (w < len && s[w] != ' ' && s[w] != '.')
                w++;
            if (w == len || w > 9)
                break;
            char word[10];
            for (size_t i = 0; i < w; i++)
                word[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
            word[w] = 0;
            if (!kg_strlist_has(honorifics, word))
                break;
            size_t skip = w;
            while (skip < len && (s[skip] == '.' || s[skip] == ' '))
                skip++;
            if (skip == len)
                break;
            s += skip;
            len -= skip;
        }
    } else if (len > 4 && (memcmp(s, "the ", 4) == 0 || memcmp(s, "The ", 4) == 0)) {
        s += 4; /* "the World Bank" is named "World Bank" */
        len -= 4;
    }
    return kg_xstrndup(s, len);
}

/* Initials of the capitalised words of a long form, splitting on spaces
 * only (split_hyphen false) or also on hyphens and slashes. */
void kg_resolve_initials(const char *s, bool split_hyphen, char out[16])
{
    int n = 0;
    bool start = true;
    for (; *s && n < 15; s++) {
        bool sep = *s == ' ' || *s == '\t' || (split_hyphen && (*s == '-' || *s == '/'));
        if (sep) {
            start = true;
            continue;
        }
        if (start && *s >= 'A' && *s <= 'Z')
            out[n++] = *s;
        start = false;
    }
    out[n] = 0;
}
