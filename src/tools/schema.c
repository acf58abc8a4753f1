/* schema: JSON Schema subset validator (see schema.h).
 *
 * Validation is a recursive walk carrying the instance path in a small
 * fixed buffer; the first failure wins, because one precise message is more
 * useful to a model than a list of consequences of the same mistake. */
#include "tools/schema.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"

#define PATH_MAX_LEN 256

static const char *const KNOWN_KEYS[] = {
    "type",
    "required",
    "properties",
    "additionalProperties",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "items",
    "oneOf",
    "anyOf",
    "default",
    "title",
    "description",
    "examples",
    "$schema",
    "format",
};

static const char *const TYPE_NAMES[] = {"string", "integer", "number", "boolean",
                                         "object", "array",   "null"};

static int known_type(const char *t)
{
    for (size_t i = 0; i < sizeof TYPE_NAMES / sizeof TYPE_NAMES[0]; i++)
        if (strcmp(t, TYPE_NAMES[i]) == 0)
            return 1;
    return 0;
}

static int check_at(const json_t *s, const char *where, kg_err *err)
{
    if (!json_is_object(s))
        return kg_err_set(err, KG_EINVAL, "schema at %s: must be an object", where);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)s, k, v)
    {
        int ok = 0;
        for (size_t i = 0; i < sizeof KNOWN_KEYS / sizeof KNOWN_KEYS[0]; i++)
            if (strcmp(k, KNOWN_KEYS[i]) == 0)
                ok = 1;
        if (!ok)
            return kg_err_set(err, KG_EINVAL,
                              "schema at %s: keyword '%s' is not supported by the validator", where,
                              k);
    }
    json_t *t = json_object_get(s, "type");
    if (t) {
        if (json_is_string(t)) {
            if (!known_type(json_string_value(t)))
                return kg_err_set(err, KG_EINVAL, "schema at %s: unknown type '%s'", where,
                                  json_string_value(t));
        } else if (json_is_array(t)) {
            size_t i;
            json_t *e;
            json_array_foreach(t, i, e)
            {
                if (!json_is_string(e) || !known_type(json_string_value(e)))
                    return kg_err_set(err, KG_EINVAL, "schema at %s: bad type list", where);
            }
        } else {
            return kg_err_set(err, KG_EINVAL, "schema at %s: type must be a string or list", where);
        }
    }
    json_t *props = json_object_get(s, "properties");
    if (props) {
        if (!json_is_object(props))
            return kg_err_set(err, KG_EINVAL, "schema at %s: properties must be an object", where);
        json_object_foreach(props, k, v)
        {
            char sub[PATH_MAX_LEN];
            snprintf(sub, sizeof sub, "%s.%s", where, k);
            if (check_at(v, sub, err) != 0)
                return err ? err->code : KG_EINVAL;
        }
    }
    json_t *req = json_object_get(s, "required");
    if (req) {
        size_t i;
        json_t *e;
        if (!json_is_array(req))
            return kg_err_set(err, KG_EINVAL, "schema at %s: required must be a list", where);
        json_array_foreach(req, i, e)
        {
            if (!json_is_string(e))
                return kg_err_set(err, KG_EINVAL, "schema at %s: required names strings", where);
        }
    }
    json_t *ap = json_object_get(s, "additionalProperties");
    if (ap && !json_is_boolean(ap) && check_at(ap, where, err) != 0)
        return KG_EINVAL;
    json_t *items = json_object_get(s, "items");
    if (items && check_at(items, where, err) != 0)
        return KG_EINVAL;
    const char *num_keys[] = {"minimum",   "maximum",   "exclusiveMinimum", "exclusiveMaximum",
                              "minLength", "maxLength", "minItems",         "maxItems"};
    for (size_t i = 0; i < sizeof num_keys / sizeof num_keys[0]; i++) {
        json_t *n = json_object_get(s, num_keys[i]);
        if (n && !json_is_number(n))
            return kg_err_set(err, KG_EINVAL, "schema at %s: %s must be a number", where,
                              num_keys[i]);
    }
    json_t *en = json_object_get(s, "enum");
    if (en && (!json_is_array(en) || json_array_size(en) == 0))
        return kg_err_set(err, KG_EINVAL, "schema at %s: enum must be a non-empty list", where);
    const char *alts[] = {"oneOf", "anyOf"};
    for (size_t a = 0; a < 2; a++) {
        json_t *l = json_object_get(s, alts[a]);
        if (!l)
            continue;
        if (!json_is_array(l) || json_array_size(l) == 0)
            return kg_err_set(err, KG_EINVAL, "schema at %s: %s must be a non-empty list", where,
                              alts[a]);
        size_t i;
        json_t *e;
        json_array_foreach(l, i, e)
        {
            if (check_at(e, where, err) != 0)
                return KG_EINVAL;
        }
    }
    /* A default is filled in for the caller, so it must itself be valid
     * (found by fuzz/fuzz_schema). */
    json_t *def = json_object_get(s, "default");
    kg_err ve;
    if (def && kg_schema_validate(s, def, &ve) != 0)
        return kg_err_set(err, KG_EINVAL, "schema at %s: its default does not match it (%s)", where,
                          ve.msg);
    return KG_OK;
}

