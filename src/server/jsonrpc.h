/* jsonrpc: JSON-RPC 2.0 message parsing and construction for the MCP server.
 *
 * kg_jsonrpc_parse() turns one received message (a stdio line or an HTTP
 * body) into a classified message or into the error response the sender
 * must get: -32700 for bytes that are not JSON (invalid UTF-8 included, as
 * jansson refuses it), -32600 for JSON that is not a single request,
 * notification or response object.  It refuses batches (-32600); the MCP
 * core takes them apart itself for the one protocol version that has them
 * (2025-03-26; 2025-06-18 removed them), classifying each element with
 * kg_jsonrpc_classify.
 *
 * kg_jsonrpc_sniff_id() reads the id of a message of which only the first
 * bytes are at hand (a stdio line longer than the limit), so that its error
 * can name the request it answers.
 *
 * Memory: every json_t * returned is a new reference the caller owns. */
#ifndef KG_SERVER_JSONRPC_H
#define KG_SERVER_JSONRPC_H

#include <jansson.h>
#include <stddef.h>

enum {
    KG_RPC_PARSE_ERROR = -32700,
    KG_RPC_INVALID_REQUEST = -32600,
    KG_RPC_METHOD_NOT_FOUND = -32601,
    KG_RPC_INVALID_PARAMS = -32602,
    KG_RPC_INTERNAL_ERROR = -32603,
    KG_RPC_RESOURCE_NOT_FOUND = -32002,
};

typedef enum kg_rpc_kind {
    KG_RPC_INVALID = 0,  /* *error_out holds the response to send */
    KG_RPC_REQUEST,      /* method + id */
    KG_RPC_NOTIFICATION, /* method, no id: never answered */
    KG_RPC_RESPONSE,     /* result or error + id: an answer to us */
} kg_rpc_kind;

typedef struct kg_rpc_msg {
    kg_rpc_kind kind;
    json_t *root;       /* the whole message (owned) */
    const char *method; /* borrowed from root */
    json_t *id;         /* borrowed: string or integer, NULL for notifications */
    json_t *params;     /* borrowed: object or NULL */
} kg_rpc_msg;

/* Parse len bytes.  On KG_RPC_INVALID, *error_out is the error response
 * (with the request's id when it could be read, else null). */
kg_rpc_kind kg_jsonrpc_parse(const char *data, size_t len, kg_rpc_msg *msg, json_t **error_out);
/* The JSON value of len bytes (any value: object, array, ...), or NULL with
 * *error_out the -32700 response. */
json_t *kg_jsonrpc_load(const char *data, size_t len, json_t **error_out);
/* Classify a parsed value, as kg_jsonrpc_parse does; steals root (arrays are
 * refused here too: a batch's elements are classified one by one). */
kg_rpc_kind kg_jsonrpc_classify(json_t *root, kg_rpc_msg *msg, json_t **error_out);
void kg_rpc_msg_free(kg_rpc_msg *msg);

/* The "id" member of the top-level object that the first len bytes of a
 * message begin, when it lies within them and is a string or an integer; a
 * new reference, or NULL. */
json_t *kg_jsonrpc_sniff_id(const char *data, size_t len);

/* {"jsonrpc":"2.0","id":id,"result":result}; steals result, copies id. */
json_t *kg_jsonrpc_result(const json_t *id, json_t *result);
/* {"jsonrpc":"2.0","id":id|null,"error":{code,message[,data]}}; steals data. */
json_t *kg_jsonrpc_error(const json_t *id, int code, const char *message, json_t *data);
/* {"jsonrpc":"2.0","method":m,"params":params}; steals params. */
json_t *kg_jsonrpc_notification(const char *method, json_t *params);

/* Serialise as one line (no newline inside, "\n" appended).  Caller frees. */
char *kg_jsonrpc_dump_line(const json_t *msg, size_t *len);

#endif
