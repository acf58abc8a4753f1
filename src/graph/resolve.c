/* resolve: see resolve.h for the rules (a name's key and forms:
 * resolve_key.c).  The work is a union-find over the
 * document's mentions: equal keys first (within a type, then across kindred
 * types), then research names with a generic head ("ZBR protocol" and
 * "ZBR"), then acronyms, then person-name
 * variants.  Candidate sets for the later steps are collected before any of
 * their unions happen, so the outcome does not depend on mention order. */
#include "graph/resolve.h"
#include "graph/resolve_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/hash.h"
#include "graph/kindred.h"

/* ---- union-find ---------------------------------------------------------- */

static void uf_union(int *par, int a, int b)
{
    a = kg_resolve_root(par, a);
    b = kg_resolve_root(par, b);
    if (a != b) {
        if (a < b)
            par[b] = a;
        else
            par[a] = b;
    }
}

/* ---- the document pass --------------------------------------------------- */

/* Sorted by value, not through globals: documents resolve on many workers. */
typedef struct tk {
    const char *type, *key;
    int i;
} tk;

static int by_type_key(const void *a, const void *b)
{
    const tk *x = a, *y = b;
    int c = strcmp(x->type, y->type);
    if (!c)
        c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* A lookup row: (type, key) -> mention i; kind tells which rule made it. */
typedef struct lk {
    const char *type, *key;
    int kind;
    int i;
} lk;

static int by_lk(const void *a, const void *b)
{
    const lk *x = a, *y = b;
    int c = strcmp(x->type, y->type);
    if (!c)
        c = strcmp(x->key, y->key);
    if (!c)
        c = x->kind - y->kind;
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* First row with (type, key) >= the given one. */
static int lk_lower(const lk *v, int n, const char *type, const char *key)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].type, type);
        if (!c)
            c = strcmp(v[mid].key, key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Up to a small number of distinct candidate roots; >1 means ambiguous. */
typedef struct cands {
    int root[2];
    int n;
} cands;

static void cands_add(cands *c, int root)
{
    for (int i = 0; i < c->n && i < 2; i++)
        if (c->root[i] == root)
            return;
    if (c->n < 2)
        c->root[c->n] = root;
    c->n++;
}

bool kg_resolve_defines(const char *text, size_t len, size_t end, char out[11])
{
    out[0] = 0;
    if (!text || end >= len)
        return false;
    size_t p = end;
    while (p < len && text[p] == ' ')
        p++;
    if (p >= len || text[p] != '(')
        return false;
    size_t q = p + 1;
    while (q < len && q < p + 14 && text[q] != ')')
        q++;
    if (q >= len || text[q] != ')' || !kg_resolve_acronym(text + p + 1, q - p - 1, out)) {
        out[0] = 0;
        return false;
    }
    return true;
}

static void find_definition(const char *text, size_t text_len, const kg_resolve_mention *mm,
                            minfo *mi)
{
    if (text) {
        if (mm->end >= 0)
            kg_resolve_defines(text, text_len, (size_t)mm->end, mi->defined);
    } else if (mm->defines && !kg_resolve_acronym(mm->defines, strlen(mm->defines), mi->defined)) {
        mi->defined[0] = 0;
    }
}

/* The state the passes share: the mentions, what was worked out of each,
 * the union-find parents, and the joins a pass proposes (applied only when
 * the pass is done, so a pass's look-ups all see the same clusters). */
typedef struct passes {
    const kg_resolve_mention *m;
    minfo *mi;
    int *par;
    int *join_to;
    int n;
} passes;

static void apply_joins(passes *p)
{
    for (int i = 0; i < p->n; i++)
        if (p->join_to[i] >= 0)
            uf_union(p->par, i, p->join_to[i]);
}

static int check_mentions(const char *text, size_t text_len, const kg_resolve_mention *m, int n,
                          kg_err *err)
{
    if (n < 0 || (n > 0 && !m))
        return kg_err_set(err, KG_EINVAL, "resolve: bad mention array (n=%d)", n);
    for (int i = 0; i < n; i++) {
        if (!m[i].surface || !m[i].type)
            return kg_err_set(err, KG_EINVAL, "resolve: mention %d has no %s", i,
                              m[i].surface ? "type" : "surface");
        if (text && (m[i].start < 0 || m[i].end < m[i].start || (size_t)m[i].end > text_len))
            return kg_err_set(err, KG_EINVAL,
                              "resolve: mention %d ('%.40s') spans %lld..%lld, outside the "
                              "%zu-byte text",
                              i, m[i].surface, (long long)m[i].start, (long long)m[i].end,
                              text_len);
    }
    return KG_OK;
}

/* Each mention's key, display form, key words and acronym (its own, or the
 * one the text defines for it); every mention its own cluster. */
static void describe_mentions(const char *text, size_t text_len, passes *p)
{
    const kg_resolve_mention *m = p->m;
    minfo *mi = p->mi;
    for (int i = 0; i < p->n; i++) {
        p->par[i] = i;
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): check_mentions refused n > 0 without m */
        mi[i].key = kg_resolve_key(m[i].type, m[i].surface);
        mi[i].display = kg_resolve_display(m[i].type, m[i].surface);
        mi[i].code = kg_name_code_like(mi[i].display);
        kg_resolve_key_tokens(m[i].type, m[i].surface, &mi[i].kt);
        if (!kg_resolve_acronym(mi[i].display, strlen(mi[i].display), mi[i].acr))
            mi[i].acr[0] = 0;
        if (!mi[i].acr[0])
            find_definition(text, text_len, &m[i], &mi[i]);
    }
}

