/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixtures shared by the test_kernel_*.c tests: temp dirs, fake entries. */
#ifndef KTSTR_TEST_KERNEL_UTIL_H
#define KTSTR_TEST_KERNEL_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktstr/kernel.h"

#define KT_CONFIG_SCX "CONFIG_BPF=y\nCONFIG_SCHED_CLASS_EXT=y\nCONFIG_DEBUG_INFO_BTF=y\n"
#define KT_CONFIG_NOSCX "CONFIG_BPF=y\n# CONFIG_SCHED_CLASS_EXT is not set\n"

static inline char *kt_tmpdir(void)
{
	char *d = strdup("/tmp/ktstr-kernel-test-XXXXXX");

	if (!d || !mkdtemp(d))
		abort();
	return d;
}

static inline void kt_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static inline void kt_writef(const char *dir, const char *name, const char *text)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	kt_write(p, text);
}

static inline char *kt_read(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static inline int kt_exists(const char *dir, const char *name)
{
	char p[1024];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

static inline void kt_rmrf(const char *path)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd))
		abort();
}

/*
 * A valid entry root/key as a store would leave it; kconfig_hash NULL means
 * the current fragment's (not stale).
 */
static inline void kt_make_entry(const char *root, const char *key, const char *version,
				 const char *built_at, const char *kconfig_hash, const char *config)
{
	struct ktstr_kernel_meta m = { 0 };
	struct ktstr_err err = { 0 };
	char dir[1024], cfg[1100];

	snprintf(dir, sizeof(dir), "%s/%s", root, key);
	mkdir(root, 0755);
	if (mkdir(dir, 0755))
		abort();
	kt_writef(dir, "bzImage", "MZ fake bzImage");
	kt_writef(dir, "config", config ? config : KT_CONFIG_SCX);
	snprintf(cfg, sizeof(cfg), "%s/config", dir);
	m.schema = KTSTR_CACHE_SCHEMA;
	snprintf(m.version, sizeof(m.version), "%s", version);
	snprintf(m.source_type, sizeof(m.source_type), "deb");
	m.npackages = 1;
	snprintf(m.packages[0], sizeof(m.packages[0]), "linux-binary-%s_1_amd64.deb", version);
	snprintf(m.arch, sizeof(m.arch), "x86_64");
	snprintf(m.image_name, sizeof(m.image_name), "bzImage");
	if (ktstr_sha256_file(cfg, m.config_hash, &err))
		abort();
	snprintf(m.kconfig_hash, sizeof(m.kconfig_hash), "%s",
		 kconfig_hash ? kconfig_hash : ktstr_kconfig_fragment_hash());
	snprintf(m.built_at, sizeof(m.built_at), "%s", built_at);
	m.sched_ext = ktstr_kconfig_is_y(cfg, "SCHED_CLASS_EXT");
	m.btf = ktstr_kconfig_is_y(cfg, "DEBUG_INFO_BTF");
	if (ktstr_meta_write(dir, &m, &err))
		abort();
}

#define KT_OTHER_HASH "0000000000000000000000000000000000000000000000000000000000000000"

#endif
