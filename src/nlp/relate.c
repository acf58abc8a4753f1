/* relate: see relate.h.  Per sentence: the mentions in text order, their
 * word ranges in the analysed sentence, the pairs the triples relate, then
 * the co-occurrences of the rest. */
#include "nlp/relate.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/strlist.h"
#include "syntax/analyse.h"
#include "nlp/oie_out.h"
#include "nlp/openie.h"
#include "syntax/ptb.h"
#include "nlp/relpath.h"
#include "nlp/relspeech.h"
#include "nlp/reltype.h"

/* What one thread reuses from sentence to sentence. */
typedef struct tls {
    kg_words words;
    kg_oie oie;
} tls;

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_free(void *p)
{
    tls *t = p;
    kg_words_free(&t->words);
    kg_oie_free(&t->oie);
    free(t);
}

static void tls_make(void)
{
    if (pthread_key_create(&tls_key, tls_free) != 0)
        abort();
}

static tls *tls_get(void)
{
    pthread_once(&tls_once, tls_make);
    tls *t = pthread_getspecific(tls_key);
    if (!t) {
        t = kg_xcalloc(1, sizeof *t);
        if (pthread_setspecific(tls_key, t) != 0)
            abort();
    }
    return t;
}

static void add_rel(kg_relate_list *l, int from_sent, int src, int dst, const char *type,
                    double conf, const char *method, int64_t s, int64_t e)
{
    for (int i = from_sent; i < l->n; i++)
        if (l->v[i].source == src && l->v[i].target == dst && strcmp(l->v[i].type, type) == 0) {
            if (conf > l->v[i].confidence)
                l->v[i].confidence = conf;
            return;
        }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = kg_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    kg_relate_rel *r = &l->v[l->n++];
    memset(r, 0, sizeof *r);
    r->source = src;
    r->target = dst;
    snprintf(r->type, sizeof r->type, "%s", type);
    r->confidence = conf;
    snprintf(r->method, sizeof r->method, "%s", method);
    r->start = s;
    r->end = e;
}

bool kg_relate_method_known(const char *m)
{
    static const char *const names[] = {"verb", "copula", "apposition", "possessive",   "nominal",
                                        "path", "speech", "cooccur",    "cooccur-verb", NULL};
    return kg_strlist_has(names, m);
}

/* One sentence's mentions (text order, not overlapping) and their word
 * ranges in the analysed sentence (-1: the mention's words were not found). */
typedef struct sent {
    const kg_relate_mention **m;
    int n;
    int *lo, *hi;
    int64_t start, end;
    int from; /* first relation of this sentence in the list */
} sent;

static void map_words(const kg_words *w, sent *st)
{
    int j = 0;
    for (int i = 0; i < st->n; i++) {
        int64_t ms = st->m[i]->start, me = st->m[i]->end;
        st->lo[i] = st->hi[i] = -1;
        while (j < w->n && (int64_t)w->w[j].start < ms)
            j++;
        for (int k = j; k < w->n && (int64_t)w->w[k].end <= me; k++) {
            if (st->lo[i] < 0)
                st->lo[i] = k;
            st->hi[i] = k;
        }
        /* A title the recogniser left out of the name ("Mr Gibbs", "Lord
         * Palmerston") heads it in the parse (a flat name starts at its
         * first word): the mention's words start there. */
        int lo = st->lo[i];
        if (lo > 0 && w->w[lo].dep == KG_D_FLAT && w->w[lo].head == lo - 1)
            st->lo[i] = lo - 1;
    }
}

/* Is one of mentions a and b inside a quotation of sp and the other not?
 * In dialogue a triple across the mark is the speech tag misread ("'Dick
 * Wilkins, to be sure!' said Scrooge" is no "Dick Wilkins -say->
 * Scrooge"): the speech rule relates such a pair. */
static bool across_quote(const kg_speech *sp, const sent *st, int a, int b)
{
    return sp &&
           kg_speech_inside(sp, st->lo[a], st->hi[a]) != kg_speech_inside(sp, st->lo[b], st->hi[b]);
}

