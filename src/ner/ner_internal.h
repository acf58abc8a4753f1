/* ner_internal: what the NER's scanner, rules and scorer share (private to
 * src/ner/ner*.c).  One ner_ctx lives on kg_ner_run's stack; its arrays start
 * in inline buffers and move to the heap only for long texts, so a typical
 * sentence costs no allocation at all. */
#ifndef KG_NER_NER_INTERNAL_H
#define KG_NER_NER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ner/gazetteer.h"

/* Token shape bits. */
enum {
    NT_WORD = 1u << 0,
    NT_CAP = 1u << 1,    /* first letter uppercase */
    NT_ALLCAP = 1u << 2, /* >= 2 letters, all uppercase */
    NT_LOWER = 1u << 3,  /* first letter lowercase */
    NT_DIGIT = 1u << 4,  /* starts with a digit */
    NT_NUM = 1u << 5,    /* only digits and . , - */
    NT_SENT = 1u << 6,   /* first word of a sentence */
    NT_POSS = 1u << 7,   /* the possessive 's */
    NT_PUNCT = 1u << 8,
    NT_MIXED = 1u << 9,   /* an inner capital: ImageNet, iPhone */
    NT_USED = 1u << 10,   /* already inside a candidate */
    NT_CURSYM = 1u << 11, /* $ € £ ¥ */
};

typedef struct ner_tok {
    uint32_t s, e;  /* byte span */
    uint32_t shape; /* NT_* */
    uint32_t pad;
    uint64_t h;  /* FNV-1a of the lowercased bytes */
    uint64_t gz; /* gazetteer flags of the single token */
} ner_tok;

/* Internal type codes; ner_type_names[] in ner.c spells them. */
enum {
    NTY_NONE,
    NTY_PERSON,
    NTY_ORG,
    NTY_GPE,
    NTY_LOC,
    NTY_NORP,
    NTY_EVENT,
    NTY_WORK,
    NTY_LAW,
    NTY_LANGUAGE,
    NTY_PRODUCT,
    NTY_DATE,
    NTY_MONEY,
    NTY_PERCENT,
    NTY_CONCEPT,
    NTY_DATASET,
    NTY_COUNT
};
extern const char *const ner_type_names[NTY_COUNT];

typedef struct ner_cand {
    uint32_t ti, tj; /* token range [ti, tj) */
    uint32_t ev;     /* KG_NER_EV_* */
    uint8_t type;
} ner_cand;

#define NER_INLINE_TOKS 512
#define NER_INLINE_CANDS 128
#define NER_INLINE_PROP 512

typedef struct ner_ctx {
    const char *text;
    size_t len;
    const kg_gazetteer *gz;
    ner_tok *tok;
    size_t ntok, tokcap;
    ner_cand *cand;
    size_t ncand, candcap;
    uint64_t *pkey; /* in-text propagation: surface hash -> type */
    uint8_t *ptype;
    size_t pmask, pcount;
    ner_tok tok_inline[NER_INLINE_TOKS];
    ner_cand cand_inline[NER_INLINE_CANDS];
    uint64_t pkey_inline[NER_INLINE_PROP];
    uint8_t ptype_inline[NER_INLINE_PROP];
} ner_ctx;

/* ner_scan.c: tokenise ctx->text into ctx->tok. */
int ner_scan(ner_ctx *c);
/* ner_rules.c: fill ctx->cand, sorted by start. */
int ner_propose(ner_ctx *c);

#endif
