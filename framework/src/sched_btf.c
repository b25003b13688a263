// SPDX-License-Identifier: GPL-2.0-only
/*
 * kfunc BTF check (sched_btf.h): does the kernel's BTF carry the trimmed
 * scx kfunc prototypes released schedulers are built against?  The same
 * question as the seed guide's one-liner,
 *   bpftool btf dump file VMLINUX format raw | grep -E "FUNC 'scx_bpf_(create_dsq|error_bstr)"
 * answered with libbpf on the kernel's BTF.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "sched_btf.h"

/* Skip typedefs and qualifiers. */
static const struct btf_type *resolve(const struct btf *btf, __u32 id, __u32 *out_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	for (int hops = 0; t && hops < 32; hops++) {
		__u16 k = btf_kind(t);

		if (k != BTF_KIND_TYPEDEF && k != BTF_KIND_CONST && k != BTF_KIND_VOLATILE &&
		    k != BTF_KIND_RESTRICT && k != BTF_KIND_TYPE_TAG)
			break;
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (out_id)
		*out_id = id;
	return t;
}

/* Whether FUNC func's prototype ends in `struct bpf_prog_aux *`; nparams gets its count. */
static bool ends_in_aux(const struct btf *btf, const struct btf_type *func, unsigned *nparams)
{
	const struct btf_type *proto = btf__type_by_id(btf, func->type), *t;
	const struct btf_param *p;
	const char *name;
	__u16 vlen;

	*nparams = 0;
	if (!proto || !btf_is_func_proto(proto))
		return false;
	vlen = btf_vlen(proto);
	*nparams = vlen;
	if (!vlen)
		return false;
	p = btf_params(proto) + vlen - 1;
	t = resolve(btf, p->type, NULL);
	if (!t || !btf_is_ptr(t))
		return false;
	t = resolve(btf, t->type, NULL);
	if (!t || (!btf_is_struct(t) && !btf_is_fwd(t)))
		return false;
	name = btf__name_by_offset(btf, t->name_off);
	return name && !strcmp(name, "bpf_prog_aux");
}

int ktstr_kfunc_btf_verdict(const struct btf *btf, char *why, size_t len)
{
	static const char *const probes[] = KTSTR_KFUNC_PROBES;
	__u32 n = btf__type_cnt(btf);
	size_t o = 0;
	int broken = 0;

	if (len)
		why[0] = '\0';
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		unsigned with_aux = 0, trimmed = 0, nparams = 0;

		for (__u32 id = 1; id < n; id++) {
			const struct btf_type *t = btf__type_by_id(btf, id);
			const char *name;
			unsigned np;

			if (!t || !btf_is_func(t))
				continue;
			name = btf__name_by_offset(btf, t->name_off);
			if (!name || strcmp(name, probes[i]))
				continue;
			if (ends_in_aux(btf, t, &np)) {
				with_aux++;
				nparams = np;
			} else {
				trimmed++;
			}
		}
		if (!with_aux || trimmed)
			continue;
		broken = 1;
		if (o < len)
			o += (size_t)snprintf(why + o, len - o,
					      "%sFUNC '%s' has %u parameters, the last one the implicit "
					      "'struct bpf_prog_aux *', and no trimmed twin",
					      o ? "; " : "", probes[i], nparams);
	}
	return broken;
}

static int verdict_of(struct btf *btf, char *why, size_t len)
{
	int v = ktstr_kfunc_btf_verdict(btf, why, len);

	btf__free(btf);
	return v;
}

int ktstr_kfunc_btf_check_kernel(const struct ktstr_kernel *k, char *why, size_t len,
				 struct ktstr_err *err)
{
	char path[600];
	const char *slash = strrchr(k->image, '/');
	void *elf = NULL, *raw = NULL;
	size_t elf_len = 0, raw_len = 0;
	struct btf *btf;
	int rc;

	/* A cache entry keeps the raw .BTF next to its image. */
	if (slash && snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - k->image), k->image,
			      KTSTR_KERNEL_BTF_NAME) < (int)sizeof(path)) {
		btf = btf__parse_raw(path);
		if (!libbpf_get_error(btf))
			return verdict_of(btf, why, len);
	}
	rc = ktstr_kernel_vmlinux(k->image, &elf, &elf_len, err);
	if (!rc)
		rc = ktstr_elf_btf(elf, elf_len, k->image, &raw, &raw_len, err);
	free(elf);
	if (rc)
		return rc;
	btf = btf__new(raw, (__u32)raw_len);
	free(raw);
	if (libbpf_get_error(btf))
		return -EINVAL;      /* the runner boots anyway: the scheduler's load will say */
	return verdict_of(btf, why, len);
}
