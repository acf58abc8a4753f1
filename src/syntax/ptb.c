/* ptb: see ptb.h. */
#include "syntax/ptb.h"

#include <string.h>

static const char *const tag_names[KG_T_COUNT] = {
    "_",   "CC",  "CD",   "DT",  "EX",  "FW",    "IN",    "JJ",  "JJR", "JJS", "LS",  "MD",   "NN",
    "NNS", "NNP", "NNPS", "PDT", "POS", "PRP",   "PRP$",  "RB",  "RBR", "RBS", "RP",  "SYM",  "TO",
    "UH",  "VB",  "VBD",  "VBG", "VBN", "VBP",   "VBZ",   "WDT", "WP",  "WP$", "WRB", "HYPH", "NFP",
    "ADD", "AFX", "GW",   "$",   "#",   "-LRB-", "-RRB-", "``",  "''",  ",",   ".",   ":",    "XX"};

static const char *const dep_names[KG_D_COUNT] = {
    "_",         "root",         "acl",         "acl:relcl", "advcl",         "advcl:relcl",
    "advmod",    "amod",         "appos",       "aux",       "aux:pass",      "case",
    "cc",        "cc:preconj",   "ccomp",       "compound",  "compound:prt",  "conj",
    "cop",       "csubj",        "csubj:pass",  "dep",       "det",           "det:predet",
    "discourse", "dislocated",   "expl",        "fixed",     "flat",          "iobj",
    "list",      "mark",         "nmod",        "nmod:poss", "nmod:unmarked", "nmod:desc",
    "nsubj",     "nsubj:pass",   "nsubj:outer", "nummod",    "obj",           "obl",
    "obl:agent", "obl:unmarked", "orphan",      "parataxis", "punct",         "vocative",
    "xcomp"};

static int find(const char *const *names, int count, const char *name, size_t len)
{
    for (int i = 1; i < count; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return i;
    return 0;
}

int kg_tag_of(const char *name, size_t len)
{
    if (len == 0)
        return KG_T_NONE;
    int t = find(tag_names, KG_T_COUNT, name, len);
    return t ? t : KG_T_XX;
}

const char *kg_tag_name(int tag)
{
    return tag >= 0 && tag < KG_T_COUNT ? tag_names[tag] : "_";
}

int kg_dep_of(const char *name, size_t len)
{
    int d = find(dep_names, KG_D_COUNT, name, len);
    if (d)
        return d;
    const char *colon = memchr(name, ':', len);
    if (colon) {
        d = find(dep_names, KG_D_COUNT, name, (size_t)(colon - name));
        if (d)
            return d;
    }
    return KG_D_DEP;
}

const char *kg_dep_name(int dep)
{
    return dep >= 0 && dep < KG_D_COUNT ? dep_names[dep] : "_";
}

bool kg_tag_is_noun(int t)
{
    return t == KG_T_NN || t == KG_T_NNS || t == KG_T_NNP || t == KG_T_NNPS;
}

bool kg_tag_is_verb(int t)
{
    return (t >= KG_T_VB && t <= KG_T_VBZ) || t == KG_T_MD;
}

bool kg_tag_is_adj(int t)
{
    return t == KG_T_JJ || t == KG_T_JJR || t == KG_T_JJS;
}

bool kg_tag_is_adv(int t)
{
    return t == KG_T_RB || t == KG_T_RBR || t == KG_T_RBS || t == KG_T_WRB;
}

bool kg_tag_is_proper(int t)
{
    return t == KG_T_NNP || t == KG_T_NNPS;
}

bool kg_tag_is_punct(int t)
{
    return t == KG_T_COMMA || t == KG_T_PERIOD || t == KG_T_COLON || t == KG_T_OQUOTE ||
           t == KG_T_CQUOTE || t == KG_T_LRB || t == KG_T_RRB || t == KG_T_HYPH || t == KG_T_NFP;
}

bool kg_dep_is_subj(int d)
{
    return d == KG_D_NSUBJ || d == KG_D_NSUBJ_PASS || d == KG_D_NSUBJ_OUTER || d == KG_D_CSUBJ ||
           d == KG_D_CSUBJ_PASS;
}

bool kg_dep_is_passive_subj(int d)
{
    return d == KG_D_NSUBJ_PASS || d == KG_D_CSUBJ_PASS;
}
