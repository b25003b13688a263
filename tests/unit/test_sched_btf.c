// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kfunc BTF check (framework/src/sched_btf.c) on synthetic BTF built
 * with libbpf -- the 7.2 shape (public prototype + `_impl` with aux: fine),
 * the broken shape (the plain name only, with aux) -- and on the default
 * kernel's real BTF from the kernel cache, which must pass.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "ktstr/default_kernel.h"
#include "ktstr/kernel.h"
#include "sched_btf.h"

struct ids {
	int u64, s32, u32, u64p, charp, aux_ptr;
};

static struct btf *base_btf(struct ids *id)
{
	struct btf *b = btf__new_empty();
	int aux;

	assert_false(libbpf_get_error(b));
	id->u64 = btf__add_int(b, "u64", 8, 0);
	id->s32 = btf__add_int(b, "s32", 4, BTF_INT_SIGNED);
	id->u32 = btf__add_int(b, "u32", 4, 0);
	id->u64p = btf__add_ptr(b, id->u64);
	id->charp = btf__add_ptr(b, btf__add_int(b, "char", 1, BTF_INT_SIGNED));
	aux = btf__add_struct(b, "bpf_prog_aux", 8);
	assert_true(aux > 0);
	assert_int_equal(btf__add_field(b, "id", id->u32, 0, 0), 0);
	id->aux_ptr = btf__add_ptr(b, aux);
	return b;
}

/* scx_bpf_create_dsq[ _impl](u64 dsq_id, s32 node[, struct bpf_prog_aux *aux]) -> s32 */
static void add_create_dsq(struct btf *b, const struct ids *id, const char *name, int with_aux)
{
	int proto = btf__add_func_proto(b, id->s32);

	assert_true(proto > 0);
	assert_int_equal(btf__add_func_param(b, "dsq_id", id->u64), 0);
	assert_int_equal(btf__add_func_param(b, "node", id->s32), 0);
	if (with_aux)
		assert_int_equal(btf__add_func_param(b, "aux", id->aux_ptr), 0);
	assert_true(btf__add_func(b, name, BTF_FUNC_STATIC, proto) > 0);
}

/* scx_bpf_error_bstr[_impl](char *fmt, u64 *data, u32 data__sz[, aux]) -> void */
static void add_error_bstr(struct btf *b, const struct ids *id, const char *name, int with_aux)
{
	int proto = btf__add_func_proto(b, 0);

	assert_int_equal(btf__add_func_param(b, "fmt", id->charp), 0);
	assert_int_equal(btf__add_func_param(b, "data", id->u64p), 0);
	assert_int_equal(btf__add_func_param(b, "data__sz", id->u32), 0);
	if (with_aux)
		assert_int_equal(btf__add_func_param(b, "aux", id->aux_ptr), 0);
	assert_true(btf__add_func(b, name, BTF_FUNC_STATIC, proto) > 0);
}

static void shape_7_2_passes(void **state)
{
	struct ids id;
	struct btf *b = base_btf(&id);
	char why[512];

	(void)state;
	add_create_dsq(b, &id, "scx_bpf_create_dsq", 0);
	add_create_dsq(b, &id, "scx_bpf_create_dsq_impl", 1);
	add_error_bstr(b, &id, "scx_bpf_error_bstr", 0);
	add_error_bstr(b, &id, "scx_bpf_error_bstr_impl", 1);
	assert_int_equal(ktstr_kfunc_btf_verdict(b, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	btf__free(b);
}

static void aux_only_is_a_mismatch(void **state)
{
	struct ids id;
	struct btf *b = base_btf(&id);
	char why[512];

	(void)state;
	add_create_dsq(b, &id, "scx_bpf_create_dsq", 1);
	add_error_bstr(b, &id, "scx_bpf_error_bstr", 1);
	assert_int_equal(ktstr_kfunc_btf_verdict(b, why, sizeof(why)), 1);
	assert_string_equal(why,
		"FUNC 'scx_bpf_create_dsq' has 3 parameters, the last one the implicit "
		"'struct bpf_prog_aux *', and no trimmed twin; FUNC 'scx_bpf_error_bstr' has 4 "
		"parameters, the last one the implicit 'struct bpf_prog_aux *', and no trimmed twin");
	btf__free(b);
}

static void one_broken_kfunc_is_enough(void **state)
{
	struct ids id;
	struct btf *b = base_btf(&id);
	char why[512];

	(void)state;
	add_create_dsq(b, &id, "scx_bpf_create_dsq", 0);
	add_error_bstr(b, &id, "scx_bpf_error_bstr", 1);
	assert_int_equal(ktstr_kfunc_btf_verdict(b, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "FUNC 'scx_bpf_error_bstr' has 4 parameters"));
	assert_null(strstr(why, "create_dsq"));
	btf__free(b);
}

static void pre_7_1_and_absent_pass(void **state)
{
	struct ids id;
	struct btf *b = base_btf(&id);
	char why[64];

	(void)state;
	/* no scx kfuncs at all (a kernel without sched_ext has its own SKIP) */
	assert_int_equal(ktstr_kfunc_btf_verdict(b, why, sizeof(why)), 0);
	/* before the implicit-args change: the plain prototypes only */
	add_create_dsq(b, &id, "scx_bpf_create_dsq", 0);
	add_error_bstr(b, &id, "scx_bpf_error_bstr", 0);
	assert_int_equal(ktstr_kfunc_btf_verdict(b, why, sizeof(why)), 0);
	btf__free(b);
}

/* The default kernel's BTF (ktstr kernel fetch) must pass, both ways of reading it. */
static void default_kernel_passes(void **state)
{
	struct ktstr_kernel k = { 0 };
	struct ktstr_err err = { 0 };
	char root[512], why[512];
	struct btf *b;

	(void)state;
	if (ktstr_cache_root(root, sizeof(root), &err))
		skip();
	snprintf(k.image, sizeof(k.image), "%s/%s-deb-x86_64/bzImage", root,
		 KTSTR_DEFAULT_KERNEL_VERSION);
	if (access(k.image, R_OK)) {
		print_message("no default kernel at %s (ci/fetch-kernel.sh): skipped\n", k.image);
		skip();
	}
	/* the cache entry's vmlinux.btf */
	assert_int_equal(ktstr_kfunc_btf_check_kernel(&k, why, sizeof(why), &err), 0);
	/* the raw BTF parsed directly: scx_bpf_create_dsq is there and trimmed */
	snprintf(why, sizeof(why), "%s/%s-deb-x86_64/%s", root, KTSTR_DEFAULT_KERNEL_VERSION,
		 KTSTR_KERNEL_BTF_NAME);
	b = btf__parse_raw(why);
	assert_false(libbpf_get_error(b));
	assert_true(btf__find_by_name_kind(b, "scx_bpf_create_dsq", BTF_KIND_FUNC) > 0);
	assert_true(btf__find_by_name_kind(b, "scx_bpf_create_dsq_impl", BTF_KIND_FUNC) > 0);
	assert_int_equal(ktstr_kfunc_btf_verdict(b, why, sizeof(why)), 0);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shape_7_2_passes),
		cmocka_unit_test(aux_only_is_a_mismatch),
		cmocka_unit_test(one_broken_kfunc_is_enough),
		cmocka_unit_test(pre_7_1_and_absent_pass),
		cmocka_unit_test(default_kernel_passes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
