// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracting a kernel source tarball safely.
 *
 * The tarball comes from the network, so nothing in it may decide where
 * bytes land outside dest: every member is checked before libarchive
 * writes it (absolute paths, ".." components, symlinks whose target
 * leaves the tree, hardlinks to outside names, device nodes and fifos are
 * refused with the member named), and libarchive's own SECURE_* flags
 * stay on as a second line (they also stop writes through a symlink that
 * an earlier member planted).  The top "linux-X.Y.Z/" directory is
 * stripped, so dest becomes the tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "ktstr/kernel.h"

/*
 * Depth-checks a relative path: 0 when it stays inside its root (starting
 * at depth `depth`), -1 when a ".." climbs above it.
 */
static int stays_inside(const char *p, int depth)
{
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return -1;
		} else if (n && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

static int has_dotdot(const char *p)
{
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

/* Path after the first component ("linux-6.14/a/b" -> "a/b"); "" for the top. */
static const char *strip_top(const char *name)
{
	const char *s;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	s = strchr(name, '/');
	if (!s)
		return "";
	while (*s == '/')
		s++;
	return s;
}

/* Number of directories a member sits in below the tree root. */
static int dir_depth(const char *rel)
{
	int d = 0;

	for (const char *p = rel; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			d++;
	return d;
}

static int reject(struct ktstr_err *err, const char *tarball, const char *member, const char *why)
{
	return ktstr_err_set(err, -EPERM,
		"extract tarball: %s: member %s %s; refusing to unpack this tarball (it is not "
		"a kernel.org source tarball, or it was tampered with)", tarball, member, why);
}

/* 0 when ent may be written; fills out the rewritten paths. */
static int check_member(struct archive_entry *ent, const char *tarball, const char *dest,
			char *path, size_t plen, char *link, size_t llen, struct ktstr_err *err)
{
	const char *name = archive_entry_pathname(ent), *rel, *hl, *sl;
	mode_t type = archive_entry_filetype(ent);

	link[0] = '\0';
	if (!name || !*name)
		return reject(err, tarball, "(unnamed)", "has no name");
	if (name[0] == '/')
		return reject(err, tarball, name, "has an absolute path");
	if (has_dotdot(name))
		return reject(err, tarball, name, "has a '..' component");
	if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK)
		return reject(err, tarball, name, "is a device node, fifo or socket");
	rel = strip_top(name);
	if (!*rel)
		return 1;     /* the top directory itself */
	hl = archive_entry_hardlink(ent);
	if (hl) {
		const char *hrel;

		if (hl[0] == '/' || has_dotdot(hl) || !*(hrel = strip_top(hl)))
			return reject(err, tarball, name, "is a hardlink to a path outside the tree");
		snprintf(link, llen, "%s/%s", dest, hrel);
	}
	sl = type == AE_IFLNK ? archive_entry_symlink(ent) : NULL;
	if (type == AE_IFLNK) {
		if (!sl || sl[0] == '/')
			return reject(err, tarball, name, "is a symlink to an absolute path");
		if (stays_inside(sl, dir_depth(rel)))
			return reject(err, tarball, name, "is a symlink that escapes the tree");
	}
	if (snprintf(path, plen, "%s/%s", dest, rel) >= (int)plen)
		return reject(err, tarball, name, "has a path too long to extract");
	return 0;
}

int ktstr_tarball_extract(const char *tarball, const char *dest_in, struct ktstr_err *err)
{
	struct archive *in = NULL, *out = NULL;
	struct archive_entry *ent;
	unsigned long files = 0;
	char *dest;
	int r, rc = 0;

	/* SECURE_SYMLINKS refuses any symlink on the way, dest's own included
	 * (/tmp -> /private/tmp): resolve it first. */
	dest = realpath(dest_in, NULL);
	if (!dest)
		return ktstr_err_set(err, -errno, "extract tarball: %s: destination %s: %s",
				     tarball, dest_in, strerror(errno));
	in = archive_read_new();
	out = archive_write_disk_new();
	if (!in || !out) {
		rc = ktstr_err_set(err, -ENOMEM, "extract tarball: %s: out of memory", tarball);
		goto out;
	}
	archive_read_support_filter_all(in);
	archive_read_support_format_tar(in);
	/* Not SECURE_NOABSOLUTEPATHS: names are checked above and then rewritten
	 * to dest's (absolute, symlink-free) path on purpose. */
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
				       ARCHIVE_EXTRACT_SECURE_SYMLINKS |
				       ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	if (archive_read_open_filename(in, tarball, 1 << 16) != ARCHIVE_OK) {
		rc = ktstr_err_set(err, -EINVAL, "extract tarball: %s: %s", tarball,
				   archive_error_string(in));
		goto out;
	}
	while ((r = archive_read_next_header(in, &ent)) == ARCHIVE_OK) {
		char path[4096], link[4096];
		const void *buf;
		size_t len;
		la_int64_t off;
		int c;

		c = check_member(ent, tarball, dest, path, sizeof(path), link, sizeof(link), err);
		if (c < 0) {
			rc = c;
			goto out;
		}
		if (c > 0)
			continue;
		archive_entry_set_pathname(ent, path);
		if (link[0])
			archive_entry_set_hardlink(ent, link);
		/* Owners of the tarball are irrelevant: files belong to the caller. */
		archive_entry_set_perm(ent, archive_entry_perm(ent) & 0777);
		if (archive_write_header(out, ent) != ARCHIVE_OK) {
			rc = ktstr_err_set(err, -EIO, "extract tarball: %s: %s: %s", tarball,
					   path, archive_error_string(out));
			goto out;
		}
		while ((r = archive_read_data_block(in, &buf, &len, &off)) == ARCHIVE_OK) {
			if (archive_write_data_block(out, buf, len, off) != ARCHIVE_OK) {
				rc = ktstr_err_set(err, -EIO, "extract tarball: %s: %s: %s (disk full?)",
						   tarball, path, archive_error_string(out));
				goto out;
			}
		}
		if (r != ARCHIVE_EOF) {
			rc = ktstr_err_set(err, -EIO,
				"extract tarball: %s: %s is damaged: %s (a truncated download? "
				"delete it and fetch again)", tarball, path, archive_error_string(in));
			goto out;
		}
		if (archive_write_finish_entry(out) != ARCHIVE_OK) {
			rc = ktstr_err_set(err, -EIO, "extract tarball: %s: %s: %s", tarball, path,
					   archive_error_string(out));
			goto out;
		}
		if (++files % 20000 == 0)
			fprintf(stderr, "ktstr: extracted %lu files\n", files);
	}
	if (r != ARCHIVE_EOF)
		rc = ktstr_err_set(err, -EIO,
			"extract tarball: %s is damaged: %s (a truncated download? delete it and "
			"fetch again)", tarball, archive_error_string(in));
	else if (!files)
		rc = ktstr_err_set(err, -EINVAL, "extract tarball: %s holds no files", tarball);
out:
	if (out) {
		archive_write_close(out);
		archive_write_free(out);
	}
	if (in)
		archive_read_free(in);
	free(dest);
	return rc;
}
