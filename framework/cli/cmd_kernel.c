// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr kernel fetch|list|clean|path`: the kernel cache from the command
 * line.  Everything here is presentation; the work is in kernels/.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "ktstr/default_kernel.h"
#include "ktstr/kernel.h"

static const char usage_main[] =
	"usage: ktstr kernel <command> [options]\n"
	"\n"
	"The kernels ktstr boots, and the cache that holds them.\n"
	"\n"
	"Commands:\n"
	"  fetch [SPEC]   download a Debian sched_ext kernel into the cache\n"
	"  list           show cached kernels (corrupt and stale ones marked)\n"
	"  clean          remove cached kernels\n"
	"  path           print the image the discovery chain picks\n"
	"\n"
	"'ktstr kernel <command> --help' describes one command.\n"
	"Exit status: 0 success, 1 failure, 2 usage error.\n";

static const char usage_fetch[] =
	"usage: ktstr kernel fetch [SPEC] [--force] [--verbose]\n"
	"\n"
	"Download a Debian kernel's packages with apt (under a private state in\n"
	"<cache>/.apt; the system's apt sources are not changed) and store the\n"
	"image and config as a cache entry.\n"
	"\n"
	"SPEC  a Debian kernel version (release+flavour) such as\n"
	"      " KTSTR_DEFAULT_KERNEL_VERSION " (the default), or a package name:\n"
	"      linux-binary-VER, linux-base-VER, linux-image-VER[-unsigned]\n"
	"\n"
	"  --force     fetch again even when a valid entry exists\n"
	"  -v, --verbose  show apt's output\n"
	"  -h, --help  this text\n"
	"\n"
	"Prints the entry's directory on stdout.\n"
	"Exit status: 0 fetched or already cached, 1 failure, 2 usage error.\n";

static const char usage_list[] =
	"usage: ktstr kernel list [--json]\n"
	"\n"
	"List cache entries, newest first.  Entries marked (corrupt) cannot be\n"
	"used; entries marked (stale kconfig) were stored under a different\n"
	"kernels/ktstr.kconfig and are skipped by discovery.  A footer on stderr\n"
	"explains the markers.\n"
	"\n"
	"  --json      one JSON document; corrupt entries carry an error_kind:\n"
	"              missing, unreadable, schema_drift, malformed, truncated,\n"
	"              parse_error, image_missing or unknown\n"
	"  -h, --help  this text\n"
	"\n"
	"Exit status: 0 listed (even with corrupt entries), 1 failure, 2 usage error.\n";

static const char usage_clean[] =
	"usage: ktstr kernel clean [--keep N] [--corrupt-only] [--force]\n"
	"\n"
	"Remove cache entries.  Without --force, print what would be removed and\n"
	"remove nothing.  Entries in use by a running VM are skipped.  Leftovers\n"
	"of interrupted fetches (.tmp-* directories) are removed too.\n"
	"\n"
	"  --keep N        keep the N newest valid entries, remove the rest\n"
	"  --corrupt-only  remove only corrupt entries; valid ones stay\n"
	"  --force         really remove\n"
	"  -h, --help      this text\n"
	"\n"
	"Exit status: 0 removed (or nothing to remove), 1 something would be\n"
	"removed but --force was not given, or an entry could not be removed,\n"
	"2 usage error.\n";

static const char usage_path[] =
	"usage: ktstr kernel path [--json]\n"
	"\n"
	"Print the kernel image the discovery chain resolves: KTSTR_TEST_KERNEL >\n"
	"KTSTR_KERNEL > newest valid cache entry > ./linux > ../linux > the\n"
	"running kernel.\n"
	"\n"
	"  --json      also print config, version, cache key, source, sched_ext, btf\n"
	"  -h, --help  this text\n"
	"\n"
	"Exit status: 0 found, 1 no kernel found, 2 usage error.\n";

