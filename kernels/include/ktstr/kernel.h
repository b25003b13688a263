/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernels for ktstr: where the image a VM boots comes from.
 *
 *   discovery   ktstr_kernel_resolve(): KTSTR_TEST_KERNEL > KTSTR_KERNEL >
 *               newest valid cache entry > ./linux > ../linux > host kernel
 *   cache       one directory per key under ktstr_cache_root(), holding
 *               bzImage, config and metadata.json; stores are atomic
 *               (.tmp-* dir + rename) and serialised by a per-key flock
 *   fetch       Debian kernel packages via apt-get under a private state
 *               dir, unpacked with libarchive
 *
 * Every function returns 0 (or a documented positive value) on success and
 * a negative errno on failure, with a user-facing message in *err.
 */
#ifndef KTSTR_KERNEL_H
#define KTSTR_KERNEL_H

#include <stddef.h>
#include <sys/types.h>

#include "ktstr/error.h"

/* ---- discovery ------------------------------------------------------ */

struct ktstr_kernel {
	char image[512];      /* bootable bzImage path */
	char config[512];     /* kernel .config path, "" if unknown */
	char version[128];    /* e.g. 7.2.13+deb14-cloud-amd64, "" if unknown */
	char key[256];        /* cache key when from the cache, else "" */
	char source[64];      /* "KTSTR_TEST_KERNEL", "KTSTR_KERNEL", "cache", "./linux", "../linux", "host" */
	int sched_ext;        /* 1 yes, 0 no, -1 unknown (no config) */
	int btf;              /* same for CONFIG_DEBUG_INFO_BTF */
};

/*
 * The discovery chain (see docs/kernels.md).  Returns 0, or -ENOENT with the
 * "no kernel found" message and hints.  Never fetches or stores.
 */
int ktstr_kernel_resolve(struct ktstr_kernel *out, struct ktstr_err *err);

struct ktstr_resolve_opts {
	/* Prefix for the running kernel's /boot and /lib/modules paths: NULL or
	 * "" is the real host; tests point it at an empty directory. */
	const char *host_root;
	/* A KTSTR_KERNEL-style spec that replaces steps 1-2 (both env vars),
	 * e.g. `ktstr kernel btf SPEC`; NULL: the environment decides. */
	const char *spec;
};
int ktstr_kernel_resolve_opts(const struct ktstr_resolve_opts *o, struct ktstr_kernel *out,
			      struct ktstr_err *err);

/* KTSTR_CACHE_DIR > $XDG_CACHE_HOME/ktstr/kernels > $HOME/.cache/ktstr/kernels */
int ktstr_cache_root(char *buf, size_t len, struct ktstr_err *err);

/* ---- kconfig ---------------------------------------------------------- */

/*
 * Value of CONFIG_<name> (name given with or without the CONFIG_ prefix) in
 * a kernel config file.  Returns 1 and the value (quotes kept) when set, 0
 * when absent or "is not set", negative errno when the file is unreadable.
 */
int ktstr_kconfig_get(const char *config_path, const char *name, char *val, size_t len);
/* 1 when CONFIG_<name>=y, 0 when not =y, -1 when path is "" or unreadable. */
int ktstr_kconfig_is_y(const char *config_path, const char *name);
/* sha256 (lowercase hex) of kernels/ktstr.kconfig, fixed at build time. */
const char *ktstr_kconfig_fragment_hash(void);
/* sha256 of a file as 64 hex chars + NUL. */
int ktstr_sha256_file(const char *path, char hex[65], struct ktstr_err *err);

/* ---- metadata.json ---------------------------------------------------- */

#define KTSTR_CACHE_SCHEMA 1
#define KTSTR_CACHE_MAX_PACKAGES 4

struct ktstr_kernel_meta {
	int schema;
	char version[128];
	char source_type[16];                            /* "deb" */
	char packages[KTSTR_CACHE_MAX_PACKAGES][192];    /* package file names */
	int npackages;
	char arch[16];                                   /* "x86_64" */
	char image_name[64];                             /* "bzImage" */
	char config_hash[65];                            /* sha256 of config */
	char kconfig_hash[65];                           /* sha256 of ktstr.kconfig */
	char built_at[32];                               /* ISO 8601 UTC */
	int sched_ext;                                   /* 1, 0, -1 */
	int btf;
	/* Optional in metadata.json (absent: 0), so schema-1 entries written
	 * before it existed stay valid: the entry holds vmlinux.btf. */
	int has_btf_file;
};

