// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hash.h"

struct ktstr_hash {
	EVP_MD_CTX *ctx;
};

struct ktstr_hash *ktstr_hash_new(void)
{
	struct ktstr_hash *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		ktstr_hash_free(h);
		return NULL;
	}
	return h;
}

int ktstr_hash_update(struct ktstr_hash *h, const void *data, size_t len)
{
	return EVP_DigestUpdate(h->ctx, data, len) == 1 ? 0 : -EIO;
}

int ktstr_hash_file(struct ktstr_hash *h, const char *path)
{
	unsigned char buf[1 << 16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (ktstr_hash_update(h, buf, (size_t)n)) {
			close(fd);
			return -EIO;
		}
	}
	close(fd);
	return n < 0 ? -errno : 0;
}

int ktstr_hash_final_hex(struct ktstr_hash *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	int r = EVP_DigestFinal_ex(h->ctx, md, &len) == 1 ? 0 : -EIO;

	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	ktstr_hash_free(h);
	return r;
}

void ktstr_hash_free(struct ktstr_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}
