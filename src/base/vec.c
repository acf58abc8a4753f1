/* vec: see vec.h. */
#include "base/vec.h"

#include <stdint.h>

#include "base/buf.h"

void *kg_vec_grow(void *data, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : KG_VEC_MIN_CAP;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            kg_oom();
        c *= 2;
    }
    if (elem && c > SIZE_MAX / elem)
        kg_oom();
    data = kg_xrealloc(data, c * elem);
    *cap = c;
    return data;
}

void kg_vec_grow_counted(void **v, size_t n, size_t elem)
{
    if (n < KG_VEC_MIN_CAP) {
        if (n == 0)
            *v = kg_xrealloc(*v, KG_VEC_MIN_CAP * elem);
        return;
    }
    if ((n & (n - 1)) == 0) {
        if (n > SIZE_MAX / 2 / (elem ? elem : 1))
            kg_oom();
        *v = kg_xrealloc(*v, 2 * n * elem);
    }
}
