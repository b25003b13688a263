// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracting files from a .deb without dpkg: a .deb is an ar archive whose
 * data.tar.{xz,zst,gz,bz2} member holds the files.  libarchive reads the ar,
 * then reads the inner tar straight from the ar's data stream (no temp
 * file).  Only the named regular files are written, each to a destination
 * the caller chose, so nothing in the package decides where bytes land;
 * a package with a path-escaping member is rejected outright as hostile
 * or broken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "ktstr/kernel.h"

struct inner_src {
	struct archive *outer;
	char buf[1 << 16];
};

static la_ssize_t inner_read(struct archive *a, void *arg, const void **buf)
{
	struct inner_src *s = arg;
	la_ssize_t n = archive_read_data(s->outer, s->buf, sizeof(s->buf));

	(void)a;
	*buf = s->buf;
	return n;
}

/* "./usr/x" and "/usr/x" -> "usr/x"; NULL when any component is "..". */
static const char *normalise(const char *name)
{
	const char *p;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	for (p = name; *p; ) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return NULL;
		p += n;
		while (*p == '/')
			p++;
	}
	return name;
}

static int same_path(const char *a, const char *b)
{
	const char *na = normalise(a), *nb = normalise(b);

	return na && nb && strcmp(na, nb) == 0;
}

static int extract_one(struct archive *in, struct archive_entry *ent, const char *deb,
		       struct ktstr_deb_member *m, struct ktstr_err *err)
{
	int fd, rc = 0;

	if (archive_entry_filetype(ent) != AE_IFREG)
		return ktstr_err_set(err, -EINVAL,
			"%s: member %s is not a regular file (a symlink or directory); "
			"name the file it points to instead", deb, m->name);
	fd = open(m->dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return ktstr_err_set(err, -errno, "cannot create %s: %s", m->dest,
				     strerror(errno));
	if (archive_read_data_into_fd(in, fd) != ARCHIVE_OK)
		rc = ktstr_err_set(err, -EIO, "%s: cannot unpack %s: %s", deb, m->name,
				   archive_error_string(in));
	else if (fsync(fd))
		rc = ktstr_err_set(err, -errno, "cannot write %s: %s", m->dest, strerror(errno));
	close(fd);
	if (rc)
		unlink(m->dest);
	else
		m->found = 1;
	return rc;
}

static int read_data_tar(struct archive *outer, const char *deb, struct ktstr_deb_member *members,
			 size_t n, struct ktstr_err *err)
{
	struct inner_src *s;
	struct archive_entry *ent;
	struct archive *in;
	int rc = 0, r;

	s = malloc(sizeof(*s));
	if (!s)
		return ktstr_err_set(err, -ENOMEM, "out of memory reading %s", deb);
	s->outer = outer;
	in = archive_read_new();
	archive_read_support_filter_all(in);
	archive_read_support_format_tar(in);
	if (archive_read_open(in, s, NULL, inner_read, NULL) != ARCHIVE_OK) {
		rc = ktstr_err_set(err, -EINVAL, "%s: data.tar is unreadable: %s", deb,
				   archive_error_string(in));
		goto out;
	}
	while ((r = archive_read_next_header(in, &ent)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ent);

		if (!name || !normalise(name)) {
			rc = ktstr_err_set(err, -EINVAL,
				"%s: member %s escapes the package root; refusing to unpack this "
				"package", deb, name ? name : "(unnamed)");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			if (members[i].found || !same_path(name, members[i].name))
				continue;
			rc = extract_one(in, ent, deb, &members[i], err);
			if (rc)
				goto out;
			break;
		}
	}
	if (r != ARCHIVE_EOF)
		rc = ktstr_err_set(err, -EIO, "%s: data.tar is damaged: %s", deb,
				   archive_error_string(in));
out:
	archive_read_free(in);
	free(s);
	return rc;
}

int ktstr_deb_extract(const char *deb_path, struct ktstr_deb_member *members, size_t n,
		      struct ktstr_err *err)
{
	struct archive_entry *ent;
	struct archive *outer;
	int rc = 0, r, seen_data = 0;

	for (size_t i = 0; i < n; i++)
		members[i].found = 0;
	outer = archive_read_new();
	archive_read_support_format_ar(outer);
	if (archive_read_open_filename(outer, deb_path, 1 << 16) != ARCHIVE_OK) {
		rc = ktstr_err_set(err, -EINVAL, "%s is not a readable .deb (ar archive): %s",
				   deb_path, archive_error_string(outer));
		goto out;
	}
	while ((r = archive_read_next_header(outer, &ent)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ent);

		if (!name || strncmp(name, "data.tar", 8))
			continue;   /* debian-binary, control.tar.* */
		seen_data = 1;
		rc = read_data_tar(outer, deb_path, members, n, err);
		goto out;
	}
	if (r != ARCHIVE_EOF)
		rc = ktstr_err_set(err, -EINVAL, "%s is not a readable .deb (ar archive): %s",
				   deb_path, archive_error_string(outer));
out:
	archive_read_free(outer);
	if (rc)
		return rc;
	if (!seen_data)
		return ktstr_err_set(err, -EINVAL, "%s has no data.tar member; is it a .deb?",
				     deb_path);
	for (size_t i = 0; i < n; i++)
		if (!members[i].found)
			return ktstr_err_set(err, -ENOENT,
				"%s does not contain %s; is it the right package for this "
				"kernel version?", deb_path, members[i].name);
	return 0;
}
