/* wclust: word classes learnt from running text, so that a tagger can
 * generalise to words its labelled data never showed ("Bukavu" is not in
 * the training sentences, but it keeps the company of words like "Goma").
 *
 * A word is described by its neighbours: how often each of the most
 * frequent words (and "a rarer word", and "the sentence edge") stands just
 * left of it and just right of it, weighted by positive pointwise mutual
 * information (context counts smoothed to the power 0.75) and scaled to
 * unit length.  Spherical k-means with k-means++ seeding groups the words
 * into coarse classes, then splits each coarse class into fine ones, so a
 * fine class refines its coarse one: the two levels stand in for the
 * bit-string prefixes of Brown clusters (Ratinov & Roth 2009 used those
 * as NER features), at a fraction of Brown clustering's cost (seconds for
 * millions of tokens instead of hours).
 *
 * Words are the caller's 64-bit hashes (the NER's lower-cased token
 * hash).  Everything is deterministic: the same sentences, options and
 * seed give the same classes and the same bytes (kg_rng; sums in a fixed
 * order).
 *
 * The shipped form is one model-file section (ml/mfile.h) holding an
 * open-addressing table of {hash -> class}, used in place from the
 * mapping: a header {u32 magic, u32 coarse, u32 fine, u32 words, u64 cap,
 * u64 0}, then cap u64 keys (0 = empty), then cap u32 classes, each
 * (coarse + 1) << 16 | (fine + 1), fine numbered across all coarse
 * classes.  Loading checks the header, the size, that every class is in
 * range and that the table has an empty slot (so a probe ends).
 *
 * Threads: a builder belongs to one thread; a loaded kg_wclust is
 * read-only and may be shared. */
#ifndef KG_ML_WCLUST_H
#define KG_ML_WCLUST_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ml/mfile.h"

typedef struct kg_wclust_opts {
    unsigned coarse;    /* coarse classes (<= 4096) */
    unsigned fine;      /* fine classes per coarse class (coarse * fine < 65535) */
    unsigned min_count; /* a word seen fewer times gets no class */
    unsigned max_words; /* at most this many words (the most frequent) */
    unsigned contexts;  /* neighbours told apart: the most frequent words */
    unsigned window;    /* neighbours counted on each side (1 to 4) */
    unsigned iters;     /* k-means rounds per level, at most */
    uint64_t seed;
} kg_wclust_opts;

/* 64 coarse x 16 fine, words seen 3 times or more, up to 200,000 words,
 * 1,000 context words, 15 rounds, seed 1. */
void kg_wclust_defaults(kg_wclust_opts *o);

typedef struct kg_wclust_builder kg_wclust_builder;

kg_wclust_builder *kg_wclust_builder_new(void);
void kg_wclust_builder_free(kg_wclust_builder *b);
/* One sentence of word hashes, in order. */
void kg_wclust_add(kg_wclust_builder *b, const uint64_t *words, size_t n);
/* Tokens added so far. */
size_t kg_wclust_tokens(const kg_wclust_builder *b);
/* Learn the classes and add them to w as section `name`; returns how many
 * words got a class (0: too little text, and no section is written). */
size_t kg_wclust_build(kg_wclust_builder *b, const kg_wclust_opts *o, kg_mfile_writer *w,
                       const char *name);

/* A loaded table (plain data pointing into the model file). */
typedef struct kg_wclust {
    const uint64_t *keys;
    const uint32_t *cls;
    size_t mask; /* cap - 1; keys == NULL: no classes */
    unsigned coarse, fine, words;
} kg_wclust;

#define KG_WCLUST_MAGIC 0x4b47574cu /* "KGWL" */

/* Read section `name` of mf into *out; a model without the section has no
 * classes (*out zeroed, KG_OK); a damaged one is an error naming the file. */
int kg_wclust_load(const kg_mfile *mf, const char *name, kg_wclust *out, kg_err *err);

/* The first slot probed for key k (never 0) in a table of mask + 1 slots:
 * the one rule the writer and the reader share. */
static inline size_t kg_wclust_slot(uint64_t k, size_t mask)
{
    return (size_t)(k ^ (k >> 29)) & mask;
}

/* The class of word h: (coarse + 1) << 16 | (fine + 1), or 0 for a word
 * without one. */
static inline uint32_t kg_wclust_get(const kg_wclust *c, uint64_t h)
{
    if (!c || !c->keys)
        return 0;
    uint64_t k = h ? h : 1;
    size_t i = kg_wclust_slot(k, c->mask);
    while (c->keys[i]) {
        if (c->keys[i] == k)
            return c->cls[i];
        i = (i + 1) & c->mask;
    }
    return 0;
}

#endif
