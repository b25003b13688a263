// SPDX-License-Identifier: GPL-2.0-only
/* Edit distance suggestions; see suggest.h. */
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define WORD_MAX 64

unsigned ktstr_edit_distance(const char *a, const char *b)
{
	unsigned row[WORD_MAX + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > WORD_MAX || lb > WORD_MAX)
		return 255;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *ktstr_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned best_d = 3;

	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (strcasecmp(word, cands[i]) == 0)
			return cands[i];
		d = ktstr_edit_distance(word, cands[i]);
		if (d < best_d && d < strlen(cands[i])) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}
