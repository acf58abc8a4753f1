/* Unit tests for sentence analysis: the CoNLL-U reader (and its errors
 * with file and line), UD-style words with exact spans, WordNet lemmas,
 * the tagger and the parser trained on tiny treebanks (they learn them;
 * the same data and seed give the same bytes; a model survives save and
 * load), ml/ftable against the perceptron it was built from, and model
 * files that are truncated, corrupt, of another kind or trained on other
 * features refused with their name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ml/ftable.h"
#include "ml/mfile.h"
#include "syntax/analyse.h"
#include "syntax/conllu.h"
#include "syntax/depparse.h"
#include "syntax/lemma.h"
#include "syntax/models.h"
#include "syntax/postag.h"
#include "syntax/ptb.h"
#include "syntax/words.h"
#include "testutil.h"

/* A tiny treebank: subject-verb-object sentences and passives. */
static char *tiny_treebank(int copies)
{
    static const char *const names[] = {"Keller", "Smith", "Tanaka", "Okafor"};
    static const char *const verbs[][2] = {
        {"proposed", "propose"}, {"used", "use"}, {"cited", "cite"}};
    kg_buf b = KG_BUF_INIT;
    for (int c = 0; c < copies; c++)
        for (int n = 0; n < 4; n++)
            for (int v = 0; v < 3; v++) {
                kg_buf_printf(&b,
                              "1\t%s\t%s\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
                              "2\t%s\t%s\tVERB\tVBD\t_\t0\troot\t_\t_\n"
                              "3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n"
                              "4\tnetwork\tnetwork\tNOUN\tNN\t_\t2\tobj\t_\t_\n"
                              "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n",
                              names[n], names[n], verbs[v][0], verbs[v][1]);
                kg_buf_printf(&b,
                              "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
                              "2\tnetwork\tnetwork\tNOUN\tNN\t_\t4\tnsubj:pass\t_\t_\n"
                              "3\twas\tbe\tAUX\tVBD\t_\t4\taux:pass\t_\t_\n"
                              "4\t%s\t%s\tVERB\tVBN\t_\t0\troot\t_\t_\n"
                              "5\tby\tby\tADP\tIN\t_\t6\tcase\t_\t_\n"
                              "6\t%s\t%s\tPROPN\tNNP\t_\t4\tobl:agent\t_\t_\n\n",
                              verbs[v][0], verbs[v][1], names[n], names[n]);
            }
    return kg_buf_steal(&b);
}

