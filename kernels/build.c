// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr kernel build`: a kernel from source into the cache.
 *
 *   kernel.org  releases.json -> tarball -> safe extraction -> configure ->
 *               make bzImage -> cache entry <version>-tarball-<arch>; all of
 *               it inside the store's .tmp dir under the key's lock, so an
 *               interrupted build leaves only an orphan .tmp dir
 *   local tree  configured and built in place; cached as
 *               <release>-local-<commit7>-<arch> only when it is a clean git
 *               tree (a dirty or non-git tree has no name that identifies
 *               its contents: it is built, and booted via KTSTR_KERNEL=DIR)
 *
 * Configuring = defconfig when there is no .config, kernels/ktstr.kconfig
 * appended (the last assignment wins in Kconfig), `make olddefconfig`, and
 * a check that the options ktstr cannot work without survived: olddefconfig
 * silently drops an option whose dependencies are off.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktstr/kernel.h"
#include "internal.h"
#include "ktstr_kconfig_text.h"   /* generated: KTSTR_KCONFIG_TEXT */

#define PROGRESS_EVERY_S 10

/* Without these a ktstr guest cannot boot or a sched_ext scenario cannot run. */
static const char *const critical[] = {
	"BPF_SYSCALL", "SCHED_CLASS_EXT", "DEBUG_INFO_BTF", "VIRTIO_CONSOLE",
	"SERIAL_8250_CONSOLE", "BLK_DEV_INITRD", "DEVTMPFS", "CGROUPS", "CPUSETS",
};

const char *ktstr_kconfig_fragment_text(void)
{
	return KTSTR_KCONFIG_TEXT;
}

/*
 * Runs `make -C tree args...`, its output appended to log.  With progress,
 * a line on stderr every PROGRESS_EVERY_S seconds shows the newest output
 * line, so a 10-minute build is visibly alive.  Returns the exit status,
 * 127 when make is missing, or -errno.
 */
static int run_make(const char *make, const char *tree, const char *const *args, const char *log,
		    int progress)
{
	const char *argv[16];
	int pfd[2], n = 0, logfd;
	char line[512] = "", buf[4096];
	time_t last = time(NULL);
	size_t ll = 0;
	pid_t pid;

	argv[n++] = make;
	argv[n++] = "-C";
	argv[n++] = tree;
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0)
		return -errno;
	if (pipe2(pfd, O_CLOEXEC)) {
		close(logfd);
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(logfd);
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		setenv("LC_ALL", "C", 1);
		/* New compilers warn on old trees: a warning must not fail the build. */
		setenv("KCFLAGS", "-Wno-error", 0);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t r = read(pfd[0], buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (write(logfd, buf, (size_t)r) != r) {
			/* a full disk shows up in make's own failure */
		}
		for (ssize_t i = 0; i < r; i++) {
			if (buf[i] == '\n') {
				line[ll] = '\0';
				if (progress && ll && time(NULL) - last >= PROGRESS_EVERY_S) {
					fprintf(stderr, "ktstr: building: %s\n", line);
					last = time(NULL);
				}
				ll = 0;
			} else if (ll < sizeof(line) - 1) {
				line[ll++] = buf[i];
			}
		}
	}
	close(pfd[0]);
	close(logfd);
	return ktstr_fs_wait_exit(pid);
}

static int make_failed(const char *what, const char *tree, const char *log, int rc,
		       struct ktstr_err *err)
{
	char tail[1500];

	if (rc == 127)
		return ktstr_err_set(err, -ENOENT,
			"make not found: building a kernel needs make, gcc, flex, bison, bc, "
			"libelf-dev, libssl-dev and pahole (Debian: apt-get install build-essential "
			"flex bison bc libelf-dev libssl-dev dwarves)");
	ktstr_fs_log_tail(log, tail, sizeof(tail));
	return ktstr_err_set(err, -EIO,
		"kernel build: `make %s` in %s failed (exit %d); full log: %s. Last output:\n%s",
		what, tree, rc, log, tail);
}

/* 1 when every CONFIG_X=y of the fragment is =y in config. */
static int fragment_applied(const char *config)
{
	const char *p = KTSTR_KCONFIG_TEXT;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char name[128];

		if (n > 9 && !strncmp(p, "CONFIG_", 7) && !strncmp(p + n - 2, "=y", 2) &&
		    n - 2 < sizeof(name)) {
			memcpy(name, p, n - 2);
			name[n - 2] = '\0';
			if (ktstr_kconfig_is_y(config, name) != 1)
				return 0;
		}
		p += n;
		if (*p)
			p++;
	}
	return 1;
}

