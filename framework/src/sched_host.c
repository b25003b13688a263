// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding a sched_ext scheduler binary on the host and collecting what it
 * needs in the guest.  See sched_host.h.
 *
 * Why libelf and not ldd: ldd may execute the binary (and a scheduler built
 * for another libc would fail in confusing ways); reading PT_INTERP,
 * DT_NEEDED and DT_RUNPATH is all the guest's dynamic loader does anyway.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"
#include "sched_btf.h"
#include "sched_host.h"

/* Debian's multiarch directories first, then the classic ones. */
static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
	"/lib", "/usr/lib", "/usr/local/lib",
};

void ktstr_sched_env_name(const char *name, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "KTSTR_SCHEDULER_BIN_");

	for (const char *p = name; *p && o + 1 < len; p++)
		buf[o++] = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	if (o < len)
		buf[o] = '\0';
}

static bool executable_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

static void dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

static bool try_dir(const char *dir, const char *name, struct ktstr_sched_files *out,
		    const char *how)
{
	char p[KTSTR_PATH_MAX * 2];

	if (!dir || !*dir)
		return false;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (!executable_file(p) || !realpath(p, out->bin))
		return false;
	snprintf(out->found_by, sizeof(out->found_by), "%s", how);
	return true;
}

/* A path as written in the scenario: absolute, else from its directory, else the working one. */
static void scenario_relative(const char *v, const char *source_path, char *p, size_t len)
{
	char base[KTSTR_PATH_MAX];

	if (v[0] == '/') {
		snprintf(p, len, "%s", v);
	} else {
		dir_of(source_path ? source_path : "", base, sizeof(base));
		snprintf(p, len, "%s/%s", base, v);
		if (access(p, F_OK))
			snprintf(p, len, "%s", v);   /* the working directory */
	}
}

static int find_by_path(const struct ktstr_scheduler_spec *spec, const char *source_path,
			struct ktstr_sched_files *out, struct ktstr_err *err)
{
	const char *v = spec->value;
	char p[KTSTR_PATH_MAX * 2];

	scenario_relative(v, source_path, p, sizeof(p));
	if (!executable_file(p))
		return ktstr_err_set(err, access(p, F_OK) ? -ENOENT : -EACCES,
				     "scheduler path '%s' is not an executable file (looked at %s): "
				     "%s. Build the scheduler first, or fix `scheduler: {path: ...}`",
				     v, p, access(p, F_OK) ? "no such file" : "not executable");
	if (!realpath(p, out->bin))
		return ktstr_err_set(err, -errno, "scheduler path '%s': %s", p, strerror(errno));
	snprintf(out->found_by, sizeof(out->found_by), "scheduler.path");
	return 0;
}

static int find_by_name(const char *name, bool generic_env, const char *agent_path,
			struct ktstr_sched_files *out, struct ktstr_err *err)
{
	char env[160], self[KTSTR_PATH_MAX], dir[KTSTR_PATH_MAX], build[KTSTR_PATH_MAX * 2];
	const char *v, *path_env;
	ssize_t n;

