/* SPDX-License-Identifier: GPL-2.0-only */
/* Test helpers: build frames and frame streams. */
#ifndef KTSTR_TEST_FRAME_HELPERS_H
#define KTSTR_TEST_FRAME_HELPERS_H

#include <stddef.h>

#include "ktstr/proto.h"

/* A growable byte buffer. */
struct tbuf {
	unsigned char *p;
	size_t len, cap;
};

void tbuf_put(struct tbuf *b, const void *data, size_t len);
/* Append one encoded frame of `type` with a NUL-terminated JSON payload. */
size_t tbuf_frame(struct tbuf *b, unsigned type, const char *json);
void tbuf_free(struct tbuf *b);

/* A struct ktstr_frame pointing at `json` (not copied). */
struct ktstr_frame tframe(unsigned type, const char *json);

#endif
