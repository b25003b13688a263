// SPDX-License-Identifier: GPL-2.0-only
/*
 * BTF of a kernel under test, from the bootable image alone.
 *
 * bpf/ needs a vmlinux.h for the exact kernel a VM boots, and the host needs
 * the kernel's types; both come from the .BTF section of vmlinux.  Cached
 * kernels keep only a bzImage, so the vmlinux is recovered from it:
 *
 *   bzImage = setup sectors | protected-mode code, in which the setup
 *   header's payload_offset/payload_length (boot protocol >= 2.08) locate
 *   the compressed vmlinux, followed (for all but gzip) by its le32 size.
 *
 * libarchive's raw format with its filters decompresses every format the
 * kernel uses, in memory (~0.5 s for a 14 MB zstd image); libelf finds the
 * .BTF section; libbpf parses it once to prove it is usable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <gelf.h>
#include <libelf.h>

#include "ktstr/kernel.h"
#include "internal.h"

#define SETUP_SECTS_OFF 0x1f1
#define HDRS_OFF 0x202
#define VERSION_OFF 0x206
#define PAYLOAD_OFFSET_OFF 0x248
#define PAYLOAD_LENGTH_OFF 0x24c
#define SETUP_MIN_LEN 0x250
/* A vmlinux is tens of MB; more than this is a corrupt size or a bomb. */
#define VMLINUX_MAX ((size_t)1 << 30)
#define BTF_MAGIC_LE 0xeB9F

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int read_file(const char *path, unsigned char **buf, size_t *len, struct ktstr_err *err)
{
	struct stat st;
	size_t off = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ktstr_err_set(err, -errno, "cannot read kernel image %s: %s", path,
				     strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > VMLINUX_MAX) {
		close(fd);
		return ktstr_err_set(err, -EINVAL,
			"kernel image %s is not a regular file of at most 1 GiB", path);
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return ktstr_err_set(err, -ENOMEM, "out of memory reading %s", path);
	}
	while (off < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + off, (size_t)st.st_size - off);

		if (r <= 0) {
			int e = r < 0 ? errno : EIO;

			close(fd);
			free(*buf);
			return ktstr_err_set(err, -e, "cannot read kernel image %s: %s", path,
					     strerror(e));
		}
		off += (size_t)r;
	}
	close(fd);
	*len = off;
	return 0;
}

/* Compression of a kernel payload, by magic; NULL when unknown. */
static const char *payload_format(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && (p[1] == 0x8b || p[1] == 0x9e))
		return "gzip";
	if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
		return "xz";
	if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return "zstd";
	if (n >= 4 && !memcmp(p, "\x02\x21\x4c\x18", 4))
		return "lz4";
	if (n >= 3 && !memcmp(p, "BZh", 3))
		return "bzip2";
	if (n >= 3 && !memcmp(p, "\x5d\x00\x00", 3))
		return "lzma";
	if (n >= 4 && !memcmp(p, "\x89LZO", 4))
		return "lzo";
	return NULL;
}