	ktstr_sched_env_name(name, env, sizeof(env));
	v = getenv(env);
	if (v && *v) {
		if (!executable_file(v) || !realpath(v, out->bin))
			return ktstr_err_set(err, -ENOENT,
					     "scheduler '%s': %s=%s is not an executable file", name,
					     env, v);
		snprintf(out->found_by, sizeof(out->found_by), "%s", env);
		return 0;
	}
	/* KTSTR_SCHEDULER stands for the scenario's scheduler, not for those its ops start */
	v = generic_env ? getenv("KTSTR_SCHEDULER") : NULL;
	if (v && *v) {
		if (!executable_file(v) || !realpath(v, out->bin))
			return ktstr_err_set(err, -ENOENT,
					     "scheduler '%s': KTSTR_SCHEDULER=%s is not an executable file",
					     name, v);
		snprintf(out->found_by, sizeof(out->found_by), "KTSTR_SCHEDULER");
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	dir_of(self, dir, sizeof(dir));
	if (n > 0 && try_dir(dir, name, out, "next to the test executable"))
		return 0;
	/* The build (or install) tree: the agent lives in <tree>/guest/. */
	build[0] = '\0';
	if (agent_path && *agent_path) {
		char adir[KTSTR_PATH_MAX];

		dir_of(agent_path, adir, sizeof(adir));
		snprintf(build, sizeof(build), "%s/..", adir);
		{
			char real[KTSTR_PATH_MAX];

			if (realpath(build, real))      /* for the message: /build, not /build/guest/.. */
				snprintf(build, sizeof(build), "%s", real);
		}
		if (try_dir(adir, name, out, "next to the guest agent"))
			return 0;
		snprintf(dir, sizeof(dir), "%.*s/../bpf", (int)sizeof(dir) - 8, adir);
		if (try_dir(dir, name, out, "the build tree (bpf/)"))
			return 0;
		snprintf(dir, sizeof(dir), "%.*s/../schedulers", (int)sizeof(dir) - 16, adir);
		if (try_dir(dir, name, out, "the build tree (schedulers/)"))
			return 0;
	}
	path_env = getenv("PATH");
	if (path_env) {
		char *copy = strdup(path_env), *save = NULL;

		for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d;
		     d = strtok_r(NULL, ":", &save))
			if (try_dir(d, name, out, "$PATH")) {
				free(copy);
				return 0;
			}
		free(copy);
	}
	/* The seed guide's message, with this ktstr's search places. */
	return ktstr_err_set(err, -ENOENT,
			     "scheduler '%s' not found. Set %s or KTSTR_SCHEDULER, or place it next "
			     "to the test binary (%s), in the build tree (%s/bpf, %s/schedulers) or "
			     "in $PATH",
			     name, env, n > 0 ? self : "?", build[0] ? build : "?",
			     build[0] ? build : "?");
}

int ktstr_sched_find_spec(const struct ktstr_scheduler_spec *spec, bool own_spec,
			  const char *source_path, const char *agent_path,
			  struct ktstr_sched_files *out, struct ktstr_err *err)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->label, sizeof(out->label), "%s", ktstr_sched_spec_label(spec));
	switch (spec->kind) {
	case KTSTR_SCHED_PATH:
		return find_by_path(spec, source_path, out, err);
	case KTSTR_SCHED_NAME:
		return find_by_name(spec->value, own_spec, agent_path, out, err);
	case KTSTR_SCHED_EEVDF:
		break;
	}
	return ktstr_err_set(err, -EINVAL, "scheduler: eevdf is built into the kernel; there is no binary to find");
}

int ktstr_sched_find(const struct ktstr_scenario *s, const char *source_path,
		     const char *agent_path, struct ktstr_sched_files *out, struct ktstr_err *err)
{
	return ktstr_sched_find_spec(&s->sched, true, source_path, agent_path, out, err);
}

int ktstr_payload_find(const struct ktstr_payload *pl, const char *source_path,
		       struct ktstr_sched_files *out, struct ktstr_err *err)
{
	char p[KTSTR_PATH_MAX * 2];

	memset(out, 0, sizeof(*out));
	out->what = "payload";
	snprintf(out->label, sizeof(out->label), "%s", pl->name);
	scenario_relative(pl->path, source_path, p, sizeof(p));
	if (!executable_file(p))
		return ktstr_err_set(err, access(p, F_OK) ? -ENOENT : -EACCES,
				     "payload '%s': path '%s' is not an executable file (looked at "
				     "%s): %s. Build it first, or fix the payload's `path:`",
				     pl->name, pl->path, p,
				     access(p, F_OK) ? "no such file" : "not executable");
	if (!realpath(p, out->bin))
		return ktstr_err_set(err, -errno, "payload '%s': path '%s': %s", pl->name, p,
				     strerror(errno));
	snprintf(out->found_by, sizeof(out->found_by), "payloads.path");
	return 0;
}

