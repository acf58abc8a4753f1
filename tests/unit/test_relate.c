/* Unit tests for nlp/relate: each phrase family, inflections, passives,
 * appositions, verb triples, co-occurrence and its cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "base/buf.h"
#include "nlp/relate.h"
#include "testutil.h"

/* Mentions are written [Like This] in s; the brackets are removed and each
 * mention gets entity = index of its distinct name.  Sentences end at ". ". */
typedef struct doc {
    char text[1024];
    kg_relate_span sents[32];
    int ns;
    kg_relate_mention m[64];
    int nm;
    char names[64][64];
    int nnames;
} doc;

static void mkdoc(doc *d, const char *s)
{
    memset(d, 0, sizeof *d);
    size_t o = 0;
    int64_t sent_start = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '[') {
            const char *q = strchr(p, ']');
            assert_non_null(q);
            size_t len = (size_t)(q - p - 1);
            char name[64];
            memcpy(name, p + 1, len);
            name[len] = 0;
            int e = 0;
            while (e < d->nnames && strcmp(d->names[e], name) != 0)
                e++;
            if (e == d->nnames)
                strcpy(d->names[d->nnames++], name);
            d->m[d->nm++] = (kg_relate_mention){(int64_t)o, (int64_t)(o + len), "X", e};
            memcpy(d->text + o, name, len);
            o += len;
            p = q;
            continue;
        }
        d->text[o++] = *p;
        if (*p == '.' && (p[1] == ' ' || p[1] == 0)) {
            d->sents[d->ns++] = (kg_relate_span){sent_start, (int64_t)o};
            sent_start = (int64_t)o + 1;
        }
    }
    if (sent_start < (int64_t)o)
        d->sents[d->ns++] = (kg_relate_span){sent_start, (int64_t)o};
}

static kg_relate_list *run(doc *d, const char *s, int cap)
{
    mkdoc(d, s);
    kg_relate_list *l;
    kg_err e;
    assert_int_equal(
        kg_relate_extract(d->text, strlen(d->text), d->sents, d->ns, d->m, d->nm, cap, &l, &e),
        KG_OK);
    return l;
}

static int ent(const doc *d, const char *name)
{
    for (int i = 0; i < d->nnames; i++)
        if (strcmp(d->names[i], name) == 0)
            return i;
    fail_msg("no entity %s", name);
    return -1;
}

/* The one relation between a and b that is not a co-occurrence. */
static void expect(const char *s, const char *a, const char *type, const char *b,
                   const char *method)
{
    doc d;
    kg_relate_list *l = run(&d, s, 0);
    int found = 0;
    for (int i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].method, "cooccur") == 0)
            continue;
        found++;
        if (l->v[i].source != ent(&d, a) || l->v[i].target != ent(&d, b) ||
            strcmp(l->v[i].type, type) != 0 || strcmp(l->v[i].method, method) != 0)
            fail_msg("\"%s\": got %s -%s/%s-> %s, want %s -%s/%s-> %s", s, d.names[l->v[i].source],
                     l->v[i].type, l->v[i].method, d.names[l->v[i].target], a, type, method, b);
    }
    if (found != 1)
        fail_msg("\"%s\": %d typed relations, want 1", s, found);
    kg_relate_list_free(l);
}

