/* ner_internal: what the NER's scanner, rules, features, model, post-pass
 * and trainer share (private to src/ner/).  One ner_ctx is made per
 * kg_ner_run; its arrays start in inline buffers and move to the heap only
 * for long texts, so a typical sentence costs few allocations. */
#ifndef KG_NER_NER_INTERNAL_H
#define KG_NER_NER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ml/chain.h"
#include "ml/linear.h"
#include "ml/mfile.h"
#include "ml/wclust.h"
#include "ner/gazetteer.h"
#include "ner/ner.h"

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
    NT_PARA = 1u << 12,   /* first token after a blank line */
    NT_URL = 1u << 13,    /* a URL or an e-mail address, one token */
    NT_SYM = 1u << 14,    /* a symbol (math, arrows, dingbats: U+2000..U+2FFF) */
    NT_MARK = 1u << 15,   /* a footnote marker split off a word ("Neumann2") */
    NT_NL = 1u << 16,     /* a line end before it */
};

typedef struct ner_tok {
    uint32_t s, e;       /* byte span */
    uint32_t shape;      /* NT_* */
    uint32_t gz_pending; /* ner_scan: 1 while gz is not yet looked up; 0 after */
    uint64_t h;          /* FNV-1a of the lowercased bytes */
    uint64_t gz;         /* gazetteer flags of the single token */
} ner_tok;

/* Internal type codes of the rules; ner_type_names[] in ner.c spells them. */
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
    /* Per token, from the rules (ner_rule_marks): the candidate covering it,
     * its type, position (1 B, 2 I, 3 L, 4 U) and evidence. */
    uint8_t *rtype, *rpos;
    uint32_t *rev;
    ner_tok tok_inline[NER_INLINE_TOKS];
    ner_cand cand_inline[NER_INLINE_CANDS];
    uint64_t pkey_inline[NER_INLINE_PROP];
    uint8_t ptype_inline[NER_INLINE_PROP];
} ner_ctx;

/* ner.c: a context for text[0..len): scanned, rules proposed and marked.
 * Free with ner_ctx_free. */
ner_ctx *ner_ctx_new(const char *text, size_t len);
void ner_ctx_free(ner_ctx *c);
/* ner_scan.c: tokenise ctx->text into ctx->tok. */
int ner_scan(ner_ctx *c);
/* ner_rules.c: fill ctx->cand, sorted by start. */
int ner_propose(ner_ctx *c);
/* ner_rules.c: the per-token rtype/rpos/rev arrays from ctx->cand. */
void ner_rule_marks(ner_ctx *c);
/* ner.c: the rules' confidence of a candidate's evidence (noisy-or). */
float ner_rule_score(uint32_t ev);
/* ner.c: token i's text is lit (ASCII case ignored; 0 past the last
 * token); or one of the NULL-terminated list. */
int ner_tok_is(const ner_ctx *c, size_t i, const char *lit);
int ner_tok_in(const ner_ctx *c, size_t i, const char *const *list);
/* ner.c: the gazetteer's hash of tokens [i, j) as one phrase (their bytes,
 * ASCII lowered, a separator between two), and the gazetteer's flags of
 * it (a single token's own; 0 for a phrase longer than any it holds). */
uint64_t ner_phrase_hash(const ner_ctx *c, size_t i, size_t j);
uint64_t ner_phrase_flags(const ner_ctx *c, size_t i, size_t j);
/* Sentences: [a, b) token ranges, a new one at each NT_SENT / NT_PARA
 * token.  Returns how many; writes at most cap pairs. */
size_t ner_segments(const ner_ctx *c, uint32_t *bounds, size_t cap);

/* ---- document memory (ner_feat.c) ------------------------------------------ */

/* Bits kept per lowercased word: bit t < NER_MAX_TYPES = "was (part of) an
 * entity of model type t"; and these two: */
#define NER_DOC_LOWER (1u << 30)  /* seen in lower case */
#define NER_DOC_CAPMID (1u << 29) /* seen capitalised inside a sentence */
#define NER_DOC_INNAME (1u << 28) /* part of a person's name of two words or more */
#define NER_DOC_MAX (1u << 17)    /* words remembered per document */

typedef struct ner_wcache ner_wcache;

struct kg_ner_doc {
    uint64_t *keys; /* 0 = empty */
    uint32_t *bits;
    size_t cap, n;
    ner_wcache *wc; /* the words' own scores (ner_wcache.c); kept across reset */
};

