/* log: see log.h.
 *
 * One mutex guards both the redaction registry and the output stream so that
 * lines from different threads never interleave. */
#include "base/log.h"

#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SECRETS 64

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static kg_log_level g_level = KG_LOG_WARN;
static kg_log_format g_format = KG_LOG_PLAIN;
static FILE *g_stream;
static char *g_secrets[MAX_SECRETS];
static size_t g_secret_len[MAX_SECRETS];
static int g_sodium_ready;

void kg_log_set_level(kg_log_level lvl)
{
    g_level = lvl;
}
kg_log_level kg_log_get_level(void)
{
    return g_level;
}
void kg_log_set_format(kg_log_format f)
{
    g_format = f;
}

void kg_log_set_stream(FILE *f)
{
    pthread_mutex_lock(&g_mu);
    g_stream = f;
    pthread_mutex_unlock(&g_mu);
}

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

const char *kg_log_level_name(kg_log_level lvl)
{
    if ((int)lvl < 0 || lvl > KG_LOG_OFF)
        return "?";
    return level_names[lvl];
}

int kg_log_level_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i <= KG_LOG_OFF; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    if (strcmp(s, "warning") == 0)
        return KG_LOG_WARN;
    return -1;
}

int kg_log_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "plain") == 0)
        return KG_LOG_PLAIN;
    if (strcmp(s, "json") == 0)
        return KG_LOG_JSON;
    return -1;
}

/* Caller holds g_mu. */
static void redact_locked(char *buf, size_t cap)
{
    static const char mark[] = "[REDACTED]";
    const size_t mlen = sizeof mark - 1;
    for (int i = 0; i < MAX_SECRETS; i++) {
        if (!g_secrets[i])
            continue;
        size_t slen = g_secret_len[i];
        char *p = buf;
        while ((p = strstr(p, g_secrets[i])) != NULL) {
            size_t tail = strlen(p + slen);
            size_t used = (size_t)(p - buf);
            /* Shift the tail so the marker fits; truncate if buffer is full. */
            if (used + mlen + tail + 1 > cap)
                tail = cap > used + mlen + 1 ? cap - used - mlen - 1 : 0;
            if (used + mlen + 1 > cap) {
                *p = '\0';
                break;
            }
            memmove(p + mlen, p + slen, tail);
            p[mlen + tail] = '\0';
            memcpy(p, mark, mlen);
            p += mlen;
        }
    }
}

void kg_redact_inplace(char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    pthread_mutex_lock(&g_mu);
    redact_locked(buf, cap);
    pthread_mutex_unlock(&g_mu);
}

int kg_redact_register(const char *secret)
{
    if (!secret || strlen(secret) < KG_REDACT_MIN_LEN)
        return -1;
    int rc = -1;
    pthread_mutex_lock(&g_mu);
    if (!g_sodium_ready) {
        if (sodium_init() < 0)
            goto out;
        g_sodium_ready = 1;
    }
    size_t len = strlen(secret);
    for (int i = 0; i < MAX_SECRETS; i++)
        if (g_secrets[i] && g_secret_len[i] == len && memcmp(g_secrets[i], secret, len) == 0) {
            rc = 0;
            goto out;
        }
    for (int i = 0; i < MAX_SECRETS; i++) {
        if (g_secrets[i])
            continue;
        /* Guarded, mlock()ed memory: never swapped, wiped on free. */
        char *copy = sodium_malloc(len + 1);
        if (!copy)
            goto out;
        memcpy(copy, secret, len + 1);
        g_secrets[i] = copy;
        g_secret_len[i] = len;
        rc = 0;
        goto out;
    }
out:
    pthread_mutex_unlock(&g_mu);
    return rc;
}

void kg_redact_unregister(const char *secret)
{
    if (!secret)
        return;
    size_t len = strlen(secret);
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < MAX_SECRETS; i++)
        if (g_secrets[i] && g_secret_len[i] == len && memcmp(g_secrets[i], secret, len) == 0) {
            sodium_free(g_secrets[i]); /* sodium_free wipes before freeing */
            g_secrets[i] = NULL;
            g_secret_len[i] = 0;
        }
    pthread_mutex_unlock(&g_mu);
}

void kg_redact_clear(void)
{
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < MAX_SECRETS; i++)
        if (g_secrets[i]) {
            sodium_free(g_secrets[i]);
            g_secrets[i] = NULL;
            g_secret_len[i] = 0;
        }
    pthread_mutex_unlock(&g_mu);
}

static void json_escape_to(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
}

void kg_log(kg_log_level lvl, const char *fmt, ...)
{
    if (lvl < g_level || lvl >= KG_LOG_OFF)
        return;
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[96];
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);

    pthread_mutex_lock(&g_mu);
    redact_locked(msg, sizeof msg);
    FILE *out = g_stream ? g_stream : stderr;
    if (g_format == KG_LOG_JSON) {
        fprintf(out, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"", when, level_names[lvl]);
        json_escape_to(out, msg);
        fputs("\"}\n", out);
    } else {
        fprintf(out, "%s kgas %s: %s\n", when, level_names[lvl], msg);
    }
    fflush(out);
    pthread_mutex_unlock(&g_mu);
}
