/* fuse_score: see fuse_score.h. */
#include "graph/fuse_score.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/vec.h"
#include "config/config.h"
#include "graph/kindred.h"
#include "graph/resolve.h"

static const char *const stop_words[] = {"of", "the", "and", "for", "at", "in", "de",
                                         "da", "do",  "des", "du",  "la", "le"};

static const char *const abbrevs[][2] = {
    {"univ", "university"},
    {"uni", "university"},
    {"dept", "department"},
    {"inst", "institute"},
    {"intl", "international"},
    {"natl", "national"},
    {"corp", "corporation"},
    {"co", "company"},
    {"assoc", "association"},
    {"ctr", "center"},
    {"ctr", "centre"},
    {"lab", "laboratory"},
    {"labs", "laboratories"},
    {"govt", "government"},
    {"st", "saint"},
    {"mt", "mount"},
    {"ft", "fort"},
    {"acad", "academy"},
    {"hosp", "hospital"},
    {"coll", "college"},
    {"min", "ministry"},
    {"soc", "society"},
    {"dr", "doctor"},
    {"sch", "school"},
};

double kg_fuse_jw(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    size_t win = (la > lb ? la : lb) / 2;
    win = win > 0 ? win - 1 : 0;
    char *ma = kg_xcalloc(la, 1), *mb = kg_xcalloc(lb, 1);
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > win ? i - win : 0, hi = i + win + 1 < lb ? i + win + 1 : lb;
        for (size_t j = lo; j < hi; j++)
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
    }
    double jw = 0.0;
    if (m) {
        size_t t = 0, k = 0;
        for (size_t i = 0; i < la; i++) {
            if (!ma[i])
                continue;
            while (!mb[k])
                k++;
            if (a[i] != b[k])
                t++;
            k++;
        }
        double md = (double)m;
        double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
        size_t p = 0;
        while (p < 4 && p < la && p < lb && a[p] == b[p])
            p++;
        jw = jaro + (double)p * 0.1 * (1.0 - jaro);
    }
    free(ma);
    free(mb);
    return jw;
}

static bool is_stop(const char *w)
{
    for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++)
        if (strcmp(w, stop_words[i]) == 0)
            return true;
    return false;
}