static int usage_error(const char *sub, const char *fmt, const char *arg)
{
	fprintf(stderr, "ktstr kernel%s%s: ", sub ? " " : "", sub ? sub : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'ktstr kernel%s%s --help'.\n", sub ? " " : "", sub ? sub : "");
	return 2;
}

static int failure(const char *sub, const struct ktstr_err *err)
{
	fprintf(stderr, "ktstr kernel %s: %s\n", sub, err->msg);
	return 1;
}

/* Options shared by the subcommands; each accepts only its own. */
struct kopts {
	int json, force, corrupt_only, verbose;
	long keep;             /* -1: not given */
	const char *spec;
};

enum { O_JSON = 256, O_FORCE, O_KEEP, O_CORRUPT_ONLY };

/* 0 parsed, 1 help printed, 2 usage error printed. */
static int parse(int argc, char **argv, const char *sub, const char *allowed, const char *usage,
		 int max_pos, struct kopts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "force", no_argument, NULL, O_FORCE },
		{ "keep", required_argument, NULL, O_KEEP },
		{ "corrupt-only", no_argument, NULL, O_CORRUPT_ONLY },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, li = -1;

	memset(o, 0, sizeof(*o));
	o->keep = -1;
	opterr = 0;
	optind = 0;                /* glibc: full re-initialisation */
	while ((c = getopt_long(argc, argv, "+hv", longopts, &li)) != -1) {
		const char *name = li >= 0 ? longopts[li].name : NULL;
		char *end;

		if (c == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (c == '?' || c == ':')
			return usage_error(sub, "unknown or incomplete option '%s'", argv[optind - 1]);
		if (c == 'v')
			name = "verbose";
		if (!name || !strstr(allowed, name))
			return usage_error(sub, "option '%s' does not apply here", argv[optind - 1]);
		switch (c) {
		case O_JSON: o->json = 1; break;
		case O_FORCE: o->force = 1; break;
		case O_CORRUPT_ONLY: o->corrupt_only = 1; break;
		case 'v': o->verbose = 1; break;
		case O_KEEP:
			errno = 0;
			o->keep = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || o->keep < 0)
				return usage_error(sub, "invalid --keep '%s': expected a count >= 0",
						   optarg);
			break;
		}
		li = -1;
	}
	if (argc - optind > max_pos)
		return usage_error(sub, "unexpected argument '%s'", argv[optind + max_pos]);
	if (argc - optind == 1)
		o->spec = argv[optind];
	return 0;
}

static const char *tri(int v)
{
	return v < 0 ? "?" : v ? "yes" : "no";
}

static json_t *jtri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

static int cmd_fetch(int argc, char **argv)
{
	struct ktstr_fetch_opts fo = { 0 };
	struct ktstr_fetch_result res;
	struct ktstr_cache_entry e;
	struct ktstr_err err = { 0 };
	struct kopts o;
	char root[512];
	int rc;

	if ((rc = parse(argc, argv, "fetch", "force verbose", usage_fetch, 1, &o)))
		return rc == 1 ? 0 : rc;
	if (ktstr_cache_root(root, sizeof(root), &err))
		return failure("fetch", &err);
	fo.spec = o.spec;
	fo.force = o.force;
	fo.verbose = o.verbose;
	if (ktstr_kernel_fetch_deb(root, &fo, &res, &err))
		return failure("fetch", &err);
	if (ktstr_cache_lookup(root, res.key, &e, &err) || e.kind != KTSTR_CACHE_OK) {
		ktstr_err_set(&err, -EIO, "entry %s is not valid after the fetch: %s", res.key,
			      e.error);
		return failure("fetch", &err);
	}
	fprintf(stderr, "%s %s (sched_ext: %s, btf: %s)\n",
		res.already_cached ? "already cached (use --force to fetch again):" : "cached",
		res.key, tri(e.meta.sched_ext), tri(e.meta.btf));
	if (e.meta.sched_ext == 0)
		fprintf(stderr, "warning: %s has no CONFIG_SCHED_CLASS_EXT=y; sched_ext scenarios "
			"cannot run on it\n", e.meta.version);
	printf("%s\n", res.path);
	return 0;
}

