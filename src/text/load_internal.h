/* load_internal: what the per-format loaders share; not for use outside text/. */
#ifndef KG_TEXT_LOAD_INTERNAL_H
#define KG_TEXT_LOAD_INTERNAL_H

#include "text/load.h"

/* Plain text (md = 0) or Markdown (md = 1), streamed from the checked path. */
int kg_load_stream(const kg_path_policy *policy, const char *path, int md, const kg_load_sink *sink,
                   kg_load_info *info, kg_err *err);
int kg_load_html(const kg_path_policy *policy, const char *path, const kg_load_sink *sink,
                 kg_load_info *info, kg_err *err);
int kg_load_pdf(const kg_path_policy *policy, const char *path, const kg_load_sink *sink,
                kg_load_info *info, kg_err *err);

/* The file name without its directory (caller frees). */
char *kg_load_file_name(const char *path);
/* Push one segment, turning a stop request into KG_ECANCELED. */
int kg_load_push(const kg_load_sink *sink, int page, const char *s, size_t len, const char *path,
                 kg_err *err);

#endif
