// SPDX-License-Identifier: GPL-2.0-only
/*
 * BTF from a bzImage: synthetic images (a libelf-made ELF with a .BTF
 * section, compressed with zstd, gzip or xz behind a real setup header),
 * every error, and the real default kernel when it is cached.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>
#include <gelf.h>
#include <libelf.h>

#include "ktstr/default_kernel.h"
#include "test_kernel_util.h"

/* A valid BTF blob: INT "int" and an empty STRUCT "sched_ext_ops". */
static size_t make_btf(unsigned char *b)
{
	static const char strs[] = "\0int\0sched_ext_ops";
	uint32_t types[] = {
		1, 1u << 24, 4, 32,          /* INT int, size 4, 32 bits */
		5, 4u << 24, 0,              /* STRUCT sched_ext_ops, no members */
	};
	uint32_t hdr[6] = { 0, 24, 0, sizeof(types), sizeof(types), sizeof(strs) };

	b[0] = 0x9f;
	b[1] = 0xeb;
	b[2] = 1;
	b[3] = 0;
	memcpy(b + 4, &hdr[1], 20);
	memcpy(b + 24, types, sizeof(types));
	memcpy(b + 24 + sizeof(types), strs, sizeof(strs));
	return 24 + sizeof(types) + sizeof(strs);
}

/* An ELF vmlinux stand-in at path: one section named secname holding data. */
static void make_elf(const char *path, const char *secname, const void *data, size_t len)
{
	char shstr[64];
	size_t nl = strlen(secname);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	Elf_Data *d;
	Elf_Scn *s;
	Elf *e;

	assert_true(fd >= 0);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	assert_non_null(e);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_machine = EM_X86_64;
	eh->e_type = ET_EXEC;
	eh->e_version = EV_CURRENT;
	s = elf_newscn(e);
	d = elf_newdata(s);
	d->d_buf = (void *)data;
	d->d_size = len;
	d->d_align = 4;
	d->d_type = ELF_T_BYTE;
	sh = elf64_getshdr(s);
	sh->sh_name = 1;
	sh->sh_type = SHT_PROGBITS;
	/* "\0<secname>\0.shstrtab\0" */
	shstr[0] = '\0';
	memcpy(shstr + 1, secname, nl + 1);
	memcpy(shstr + 2 + nl, ".shstrtab", 10);
	s = elf_newscn(e);
	d = elf_newdata(s);
	d->d_buf = shstr;
	d->d_size = nl + 12;
	d->d_align = 1;
	d->d_type = ELF_T_BYTE;
	sh = elf64_getshdr(s);
	sh->sh_name = (Elf64_Word)(nl + 2);
	sh->sh_type = SHT_STRTAB;
	eh->e_shstrndx = (Elf64_Half)elf_ndxscn(s);
	assert_true(elf_update(e, ELF_C_WRITE) > 0);
	elf_end(e);
	close(fd);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* filter: "zstd", "gzip" or "xz"; compressed via libarchive's raw writer. */
static unsigned char *compress(const char *filter, const void *in, size_t n, size_t *outlen)
{
	size_t cap = n + 65536, used = 0;
	unsigned char *out = malloc(cap);
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();

	assert_int_equal(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
	assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
	archive_write_set_bytes_in_last_block(a, 1);     /* no zero padding */
	assert_int_equal(archive_write_open_memory(a, out, cap, &used), ARCHIVE_OK);
	archive_entry_set_pathname(e, "vmlinux");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, (la_int64_t)n);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, in, n), (la_ssize_t)n);
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(e);
	*outlen = used;
	return out;
}

struct bz {
	uint16_t version;          /* boot protocol */
	int size_delta;            /* added to the declared (appended) size */
	int bad_offset;            /* payload_offset beyond the file */
	int append_size;           /* the kernel's le32 size trailer (not for gzip) */
};

