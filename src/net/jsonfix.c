/* jsonfix: see jsonfix.h. */
#include "net/jsonfix.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* Copy s[0..n) dropping commas that are followed (after blanks) by a
 * closing bracket, outside strings. */
static char *drop_trailing_commas(const char *s, size_t n, size_t *out_len)
{
    char *o = kg_xmalloc(n + 1);
    size_t k = 0;
    int in_str = 0, esc = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (ch == '\\')
                esc = 1;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == ',') {
            size_t j = i + 1;
            while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
                j++;
            if (j < n && (s[j] == '}' || s[j] == ']'))
                continue;
        }
        o[k++] = ch;
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

json_t *kg_jsonfix_parse(const char *text, size_t len, kg_err *err)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, &je);
    if (j)
        return j;
    /* Skip prose and fences: start at the first bracket. */
    size_t a = 0;
    while (a < len && text[a] != '{' && text[a] != '[')
        a++;
    if (a == len) {
        kg_err_set(err, KG_EFORMAT, "model output holds no JSON object or array");
        return NULL;
    }
    char close = text[a] == '{' ? '}' : ']';
    /* End at the last matching closer: anything after it (a closing fence,
     * a remark) is dropped. */
    size_t b = len;
    while (b > a && text[b - 1] != close)
        b--;
    if (b == a) {
        kg_err_set(err, KG_EFORMAT, "model output is cut short: no closing '%c'", close);
        return NULL;
    }
    size_t n = 0;
    char *fixed = drop_trailing_commas(text + a, b - a, &n);
    j = json_loadb(fixed, n, 0, &je);
    free(fixed);
    if (!j)
        kg_err_set(err, KG_EFORMAT, "model output is not valid JSON (%s, line %d column %d)",
                   je.text, je.line, je.column);
    return j;
}