/* 1. equal (type, key) */
static void join_equal_keys(passes *p)
{
    const kg_resolve_mention *m = p->m;
    const minfo *mi = p->mi;
    int n = p->n, *par = p->par;
    tk *idx = kg_xmalloc(((size_t)n + 1) * sizeof *idx);
    for (int i = 0; i < n; i++)
        idx[i] = (tk){m[i].type, mi[i].key, i};
    qsort(idx, (size_t)n, sizeof *idx, by_type_key);
    for (int k = 1; k < n; k++) {
        int a = idx[k - 1].i, b = idx[k].i;
        if (mi[a].key[0] && strcmp(m[a].type, m[b].type) == 0 && strcmp(mi[a].key, mi[b].key) == 0)
            uf_union(par, a, b);
    }
    free(idx);
}

/* 1b. one name, kindred types (graph/kindred): a document that calls
 * "JavaScript" a METHOD here and SOFTWARE there, or "AODV" an ORG and a
 * METHOD, names one thing.  The keys of all types but PERSON and ORG are
 * computed alike, and ORG's differ only for names with a university-like
 * word, so equal keys mean equal names. */
static int by_key_only(const void *a, const void *b)
{
    const tk *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* A full name (two words or more) that the document types PERSON at least
 * three times as often as every other type together is one person: the
 * other types are the recogniser's slips ("clerk to Ebenezer Scrooge" read
 * as a place once, a person everywhere else).  A lone word is left to the
 * types ("Washington" the man and the city). */
static void join_person_slips(passes *p, const tk *idx, int s, int e)
{
    const kg_resolve_mention *m = p->m;
    long person = 0, other = 0;
    int anchor = -1;
    for (int k = s; k < e; k++) {
        int i = idx[k].i, w = m[i].weight > 0 ? m[i].weight : 1;
        if (strcmp(m[i].type, "PERSON") != 0) {
            other += w;
        } else if (p->mi[i].kt.n >= 2) {
            person += w;
            if (anchor < 0)
                anchor = i;
        }
    }
    if (anchor < 0 || other == 0 || person < 3 * other)
        return;
    for (int k = s; k < e; k++)
        uf_union(p->par, anchor, idx[k].i);
}

static void join_kindred_types(passes *p)
{
    const kg_resolve_mention *m = p->m;
    const minfo *mi = p->mi;
    int n = p->n;
    tk *idx = kg_xmalloc(((size_t)n + 1) * sizeof *idx);
    for (int i = 0; i < n; i++)
        idx[i] = (tk){m[i].type, mi[i].key, i};
    qsort(idx, (size_t)n, sizeof *idx, by_key_only);
    for (int s = 0, e; s < n; s = e) {
        bool code = false;
        for (e = s; e < n && strcmp(idx[e].key, idx[s].key) == 0; e++)
            code |= mi[idx[e].i].code;
        if (!idx[s].key[0])
            continue;
        int first[KG_KIN_FAMILIES] = {-1, -1, -1, -1}; /* per family: its first member */
        for (int k = s; k < e; k++) {
            int i = idx[k].i, f = kg_kin_family(m[i].type, code);
            if (f == KG_KIN_NONE)
                continue;
            if (first[f] < 0)
                first[f] = i;
            else
                uf_union(p->par, first[f], i);
        }
        join_person_slips(p, idx, s, e);
    }
    free(idx);
}

