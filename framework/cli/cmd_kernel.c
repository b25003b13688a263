// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr kernel fetch|build|btf|list|clean|path`: the kernel cache from the command
 * line.  Everything here is presentation; the work is in kernels/.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	"                 (kernel.org:VERSION or X.Y.Z: build it from kernel.org)\n"
	"  build          build a kernel.org release or a local tree into the cache\n"
	"  btf            write a kernel's BTF (for vmlinux.h) or its vmlinux\n"
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
	"      linux-binary-VER, linux-base-VER, linux-image-VER[-unsigned];\n"
	"      or kernel.org:VERSION (6.14.10, 6.14) or a plain X.Y.Z (6.14.10):\n"
	"      the same as `ktstr kernel build VERSION`\n"
	"\n"
	"  --force     fetch again even when a valid entry exists\n"
	"  -v, --verbose  show apt's output\n"
	"  -h, --help  this text\n"
	"\n"
	"Prints the entry's directory on stdout.\n"
	"Exit status: 0 fetched or already cached, 1 failure, 2 usage error.\n";

static const char usage_build[] =
	"usage: ktstr kernel build [VERSION | --source DIR] [--force] [--jobs N]\n"
	"\n"
	"Build a kernel with kernels/ktstr.kconfig merged in (defconfig when the\n"
	"tree has no .config, the fragment appended, make olddefconfig, then a\n"
	"check that sched_ext, BTF and the console options survived) and store\n"
	"its bzImage, config and vmlinux.btf as a cache entry.\n"
	"\n"
	"VERSION  a kernel.org release: 6.14.10, or 6.14 (newest 6.14.x); none:\n"
	"         the newest stable/longterm release with patch >= 8.  Read from\n"
	"         $KTSTR_KERNEL_ORG_URL/releases.json (default " KTSTR_KERNEL_ORG_URL_DEFAULT ").\n"
	"\n"
	"  --source DIR  build the kernel tree DIR in place instead; cached only\n"
	"                when DIR is a clean git tree (else boot it with\n"
	"                KTSTR_KERNEL=DIR)\n"
	"  --force       build again even when a valid entry exists\n"
	"  --jobs N      make -jN (default: online CPUs)\n"
	"  -h, --help    this text\n"
	"\n"
	"Prints the entry's directory (or the built image when not cached) on stdout.\n"
	"Exit status: 0 built or already cached, 1 failure, 2 usage error.\n";

static const char usage_btf[] =
	"usage: ktstr kernel btf [SPEC | --image PATH] [-o FILE] [--vmlinux] [--json]\n"
	"\n"
	"The BTF of a kernel: the raw .BTF section of its vmlinux, recovered from\n"
	"the bzImage (the compressed payload the setup header points at), which\n"
	"`bpftool btf dump file FILE format c` turns into vmlinux.h.\n"
	"\n"
	"SPEC          a cache key, cached version, image or tree, as KTSTR_KERNEL\n"
	"              takes them; none: the kernel the discovery chain picks\n"
	"  --image PATH  a bzImage or vmlinux file instead\n"
	"  -o FILE       write the BTF (or, with --vmlinux, the vmlinux ELF) to FILE;\n"
	"                without it, print the cache entry's vmlinux.btf path\n"
	"  --vmlinux     write the decompressed vmlinux instead of the BTF (needs -o)\n"
	"  --json        print {\"kernel\", \"btf\", \"types\", \"sched_ext_ops\"}\n"
	"  -h, --help    this text\n"
	"\n"
	"Exit status: 0 written, 1 failure (no BTF, unreadable image), 2 usage error.\n";

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
	int json, force, corrupt_only, verbose, vmlinux;
	long keep;             /* -1: not given */
	long jobs;             /* 0: not given */
	const char *spec;
	const char *source, *image, *output;
};

