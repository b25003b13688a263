// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr kernel fetch`: a Debian kernel into the cache.
 *
 * apt does the downloading (mirror choice, signatures, proxies are all the
 * system's), but under a private state directory <root>/.apt: its own
 * sources.list naming newer suites (sid, trixie-backports, trixie), its own
 * package lists and archive cache.  The system's sources are never touched,
 * so a later `apt-get install` on the host cannot pick up sid libraries.
 * The mirror is derived at run time from the system's own apt configuration
 * (or KTSTR_DEBIAN_MIRROR), never written into ktstr.
 *
 * The download and unpacking happen inside the cache store's .tmp dir under
 * the key's lock, so a fetch killed midway leaves only an orphan .tmp dir.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktstr/default_kernel.h"
#include "ktstr/kernel.h"
#include "internal.h"

#define DEBIAN_KEYRING "/usr/share/keyrings/debian-archive-keyring.gpg"
#define LISTS_MAX_AGE_S (6 * 3600)
#define MAX_ARGS 40

struct apt_ctx {
	char dir[768];                 /* <root>/.apt */
	char opts[12][900];            /* -o Dir::...=... pairs, flattened */
	int nopts;
	int verbose;
};

/*
 * Runs argv in cwd; output to log (appended) unless verbose.  Returns the
 * exit status, 127 when the program is missing, -errno when fork fails.
 */
static int run(char *const argv[], const char *cwd, const char *log, int verbose)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (cwd && chdir(cwd))
			_exit(126);
		if (!verbose && log) {
			int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
		} else {
			dup2(2, 1);   /* keep our stdout for results */
		}
		setenv("LC_ALL", "C", 1);   /* stable messages in the logs we quote */
		execvp(argv[0], argv);
		_exit(127);
	}
	return ktstr_fs_wait_exit(pid);
}

static int no_apt(struct ktstr_err *err)
{
	return ktstr_err_set(err, -ENOENT,
		"apt-get not found: `ktstr kernel fetch` downloads Debian kernel packages with "
		"apt. On a host without apt, point ktstr at a kernel image instead: "
		"KTSTR_TEST_KERNEL=/path/to/bzImage or KTSTR_KERNEL=/path/to/linux (a built "
		"source tree).");
}

/*
 * The Debian archive URI from the system's apt configuration: the first
 * `deb` target of a plain suite (no -updates/-security/-backports).
 */
static int find_mirror(const char *log, char *uri, size_t len, struct ktstr_err *err)
{
	char *argv[] = { "apt-get", "indextargets", "--no-release-info", "--format",
			 "$(TARGET_OF) $(REPO_URI) $(RELEASE)", NULL };
	char out[1024], line[1024], fallback[512] = "";
	const char *env = getenv("KTSTR_DEBIAN_MIRROR");
	FILE *f;
	int rc;

	if (env && *env) {
		snprintf(uri, len, "%s", env);
		return 0;
	}
	snprintf(out, sizeof(out), "%s.targets", log);
	unlink(out);
	/* run() sends output to the log; here the output is the result. */
	rc = run(argv, NULL, out, 0);
	if (rc == 127)
		return no_apt(err);
	f = fopen(out, "re");
	uri[0] = '\0';
	while (rc == 0 && f && fgets(line, sizeof(line), f)) {
		char of[16], u[512], rel[128];

		if (sscanf(line, "%15s %511s %127s", of, u, rel) != 3 || strcmp(of, "deb") ||
		    strstr(u, "security"))
			continue;
		if (!strchr(rel, '-')) {
			snprintf(uri, len, "%s", u);
			break;
		}
		if (!fallback[0])
			snprintf(fallback, sizeof(fallback), "%s", u);
	}
	if (f)
		fclose(f);
	unlink(out);
	if (!uri[0] && fallback[0])
		snprintf(uri, len, "%s", fallback);
	if (!uri[0])
		return ktstr_err_set(err, -ENOENT,
			"cannot find a Debian archive in the system's apt configuration "
			"(`apt-get indextargets` lists no `deb` source). ktstr fetches kernels from "
			"the Debian archive your apt already uses; on a non-Debian apt host set "
			"KTSTR_DEBIAN_MIRROR to a Debian mirror URI (the one ending in /debian).");
	return 0;
}

static void add_opt(struct apt_ctx *a, const char *fmt, const char *val)
{
	snprintf(a->opts[a->nopts], sizeof(a->opts[0]), fmt, val);
	a->nopts++;
}