/* 1c. a research name with a generic head ("ZBR protocol", "TIMP package",
 * "SQuAD dataset") names what the name alone names ("ZBR", "TIMP",
 * "SQuAD") when the document uses it alone too, under a research type (or
 * any type but PERSON, for a code-like name: "AODV protocol" and "AODV"
 * typed ORG).  A code-like name alone then names the entity ("ZBR", the
 * longer form an alias); otherwise the longer form does, as a longer
 * frequent form always does ("Lemaître-Tolman model").  Not a task's: an
 * "RTE system" is a system for the task RTE, not the task.  "Friedmann
 * model" stays apart from the person "Friedmann". */
static bool generic_head(const char *w, size_t n)
{
    static const char *const heads[] = {
        "protocol",       "package",   "library",      "toolkit",   "toolbox",
        "method",         "algorithm", "model",        "framework", "system",
        "approach",       "technique", "architecture", "dataset",   "corpus",
        "benchmark",      "baseline",  "software",     "tool",      "engine",
        "implementation", "language",  "metric",       "score",     NULL};
    bool plural = n > 1 && (w[n - 1] == 's' || w[n - 1] == 'S');
    for (int k = 0; heads[k]; k++) {
        size_t h = strlen(heads[k]);
        if ((h == n || (plural && h == n - 1)) && strncasecmp(w, heads[k], h) == 0)
            return true;
    }
    return false;
}

static void join_generic_heads(passes *p)
{
    const kg_resolve_mention *m = p->m;
    minfo *mi = p->mi;
    int n = p->n, nb = 0;
    lk *bare = kg_xmalloc(((size_t)n + 1) * sizeof *bare); /* type "": sorted by key */
    bool *task = kg_xcalloc((size_t)n + 1, sizeof *task);  /* per root: a TASK among it */
    for (int i = 0; i < n; i++)
        if (strcmp(m[i].type, "TASK") == 0)
            task[kg_resolve_root(p->par, i)] = true;
    for (int i = 0; i < n; i++) {
        int f = kg_kin_family(m[i].type, mi[i].code);
        if ((f == KG_KIN_RESEARCH || f == KG_KIN_CODE) && mi[i].key[0] &&
            !task[kg_resolve_root(p->par, i)])
            bare[nb++] = (lk){"", mi[i].key, 0, i};
    }
    free(task);
    qsort(bare, (size_t)nb, sizeof *bare, by_lk);
    for (int i = 0; i < n; i++) {
        const char *d = mi[i].display, *sp = strrchr(d, ' ');
        if (!sp || sp == d || kg_kin_family(m[i].type, false) != KG_KIN_RESEARCH ||
            !generic_head(sp + 1, strlen(sp + 1)))
            continue;
        char *rest = kg_xstrndup(d, (size_t)(sp - d));
        char *key = kg_resolve_key(m[i].type, rest);
        int k = key[0] ? lk_lower(bare, nb, "", key) : nb;
        if (k < nb && strcmp(bare[k].key, key) == 0) {
            uf_union(p->par, bare[k].i, i);
            mi[i].generic = mi[bare[k].i].code;
        }
        free(key);
        free(rest);
    }
    free(bare);
}

/* 2. acronyms: a definition in the text wins; else unique initials.  A
 * definition joins mentions of the same type, or of any type when the
 * acronym is the long form's initials ("North Atlantic Oscillation (NAO)":
 * the text says they are one thing, whatever types the recogniser gave
 * the two; the group's type is then voted as for any group).  Passes 2 and
 * 3 look candidates up in sorted indexes, so a document with many distinct
 * names costs n log n, not n^2. */
