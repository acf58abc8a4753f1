/* vec: the one growable array of kgas, for any element type.
 *
 * A vector is any struct with the three members `v` (T *), `n` and `cap`
 * (size_t): declare one in place with KG_VEC(T), or give an existing record
 * type those member names.  Growth doubles the capacity (amortised O(1)
 * push), starting at KG_VEC_MIN_CAP elements; memory beyond `n` is not
 * initialised except by kg_vec_push_zero.  Allocation failure aborts
 * (base/buf.h says why).  Elements move when the array grows: keep indices,
 * not pointers, across pushes.
 *
 *     KG_VEC(int) xs = {0};
 *     kg_vec_push(&xs, 42);
 *     for (size_t i = 0; i < xs.n; i++) use(xs.v[i]);
 *     kg_vec_free(&xs);
 */
#ifndef KG_BASE_VEC_H
#define KG_BASE_VEC_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define KG_VEC_MIN_CAP 8

/* An anonymous vector type; two KG_VEC(T) declarations are distinct types,
 * so name it with a typedef when it crosses a function boundary. */
#define KG_VEC(T)      \
    struct {           \
        T *v;          \
        size_t n, cap; \
    }

/* The array `data` (cap elements of `elem` bytes) regrown to hold at least
 * `need` elements: doubled, or more when need asks for more.  Returns the
 * (possibly moved) array and updates *cap; never NULL (aborts on OOM). */
void *kg_vec_grow(void *data, size_t *cap, size_t need, size_t elem);

/* For an array kept as a pointer and a count with no capacity (a public
 * struct whose readers need only those): make room for element n of *v
 * (elem bytes each) when every element was added through this.  The
 * capacity is implied by n (8, then doubling at powers of two), so adding
 * n elements costs O(n) copies. */
void kg_vec_grow_counted(void **v, size_t n, size_t elem);

/* Room for `extra` more elements without a reallocation. */
#define kg_vec_reserve(a, extra)                                                             \
    ((a)->n + (extra) > (a)->cap                                                             \
         ? (void)((a)->v = kg_vec_grow((a)->v, &(a)->cap, (a)->n + (extra), sizeof *(a)->v)) \
         : (void)0)

/* Room for element `n` of the array `p` whose capacity is the size_t
 * lvalue `cap`: for arrays kept as a separate pointer, count and capacity
 * (out parameters, or records whose members have other names).  The
 * arguments are evaluated more than once: give plain lvalues. */
#define kg_vec_room(p, n, cap)                                                                   \
    ((size_t)(n) >= (cap) ? (void)((p) = kg_vec_grow((p), &(cap), (size_t)(n) + 1, sizeof *(p))) \
                          : (void)0)

/* Append one element (an expression of the element type). */
#define kg_vec_push(a, x) (kg_vec_reserve((a), 1), (void)((a)->v[(a)->n++] = (x)))

/* Append one zeroed element and return a pointer to it (valid until the
 * next push). */
#define kg_vec_push_zero(a) \
    (kg_vec_reserve((a), 1), memset(&(a)->v[(a)->n], 0, sizeof *(a)->v), &(a)->v[(a)->n++])

/* The last element; the vector must not be empty. */
#define kg_vec_last(a) ((a)->v[(a)->n - 1])

/* Release the array (not what its elements point to) and empty the vector. */
#define kg_vec_free(a) (free((a)->v), (a)->v = NULL, (a)->n = (a)->cap = 0)

#endif