/* ---- ELF dependencies ---------------------------------------------------- */

struct elf_deps {
	char interp[KTSTR_PATH_MAX];
	char needed[32][128];
	unsigned n_needed;
	char runpath[1024];        /* DT_RUNPATH, else DT_RPATH */
	bool is_elf;
};

static int read_deps(const char *path, struct elf_deps *d)
{
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t nph;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(d, 0, sizeof(*d));
	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		close(fd);
		return -ENOEXEC;
	}
	d->is_elf = true;
	if (!elf_getphdrnum(e, &nph)) {
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_INTERP && ph.p_filesz &&
			    ph.p_filesz < sizeof(d->interp) &&
			    pread(fd, d->interp, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz)
				d->interp[ph.p_filesz - 1] = '\0';
		}
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC)
			continue;
		data = elf_getdata(scn, NULL);
		for (size_t i = 0; data && i < sh.sh_size / (sh.sh_entsize ? sh.sh_entsize : 1); i++) {
			GElf_Dyn dyn;
			const char *str;

			if (!gelf_getdyn(data, (int)i, &dyn))
				break;
			if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RUNPATH && dyn.d_tag != DT_RPATH)
				continue;
			str = elf_strptr(e, sh.sh_link, dyn.d_un.d_val);
			if (!str)
				continue;
			if (dyn.d_tag == DT_NEEDED && d->n_needed < 32)
				snprintf(d->needed[d->n_needed++], sizeof(d->needed[0]), "%s", str);
			else if (dyn.d_tag == DT_RUNPATH || !d->runpath[0])
				snprintf(d->runpath, sizeof(d->runpath), "%s", str);
		}
	}
	elf_end(e);
	close(fd);
	return 0;
}

static bool have_guest(const struct ktstr_sched_files *f, const char *guest)
{
	for (unsigned i = 0; i < f->n; i++)
		if (!strcmp(f->guest[i], guest))
			return true;
	return false;
}

static int add_file(struct ktstr_sched_files *f, const char *guest, const char *host,
		    struct ktstr_err *err)
{
	while (*guest == '/')
		guest++;
	if (have_guest(f, guest))
		return 0;
	if (f->n >= KTSTR_SCHED_MAX_FILES)
		return ktstr_err_set(err, -E2BIG,
				     "%s '%s' needs more than %d files (binary + libraries)",
				     f->what ? f->what : "scheduler", f->bin, KTSTR_SCHED_MAX_FILES);
	snprintf(f->guest[f->n], sizeof(f->guest[0]), "%s", guest);
	snprintf(f->host[f->n], sizeof(f->host[0]), "%s", host);
	f->n++;
	return 0;
}

