/* fuzz_ner: the entity recogniser on the text of every document kgas
 * ingests (ner/: scanner, rules, the shipped model, the post-pass with its
 * junk rules and the descriptions of ner_desc, the document memory).  The
 * input is the text, any bytes; a NUL byte splits it into two chunks read
 * one after the other with one document memory, as ingest reads a
 * document chunk by chunk.
 *
 * Checked beyond the sanitizers: every mention lies in its chunk, is not
 * empty, starts and ends on a UTF-8 character boundary, has a type and a
 * confidence in [0, 1]; mentions come in text order and do not overlap. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "ner/ner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int boundary(const char *t, size_t len, uint32_t at)
{
    return at == len || (at < len && ((unsigned char)t[at] & 0xC0) != 0x80);
}

/* Well-formed UTF-8?  The boundary check holds only for such text, which
 * is what the loaders give the recogniser; any other bytes must still cost
 * no crash.  jansson refuses ill-formed UTF-8 (the check fuzz/common.c
 * makes of the loaders' text). */
static int valid_utf8(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    int ok = j != NULL;
    json_decref(j);
    return ok;
}

static void check(const char *t, size_t len, const kg_ner_result *r)
{
    int utf8 = valid_utf8(t, len);
    uint32_t prev_end = 0;
    for (size_t i = 0; i < r->n; i++) {
        const kg_ner_mention *m = &r->v[i];
        if (m->start >= m->end || m->end > len ||
            (utf8 && (!boundary(t, len, m->start) || !boundary(t, len, m->end))) ||
            m->type[0] == 0 || !(m->confidence >= 0.0f) || m->confidence > 1.0f ||
            m->start < prev_end)
            abort();
        prev_end = m->end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    (void)fz_dir(); /* logging off */
    char *buf = fz_str(data, size);
    size_t first = strlen(buf); /* up to the first NUL */
    kg_ner_doc *doc = kg_ner_doc_new();
    kg_ner_opts o = KG_NER_OPTS_INIT;
    o.doc = doc;
    kg_ner_result r = KG_NER_RESULT_INIT;
    kg_err e;
    if (kg_ner_run(buf, first, &o, &r, &e) != 0)
        abort(); /* the built-in model loads: nothing else may fail */
    check(buf, first, &r);
    if (first < size) {
        const char *second = buf + first + 1;
        size_t n = size - first - 1;
        if (kg_ner_run(second, n, &o, &r, &e) != 0)
            abort();
        check(second, n, &r);
    }
    kg_ner_result_free(&r);
    kg_ner_doc_free(doc);
    free(buf);
    return 0;
}
