/* ner_classes: the word classes a model is trained with (ml/wclust.h),
 * learnt before the first epoch from the text of the training sentences
 * and of the unlabeled files, tokenised by the recogniser's own scanner
 * and split into its sentences, so that a class is looked up by exactly
 * the token hash the features use.  Labels are not read: the classes see
 * only text. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "ner/conll.h"
#include "ner/ner_train_internal.h"

typedef KG_VEC(uint64_t) hashes;

/* The sentences of text[0..len) as the recogniser splits them. */
static size_t add_text(kg_wclust_builder *b, const char *text, size_t len, hashes *h)
{
    ner_ctx *c = ner_ctx_new(text, len);
    size_t nseg = ner_segments(c, NULL, 0);
    uint32_t *seg = kg_xmalloc((nseg ? nseg : 1) * 2 * sizeof *seg);
    ner_segments(c, seg, nseg);
    for (size_t s = 0; s < nseg; s++) {
        h->n = 0;
        for (size_t i = seg[2 * s]; i < seg[2 * s + 1]; i++)
            kg_vec_push(h, c->tok[i].h);
        kg_wclust_add(b, h->v, h->n);
    }
    size_t n = c->ntok;
    free(seg);
    ner_ctx_free(c);
    return n;
}

/* A file of running text, line by line (a line is a paragraph). */
static int add_file(trainer *t, kg_wclust_builder *b, const char *path, hashes *h, json_t *rec,
                    kg_err *err)
{
    kg_buf data = KG_BUF_INIT;
    int rc = kg_conll_read_file(path, &data, err);
    if (rc) {
        kg_buf_free(&data);
        return kg_err_prefix(err, "unlabeled file");
    }
    const char *text = data.data ? data.data : "";
    if (memchr(text, 0, data.len)) {
        kg_buf_free(&data);
        return kg_err_set(err, KG_EINVAL, "unlabeled file %s: holds NUL bytes, so is not text",
                          path);
    }
    size_t tokens = 0;
    for (size_t i = 0; i < data.len;) {
        const char *nl = memchr(text + i, '\n', data.len - i);
        size_t j = nl ? (size_t)(nl - text) : data.len;
        if (j > i)
            tokens += add_text(b, text + i, j - i, h);
        i = j + 1;
    }
    char sha[65];
    tr_sha256_hex(text, data.len, sha);
    json_array_append_new(rec, json_pack("{s:s,s:s,s:I}", "file", tr_base_name(path), "sha256", sha,
                                         "tokens", (json_int_t)tokens));
    tr_report(t, "read %s: %zu tokens of running text", path, tokens);
    kg_buf_free(&data);
    return KG_OK;
}

int tr_word_classes(trainer *t, kg_err *err)
{
    const kg_ner_train_opts *o = t->o;
    if (!o->class_coarse)
        return KG_OK;
    kg_wclust_opts wo;
    kg_wclust_defaults(&wo);
    wo.coarse = o->class_coarse;
    wo.fine = o->class_fine ? o->class_fine : 1;
    wo.seed = o->seed;
    if (wo.coarse > 4096 || (size_t)wo.coarse * wo.fine >= 65535)
        return kg_err_set(err, KG_EINVAL, "word classes: %u x %u is too many (under 65,535)",
                          wo.coarse, wo.fine);
    kg_wclust_builder *b = kg_wclust_builder_new();
    hashes h = {NULL, 0, 0};
    for (size_t si = 0; si < t->set.ns; si++)
        add_text(b, tr_text(&t->set, si), t->set.s[si].text_len, &h);
    json_t *rec = json_array();
    int rc = KG_OK;
    for (size_t i = 0; i < o->nunlabeled && !rc; i++)
        rc = add_file(t, b, o->unlabeled[i], &h, rec, err);
    free(h.v);
    if (rc) {
        json_decref(rec);
        kg_wclust_builder_free(b);
        return rc;
    }
    kg_mfile_writer *w = kg_mfile_writer_new("ner");
    size_t words = kg_wclust_build(b, &wo, w, NER_CLASSES);
    size_t tokens = kg_wclust_tokens(b);
    kg_wclust_builder_free(b);
    size_t len = 0;
    kg_mfile_bytes(w, &t->cl_bytes, &len);
    kg_mfile_writer_free(w);
    rc = kg_mfile_open_mem(t->cl_bytes, len, "the word classes being trained", "ner", &t->cl_mf,
                           err);
    if (!rc)
        rc = kg_wclust_load(t->cl_mf, NER_CLASSES, &t->cl, err);
    if (!rc) {
        json_object_set_new(t->info, "unlabeled", rec);
        json_object_set_new(t->info, "word_classes",
                            json_pack("{s:i,s:i,s:I,s:I}", "coarse", (int)wo.coarse, "fine",
                                      (int)wo.fine, "tokens", (json_int_t)tokens, "words",
                                      (json_int_t)words));
        tr_report(t, "word classes: %zu words in %u x %u classes, from %zu tokens", words,
                  wo.coarse, wo.fine, tokens);
    } else {
        json_decref(rec);
    }
    return rc;
}
