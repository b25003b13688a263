/* SPDX-License-Identifier: GPL-2.0-only */
/* Fake sysfs/procfs/cgroupfs trees in a temporary directory, for guest tests. */
#ifndef TEST_GUEST_TREE_H
#define TEST_GUEST_TREE_H

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p for the directory part of root/rel (rel ending in '/' is a dir). */
static inline void tree_mkdirs(const char *root, const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			abort();
		*p = '/';
	}
}

/* Write root/<fmt...> = content (a trailing newline, like sysfs). */
static inline void tree_file(const char *root, const char *content, const char *fmt, ...)
{
	char rel[512], path[1024];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	tree_mkdirs(root, rel);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f)
		abort();
	fprintf(f, "%s\n", content);
	fclose(f);
}

static inline void tree_dir(const char *root, const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s/", root, rel);
	tree_mkdirs(root, path + strlen(root) + 1);
}

static inline char *tree_new(void)
{
	char tmpl[] = "/tmp/ktstr-guest-test.XXXXXX";
	char *dir = mkdtemp(tmpl);

	if (!dir)
		abort();
	return strdup(dir);
}

static inline int tree_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void tree_free(char *root)
{
	nftw(root, tree_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(root);
}

#endif /* TEST_GUEST_TREE_H */