/* Builds argv: prog, sub, the private -o options, then extra (NULL-terminated). */
static void apt_argv(struct apt_ctx *a, char **argv, const char *prog, const char *const *extra)
{
	int n = 0;

	argv[n++] = (char *)prog;
	argv[n++] = "-q";
	for (int i = 0; i < a->nopts && n < MAX_ARGS - 8; i++) {
		argv[n++] = "-o";
		argv[n++] = a->opts[i];
	}
	for (; *extra && n < MAX_ARGS - 1; extra++)
		argv[n++] = (char *)*extra;
	argv[n] = NULL;
}

static int write_if_changed(const char *path, const char *text)
{
	char old[4096];
	FILE *f = fopen(path, "re");
	size_t n = 0;

	if (f) {
		n = fread(old, 1, sizeof(old) - 1, f);
		old[n] = '\0';
		fclose(f);
		if (!strcmp(old, text))
			return 0;
	}
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 1;
}

static int apt_setup(const char *root, struct apt_ctx *a, const char *log, int *changed,
		     struct ktstr_err *err)
{
	static const char *const subdirs[] = { "lists/partial", "cache/archives/partial",
					       "sources.list.d", "preferences.d" };
	char path[1024], uri[512], text[4096] = "", suites[] = KTSTR_DEBIAN_FETCH_SUITES;
	char *save, *suite;
	int rc;

	snprintf(a->dir, sizeof(a->dir), "%s/.apt", root);
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", a->dir, subdirs[i]);
		if ((rc = ktstr_mkdir_p(path)))
			return ktstr_err_set(err, rc, "cannot create %s: %s", path, strerror(-rc));
	}
	rc = find_mirror(log, uri, sizeof(uri), err);
	if (rc)
		return rc;
	for (suite = strtok_r(suites, " ", &save); suite; suite = strtok_r(NULL, " ", &save)) {
		size_t used = strlen(text);

		snprintf(text + used, sizeof(text) - used, "deb %s%s%s %s main\n",
			 access(DEBIAN_KEYRING, R_OK) ? "" : "[signed-by=",
			 access(DEBIAN_KEYRING, R_OK) ? "" : DEBIAN_KEYRING "] ", uri, suite);
	}
	snprintf(path, sizeof(path), "%s/sources.list", a->dir);
	rc = write_if_changed(path, text);
	if (rc < 0)
		return ktstr_err_set(err, rc, "cannot write %s: %s", path, strerror(-rc));
	*changed = rc == 1;
	a->nopts = 0;
	add_opt(a, "Dir::Etc::SourceList=%s", path);
	snprintf(path, sizeof(path), "%s/sources.list.d", a->dir);
	add_opt(a, "Dir::Etc::SourceParts=%s", path);
	snprintf(path, sizeof(path), "%s/preferences.d", a->dir);
	add_opt(a, "Dir::Etc::PreferencesParts=%s", path);
	add_opt(a, "Dir::Etc::Preferences=%s", "/dev/null");
	snprintf(path, sizeof(path), "%s/lists", a->dir);
	add_opt(a, "Dir::State::Lists=%s", path);
	snprintf(path, sizeof(path), "%s/cache", a->dir);
	add_opt(a, "Dir::Cache=%s", path);
	/* Installed-package state is irrelevant to downloads; an empty file keeps
	 * apt from reading (or needing) the host's dpkg database. */
	snprintf(path, sizeof(path), "%s/status", a->dir);
	close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	add_opt(a, "Dir::State::status=%s", path);
	/* As root apt drops to _apt, which cannot write our dir: it warns and
	 * downloads as root anyway.  Say so up front and skip the warning. */
	if (geteuid() == 0)
		add_opt(a, "APT::Sandbox::User=%s", "root");
	return 0;
}

static int lists_fresh(const struct apt_ctx *a)
{
	char path[1024];
	struct stat st;

	snprintf(path, sizeof(path), "%s/lists/.ktstr-updated", a->dir);
	return stat(path, &st) == 0 && time(NULL) - st.st_mtime < LISTS_MAX_AGE_S;
}