/* Search one library like ld.so: runpath dirs ($ORIGIN expanded), then the system's. */
static bool find_lib(const char *lib, const char *runpath, const char *origin, char *found,
		     size_t len)
{
	char rp[1024], *save = NULL;

	if (strchr(lib, '/')) {
		snprintf(found, len, "%s", lib);
		return !access(found, R_OK);
	}
	snprintf(rp, sizeof(rp), "%s", runpath);
	for (char *d = strtok_r(rp, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if (!strncmp(d, "$ORIGIN", 7))
			snprintf(found, len, "%s%s/%s", origin, d + 7, lib);
		else
			snprintf(found, len, "%s/%s", d, lib);
		if (!access(found, R_OK))
			return true;
	}
	for (size_t i = 0; i < sizeof(lib_dirs) / sizeof(lib_dirs[0]); i++) {
		snprintf(found, len, "%s/%s", lib_dirs[i], lib);
		if (!access(found, R_OK))
			return true;
	}
	return false;
}

int ktstr_sched_collect(const struct ktstr_scenario *s, struct ktstr_sched_files *out,
			struct ktstr_err *err)
{
	char guest[KTSTR_PATH_MAX + 32];

	snprintf(guest, sizeof(guest), "%s/%s", KTSTR_GUEST_SCHED_DIR,
		 ktstr_scenario_sched_label(s));
	return ktstr_bin_collect(guest, out, err);
}

int ktstr_bin_collect(const char *guest, struct ktstr_sched_files *out, struct ktstr_err *err)
{
	const char *what = out->what ? out->what : "scheduler";
	int rc;

	out->n = out->n_libs = 0;
	rc = add_file(out, guest, out->bin, err);
	/* Breadth first over the binary and every library added after it. */
	for (unsigned i = 0; !rc && i < out->n; i++) {
		struct elf_deps d;
		char origin[KTSTR_PATH_MAX], found[KTSTR_PATH_MAX * 2];

		rc = read_deps(out->host[i], &d);
		if (rc == -ENOEXEC && i == 0 && out->what && !strcmp(out->what, "payload")) {
			out->is_static = 1;     /* a script: its #! interpreter is the guest's */
			return 0;
		}
		if (rc == -ENOEXEC && i == 0)
			return ktstr_err_set(err, -ENOEXEC,
					     "scheduler binary '%s' is not an ELF executable", out->bin);
		if (rc)
			return ktstr_err_set(err, rc, "cannot read '%s': %s", out->host[i],
					     strerror(-rc));
		if (i == 0)
			out->is_static = !d.interp[0] && !d.n_needed;
		dir_of(out->host[i], origin, sizeof(origin));
		if (d.interp[0]) {
			if (access(d.interp, R_OK))
				return ktstr_err_set(err, -ENOENT,
						     "%s '%s' needs the ELF interpreter %s, which "
						     "this host lacks", what, out->bin, d.interp);
			rc = add_file(out, d.interp, d.interp, err);
		}
		for (unsigned k = 0; !rc && k < d.n_needed; k++) {
			char gpath[KTSTR_PATH_MAX];
			unsigned before = out->n;

			if (!find_lib(d.needed[k], d.runpath, origin, found, sizeof(found)))
				return ktstr_err_set(err, -ENOENT,
						     "%s '%s' needs %s (DT_NEEDED of %s), which is "
						     "not in its runpath or the system library directories; "
						     "install it or link the %s statically",
						     what, out->bin, d.needed[k], out->host[i], what);
			/* In the guest the library sits where the loader looks: the search path. */
			snprintf(gpath, sizeof(gpath), "%s", found);
			rc = add_file(out, gpath, found, err);
			out->n_libs += out->n > before;
		}
	}
	return rc;
}

unsigned ktstr_sched_initramfs_files(const struct ktstr_sched_files *f,
				     struct ktstr_initramfs_file *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->n && n < max; i++)
		out[n++] = (struct ktstr_initramfs_file){
			.path = f->guest[i], .mode = 0755, .host_path = f->host[i],
		};
	return n;
}

/* The sched_ext scheduler the messages name: the scenario's, else the first an op starts. */
static const char *first_scx_label(const struct ktstr_scenario *s)
{
	if (ktstr_scenario_has_scx(s) || !s->n_op_scheds)
		return ktstr_scenario_sched_label(s);
	return ktstr_sched_spec_label(&s->op_scheds[0]);
}

/* ---- the runner's hook ---------------------------------------------------- */

/*
 * The kfunc BTF check (sched_btf.h): a kernel no released scheduler can
 * load on is a SKIP before anything boots, expect_err scenarios included
 * (they would pass with nothing loaded).  KTSTR_NO_KFUNC_CHECK=1 skips it.
 */