static void test_pattern_families(void **st)
{
    (void)st;
    expect("[Alice] works for [Acme].", "Alice", "WORKS_FOR", "Acme", "pattern");
    expect("[Alice] worked for [Acme].", "Alice", "WORKS_FOR", "Acme", "pattern");
    expect("[Alice] is working for [Acme].", "Alice", "WORKS_FOR", "Acme", "pattern");
    expect("[Alice] was employed by [Acme].", "Alice", "WORKS_FOR", "Acme", "pattern");
    expect("[Bob] is the CEO of [Acme].", "Bob", "WORKS_FOR", "Acme", "pattern");
    expect("[Bob] is a professor at [MIT].", "Bob", "WORKS_FOR", "MIT", "pattern");
    expect("[Acme] is based in [Paris].", "Acme", "LOCATED_IN", "Paris", "pattern");
    expect("[Acme] was located in [Paris].", "Acme", "LOCATED_IN", "Paris", "pattern");
    expect("[Jobs] founded [Apple].", "Jobs", "CREATED", "Apple", "pattern");
    expect("[Jobs] founds [Apple].", "Jobs", "CREATED", "Apple", "pattern");
    expect("[Apple] was founded by [Jobs].", "Jobs", "CREATED", "Apple", "pattern");
    expect("[Hochreiter] proposed [LSTM].", "Hochreiter", "CREATED", "LSTM", "pattern");
    expect("[Vaswani] introduced the [Transformer].", "Vaswani", "CREATED", "Transformer",
           "pattern");
    expect("[Ada] leads [the lab].", "Ada", "LEADS", "the lab", "pattern");
    expect("[The lab] is led by [Ada].", "Ada", "LEADS", "The lab", "pattern");
    expect("[Ada] heads [the lab].", "Ada", "LEADS", "the lab", "pattern");
    expect("[Ada] is a member of [the Royal Society].", "Ada", "MEMBER_OF", "the Royal Society",
           "pattern");
    expect("[Acme] partners with [Initech].", "Acme", "COLLABORATES_WITH", "Initech", "pattern");
    expect("[Acme] collaborated with [Initech].", "Acme", "COLLABORATES_WITH", "Initech",
           "pattern");
    expect("[Acme] owns [Initech].", "Acme", "OWNS", "Initech", "pattern");
    expect("[Initech] is owned by [Acme].", "Acme", "OWNS", "Initech", "pattern");
    expect("[BERT] builds on [Transformer].", "BERT", "CITES_OR_EXTENDS", "Transformer", "pattern");
    expect("[GPT-2] extends [GPT].", "GPT-2", "CITES_OR_EXTENDS", "GPT", "pattern");
    expect("[Model] is evaluated on [ImageNet].", "Model", "USES", "ImageNet", "pattern");
    expect("[ResNet] was trained on [ImageNet].", "ResNet", "USES", "ImageNet", "pattern");
    expect("[We] use [PyTorch].", "We", "USES", "PyTorch", "pattern");
    expect("[ALICE] WORKS FOR [ACME].", "ALICE", "WORKS_FOR", "ACME", "pattern");
}

static void test_appositions_and_verbs(void **st)
{
    (void)st;
    expect("[Ada], director of [the lab], spoke.", "Ada", "LEADS", "the lab", "apposition");
    expect("[Bob], a professor at [MIT], spoke.", "Bob", "WORKS_FOR", "MIT", "apposition");
    expect("[Bob], a senior researcher at [MIT].", "Bob", "WORKS_FOR", "MIT", "apposition");
    expect("[Jobs], who founded [Apple], died.", "Jobs", "CREATED", "Apple", "pattern");
    expect("[Pierre] married [Marie].", "Pierre", "MARRI", "Marie", "verb");
    expect("[Alice] met with [Bob].", "Alice", "MEET", "Bob", "verb");
    expect("[Initech] was acquired by [Acme].", "Acme", "ACQUIR", "Initech", "verb");
    expect("[Acme] sues [Initech].", "Acme", "SUE", "Initech", "verb");
}

static void test_cooccurrence_and_cap(void **st)
{
    (void)st;
    doc d;
    /* "and" is no verb: co-occurrence only, undirected, low confidence. */
    kg_relate_list *l = run(&d, "[Alice] and [Bob] went to [Paris]. [Carol] slept.", 0);
    assert_int_equal(l->n, 3); /* Alice-Bob, Alice-Paris, Bob-Paris */
    for (int i = 0; i < l->n; i++) {
        assert_string_equal(l->v[i].method, "cooccur");
        assert_string_equal(l->v[i].type, "RELATED_TO");
        assert_true(l->v[i].source < l->v[i].target);
        assert_true(l->v[i].confidence < 0.5);
        assert_int_equal(l->v[i].start, 0);
        assert_int_equal(d.text[l->v[i].end - 1], '.');
    }
    kg_relate_list_free(l);

    /* A typed pair gets no extra co-occurrence; others in the sentence do. */
    l = run(&d, "[Alice] works for [Acme] in [Paris].", 0);
    int typed = 0, co = 0;
    double pconf = 0;
    for (int i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].method, "cooccur") == 0) {
            co++;
            assert_true(l->v[i].confidence < pconf);
        } else {
            typed++;
            pconf = l->v[i].confidence;
        }
    }
    assert_int_equal(typed, 1);
    assert_int_equal(co, 2); /* Alice-Paris, Acme-Paris */
    kg_relate_list_free(l);

    /* Repeated mentions of one entity produce no self-relations or dupes. */
    l = run(&d, "[Alice] and [Bob] and [Alice] and [Bob].", 0);
    assert_int_equal(l->n, 1);
    kg_relate_list_free(l);

    /* 20 distinct entities in one sentence: neighbours only (19), not 190. */
    char s[512] = "";
    for (int i = 0; i < 20; i++) {
        char t[16];
        snprintf(t, sizeof t, "[E%d], ", i);
        strcat(s, t);
    }
    strcat(s, "etc.");
    l = run(&d, s, 0);
    assert_int_equal(l->n, 19);
    kg_relate_list_free(l);
    l = run(&d, s, 25); /* a higher cap: all pairs */
    assert_int_equal(l->n, 190);
    kg_relate_list_free(l);

    /* Mentions outside the text are an error. */
    kg_relate_mention bad = {5, 50, "X", 0};
    kg_relate_span sp = {0, 4};
    kg_err e;
    assert_int_equal(kg_relate_extract("abcd", 4, &sp, 1, &bad, 1, 0, &l, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "outside"));
}

