/* fuzz_paper: the paper reader (src/paper: header, authors, affiliations,
 * sections, reference lists in many styles, citations and their
 * sentences, acronyms) as `kgas paper FILE` runs it: the input is a
 * Markdown file (headings become sections, so a "References" heading
 * starts a reference list), loaded by the real loader into the paper
 * builder, then turned into the JSON `kgas paper --json` prints.  Every
 * line is also parsed alone as one bibliography entry (kg_ref_parse). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "paper/paper.h"
#include "paper/paper_json.h"
#include "text/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void each_line_as_a_reference(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        kg_ref r;
        memset(&r, 0, sizeof r);
        kg_ref_parse(s, n, &r);
        kg_ref_clear(&r);
        s += n + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file("paper.md", data, size);
    kg_paper_builder *b = kg_paper_builder_new();
    kg_load_sink sink;
    kg_paper_builder_sink(b, &sink);
    kg_load_info info;
    memset(&info, 0, sizeof info);
    kg_err e;
    if (kg_load_file(fz_policy(), path, KG_KIND_UNKNOWN, &sink, &info, &e) == KG_OK) {
        kg_paper *p = kg_paper_builder_finish(b, &info);
        json_t *j = kg_paper_json(p, KG_PAPER_JSON_CITATIONS);
        char *text = json_dumps(j, JSON_COMPACT);
        if (!text)
            __builtin_trap(); /* invalid UTF-8 or a broken value in the paper */
        free(text);
        json_decref(j);
        kg_paper_free(p);
    }
    kg_load_info_free(&info);
    kg_paper_builder_free(b);
    each_line_as_a_reference(data, size);
    return 0;
}