/* Decompresses data with whatever libarchive filter recognises it. */
static int decompress(const char *image, const char *fmt, const unsigned char *data, size_t n,
		      unsigned char **out, size_t *outlen, struct ktstr_err *err)
{
	struct archive_entry *ent;
	size_t cap = 64u << 20, used = 0;
	unsigned char *buf = NULL;
	struct archive *a;
	int rc = 0;

	a = archive_read_new();
	if (!a)
		return ktstr_err_set(err, -ENOMEM, "out of memory decompressing %s", image);
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, data, n) != ARCHIVE_OK ||
	    archive_read_next_header(a, &ent) != ARCHIVE_OK) {
		rc = ktstr_err_set(err, -EINVAL,
			"%s: cannot decompress its %s payload: %s (libarchive may lack %s support; "
			"install libarchive with it, or pass an uncompressed vmlinux)", image, fmt,
			archive_error_string(a) ? archive_error_string(a) : "unrecognised data", fmt);
		goto out;
	}
	buf = malloc(cap);
	if (!buf) {
		rc = ktstr_err_set(err, -ENOMEM, "out of memory decompressing %s", image);
		goto out;
	}
	for (;;) {
		la_ssize_t r;

		if (cap - used < (1u << 20)) {
			unsigned char *nb;

			if (cap >= VMLINUX_MAX) {
				rc = ktstr_err_set(err, -EFBIG,
					"%s: the decompressed payload exceeds 1 GiB; this is not a "
					"kernel image", image);
				goto out;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				rc = ktstr_err_set(err, -ENOMEM, "out of memory decompressing %s",
						   image);
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
		r = archive_read_data(a, buf + used, cap - used);
		if (r < 0) {
			rc = ktstr_err_set(err, -EIO,
				"%s: its %s payload is damaged: %s (a truncated or corrupt image; "
				"fetch or build it again)", image, fmt, archive_error_string(a));
			goto out;
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	*out = buf;
	*outlen = used;
	buf = NULL;
out:
	free(buf);
	archive_read_free(a);
	return rc;
}

static int is_elf(const unsigned char *p, size_t n)
{
	return n >= 4 && !memcmp(p, "\x7f" "ELF", 4);
}

int ktstr_kernel_vmlinux(const char *image, void **elf, size_t *len, struct ktstr_err *err)
{
	unsigned char *img = NULL, *out = NULL;
	size_t n = 0, outlen = 0, pm, off, plen, clen;
	const char *fmt;
	uint32_t declared;
	int rc;

	*elf = NULL;
	*len = 0;
	if ((rc = read_file(image, &img, &n, err)))
		return rc;
	if (is_elf(img, n)) {       /* already a vmlinux */
		*elf = img;
		*len = n;
		return 0;
	}
	if (n < SETUP_MIN_LEN || memcmp(img + HDRS_OFF, "HdrS", 4)) {
		rc = ktstr_err_set(err, -EINVAL,
			"%s is neither a bzImage (no \"HdrS\" setup header at 0x202) nor a vmlinux "
			"ELF; point at the kernel's arch/x86/boot/bzImage or its vmlinux", image);
		goto out;
	}
	if (le16(img + VERSION_OFF) < 0x0208) {
		rc = ktstr_err_set(err, -EINVAL,
			"%s uses boot protocol %u.%02u, which does not record where the compressed "
			"kernel is (needs >= 2.08, Linux 2.6.26); use its vmlinux instead", image,
			le16(img + VERSION_OFF) >> 8, le16(img + VERSION_OFF) & 0xff);
		goto out;
	}
	pm = ((size_t)(img[SETUP_SECTS_OFF] ? img[SETUP_SECTS_OFF] : 4) + 1) * 512;
	off = pm + le32(img + PAYLOAD_OFFSET_OFF);
	plen = le32(img + PAYLOAD_LENGTH_OFF);
	if (plen < 8 || off > n || plen > n - off) {
		rc = ktstr_err_set(err, -EINVAL,
			"%s: the setup header's payload (offset %zu, length %zu) lies outside the "
			"%zu-byte file; the image is truncated or corrupt", image, off, plen, n);
		goto out;
	}
	fmt = payload_format(img + off, plen);
	if (!fmt) {
		rc = ktstr_err_set(err, -EINVAL,
			"%s: unknown compression of the kernel payload (magic %02x %02x %02x %02x); "
			"ktstr reads gzip, xz, zstd, lz4, bzip2 and lzma images", image,
			img[off], img[off + 1], img[off + 2], img[off + 3]);
		goto out;
	}
	/* All formats but gzip have the kernel's le32 size appended: not part of
	 * the compressed stream, and a check on the result. */
	declared = le32(img + off + plen - 4);
	clen = strcmp(fmt, "gzip") ? plen - 4 : plen;
	if ((rc = decompress(image, fmt, img + off, clen, &out, &outlen, err)))
		goto out;
	if ((uint32_t)outlen != declared) {
		rc = ktstr_err_set(err, -EIO,
			"%s: the %s payload decompressed to %zu bytes, but the image declares %u; "
			"the image is truncated or corrupt", image, fmt, outlen, declared);
		goto out;
	}
	if (!is_elf(out, outlen)) {
		rc = ktstr_err_set(err, -EINVAL,
			"%s: the decompressed payload is not an ELF vmlinux (a relocatable "
			"\"vmlinux.bin\" without headers?); use the build's vmlinux instead", image);
		goto out;
	}
	*elf = out;
	*len = outlen;
	out = NULL;
out:
	free(out);
	free(img);
	return rc;
}

int ktstr_elf_btf(const void *elf, size_t len, const char *what, void **btf, size_t *btf_len,
		  struct ktstr_err *err)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *e;
	int rc = -ENOENT;

	*btf = NULL;
	*btf_len = 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return ktstr_err_set(err, -EINVAL, "libelf is unusable: %s", elf_errmsg(-1));
	/* elf_memory wants a mutable pointer but ELF_C_READ_MMAP-like use only reads. */
	e = elf_memory((char *)elf, len);
	if (!e || elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx)) {
		rc = ktstr_err_set(err, -EINVAL, "%s: not a readable ELF file: %s", what,
				   elf_errmsg(-1));
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".BTF"))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size == 0 || sh.sh_type == SHT_NOBITS) {
			rc = ktstr_err_set(err, -EINVAL, "%s: the .BTF section is empty", what);
			goto out;
		}
		*btf = malloc(d->d_size);
		if (!*btf) {
			rc = ktstr_err_set(err, -ENOMEM, "out of memory copying BTF of %s", what);
			goto out;
		}
		memcpy(*btf, d->d_buf, d->d_size);
		*btf_len = d->d_size;
		rc = 0;
		goto out;
	}
	rc = ktstr_err_set(err, -ENOENT,
		"%s has no .BTF section: the kernel was built without CONFIG_DEBUG_INFO_BTF=y "
		"(some minimal/cloud kernels strip it). Use a kernel with BTF: `ktstr kernel fetch` "
		"(the default kernel has it) or build one with kernels/ktstr.kconfig", what);