int kg_fuse_words(const char *name, char ***out)
{
    char *f = kg_resolve_fold(name, strlen(name));
    char **w = NULL;
    int n = 0;
    size_t cap = 0;
    for (char *p = f; *p;) {
        /* A word: letters, digits and any non-ASCII byte; apostrophes
         * inside are dropped ("o'neil" -> "oneil"), possessive 's too. */
        while (*p &&
               !((unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            p++;
        if (!*p)
            break;
        char *start = p, *o = p;
        while (*p && ((unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
                      (*p >= '0' && *p <= '9') || *p == '\'')) {
            if (*p != '\'')
                *o++ = *p;
            else if (p[1] == 's' && !((p[2] >= 'a' && p[2] <= 'z') || (unsigned char)p[2] >= 0x80))
                p++; /* possessive: skip "'s" */
            p++;
        }
        char saved = *p;
        *o = '\0';
        if (o > start && !is_stop(start)) {
            kg_vec_room(w, n, cap);
            w[n++] = kg_xstrdup(start);
        }
        *p = saved;
    }
    free(f);
    *out = w;
    return n;
}

void kg_fuse_words_free(char **w, int n)
{
    for (int i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

/* A number ("1984") or a Roman numeral up to 20 ("ii"): equal or different,
 * never abbreviated ("World War I" is not "World War II"). */
static bool is_numeral(const char *w)
{
    static const char *const roman[] = {"i",    "ii",  "iii",  "iv",    "v",   "vi",   "vii",
                                        "viii", "ix",  "x",    "xi",    "xii", "xiii", "xiv",
                                        "xv",   "xvi", "xvii", "xviii", "xix", "xx"};
    for (size_t i = 0; i < sizeof roman / sizeof roman[0]; i++)
        if (strcmp(w, roman[i]) == 0)
            return true;
    for (const char *p = w; *p; p++)
        if (*p >= '0' && *p <= '9')
            return true;
    return false;
}

/* How well word a stands for word b (either way round), 0 when not;
 * *how names the rule. */
static double word_match(const char *a, const char *b, bool person, bool last_person,
                         const char **how)
{
    if (strcmp(a, b) == 0) {
        *how = "equal";
        return 1.0;
    }
    if (is_numeral(a) || is_numeral(b))
        return 0.0;
    size_t la = strlen(a), lb = strlen(b);
    double jw = kg_fuse_jw(a, b);
    const char *s = la < lb ? a : b, *l = la < lb ? b : a;
    size_t ls = la < lb ? la : lb, ll = la < lb ? lb : la;
    bool prefix = strncmp(s, l, ls) == 0;
    /* A spelling variant, not an ending ("war" / "wars", "national" /
     * "nationalist" are other words). */
    if (la >= 5 && lb >= 5 && a[0] == b[0] && jw >= 0.93 && !prefix && !last_person &&
        kg_edit_distance(a, b) == 1) {
        *how = "typo";
        return jw;
    }
    if (last_person) /* surnames: equal, nothing else */
        return 0.0;
    for (size_t i = 0; i < sizeof abbrevs / sizeof abbrevs[0]; i++)
        if (strcmp(s, abbrevs[i][0]) == 0 && strcmp(l, abbrevs[i][1]) == 0) {
            *how = "abbreviation";
            return 0.95;
        }
    if (person && ls == 1 && l[0] == s[0]) {
        *how = "initial";
        return 0.9;
    }
    /* A short word standing for a much longer one ("univ", "fred"). */
    if (ls >= 3 && ls <= 4 && ll >= ls + 3 && prefix) {
        *how = "abbreviation";
        return 0.9;
    }
    return 0.0;
}

static char *join_words(char *const *w, int n)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            kg_buf_putc(&b, ' ');
        kg_buf_puts(&b, w[i]);
    }
    char *out = kg_buf_steal(&b);
    return out ? out : kg_xstrdup("");
}

void kg_fuse_names(const char *type, const char *a, const char *b, kg_fuse_result *r)
{
    memset(r, 0, sizeof *r);
    bool person = strcmp(type, "PERSON") == 0;
    char **wa = NULL, **wb = NULL;
    int na = kg_fuse_words(a, &wa), nb = kg_fuse_words(b, &wb);
    char *ja = join_words(wa, na), *jb = join_words(wb, nb);
    if (na == 0 || nb == 0) {
        r->veto = true;
        snprintf(r->reasons, sizeof r->reasons, "no words to compare");
        goto done;
    }
    if (person && (na < 2 || nb < 2)) {
        r->veto = true;
        snprintf(r->reasons, sizeof r->reasons, "a one-word person name is ambiguous");
        goto done;
    }
    if (strcmp(ja, jb) == 0) {
        r->same_norm = true;
        r->score = r->jaccard = r->jw = 1.0;
        snprintf(r->reasons, sizeof r->reasons, "same normalised name \"%s\"", ja);
        goto done;
    }
    /* Greedy pairing; for PERSON the surnames pair with each other first. */
    bool *used = kg_xcalloc((size_t)nb, sizeof *used);
    double sum = 0;
    int matched = 0;
    bool fired_abbrev = false, fired_initial = false, fired_typo = false;
    for (int i = 0; i < na; i++) {
        bool last = person && i == na - 1;
        int best = -1;
        double bs = 0;
        const char *bhow = "";
        for (int j = 0; j < nb; j++) {
            if (used[j] || (person && (j == nb - 1) != last))
                continue;
            const char *how = "";
            double s = word_match(wa[i], wb[j], person, last, &how);
            if (s > bs) {
                bs = s;
                best = j;
                bhow = how;
            }
        }
        if (best < 0)
            continue;
        used[best] = true;
        matched++;
        sum += bs;
        fired_abbrev |= strcmp(bhow, "abbreviation") == 0;
        fired_initial |= strcmp(bhow, "initial") == 0;
        fired_typo |= strcmp(bhow, "typo") == 0;
    }
    free(used);
    r->jaccard = sum / (double)(na + nb - matched);
    r->jw = kg_fuse_jw(ja, jb);
    if (matched < na || matched < nb) {
        r->veto = true;
        snprintf(r->reasons, sizeof r->reasons, "a name has words the other lacks");
        goto done;
    }
    if (person && matched < 2) {
        r->veto = true;
        snprintf(r->reasons, sizeof r->reasons, "persons share only a surname");
        goto done;
    }
    r->score = 0.6 * r->jaccard + 0.4 * r->jw;
    snprintf(r->reasons, sizeof r->reasons, "token overlap %.2f%s%s%s; jaro-winkler %.2f",
             r->jaccard, fired_abbrev ? " (abbreviation)" : "", fired_initial ? " (initials)" : "",
             fired_typo ? " (spelling variant)" : "", r->jw);
done:
    free(ja);
    free(jb);
    kg_fuse_words_free(wa, na);
    kg_fuse_words_free(wb, nb);
}

static bool usable_alias(const char *type, const char *alias)
{
    if (strcmp(type, "PERSON") != 0)
        return true;
    char **w = NULL;
    int n = kg_fuse_words(alias, &w);
    kg_fuse_words_free(w, n);
    return n >= 2;
}

void kg_fuse_compare(const kg_fuse_entity *a, const kg_fuse_entity *b, kg_fuse_result *r)
{
    memset(r, 0, sizeof *r);
    if (strcmp(a->type, b->type) != 0) {
        /* Kindred types (graph/kindred) join under one name only, spelt
         * alike: "United States" GPE and LOC, not "United States" and
         * "United Sates". */
        bool code = kg_name_code_like(a->name) || kg_name_code_like(b->name);
        if (kg_kin_types(a->type, b->type, code)) {
            kg_fuse_names(a->type, a->name, b->name, r);
            if (!r->veto && r->same_norm) {
                char why[sizeof r->reasons];
                snprintf(why, sizeof why, "kindred types %s / %s; %.400s", a->type, b->type,
                         r->reasons);
                memcpy(r->reasons, why, sizeof why);
                return;
            }
            memset(r, 0, sizeof *r);
        }
        r->veto = true;
        snprintf(r->reasons, sizeof r->reasons, "different types %s / %s", a->type, b->type);
        return;
    }
    /* The canonical names decide a veto; aliases can only raise the score
     * of a pair the names do not veto. */
    kg_fuse_names(a->type, a->name, b->name, r);
    if (r->veto)
        return;
    for (int i = -1; i < a->naliases; i++) {
        const char *x = i < 0 ? a->name : a->aliases[i];
        if (i >= 0 && !usable_alias(a->type, x))
            continue;
        for (int j = -1; j < b->naliases; j++) {
            if (i < 0 && j < 0)
                continue;
            const char *y = j < 0 ? b->name : b->aliases[j];
            if (j >= 0 && !usable_alias(b->type, y))
                continue;
            kg_fuse_result t;
            kg_fuse_names(a->type, x, y, &t);
            if (t.veto || t.score <= r->score)
                continue;
            *r = t;
            r->via_alias = true;
            char why[sizeof r->reasons];
            snprintf(why, sizeof why, "alias overlap \"%.100s\" / \"%.100s\"; %.280s", x, y,
                     t.reasons);
            memcpy(r->reasons, why, sizeof why);
        }
    }
}

bool kg_fuse_context_applies(const char *type)
{
    return strcmp(type, "DATE") != 0 && strcmp(type, "MONEY") != 0 && strcmp(type, "PERCENT") != 0;
}

double kg_fuse_context_delta(double cosine, double weight)
{
    if (weight <= 0)
        return 0.0;
    /* Piecewise linear, so the weight is exactly the most the contexts can
     * move a score: identical contexts +weight, orthogonal ones -weight. */
    double c = cosine > 1.0 ? 1.0 : cosine < 0.0 ? 0.0 : cosine;
    double n = KG_FUSE_CONTEXT_NEUTRAL;
    double e = c >= n ? (c - n) / (1.0 - n) : (c - n) / n;
    return weight * e;
}

void kg_fuse_context(kg_fuse_result *r, double cosine, double weight)
{
    if (r->veto || weight <= 0)
        return;
    double d = kg_fuse_context_delta(cosine, weight);
    double s = r->score + d;
    s = s > 1.0 ? 1.0 : s < 0.0 ? 0.0 : s;
    r->context = true;
    r->cosine = cosine;
    r->context_delta = s - r->score;
    r->score = s;
    size_t used = strlen(r->reasons);
    snprintf(r->reasons + used, sizeof r->reasons - used, "%scontext similarity %.2f (%+.2f)",
             used ? "; " : "", cosine, r->context_delta);
}