int kg_schema_check(const json_t *schema, kg_err *err)
{
    return check_at(schema, "(root)", err);
}

/* ---- validation -------------------------------------------------------- */

static int is_integral(const json_t *v)
{
    if (json_is_integer(v))
        return 1;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return isfinite(d) && floor(d) == d;
    }
    return 0;
}

static int type_matches(const char *t, const json_t *v)
{
    if (strcmp(t, "string") == 0)
        return json_is_string(v);
    if (strcmp(t, "integer") == 0)
        return is_integral(v);
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    if (strcmp(t, "boolean") == 0)
        return json_is_boolean(v);
    if (strcmp(t, "object") == 0)
        return json_is_object(v);
    if (strcmp(t, "array") == 0)
        return json_is_array(v);
    if (strcmp(t, "null") == 0)
        return json_is_null(v);
    return 0;
}

static const char *kind_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

static const char *article(const char *t)
{
    return (t[0] == 'a' || t[0] == 'i' || t[0] == 'o') ? "an" : "a";
}

/* Short rendering of a value for messages (truncated). */
static void show(const json_t *v, char *out, size_t cap)
{
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!s) {
        snprintf(out, cap, "?");
        return;
    }
    if (strlen(s) > 60)
        snprintf(out, cap, "%.57s...", s);
    else
        snprintf(out, cap, "%s", s);
    free(s);
}

