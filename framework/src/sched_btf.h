/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kfunc BTF check run before a sched_ext scenario boots (seed guide:
 * "Scheduler cannot load: kfunc BTF mismatch").  Since v7.1 the scx
 * kfuncs take an implicit trailing `struct bpf_prog_aux *aux`; the build
 * (resolve_btfids + pahole's decl_tag_kfuncs) publishes a BPF-facing twin
 * with the trimmed prototype, which released schedulers (scx headers,
 * libbpf) link against.  7.2 has both: `scx_bpf_create_dsq(dsq_id, node)`
 * and `scx_bpf_create_dsq_impl(dsq_id, node, aux)`.  When the tag was lost,
 * the plain name is the only FUNC and carries `aux`: no released scheduler
 * can load, and an expect_err suite would turn green with nothing loaded,
 * so such a kernel is a SKIP, expect_err scenarios included.
 */
#ifndef KTSTR_SCHED_BTF_H
#define KTSTR_SCHED_BTF_H

#include <stddef.h>

#include "ktstr/error.h"
#include "ktstr/kernel.h"

struct btf;

/* The kfuncs looked at: every scx scheduler calls them. */
#define KTSTR_KFUNC_PROBES { "scx_bpf_create_dsq", "scx_bpf_error_bstr" }

/*
 * 1 when a probed kfunc exists only as FUNCs whose prototype ends in a
 * `struct bpf_prog_aux *` parameter (why names it and its prototype), 0
 * otherwise (trimmed twin present, or the kfunc is absent).
 */
int ktstr_kfunc_btf_verdict(const struct btf *btf, char *why, size_t len);

/*
 * The same for a kernel: its cache entry's vmlinux.btf when it has one,
 * else the BTF extracted from its image.  Returns 1 (mismatch, why set),
 * 0 (fine), or -errno when the BTF could not be read (err set; the caller
 * lets the run go on: the scheduler's own load then says what is wrong).
 */
int ktstr_kfunc_btf_check_kernel(const struct ktstr_kernel *k, char *why, size_t len,
				 struct ktstr_err *err);

#endif