static int append_fragment(const char *config, struct ktstr_err *err)
{
	FILE *f = fopen(config, "ae");

	if (!f)
		return ktstr_err_set(err, -errno, "cannot write %s: %s", config, strerror(errno));
	fputs("\n# kernels/ktstr.kconfig, appended by ktstr\n", f);
	fputs(KTSTR_KCONFIG_TEXT, f);
	if (fclose(f))
		return ktstr_err_set(err, -errno, "cannot write %s: %s", config, strerror(errno));
	return 0;
}

int ktstr_kernel_configure(const char *tree, const char *make, struct ktstr_err *err)
{
	static const char *const defconfig[] = { "defconfig", NULL };
	static const char *const olddefconfig[] = { "olddefconfig", NULL };
	char config[1024], log[1024], missing[512] = "";
	struct stat st;
	int rc;

	if (!make)
		make = "make";
	snprintf(config, sizeof(config), "%s/.config", tree);
	snprintf(log, sizeof(log), "%s/ktstr-build.log", tree);
	if (stat(config, &st)) {
		fprintf(stderr, "ktstr: %s has no .config: make defconfig\n", tree);
		if ((rc = run_make(make, tree, defconfig, log, 0)))
			return make_failed("defconfig", tree, log, rc, err);
	}
	if (fragment_applied(config))
		return 0;    /* configured before: no olddefconfig, no rebuild of everything */
	fprintf(stderr, "ktstr: merging kernels/ktstr.kconfig into %s\n", config);
	if ((rc = append_fragment(config, err)))
		return rc;
	if ((rc = run_make(make, tree, olddefconfig, log, 0)))
		return make_failed("olddefconfig", tree, log, rc, err);
	for (size_t i = 0; i < sizeof(critical) / sizeof(critical[0]); i++) {
		if (ktstr_kconfig_is_y(config, critical[i]) == 1)
			continue;
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%sCONFIG_%s",
			 missing[0] ? ", " : "", critical[i]);
	}
	if (missing[0])
		return ktstr_err_set(err, -EINVAL,
			"kernel config: %s not =y in %s after merging kernels/ktstr.kconfig and "
			"`make olddefconfig`: their dependencies are off in this tree (or, for "
			"DEBUG_INFO_BTF, pahole is missing: apt-get install dwarves). Check with "
			"`make -C %s menuconfig` (search for the option to see what it depends on)",
			missing, config, tree);
	return 0;
}

static int make_bzimage(const char *tree, const char *make, int jobs, struct ktstr_err *err)
{
	char j[32], log[1024];
	const char *args[] = { j, "bzImage", NULL };
	long n = jobs > 0 ? jobs : sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	snprintf(j, sizeof(j), "-j%ld", n > 0 ? n : 1);
	snprintf(log, sizeof(log), "%s/ktstr-build.log", tree);
	fprintf(stderr, "ktstr: make %s bzImage in %s (log: %s)\n", j, tree, log);
	rc = run_make(make ? make : "make", tree, args, log, 1);
	if (rc)
		return make_failed("bzImage", tree, log, rc, err);
	return 0;
}

/* `make -s kernelrelease` (the guest's uname -r) into buf. */
static void kernelrelease(const char *tree, const char *make, char *buf, size_t len)
{
	char cmd[2048];
	FILE *p;

	buf[0] = '\0';
	snprintf(cmd, sizeof(cmd), "'%s' -s -C '%s' kernelrelease 2>/dev/null", make, tree);
	if (strchr(make, '\'') || strchr(tree, '\'') || !(p = popen(cmd, "re")))
		return;
	if (fgets(buf, (int)len, p))
		buf[strcspn(buf, "\r\n")] = '\0';
	pclose(p);
}