static void fmt_num(double d, char *out, size_t cap)
{
    if (floor(d) == d && fabs(d) < 1e15)
        snprintf(out, cap, "%.0f", d);
    else
        snprintf(out, cap, "%g", d);
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static int fail(kg_err *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(kg_err *err, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kg_err_setv(err, KG_EINVAL, fmt, ap);
    va_end(ap);
    if (path[0])
        return kg_err_prefix(err, "argument '%s'", path);
    return kg_err_prefix(err, "arguments");
}

static int validate_at(const json_t *s, const json_t *v, const char *path, kg_err *err);

static void join_key(char *out, size_t cap, const char *path, const char *key)
{
    if (path[0])
        snprintf(out, cap, "%s.%s", path, key);
    else
        snprintf(out, cap, "%s", key);
}

static int validate_type(const json_t *s, const json_t *v, const char *path, kg_err *err)
{
    json_t *t = json_object_get(s, "type");
    if (!t)
        return KG_OK;
    char shown[80];
    if (json_is_string(t)) {
        const char *tn = json_string_value(t);
        if (type_matches(tn, v))
            return KG_OK;
        show(v, shown, sizeof shown);
        return fail(err, path, "expected %s %s, got %s (%s)", article(tn), tn, kind_of(v), shown);
    }
    size_t i;
    json_t *e;
    kg_buf names = KG_BUF_INIT;
    json_array_foreach(t, i, e)
    {
        if (type_matches(json_string_value(e), v)) {
            kg_buf_free(&names);
            return KG_OK;
        }
        kg_buf_printf(&names, "%s%s", i ? " or " : "", json_string_value(e));
    }
    show(v, shown, sizeof shown);
    fail(err, path, "expected %s, got %s (%s)", kg_buf_str(&names), kind_of(v), shown);
    kg_buf_free(&names);
    return KG_EINVAL;
}

static int validate_number(const json_t *s, const json_t *v, const char *path, kg_err *err)
{
    if (!json_is_number(v))
        return KG_OK;
    double d = json_number_value(v);
    char a[64], b[64];
    json_t *m;
    fmt_num(d, a, sizeof a);
    if ((m = json_object_get(s, "minimum")) && d < json_number_value(m)) {
        fmt_num(json_number_value(m), b, sizeof b);
        return fail(err, path, "%s is below the minimum %s", a, b);
    }
    if ((m = json_object_get(s, "maximum")) && d > json_number_value(m)) {
        fmt_num(json_number_value(m), b, sizeof b);
        return fail(err, path, "%s is above the maximum %s", a, b);
    }
    if ((m = json_object_get(s, "exclusiveMinimum")) && d <= json_number_value(m)) {
        fmt_num(json_number_value(m), b, sizeof b);
        return fail(err, path, "%s must be greater than %s", a, b);
    }
    if ((m = json_object_get(s, "exclusiveMaximum")) && d >= json_number_value(m)) {
        fmt_num(json_number_value(m), b, sizeof b);
        return fail(err, path, "%s must be less than %s", a, b);
    }
    return KG_OK;
}

static int validate_string(const json_t *s, const json_t *v, const char *path, kg_err *err)
{
    if (!json_is_string(v))
        return KG_OK;
    size_t n = utf8_len(json_string_value(v));
    json_t *m;
    if ((m = json_object_get(s, "minLength")) && (double)n < json_number_value(m))
        return fail(err, path, "length %zu is below the minimum length %.0f", n,
                    json_number_value(m));
    if ((m = json_object_get(s, "maxLength")) && (double)n > json_number_value(m))
        return fail(err, path, "length %zu is above the maximum length %.0f", n,
                    json_number_value(m));
    return KG_OK;
}

static int validate_array(const json_t *s, const json_t *v, const char *path, kg_err *err)
{
    if (!json_is_array(v))
        return KG_OK;
    size_t n = json_array_size(v);
    json_t *m;
    if ((m = json_object_get(s, "minItems")) && (double)n < json_number_value(m))
        return fail(err, path, "has %zu item%s, needs at least %.0f", n, n == 1 ? "" : "s",
                    json_number_value(m));
    if ((m = json_object_get(s, "maxItems")) && (double)n > json_number_value(m))
        return fail(err, path, "has %zu items, at most %.0f are allowed", n, json_number_value(m));
    json_t *items = json_object_get(s, "items");
    if (items) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            char sub[PATH_MAX_LEN];
            snprintf(sub, sizeof sub, "%s[%zu]", path[0] ? path : "arguments", i);
            if (validate_at(items, e, sub, err) != 0)
                return KG_EINVAL;
        }
    }
    return KG_OK;
}

static int validate_object(const json_t *s, const json_t *v, const char *path, kg_err *err)
{
    if (!json_is_object(v))
        return KG_OK;
    json_t *props = json_object_get(s, "properties");
    json_t *req = json_object_get(s, "required");
    size_t i;
    json_t *e;
    char sub[PATH_MAX_LEN];
    json_array_foreach(req, i, e)
    {
        const char *name = json_string_value(e);
        if (!json_object_get(v, name)) {
            join_key(sub, sizeof sub, path, name);
            return kg_err_set(err, KG_EINVAL, "argument '%s' is required but missing", sub);
        }
    }
    json_t *ap = json_object_get(s, "additionalProperties");
    const char *k;
    json_t *pv;
    json_object_foreach((json_t *)v, k, pv)
    {
        join_key(sub, sizeof sub, path, k);
        json_t *ps = props ? json_object_get(props, k) : NULL;
        if (ps) {
            if (validate_at(ps, pv, sub, err) != 0)
                return KG_EINVAL;
            continue;
        }
        if (json_is_false(ap)) {
            kg_buf known = KG_BUF_INIT;
            const char *pk;
            json_t *pvv;
            json_object_foreach(props, pk, pvv)
            {
                kg_buf_printf(&known, "%s%s", known.len ? ", " : "", pk);
            }
            kg_err_set(err, KG_EINVAL, "argument '%s' is not a parameter of this tool (known: %s)",
                       sub, known.len ? kg_buf_str(&known) : "none");
            kg_buf_free(&known);
            return KG_EINVAL;
        }
        if (json_is_object(ap) && validate_at(ap, pv, sub, err) != 0)
            return KG_EINVAL;
    }
    return KG_OK;
}