static bool kfunc_btf_mismatch(struct ktstr_runner *r, struct ktstr_err *err)
{
	const char *off = getenv("KTSTR_NO_KFUNC_CHECK");
	struct ktstr_err e = { 0 };
	char why[512];

	if (off && *off && strcmp(off, "0"))
		return false;
	if (ktstr_kfunc_btf_check_kernel(&r->kernel, why, sizeof(why), &e) != 1)
		return false;
	snprintf(r->sched_skip, sizeof(r->sched_skip),
		 "kfunc BTF mismatch: no released sched_ext scheduler can load on this kernel");
	ktstr_err_set(err, -ENOTSUP,
		      "scheduler '%s' cannot load: kfunc BTF mismatch in kernel %s: %s. Since v7.1 "
		      "the scx kfuncs take an implicit trailing 'struct bpf_prog_aux *aux'; the "
		      "kernel build (resolve_btfids, pahole's decl_tag_kfuncs) should publish a "
		      "BPF-facing twin with the trimmed prototype, and this kernel's BTF lacks it, "
		      "so schedulers built against released scx headers and libbpf fail with "
		      "'func_proto ... incompatible with vmlinux'. This is the kernel image, not the "
		      "scheduler; expect_err scenarios are skipped too, since they would pass with "
		      "no scheduler loaded. Check: bpftool btf dump file VMLINUX format raw | grep -E "
		      "\"FUNC 'scx_bpf_(create_dsq|error_bstr)\". Fix: test on a kernel whose BTF "
		      "passes (e.g. the default 7.2, or one before 7.1), or rebuild it with a pahole "
		      "that keeps the kfunc tags. KTSTR_NO_KFUNC_CHECK=1 runs it anyway",
		      first_scx_label(&r->scenario),
		      r->kernel.version[0] ? r->kernel.version : r->kernel.image, why);
	return true;
}

/* Append f's files to files[*n..max), each guest path once (libc is everybody's). */
static int add_bin_files(const struct ktstr_sched_files *f, struct ktstr_initramfs_file *files,
			 unsigned max, unsigned *n, struct ktstr_err *err)
{
	for (unsigned i = 0; i < f->n; i++) {
		bool dup = false;

		for (unsigned k = 0; k < *n && !dup; k++)
			dup = files[k].path && !strcmp(files[k].path, f->guest[i]);
		if (dup)
			continue;
		if (*n >= max)
			return ktstr_err_set(err, -E2BIG,
					     "the scenario's schedulers and payloads need more than %u "
					     "files in the guest (binaries + libraries); link some of "
					     "them statically", max - 1);
		files[(*n)++] = (struct ktstr_initramfs_file){
			.path = f->guest[i], .mode = 0755, .host_path = f->host[i],
		};
	}
	return 0;
}

/*
 * A scheduler an op starts: found like the scenario's (without
 * KTSTR_SCHEDULER), packed at /ktstr/sched/<label> unless a binary of that
 * name is packed already.  Two different binaries cannot share the name.
 */
static int prepare_op_sched(struct ktstr_runner *r, const struct ktstr_scheduler_spec *spec,
			    struct ktstr_initramfs_file *files, unsigned max, unsigned *n,
			    struct ktstr_err *err)
{
	struct ktstr_sched_files *f = &r->bins[r->n_bins];
	char guest[KTSTR_PATH_MAX + 32];
	int rc = ktstr_sched_find_spec(spec, false, r->sc->source_path, r->sc->agent_path, f, err);

	if (rc)
		return rc;
	for (unsigned i = 0; i <= r->n_bins; i++) {
		const struct ktstr_sched_files *o = i < r->n_bins ? &r->bins[i] : r->sched_files;

		if (!o || o->what || strcmp(o->label, f->label))
			continue;
		if (strcmp(o->bin, f->bin))
			return ktstr_err_set(err, -EEXIST,
					     "schedulers %s and %s would both be %s/%s in the guest; "
					     "a scenario's schedulers need different file names",
					     o->bin, f->bin, KTSTR_GUEST_SCHED_DIR, f->label);
		return 0;          /* the same binary: packed already */
	}
	snprintf(guest, sizeof(guest), "%s/%s", KTSTR_GUEST_SCHED_DIR, f->label);
	rc = ktstr_bin_collect(guest, f, err);
	if (!rc)
		rc = add_bin_files(f, files, max, n, err);
	if (!rc)
		r->n_bins++;
	return rc;
}

