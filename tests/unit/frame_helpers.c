// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "frame_helpers.h"

void tbuf_put(struct tbuf *b, const void *data, size_t len)
{
	if (!len)
		return;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + len)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

size_t tbuf_frame(struct tbuf *b, unsigned type, const char *json)
{
	size_t n = strlen(json);
	unsigned char *tmp = malloc(KTSTR_FRAME_HDR_SIZE + n);
	long w;

	if (!tmp)
		abort();
	w = ktstr_frame_encode(type, json, n, tmp, KTSTR_FRAME_HDR_SIZE + n);
	if (w < 0)
		abort();
	tbuf_put(b, tmp, (size_t)w);
	free(tmp);
	return (size_t)w;
}

void tbuf_free(struct tbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

struct ktstr_frame tframe(unsigned type, const char *json)
{
	struct ktstr_frame f = { .type = type, .len = (uint32_t)strlen(json),
				 .payload = (char *)json };
	return f;
}