uint32_t ner_doc_get(const kg_ner_doc *d, uint64_t h);
void ner_doc_or(kg_ner_doc *d, uint64_t h, uint32_t bits);
/* A lower-case word that is no particle ("de", "van", "of", "the") with a
 * capitalised word after it inside name tokens [a, b) ("Charles Bingley
 * rented Netherfield" read as one name): its index, or 0. */
uint32_t ner_name_verb(const ner_ctx *c, uint32_t a, uint32_t b);
/* After a sentence [a, b): remember its lower-case and mid-sentence
 * capitalised words. */
void ner_doc_words(kg_ner_doc *d, const ner_ctx *c, size_t a, size_t b);

/* ---- features (ner_feat.c) ----------------------------------------------------- */

#define NER_FEAT_VERSION 3
#define NER_MAXF 64               /* features per token, at most */
#define NER_CLASSES "ner.classes" /* the model file's word classes (ml/wclust.h) */

/* Features of tokens [a, b): token i's at f[(i - a) * NER_MAXF], nf[i - a]
 * of them, the first nw[i - a] the word's own (a function of its bytes,
 * shape, gazetteer flags and whether it starts the sentence, nothing
 * else; nw may be NULL).  doc may be NULL; so may cl (a model without word
 * classes). */
void ner_features(const ner_ctx *c, size_t a, size_t b, const kg_ner_doc *doc, const kg_wclust *cl,
                  uint64_t *f, uint8_t *nf, uint8_t *nw);
/* The feature whose row holds the transition scores of group g from tag
 * prev (prev = K of the group: from the sentence start). */
uint64_t ner_trans_feature(unsigned g, unsigned prev);

/* ---- the model (ner_model.c) ----------------------------------------------------- */

#define NER_MAX_GROUPS 4
#define NER_MAX_TYPES 28 /* all groups together; fits the memory bits below 28 */

typedef struct ner_group {
    unsigned off, k;   /* its tags are columns [off, off + k) of the weights */
    unsigned type0, n; /* its types are the model's types [type0, type0 + n) */
    kg_tagset *tags;
    float calib_a, calib_b; /* confidence = 1 / (1 + exp(-(a * margin + b))) */
} ner_group;

/* What a model is, whether being trained or shipped. */
typedef struct ner_layout {
    int scheme;
    unsigned ngroups, ntypes, ktotal;
    ner_group g[NER_MAX_GROUPS];
    char *types[NER_MAX_TYPES + 1]; /* NULL-terminated */
} ner_layout;

/* groups: "PERSON,ORG,LOC,MISC" strings, one per group.  Fails with a
 * message on an empty, duplicate or too long list. */
int ner_layout_init(ner_layout *l, int scheme, const char *const *groups, unsigned ngroups,
                    kg_err *err);
void ner_layout_free(ner_layout *l);
/* Model type index of a name, or -1. */
int ner_layout_type(const ner_layout *l, const char *name);
/* Group of a model type. */
unsigned ner_layout_group_of(const ner_layout *l, unsigned type);

struct kg_ner_model {
    char *name, *info;
    kg_mfile *mf;
    kg_linear *w;
    kg_wclust cl; /* word classes (none: cl.keys == NULL) */
    ner_layout lay;
    kg_viterbi_plan plan[NER_MAX_GROUPS]; /* each group's decoding plan, from the
                                             transition rows of w at load */
};

/* A found span: tokens [ti, tj), model type, confidence. */
typedef struct ner_span {
    uint32_t ti, tj;
    uint16_t type;
    float conf;
    float margin; /* the raw score margin behind conf (for calibration) */
} ner_span;

typedef struct ner_spans {
    ner_span *v;
    size_t n, cap;
} ner_spans;

void ner_spans_push(ner_spans *s, const ner_span *sp);

/* Scratch of one decoding, reused across sentences. */
typedef struct ner_work {
    uint64_t *f;
    uint8_t *nf, *nw, *from, *tmp; /* features; the word's own; where the rest begin; scratch */
    float *em, *eg;
    uint16_t *path;
    kg_tspan *ts;
    size_t cap; /* tokens */
    kg_viterbi_ws vw;
} ner_work;

void ner_work_reserve(ner_work *w, size_t ntok, unsigned ktotal);
void ner_work_free(ner_work *w);

/* ---- the words' own scores (ner_wcache.c) ------------------------------------------ */

