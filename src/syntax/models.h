/* models: the sentence-analysis models kgas ships, built into the binary.
 *
 * models/pos.kgm and models/parse.kgm (trained by `make analysis-models`,
 * committed; docs/relations.md says from what) are linked into kgas's
 * read-only data at build time by syntax/models.cmake, so the binary finds
 * them without any path or setting.  kg_model_open checks the bytes (magic,
 * version, kind, layout: ml/mfile's kg_mfile_open_builtin; the checksum,
 * which would hash every byte in every process, is verified by the tests
 * on the committed files) when first asked; a binary built without a
 * model, or with a malformed one, gets an error that says which model and
 * what to do, never an empty model. */
#ifndef KG_NLP_MODELS_H
#define KG_NLP_MODELS_H

#include "base/err.h"
#include "ml/mfile.h"

/* kind: "pos" or "parse".  The caller closes *out. */
int kg_model_open(const char *kind, kg_mfile **out, kg_err *err);

#endif