static void test_conllu_reader(void **st)
{
    (void)st;
    char *tb_text = tiny_treebank(1);
    kg_treebank *tb = NULL;
    kg_err e;
    assert_int_equal(kg_conllu_parse(tb_text, strlen(tb_text), "tiny", &tb, &e), KG_OK);
    assert_int_equal(tb->nsents, 24);
    assert_int_equal(tb->sents[0].n, 5);
    assert_string_equal(tb->sents[0].w[1].form, "proposed");
    assert_int_equal(tb->sents[0].w[1].tag, KG_T_VBD);
    assert_int_equal(tb->sents[0].w[1].head, -1);
    assert_int_equal(tb->sents[0].w[1].dep, KG_D_ROOT);
    assert_int_equal(tb->sents[1].w[1].dep, KG_D_NSUBJ_PASS);
    assert_int_equal(tb->sents[1].w[5].dep, KG_D_OBL_AGENT);
    kg_treebank_free(tb);
    free(tb_text);
    /* Comments, multi-word tokens and empty nodes are skipped; unknown
     * subtypes fall back to their type; CRLF is fine. */
    const char *ok = "# text = Don't.\r\n1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\r\n"
                     "1\tDo\tdo\tAUX\tVB\t_\t0\troot\t_\t_\r\n"
                     "1.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\r\n"
                     "2\tn't\tnot\tPART\tRB\t_\t1\tadvmod:neg\t_\t_\r\n";
    assert_int_equal(kg_conllu_parse(ok, strlen(ok), "ok", &tb, &e), KG_OK);
    assert_int_equal(tb->nsents, 1);
    assert_int_equal(tb->sents[0].n, 2);
    assert_int_equal(tb->sents[0].w[1].dep, KG_D_ADVMOD);
    kg_treebank_free(tb);
    /* Malformed lines: the file and the line. */
    const char *bad[][2] = {
        {"1\tA\ta\tX\tNN\t_\t0\troot\t_\n", "bad.conllu:1: expected 10"},
        {"1\tA\ta\tX\tNN\t_\t0\troot\t_\t_\n3\tB\tb\tX\tNN\t_\t1\tdep\t_\t_\n",
         "bad.conllu:2: word ids"},
        {"1\tA\ta\tX\tNN\t_\tx\troot\t_\t_\n", "bad.conllu:1: the head"},
        {"1\tA\ta\tX\tNN\t_\t5\troot\t_\t_\n\n", "bad.conllu:2: a head points past"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(kg_conllu_parse(bad[i][0], strlen(bad[i][0]), "bad.conllu", &tb, &e),
                         KG_EFORMAT);
        assert_null(tb);
        if (!strstr(e.msg, bad[i][1]))
            fail_msg("%s: %s", bad[i][1], e.msg);
    }
    assert_int_not_equal(kg_conllu_read("/nonexistent/x.conllu", &tb, &e), KG_OK);
    /* Tag and label names round-trip. */
    for (int t = 1; t < KG_T_COUNT; t++)
        assert_int_equal(kg_tag_of(kg_tag_name(t), strlen(kg_tag_name(t))), t);
    for (int d = 1; d < KG_D_COUNT; d++)
        assert_int_equal(kg_dep_of(kg_dep_name(d), strlen(kg_dep_name(d))), d);
    assert_int_equal(kg_tag_of("ZZZ", 3), KG_T_XX);
    assert_int_equal(kg_dep_of("reparandum", 10), KG_D_DEP);
}

static char *words_of(const char *text)
{
    kg_words w = KG_WORDS_INIT;
    int n = kg_words_from_text(&w, text, 0, strlen(text), 100);
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < n; i++) {
        /* The form, and the span's bytes when they differ. */
        const char *f = kg_words_form(&w, i);
        size_t len = w.w[i].end - w.w[i].start;
        if (strlen(f) == len && memcmp(f, text + w.w[i].start, len) == 0)
            kg_buf_printf(&b, "%s|", f);
        else
            kg_buf_printf(&b, "%s<%.*s>|", f, (int)len, text + w.w[i].start);
    }
    kg_words_free(&w);
    return b.data ? kg_buf_steal(&b) : kg_xstrdup("");
}