static json_t *entry_json(const struct ktstr_cache_entry *e)
{
	json_t *o = json_pack("{s:s, s:s, s:b}", "key", e->key, "path", e->path,
			      "corrupt", e->kind != KTSTR_CACHE_OK);
	json_t *pkgs;
	char p[1024];

	if (e->kind != KTSTR_CACHE_OK) {
		json_object_set_new(o, "error_kind",
				    json_string(ktstr_cache_error_kind_name(e->kind)));
		json_object_set_new(o, "error", json_string(e->error));
		return o;
	}
	pkgs = json_array();
	for (int i = 0; i < e->meta.npackages; i++)
		json_array_append_new(pkgs, json_string(e->meta.packages[i]));
	json_object_set_new(o, "stale_kconfig", json_boolean(e->stale_kconfig));
	json_object_set_new(o, "version", json_string(e->meta.version));
	json_object_set_new(o, "arch", json_string(e->meta.arch));
	json_object_set_new(o, "source", json_pack("{s:s, s:o}", "type", e->meta.source_type,
						   "packages", pkgs));
	snprintf(p, sizeof(p), "%s/%s", e->path, e->meta.image_name);
	json_object_set_new(o, "image", json_string(p));
	snprintf(p, sizeof(p), "%s/config", e->path);
	json_object_set_new(o, "config", json_string(p));
	json_object_set_new(o, "config_hash", json_string(e->meta.config_hash));
	json_object_set_new(o, "kconfig_hash", json_string(e->meta.kconfig_hash));
	json_object_set_new(o, "built_at", json_string(e->meta.built_at));
	json_object_set_new(o, "sched_ext", jtri(e->meta.sched_ext));
	json_object_set_new(o, "btf", jtri(e->meta.btf));
	return o;
}

static void list_footer(const char *root, int corrupt, int stale)
{
	if (corrupt)
		fprintf(stderr,
			"warning: entries marked (corrupt) cannot be used: their metadata.json is "
			"missing, unreadable, cut short, malformed or from another schema, or names "
			"an image that is gone. Remove only those with `ktstr kernel clean "
			"--corrupt-only --force` (valid entries stay), or inspect the entry "
			"directory under %s and delete it by hand.\n", root);
	if (stale)
		fprintf(stderr,
			"warning: entries marked (stale kconfig) were stored under a different "
			"kernels/ktstr.kconfig than this ktstr's, so discovery skips them. "
			"Refresh one with: ktstr kernel fetch --force <entry version>\n");
}

static int cmd_list(int argc, char **argv)
{
	struct ktstr_cache_entry *ents = NULL;
	struct ktstr_err err = { 0 };
	int corrupt = 0, stale = 0, rc;
	struct kopts o;
	char root[512];
	size_t n = 0;

	if ((rc = parse(argc, argv, "list", "json", usage_list, 0, &o)))
		return rc == 1 ? 0 : rc;
	if (ktstr_cache_root(root, sizeof(root), &err) ||
	    ktstr_cache_list(root, &ents, &n, &err))
		return failure("list", &err);
	for (size_t i = 0; i < n; i++) {
		corrupt += ents[i].kind != KTSTR_CACHE_OK;
		stale += ents[i].stale_kconfig;
	}
	if (o.json) {
		json_t *arr = json_array();
		json_t *doc;

		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, entry_json(&ents[i]));
		doc = json_pack("{s:s, s:s, s:o}", "cache_root", root, "kconfig_hash",
				ktstr_kconfig_fragment_hash(), "entries", arr);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else {
		printf("cache: %s\n", root);
		if (!n)
			printf("(no cached kernels; fetch one with `ktstr kernel fetch`)\n");
		else
			printf("%-40s %-28s %-9s %-4s %s\n", "KEY", "VERSION", "SCHED_EXT", "BTF",
			       "FETCHED");
		for (size_t i = 0; i < n; i++) {
			const struct ktstr_cache_entry *e = &ents[i];

			if (e->kind != KTSTR_CACHE_OK) {
				printf("%-40s (corrupt: %s)\n", e->key, e->error);
				continue;
			}
			printf("%-40s %-28s %-9s %-4s %s%s\n", e->key, e->meta.version,
			       tri(e->meta.sched_ext), tri(e->meta.btf), e->meta.built_at,
			       e->stale_kconfig ? " (stale kconfig)" : "");
		}
	}
	fflush(stdout);
	list_footer(root, corrupt, stale);
	free(ents);
	return 0;
}

