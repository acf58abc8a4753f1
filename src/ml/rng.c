/* rng: xoshiro256** with SplitMix64 seeding (see rng.h). */
#include "ml/rng.h"

#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void kg_rng_seed(kg_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t kg_rng_next(kg_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

uint64_t kg_rng_below(kg_rng *r, uint64_t n)
{
    /* 128-bit product: the high word is uniform once the low word clears
     * the threshold 2^64 mod n. */
    unsigned __int128 m = (unsigned __int128)kg_rng_next(r) * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t thr = (0 - n) % n;
        while (lo < thr) {
            m = (unsigned __int128)kg_rng_next(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double kg_rng_unit(kg_rng *r)
{
    return (double)(kg_rng_next(r) >> 11) * 0x1.0p-53;
}

void kg_rng_shuffle(kg_rng *r, void *base, size_t n, size_t elem_size)
{
    unsigned char *b = base, tmp[64];
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)kg_rng_below(r, i);
        if (j == i - 1)
            continue;
        unsigned char *x = b + (i - 1) * elem_size, *y = b + j * elem_size;
        for (size_t off = 0; off < elem_size; off += sizeof tmp) {
            size_t c = elem_size - off < sizeof tmp ? elem_size - off : sizeof tmp;
            memcpy(tmp, x + off, c);
            memcpy(x + off, y + off, c);
            memcpy(y + off, tmp, c);
        }
    }
}

void kg_rng_permutation(kg_rng *r, uint32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (uint32_t)i;
    kg_rng_shuffle(r, v, n, sizeof *v);
}
