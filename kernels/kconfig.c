// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading a kernel config: CONFIG_ values, and the hashes the cache records
 * (sha256 of an entry's config, sha256 of kernels/ktstr.kconfig).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ktstr/kernel.h"

#ifndef KTSTR_KCONFIG_SHA256
#error "KTSTR_KCONFIG_SHA256 is defined by kernels/CMakeLists.txt"
#endif

const char *ktstr_kconfig_fragment_hash(void)
{
	return KTSTR_KCONFIG_SHA256;
}

int ktstr_kconfig_get(const char *config_path, const char *name, char *val, size_t len)
{
	char want[128], line[4096];
	size_t wl;
	FILE *f;
	int found = 0;

	if (strncmp(name, "CONFIG_", 7) == 0)
		name += 7;
	snprintf(want, sizeof(want), "CONFIG_%s=", name);
	wl = strlen(want);
	f = fopen(config_path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		/* "# CONFIG_X is not set" is a comment: it counts as absent. */
		if (strncmp(line, want, wl) != 0)
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		if (val && len)
			snprintf(val, len, "%s", line + wl);
		found = 1;       /* the last assignment wins, as in Kconfig */
	}
	fclose(f);
	return found;
}

int ktstr_kconfig_is_y(const char *config_path, const char *name)
{
	char v[16];
	int rc;

	if (!config_path || !*config_path)
		return -1;
	rc = ktstr_kconfig_get(config_path, name, v, sizeof(v));
	if (rc < 0)
		return -1;
	return rc == 1 && strcmp(v, "y") == 0;
}

int ktstr_sha256_file(const char *path, char hex[65], struct ktstr_err *err)
{
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	ssize_t r;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ktstr_err_set(err, -errno, "cannot read %s: %s", path, strerror(errno));
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		rc = ktstr_err_set(err, -ENOMEM, "cannot hash %s: libcrypto sha256 unavailable", path);
		goto out;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)r);
	if (r < 0) {
		rc = ktstr_err_set(err, -errno, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	for (unsigned int i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}