static int cmd_clean(int argc, char **argv)
{
	struct ktstr_cache_entry *ents = NULL;
	struct ktstr_err err = { 0 };
	int would = 0, failed = 0, rc, kept = 0;
	struct kopts o;
	char root[512];
	size_t n = 0;

	if ((rc = parse(argc, argv, "clean", "keep corrupt-only force", usage_clean, 0, &o)))
		return rc == 1 ? 0 : rc;
	if (o.corrupt_only && o.keep >= 0)
		return usage_error("clean", "%s", "--keep and --corrupt-only do not combine: "
				   "--corrupt-only already keeps every valid entry");
	if (ktstr_cache_root(root, sizeof(root), &err) ||
	    ktstr_cache_list(root, &ents, &n, &err))
		return failure("clean", &err);
	if (o.force) {
		rc = ktstr_cache_sweep_tmp(root, &err);
		if (rc > 0)
			printf("removed %d leftover .tmp-* director%s of interrupted fetches\n", rc,
			       rc == 1 ? "y" : "ies");
	}
	/* ents: valid newest first, then corrupt, so --keep keeps the newest. */
	for (size_t i = 0; i < n; i++) {
		const struct ktstr_cache_entry *e = &ents[i];
		int bad = e->kind != KTSTR_CACHE_OK;

		if (o.corrupt_only && !bad)
			continue;
		if (!bad && o.keep >= 0 && kept < o.keep) {
			kept++;
			continue;
		}
		if (!o.force) {
			printf("would remove %s%s\n", e->key, bad ? " (corrupt)" : "");
			would++;
			continue;
		}
		if (ktstr_cache_remove(root, e->key, &err)) {
			fprintf(stderr, "ktstr kernel clean: skipped %s: %s\n", e->key, err.msg);
			failed++;
			continue;
		}
		printf("removed %s\n", e->key);
	}
	free(ents);
	if (would) {
		fprintf(stderr, "ktstr kernel clean: %d entr%s would be removed from %s; nothing "
			"was removed. Re-run with --force to remove %s.\n", would,
			would == 1 ? "y" : "ies", root, would == 1 ? "it" : "them");
		return 1;
	}
	if (!o.force || (!failed && n == 0))
		printf("nothing to remove in %s\n", root);
	return failed ? 1 : 0;
}

static int cmd_path(int argc, char **argv)
{
	struct ktstr_err err = { 0 };
	struct ktstr_kernel k;
	struct kopts o;
	int rc;

	if ((rc = parse(argc, argv, "path", "json", usage_path, 0, &o)))
		return rc == 1 ? 0 : rc;
	if (ktstr_kernel_resolve(&k, &err))
		return failure("path", &err);
	if (o.json) {
		json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
					"image", k.image, "config", k.config,
					"version", k.version, "key", k.key, "source", k.source,
					"sched_ext", jtri(k.sched_ext), "btf", jtri(k.btf));

		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else {
		printf("%s\n", k.image);
	}
	return 0;
}

int ktstr_cmd_kernel(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = {
		{ "fetch", cmd_fetch }, { "list", cmd_list },
		{ "clean", cmd_clean }, { "path", cmd_path },
	};

	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1);
	return usage_error(NULL, "unknown command '%s'", argv[1]);
}
