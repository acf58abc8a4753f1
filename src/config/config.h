/* config: settings, from built-in defaults < config file < environment < flags.
 *
 * Every setting kgas knows is declared once in config.c's table with its
 * type, default, allowed range and a line of help.  Values are validated as
 * they are set; an invalid one is an error naming the setting, where the
 * value came from, the value and what is allowed.  Unknown keys are errors
 * with a "did you mean" suggestion.
 *
 * Names are "key" or "section.key" (INI sections: "[pagerank]\ndamping = 0.9"
 * sets pagerank.damping).  The environment name of a setting is KGAS_ + the
 * upper-cased name with '.' as '_' (KGAS_CHUNK_SIZE, KGAS_LLM_API_KEY).
 * Secret settings are registered with the log redactor the moment they are
 * set and are only ever shown as [set] / [unset].
 *
 * A kg_config owns all its strings; getters return pointers valid until the
 * setting changes or the config is freed. */
#ifndef KG_CONFIG_CONFIG_H
#define KG_CONFIG_CONFIG_H

#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

typedef enum kg_config_source {
    KG_SRC_DEFAULT = 0,
    KG_SRC_FILE,
    KG_SRC_ENV,
    KG_SRC_FLAG,
    KG_SRC_CALL, /* set by a tool call or a test */
} kg_config_source;

typedef struct kg_config kg_config;

kg_config *kg_config_new(void);
void kg_config_free(kg_config *c);

/* Set name to the textual value, validating it.  `origin` says where it came
 * from for messages ("kgas.conf:12", "KGAS_CHUNK_SIZE", "--chunk-size"). */
int kg_config_set(kg_config *c, const char *name, const char *value, kg_config_source src,
                  const char *origin, kg_err *err);

/* Load an INI file.  When `required` is 0 a missing file is not an error. */
int kg_config_load_file(kg_config *c, const char *path, int required, kg_err *err);

/* Load every KGAS_* variable of envp (NULL-terminated, e.g. environ). */
int kg_config_load_env(kg_config *c, char *const *envp, kg_err *err);

/* Checks that involve two settings (overlap < chunk_size / 2, ...). */
int kg_config_validate(const kg_config *c, kg_err *err);

int64_t kg_config_int(const kg_config *c, const char *name);
double kg_config_double(const kg_config *c, const char *name);
int kg_config_bool(const kg_config *c, const char *name);
/* NULL when unset (strings default to NULL or their documented default). */
const char *kg_config_str(const kg_config *c, const char *name);
kg_config_source kg_config_source_of(const kg_config *c, const char *name);
const char *kg_config_origin_of(const kg_config *c, const char *name);
const char *kg_config_source_name(kg_config_source s);

/* True when name is a known setting. */
int kg_config_known(const char *name);

/* Effective settings, one per line ("name = value  (source)") or as a JSON
 * object {"name": {"value": ..., "source": ..., "origin": ...}}. Secrets are
 * "[set]" / "[unset]". */
void kg_config_dump(const kg_config *c, int json, kg_buf *out);

/* Levenshtein distance, exposed for "did you mean" elsewhere (commands). */
int kg_edit_distance(const char *a, const char *b);

#endif
