/* schema: a JSON Schema validator for the subset kgas's tool schemas use.
 *
 * Tools describe their arguments with JSON Schema so that MCP clients (and
 * the models behind them) can read them; the same schema is enforced here
 * before any handler runs, so a handler only ever sees arguments of the
 * right shape.  Supported keywords: type (string, integer, number, boolean,
 * object, array, null, or a list of them; an integral real such as 3.0 is an
 * integer, as JSON Schema says), required, properties, additionalProperties
 * (false or a schema), minimum, maximum, exclusiveMinimum, exclusiveMaximum,
 * enum, const, minLength/maxLength (in code points), minItems/maxItems,
 * items, oneOf, anyOf, default.  Annotation keywords (title, description,
 * examples, $schema, format) are accepted and ignored.  Any other keyword is
 * refused by kg_schema_check so a schema never silently promises more than
 * is enforced.
 *
 * Errors name the failing argument by path ('max_hops', 'paths[2]',
 * 'filter.type') and say why, in words a model can act on.
 *
 * Memory: nothing is retained; the caller owns schema and instance. */
#ifndef KG_TOOLS_SCHEMA_H
#define KG_TOOLS_SCHEMA_H

#include <jansson.h>

#include "base/err.h"

/* Check that schema only uses supported keywords with well-formed values. */
int kg_schema_check(const json_t *schema, kg_err *err);

/* Validate instance against schema.  0, or KG_EINVAL with the message. */
int kg_schema_validate(const json_t *schema, const json_t *instance, kg_err *err);

/* Add every missing property that has a "default" in schema's properties to
 * the object instance (recursively into nested objects that are present).
 * Call after a successful validation. */
void kg_schema_apply_defaults(const json_t *schema, json_t *instance);

#endif