/* sp: the sentence's speech (nlp/relspeech), or NULL when it is none. */
static void typed_pairs(const kg_words *w, const kg_oie *o, const sent *st, const kg_speech *sp,
                        kg_relate_list *l)
{
    char phrase[KG_PHRASE_MAX];
    for (int t = 0; t < o->n; t++) {
        const kg_triple *x = &o->t[t];
        for (int a = 0; a < st->n; a++) {
            if (st->lo[a] < 0 || kg_rel_arg_of(w, x, st->lo[a], st->hi[a]) != 0)
                continue;
            for (int b = 0; b < st->n; b++) {
                if (st->lo[b] < 0 || st->m[b]->entity == st->m[a]->entity ||
                    across_quote(sp, st, a, b))
                    continue;
                for (int k = 1; k < x->nargs; k++) {
                    bool rev = false;
                    if (!kg_rel_pair(w, o, x, k, st->lo[b], st->hi[b], phrase, &rev))
                        continue;
                    int s = st->m[a]->entity, d = st->m[b]->entity;
                    add_rel(l, st->from, rev ? d : s, rev ? s : d, phrase, x->confidence,
                            kg_oie_kind_name(x->kind), st->start, st->end);
                    break;
                }
            }
        }
    }
}

static bool typed_between(const kg_relate_list *l, int from, int to, int a, int b)
{
    for (int r = from; r < to; r++)
        if ((l->v[r].source == a && l->v[r].target == b) ||
            (l->v[r].source == b && l->v[r].target == a))
            return true;
    return false;
}

/* The pairs no triple joined, read from the dependency path between
 * their mentions (nlp/relpath): method "path", a lower confidence. */
static void path_pairs(const kg_words *w, const sent *st, kg_relate_list *l)
{
    char phrase[KG_PHRASE_MAX];
    int typed_end = l->n;
    for (int a = 0; a < st->n; a++)
        for (int b = a + 1; b < st->n; b++) {
            int ea = st->m[a]->entity, eb = st->m[b]->entity;
            if (st->lo[a] < 0 || st->lo[b] < 0 || ea == eb ||
                typed_between(l, st->from, typed_end, ea, eb))
                continue;
            bool rev = false;
            if (!kg_rel_path(w, st->lo[a], st->hi[a], st->lo[b], st->hi[b], phrase, &rev))
                continue;
            add_rel(l, st->from, rev ? eb : ea, rev ? ea : eb, phrase, KG_REL_PATH_CONFIDENCE,
                    "path", st->start, st->end);
        }
}

/* What a speaker can be said to speak of: a name, not a nationality used
 * as an adjective ("I'm an American boy") or a date or number. */
static bool spoken_of(const char *type)
{
    static const char *const not_named[] = {"NORP",     "DATE",     "TIME",     "MONEY",
                                            "PERCENT",  "QUANTITY", "CARDINAL", "ORDINAL",
                                            "LANGUAGE", NULL};
    return !kg_strlist_has(not_named, type);
}

/* Speech (nlp/relspeech): the speaker of a quotation and each entity
 * named in it that no triple related to the speaker: addressed ("say
 * to", a person only) or spoken of ("speak of"). */
static void speech_pairs(const kg_words *w, const sent *st, const kg_speech *sp, kg_relate_list *l)
{
    int a = -1;
    for (int i = 0; i < st->n && a < 0; i++)
        if (st->lo[i] >= 0 && st->lo[i] <= sp->speaker && sp->speaker <= st->hi[i])
            a = i;
    if (a < 0)
        return;
    int typed_end = l->n, ea = st->m[a]->entity;
    for (int b = 0; b < st->n; b++) {
        int eb = st->m[b]->entity;
        if (st->lo[b] < 0 || eb == ea || !kg_speech_inside(sp, st->lo[b], st->hi[b]) ||
            typed_between(l, st->from, typed_end, ea, eb))
            continue;
        const char *type = st->m[b]->type;
        if (type && !spoken_of(type))
            continue;
        bool person = !type || strcmp(type, "PERSON") == 0;
        bool to = person && kg_speech_vocative(w, sp, st->lo[b], st->hi[b]);
        add_rel(l, st->from, ea, eb, to ? "say to" : "speak of", KG_REL_SPEECH_CONFIDENCE, "speech",
                st->start, st->end);
    }
}

static bool verb_between(const kg_words *w, int lo, int hi)
{
    for (int i = lo; i <= hi; i++)
        if (kg_oie_is_verb(w, i))
            return true;
    return false;
}

/* True when a verb stands between a mention of entity ea and one of eb;
 * *path: and two such mentions are words of one clause. */
