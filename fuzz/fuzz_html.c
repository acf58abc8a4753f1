/* fuzz_html: the HTML loader (text/load_html): tags, entities, scripts and
 * styles skipped, blocks separated, the <title>. */
#include "common.h"
#include "text/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_load("page.html", KG_KIND_HTML, data, size);
    return 0;
}