int ktstr_kernel_org_source(const char *version, const char *dir, struct ktstr_release *rel,
			    char *tree, size_t tree_len, struct ktstr_err *err)
{
	struct ktstr_http_opts jo = { .verb = "fetch", .timeout_s = 120 };
	struct ktstr_http_opts to = { .reject_html = 1, .progress = 1 };
	char base[256], url[512], tarball[1024];
	const char *slash;
	char *json = NULL;
	int rc;

	ktstr_kernel_org_url(base, sizeof(base));
	snprintf(url, sizeof(url), "%s/releases.json", base);
	if ((rc = ktstr_http_get(url, NULL, &json, NULL, &jo, err)))
		return rc;
	rc = ktstr_releases_pick(json, version, 1, rel, err);
	free(json);
	if (rc)
		return rc;
	slash = strrchr(rel->source, '/');
	if (!slash || !slash[1] || strstr(slash, ".."))
		return ktstr_err_set(err, -EINVAL,
			"releases.json gives %s the source URL '%s', which names no tarball",
			rel->version, rel->source);
	snprintf(tarball, sizeof(tarball), "%s/%s", dir, slash + 1);
	snprintf(tree, tree_len, "%s/linux-%s", dir, rel->version);
	fprintf(stderr, "ktstr: downloading %s\n", rel->source);
	unlink(tarball);
	rc = ktstr_http_get(rel->source, tarball, NULL, NULL, &to, err);
	if (rc && !strcmp(rel->moniker, "unlisted") && strstr(err->msg, "HTTP 404"))
		return ktstr_err_set(err, -ENOENT, "version %s not found (%s: HTTP 404)",
				     rel->version, rel->source);
	if (rc)
		return rc;
	fprintf(stderr, "ktstr: extracting %s\n", slash + 1);
	if ((rc = ktstr_mkdir_p(tree)))
		rc = ktstr_err_set(err, rc, "cannot create %s: %s", tree, strerror(-rc));
	else
		rc = ktstr_tarball_extract(tarball, tree, err);
	unlink(tarball);
	return rc;
}

struct build_arg {
	const struct ktstr_build_opts *o;
	const char *tree;          /* local tree; NULL: kernel.org into the tmp dir */
	char version[128];
};

/* Copies the built image and config into the entry. */
static int take_outputs(const char *tree, const char *tmpdir, struct ktstr_kernel_meta *meta,
			struct ktstr_err *err)
{
	char src[1024], dst[1024];
	int rc;

	snprintf(src, sizeof(src), "%s/" KTSTR_KERNEL_IMAGE_SUBPATH, tree);
	snprintf(dst, sizeof(dst), "%s/%s", tmpdir, meta->image_name);
	if ((rc = ktstr_fs_copy(src, dst, err)))
		return ktstr_err_wrap(err, "kernel built but cache store failed");
	snprintf(src, sizeof(src), "%s/.config", tree);
	snprintf(dst, sizeof(dst), "%s/config", tmpdir);
	if ((rc = ktstr_fs_copy(src, dst, err)))
		return ktstr_err_wrap(err, "kernel built but cache store failed");
	return 0;
}

static int build_fill(const char *tmpdir, struct ktstr_kernel_meta *meta, void *varg,
		      struct ktstr_err *err)
{
	struct build_arg *ba = varg;
	const struct ktstr_build_opts *o = ba->o;
	const char *make = o->make ? o->make : "make";
	struct ktstr_release rel;
	char tree[1024], src[1024];
	int rc;

	if (ba->tree) {
		snprintf(tree, sizeof(tree), "%s", ba->tree);   /* built already */
	} else {
		snprintf(src, sizeof(src), "%s/src", tmpdir);
		if (mkdir(src, 0755))
			return ktstr_err_set(err, -errno, "cannot create %s: %s", src,
					     strerror(errno));
		rc = ktstr_kernel_org_source(ba->version, src, &rel, tree, sizeof(tree), err);
		if (!rc)
			rc = ktstr_kernel_configure(tree, make, err);
		if (!rc)
			rc = make_bzimage(tree, make, o->jobs, err);
		if (rc)
			return rc;
	}
	rc = take_outputs(tree, tmpdir, meta, err);
	snprintf(meta->version, sizeof(meta->version), "%s", ba->version);
	snprintf(meta->source_type, sizeof(meta->source_type), "%s", ba->tree ? "local" : "tarball");
	if (!ba->tree)
		ktstr_fs_rmtree(src);   /* the entry keeps image, config, BTF, metadata */
	return rc;
}

/* "" when tree is a clean git checkout (commit in hash), else why it is not. */
static void git_state(const char *tree, char *hash, size_t hlen, char *why, size_t wlen)
{
	char cmd[2048], out[256] = "";
	FILE *p;

	hash[0] = why[0] = '\0';
	if (strchr(tree, '\'')) {
		snprintf(why, wlen, "its path holds a quote");
		return;
	}
	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse --short=7 HEAD 2>/dev/null", tree);
	if ((p = popen(cmd, "re"))) {
		if (!fgets(out, sizeof(out), p))
			out[0] = '\0';
		pclose(p);
	}
	out[strcspn(out, "\r\n")] = '\0';
	if (!out[0]) {
		snprintf(why, wlen, "it is not a git tree");
		return;
	}
	snprintf(hash, hlen, "%s", out);
	/* Tracked changes only: a build leaves ignored outputs and .config. */
	snprintf(cmd, sizeof(cmd), "git -C '%s' status --porcelain --untracked-files=no 2>/dev/null",
		 tree);
	out[0] = '\0';
	if ((p = popen(cmd, "re"))) {
		if (!fgets(out, sizeof(out), p))
			out[0] = '\0';
		pclose(p);
	}
	if (out[0])
		snprintf(why, wlen, "it has uncommitted changes");
}

