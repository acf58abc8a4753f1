/* chain: label sets for sequence labelling and the linear-chain decoder.
 *
 * A tag set turns span types into per-token tags under a scheme:
 *   KG_TAGS_PLAIN  one tag per type, any order (part-of-speech tags);
 *   KG_TAGS_IO     O, I-X;
 *   KG_TAGS_BIO    O, B-X, I-X (IOB2: every span starts with B-);
 *   KG_TAGS_BILOU  O, B-X, I-X, L-X, U-X (last token, single-token span).
 * Tag 0 is O for the span schemes; the tags of type t follow in the order
 * above.  The set knows which transitions are legal (I-X only after B-X or
 * I-X, L-X ends what B-X began, ...), which tags may start and end a
 * sentence, and converts between spans and tags.
 *
 * kg_viterbi finds the best tag sequence under per-token scores (emit) and
 * tag-bigram scores (trans), never using an illegal transition, so its
 * output always decodes to well-formed spans.  Cost O(T K^2), but only the
 * legal predecessors of each tag are visited (a quarter of them in BILOU);
 * scratch space comes from a kg_viterbi_ws the caller keeps between calls
 * (no allocation once it is big enough), and the predecessor lists from a
 * kg_viterbi_plan built once for scores that do not change.
 *
 * A kg_tagset is immutable after kg_tagset_new and may be shared. */
#ifndef KG_ML_CHAIN_H
#define KG_ML_CHAIN_H

#include <stddef.h>
#include <stdint.h>

enum {
    KG_TAGS_PLAIN,
    KG_TAGS_IO,
    KG_TAGS_BIO,
    KG_TAGS_BILOU
};
enum {
    KG_POS_O,
    KG_POS_B,
    KG_POS_I,
    KG_POS_L,
    KG_POS_U
};

#define KG_TAG_NONE 0xffffu /* "no type" for kg_tagset_type */

typedef struct kg_tagset kg_tagset;

typedef struct kg_tspan {
    uint32_t start, end; /* token range [start, end) */
    uint32_t type;       /* index into the tag set's types */
} kg_tspan;

/* NULL when the scheme is unknown, there are no types or too many tags. */
kg_tagset *kg_tagset_new(int scheme, const char *const *types, unsigned ntypes);
void kg_tagset_free(kg_tagset *t);
int kg_tagset_scheme(const kg_tagset *t);
unsigned kg_tagset_size(const kg_tagset *t); /* K, tags */
unsigned kg_tagset_ntypes(const kg_tagset *t);
const char *kg_tagset_type_name(const kg_tagset *t, unsigned type);
/* Type index of a name, or KG_TAG_NONE. */
unsigned kg_tagset_type_index(const kg_tagset *t, const char *name);
/* Type and position of a tag (O: KG_TAG_NONE, KG_POS_O). */
unsigned kg_tagset_type(const kg_tagset *t, unsigned tag);
int kg_tagset_pos(const kg_tagset *t, unsigned tag);
/* The tag of (type, position), or KG_TAG_NONE when the scheme lacks it. */
unsigned kg_tagset_tag(const kg_tagset *t, unsigned type, int pos);
/* "O", "B-PERSON", ... into buf. */
const char *kg_tagset_tag_name(const kg_tagset *t, unsigned tag, char *buf, size_t cap);

/* Transition (prev -> next) allowed?  prev = K means "sentence start";
 * next = K means "sentence end". */
int kg_tagset_allowed(const kg_tagset *t, unsigned prev, unsigned next);
/* (K+1) x (K+1) bytes: row prev (K = start), column next (K = end). */
const uint8_t *kg_tagset_allowed_matrix(const kg_tagset *t);

/* Spans (sorted, not overlapping) -> tags[0..n). */
void kg_tagset_encode(const kg_tagset *t, const kg_tspan *spans, size_t nspans, size_t n,
                      uint16_t *tags);
/* Tags -> spans; writes at most cap spans into out, returns how many there
 * are.  Lenient with ill-formed input (an I-X after O opens a span). */
size_t kg_tagset_decode(const kg_tagset *t, const uint16_t *tags, size_t n, kg_tspan *out,
                        size_t cap);

/* ---- decoding ------------------------------------------------------------- */

/* A decoding plan: for a fixed tag-bigram score table and constraint
 * matrix, the legal predecessors of each tag and the score from each, in
 * the order the decoder reads them.  Build it once when the scores do not
 * change between sentences (a loaded model); kg_viterbi builds one per call
 * in its workspace (training, where they change). */
typedef struct kg_viterbi_plan {
    unsigned K;
    uint16_t *prev;   /* K x K: the legal predecessors of each tag */
    uint16_t *nprev;  /* K */
    float *tv;        /* K x K: the transition score from each of them */
    float *start;     /* K: the score from the sentence start; -inf: illegal */
    uint8_t *can_end; /* K: may the sentence end on this tag? */
} kg_viterbi_plan;

/* trans and allowed as for kg_viterbi; the plan copies what it needs. */
void kg_viterbi_plan_init(kg_viterbi_plan *p, unsigned K, const float *trans,
                          const uint8_t *allowed);
void kg_viterbi_plan_free(kg_viterbi_plan *p);

typedef struct kg_viterbi_ws {
    float *delta; /* T x K: the best score of a path to each tag at each token */
    size_t cap_delta;
    kg_viterbi_plan plan; /* kg_viterbi's own, rebuilt each call */
} kg_viterbi_ws;

#define KG_VITERBI_WS_INIT                  \
    {                                       \
        NULL, 0,                            \
        {                                   \
            0, NULL, NULL, NULL, NULL, NULL \
        }                                   \
    }

void kg_viterbi_ws_free(kg_viterbi_ws *ws);

/* Best path: maximise sum_t emit[t*K + y_t] + trans[y_{t-1}*K + y_t] (row K
 * of trans: from the sentence start) + (end ? end[y_T-1] : 0), over paths
 * whose every transition `allowed` permits ((K+1) x (K+1) as above; NULL:
 * all).  trans may be NULL (no bigram scores).  Writes path[0..T) and
 * returns the path's score (0 for T = 0).  With no legal path at all (an
 * inconsistent `allowed`) it returns the best ignoring the constraints. */
float kg_viterbi(unsigned K, size_t T, const float *emit, const float *trans, const float *end,
                 const uint8_t *allowed, uint16_t *path, kg_viterbi_ws *ws);

/* The same under a plan; -INFINITY (path unspecified) when the plan's
 * constraints leave no legal path. */
float kg_viterbi_planned(const kg_viterbi_plan *p, size_t T, const float *emit, const float *end,
                         uint16_t *path, kg_viterbi_ws *ws);

#endif
