/* tool_extract_entities: `extract_entities`: local NER (ner/ner, model and
 * gazetteers) over a given text or a stored chunk.  Nothing is stored: the
 * tool shows what ingest would find, and its mentions feed build_entities.
 *
 * For a chunk the spans are document offsets (the chunk's start added), so
 * they line up with the evidence spans the graph reports.  The result owns
 * its strings; the chunk text read from the database is freed here. */
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "ner/ner.h"
#include "tools/chunk_read.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

#define MAX_MENTIONS_RETURNED 5000

static json_t *evidence_names(uint32_t bits)
{
    json_t *a = json_array();
    for (uint32_t b = 0; b < KG_NER_EV_COUNT; b++)
        if (bits & (1u << b))
            json_array_append_new(a, json_string(kg_ner_evidence_name(1u << b)));
    return a;
}

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    json_t *jtext = json_object_get(args, "text"), *jchunk = json_object_get(args, "chunk_id");
    if ((jtext != NULL) == (jchunk != NULL))
        return kg_err_set(err, KG_EINVAL, "arguments: give exactly one of 'text' or 'chunk_id'");
    char *owned = NULL;
    const char *text;
    size_t len = 0;
    long long base = 0;
    char doc[KG_ID_MAX] = "";
    if (jchunk) {
        int rc = kg_tool_read_chunk(ctx, json_string_value(jchunk), &owned, &len, doc, &base, err);
        if (rc != KG_OK)
            return rc;
        text = owned;
    } else {
        text = json_string_value(jtext);
        len = json_string_length(jtext);
    }
    kg_ner_opts o = KG_NER_OPTS_INIT;
    o.min_confidence = (float)json_number_value(json_object_get(args, "confidence_threshold"));
    kg_ner_result r = KG_NER_RESULT_INIT;
    int rc = kg_ner_run(text, len, &o, &r, err);
    if (rc != KG_OK) {
        free(owned);
        return rc;
    }
    json_t *ms = json_array();
    for (size_t i = 0; i < r.n && i < MAX_MENTIONS_RETURNED; i++) {
        const kg_ner_mention *m = &r.v[i];
        json_t *surface = json_stringn(text + m->start, m->end - m->start);
        json_array_append_new(ms, json_pack("{s:o, s:s, s:I, s:I, s:f, s:s, s:o}", "surface",
                                            surface ? surface : json_string(""), "type", m->type,
                                            "start", (json_int_t)(base + m->start), "end",
                                            (json_int_t)(base + m->end), "confidence",
                                            (double)m->confidence, "method", "rules", "evidence",
                                            evidence_names(m->evidence)));
    }
    *result = json_pack("{s:s, s:I, s:i, s:b, s:o}", "source", jchunk ? "chunk" : "text", "offset",
                        (json_int_t)base, "mention_count", (int)r.n, "truncated",
                        r.n > MAX_MENTIONS_RETURNED, "mentions", ms);
    if (jchunk) {
        json_object_set(*result, "chunk_id", jchunk);
        json_object_set_new(*result, "document_id", json_string(doc));
    }
    kg_ner_result_free(&r);
    free(owned);
    return KG_OK;
}

const kg_tool kg_tool_extract_entities = {
    .name = "extract_entities",
    .title = "Extract entity mentions (local NER)",
    .description =
        "Find named-entity mentions in a text, or in a stored chunk, with the local "
        "recogniser that ingest uses (a tagger trained by kgas, with rules for dates and "
        "amounts; no API). Give exactly one of text "
        "or chunk_id. Each mention has its surface form, type (PERSON, ORG, GPE, LOC, NORP, "
        "EVENT, WORK_OF_ART, LAW, LANGUAGE, PRODUCT, MISC, METHOD, TASK, DATASET, METRIC, "
        "SOFTWARE, VENUE, DATE, MONEY, PERCENT), "
        "UTF-8 byte span [start, end) - in the document when chunk_id is given, so spans "
        "match the graph's evidence - confidence in [0, 1], method \"rules\" and the "
        "evidence rules that fired. Mentions below confidence_threshold are dropped. Nothing "
        "is stored; pass the mentions to build_entities to group them into entities.",
    .input_schema = kg_schema_extract_entities_in,
    .output_schema = kg_schema_extract_entities_out,
    .flags = 0,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"text\": \"Dr. Maria Keller is a professor at the University of Lisbon. "
                   "In 2019 Keller proposed the Graph Echo Network (GEN).\", "
                   "\"confidence_threshold\": 0.3}",
};