static int build_local(const char *root, const struct ktstr_build_opts *o,
		       struct ktstr_build_result *res, struct ktstr_err *err)
{
	struct ktstr_cache_store_opts so = { .force = 1 };
	struct build_arg ba = { .o = o };
	const char *make = o->make ? o->make : "make";
	char tree[1024], hash[64], why[128], probe[1100];
	struct stat st;
	int rc;

	if (!realpath(o->source, tree))
		return ktstr_err_set(err, -errno, "kernel build --source %s: %s", o->source,
				     strerror(errno));
	snprintf(probe, sizeof(probe), "%s/Kconfig", tree);
	if (stat(probe, &st))
		return ktstr_err_set(err, -ENOENT,
			"kernel build --source %s: not a kernel source tree (no Kconfig at its top); "
			"point --source at the directory holding the kernel's Makefile and Kconfig",
			o->source);
	if ((rc = ktstr_kernel_configure(tree, make, err)) || (rc = make_bzimage(tree, make, o->jobs, err)))
		return rc;
	kernelrelease(tree, make, ba.version, sizeof(ba.version));
	snprintf(res->version, sizeof(res->version), "%s", ba.version);
	git_state(tree, hash, sizeof(hash), why, sizeof(why));
	if (why[0] || !ba.version[0]) {
		snprintf(res->not_cached_why, sizeof(res->not_cached_why), "%s",
			 why[0] ? why : "`make kernelrelease` printed nothing");
		snprintf(res->path, sizeof(res->path), "%s/" KTSTR_KERNEL_IMAGE_SUBPATH, tree);
		return 0;
	}
	snprintf(res->key, sizeof(res->key), "%s-local-%s-%s", ba.version, hash, KTSTR_KERNEL_ARCH);
	snprintf(res->path, sizeof(res->path), "%s/%s", root, res->key);
	ba.tree = tree;
	if ((rc = ktstr_mkdir_p(root)))
		return ktstr_err_set(err, rc, "cannot create cache directory %s: %s", root,
				     strerror(-rc));
	/* The tree was just built: its outputs replace whatever the key held. */
	rc = ktstr_cache_store(root, res->key, &so, build_fill, &ba, err);
	if (rc < 0)
		return rc;
	res->cached = 1;
	return 0;
}

int ktstr_kernel_build(const char *root, const struct ktstr_build_opts *o,
		       struct ktstr_build_result *res, struct ktstr_err *err)
{
	struct ktstr_cache_store_opts so = { .force = o->force };
	struct build_arg ba = { .o = o };
	struct ktstr_release rel;
	char base[256], url[512];
	char *json = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	if (o->source && *o->source)
		return build_local(root, o, res, err);
	/* Resolve first: the key needs the exact version ("6.14" -> 6.14.10). */
	ktstr_kernel_org_url(base, sizeof(base));
	snprintf(url, sizeof(url), "%s/releases.json", base);
	if (!o->version || !*o->version)
		fprintf(stderr, "ktstr: resolving the latest stable kernel (%s)\n", url);
	rc = ktstr_http_get(url, NULL, &json, NULL,
			    &(struct ktstr_http_opts){ .verb = "fetch", .timeout_s = 120 }, err);
	if (rc)
		return rc;
	rc = ktstr_releases_pick(json, o->version, 1, &rel, err);
	free(json);
	if (rc)
		return rc;
	snprintf(ba.version, sizeof(ba.version), "%s", rel.version);
	snprintf(res->version, sizeof(res->version), "%s", rel.version);
	snprintf(res->key, sizeof(res->key), "%s-tarball-%s", rel.version, KTSTR_KERNEL_ARCH);
	snprintf(res->path, sizeof(res->path), "%s/%s", root, res->key);
	if ((rc = ktstr_mkdir_p(root)))
		return ktstr_err_set(err, rc, "cannot create cache directory %s: %s", root,
				     strerror(-rc));
	rc = ktstr_cache_store(root, res->key, &so, build_fill, &ba, err);
	if (rc < 0)
		return ktstr_err_wrap(err, "kernel build %s", rel.version);
	res->already_cached = rc == 1;
	res->cached = 1;
	return 0;
}
