// SPDX-License-Identifier: GPL-2.0-only
/*
 * PageFaultChurn{region_kb, touches_per_cycle, spin_iters}: touch
 * touches_per_cycle random pages of a private region (each a page fault),
 * drop them all with MADV_DONTNEED, spin spin_iters, repeat.  Stresses the
 * fault path, mm locks and the accounting of short kernel-mode bursts.
 * Transparent huge pages are disabled on the region so every touch of a
 * dropped page faults.  One unit per touch.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "work.h"

struct page_churn {
	volatile uint8_t *region;
	size_t len, pages, page;
	uint64_t rng;
};

static int page_init(void **state, struct agent_work_ctx *ctx)
{
	struct page_churn *p = malloc(sizeof(*p));
	void *m;

	if (!p)
		return -ENOMEM;
	p->page = (size_t)sysconf(_SC_PAGESIZE);
	p->len = (size_t)ctx->params->v[KTSTR_WP_REGION_KB] * 1024;
	p->pages = p->len / p->page ? p->len / p->page : 1;
	m = mmap(NULL, p->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		free(p);
		return -errno;
	}
#ifdef MADV_NOHUGEPAGE
	madvise(m, p->len, MADV_NOHUGEPAGE);   /* best effort: THP may be absent */
#endif
	p->region = m;
	p->rng = 0x2545f4914f6cdd1dull ^ ((uint64_t)ctx->index + 1) * 0x9e3779b97f4a7c15ull;
	*state = p;
	return 0;
}

static uint64_t page_burst(void *state, struct agent_work_ctx *ctx)
{
	struct page_churn *p = state;
	unsigned touches = ctx->params->v[KTSTR_WP_TOUCHES_PER_CYCLE];

	for (unsigned i = 0; i < touches; i++) {
		p->rng ^= p->rng << 13;   /* xorshift64, as the Rust ktstr */
		p->rng ^= p->rng >> 7;
		p->rng ^= p->rng << 17;
		p->region[(p->rng % p->pages) * p->page] = 1;
	}
	madvise((void *)p->region, p->len, MADV_DONTNEED);
	agent_work_spin_iters(ctx->params->v[KTSTR_WP_SPIN_ITERS]);
	return touches;
}

const struct agent_work agent_work_page_fault_churn = {
	.name = "PageFaultChurn",
	.init = page_init,
	.burst = page_burst,
};
