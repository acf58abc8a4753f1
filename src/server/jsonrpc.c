/* jsonrpc: see jsonrpc.h. */
#include "server/jsonrpc.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

static int valid_id(const json_t *id)
{
    /* JSON-RPC allows null ids, MCP does not; a fractional id is legal JSON-RPC
     * but MCP says string or integer, so we hold to that. */
    return json_is_string(id) || json_is_integer(id);
}

json_t *kg_jsonrpc_load(const char *data, size_t len, json_t **error_out)
{
    *error_out = NULL;
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root) {
        char why[300];
        snprintf(why, sizeof why, "Parse error: %s (line %d, column %d)", je.text, je.line,
                 je.column);
        *error_out = kg_jsonrpc_error(NULL, KG_RPC_PARSE_ERROR, why, NULL);
    }
    return root;
}

kg_rpc_kind kg_jsonrpc_parse(const char *data, size_t len, kg_rpc_msg *msg, json_t **error_out)
{
    json_t *root = kg_jsonrpc_load(data, len, error_out);
    if (!root)
        return KG_RPC_INVALID;
    return kg_jsonrpc_classify(root, msg, error_out);
}

kg_rpc_kind kg_jsonrpc_classify(json_t *root, kg_rpc_msg *msg, json_t **error_out)
{
    memset(msg, 0, sizeof *msg);
    *error_out = NULL;
    if (json_is_array(root)) {
        *error_out = kg_jsonrpc_error(NULL, KG_RPC_INVALID_REQUEST,
                                      "Invalid Request: batches are accepted only in sessions "
                                      "of protocol version 2025-03-26; send one message at a "
                                      "time",
                                      NULL);
        json_decref(root);
        return KG_RPC_INVALID;
    }
    if (!json_is_object(root)) {
        *error_out = kg_jsonrpc_error(NULL, KG_RPC_INVALID_REQUEST,
                                      "Invalid Request: a message must be a JSON object", NULL);
        json_decref(root);
        return KG_RPC_INVALID;
    }
    json_t *id = json_object_get(root, "id");
    json_t *reply_id = valid_id(id) ? id : NULL;
    const char *why = NULL;
    json_t *ver = json_object_get(root, "jsonrpc");
    json_t *method = json_object_get(root, "method");
    json_t *params = json_object_get(root, "params");
    if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0)
        why = "Invalid Request: \"jsonrpc\" must be \"2.0\"";
    else if (method) {
        if (!json_is_string(method))
            why = "Invalid Request: \"method\" must be a string";
        else if (id && !valid_id(id))
            why = "Invalid Request: \"id\" must be a string or an integer";
        else if (params && !json_is_object(params))
            why = "Invalid Request: \"params\" must be an object";
    } else if (json_object_get(root, "result") || json_object_get(root, "error")) {
        if (!valid_id(id))
            why = "Invalid Request: a response needs a string or integer \"id\"";
    } else {
        why = "Invalid Request: no \"method\" (and not a response)";
    }
    if (why) {
        *error_out = kg_jsonrpc_error(reply_id, KG_RPC_INVALID_REQUEST, why, NULL);
        json_decref(root);
        return KG_RPC_INVALID;
    }
    msg->root = root;
    msg->id = id;
    msg->params = params;
    if (method) {
        msg->method = json_string_value(method);
        msg->kind = id ? KG_RPC_REQUEST : KG_RPC_NOTIFICATION;
    } else {
        msg->kind = KG_RPC_RESPONSE;
    }
    return msg->kind;
}

void kg_rpc_msg_free(kg_rpc_msg *msg)
{
    json_decref(msg->root);
    memset(msg, 0, sizeof *msg);
}

json_t *kg_jsonrpc_result(const json_t *id, json_t *result)
{
    json_t *o = json_object();
    json_object_set_new(o, "jsonrpc", json_string("2.0"));
    json_object_set_new(o, "id", json_deep_copy(id));
    json_object_set_new(o, "result", result ? result : json_object());
    return o;
}

json_t *kg_jsonrpc_error(const json_t *id, int code, const char *message, json_t *data)
{
    json_t *err = json_pack("{s:i, s:s}", "code", code, "message", message);
    if (!err) /* message with invalid UTF-8 cannot happen for our texts; be safe */
        err = json_pack("{s:i, s:s}", "code", code, "message", "error");
    if (data)
        json_object_set_new(err, "data", data);
    json_t *o = json_object();
    json_object_set_new(o, "jsonrpc", json_string("2.0"));
    json_object_set_new(o, "id", id ? json_deep_copy(id) : json_null());
    json_object_set_new(o, "error", err);
    return o;
}

json_t *kg_jsonrpc_notification(const char *method, json_t *params)
{
    json_t *o = json_object();
    json_object_set_new(o, "jsonrpc", json_string("2.0"));
    json_object_set_new(o, "method", json_string(method));
    if (params)
        json_object_set_new(o, "params", params);
    return o;
}

/* ---- the id of a truncated message ---------------------------------------- */

static size_t skip_ws(const char *p, size_t i, size_t n)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    return i;
}

/* End of the string starting at the quote p[i] (index past the closing
 * quote), or n when it runs past the bytes at hand. */
static size_t skip_string(const char *p, size_t i, size_t n)
{
    for (i++; i < n; i++) {
        if (p[i] == '\\')
            i++;
        else if (p[i] == '"')
            return i + 1;
    }
    return n;
}

/* Walk the top-level object's members, skipping nested values by counting
 * brackets outside strings, until the key "id"; its value is then parsed
 * by jansson (a string or an integer, whole within the bytes). */
json_t *kg_jsonrpc_sniff_id(const char *p, size_t n)
{
    size_t i = skip_ws(p, 0, n);
    if (i >= n || p[i] != '{')
        return NULL;
    i++;
    for (;;) {
        i = skip_ws(p, i, n);
        if (i >= n || p[i] != '"')
            return NULL;
        size_t k = i, kend = skip_string(p, i, n);
        if (kend >= n)
            return NULL;
        int is_id = kend - k == 4 && memcmp(p + k, "\"id\"", 4) == 0;
        i = skip_ws(p, kend, n);
        if (i >= n || p[i] != ':')
            return NULL;
        i = skip_ws(p, i + 1, n);
        size_t v = i;
        int depth = 0;
        while (i < n) { /* the value: up to a ',' or '}' at depth 0 */
            char c = p[i];
            if (c == '"') {
                i = skip_string(p, i, n);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (depth == 0)
                    break;
                depth--;
            } else if (c == ',' && depth == 0)
                break;
            i++;
        }
        if (i >= n)
            return NULL; /* the value runs past the bytes at hand */
        if (is_id) {
            json_t *id = json_loadb(p + v, i - v, JSON_DECODE_ANY, NULL);
            if (valid_id(id))
                return id;
            json_decref(id);
            return NULL;
        }
        if (p[i] == '}')
            return NULL;
        i++; /* past ',' */
    }
}

char *kg_jsonrpc_dump_line(const json_t *msg, size_t *len)
{
    /* Compact output never contains a raw newline: jansson escapes control
     * characters inside strings. */
    char *s = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!s)
        s = kg_xstrdup("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
                       "\"message\":\"Internal error: response could not be encoded\"}}");
    size_t n = strlen(s);
    char *line = kg_xrealloc(s, n + 2);
    line[n] = '\n';
    line[n + 1] = '\0';
    if (len)
        *len = n + 1;
    return line;
}
