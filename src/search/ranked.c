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
        free(hits[i].hit.section);
    }
    free(hits);
}

json_t *kg_search_hit_json(const kg_search_hit *h)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:i, s:I, s:I, s:s, s:f}", "document", h->doc_id,
                     "chunk", h->chunk_id, "path", h->path, "title", h->title, "section",
                     h->section ? json_string(h->section) : json_null(), "page", h->page,
                     "char_start", (json_int_t)h->char_start, "char_end", (json_int_t)h->char_end,
                     "snippet", h->snippet, "score", h->score);
}

void kg_search_info_free(kg_search_info *info)
{
    if (!info)
        return;
    json_decref(info->report);
    info->report = NULL;
}
