// SPDX-License-Identifier: GPL-2.0-only
/*
 * .deb extraction against packages synthesised here with libarchive (an ar
 * holding debian-binary, control.tar.xz, data.tar.xz), and SPEC parsing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "ktstr/default_kernel.h"
#include "test_kernel_util.h"

struct member { const char *name; const char *data; const char *symlink; };

/* A tar.xz (or plain tar when !xz) of members, in memory. */
static size_t make_tar(const struct member *m, size_t n, int xz, char *buf, size_t cap)
{
	struct archive *a = archive_write_new();
	size_t used = 0;

	archive_write_set_format_pax_restricted(a);
	if (xz)
		archive_write_add_filter_xz(a);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_perm(e, 0644);
		if (m[i].symlink) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, m[i].symlink);
		} else if (!m[i].data) {
			archive_entry_set_filetype(e, AE_IFDIR);
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (m[i].data && !m[i].symlink)
			archive_write_data(a, m[i].data, strlen(m[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return used;
}

static void ar_add(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	archive_write_data(a, data, len);
	archive_entry_free(e);
}

static void make_deb(const char *path, const struct member *m, size_t n, const char *data_name)
{
	static char data[1 << 20], ctrl[1 << 16];
	const struct member cm[] = { { "./control", "Package: linux-binary-test\n", NULL } };
	size_t dl = make_tar(m, n, strstr(data_name, ".xz") != NULL, data, sizeof(data));
	size_t cl = make_tar(cm, 1, 1, ctrl, sizeof(ctrl));
	struct archive *a = archive_write_new();

	archive_write_set_format_ar_svr4(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	ar_add(a, "debian-binary", "2.0\n", 4);
	ar_add(a, "control.tar.xz", ctrl, cl);
	ar_add(a, data_name, data, dl);
	archive_write_close(a);
	archive_write_free(a);
}

#define VER "7.2.13+deb14-cloud-amd64"

static const struct member kernel_pkg[] = {
	{ "./", NULL, NULL },
	{ "./usr/", NULL, NULL },
	{ "./usr/lib/modules/" VER "/", NULL, NULL },
	{ "./usr/lib/modules/" VER "/vmlinuz", "MZ bzImage bytes", NULL },
	{ "./usr/lib/modules/" VER "/config", KT_CONFIG_SCX, NULL },
	{ "./usr/share/doc/x/changelog", "log", NULL },
	{ "./boot/vmlinuz", NULL, "../usr/lib/modules/" VER "/vmlinuz" },
};

static void test_extract(void **state)
{
	char *dir = kt_tmpdir(), deb[1024], img[1024], cfg[1024];
	struct ktstr_err err = { 0 };
	struct ktstr_deb_member m[2] = {
		{ .name = "usr/lib/modules/" VER "/vmlinuz", .dest = img },
		{ .name = "./usr/lib/modules/" VER "/config", .dest = cfg },
	};

	snprintf(deb, sizeof(deb), "%s/k.deb", dir);
	snprintf(img, sizeof(img), "%s/bzImage", dir);
	snprintf(cfg, sizeof(cfg), "%s/config", dir);
	make_deb(deb, kernel_pkg, sizeof(kernel_pkg) / sizeof(kernel_pkg[0]), "data.tar.xz");
	assert_int_equal(ktstr_deb_extract(deb, m, 2, &err), 0);
	assert_true(m[0].found && m[1].found);
	assert_string_equal(kt_read(img), "MZ bzImage bytes");
	assert_string_equal(kt_read(cfg), KT_CONFIG_SCX);
	/* only the named files were written */
	assert_false(kt_exists(dir, "usr"));
	assert_false(kt_exists(dir, "boot"));
	/* destinations are never overwritten */
	assert_int_equal(ktstr_deb_extract(deb, m, 1, &err), -EEXIST);
	kt_rmrf(dir);
	free(dir);
}

static void test_extract_plain_tar_and_missing(void **state)
{
	char *dir = kt_tmpdir(), deb[1024], out[1024];
	struct ktstr_err err = { 0 };
	struct ktstr_deb_member m[1] = { { .name = "boot/vmlinuz-9.9", .dest = out } };

	snprintf(deb, sizeof(deb), "%s/k.deb", dir);
	snprintf(out, sizeof(out), "%s/img", dir);
	make_deb(deb, kernel_pkg, sizeof(kernel_pkg) / sizeof(kernel_pkg[0]), "data.tar");
	assert_int_equal(ktstr_deb_extract(deb, m, 1, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "does not contain boot/vmlinuz-9.9"));
	kt_rmrf(dir);
	free(dir);
}

static void test_extract_symlink_refused(void **state)
{
	char *dir = kt_tmpdir(), deb[1024], out[1024];
	struct ktstr_err err = { 0 };
	struct ktstr_deb_member m[1] = { { .name = "boot/vmlinuz", .dest = out } };

	snprintf(deb, sizeof(deb), "%s/k.deb", dir);
	snprintf(out, sizeof(out), "%s/img", dir);
	make_deb(deb, kernel_pkg, sizeof(kernel_pkg) / sizeof(kernel_pkg[0]), "data.tar.xz");
	assert_int_equal(ktstr_deb_extract(deb, m, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is not a regular file"));
	assert_false(kt_exists(dir, "img"));
	kt_rmrf(dir);
	free(dir);
}

static void test_extract_path_escape_refused(void **state)
{
	const struct member evil[] = {
		{ "./usr/lib/modules/" VER "/vmlinuz", "MZ", NULL },
		{ "./usr/../../../etc/evil", "owned", NULL },
	};
	char *dir = kt_tmpdir(), deb[1024], out[1024];
	struct ktstr_err err = { 0 };
	struct ktstr_deb_member m[1] = { { .name = "usr/lib/modules/" VER "/vmlinuz", .dest = out } };

	snprintf(deb, sizeof(deb), "%s/evil.deb", dir);
	snprintf(out, sizeof(out), "%s/img", dir);
	make_deb(deb, evil, 2, "data.tar.xz");
	assert_int_equal(ktstr_deb_extract(deb, m, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "escapes the package root; refusing to unpack"));
	kt_rmrf(dir);
	free(dir);
}

static void test_not_a_deb(void **state)
{
	char *dir = kt_tmpdir(), deb[1024], out[1024];
	struct ktstr_err err = { 0 };
	struct ktstr_deb_member m[1] = { { .name = "x", .dest = out } };
	struct archive *a;

	snprintf(deb, sizeof(deb), "%s/junk.deb", dir);
	snprintf(out, sizeof(out), "%s/img", dir);
	kt_write(deb, "definitely not an ar archive, just text\n");
	assert_int_equal(ktstr_deb_extract(deb, m, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is not a readable .deb (ar archive)"));
	/* an ar without data.tar */
	a = archive_write_new();
	archive_write_set_format_ar_svr4(a);
	archive_write_open_filename(a, deb);
	ar_add(a, "debian-binary", "2.0\n", 4);
	archive_write_close(a);
	archive_write_free(a);
	assert_int_equal(ktstr_deb_extract(deb, m, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "has no data.tar member"));
	kt_rmrf(dir);
	free(dir);
}

static void test_spec_parse(void **state)
{
	struct ktstr_deb_spec s;
	struct ktstr_err err = { 0 };

	assert_int_equal(ktstr_deb_spec_parse(NULL, &s, &err), 0);
	assert_string_equal(s.version, KTSTR_DEFAULT_KERNEL_VERSION);
	assert_string_equal(s.image_pkg, "linux-binary-" KTSTR_DEFAULT_KERNEL_VERSION);
	assert_string_equal(s.config_pkg, "linux-base-" KTSTR_DEFAULT_KERNEL_VERSION);
	assert_string_equal(s.image_member,
			    "usr/lib/modules/" KTSTR_DEFAULT_KERNEL_VERSION "/vmlinuz");
	assert_int_equal(ktstr_deb_spec_parse("7.3.4+deb13-cloud-amd64", &s, &err), 0);
	assert_string_equal(s.config_member, "usr/lib/modules/7.3.4+deb13-cloud-amd64/config");
	assert_int_equal(ktstr_deb_spec_parse("linux-base-7.3.4+deb13-cloud-amd64", &s, &err), 0);
	assert_string_equal(s.image_pkg, "linux-binary-7.3.4+deb13-cloud-amd64");
	assert_int_equal(ktstr_deb_spec_parse("linux-image-6.1.0-30-cloud-amd64-unsigned", &s,
					      &err), 0);
	assert_string_equal(s.version, "6.1.0-30-cloud-amd64");
	assert_string_equal(s.image_pkg, "linux-image-6.1.0-30-cloud-amd64-unsigned");
	assert_string_equal(s.config_pkg, "");
	assert_string_equal(s.image_member, "boot/vmlinuz-6.1.0-30-cloud-amd64");
	assert_string_equal(s.config_member, "boot/config-6.1.0-30-cloud-amd64");
	assert_int_equal(ktstr_deb_spec_parse("7.2", &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "kernel spec '7.2' is not a Debian kernel version"));
	assert_int_equal(ktstr_deb_spec_parse("../../x-y", &s, &err), -EINVAL);
	assert_int_equal(ktstr_deb_spec_parse("linux-binary-7.2 -x", &s, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_extract_plain_tar_and_missing),
		cmocka_unit_test(test_extract_symlink_refused),
		cmocka_unit_test(test_extract_path_escape_refused),
		cmocka_unit_test(test_not_a_deb),
		cmocka_unit_test(test_spec_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