/* Stable tokens for a corrupt entry (`kernel list --json` error_kind). */
enum ktstr_cache_error_kind {
	KTSTR_CACHE_OK = 0,
	KTSTR_CACHE_MISSING,        /* no metadata.json */
	KTSTR_CACHE_UNREADABLE,     /* metadata.json exists but cannot be read */
	KTSTR_CACHE_SCHEMA_DRIFT,   /* valid JSON, wrong schema or fields */
	KTSTR_CACHE_MALFORMED,      /* not JSON */
	KTSTR_CACHE_TRUNCATED,      /* JSON cut short (empty or premature end) */
	KTSTR_CACHE_PARSE_ERROR,    /* fields present but values unusable */
	KTSTR_CACHE_IMAGE_MISSING,  /* metadata names an image that is gone */
	KTSTR_CACHE_UNKNOWN,
};
const char *ktstr_cache_error_kind_name(enum ktstr_cache_error_kind kind);

/*
 * Reads and validates <dir>/metadata.json.  Returns KTSTR_CACHE_OK or the
 * kind of corruption, with a one-line reason in why (e.g. "metadata.json
 * malformed: '[' or '{' expected near 'x' at line 1").
 */
enum ktstr_cache_error_kind ktstr_meta_read(const char *dir, struct ktstr_kernel_meta *m,
					    char *why, size_t whylen);
/* Writes <dir>/metadata.json (fsync'd). */
int ktstr_meta_write(const char *dir, const struct ktstr_kernel_meta *m, struct ktstr_err *err);

/* ---- the cache ---------------------------------------------------------- */

struct ktstr_cache_entry {
	char key[256];
	char path[768];                   /* <root>/<key> */
	struct ktstr_kernel_meta meta;    /* valid when kind == KTSTR_CACHE_OK */
	enum ktstr_cache_error_kind kind; /* != OK: corrupt */
	char error[512];                  /* why it is corrupt */
	int stale_kconfig;                /* meta.kconfig_hash != fragment hash */
};

/* Cache key of a Debian kernel: "<version>-deb-<arch>". */
int ktstr_cache_key_deb(const char *version, const char *arch, char *key, size_t len);

/*
 * Lists entries under root, newest (built_at) first, corrupt ones last.
 * Skips dot entries (.tmp-*, .locks, .apt).  A missing root is an empty
 * cache.  *out is malloc'd; free() it.
 */
int ktstr_cache_list(const char *root, struct ktstr_cache_entry **out, size_t *n,
		     struct ktstr_err *err);

/* Fills *e for root/key; returns 0, or -ENOENT when there is no such dir. */
int ktstr_cache_lookup(const char *root, const char *key, struct ktstr_cache_entry *e,
		       struct ktstr_err *err);

/*
 * Fills tmpdir with the image (meta->image_name) and "config", and sets
 * meta->version, source_type, packages, arch.  ktstr_cache_store computes
 * the rest (hashes, built_at, sched_ext, btf).
 */
typedef int (*ktstr_cache_fill_fn)(const char *tmpdir, struct ktstr_kernel_meta *meta,
				   void *arg, struct ktstr_err *err);

struct ktstr_cache_store_opts {
	int force;                 /* replace a valid entry */
	int lock_timeout_ms;       /* 0: default (KTSTR_CACHE_LOCK_TIMEOUT s or 60 s) */
};

/*
 * Stores root/key atomically: takes the key's lock exclusively, sweeps
 * orphaned .tmp-<key>-* dirs, calls fill() in a fresh .tmp-<key>-XXXXXX dir,
 * writes metadata.json, then renames the dir into place (exchanging with an
 * old entry when replacing).  A store killed midway leaves only a .tmp-*
 * dir, which list ignores and the next store or clean removes.
 * Returns 0 when stored, 1 when a valid entry existed and !force.
 */
int ktstr_cache_store(const char *root, const char *key, const struct ktstr_cache_store_opts *o,
		      ktstr_cache_fill_fn fill, void *arg, struct ktstr_err *err);

/* Removes orphaned .tmp-* dirs (those whose key lock is free); returns count. */
int ktstr_cache_sweep_tmp(const char *root, struct ktstr_err *err);

/* Removes root/key under an exclusive, non-blocking lock (-EBUSY when in use). */
int ktstr_cache_remove(const char *root, const char *key, struct ktstr_err *err);

/* ---- locks ------------------------------------------------------------ */

struct ktstr_lock {
	int fd;                   /* -1 when not held */
	char path[768];
};

/*
 * Returns the filesystem magic (statfs f_type) of the fs holding fd.  Tests
 * inject a fake one to exercise the remote-FS refusal.
 */
typedef long (*ktstr_fstype_fn)(int fd);

struct ktstr_lock_opts {
	int exclusive;            /* LOCK_EX, else LOCK_SH */
	int timeout_ms;           /* 0: try once; < 0: wait forever */
	ktstr_fstype_fn fstype;   /* NULL: fstatfs */
	const char *what;         /* "cache entry 7.2.13..." for messages */
};