out:
	if (e)
		elf_end(e);
	return rc;
}

int ktstr_btf_check(const void *data, size_t len, struct ktstr_btf_info *info,
		    struct ktstr_err *err)
{
	const unsigned char *p = data;
	struct btf *btf;
	uint32_t hdr_len, str_off, str_len;

	if (info)
		memset(info, 0, sizeof(*info));
	/* struct btf_header: magic u16, version u8, flags u8, hdr_len u32,
	 * type_off, type_len, str_off, str_len u32 (offsets after the header). */
	if (len < 24 || le16(p) != BTF_MAGIC_LE || p[2] != 1)
		return ktstr_err_set(err, -EINVAL,
			"not raw BTF (no little-endian 0xeB9F version 1 header); the .BTF section "
			"is damaged");
	hdr_len = le32(p + 4);
	str_off = le32(p + 16);
	str_len = le32(p + 20);
	if (hdr_len < 24 || hdr_len > len || (uint64_t)hdr_len + str_off + str_len > len)
		return ktstr_err_set(err, -EINVAL,
			"BTF header claims %u+%u+%u bytes but the section holds %zu; the .BTF "
			"section is truncated", hdr_len, str_off, str_len, len);
	btf = btf__new(data, (__u32)len);
	if (libbpf_get_error(btf))
		return ktstr_err_set(err, -EINVAL,
			"libbpf cannot parse this BTF (%s); the kernel's pahole may be newer than "
			"this host's libbpf", strerror(-(int)libbpf_get_error(btf)));
	if (info) {
		info->types = btf__type_cnt(btf) - 1;   /* type 0 is void */
		info->sched_ext_ops = btf__find_by_name_kind(btf, "sched_ext_ops",
							     BTF_KIND_STRUCT) > 0;
	}
	btf__free(btf);
	return 0;
}

/* Writes data to out via out.tmp-XXXXXX + rename: readers never see half a file. */
static int write_atomic(const char *out, const void *data, size_t len, struct ktstr_err *err)
{
	char tmp[1100];
	const char *p = data;
	int fd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", out) >= (int)sizeof(tmp))
		return ktstr_err_set(err, -ENAMETOOLONG, "output path too long: %s", out);
	fd = mkstemp(tmp);
	if (fd < 0)
		return ktstr_err_set(err, -errno, "cannot create %s: %s", tmp, strerror(errno));
	fchmod(fd, 0644);
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd))
		goto fail;
	close(fd);
	if (rename(tmp, out)) {
		e = errno;
		unlink(tmp);
		return ktstr_err_set(err, -e, "cannot write %s: %s", out, strerror(e));
	}
	return 0;
fail:
	e = errno ? errno : EIO;
	close(fd);
	unlink(tmp);
	return ktstr_err_set(err, -e, "cannot write %s: %s", out, strerror(e));
}

int ktstr_kernel_btf_write(const char *image, const char *out, int want_vmlinux,
			   struct ktstr_btf_info *info, struct ktstr_err *err)
{
	void *elf = NULL, *btf = NULL;
	size_t elf_len = 0, btf_len = 0;
	int rc;

	if (info)
		memset(info, 0, sizeof(*info));
	rc = ktstr_kernel_vmlinux(image, &elf, &elf_len, err);
	if (!rc && want_vmlinux) {
		/* The ELF is what was asked for; its BTF is only reported. */
		if (!ktstr_elf_btf(elf, elf_len, image, &btf, &btf_len, NULL))
			ktstr_btf_check(btf, btf_len, info, NULL);
		rc = write_atomic(out, elf, elf_len, err);
		goto out;
	}
	if (!rc)
		rc = ktstr_elf_btf(elf, elf_len, image, &btf, &btf_len, err);
	if (!rc && (rc = ktstr_btf_check(btf, btf_len, info, err)))
		ktstr_err_wrap(err, "%s", image);
	if (!rc)
		rc = write_atomic(out, btf, btf_len, err);
out:
	free(btf);
	free(elf);
	return rc;
}