static void test_words(void **st)
{
    (void)st;
    struct {
        const char *in, *want;
    } cases[] = {
        {"Mr. O'Neil didn't co-found it.", "Mr.|O'Neil|did|n't|co-found|it|.|"},
        {"state-of-the-art, John's I'm can't cannot",
         "state|-|of|-|the|-|art|,|John|'s|I|'m|ca|n't|can|not|"},
        {"\xe2\x80\x9cHi\xe2\x80\x9d she said ``ok'' Pacific 's",
         "\"<\xe2\x80\x9c>|Hi|\"<\xe2\x80\x9d>|she|said|\"<``>|ok|\"<''>|Pacific|'s|"},
        {"it\xe2\x80\x99s", "it|'s<\xe2\x80\x99s>|"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = words_of(cases[i].in);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s: got %s want %s", cases[i].in, got, cases[i].want);
        free(got);
    }
    /* Over the cap: nothing, and -1. */
    kg_words w = KG_WORDS_INIT;
    assert_int_equal(kg_words_from_text(&w, "a b c d e f", 0, 11, 5), -1);
    assert_int_equal(w.n, 0);
    assert_int_equal(kg_words_from_text(&w, "x, y", 0, 4, 5), 3);
    assert_true(w.w[1].shape & KG_WSHAPE_PUNCT);
    kg_words_free(&w);
}

static void lemma_is(const char *word, int tag, const char *want)
{
    char out[KG_LEMMA_MAX];
    kg_lemma(word, strlen(word), tag, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("%s/%s: got %s want %s", word, kg_tag_name(tag), out, want);
}

static void test_lemmas(void **st)
{
    (void)st;
    lemma_is("married", KG_T_VBD, "marry");
    lemma_is("Worked", KG_T_VBD, "work");
    lemma_is("founded", KG_T_VBN, "found");
    /* Verbs WordNet lacks keep their e; a kept prefix stays on the lemma. */
    lemma_is("curated", KG_T_VBD, "curate");
    lemma_is("co-wrote", KG_T_VBD, "co-write");
    lemma_is("found", KG_T_VBD, "find");
    lemma_is("was", KG_T_VBD, "be");
    lemma_is("'s", KG_T_VBZ, "be");
    lemma_is("'s", KG_T_POS, "'s");
    lemma_is("n't", KG_T_RB, "not");
    lemma_is("tweeted", KG_T_VBD, "tweet");
    /* A noun tagged as a past tense is not cut into a stem. */
    lemma_is("watershed", KG_T_VBD, "watershed");
    lemma_is("Watershed", KG_T_VBN, "watershed");
    /* British doubling of a final l. */
    lemma_is("remodelled", KG_T_VBN, "remodel");
    lemma_is("travelling", KG_T_VBG, "travel");
    lemma_is("called", KG_T_VBD, "call");
    lemma_is("stopped", KG_T_VBD, "stop");
    lemma_is("studies", KG_T_VBZ, "study");
    lemma_is("children", KG_T_NNS, "child");
    lemma_is("better", KG_T_JJR, "good");
    lemma_is("saw", KG_T_NN, "saw");
    lemma_is("Lisbon", KG_T_NNP, "lisbon");
    lemma_is("running", KG_T_VBG, "run");
    assert_true(kg_lemma_is_base("marry", 5, KG_LEMMA_VERB));
    assert_false(kg_lemma_is_base("marry", 5, KG_LEMMA_NOUN));
    /* As written: capitals lowered; "President" is the noun; too long is none. */
    assert_true(kg_lemma_is_base_folded("President", 9, KG_LEMMA_NOUN));
    assert_false(kg_lemma_is_base("President", 9, KG_LEMMA_NOUN));
    char longw[KG_LEMMA_MAX + 1];
    memset(longw, 'a', sizeof longw);
    assert_false(kg_lemma_is_base_folded(longw, sizeof longw, KG_LEMMA_NOUN));
    assert_int_equal(kg_lemma_class(KG_T_VBZ), KG_LEMMA_VERB);
    assert_int_equal(kg_lemma_class(KG_T_MD), 0);
    char tiny[4];
    assert_int_equal(kg_lemma("married", 7, KG_T_VBD, tiny, sizeof tiny), 3);
    assert_string_equal(tiny, "mar");
}

/* Train a model of `kind` on the tiny treebank; returns its bytes. */
static unsigned char *train(const char *kind, const kg_treebank *tb, size_t *len,
                            const kg_postag *dev_tagger, int folds)
{
    kg_mfile_writer *w = kg_mfile_writer_new(kind);
    kg_err e;
    kg_buf log = KG_BUF_INIT;
    kg_postag_train_opts po = {3, 5, 0, 0, &log, NULL};
    if (strcmp(kind, "pos") == 0) {
        assert_int_equal(kg_postag_train(tb, tb, &po, w, &e), KG_OK);
        assert_non_null(strstr(log.data, "epoch 3"));
    } else {
        kg_depparse_train_opts o = {6, 5, folds, &po, dev_tagger, 0, 0, 0, &log, NULL};
        assert_int_equal(kg_depparse_train(tb, tb, &o, w, &e), KG_OK);
        assert_true(folds < 2 || strstr(log.data, "jackknife fold 2/2"));
        assert_non_null(strstr(log.data, "dev UAS"));
    }
    unsigned char *bytes = NULL;
    kg_mfile_bytes(w, &bytes, len);
    kg_mfile_writer_free(w);
    kg_buf_free(&log);
    return bytes;
}

static void test_train_tagger_and_parser(void **st)
{
    (void)st;
    char *text = tiny_treebank(3);
    kg_treebank *tb = NULL;
    kg_err e;
    assert_int_equal(kg_conllu_parse(text, strlen(text), "tiny", &tb, &e), KG_OK);
    size_t plen, plen2, dlen, dlen2;
    unsigned char *pos = train("pos", tb, &plen, NULL, 0);
    unsigned char *pos2 = train("pos", tb, &plen2, NULL, 0);
    assert_int_equal(plen, plen2);
    assert_memory_equal(pos, pos2, plen); /* same data, same seed: same bytes */
    kg_mfile *pmf = NULL;
    kg_postag *tagger = NULL;
    assert_int_equal(kg_mfile_open_mem(pos, plen, "pos", "pos", &pmf, &e), KG_OK);
    assert_int_equal(kg_postag_load(pmf, &tagger, &e), KG_OK);
    kg_postag_eval pe;
    kg_postag_evaluate(tagger, tb, &pe);
    assert_true(pe.accuracy > 0.99);
    assert_int_equal(pe.words, tb->nwords);

    /* Gold tags to train on: on so little data, taggers trained on half of
     * it (jackknifing) mistag what the other half holds. */
    unsigned char *parse = train("parse", tb, &dlen, tagger, 0);
    unsigned char *parse2 = train("parse", tb, &dlen2, tagger, 0);
    assert_int_equal(dlen, dlen2);
    assert_memory_equal(parse, parse2, dlen);
    size_t jlen, jlen2;
    unsigned char *jack = train("parse", tb, &jlen, tagger, 2);
    unsigned char *jack2 = train("parse", tb, &jlen2, tagger, 2);
    assert_int_equal(jlen, jlen2);
    assert_memory_equal(jack, jack2, jlen);
    free(jack);
    free(jack2);
    kg_mfile *dmf = NULL;
    kg_depparse *parser = NULL;
    assert_int_equal(kg_mfile_open_mem(parse, dlen, "parse", "parse", &dmf, &e), KG_OK);
    assert_int_equal(kg_depparse_load(dmf, &parser, &e), KG_OK);
    kg_depparse_eval de;
    kg_depparse_evaluate(parser, tagger, tb, &de);
    if (de.uas <= 0.99)
        fail_msg("UAS %.3f LAS %.3f", de.uas, de.las);
    assert_true(de.las > 0.99);
    /* A new sentence of the same shape. */
    kg_words w = KG_WORDS_INIT;
    const char *s = "Smith cited the network .";
    kg_words_from_text(&w, s, 0, strlen(s), 50);
    kg_postag_run(tagger, &w);
    kg_depparse_run(parser, &w);
    assert_int_equal(w.w[0].tag, KG_T_NNP);
    assert_int_equal(w.w[1].head, -1);
    assert_int_equal(w.w[0].head, 1);
    assert_int_equal(w.w[0].dep, KG_D_NSUBJ);
    assert_int_equal(w.w[3].dep, KG_D_OBJ);
    kg_words_free(&w);

    /* Refused: a tagger file as a parser, truncated, corrupt. */
    kg_depparse *bad = NULL;
    assert_int_not_equal(kg_depparse_load(pmf, &bad, &e), KG_OK);
    assert_non_null(strstr(e.msg, "pos"));
    kg_mfile *x = NULL;
    assert_int_not_equal(kg_mfile_open_mem(parse, dlen / 2, "half.kgm", "parse", &x, &e), KG_OK);
    assert_non_null(strstr(e.msg, "half.kgm"));
    parse[dlen / 2] ^= 0x5A;
    assert_int_not_equal(kg_mfile_open_mem(parse, dlen, "flip.kgm", "parse", &x, &e), KG_OK);
    assert_non_null(strstr(e.msg, "flip.kgm"));
    parse[dlen / 2] ^= 0x5A;

    /* The analyser over files: the pair, a missing file, a wrong kind. */
    char *dir = tu_tmpdir();
    char *pp = tu_join(dir, "pos.kgm"), *dp = tu_join(dir, "parse.kgm");
    tu_write(pp, pos, plen);
    tu_write(dp, parse, dlen);
    kg_analyser *an = NULL;
    assert_int_equal(kg_analyser_open(pp, dp, &an, &e), KG_OK);
    assert_int_equal(kg_analyse(an, s, 0, strlen(s), 0, &w), 5);
    assert_int_equal(w.w[3].dep, KG_D_OBJ);
    assert_int_equal(kg_analyse(an, s, 0, strlen(s), 3, &w), -1);
    assert_non_null(kg_analyser_tagger(an));
    assert_non_null(kg_analyser_parser(an));
    kg_analyser_close(an);
    assert_int_not_equal(kg_analyser_open(dp, dp, &an, &e), KG_OK);
    assert_non_null(strstr(e.msg, "parse.kgm"));
    char *missing = tu_join(dir, "missing.kgm");
    assert_int_not_equal(kg_analyser_open(missing, dp, &an, &e), KG_OK);
    assert_non_null(strstr(e.msg, "missing.kgm"));
    kg_words_free(&w);
    tu_rmrf(dir);
    free(pp);
    free(dp);
    free(missing);
    free(dir);

    kg_depparse_free(parser);
    kg_mfile_close(dmf);
    kg_postag_free(tagger);
    kg_mfile_close(pmf);
    free(pos);
    free(pos2);
    free(parse);
    free(parse2);
    kg_treebank_free(tb);
    free(text);
}

/* A model whose feature version differs is refused, naming the file. */
static void test_feature_version_refused(void **st)
{
    (void)st;
    kg_mfile_writer *w = kg_mfile_writer_new("pos");
    kg_buf names = KG_BUF_INIT;
    for (int t = 1; t < KG_T_COUNT; t++) {
        kg_buf_puts(&names, kg_tag_name(t));
        kg_buf_putc(&names, t + 1 < KG_T_COUNT ? ' ' : '\n');
    }
    kg_mfile_put_str(w, "pos.tags", names.data);
    kg_mfile_put_str(w, "pos.features", "greedy/other/0");
    unsigned char *bytes;
    size_t len;
    kg_mfile_bytes(w, &bytes, &len);
    kg_mfile *mf = NULL;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(bytes, len, "old.kgm", "pos", &mf, &e), KG_OK);
    kg_postag *t = NULL;
    assert_int_not_equal(kg_postag_load(mf, &t, &e), KG_OK);
    assert_non_null(strstr(e.msg, "old.kgm"));
    assert_non_null(strstr(e.msg, "retrain"));
    kg_mfile_close(mf);
    free(bytes);
    kg_buf_free(&names);
    kg_mfile_writer_free(w);
}

/* ftable scores what the perceptron's averaged weights score, up to int8
 * quantisation; pruning keeps the strongest rows; corrupt tables refused. */
static void test_ftable(void **st)
{
    (void)st;
    kg_perc *p = kg_perc_new(3);
    uint64_t feats[40];
    float scratch[3];
    for (int i = 0; i < 40; i++)
        feats[i] = kg_feat((uint32_t)i, (uint64_t)i * 7919);
    for (int round = 0; round < 30; round++)
        for (int i = 0; i + 4 <= 40; i += 4)
            kg_perc_learn(p, feats + i, 4, (unsigned)(i / 4 % 3), scratch);
    kg_ftab *t = kg_ftab_build(p, feats, 40, NULL);
    assert_int_equal(kg_ftab_classes(t), 3);
    assert_true(kg_ftab_rows(t) > 0 && kg_ftab_rows(t) <= 40);
    for (int i = 0; i + 4 <= 40; i += 4) {
        float a[3] = {0}, b[3] = {0};
        kg_perc_score_avg(p, feats + i, 4, a);
        kg_ftab_score(t, feats + i, 4, b);
        for (int c = 0; c < 3; c++)
            assert_true(fabsf(a[c] - b[c]) <= 0.02f * (fabsf(a[c]) + 1.0f));
    }
    /* An unknown feature adds nothing; long lists are scored in batches. */
    uint64_t many[300];
    for (int i = 0; i < 300; i++)
        many[i] = feats[i % 40];
    float s1[3] = {0}, s2[3] = {0};
    kg_ftab_score(t, many, 300, s1);
    for (int r = 0; r < 300; r += 40)
        kg_ftab_score(t, many + r, r + 40 <= 300 ? 40 : 300 - r, s2);
    for (int c = 0; c < 3; c++)
        assert_true(fabsf(s1[c] - s2[c]) < 1e-3f);
    kg_linear_opts few = {0, 2};
    kg_ftab *small = kg_ftab_build(p, feats, 40, &few);
    assert_int_equal(kg_ftab_rows(small), 2);
    /* Save, load in place, score the same. */
    kg_mfile_writer *w = kg_mfile_writer_new("test");
    kg_ftab_save(t, w, "m");
    unsigned char *bytes;
    size_t len;
    kg_mfile_bytes(w, &bytes, &len);
    kg_mfile *mf = NULL;
    kg_err e;
    assert_int_equal(kg_mfile_open_mem(bytes, len, "t.kgm", "test", &mf, &e), KG_OK);
    kg_ftab *l = NULL;
    assert_int_equal(kg_ftab_load(mf, "m", &l, &e), KG_OK);
    float s3[3] = {0};
    kg_ftab_score(l, many, 300, s3);
    for (int c = 0; c < 3; c++)
        assert_true(fabsf(s1[c] - s3[c]) < 1e-3f);
    kg_ftab_free(l);
    assert_int_not_equal(kg_ftab_load(mf, "nope", &l, &e), KG_OK);
    assert_null(l);
    assert_non_null(strstr(e.msg, "t.kgm"));
    kg_mfile_close(mf);
    free(bytes);
    kg_mfile_writer_free(w);
    /* A meta section that lies about the table. */
    w = kg_mfile_writer_new("test");
    uint32_t meta[8] = {1, 3, 999, 0, 16, 0, 0, 0};
    unsigned char zero[16] = {0};
    kg_mfile_put(w, "m.ftab", meta, sizeof meta);
    kg_mfile_put(w, "m.frec", zero, sizeof zero);
    kg_mfile_bytes(w, &bytes, &len);
    assert_int_equal(kg_mfile_open_mem(bytes, len, "lie.kgm", "test", &mf, &e), KG_OK);
    assert_int_not_equal(kg_ftab_load(mf, "m", &l, &e), KG_OK);
    assert_non_null(strstr(e.msg, "lie.kgm"));
    kg_mfile_close(mf);
    free(bytes);
    kg_mfile_writer_free(w);
    kg_ftab_free(t);
    kg_ftab_free(small);
    kg_perc_free(p);
}

/* The built-in models load and analyse (they are linked into the binary). */
static void test_builtin_models(void **st)
{
    (void)st;
    const kg_analyser *a = NULL;
    kg_err e;
    if (kg_analyser_default(&a, &e) != KG_OK)
        fail_msg("the built-in models do not load: %s", e.msg);
    kg_words w = KG_WORDS_INIT;
    const char *s = "Maria Keller proposed the Graph Echo Network in 2019.";
    assert_int_equal(kg_analyse(a, s, 0, strlen(s), 0, &w), 10);
    assert_int_equal(w.w[2].tag, KG_T_VBD);
    assert_int_equal(w.w[2].head, -1);
    kg_words_free(&w);
    kg_mfile *mf = NULL;
    assert_int_not_equal(kg_model_open("ner-or-whatever", &mf, &e), KG_OK);
    assert_non_null(strstr(e.msg, "ner-or-whatever"));
}

/* Index of the word with form f in w. */
static int word_at(const kg_words *w, const char *f)
{
    for (int i = 0; i < w->n; i++)
        if (strcmp(kg_words_form(w, i), f) == 0)
            return i;
    fail_msg("no word %s", f);
    return -1;
}

/* Clauses a semicolon sets side by side are parsed one by one: each verb
 * keeps its own subject, and the later clauses hang on the first one's
 * root as parataxis; a semicolon in a list, or before a clause whose
 * subject is the one before it, is left to the parser. */
static void test_semicolon_clauses(void **st)
{
    (void)st;
    const kg_analyser *a = NULL;
    kg_err e;
    assert_int_equal(kg_analyser_default(&a, &e), KG_OK);
    kg_words w = KG_WORDS_INIT;
    const char *s = "Mrs. Cratchit made the gravy hissing hot; Master Peter mashed the potatoes "
                    "with incredible vigour; Martha dusted the hot plates.";
    assert_true(kg_analyse(a, s, 0, strlen(s), 0, &w) > 0);
    int made = word_at(&w, "made"), mashed = word_at(&w, "mashed"), dusted = word_at(&w, "dusted");
    assert_int_equal(w.w[made].head, -1);
    assert_int_equal(w.w[mashed].head, made);
    assert_int_equal(w.w[mashed].dep, KG_D_PARATAXIS);
    assert_int_equal(w.w[dusted].head, made);
    assert_int_equal(w.w[dusted].dep, KG_D_PARATAXIS);
    int peter = word_at(&w, "Peter"), master = word_at(&w, "Master");
    assert_true(w.w[peter].head == mashed ||
                (w.w[peter].head == master && w.w[master].head == mashed));
    assert_int_equal(w.w[word_at(&w, "Martha")].head, dusted);
    assert_int_equal(w.w[word_at(&w, "Martha")].dep, KG_D_NSUBJ);
    /* every head inside the sentence, one root */
    int roots = 0;
    for (int i = 0; i < w.n; i++) {
        roots += w.w[i].head < 0;
        assert_true(w.w[i].head < w.n);
    }
    assert_int_equal(roots, 1);
    /* no clause after the semicolon: the sentence is parsed whole, as it
     * always was (the same heads as the parser alone gives) */
    const char *t[] = {
        "The offices are in Paris, France; Lyon, France; and Rome, Italy.",
        ("Evelyn grew weary of such usage; and, without a witness, consented to a marriage "
         "with John."),
        "Scrooge signed it; and, without him, consented to the sale.",
    };
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        assert_true(kg_analyse(a, t[k], 0, strlen(t[k]), 0, &w) > 0);
        kg_words whole = KG_WORDS_INIT;
        assert_true(kg_words_from_text(&whole, t[k], 0, strlen(t[k]), KG_ANALYSE_MAX_WORDS) > 0);
        kg_postag_run(kg_analyser_tagger(a), &whole);
        kg_depparse_run(kg_analyser_parser(a), &whole);
        assert_int_equal(whole.n, w.n);
        for (int i = 0; i < w.n; i++) {
            assert_int_equal(whole.w[i].head, w.w[i].head);
            assert_int_equal(whole.w[i].dep, w.w[i].dep);
        }
        kg_words_free(&whole);
    }
    kg_words_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conllu_reader),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_lemmas),
        cmocka_unit_test(test_train_tagger_and_parser),
        cmocka_unit_test(test_feature_version_refused),
        cmocka_unit_test(test_ftable),
        cmocka_unit_test(test_builtin_models),
        cmocka_unit_test(test_semicolon_clauses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
