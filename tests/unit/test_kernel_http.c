// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel.org downloads against a fake kernel.org on 127.0.0.1
 * (kernel_org_server.py): releases.json resolution and its messages, the
 * tarball download, HTML and HTTP error rejection, safe extraction, and a
 * whole `kernel build VERSION` with a fake make.  No internet needed.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "test_kernel_util.h"

#define SERVER KTSTR_SOURCE_DIR "/tests/unit/kernel_org_server.py"
#define FAKE_MAKE KTSTR_SOURCE_DIR "/tests/unit/fake_kernel_make.sh"

struct server {
	pid_t pid;
	int in;          /* its stdin: closing it stops the server */
	int port;
	char url[128];
};

static int start(void **state)
{
	static struct server s;
	int in[2], out[2];
	char line[64] = "";
	FILE *f;

	if (pipe(in) || pipe(out))
		return -1;
	s.pid = fork();
	if (s.pid < 0)
		return -1;
	if (s.pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp("python3", "python3", SERVER, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s.in = in[1];
	f = fdopen(out[0], "r");
	if (!f || !fgets(line, sizeof(line), f) || sscanf(line, "PORT %d", &s.port) != 1) {
		fprintf(stderr, "kernel_org_server.py did not start (python3 missing?)\n");
		return -1;
	}
	fclose(f);
	snprintf(s.url, sizeof(s.url), "http://127.0.0.1:%d", s.port);
	setenv("KTSTR_KERNEL_ORG_URL", s.url, 1);
	*state = &s;
	return 0;
}

static int stop(void **state)
{
	struct server *s = *state;

	close(s->in);
	if (waitpid(s->pid, NULL, 0) != s->pid) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	return 0;
}

static void set_base(struct server *s, const char *sub)
{
	char url[160];

	snprintf(url, sizeof(url), "%s%s", s->url, sub);
	setenv("KTSTR_KERNEL_ORG_URL", url, 1);
}

/* kernel_org_source(version) into a fresh dir; returns rc, err in *e. */
static int source(const char *version, char *tree, size_t len, struct ktstr_err *e, char **dir)
{
	struct ktstr_release rel;

	*dir = kt_tmpdir();
	memset(e, 0, sizeof(*e));
	return ktstr_kernel_org_source(version, *dir, &rel, tree, len, e);
}

static void test_latest_download_extract(void **state)
{
	struct server *s = *state;
	struct ktstr_err e;
	char tree[1024], *dir;

	set_base(s, "");
	/* Newest stable/longterm with patch >= 8: 6.14.10 (6.15.3 is too young). */
	assert_int_equal(source(NULL, tree, sizeof(tree), &e, &dir), 0);
	assert_non_null(strstr(tree, "/linux-6.14.10"));
	assert_true(kt_exists(tree, "Makefile"));
	assert_true(kt_exists(tree, "kernel/sched/ext.c"));
	assert_false(kt_exists(dir, "linux-6.14.10.tar.xz"));    /* tarball deleted */
	kt_rmrf(dir);
	free(dir);

	/* A series resolves to its newest release. */
	assert_int_equal(source("6.14", tree, sizeof(tree), &e, &dir), 0);
	assert_non_null(strstr(tree, "/linux-6.14.10"));
	kt_rmrf(dir);
	free(dir);
}

static void expect_fail(const char *version, const char *want)
{
	struct ktstr_err e;
	char tree[1024], *dir;

	assert_int_not_equal(source(version, tree, sizeof(tree), &e, &dir), 0);
	if (!strstr(e.msg, want))
		fail_msg("version %s: expected '%s' in: %s", version ? version : "(latest)", want,
			 e.msg);
	/* Nothing half-downloaded is left behind. */
	assert_false(kt_exists(dir, "linux-6.13.12.tar.xz"));
	assert_false(kt_exists(dir, "linux-6.12.40.tar.xz"));
	assert_false(kt_exists(dir, "escaped"));
	kt_rmrf(dir);
	free(dir);
}

static void test_errors(void **state)
{
	struct server *s = *state;
	char want[256];

	set_base(s, "");
	expect_fail("6.14.22", "version 6.14.22 not found, latest 6.14.x: 6.14.10");
	expect_fail("6.13.12", "server returned HTML instead of tarball");
	expect_fail("6.12.40", "extract tarball:");
	expect_fail("6.12.40", "has a '..' component");
	/* An older point release of a listed series: tried on the server. */
	expect_fail("6.14.3", "version 6.14.3 not found (");
	expect_fail("5.4.99", "version 5.4.99 not found");
	expect_fail("6.9", "version 6.9 not found: releases.json lists maintained series only");
	expect_fail("6.15-rc9", "version 6.15-rc9 not found: kernel.org versions look like");
	set_base(s, "/norel");
	expect_fail(NULL, "no stable kernel with patch >= 8 found in releases.json");
	set_base(s, "/bad");
	snprintf(want, sizeof(want), "fetch %s/bad/releases.json: HTTP 503", s->url);
	expect_fail(NULL, want);
	set_base(s, "/notjson");
	expect_fail(NULL, "releases.json is not JSON");
	/* Nothing listens on port 1 of the loopback. */
	setenv("KTSTR_KERNEL_ORG_URL", "http://127.0.0.1:1/", 1);
	expect_fail(NULL, "fetch http://127.0.0.1:1/releases.json: ");
	set_base(s, "");
}

static void test_http_get(void **state)
{
	struct server *s = *state;
	struct ktstr_http_opts html = { .reject_html = 1 };
	struct ktstr_err e = { 0 };
	char url[256], *body = NULL, *dir = kt_tmpdir(), path[1024];
	size_t len = 0;

	snprintf(url, sizeof(url), "%s/releases.json", s->url);
	assert_int_equal(ktstr_http_get(url, NULL, &body, &len, NULL, &e), 0);
	assert_non_null(strstr(body, "\"6.14.10\""));
	assert_int_equal(strlen(body), len);
	free(body);

	snprintf(url, sizeof(url), "%s/missing.tar.xz", s->url);
	snprintf(path, sizeof(path), "%s/missing.tar.xz", dir);
	/* A 404 HTML page is an HTTP error, not "HTML instead of tarball". */
	assert_int_equal(ktstr_http_get(url, path, NULL, NULL, &html, &e), -EIO);
	assert_non_null(strstr(e.msg, "download "));
	assert_non_null(strstr(e.msg, "missing.tar.xz: HTTP 404"));
	assert_false(kt_exists(dir, "missing.tar.xz"));
	kt_rmrf(dir);
	free(dir);
}

/* `ktstr kernel build 6.14.10` end to end, make faked: download, extract,
 * configure, build, store, and the second build is a cache hit. */
static void test_build_from_kernel_org(void **state)
{
	struct ktstr_build_opts o = { .version = "6.14.10", .make = FAKE_MAKE, .jobs = 2 };
	struct ktstr_build_result res;
	struct ktstr_cache_entry ent;
	struct ktstr_err e = { 0 };
	char *root = kt_tmpdir();

	(void)state;
	set_base(*state, "");
	if (ktstr_kernel_build(root, &o, &res, &e))
		fail_msg("build: %s", e.msg);
	assert_string_equal(res.key, "6.14.10-tarball-x86_64");
	assert_true(res.cached);
	assert_int_equal(ktstr_cache_lookup(root, res.key, &ent, &e), 0);
	assert_int_equal(ent.kind, KTSTR_CACHE_OK);
	assert_string_equal(ent.meta.source_type, "tarball");
	assert_string_equal(ent.meta.version, "6.14.10");
	assert_int_equal(ent.meta.sched_ext, 1);      /* the fragment was merged */
	assert_int_equal(ent.meta.has_btf_file, 0);   /* a fake image has no BTF */
	assert_false(kt_exists(ent.path, "src"));     /* the build tree is gone */
	assert_int_equal(ktstr_kernel_build(root, &o, &res, &e), 0);
	assert_true(res.already_cached);

	/* A failing make: the error names the target and quotes the log. */
	setenv("FAKE_MAKE_FAIL", "bzImage", 1);
	o.force = 1;
	assert_int_equal(ktstr_kernel_build(root, &o, &res, &e), -EIO);
	unsetenv("FAKE_MAKE_FAIL");
	assert_non_null(strstr(e.msg, "`make bzImage` in "));
	assert_non_null(strstr(e.msg, "failed on purpose"));
	kt_rmrf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest_download_extract),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_http_get),
		cmocka_unit_test(test_build_from_kernel_org),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("kernel_http", tests, start, stop);
}