#define NER_WMAX 16 /* a word with more own features than this is not cached */

/* Add to em (T x classes of w, zeroed) the scores of each token's own
 * features (f, nw as ner_features gives them), from *wc where it holds them
 * (created or emptied there when it is new or of other weights); from[t]
 * is set to where the token's other features begin.  tmp: T bytes of
 * scratch.  The sums are bit for bit those of scoring the features in
 * order. */
void ner_wcache_score(ner_wcache **wc, const kg_linear *w, const uint64_t *f, const uint8_t *nw,
                      size_t T, float *em, uint8_t *from, uint8_t *tmp);
void ner_wcache_free(ner_wcache *wc);

/* Decode group g of a sentence whose emission scores (T x ktotal) are in
 * w->em, under the plan of its transition scores: path into w->path, spans
 * (with confidences) appended to out, token indices offset by base. */
void ner_decode_group(const ner_layout *l, unsigned g, const kg_viterbi_plan *plan, size_t T,
                      size_t base, ner_work *w, ner_spans *out);
/* Remember the spans of a sentence in the document memory (person: the
 * model type index of PERSON, or -1). */
void ner_doc_spans(kg_ner_doc *d, const ner_ctx *c, const ner_span *v, size_t n, int person);

/* The model file's sections for a layout, calibration, weights, word
 * classes (copied from the model file classes, which may be NULL) and
 * training record (ner.conf, ner.types, ner.info, ner.w.*, ner.classes). */
void ner_model_write(kg_mfile_writer *w, const ner_layout *l, const float calib[][2],
                     const kg_linear *lin, const kg_mfile *classes, const char *info);

/* Run the model over a whole context: sentence by sentence, features,
 * scores, every group decoded, memory updated.  Spans in text order. */
void ner_model_tag(const kg_ner_model *m, const ner_ctx *c, kg_ner_doc *doc, ner_spans *out);

/* ---- descriptions (ner_desc.c) ------------------------------------------------------ */

/* Remember in doc what the words after name tokens [a, b) say it is ("X is
 * a band", "X, the baseline interpreter", "X protocol"), if anything. */
void ner_desc_note(const ner_ctx *c, kg_ner_doc *doc, uint32_t a, uint32_t b);
/* Has the document described any name yet? */
int ner_desc_any(const kg_ner_doc *doc);
/* The type the document described name tokens [a, b) as ("ORG", "PERSON",
 * "GPE", "LOC", "SOFTWARE", "METHOD"), or NULL: never described, or
 * described as two kinds. */
const char *ner_desc_type(const ner_ctx *c, const kg_ner_doc *doc, uint32_t a, uint32_t b);
/* A name the model left out that a sentence starting at token a
 * describes ("Caloi is a Brazilian bicycle company"): its type (a
 * person's, a place's or an organisation's) with *b its end, or NULL. */
const char *ner_desc_subject(const ner_ctx *c, uint32_t a, uint32_t *b);
/* May a name typed `from` take the described type `to`?  A name of the
 * people, places and organisations family takes any; a research term
 * only a person's, a place's or an organisation's. */
int ner_desc_may_retype(const char *from, const char *to);

/* ---- after the model (ner_junk.c, ner_post.c) --------------------------------------------------- */

/* Trim span [*a, *b) of model type `type` of what is not part of a name;
 * 0 when nothing worth keeping is left (see ner_junk.c). */
int ner_clean_span(const ner_ctx *c, const kg_ner_doc *doc, const char *type, uint32_t *a,
                   uint32_t *b);
/* Tokens [i, j) name a holiday, a day or a month (2: "Christmas",
 * "Christmas Eve", "June"), or hold a feast's name (1: "Merry
 * Christmas"), or neither (0).  Never a person; a date, not a place or an
 * organisation. */
int ner_time_name(const ner_ctx *c, uint32_t i, uint32_t j);
/* Tokens [i, j) are a name led by an organisation's word ("Project
 * Gutenberg", "Institute Pasteur"): an organisation, not a person. */
int ner_org_led(const ner_ctx *c, uint32_t i, uint32_t j);
/* Turn model spans into mentions: types refined, titles and markers
 * stripped, junk dropped, overlaps settled, the rules' dates, money and
 * percentages added; out is cleared first and ends in text order. */
void ner_post(const ner_layout *l, const ner_ctx *c, const ner_spans *sp, kg_ner_doc *doc,
              float min_conf, kg_ner_result *out);

#endif
