/* load_internal: what the per-format loaders share; not for use outside text/. */
#ifndef KG_TEXT_LOAD_INTERNAL_H
#define KG_TEXT_LOAD_INTERNAL_H

#include "text/load.h"

/* The loaders, one per line of text/load_list.h. */
#define KG_LOADER(id, kind, extensions, load) kg_loader_fn load;
#include "text/load_list.h"
#undef KG_LOADER

/* The file name without its directory (caller frees). */
char *kg_load_file_name(const char *path);
/* Push one segment, turning a stop request into KG_ECANCELED. */
int kg_load_push(const kg_load_sink *sink, int page, const char *s, size_t len, const char *path,
                 kg_err *err);

#endif