static void join_acronyms(passes *p)
{
    const kg_resolve_mention *m = p->m;
    minfo *mi = p->mi;
    int n = p->n, *par = p->par, *join_to = p->join_to;
    lk *ac = kg_xmalloc(((size_t)n * 4 + 1) * sizeof *ac);
    int nac = 0;
    char(*ini_a)[16] = kg_xmalloc(((size_t)n + 1) * sizeof *ini_a);
    char(*ini_b)[16] = kg_xmalloc(((size_t)n + 1) * sizeof *ini_b);
    for (int j = 0; j < n; j++) {
        if (mi[j].acr[0])
            continue;
        kg_resolve_initials(mi[j].display, true, ini_a[j]);
        kg_resolve_initials(mi[j].display, false, ini_b[j]);
        if (mi[j].defined[0])
            ac[nac++] = (lk){m[j].type, mi[j].defined, 0, j};
        if (mi[j].defined[0] &&
            (strcmp(mi[j].defined, ini_a[j]) == 0 || strcmp(mi[j].defined, ini_b[j]) == 0))
            ac[nac++] = (lk){"", mi[j].defined, 0, j}; /* any type's */
        if (ini_a[j][0])
            ac[nac++] = (lk){m[j].type, ini_a[j], 1, j};
        if (ini_b[j][0] && strcmp(ini_b[j], ini_a[j]) != 0)
            ac[nac++] = (lk){m[j].type, ini_b[j], 1, j};
    }
    qsort(ac, (size_t)nac, sizeof *ac, by_lk);
    for (int i = 0; i < n; i++) {
        join_to[i] = -1;
        if (!mi[i].acr[0])
            continue;
        cands def = {{0}, 0}, ini = {{0}, 0};
        for (int k = lk_lower(ac, nac, "", mi[i].acr); k < nac; k++) {
            if (ac[k].type[0] || strcmp(ac[k].key, mi[i].acr) != 0)
                break;
            cands_add(&def, kg_resolve_root(par, ac[k].i));
        }
        for (int k = lk_lower(ac, nac, m[i].type, mi[i].acr); k < nac; k++) {
            if (strcmp(ac[k].type, m[i].type) != 0 || strcmp(ac[k].key, mi[i].acr) != 0)
                break;
            int j = ac[k].i;
            if (ac[k].kind == 0)
                cands_add(&def, kg_resolve_root(par, j));
            else if (strcmp(mi[j].defined, mi[i].acr) != 0)
                cands_add(&ini, kg_resolve_root(par, j));
        }
        if (def.n == 1)
            join_to[i] = def.root[0];
        else if (def.n == 0 && ini.n == 1)
            join_to[i] = ini.root[0];
    }
    free(ini_a);
    free(ini_b);
    free(ac);
    apply_joins(p);
}

/* Multi-word PERSON mentions by surname (first = false, for 3a and 3b) or
 * by a first name of two letters or more (first = true, for 3c), into sn
 * (n entries of room), sorted; returns how many. */
static int person_index(const passes *p, bool first, lk *sn)
{
    int nsn = 0;
    for (int j = 0; j < p->n; j++) {
        const toks *u = &p->mi[j].kt;
        if (strcmp(p->m[j].type, "PERSON") != 0 || u->n < 2)
            continue;
        if (!first)
            sn[nsn++] = (lk){"PERSON", u->v[u->n - 1], 0, j};
        else if (strlen(u->v[0]) >= 2)
            sn[nsn++] = (lk){"PERSON", u->v[0], 0, j};
    }
    qsort(sn, (size_t)nsn, sizeof *sn, by_lk);
    return nsn;
}

/* 3a. "J. Smith" -> the one full name "J... Smith". */
static void join_initial_forms(passes *p, const lk *sn, int nsn)
{
    const kg_resolve_mention *m = p->m;
    const minfo *mi = p->mi;
    int n = p->n, *par = p->par, *join_to = p->join_to;
    for (int i = 0; i < n; i++) {
        join_to[i] = -1;
        const toks *t = &mi[i].kt;
        if (strcmp(m[i].type, "PERSON") != 0 || t->n < 2 || mi[i].acr[0])
            continue;
        bool initial_form = true;
        for (int k = 0; k < t->n - 1; k++)
            initial_form &= strlen(t->v[k]) == 1;
        if (!initial_form)
            continue;
        cands c = {{0}, 0};
        const char *surname = t->v[t->n - 1];
        for (int k = lk_lower(sn, nsn, "PERSON", surname); k < nsn; k++) {
            if (strcmp(sn[k].key, surname) != 0)
                break;
            const toks *u = &mi[sn[k].i].kt;
            if (strlen(u->v[0]) >= 2 && u->v[0][0] == t->v[0][0])
                cands_add(&c, kg_resolve_root(par, sn[k].i));
        }
        if (c.n == 1)
            join_to[i] = c.root[0];
    }
    apply_joins(p);
}

/* 3b. "Smith" -> the one multi-word PERSON with surname Smith;
 * as_surname[i] says whether mention i was a surname of any. */