/*
 * Opens (creating) path and flock()s it, polling until timeout.  Refuses
 * NFS, CIFS/SMB, CephFS, AFS and FUSE filesystems (flock is unreliable
 * there).  -ETIMEDOUT names the holders from /proc/locks.
 */
int ktstr_lock_path(const char *path, const struct ktstr_lock_opts *o, struct ktstr_lock *lk,
		    struct ktstr_err *err);
void ktstr_unlock(struct ktstr_lock *lk);
/* Name of a remote filesystem magic ("NFS", ...) or NULL when local. */
const char *ktstr_lock_remote_fs_name(long magic);

/* <root>/.locks/<key>.lock */
int ktstr_cache_lock_path(const char *root, const char *key, char *buf, size_t len);
/*
 * For the runner: hold a shared lock on a cache entry while a VM boots it,
 * so `ktstr kernel clean` and a replacing store wait for it.  A kernel not
 * from the cache (k->key == "") gets an unheld lock (fd -1).
 */
int ktstr_kernel_lock(const struct ktstr_kernel *k, struct ktstr_lock *lk, struct ktstr_err *err);
void ktstr_kernel_unlock(struct ktstr_lock *lk);

/* ---- .deb extraction -------------------------------------------------- */

struct ktstr_deb_member {
	const char *name;         /* path inside data.tar, e.g. "usr/lib/modules/V/vmlinuz" */
	const char *dest;         /* file to create (must not exist) */
	int found;                /* set to 1 when extracted */
};

/*
 * Extracts the named regular files from a .deb's data.tar.{xz,zst,gz,bz2,}.
 * Rejects a package holding a member whose path escapes its root ("..",
 * absolute after "./").  Returns 0 when every member was found, -ENOENT
 * naming the first missing one otherwise.
 */
int ktstr_deb_extract(const char *deb_path, struct ktstr_deb_member *members, size_t n,
		      struct ktstr_err *err);

/* ---- Debian fetch ----------------------------------------------------- */

struct ktstr_fetch_opts {
	const char *spec;         /* NULL/"": the pinned default; version or package name */
	int force;                /* refetch even when cached and valid */
	int verbose;              /* pass apt's output through */
};

struct ktstr_fetch_result {
	char key[256];
	char path[768];
	int already_cached;       /* 1: nothing fetched */
};

/*
 * Downloads the kernel's Debian packages with apt-get under a private apt
 * state (<root>/.apt; the system's sources are not modified: the mirror
 * comes from the system's own apt configuration) and stores a cache entry.
 */
int ktstr_kernel_fetch_deb(const char *root, const struct ktstr_fetch_opts *o,
			   struct ktstr_fetch_result *res, struct ktstr_err *err);

/* Parses a SPEC into version + package names (image package, config package). */
struct ktstr_deb_spec {
	char version[128];        /* 7.2.13+deb14-cloud-amd64 */
	char image_pkg[192];      /* linux-binary-VER or linux-image-VER[-unsigned] */
	char config_pkg[192];     /* linux-base-VER, or "" when image_pkg carries it */
	char image_member[256];   /* path of the bzImage inside image_pkg */
	char config_member[256];  /* path of the config inside config_pkg (or image_pkg) */
};
int ktstr_deb_spec_parse(const char *spec, struct ktstr_deb_spec *s, struct ktstr_err *err);

/* ---- BTF (btf.c) -------------------------------------------------------- */

/* The raw .BTF section an entry keeps next to its image (bpftool reads it). */
#define KTSTR_KERNEL_BTF_NAME "vmlinux.btf"

/*
 * The vmlinux ELF of a kernel image, in memory (malloc'd; free() it).  A
 * bzImage's setup header locates the compressed payload (payload_offset /
 * payload_length, boot protocol >= 2.08); gzip, xz, zstd, lz4, bzip2 and
 * lzma payloads are decompressed with libarchive's raw format + filters.
 * An image that already is an ELF is returned as is.
 */
int ktstr_kernel_vmlinux(const char *image, void **elf, size_t *len, struct ktstr_err *err);

/* The .BTF section of an ELF in memory (copied, malloc'd).  what names it in messages. */
int ktstr_elf_btf(const void *elf, size_t len, const char *what, void **btf, size_t *btf_len,
		  struct ktstr_err *err);

struct ktstr_btf_info {
	unsigned types;          /* number of BTF types */
	int sched_ext_ops;       /* struct sched_ext_ops is there: sched_ext BPF can load */
};
/* Validates raw BTF (header, then a full parse with libbpf). */
int ktstr_btf_check(const void *btf, size_t len, struct ktstr_btf_info *info,
		    struct ktstr_err *err);

/*
 * Writes the raw BTF of image (or, with want_vmlinux, the whole vmlinux
 * ELF) to out, atomically (out.tmp-XXXXXX + rename).  info may be NULL.
 */
