/* SPDX-License-Identifier: GPL-2.0-only */
/* SHA-256 content hashing (libcrypto) for cache keys. */
#ifndef KTSTR_HASH_H
#define KTSTR_HASH_H

#include <stddef.h>

struct ktstr_hash;

struct ktstr_hash *ktstr_hash_new(void);
int ktstr_hash_update(struct ktstr_hash *h, const void *data, size_t len);
/* Hash a whole file's bytes into h; -errno on failure. */
int ktstr_hash_file(struct ktstr_hash *h, const char *path);
/* 64 hex digits + NUL into hex; frees h. */
int ktstr_hash_final_hex(struct ktstr_hash *h, char hex[65]);
void ktstr_hash_free(struct ktstr_hash *h);

#endif