static int prepare_payload(struct ktstr_runner *r, const struct ktstr_payload *p,
			   struct ktstr_initramfs_file *files, unsigned max, unsigned *n,
			   struct ktstr_err *err)
{
	struct ktstr_sched_files *f = &r->bins[r->n_bins];
	char guest[KTSTR_PATH_MAX + 32];
	int rc = ktstr_payload_find(p, r->sc->source_path, f, err);

	snprintf(guest, sizeof(guest), "%s/%s", KTSTR_GUEST_PAYLOAD_DIR, p->name);
	if (!rc)
		rc = ktstr_bin_collect(guest, f, err);
	if (!rc)
		rc = add_bin_files(f, files, max, n, err);
	if (!rc)
		r->n_bins++;
	return rc;
}

int ktstr_sched_prepare(struct ktstr_runner *r, struct ktstr_initramfs_file *files,
			unsigned max, unsigned *n, struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &r->scenario;
	struct ktstr_sched_files *f;
	unsigned nbins = 0;
	int rc;

	if (ktstr_scenario_runs_scx(s)) {
		/* Known before booting anything: a kernel without sched_ext cannot run this. */
		if (r->kernel.sched_ext == 0) {
			ktstr_err_set(err, -ENOTSUP,
				      "kernel %s has no sched_ext (CONFIG_SCHED_CLASS_EXT is not set in "
				      "%s); scheduler '%s' needs it. Use a sched_ext kernel (`ktstr "
				      "kernel fetch` gets the default one)",
				      r->kernel.version[0] ? r->kernel.version : r->kernel.image,
				      r->kernel.config[0] ? r->kernel.config : "its config",
				      first_scx_label(s));
			return 1;
		}
		if (kfunc_btf_mismatch(r, err))
			return 1;
	}
	/* room for every other binary: op schedulers and path payloads (64 KiB each) */
	for (unsigned i = 0; i < s->n_payloads && i < KTSTR_MAX_PAYLOADS; i++)
		nbins += s->payloads[i].path[0] != '\0';
	nbins += s->n_op_scheds < KTSTR_MAX_OP_SCHEDS ? s->n_op_scheds : KTSTR_MAX_OP_SCHEDS;
	if (nbins && !(r->bins = calloc(nbins, sizeof(*r->bins))))
		return ktstr_err_set(err, -ENOMEM, "out of memory");
	if (ktstr_scenario_has_scx(s)) {
		f = calloc(1, sizeof(*f));
		if (!f)
			return ktstr_err_set(err, -ENOMEM, "out of memory");
		r->sched_files = f;
		rc = ktstr_sched_find(s, r->sc->source_path, r->sc->agent_path, f, err);
		if (!rc)
			rc = ktstr_sched_collect(s, f, err);
		if (!rc)
			rc = add_bin_files(f, files, max, n, err);
		if (rc)
			return rc;
	}
	/* every scheduler an op can start, every path payload: all of them are in the guest */
	for (unsigned i = 0; i < s->n_op_scheds && i < KTSTR_MAX_OP_SCHEDS; i++) {
		rc = prepare_op_sched(r, &s->op_scheds[i], files, max, n, err);
		if (rc)
			return rc;
	}
	for (unsigned i = 0; i < s->n_payloads && i < KTSTR_MAX_PAYLOADS; i++) {
		if (!s->payloads[i].path[0])
			continue;
		rc = prepare_payload(r, &s->payloads[i], files, max, n, err);
		if (rc)
			return rc;
	}
	return 0;
}