/* A bzImage at path: 2 setup sectors, then 64 bytes of "code", then payload. */
static void make_bzimage(const char *path, const unsigned char *payload, size_t plen,
			 uint32_t raw_len, const struct bz *o)
{
	size_t total = 1024 + 64 + plen + 4;
	unsigned char *img = calloc(1, total);
	uint32_t off = 64, len = (uint32_t)plen + (o->append_size ? 4 : 0);
	uint32_t declared = raw_len + (uint32_t)o->size_delta;
	FILE *f;

	img[0x1f1] = 1;                        /* setup_sects: pm code at 1024 */
	memcpy(img + 0x202, "HdrS", 4);
	memcpy(img + 0x206, &o->version, 2);
	if (o->bad_offset)
		off = 1u << 30;
	memcpy(img + 0x248, &off, 4);
	memcpy(img + 0x24c, &len, 4);
	memcpy(img + 1024 + 64, payload, plen);
	if (o->append_size)
		memcpy(img + 1024 + 64 + plen, &declared, 4);
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(img, 1, 1024 + 64 + len, f);
	fclose(f);
	free(img);
}

struct fixture {
	char *dir;
	char elf[1024], noelf_btf[1024];
	unsigned char btf[256];
	size_t btf_len;
};

static int setup(void **state)
{
	static struct fixture fx;

	fx.dir = kt_tmpdir();
	fx.btf_len = make_btf(fx.btf);
	snprintf(fx.elf, sizeof(fx.elf), "%s/vmlinux", fx.dir);
	make_elf(fx.elf, ".BTF", fx.btf, fx.btf_len);
	snprintf(fx.noelf_btf, sizeof(fx.noelf_btf), "%s/vmlinux-nobtf", fx.dir);
	make_elf(fx.noelf_btf, ".text", "\x90\x90\x90\xc3", 4);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	kt_rmrf(fx->dir);
	free(fx->dir);
	return 0;
}

static void roundtrip(struct fixture *fx, const char *filter)
{
	struct bz o = { .version = 0x020f, .append_size = strcmp(filter, "gzip") != 0 };
	char img[1100], out[1100];
	struct ktstr_btf_info info;
	struct ktstr_err e = { 0 };
	unsigned char *raw, *z, *got;
	size_t rawlen, zlen, gotlen;

	raw = slurp(fx->elf, &rawlen);
	z = compress(filter, raw, rawlen, &zlen);
	snprintf(img, sizeof(img), "%s/bzImage-%s", fx->dir, filter);
	snprintf(out, sizeof(out), "%s/out-%s.btf", fx->dir, filter);
	make_bzimage(img, z, zlen, (uint32_t)rawlen, &o);
	if (ktstr_kernel_btf_write(img, out, 0, &info, &e))
		fail_msg("%s: %s", filter, e.msg);
	got = slurp(out, &gotlen);
	assert_int_equal(gotlen, fx->btf_len);
	assert_memory_equal(got, fx->btf, gotlen);
	assert_int_equal(info.types, 2);
	assert_int_equal(info.sched_ext_ops, 1);
	free(got);
	/* --vmlinux: the whole ELF, byte for byte. */
	assert_int_equal(ktstr_kernel_btf_write(img, out, 1, NULL, &e), 0);
	got = slurp(out, &gotlen);
	assert_int_equal(gotlen, rawlen);
	assert_memory_equal(got, raw, rawlen);
	free(got);
	free(z);
	free(raw);
}

static void test_synthetic(void **state)
{
	roundtrip(*state, "zstd");
	roundtrip(*state, "gzip");
	roundtrip(*state, "xz");
}

static void expect_err(const char *image, const char *want)
{
	struct ktstr_err e = { 0 };
	char out[1100];

	snprintf(out, sizeof(out), "%s.out", image);
	assert_int_not_equal(ktstr_kernel_btf_write(image, out, 0, NULL, &e), 0);
	if (!strstr(e.msg, want))
		fail_msg("%s: expected '%s' in: %s", image, want, e.msg);
	assert_int_equal(access(out, F_OK), -1);    /* nothing half-written */
}

