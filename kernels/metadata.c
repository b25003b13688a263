// SPDX-License-Identifier: GPL-2.0-only
/*
 * metadata.json of a cache entry: read + classify corruption, write.
 *
 * Classification matters to users: a truncated file means a store or disk
 * failed midway, a schema drift means a ktstr upgrade, an image missing
 * means someone deleted files by hand.  `kernel list --json` reports the
 * kind as a stable error_kind token so scripts need not parse prose.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "ktstr/kernel.h"
#include "internal.h"

static const char *const kind_names[] = {
	[KTSTR_CACHE_OK] = "ok",
	[KTSTR_CACHE_MISSING] = "missing",
	[KTSTR_CACHE_UNREADABLE] = "unreadable",
	[KTSTR_CACHE_SCHEMA_DRIFT] = "schema_drift",
	[KTSTR_CACHE_MALFORMED] = "malformed",
	[KTSTR_CACHE_TRUNCATED] = "truncated",
	[KTSTR_CACHE_PARSE_ERROR] = "parse_error",
	[KTSTR_CACHE_IMAGE_MISSING] = "image_missing",
	[KTSTR_CACHE_UNKNOWN] = "unknown",
};

const char *ktstr_cache_error_kind_name(enum ktstr_cache_error_kind kind)
{
	if ((unsigned)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[kind];
}

static enum ktstr_cache_error_kind fail(char *why, size_t len, enum ktstr_cache_error_kind k,
					const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum ktstr_cache_error_kind fail(char *why, size_t len, enum ktstr_cache_error_kind k,
					const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return k;
}

/* Copies a required string field; 0 ok, -1 missing/wrong type, -2 too long. */
static int get_str(json_t *o, const char *name, char *dst, size_t len)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_string(v))
		return -1;
	if (json_string_length(v) >= len)
		return -2;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* true / false / null -> 1 / 0 / -1; anything else -> -2. */
static int get_tri(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_null(v))
		return -1;
	return -2;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static int is_iso8601(const char *s)
{
	int y, mo, d, h, mi, sec;
	char z = 0;

	return sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) == 7 &&
	       z == 'Z' && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static enum ktstr_cache_error_kind decode(json_t *root, struct ktstr_kernel_meta *m,
					  char *why, size_t wl)
{
	static const char *const strs[] = { "version", "arch", "image_name", "config_hash",
					    "kconfig_hash", "built_at" };
	char *const dsts[] = { m->version, m->arch, m->image_name, m->config_hash,
			       m->kconfig_hash, m->built_at };
	const size_t lens[] = { sizeof(m->version), sizeof(m->arch), sizeof(m->image_name),
				sizeof(m->config_hash), sizeof(m->kconfig_hash),
				sizeof(m->built_at) };
	json_t *schema, *src, *pkgs, *p;
	size_t i;

	if (!json_is_object(root))
		return fail(why, wl, KTSTR_CACHE_SCHEMA_DRIFT,
			    "metadata.json schema drift: top level is not an object");
	schema = json_object_get(root, "schema");
	if (!json_is_integer(schema))
		return fail(why, wl, KTSTR_CACHE_SCHEMA_DRIFT,
			    "metadata.json schema drift: no integer \"schema\" field");
	m->schema = (int)json_integer_value(schema);
	if (m->schema != KTSTR_CACHE_SCHEMA)
		return fail(why, wl, KTSTR_CACHE_SCHEMA_DRIFT,
			    "metadata.json schema drift: schema %d, this ktstr reads schema %d",
			    m->schema, KTSTR_CACHE_SCHEMA);
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		int rc = get_str(root, strs[i], dsts[i], lens[i]);

		if (rc == -1)
			return fail(why, wl, KTSTR_CACHE_SCHEMA_DRIFT,
				    "metadata.json schema drift: \"%s\" missing or not a string",
				    strs[i]);
		if (rc == -2)
			return fail(why, wl, KTSTR_CACHE_PARSE_ERROR,
				    "metadata.json parse error: \"%s\" is too long", strs[i]);
	}
	src = json_object_get(root, "source");
	if (!json_is_object(src) ||
	    get_str(src, "type", m->source_type, sizeof(m->source_type)))
		return fail(why, wl, KTSTR_CACHE_SCHEMA_DRIFT,
			    "metadata.json schema drift: \"source\" is not {\"type\": ...}");
	pkgs = json_object_get(src, "packages");
	m->npackages = 0;
	if (pkgs && !json_is_array(pkgs))
		return fail(why, wl, KTSTR_CACHE_SCHEMA_DRIFT,
			    "metadata.json schema drift: \"source.packages\" is not an array");
	json_array_foreach(pkgs, i, p) {
		if (!json_is_string(p) || i >= KTSTR_CACHE_MAX_PACKAGES ||
		    json_string_length(p) >= sizeof(m->packages[0]))
			return fail(why, wl, KTSTR_CACHE_PARSE_ERROR,
				    "metadata.json parse error: bad \"source.packages\" entry %zu", i);
		memcpy(m->packages[i], json_string_value(p), json_string_length(p) + 1);
		m->npackages++;
	}
	m->sched_ext = get_tri(root, "sched_ext");
	m->btf = get_tri(root, "btf");
	/* Optional (added within schema 1): older entries simply have no file. */
	m->has_btf_file = json_is_true(json_object_get(root, "has_btf_file"));
	if (m->sched_ext == -2 || m->btf == -2)
		return fail(why, wl, KTSTR_CACHE_SCHEMA_DRIFT,
			    "metadata.json schema drift: \"sched_ext\"/\"btf\" must be true, false or null");
	if (!m->image_name[0] || strchr(m->image_name, '/') || m->image_name[0] == '.')
		return fail(why, wl, KTSTR_CACHE_PARSE_ERROR,
			    "metadata.json parse error: image_name \"%s\" is not a plain file name",
			    m->image_name);
	if (!is_hex64(m->config_hash) || !is_hex64(m->kconfig_hash))
		return fail(why, wl, KTSTR_CACHE_PARSE_ERROR,
			    "metadata.json parse error: config_hash/kconfig_hash is not a sha256 hex digest");
	if (!is_iso8601(m->built_at))
		return fail(why, wl, KTSTR_CACHE_PARSE_ERROR,
			    "metadata.json parse error: built_at \"%s\" is not ISO 8601 UTC",
			    m->built_at);
	return KTSTR_CACHE_OK;
}

