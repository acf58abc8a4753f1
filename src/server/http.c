/* http: placeholder until the Streamable HTTP transport lands. */
#include "server/serve.h"

int kg_mcp_serve_http(const kg_mcp_serve_opts *o, kg_err *err)
{
    (void)o;
    return kg_err_set(err, KG_EINVAL, "kgas mcp --http: not built yet");
}