static void test_errors(void **state)
{
	struct fixture *fx = *state;
	struct bz ok = { .version = 0x020f, .append_size = 1 };
	unsigned char *raw, *z;
	size_t rawlen, zlen;
	char p[1100];
	struct bz o;

	raw = slurp(fx->elf, &rawlen);
	z = compress("zstd", raw, rawlen, &zlen);
	snprintf(p, sizeof(p), "%s/junk", fx->dir);
	kt_write(p, "MZ this is no kernel");
	expect_err(p, "is neither a bzImage (no \"HdrS\" setup header at 0x202) nor a vmlinux ELF");
	expect_err("/nonexistent/bzImage", "cannot read kernel image /nonexistent/bzImage");

	snprintf(p, sizeof(p), "%s/old", fx->dir);
	o = ok;
	o.version = 0x0206;
	make_bzimage(p, z, zlen, (uint32_t)rawlen, &o);
	expect_err(p, "uses boot protocol 2.06");

	snprintf(p, sizeof(p), "%s/offset", fx->dir);
	o = ok;
	o.bad_offset = 1;
	make_bzimage(p, z, zlen, (uint32_t)rawlen, &o);
	expect_err(p, "lies outside the");

	snprintf(p, sizeof(p), "%s/unknown", fx->dir);
	make_bzimage(p, (const unsigned char *)"\x01\x02\x03\x04plain", 9, 9, &ok);
	expect_err(p, "unknown compression of the kernel payload (magic 01 02 03 04)");

	snprintf(p, sizeof(p), "%s/size", fx->dir);
	o = ok;
	o.size_delta = 7;
	make_bzimage(p, z, zlen, (uint32_t)rawlen, &o);
	expect_err(p, "decompressed to");

	snprintf(p, sizeof(p), "%s/damaged", fx->dir);
	z[zlen / 2] ^= 0xff;
	z[zlen / 2 + 1] ^= 0xff;
	make_bzimage(p, z, zlen, (uint32_t)rawlen, &ok);
	expect_err(p, "zstd payload");

	expect_err(fx->noelf_btf, "has no .BTF section: the kernel was built without "
				  "CONFIG_DEBUG_INFO_BTF=y");
	free(z);
	free(raw);
}

static void test_btf_check(void **state)
{
	struct fixture *fx = *state;
	struct ktstr_err e = { 0 };
	unsigned char b[256];

	memcpy(b, fx->btf, fx->btf_len);
	b[0] = 0;
	assert_int_equal(ktstr_btf_check(b, fx->btf_len, NULL, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not raw BTF"));
	assert_int_equal(ktstr_btf_check(fx->btf, fx->btf_len - 5, NULL, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "BTF header claims"));
}

/* The real default kernel: tens of thousands of types, sched_ext_ops among them. */
static void test_default_kernel(void **state)
{
	struct ktstr_resolve_opts ro = { .spec = KTSTR_DEFAULT_KERNEL_VERSION };
	struct fixture *fx = *state;
	struct ktstr_btf_info info;
	struct ktstr_err e = { 0 };
	struct ktstr_kernel k;
	char out[1100];

	if (ktstr_kernel_resolve_opts(&ro, &k, &e)) {
		fprintf(stderr, "SKIP: default kernel " KTSTR_DEFAULT_KERNEL_VERSION " is not "
			"cached (run `ktstr kernel fetch`): %s\n", e.msg);
		skip();
	}
	snprintf(out, sizeof(out), "%s/default.btf", fx->dir);
	if (ktstr_kernel_btf_write(k.image, out, 0, &info, &e))
		fail_msg("%s", e.msg);
	assert_true(info.types > 10000);
	assert_int_equal(info.sched_ext_ops, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_btf_check),
		cmocka_unit_test(test_default_kernel),
	};

	return cmocka_run_group_tests_name("kernel_btf", tests, setup, teardown);
}
