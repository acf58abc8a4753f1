/* ranked: see ranked.h. */
#include "search/ranked.h"

#include <stdlib.h>
#include <string.h>

int kg_search_mode_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "text") == 0)
        return KG_SEARCH_TEXT;
    if (strcmp(s, "vector") == 0)
        return KG_SEARCH_VECTOR;
    if (strcmp(s, "hybrid") == 0)
        return KG_SEARCH_HYBRID;
    return -1;
}

const char *kg_search_mode_name(kg_search_mode m)
{
    return m == KG_SEARCH_VECTOR ? "vector" : m == KG_SEARCH_HYBRID ? "hybrid" : "text";
}

void kg_ranked_hits_free(kg_ranked_hit *hits, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(hits[i].hit.path);
        free(hits[i].hit.title);
        free(hits[i].hit.snippet);
    }
    free(hits);
}

void kg_search_info_free(kg_search_info *info)
{
    if (!info)
        return;
    json_decref(info->report);
    info->report = NULL;
}