int ktstr_kernel_btf_write(const char *image, const char *out, int want_vmlinux,
			   struct ktstr_btf_info *info, struct ktstr_err *err);

/* ---- kernel.org (http.c, releases.c, tarball.c) -------------------------- */

/* kernel.org's public base; KTSTR_KERNEL_ORG_URL replaces it (tests, mirrors). */
#define KTSTR_KERNEL_ORG_URL_DEFAULT "https://www.kernel.org"
/* The base URL in use: KTSTR_KERNEL_ORG_URL without trailing '/', else the default. */
void ktstr_kernel_org_url(char *buf, size_t len);

/*
 * GET url into a file (created; removed on failure) or, with path NULL,
 * into a malloc'd NUL-terminated buffer (*body; free() it).  A non-2xx
 * status is "HTTP <code>"; with reject_html, a text/html answer (CDN error
 * pages come as 200) is "server returned HTML instead of tarball".
 * progress: print "downloaded N MB" lines on stderr.
 */
struct ktstr_http_opts {
	const char *verb;        /* first word of messages: "download" (default), "fetch" */
	int reject_html;
	int progress;
	long timeout_s;          /* 0: no overall limit (connect limit stays) */
};
int ktstr_http_get(const char *url, const char *path, char **body, size_t *body_len,
		   const struct ktstr_http_opts *o, struct ktstr_err *err);

struct ktstr_release {
	char version[64];        /* "6.14.10" */
	char moniker[16];        /* "stable", "longterm", "mainline", ... */
	char source[512];        /* tarball URL */
};

/*
 * Picks from a releases.json document: want NULL/"" = the newest stable or
 * longterm release with patch >= 8; want "X.Y.Z" = that release; want
 * "X.Y" = the newest X.Y.z.  Not found: -ENOENT, "version X not found,
 * latest X.Y.z: <v>" when the series is listed, else "version X not found".
 * A version absent from releases.json but well formed is still returned
 * (as a cdn.kernel.org v<major>.x URL) when allow_unlisted: old point
 * releases are on the CDN but not in releases.json.
 */
int ktstr_releases_pick(const char *json, const char *want, int allow_unlisted,
			struct ktstr_release *out, struct ktstr_err *err);
/* "6.14.10" -> 1 (a plain upstream version: digits and dots, 2-3 parts), else 0. */
int ktstr_is_upstream_version(const char *s);

/*
 * Extracts a kernel source tarball (.tar.{xz,gz,zst,bz2}) into dest (an
 * existing, empty directory), stripping the top "linux-X.Y.Z/" component.
 * Rejects absolute paths, ".." components, symlinks pointing out of the
 * tree, hardlinks to outside paths and device nodes: "extract tarball:
 * <member>: ...".
 */
int ktstr_tarball_extract(const char *tarball, const char *dest, struct ktstr_err *err);

/* ---- building a kernel (build.c) ----------------------------------------- */

struct ktstr_build_opts {
	const char *version;     /* kernel.org version; NULL/"" with no source: latest stable */
	const char *source;      /* a local tree to build in place instead */
	int force;               /* rebuild/refetch even when cached */
	int jobs;                /* make -jN; 0: online CPUs */
	const char *make;        /* make program; NULL: "make" (tests use a fake) */
};

struct ktstr_build_result {
	char key[256];           /* cache key, "" when not cached */
	char path[768];          /* entry dir, or the tree's image when not cached */
	char version[128];
	int already_cached;
	int cached;              /* 0: a dirty/non-git local tree, built but not cached */
	char not_cached_why[256];
};

/*
 * Configures a tree for ktstr: `make defconfig` when it has no .config,
 * appends kernels/ktstr.kconfig (compiled in), `make olddefconfig`, then
 * checks that every =y option of the fragment survived (an option whose
 * dependencies are missing is dropped silently by olddefconfig).
 */
int ktstr_kernel_configure(const char *tree, const char *make, struct ktstr_err *err);
/* The fragment's text, compiled in from kernels/ktstr.kconfig. */
const char *ktstr_kconfig_fragment_text(void);

/*
 * kernel.org source of version (see ktstr_releases_pick; NULL: latest
 * stable) into dir/linux-<version>/: fetches <base>/releases.json,
 * downloads the tarball (HTML answers rejected) into dir, extracts it
 * safely and deletes it.  rel receives the release; tree the tree's path.
 */
int ktstr_kernel_org_source(const char *version, const char *dir, struct ktstr_release *rel,
			    char *tree, size_t tree_len, struct ktstr_err *err);

/* kernel.org tarball or local tree -> bzImage -> cache entry. */
int ktstr_kernel_build(const char *root, const struct ktstr_build_opts *o,
		       struct ktstr_build_result *res, struct ktstr_err *err);

#endif /* KTSTR_KERNEL_H */