static void join_surnames(passes *p, const lk *sn, int nsn, bool *as_surname)
{
    const kg_resolve_mention *m = p->m;
    const minfo *mi = p->mi;
    int n = p->n, *par = p->par, *join_to = p->join_to;
    for (int i = 0; i < n; i++) {
        join_to[i] = -1;
        if (strcmp(m[i].type, "PERSON") != 0 || mi[i].kt.n != 1)
            continue;
        /* The full names with this surname, by group, with how often
         * each is used. */
        int root[8], nr = 0;
        long used[8], all = 0;
        bool many = false;
        const char *surname = mi[i].kt.v[0];
        for (int k = lk_lower(sn, nsn, "PERSON", surname); k < nsn; k++) {
            if (strcmp(sn[k].key, surname) != 0)
                break;
            int r = kg_resolve_root(par, sn[k].i),
                w = m[sn[k].i].weight > 0 ? m[sn[k].i].weight : 1;
            int q = 0;
            while (q < nr && root[q] != r)
                q++;
            if (q == nr && nr == 8) {
                many = true;
                continue;
            }
            if (q == nr) {
                root[nr] = r;
                used[nr++] = 0;
            }
            used[q] += w;
            all += w;
        }
        as_surname[i] = nr > 0;
        int best = 0;
        for (int q = 1; q < nr; q++)
            if (used[q] > used[best])
                best = q;
        /* One full name; or one the document uses at least four times as
         * often as the others together ("Ebenezer Scrooge" eight times, a
         * misread "Whereat Scrooge" once). */
        if (nr == 1 || (nr > 1 && !many && used[best] >= 3 && used[best] >= 4 * (all - used[best])))
            join_to[i] = root[best];
    }
    apply_joins(p);
}

/* 3c. "Bob" -> the one multi-word PERSON whose first name is Bob ("Bob
 * Cratchit"), when no full name of the document ends with Bob. */
static void join_first_names(passes *p, const lk *sn, int nsn, const bool *as_surname)
{
    const kg_resolve_mention *m = p->m;
    const minfo *mi = p->mi;
    int n = p->n, *par = p->par, *join_to = p->join_to;
    for (int i = 0; i < n; i++) {
        join_to[i] = -1;
        if (strcmp(m[i].type, "PERSON") != 0 || mi[i].kt.n != 1 || as_surname[i])
            continue;
        cands c = {{0}, 0};
        const char *first = mi[i].kt.v[0];
        for (int k = lk_lower(sn, nsn, "PERSON", first); k < nsn; k++) {
            if (strcmp(sn[k].key, first) != 0)
                break;
            cands_add(&c, kg_resolve_root(par, sn[k].i));
        }
        if (c.n == 1)
            join_to[i] = c.root[0];
    }
    apply_joins(p);
}

static void join_persons(passes *p)
{
    lk *sn = kg_xmalloc(((size_t)p->n + 1) * sizeof *sn);
    bool *as_surname = kg_xcalloc((size_t)p->n + 1, sizeof *as_surname);
    int nsn = person_index(p, false, sn);
    join_initial_forms(p, sn, nsn);
    join_surnames(p, sn, nsn, as_surname);
    nsn = person_index(p, true, sn);
    join_first_names(p, sn, nsn, as_surname);
    free(as_surname);
    free(sn);
}

int kg_resolve_document(const char *text, size_t text_len, const kg_resolve_mention *m, int n,
                        kg_resolution **out, kg_err *err)
{
    *out = NULL;
    int rc = check_mentions(text, text_len, m, n, err);
    if (rc)
        return rc;
    passes p = {m, kg_xcalloc((size_t)n + 1, sizeof *p.mi),
                kg_xmalloc(((size_t)n + 1) * sizeof *p.par),
                kg_xmalloc(((size_t)n + 1) * sizeof *p.join_to), n};
    describe_mentions(text, text_len, &p);
    join_equal_keys(&p);
    join_kindred_types(&p);
    join_generic_heads(&p);
    join_acronyms(&p);
    join_persons(&p);
    free(p.join_to);

    minfo *mi = p.mi;
    kg_resolution *r = kg_xcalloc(1, sizeof *r);
    kg_resolve_build_entities(r, m, mi, p.par, n);
    for (int i = 0; i < n; i++) {
        r->mention_key[i] = mi[i].key; /* ownership moves to r */
        free(mi[i].display);
        kg_resolve_toks_free(&mi[i].kt);
    }
    free(mi);
    free(p.par);
    *out = r;
    return KG_OK;
}

void kg_entity_id_for(char out[KG_ID_MAX], const char *type, const char *key)
{
    const char *parts[] = {type, key};
    kg_make_id(out, "ent", parts, 2);
}
