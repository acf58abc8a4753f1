/* log: levelled logging to stderr, plain or JSON lines, with secret redaction.
 *
 * Any string registered with kg_redact_register() is replaced by [REDACTED]
 * in every log line and every kg_err message, whatever path produced it.
 * The registry keeps its own copies of secrets in libsodium guarded memory
 * and wipes them when they are unregistered or at kg_redact_clear().
 * All functions are thread-safe. */
#ifndef KG_BASE_LOG_H
#define KG_BASE_LOG_H

#include <stddef.h>
#include <stdio.h>

typedef enum kg_log_level {
    KG_LOG_DEBUG = 0,
    KG_LOG_INFO = 1,
    KG_LOG_WARN = 2,
    KG_LOG_ERROR = 3,
    KG_LOG_OFF = 4,
} kg_log_level;

typedef enum kg_log_format {
    KG_LOG_PLAIN = 0,
    KG_LOG_JSON = 1
} kg_log_format;

void kg_log_set_level(kg_log_level lvl);
kg_log_level kg_log_get_level(void);
void kg_log_set_format(kg_log_format f);
/* Where lines go (default stderr). Tests point it at a file. */
void kg_log_set_stream(FILE *f);

/* Parse "debug|info|warn|error|off" / "plain|json"; -1 when unknown. */
int kg_log_level_parse(const char *s);
int kg_log_format_parse(const char *s);
const char *kg_log_level_name(kg_log_level lvl);

void kg_log(kg_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define kg_debug(...) kg_log(KG_LOG_DEBUG, __VA_ARGS__)
#define kg_info(...) kg_log(KG_LOG_INFO, __VA_ARGS__)
#define kg_warn(...) kg_log(KG_LOG_WARN, __VA_ARGS__)
#define kg_error(...) kg_log(KG_LOG_ERROR, __VA_ARGS__)

/* Secrets shorter than this are refused: redacting "a" would shred logs. */
#define KG_REDACT_MIN_LEN 4

/* Register a secret; 0 on success, negative when too short or no memory. */
int kg_redact_register(const char *secret);
/* Forget (and wipe) a secret previously registered. */
void kg_redact_unregister(const char *secret);
/* Forget and wipe all secrets. */
void kg_redact_clear(void);
/* Replace every registered secret in buf (NUL-terminated, capacity cap). */
void kg_redact_inplace(char *buf, size_t cap);

#endif
