/* dotenv: see dotenv.h.  The parser is deliberately small: no variable
 * expansion and no multi-line values, so what a line says is what is set. */
#include "config/dotenv.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int valid_name(const char *k)
{
    if (!*k || isdigit((unsigned char)*k))
        return 0;
    for (const char *p = k; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return 0;
    return 1;
}

int kg_dotenv_load(const char *path, int *loaded, kg_err *err)
{
    if (loaded)
        *loaded = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return KG_OK;
        return kg_err_set(err, KG_EIO, "%s: %s", path, strerror(errno));
    }
    char line[16384];
    int lineno = 0, rc = KG_OK, n = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        if (strncmp(s, "export ", 7) == 0)
            s = trim(s + 7);
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = kg_err_set(err, KG_EINVAL, "%s:%d: expected NAME=VALUE", path, lineno);
            break;
        }
        *eq = '\0';
        char *k = trim(s);
        char *v = trim(eq + 1);
        if (!valid_name(k)) {
            rc = kg_err_set(err, KG_EINVAL,
                            "%s:%d: '%s' is not a variable name (letters, digits, _)", path, lineno,
                            k);
            break;
        }
        size_t vl = strlen(v);
        if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
            v[vl - 1] = '\0';
            v++;
        } else {
            /* An unquoted value may carry a trailing " # comment". */
            char *hash = strstr(v, " #");
            if (hash) {
                *hash = '\0';
                v = trim(v);
            }
        }
        if (getenv(k))
            continue; /* the real environment wins */
        if (setenv(k, v, 0) != 0) {
            rc = kg_err_set(err, KG_EIO, "%s:%d: cannot set %s: %s", path, lineno, k,
                            strerror(errno));
            break;
        }
        n++;
    }
    /* The line buffer may have held a key: wipe it before returning. */
    memset(line, 0, sizeof line);
    fclose(f);
    if (loaded)
        *loaded = n;
    return rc;
}
