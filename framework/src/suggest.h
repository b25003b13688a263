/* SPDX-License-Identifier: GPL-2.0-only */
/* "did you mean ...?" for misspelled keys and names. */
#ifndef KTSTR_SUGGEST_H
#define KTSTR_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance; saturates at 255 for very long words. */
unsigned ktstr_edit_distance(const char *a, const char *b);

/*
 * The candidate closest to word: a case-insensitive match, or an edit
 * distance of at most 2 that is smaller than the candidate's length (so
 * "ab" does not "suggest" "op").  NULL when nothing is close.
 */
const char *ktstr_suggest(const char *word, const char *const *cands, size_t n);

#endif /* KTSTR_SUGGEST_H */
