/* load_block: names and classes of the block kinds of load.h, and the
 * sections the loaders name themselves. */
#include "text/load.h"

#include <string.h>

static const char *const kind_names[KG_BLOCK_KINDS] = {
    "body",     "title", "front",    "abstract",  "heading",   "caption",
    "equation", "table", "footnote", "reference", "furniture",
};

const char *kg_block_kind_name(kg_block_kind k)
{
    return k >= 0 && k < KG_BLOCK_KINDS ? kind_names[k] : "unknown";
}

int kg_block_kind_is_prose(kg_block_kind k)
{
    return k == KG_BLOCK_BODY || k == KG_BLOCK_ABSTRACT || k == KG_BLOCK_FOOTNOTE;
}

int kg_load_licence_section(const char *title)
{
    return title && strcmp(title, KG_LOAD_LICENCE_SECTION) == 0;
}
