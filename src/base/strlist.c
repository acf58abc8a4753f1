/* strlist: see strlist.h. */
#include "base/strlist.h"

#include <string.h>

bool kg_strlist_has(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}
