/* strlist: membership in a small, fixed list of words.
 *
 * The rule modules keep their word lists as NULL-terminated arrays of
 * string literals (honorifics, stop words, a family of entity types): a
 * dozen to a few dozen entries, read where the rule is, in a comparison or
 * two per call.  A linear scan with strcmp is the right cost at that size,
 * and one helper spares each module its own copy of the loop.  Lists that
 * are large or looked up per token belong in a hash table (base/idset). */
#ifndef KG_BASE_STRLIST_H
#define KG_BASE_STRLIST_H

#include <stdbool.h>

/* Is s, byte for byte, one of the entries of list (ended by NULL)? */
bool kg_strlist_has(const char *const *list, const char *s);

#endif