static int validate_alternatives(const json_t *s, const json_t *v, const char *path, kg_err *err)
{
    json_t *l;
    size_t i;
    json_t *e;
    if ((l = json_object_get(s, "anyOf"))) {
        kg_err first;
        kg_err_clear(&first);
        int matched = 0;
        json_array_foreach(l, i, e)
        {
            kg_err tmp;
            if (validate_at(e, v, path, &tmp) == 0) {
                matched = 1;
                break;
            }
            if (i == 0)
                first = tmp;
        }
        if (!matched)
            return fail(err, path, "matches none of the allowed forms (first: %s)", first.msg);
    }
    if ((l = json_object_get(s, "oneOf"))) {
        size_t nmatch = 0;
        kg_err first;
        kg_err_clear(&first);
        json_array_foreach(l, i, e)
        {
            kg_err tmp;
            if (validate_at(e, v, path, &tmp) == 0)
                nmatch++;
            else if (first.code == 0)
                first = tmp;
        }
        if (nmatch == 0)
            return fail(err, path, "matches none of the allowed forms (first: %s)", first.msg);
        if (nmatch > 1)
            return fail(err, path, "matches %zu of the allowed forms, exactly one is needed",
                        nmatch);
    }
    return KG_OK;
}

static int validate_at(const json_t *s, const json_t *v, const char *path, kg_err *err)
{
    if (validate_type(s, v, path, err) != 0)
        return KG_EINVAL;
    json_t *c = json_object_get(s, "const");
    char shown[80];
    if (c && !json_equal(c, (json_t *)v)) {
        show(c, shown, sizeof shown);
        return fail(err, path, "must be %s", shown);
    }
    json_t *en = json_object_get(s, "enum");
    if (en) {
        size_t i;
        json_t *e;
        int found = 0;
        json_array_foreach(en, i, e)
        {
            if (json_equal(e, (json_t *)v) || (json_is_number(e) && json_is_number(v) &&
                                               json_number_value(e) == json_number_value(v)))
                found = 1;
        }
        if (!found) {
            kg_buf allowed = KG_BUF_INIT;
            json_array_foreach(en, i, e)
            {
                show(e, shown, sizeof shown);
                kg_buf_printf(&allowed, "%s%s", i ? ", " : "", shown);
            }
            show(v, shown, sizeof shown);
            fail(err, path, "%s is not one of: %s", shown, kg_buf_str(&allowed));
            kg_buf_free(&allowed);
            return KG_EINVAL;
        }
    }
    if (validate_number(s, v, path, err) || validate_string(s, v, path, err) ||
        validate_array(s, v, path, err) || validate_object(s, v, path, err) ||
        validate_alternatives(s, v, path, err))
        return KG_EINVAL;
    return KG_OK;
}

int kg_schema_validate(const json_t *schema, const json_t *instance, kg_err *err)
{
    kg_err_clear(err);
    if (!schema || !instance)
        return kg_err_set(err, KG_EINVAL, "arguments: missing schema or value");
    return validate_at(schema, instance, "", err);
}

void kg_schema_apply_defaults(const json_t *schema, json_t *instance)
{
    if (!json_is_object(instance) || !json_is_object(schema))
        return;
    json_t *props = json_object_get(schema, "properties");
    const char *k;
    json_t *ps;
    json_object_foreach(props, k, ps)
    {
        json_t *have = json_object_get(instance, k);
        json_t *d = json_object_get(ps, "default");
        if (!have && d)
            json_object_set_new(instance, k, json_deep_copy(d));
        else if (json_is_object(have))
            kg_schema_apply_defaults(ps, have);
    }
}
