/* fuzz_config: the settings file reader (kgas.conf, INI with [sections]),
 * then validation and `kgas config`'s dump of whatever was accepted. */
#include "base/buf.h"
#include "config/config.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file("kgas.conf", data, size);
    kg_config *c = kg_config_new();
    kg_err e;
    if (kg_config_load_file(c, path, 1, &e) == KG_OK) {
        kg_config_validate(c, &e);
        kg_buf out = KG_BUF_INIT;
        kg_config_dump(c, size & 1, &out);
        kg_buf_free(&out);
    }
    kg_config_free(c);
    return 0;
}
