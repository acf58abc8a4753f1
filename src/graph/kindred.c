/* kindred: see kindred.h. */
#include "graph/kindred.h"

#include <string.h>

#include "base/strlist.h"

int kg_kin_family(const char *type, bool code)
{
    static const char *const research[] = {"METHOD",   "TASK",    "DATASET", "METRIC",
                                           "SOFTWARE", "CONCEPT", "MISC",    NULL};
    static const char *const names[] = {"ORG",   "GPE",         "LOC", "FAC", "PRODUCT",
                                        "EVENT", "WORK_OF_ART", "LAW", NULL};
    bool r = kg_strlist_has(research, type);
    if (code && (r || kg_strlist_has(names, type)))
        return KG_KIN_CODE;
    if (r)
        return KG_KIN_RESEARCH;
    if (!strcmp(type, "GPE") || !strcmp(type, "LOC"))
        return KG_KIN_PLACE;
    return KG_KIN_NONE;
}

bool kg_kin_types(const char *type_a, const char *type_b, bool code)
{
    if (strcmp(type_a, type_b) == 0)
        return true;
    int f = kg_kin_family(type_a, code);
    return f != KG_KIN_NONE && f == kg_kin_family(type_b, code);
}

bool kg_name_code_like(const char *name)
{
    size_t len = strlen(name);
    while (len && (*name == ' ' || *name == '\t'))
        name++, len--;
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    bool camel = false, digit = false, alpha = false;
    int upper = 0;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (c == ' ' || c == '\t' || c == '\n')
            return false;
        if (c >= 'a' && c <= 'z')
            alpha = true;
        else if (c >= 'A' && c <= 'Z') {
            /* A capital right after a small letter: "JavaScript", not the
             * "Tolman" of "Lemaître–Tolman". */
            camel |= i > 0 && name[i - 1] >= 'a' && name[i - 1] <= 'z';
            alpha = true;
            upper++;
        } else if (c >= '0' && c <= '9')
            digit = true;
    }
    /* An acronym: capitals and digits, perhaps a plural 's' ("LSTMs"). */
    size_t core = len >= 3 && name[len - 1] == 's' ? len - 1 : len;
    bool acronym = core >= 2 && core <= 10 && upper >= 2;
    for (size_t i = 0; i < core && acronym; i++)
        acronym = (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9');
    return acronym || camel || (digit && alpha);
}
