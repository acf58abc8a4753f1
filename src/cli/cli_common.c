/* cli_common: see cli_common.h. */
#include "cli/cli_common.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void kg_cli_error(const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "kgas: %s\n", buf);
}

int kg_cli_usage_error(const kg_cli *c, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "kgas %s: %s\n(see `kgas %s --help`)\n", c->cmd, buf, c->cmd);
    return KG_EXIT_USAGE;
}

int kg_cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int kg_cli_opt_value(kg_cli *c, int *i, const char *name, const char **val)
{
    const char *a = c->argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= c->argc) {
        kg_cli_usage_error(c, "option %s needs a value", name);
        return -1;
    }
    *val = c->argv[++*i];
    return 1;
}

int kg_cli_parse_int(kg_cli *c, const char *opt, const char *s, long min, long max, long *out)
{
    errno = 0;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        kg_cli_usage_error(c, "%s: '%s' is not a whole number in %ld..%ld", opt, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int kg_cli_set_flag(kg_cli *c, const char *setting, const char *flag, const char *value)
{
    kg_err e;
    if (kg_config_set(c->cfg, setting, value, KG_SRC_FLAG, flag, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        return KG_EXIT_USAGE;
    }
    return 0;
}

kg_store *kg_cli_open_store(kg_cli *c, int readonly)
{
    const char *path = kg_config_str(c->cfg, "db");
    /* A CLI reader is one short process: it maps the file (store.h). */
    kg_store_opts o = {readonly ? KG_STORE_READONLY | KG_STORE_MAP : 0,
                       (int)kg_config_int(c->cfg, "busy_timeout_ms")};
    kg_store *s = NULL;
    kg_err e;
    if (kg_store_open(path, &o, &s, &e) != KG_OK) {
        if (readonly && e.code == KG_EDB && strstr(e.msg, "unable to open"))
            kg_cli_error("no database at %s (run `kgas ingest PATH` first, or pass --db)", path);
        else
            kg_cli_error("%s", e.msg);
        return NULL;
    }
    return s;
}

void kg_cli_print_json(void *json)
{
    json_t *j = json;
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
    json_decref(j);
}

int kg_cli_finish_settings(kg_cli *c)
{
    kg_err e;
    if (kg_config_validate(c->cfg, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        return KG_EXIT_USAGE;
    }
    c->policy.max_bytes = (uint64_t)kg_config_int(c->cfg, "max_file_bytes");
    const char *roots = kg_config_str(c->cfg, "allowed_roots");
    if (roots && *roots && kg_path_policy_add_roots(&c->policy, roots, &e) != KG_OK) {
        kg_cli_error("setting allowed_roots from %s: %s",
                     kg_config_origin_of(c->cfg, "allowed_roots"), e.msg);
        return KG_EXIT_USAGE;
    }
    return 0;
}

static int ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void kg_cli_print_oneline(FILE *out, const char *s, size_t max)
{
    /* Whitespace runs become one space, so an indented snippet stays
     * indented; past max bytes the text stops at the last space before it
     * (else at a character boundary), followed by "...". */
    size_t len = s ? strlen(s) : 0, n = 0;
    char *t = kg_xmalloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        if (!ascii_space((unsigned char)s[i]))
            t[n++] = s[i];
        else if (n && !ascii_space((unsigned char)s[i + 1]) && s[i + 1])
            t[n++] = ' ';
    }
    if (max && n > max) {
        size_t k = max;
        while (k > 0 && t[k] != ' ')
            k--;
        if (k == 0)
            for (k = max; k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80; k--)
                ;
        n = k;
        fwrite(t, 1, n, out);
        fputs("...", out);
    } else {
        fwrite(t, 1, n, out);
    }
    free(t);
}

void kg_cli_print_padded(FILE *out, const char *s, int width)
{
    if (!s)
        s = "";
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s), i = 0;
    int cols = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, n - i, &cp);
        if (k < 0) {
            cols++; /* a broken byte prints as one replacement character */
            k = 1;
        } else {
            cols += utf8proc_charwidth(cp);
        }
        i += k;
    }
    fputs(s, out);
    for (; cols < width; cols++)
        fputc(' ', out);
}

int kg_cli_check_text(const kg_cli *c, const char *what, const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s), i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, n - i, &cp);
        if (k < 0)
            return kg_cli_usage_error(c, "%s is not valid UTF-8 (byte 0x%02x at offset %ld)", what,
                                      (unsigned)p[i], (long)i);
        i += k;
    }
    return 0;
}
