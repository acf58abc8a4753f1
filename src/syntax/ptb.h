/* ptb: the tag sets of sentence analysis, as small integers.
 *
 * Part-of-speech tags are the Penn Treebank tags that the English UD
 * treebanks (EWT, GUM) carry as XPOS; dependency labels are the Universal
 * Dependencies relations those treebanks use, with the subtypes relations
 * need (nsubj:pass, aux:pass, obl:agent, acl:relcl, compound:prt,
 * nmod:poss ...) kept and the rare disfluency labels folded into dep.
 * The tagger, the parser, the CoNLL-U reader and Open IE all speak these
 * numbers; names are for files and messages.  Everything is static data. */
#ifndef KG_NLP_PTB_H
#define KG_NLP_PTB_H

#include <stdbool.h>
#include <stddef.h>

enum {
    KG_T_NONE = 0, /* no tag / unknown tag name */
    KG_T_CC,
    KG_T_CD,
    KG_T_DT,
    KG_T_EX,
    KG_T_FW,
    KG_T_IN,
    KG_T_JJ,
    KG_T_JJR,
    KG_T_JJS,
    KG_T_LS,
    KG_T_MD,
    KG_T_NN,
    KG_T_NNS,
    KG_T_NNP,
    KG_T_NNPS,
    KG_T_PDT,
    KG_T_POS,
    KG_T_PRP,
    KG_T_PRPS, /* PRP$ */
    KG_T_RB,
    KG_T_RBR,
    KG_T_RBS,
    KG_T_RP,
    KG_T_SYM,
    KG_T_TO,
    KG_T_UH,
    KG_T_VB,
    KG_T_VBD,
    KG_T_VBG,
    KG_T_VBN,
    KG_T_VBP,
    KG_T_VBZ,
    KG_T_WDT,
    KG_T_WP,
    KG_T_WPS, /* WP$ */
    KG_T_WRB,
    KG_T_HYPH,
    KG_T_NFP,
    KG_T_ADD,
    KG_T_AFX,
    KG_T_GW,
    KG_T_DOLLAR, /* $ */
    KG_T_POUND,  /* # */
    KG_T_LRB,    /* -LRB- */
    KG_T_RRB,    /* -RRB- */
    KG_T_OQUOTE, /* `` */
    KG_T_CQUOTE, /* '' */
    KG_T_COMMA,  /* , */
    KG_T_PERIOD, /* . */
    KG_T_COLON,  /* : */
    KG_T_XX,     /* XX and anything else */
    KG_T_COUNT
};

enum {
    KG_D_NONE = 0,
    KG_D_ROOT,
    KG_D_ACL,
    KG_D_ACL_RELCL,
    KG_D_ADVCL,
    KG_D_ADVCL_RELCL,
    KG_D_ADVMOD,
    KG_D_AMOD,
    KG_D_APPOS,
    KG_D_AUX,
    KG_D_AUX_PASS,
    KG_D_CASE,
    KG_D_CC,
    KG_D_CC_PRECONJ,
    KG_D_CCOMP,
    KG_D_COMPOUND,
    KG_D_COMPOUND_PRT,
    KG_D_CONJ,
    KG_D_COP,
    KG_D_CSUBJ,
    KG_D_CSUBJ_PASS,
    KG_D_DEP,
    KG_D_DET,
    KG_D_DET_PREDET,
    KG_D_DISCOURSE,
    KG_D_DISLOCATED,
    KG_D_EXPL,
    KG_D_FIXED,
    KG_D_FLAT,
    KG_D_IOBJ,
    KG_D_LIST,
    KG_D_MARK,
    KG_D_NMOD,
    KG_D_NMOD_POSS,
    KG_D_NMOD_UNMARKED,
    KG_D_NMOD_DESC,
    KG_D_NSUBJ,
    KG_D_NSUBJ_PASS,
    KG_D_NSUBJ_OUTER,
    KG_D_NUMMOD,
    KG_D_OBJ,
    KG_D_OBL,
    KG_D_OBL_AGENT,
    KG_D_OBL_UNMARKED,
    KG_D_ORPHAN,
    KG_D_PARATAXIS,
    KG_D_PUNCT,
    KG_D_VOCATIVE,
    KG_D_XCOMP,
    KG_D_COUNT
};

/* Tag name <-> number; KG_T_XX for a name not in the set (never NONE for a
 * non-empty name).  kg_tag_name(KG_T_NONE) is "_". */
int kg_tag_of(const char *name, size_t len);
const char *kg_tag_name(int tag);

/* Label name <-> number.  Subtypes not in the set fall back to their main
 * type ("obl:tmod" -> obl); disfluency labels (reparandum, goeswith) and
 * unknown names give KG_D_DEP. */
int kg_dep_of(const char *name, size_t len);
const char *kg_dep_name(int dep);

/* Word classes of a tag. */
bool kg_tag_is_noun(int t);   /* NN NNS NNP NNPS */
bool kg_tag_is_verb(int t);   /* VB VBD VBG VBN VBP VBZ MD */
bool kg_tag_is_adj(int t);    /* JJ JJR JJS */
bool kg_tag_is_adv(int t);    /* RB RBR RBS WRB */
bool kg_tag_is_proper(int t); /* NNP NNPS */
bool kg_tag_is_punct(int t);  /* , . : `` '' -LRB- -RRB- HYPH NFP */

/* Subject and object families: nsubj, nsubj:pass, nsubj:outer, csubj... */
bool kg_dep_is_subj(int d);
bool kg_dep_is_passive_subj(int d);

#endif