static bool pair_has_verb(const kg_words *w, const sent *st, int ea, int eb, bool *path)
{
    bool verb = false;
    *path = false;
    if (!w)
        return false;
    for (int p = 0; p < st->n; p++)
        for (int q = 0; q < st->n; q++) {
            if (st->m[p]->entity != ea || st->m[q]->entity != eb || st->lo[p] < 0 || st->lo[q] < 0)
                continue;
            int a = p < q ? st->hi[p] + 1 : st->hi[q] + 1;
            int b = p < q ? st->lo[q] - 1 : st->lo[p] - 1;
            if (a <= b && verb_between(w, a, b)) {
                verb = true;
                if (!*path)
                    *path = kg_rel_same_clause(w, st->lo[p], st->hi[p], st->lo[q], st->hi[q]);
            }
        }
    return verb;
}

/* Distinct pairs with a typed relation among relations [from, to). */
static int64_t typed_pair_count(const kg_relate_list *l, int from, int to)
{
    int64_t n = 0;
    for (int r = from; r < to; r++) {
        bool seen = false;
        for (int q = from; q < r && !seen; q++)
            seen = (l->v[q].source == l->v[r].source && l->v[q].target == l->v[r].target) ||
                   (l->v[q].source == l->v[r].target && l->v[q].target == l->v[r].source);
        n += !seen;
    }
    return n;
}

/* w: the analysed sentence, or NULL when it was not analysed. */
static void cooccur(const kg_words *w, const sent *st, int *ents, int max_cooccur,
                    kg_relate_list *l)
{
    int typed_end = l->n, ne = 0;
    l->counts.typed_pairs += typed_pair_count(l, st->from, typed_end);
    for (int i = 0; i < st->n; i++) {
        int j = 0;
        while (j < ne && ents[j] != st->m[i]->entity)
            j++;
        if (j == ne)
            ents[ne++] = st->m[i]->entity;
    }
    for (int i = 0; i < ne; i++) {
        int jmax = ne > max_cooccur ? (i + 2 < ne ? i + 2 : ne) : ne;
        for (int j = i + 1; j < jmax; j++) {
            int a = ents[i] < ents[j] ? ents[i] : ents[j];
            int b = ents[i] < ents[j] ? ents[j] : ents[i];
            if (typed_between(l, st->from, typed_end, a, b))
                continue;
            bool path = false, verb = pair_has_verb(w, st, a, b, &path);
            l->counts.cooccur_verb_pairs += verb;
            l->counts.cooccur_clause_pairs += path;
            add_rel(l, typed_end, a, b, KG_REL_UNDIRECTED, KG_RELATE_COOCCUR_CONFIDENCE,
                    verb ? "cooccur-verb" : "cooccur", st->start, st->end);
        }
    }
}

static int distinct(const sent *st)
{
    int d = 0;
    for (int i = 0; i < st->n; i++) {
        bool seen = false;
        for (int k = 0; k < i && !seen; k++)
            seen = st->m[k]->entity == st->m[i]->entity;
        d += !seen;
    }
    return d;
}

static int by_start(const void *x, const void *y)
{
    const kg_relate_mention *a = *(const kg_relate_mention *const *)x;
    const kg_relate_mention *b = *(const kg_relate_mention *const *)y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->end > b->end) - (a->end < b->end);
}

static int check_spans(size_t text_len, const kg_relate_span *sents, int nsents,
                       const kg_relate_mention *m, int nm, kg_err *err)
{
    for (int i = 0; i < nsents; i++)
        if (sents[i].start < 0 || sents[i].end < sents[i].start || (size_t)sents[i].end > text_len)
            return kg_err_set(err, KG_EINVAL,
                              "relate: sentence %d spans %lld..%lld, outside "
                              "the %zu-byte text",
                              i, (long long)sents[i].start, (long long)sents[i].end, text_len);
    for (int i = 0; i < nm; i++)
        if (m[i].start < 0 || m[i].end < m[i].start || (size_t)m[i].end > text_len)
            return kg_err_set(err, KG_EINVAL,
                              "relate: mention %d spans %lld..%lld, outside "
                              "the %zu-byte text",
                              i, (long long)m[i].start, (long long)m[i].end, text_len);
    return KG_OK;
}

