/* tool_get_paper: `get_paper`: one paper of the corpus as `kgas paper
 * ID|TITLE --json` shows it (tools/paper_view): the record read at ingest
 * (header, sections, references) and the papers that cite it, with their
 * citing sentences.  A read tool, cached until the database changes. */
#include "tools/paper_view.h"
#include "tools/registry.h"
#include "kg_tool_schemas.h"

static int run(kg_tool_ctx *ctx, json_t *args, json_t **result, kg_err *err)
{
    kg_store *s = NULL;
    if (kg_tool_open_store(ctx, 1, &s, err) != KG_OK)
        return err->code;
    int rc = kg_paper_view_json(s, json_string_value(json_object_get(args, "id_or_title")), result,
                                err);
    kg_store_close(s);
    if (rc == KG_ENOTFOUND)
        kg_err_prefix(err, "argument 'id_or_title'");
    return rc;
}

const kg_tool kg_tool_get_paper = {
    .name = "get_paper",
    .title = "Paper",
    .description =
        "One paper of the corpus: what was read from it at ingest (title, authors with "
        "affiliations and e-mail, year, venue, DOI, arXiv id, abstract, sections, the parsed "
        "references) and cited_by, the papers of the corpus that cite it, each with its "
        "document and the sentences that cite. id_or_title is a document id, a title (any "
        "case), or part of a title (the closest document is taken); a work only cited in the "
        "corpus (not ingested) gives its title and citers, with ingested false.",
    .input_schema = kg_schema_get_paper_in,
    .output_schema = kg_schema_get_paper_out,
    .flags = KG_TOOL_READ,
    .hints = KG_HINTS_DECLARED | KG_HINT_READ_ONLY | KG_HINT_IDEMPOTENT,
    .run = run,
    .sample_args = "{\"id_or_title\": \"Sample\"}",
};