enum ktstr_cache_error_kind ktstr_meta_read(const char *dir, struct ktstr_kernel_meta *m,
					    char *why, size_t wl)
{
	char path[1024], img[1024];
	enum ktstr_cache_error_kind k;
	json_error_t je;
	struct stat st;
	json_t *root;
	int fd;

	memset(m, 0, sizeof(*m));
	if (ktstr_fs_join(path, sizeof(path), dir, "metadata.json"))
		return fail(why, wl, KTSTR_CACHE_UNKNOWN, "path too long");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return fail(why, wl, KTSTR_CACHE_MISSING, "metadata.json missing");
		return fail(why, wl, KTSTR_CACHE_UNREADABLE, "metadata.json unreadable: %s",
			    strerror(errno));
	}
	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		close(fd);
		return fail(why, wl, KTSTR_CACHE_TRUNCATED, "metadata.json truncated: file is empty");
	}
	root = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	close(fd);
	if (!root) {
		/* A write cut short ends inside a value: jansson says so precisely. */
		if (json_error_code(&je) == json_error_premature_end_of_input)
			return fail(why, wl, KTSTR_CACHE_TRUNCATED,
				    "metadata.json truncated: %s at line %d", je.text, je.line);
		return fail(why, wl, KTSTR_CACHE_MALFORMED,
			    "metadata.json malformed: %s at line %d column %d",
			    je.text, je.line, je.column);
	}
	k = decode(root, m, why, wl);
	json_decref(root);
	if (k != KTSTR_CACHE_OK)
		return k;
	if (ktstr_fs_join(img, sizeof(img), dir, m->image_name))
		return fail(why, wl, KTSTR_CACHE_UNKNOWN, "path too long");
	if (stat(img, &st) || !S_ISREG(st.st_mode))
		return fail(why, wl, KTSTR_CACHE_IMAGE_MISSING,
			    "image missing: metadata.json names %s, which is not in the entry",
			    m->image_name);
	return KTSTR_CACHE_OK;
}

static json_t *tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

int ktstr_meta_write(const char *dir, const struct ktstr_kernel_meta *m, struct ktstr_err *err)
{
	char path[1024], tmp[1100];
	json_t *root, *pkgs;
	int fd, rc = 0;

	if (ktstr_fs_join(path, sizeof(path), dir, "metadata.json"))
		return ktstr_err_set(err, -ENAMETOOLONG, "cache entry path too long: %s", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	pkgs = json_array();
	for (int i = 0; i < m->npackages; i++)
		json_array_append_new(pkgs, json_string(m->packages[i]));
	root = json_pack("{s:i, s:s, s:{s:s, s:o}, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
			 "schema", KTSTR_CACHE_SCHEMA,
			 "version", m->version,
			 "source", "type", m->source_type, "packages", pkgs,
			 "arch", m->arch,
			 "image_name", m->image_name,
			 "config_hash", m->config_hash,
			 "kconfig_hash", m->kconfig_hash,
			 "built_at", m->built_at,
			 "sched_ext", tri(m->sched_ext),
			 "btf", tri(m->btf));
	if (root && m->has_btf_file)
		json_object_set_new(root, "has_btf_file", json_true());
	if (!root)
		return ktstr_err_set(err, -EINVAL, "cannot encode metadata.json for %s", dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = ktstr_err_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (json_dumpfd(root, fd, JSON_INDENT(2) | JSON_SORT_KEYS) || write(fd, "\n", 1) != 1 ||
	    fsync(fd)) {
		rc = ktstr_err_set(err, errno ? -errno : -EIO, "cannot write %s: %s", tmp,
				   strerror(errno ? errno : EIO));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path)) {
		rc = ktstr_err_set(err, -errno, "cannot rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
	}
out:
	json_decref(root);
	return rc;
}
