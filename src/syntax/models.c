/* models: see models.h.  The blob symbols come from the generated files
 * of syntax/models.cmake. */
#include "syntax/models.h"

#include <stdio.h>
#include <string.h>

extern const unsigned char kg_pos_model_blob[], kg_pos_model_blob_end[];
extern const unsigned char kg_parse_model_blob[], kg_parse_model_blob_end[];

int kg_model_open(const char *kind, kg_mfile **out, kg_err *err)
{
    *out = NULL;
    const unsigned char *a, *b;
    const char *what;
    if (strcmp(kind, "pos") == 0) {
        a = kg_pos_model_blob;
        b = kg_pos_model_blob_end;
        what = "part-of-speech";
    } else if (strcmp(kind, "parse") == 0) {
        a = kg_parse_model_blob;
        b = kg_parse_model_blob_end;
        what = "dependency parser";
    } else {
        return kg_err_set(err, KG_EINVAL, "no built-in model of kind '%s'", kind);
    }
    if (b <= a)
        return kg_err_set(err, KG_ENOTFOUND,
                          "this kgas was built without its %s model (models/%s.kgm was missing "
                          "at build time): run `make analysis-models`, then rebuild",
                          what, kind);
    char name[64];
    snprintf(name, sizeof name, "built-in models/%s.kgm", kind);
    return kg_mfile_open_builtin(a, (size_t)(b - a), name, kind, out, err);
}