enum { O_JSON = 256, O_FORCE, O_KEEP, O_CORRUPT_ONLY, O_SOURCE, O_JOBS, O_IMAGE, O_VMLINUX };

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
		{ "source", required_argument, NULL, O_SOURCE },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "image", required_argument, NULL, O_IMAGE },
		{ "output", required_argument, NULL, 'o' },
		{ "vmlinux", no_argument, NULL, O_VMLINUX },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, li = -1;

	memset(o, 0, sizeof(*o));
	o->keep = -1;
	opterr = 0;
	optind = 0;                /* glibc: full re-initialisation */
	/* Permuting: options may follow SPEC (`ktstr kernel btf 7.2 -o f`). */
	while ((c = getopt_long(argc, argv, "hvo:", longopts, &li)) != -1) {
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
		if (c == 'o')
			name = "output";
		if (!name || !strstr(allowed, name)) {
			char opt[48];

			/* By name: argv[optind - 1] is the value of an option that takes one. */
			snprintf(opt, sizeof(opt), "--%s", name ? name : "?");
			return usage_error(sub, "option '%s' does not apply here", opt);
		}
		switch (c) {
		case O_JSON: o->json = 1; break;
		case O_FORCE: o->force = 1; break;
		case O_CORRUPT_ONLY: o->corrupt_only = 1; break;
		case 'v': o->verbose = 1; break;
		case O_SOURCE: o->source = optarg; break;
		case O_IMAGE: o->image = optarg; break;
		case 'o': o->output = optarg; break;
		case O_VMLINUX: o->vmlinux = 1; break;
		case O_JOBS:
			errno = 0;
			o->jobs = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || o->jobs < 1 || o->jobs > 4096)
				return usage_error(sub, "invalid --jobs '%s': expected a count from 1 "
						   "to 4096", optarg);
			break;
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

/* kernel.org or local build, then the same report as fetch. */
static int build_and_report(const char *sub, const char *version, const char *source, int force,
			    int jobs)
{
	struct ktstr_build_opts bo = { .version = version, .source = source, .force = force,
				       .jobs = jobs };
	struct ktstr_build_result res;
	struct ktstr_cache_entry e;
	struct ktstr_err err = { 0 };
	char root[512];

	if (ktstr_cache_root(root, sizeof(root), &err))
		return failure(sub, &err);
	if (ktstr_kernel_build(root, &bo, &res, &err))
		return failure(sub, &err);
	if (!res.cached) {
		fprintf(stderr, "built %s but did not cache it: %s, so no cache key can name its "
			"contents. Boot it with KTSTR_KERNEL=%s (commit it to cache it)\n",
			res.version[0] ? res.version : "the kernel", res.not_cached_why, source);
		printf("%s\n", res.path);
		return 0;
	}
	if (ktstr_cache_lookup(root, res.key, &e, &err) || e.kind != KTSTR_CACHE_OK) {
		ktstr_err_set(&err, -EIO, "entry %s is not valid after the build: %s", res.key,
			      e.error);
		return failure(sub, &err);
	}
	fprintf(stderr, "%s %s (sched_ext: %s, btf: %s)\n",
		res.already_cached ? "already cached (use --force to build again):" : "cached",
		res.key, tri(e.meta.sched_ext), tri(e.meta.btf));
	printf("%s\n", res.path);
	return 0;
}

static int cmd_build(int argc, char **argv)
{
	struct kopts o;
	int rc;

	if ((rc = parse(argc, argv, "build", "force source jobs", usage_build, 1, &o)))
		return rc == 1 ? 0 : rc;
	if (o.source && o.spec)
		return usage_error("build", "%s", "give a VERSION or --source DIR, not both");
	return build_and_report("build", o.spec, o.source, o.force, (int)o.jobs);
}

static int cmd_btf(int argc, char **argv)
{
	struct ktstr_resolve_opts ro = { 0 };
	struct ktstr_err err = { 0 };
	struct ktstr_btf_info info = { 0 };
	struct ktstr_kernel k;
	char cached[1100] = "", what[600];
	const char *image, *out;
	struct kopts o;
	int rc;

	if ((rc = parse(argc, argv, "btf", "image output vmlinux json", usage_btf, 1, &o)))
		return rc == 1 ? 0 : rc;
	if (o.image && o.spec)
		return usage_error("btf", "%s", "give a SPEC or --image PATH, not both");
	if (o.vmlinux && !o.output)
		return usage_error("btf", "%s", "--vmlinux needs -o FILE (a vmlinux is tens of MB)");
	if (o.image) {
		image = o.image;
		snprintf(what, sizeof(what), "%s", o.image);
	} else {
		ro.spec = o.spec;
		if (ktstr_kernel_resolve_opts(&ro, &k, &err))
			return failure("btf", &err);
		image = k.image;
		snprintf(what, sizeof(what), "%s", k.key[0] ? k.key : k.image);
		if (k.key[0]) {
			/* image is <entry>/bzImage: the BTF sits next to it. */
			snprintf(cached, sizeof(cached), "%.*s/" KTSTR_KERNEL_BTF_NAME,
				 (int)(strrchr(k.image, '/') - k.image), k.image);
			if (access(cached, R_OK))
				cached[0] = '\0';
		}
	}
	out = o.output;
	if (!out && !cached[0]) {
		ktstr_err_set(&err, -ENOENT,
			"kernel %s has no cached " KTSTR_KERNEL_BTF_NAME " (not a cache entry, or "
			"cached before ktstr kept one); write its BTF with -o FILE", what);
		return failure("btf", &err);
	}
	if (out) {
		rc = ktstr_kernel_btf_write(image, out, o.vmlinux, &info, &err);
		if (rc)
			return failure("btf", &err);
	} else {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = fopen(cached, "re");

		/* Report on the cached file as we would on a fresh one. */
		if (f) {
			fseek(f, 0, SEEK_END);
			len = (size_t)ftell(f);
			rewind(f);
			buf = malloc(len ? len : 1);
			if (!buf || fread(buf, 1, len, f) != len)
				len = 0;
			fclose(f);
		}
		rc = ktstr_btf_check(buf, len, &info, &err);
		free(buf);
		if (rc) {
			ktstr_err_wrap(&err, "%s", cached);
			return failure("btf", &err);
		}
		out = cached;
	}
	if (o.json) {
		json_t *doc = json_pack("{s:s, s:s, s:s, s:i, s:b}", "kernel", what,
					o.vmlinux ? "vmlinux" : "btf", out, "image", image,
					"types", (int)info.types, "sched_ext_ops", info.sched_ext_ops);

		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else {
		fprintf(stderr, "%s: %u BTF types, struct sched_ext_ops: %s\n", what, info.types,
			info.sched_ext_ops ? "yes" : "no");
		printf("%s\n", out);
	}
	return 0;
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
	/* kernel.org has sources, not images: fetching one means building it. */
	if (o.spec && !strncmp(o.spec, "kernel.org:", 11))
		return build_and_report("fetch", o.spec + 11, NULL, o.force, 0);
	/* Only a full X.Y.Z: "7.2" stays a (Debian) spec error, not a surprise build. */
	if (o.spec && ktstr_is_upstream_version(o.spec) && strchr(strchr(o.spec, '.') + 1, '.'))
		return build_and_report("fetch", o.spec, NULL, o.force, 0);
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
		{ "fetch", cmd_fetch }, { "build", cmd_build }, { "btf", cmd_btf },
		{ "list", cmd_list },
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