/* The mentions of sentence [ss, se) from the sorted ms[0..nms). */
static void sentence_mentions(const kg_relate_mention **ms, int nms, sent *st)
{
    int lo = 0, hi = nms;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (ms[mid]->start < st->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    st->n = 0;
    for (int i = lo; i < nms && ms[i]->start < st->end; i++) {
        if (ms[i]->end > st->end)
            continue;
        if (st->n && ms[i]->start < st->m[st->n - 1]->end)
            continue; /* overlapping mention: keep the first */
        st->m[st->n++] = ms[i];
    }
}

int kg_relate_extract(const char *text, size_t text_len, const kg_relate_span *sents, int nsents,
                      const kg_relate_mention *m, int nm, int max_cooccur, kg_relate_list **out,
                      kg_err *err)
{
    *out = NULL;
    if (!text || nsents < 0 || nm < 0 || (nsents && !sents) || (nm && !m))
        return kg_err_set(err, KG_EINVAL, "relate: missing text, sentences or mentions");
    int rc = check_spans(text_len, sents, nsents, m, nm, err);
    if (rc)
        return rc;
    if (max_cooccur <= 0)
        max_cooccur = KG_RELATE_MAX_COOCCUR;
    const kg_analyser *an = NULL;
    rc = kg_analyser_default(&an, err);
    if (rc)
        return rc;
    tls *t = tls_get();
    size_t cap = (size_t)nm + 1;
    const kg_relate_mention **ms = kg_xmalloc(cap *
                                              sizeof *ms); /* NOLINT(bugprone-sizeof-expression) */
    int nms = 0;
    for (int i = 0; i < nm; i++)
        if (m[i].entity >= 0)
            ms[nms++] = &m[i];
    qsort(ms, (size_t)nms, sizeof *ms, by_start); /* NOLINT(bugprone-sizeof-expression) */
    sent st;
    memset(&st, 0, sizeof st);
    st.m = kg_xmalloc(cap * sizeof *st.m); /* NOLINT(bugprone-sizeof-expression) */
    st.lo = kg_xmalloc(cap * sizeof *st.lo);
    st.hi = kg_xmalloc(cap * sizeof *st.hi);
    int *ents = kg_xmalloc(cap * sizeof *ents);
    kg_relate_list *l = kg_xcalloc(1, sizeof *l);
    for (int s = 0; s < nsents; s++) {
        st.start = sents[s].start;
        st.end = sents[s].end;
        st.from = l->n;
        sentence_mentions(ms, nms, &st);
        if (distinct(&st) < 2)
            continue;
        int nw = kg_analyse(an, text, (size_t)st.start, (size_t)st.end, 0, &t->words);
        if (nw < 0)
            l->counts.sentences_too_long++;
        if (nw > 0) {
            l->counts.sentences_analysed++;
            map_words(&t->words, &st);
            kg_openie(&t->words, &t->oie);
            kg_speech sp;
            bool speech = kg_speech_find(&t->words, &sp);
            typed_pairs(&t->words, &t->oie, &st, speech ? &sp : NULL, l);
            if (speech)
                speech_pairs(&t->words, &st, &sp, l);
            path_pairs(&t->words, &st, l);
        }
        cooccur(nw > 0 ? &t->words : NULL, &st, ents, max_cooccur, l);
    }
    free(st.m);
    free(st.lo);
    free(st.hi);
    free(ents);
    free(ms);
    *out = l;
    return KG_OK;
}

void kg_relate_counts_add(kg_relate_counts *a, const kg_relate_counts *b)
{
    a->sentences_analysed += b->sentences_analysed;
    a->sentences_too_long += b->sentences_too_long;
    a->typed_pairs += b->typed_pairs;
    a->cooccur_verb_pairs += b->cooccur_verb_pairs;
    a->cooccur_clause_pairs += b->cooccur_clause_pairs;
}

double kg_relate_typed_share(const kg_relate_counts *c)
{
    int64_t d = c->typed_pairs + c->cooccur_verb_pairs;
    return d ? (double)c->typed_pairs / (double)d : 0.0;
}

double kg_relate_clause_share(const kg_relate_counts *c)
{
    int64_t d = c->typed_pairs + c->cooccur_clause_pairs;
    return d ? (double)c->typed_pairs / (double)d : 0.0;
}

void *kg_relate_counts_json(const kg_relate_counts *c)
{
    return json_pack(
        "{s:I, s:I, s:f, s:I, s:I, s:I, s:f}", "typed_pairs", (json_int_t)c->typed_pairs,
        "cooccur_verb_pairs", (json_int_t)c->cooccur_verb_pairs, "typed_share",
        kg_relate_typed_share(c), "sentences_analysed", (json_int_t)c->sentences_analysed,
        "sentences_too_long", (json_int_t)c->sentences_too_long, "cooccur_clause_pairs",
        (json_int_t)c->cooccur_clause_pairs, "clause_share", kg_relate_clause_share(c));
}

void kg_relate_list_free(kg_relate_list *l)
{
    if (!l)
        return;
    free(l->v);
    free(l);
}
