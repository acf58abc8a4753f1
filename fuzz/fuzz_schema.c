/* fuzz_schema: the JSON Schema validator (tools/schema) that guards every
 * tool's arguments.  The first byte chooses: a tool's own input and output
 * schemas against a fuzzed instance (what a client can send), or a fuzzed
 * schema ("SCHEMA\nINSTANCE") through kg_schema_check and, when accepted,
 * validation and defaults. */
#include <jansson.h>
#include <string.h>

#include "common.h"
#include "tools/registry.h"
#include "tools/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* strict: a tool's schema, whose filled-in defaults must leave valid
 * arguments valid (what handlers rely on).  Any schema at all can be built
 * so that they do not (a default that makes two oneOf branches match), so
 * fuzzed ones only must not crash. */
static void check(const json_t *schema, const json_t *instance, int strict)
{
    kg_err e;
    if (kg_schema_validate(schema, instance, &e) == 0 && json_is_object(instance)) {
        json_t *copy = json_deep_copy(instance);
        kg_schema_apply_defaults(schema, copy);
        if (kg_schema_validate(schema, copy, &e) != 0 && strict)
            __builtin_trap();
        json_decref(copy);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    fz_dir();
    const char *body = (const char *)data + 1;
    size_t n = size - 1;
    if (data[0] < 200) {
        const kg_tool *t = kg_tools_at(data[0] % kg_tools_count());
        json_t *inst = json_loadb(body, n, JSON_DECODE_ANY, NULL);
        if (inst) {
            check(kg_tool_input_schema(t), inst, 1);
            check(kg_tool_output_schema(t), inst, 1);
            json_decref(inst);
        }
        return 0;
    }
    const char *nl = memchr(body, '\n', n);
    if (!nl)
        return 0;
    json_t *schema = json_loadb(body, (size_t)(nl - body), 0, NULL);
    json_t *inst = json_loadb(nl + 1, n - (size_t)(nl - body) - 1, JSON_DECODE_ANY, NULL);
    kg_err e;
    if (schema && inst && kg_schema_check(schema, &e) == 0)
        check(schema, inst, 0);
    json_decref(schema);
    json_decref(inst);
    return 0;
}