static int apt_update(struct apt_ctx *a, const char *log, struct ktstr_err *err)
{
	/* Without --error-on=any an unreachable mirror is only a warning. */
	static const char *const extra[] = { "update", "--error-on=any", NULL };
	char *argv[MAX_ARGS], path[1024], tail[1500];
	int rc;

	apt_argv(a, argv, "apt-get", extra);
	if (!a->verbose)
		fprintf(stderr, "ktstr: updating package lists (%s)\n", a->dir);
	rc = run(argv, NULL, log, a->verbose);
	if (rc == 127)
		return no_apt(err);
	if (rc) {
		ktstr_fs_log_tail(log, tail, sizeof(tail));
		return ktstr_err_set(err, -EIO,
			"apt-get update of ktstr's private package lists in %s failed (exit %d); "
			"check network access to the Debian archive (proxies: http_proxy / "
			"Acquire::http::Proxy). apt said:\n%s", a->dir, rc, tail);
	}
	snprintf(path, sizeof(path), "%s/lists/.ktstr-updated", a->dir);
	close(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
	return 0;
}

/*
 * apt-get download of the spec's packages into cwd, in one apt run (each
 * run parses every package list: seconds).  Returns 0, 1 when apt does not
 * know a package (the caller may refresh the lists or try another layout),
 * or a negative errno with err set.
 */
static int apt_download(struct apt_ctx *a, const char *cwd, const struct ktstr_deb_spec *s,
			const char *log, struct ktstr_err *err)
{
	const char *extra[] = { "download", s->image_pkg, s->config_pkg[0] ? s->config_pkg : NULL,
				NULL };
	char *argv[MAX_ARGS], tail[1500];
	int rc;

	apt_argv(a, argv, "apt-get", extra);
	fprintf(stderr, "ktstr: downloading %s%s%s\n", s->image_pkg, s->config_pkg[0] ? " " : "",
		s->config_pkg);
	unlink(log);    /* classify this run's output only */
	rc = run(argv, cwd, log, a->verbose);
	if (rc == 127)
		return no_apt(err);
	if (!rc)
		return 0;
	ktstr_fs_log_tail(log, tail, sizeof(tail));
	if (strstr(tail, "Unable to locate package") || strstr(tail, "has no candidate") ||
	    strstr(tail, "No packages found"))
		return 1;
	return ktstr_err_set(err, -EIO, "apt-get download %s failed (exit %d). apt said:\n%s",
			     s->image_pkg, rc, tail);
}

/* The .deb apt-get download left in dir for pkg: "<pkg>_<ver>_<arch>.deb". */
static int find_deb(const char *dir, const char *pkg, char *name, size_t len)
{
	size_t pl = strlen(pkg);
	struct dirent *d;
	DIR *dh = opendir(dir);
	int found = 0;

	if (!dh)
		return 0;
	while (!found && (d = readdir(dh))) {
		size_t n = strlen(d->d_name);

		if (!strncmp(d->d_name, pkg, pl) && d->d_name[pl] == '_' && n > 4 &&
		    !strcmp(d->d_name + n - 4, ".deb")) {
			snprintf(name, len, "%s", d->d_name);
			found = 1;
		}
	}
	closedir(dh);
	return found;
}

struct fetch_arg {
	const char *root;
	struct ktstr_deb_spec spec;
	int explicit_pkg;      /* SPEC named a package: no layout fallback */
	int verbose;
};

static int fetch_fill(const char *tmpdir, struct ktstr_kernel_meta *meta, void *varg,
		      struct ktstr_err *err)
{
	struct fetch_arg *fa = varg;
	struct ktstr_deb_spec *s = &fa->spec;
	struct apt_ctx a = { .verbose = fa->verbose };
	struct ktstr_lock lk = { .fd = -1 };
	struct ktstr_lock_opts lo = { .exclusive = 1, .what = "ktstr's private apt state" };
	char debs[1024], log[1024], path[1024], lockp[1024], name[256], img[1024], cfg[1024];
	const char *pkgs[2];
	int changed = 0, rc, npkgs;

	snprintf(debs, sizeof(debs), "%s/debs", tmpdir);
	snprintf(log, sizeof(log), "%s/apt.log", tmpdir);
	if (mkdir(debs, 0755))
		return ktstr_err_set(err, -errno, "cannot create %s: %s", debs, strerror(errno));
	/* One apt run at a time per cache: apt's own lock would fail, not wait. */
	snprintf(lockp, sizeof(lockp), "%s/.locks/apt.lock", fa->root);
	lo.timeout_ms = ktstr_cache_lock_timeout_ms();
	rc = ktstr_lock_path(lockp, &lo, &lk, err);
	if (rc)
		return rc;
	rc = apt_setup(fa->root, &a, log, &changed, err);
	if (rc)
		goto out;
	if (changed || !lists_fresh(&a)) {
		rc = apt_update(&a, log, err);
		if (rc)
			goto out;
		changed = 1;
	}
	rc = apt_download(&a, debs, s, log, err);
	if (rc == 1 && !changed) {
		/* Lists older than the archive: refresh once before giving up. */
		if ((rc = apt_update(&a, log, err)))
			goto out;
		rc = apt_download(&a, debs, s, log, err);
	}
	if (rc == 1 && !fa->explicit_pkg) {
		struct ktstr_deb_spec classic;

		ktstr_deb_spec_classic(s->version, &classic);
		if ((rc = apt_download(&a, debs, &classic, log, err)) == 0)
			*s = classic;
		/* else: report the split layout's name, which *s still holds */
	}
	if (rc == 1) {
		rc = ktstr_err_set(err, -ENOENT,
			"Debian package %s is not in the suites ktstr searches (%s). Debian drops "
			"old kernel versions from sid and backports as new ones arrive: fetch a "
			"current version (list them with `apt-cache -o Dir::State::Lists=%s/lists "
			"-o Dir::Etc::SourceList=%s/sources.list pkgnames linux-binary-`), or "
			"update the pin in kernels/include/ktstr/default_kernel.h.",
			s->image_pkg, KTSTR_DEBIAN_FETCH_SUITES, a.dir, a.dir);
		goto out;
	}
	if (rc)
		goto out;
	pkgs[0] = s->image_pkg;
	pkgs[1] = s->config_pkg;
	npkgs = s->config_pkg[0] ? 2 : 1;
	ktstr_unlock(&lk);

	snprintf(img, sizeof(img), "%s/%s", tmpdir, meta->image_name);
	snprintf(cfg, sizeof(cfg), "%s/config", tmpdir);
	meta->npackages = 0;
	for (int i = 0; i < npkgs; i++) {
		struct ktstr_deb_member m[2];
		size_t nm = 0;

		if (!find_deb(debs, pkgs[i], name, sizeof(name))) {
			rc = ktstr_err_set(err, -ENOENT,
				"apt-get download %s reported success but left no .deb in %s",
				pkgs[i], debs);
			goto out;
		}
		snprintf(path, sizeof(path), "%s/%s", debs, name);
		if (i == 0)
			m[nm++] = (struct ktstr_deb_member){ .name = s->image_member, .dest = img };
		if (i == npkgs - 1)
			m[nm++] = (struct ktstr_deb_member){ .name = s->config_member, .dest = cfg };
		rc = ktstr_deb_extract(path, m, nm, err);
		if (rc)
			goto out;
		snprintf(meta->packages[meta->npackages++], sizeof(meta->packages[0]), "%s", name);
	}
	snprintf(meta->version, sizeof(meta->version), "%s", s->version);
	snprintf(meta->source_type, sizeof(meta->source_type), "deb");
	/* The entry keeps image, config and metadata only. */
	ktstr_fs_rmtree(debs);
	unlink(log);
out:
	ktstr_unlock(&lk);
	return rc;
}

int ktstr_kernel_fetch_deb(const char *root, const struct ktstr_fetch_opts *o,
			   struct ktstr_fetch_result *res, struct ktstr_err *err)
{
	struct ktstr_cache_store_opts so = { .force = o->force };
	struct fetch_arg fa = { .root = root, .verbose = o->verbose };
	int rc;

	memset(res, 0, sizeof(*res));
	rc = ktstr_deb_spec_parse(o->spec, &fa.spec, err);
	if (rc)
		return rc;
	fa.explicit_pkg = o->spec && !strncmp(o->spec, "linux-", 6);
	rc = ktstr_cache_key_deb(fa.spec.version, KTSTR_KERNEL_ARCH, res->key, sizeof(res->key));
	if (rc)
		return ktstr_err_set(err, rc, "kernel version '%s' makes an invalid cache key",
				     fa.spec.version);
	snprintf(res->path, sizeof(res->path), "%s/%s", root, res->key);
	if ((rc = ktstr_mkdir_p(root)))
		return ktstr_err_set(err, rc, "cannot create cache directory %s: %s", root,
				     strerror(-rc));
	rc = ktstr_cache_store(root, res->key, &so, fetch_fill, &fa, err);
	if (rc < 0)
		return ktstr_err_wrap(err, "kernel fetch %s", fa.spec.version);
	res->already_cached = rc == 1;
	return 0;
}
