/* fuzz_markdown: the Markdown and plain-text loader (text/load): streaming,
 * headings as sections, UTF-8 repair and normalisation across reads.  The
 * first byte picks Markdown or plain text. */
#include "common.h"
#include "text/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        fz_load("note.txt", KG_KIND_TXT, data + 1, size - 1);
    else
        fz_load("note.md", KG_KIND_MD, data + 1, size - 1);
    return 0;
}
