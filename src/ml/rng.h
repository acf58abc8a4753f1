/* rng: the deterministic randomness of training.
 *
 * A model must come out byte-identical from the same data and seed, on any
 * machine and with any libc, so training never calls rand(): it draws from
 * this xoshiro256** generator, seeded through SplitMix64 (a seed of 0 is
 * fine), and shuffles with an unbiased Fisher-Yates.  Not for secrets.
 *
 * A kg_rng is plain data owned by the caller (no allocation); one per
 * thread. */
#ifndef KG_ML_RNG_H
#define KG_ML_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct kg_rng {
    uint64_t s[4];
} kg_rng;

void kg_rng_seed(kg_rng *r, uint64_t seed);
uint64_t kg_rng_next(kg_rng *r);
/* Uniform in [0, n); n > 0.  Lemire's multiply-and-reject: no modulo bias. */
uint64_t kg_rng_below(kg_rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double kg_rng_unit(kg_rng *r);
/* Shuffle n elements of elem_size bytes each, in place. */
void kg_rng_shuffle(kg_rng *r, void *base, size_t n, size_t elem_size);
/* v[i] = i for i < n, then shuffled: a random visiting order. */
void kg_rng_permutation(kg_rng *r, uint32_t *v, size_t n);

#endif
