/* fuzz_pdf: the PDF loader's wrapper (text/load_pdf over poppler-glib,
 * opened at first use): damaged, encrypted and odd files must give an error
 * or text, never a crash in kgas's code.  Poppler itself is not
 * instrumented (a system library), so this fuzzes the wrapper's handling
 * of what poppler returns more than poppler. */
#include "common.h"
#include "text/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_load("paper.pdf", KG_KIND_PDF, data, size);
    return 0;
}
