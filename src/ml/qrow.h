/* qrow: adding one quantised weight row (int8 weights and a float scale) to
 * a vector of class scores, shared by ml/linear and ml/ftable.
 *
 * Why its own helper: it runs once per feature found in a model (tens of
 * millions of times per second of tagging) and the plain loop is not
 * vectorised by gcc -O2 (unknown trip count, and an int8 pointer may alias
 * the scores).  With SSE2 (every x86-64) four classes are done per step.
 * Each score still gets exactly scores[c] + scale * (float)q[c], one IEEE
 * single-precision multiply then one add, the same operations in the same
 * order as the scalar loop: results are bit-identical, so the model's
 * predictions do not depend on which path ran.  Reads q[0..k) only. */
#ifndef KG_ML_QROW_H
#define KG_ML_QROW_H

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static inline void kg_qrow_add(float *scores, float scale, const int8_t *q, unsigned k)
{
    unsigned c = 0;
#ifdef __SSE2__
    const __m128 s = _mm_set1_ps(scale);
    for (; c + 16 <= k; c += 16) {
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(q + c));
        __m128i lo = _mm_unpacklo_epi8(b, b), hi = _mm_unpackhi_epi8(b, b);
        __m128i v[4] = {_mm_srai_epi32(_mm_unpacklo_epi16(lo, lo), 24),
                        _mm_srai_epi32(_mm_unpackhi_epi16(lo, lo), 24),
                        _mm_srai_epi32(_mm_unpacklo_epi16(hi, hi), 24),
                        _mm_srai_epi32(_mm_unpackhi_epi16(hi, hi), 24)};
        for (unsigned j = 0; j < 4; j++) {
            float *o = scores + c + 4 * j;
            __m128 x = _mm_mul_ps(s, _mm_cvtepi32_ps(v[j]));
            _mm_storeu_ps(o, _mm_add_ps(_mm_loadu_ps(o), x));
        }
    }
    for (; c + 4 <= k; c += 4) {
        int32_t w;
        memcpy(&w, q + c, sizeof w);
        __m128i b = _mm_cvtsi32_si128(w);
        b = _mm_unpacklo_epi8(b, b);
        b = _mm_srai_epi32(_mm_unpacklo_epi16(b, b), 24);
        __m128 x = _mm_mul_ps(s, _mm_cvtepi32_ps(b));
        _mm_storeu_ps(scores + c, _mm_add_ps(_mm_loadu_ps(scores + c), x));
    }
#endif
    for (; c < k; c++)
        scores[c] += scale * (float)q[c];
}

#endif
