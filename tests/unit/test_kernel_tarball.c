// SPDX-License-Identifier: GPL-2.0-only
/* Safe extraction of source tarballs: every way out of the tree is refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "test_kernel_util.h"

struct member {
	const char *name;
	int type;                /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, or 0: hardlink */
	const char *data;        /* file content, or the link target */
};

/* Writes a gzip'd pax tarball of members to dir/name; returns its path. */
static char *make_tar(const char *dir, const char *name, const struct member *m, size_t n)
{
	static char path[1024];
	struct archive *a = archive_write_new();

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_perm(e, 0644);
		if (m[i].type == 0) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, m[i].data);
		} else {
			archive_entry_set_filetype(e, (unsigned)m[i].type);
		}
		if (m[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, m[i].data);
		if (m[i].type == AE_IFREG)
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].type == AE_IFREG)
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return path;
}

static void test_good(void **state)
{
	static const struct member good[] = {
		{ "linux-1.0", AE_IFDIR, NULL },
		{ "linux-1.0/Makefile", AE_IFREG, "all:\n" },
		{ "linux-1.0/a/b/c.c", AE_IFREG, "int x;\n" },
		{ "linux-1.0/a/b/up", AE_IFLNK, "../../Makefile" },
		{ "linux-1.0/a/hard", 0, "linux-1.0/Makefile" },
	};
	char *dir = kt_tmpdir(), dest[1024], *tar;
	struct ktstr_err e = { 0 };

	(void)state;
	snprintf(dest, sizeof(dest), "%s/tree", dir);
	mkdir(dest, 0755);
	tar = make_tar(dir, "good.tar.gz", good, 5);
	if (ktstr_tarball_extract(tar, dest, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(kt_read(strcat(strcpy((char[1100]){ 0 }, dest), "/a/b/up")), "all:\n");
	assert_true(kt_exists(dest, "a/b/c.c"));
	assert_true(kt_exists(dest, "a/hard"));
	kt_rmrf(dir);
	free(dir);
}

static void expect_reject(const struct member *m, size_t n, const char *why)
{
	char *dir = kt_tmpdir(), dest[1024], *tar;
	struct ktstr_err e = { 0 };

	snprintf(dest, sizeof(dest), "%s/a/b/tree", dir);
	kt_rmrf(dest);
	assert_int_equal(system(strcat(strcpy((char[1200]){ 0 }, "mkdir -p "), dest)), 0);
	tar = make_tar(dir, "evil.tar.gz", m, n);
	assert_int_not_equal(ktstr_tarball_extract(tar, dest, &e), 0);
	assert_non_null(strstr(e.msg, "extract tarball: "));
	if (!strstr(e.msg, why))
		fail_msg("expected '%s' in: %s", why, e.msg);
	/* Nothing landed outside the tree. */
	assert_false(kt_exists(dir, "a/b/escaped"));
	assert_false(kt_exists(dir, "a/escaped"));
	assert_false(kt_exists(dir, "escaped"));
	kt_rmrf(dir);
	free(dir);
}

static void test_rejects(void **state)
{
	static const struct member abs[] = { { "/tmp/ktstr-escaped-abs", AE_IFREG, "x" } };
	static const struct member dotdot[] = { { "linux-1.0/../../escaped", AE_IFREG, "x" } };
	static const struct member sym_up[] = {
		{ "linux-1.0/a/l", AE_IFLNK, "../../../escaped" },
	};
	static const struct member sym_abs[] = { { "linux-1.0/l", AE_IFLNK, "/etc/passwd" } };
	static const struct member hard_abs[] = { { "linux-1.0/h", 0, "/etc/passwd" } };
	static const struct member hard_up[] = { { "linux-1.0/h", 0, "../escaped" } };
	static const struct member dev[] = { { "linux-1.0/null", AE_IFCHR, NULL } };
	/* A symlink to a directory, then a member written through it. */
	static const struct member through[] = {
		{ "linux-1.0/d", AE_IFLNK, "." },
		{ "linux-1.0/d/ok", AE_IFREG, "x" },
	};

	(void)state;
	expect_reject(abs, 1, "has an absolute path");
	expect_reject(dotdot, 1, "has a '..' component");
	expect_reject(sym_up, 1, "is a symlink that escapes the tree");
	expect_reject(sym_abs, 1, "is a symlink to an absolute path");
	expect_reject(hard_abs, 1, "is a hardlink to a path outside the tree");
	expect_reject(hard_up, 1, "is a hardlink to a path outside the tree");
	expect_reject(dev, 1, "is a device node, fifo or socket");
	expect_reject(through, 2, "symlink");
}

static void test_damaged(void **state)
{
	char *dir = kt_tmpdir(), path[1024];
	struct ktstr_err e = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/not.tar.xz", dir);
	kt_write(path, "<html>this is not a tarball</html>\n");
	assert_int_not_equal(ktstr_tarball_extract(path, dir, &e), 0);
	assert_non_null(strstr(e.msg, "extract tarball: "));
	assert_non_null(strstr(e.msg, "not.tar.xz"));
	snprintf(path, sizeof(path), "%s/missing-dest", dir);
	assert_int_equal(ktstr_tarball_extract("/nonexistent.tar", path, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "extract tarball: /nonexistent.tar: destination"));
	kt_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests_name("kernel_tarball", tests, NULL, NULL);
}