/* A text of 1,500 sentences "Pa zorb<abc>ed Pb." (verb triples typed by the
 * stem of a word never seen before: more words than the thread's stem cache
 * has slots), then two pattern sentences. */
#define MANY 1500
static char *many_text(void)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < MANY; i++) /* zorbaaaed, zorbbaaed, ...: lower-case "-ed" verbs */
        kg_buf_printf(&b, "Pa zorb%c%c%ced Pb. ", 'a' + i % 26, 'a' + i / 26 % 26,
                      'a' + i / 676 % 26);
    kg_buf_printf(&b, "Pa works for Pb. Pa was founded by Pb. ");
    return kg_buf_steal(&b);
}

typedef struct relate_job {
    char *text;
    kg_relate_list *l;
} relate_job;

static void relate_text(relate_job *j)
{
    size_t len = strlen(j->text);
    size_t ns = 0, nm = 0;
    kg_relate_span *sents = kg_xcalloc(MANY + 8, sizeof *sents);
    kg_relate_mention *m = kg_xcalloc(2 * MANY + 16, sizeof *m);
    size_t start = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (j->text[i] == 'P' && (j->text[i + 1] == 'a' || j->text[i + 1] == 'b'))
            m[nm++] = (kg_relate_mention){(int64_t)i, (int64_t)i + 2, "PERSON",
                                          j->text[i + 1] == 'a' ? 0 : 1};
        if (j->text[i] == '.' && j->text[i + 1] == ' ') {
            sents[ns++] = (kg_relate_span){(int64_t)start, (int64_t)i + 1};
            start = i + 2;
        }
    }
    kg_err e;
    if (kg_relate_extract(j->text, len, sents, (int)ns, m, (int)nm, 0, &j->l, &e) != KG_OK)
        fail_msg("relate: %s", e.msg);
    free(sents);
    free(m);
}

static void *relate_thread(void *arg)
{
    relate_text(arg);
    return NULL;
}

/* The per-thread stem cache changes nothing: the same text gives the same
 * relations in a fresh thread (empty cache) as in this one after its cache
 * was filled, and overwritten slots are stemmed again. */
static void test_stem_cache_changes_nothing(void **st)
{
    (void)st;
    char *text = many_text();
    relate_job warm = {text, NULL}, again = {text, NULL}, fresh = {text, NULL};
    relate_text(&warm);
    relate_text(&again);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, relate_thread, &fresh), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(fresh.l->n, MANY + 2);
    assert_int_equal(again.l->n, fresh.l->n);
    assert_int_equal(warm.l->n, fresh.l->n);
    for (int i = 0; i < fresh.l->n; i++) {
        assert_string_equal(again.l->v[i].type, fresh.l->v[i].type);
        assert_string_equal(warm.l->v[i].type, fresh.l->v[i].type);
        assert_string_equal(again.l->v[i].method, fresh.l->v[i].method);
        assert_int_equal(again.l->v[i].source, fresh.l->v[i].source);
    }
    assert_string_equal(fresh.l->v[MANY].type, "WORKS_FOR");
    assert_string_equal(fresh.l->v[MANY + 1].type, "CREATED");
    assert_int_equal(fresh.l->v[MANY + 1].source, 1); /* passive: Pb founded Pa */
    /* Distinct words, distinct stems: nothing was served from a wrong slot. */
    assert_string_equal(fresh.l->v[0].method, "verb");
    assert_string_not_equal(fresh.l->v[0].type, fresh.l->v[1].type);
    assert_string_not_equal(again.l->v[100].type, again.l->v[1024 + 100].type);
    kg_relate_list_free(warm.l);
    kg_relate_list_free(again.l);
    kg_relate_list_free(fresh.l);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_families),
        cmocka_unit_test(test_appositions_and_verbs),
        cmocka_unit_test(test_cooccurrence_and_cap),
        cmocka_unit_test(test_stem_cache_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
