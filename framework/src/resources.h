/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CTest resource allocation (RESOURCE_GROUPS + `ctest --resource-spec-file`).
 *
 * When CTest allocates resources to a test it sets, in the test's
 * environment:
 *
 *   CTEST_RESOURCE_GROUP_COUNT=2
 *   CTEST_RESOURCE_GROUP_0=cpus,mem_mb
 *   CTEST_RESOURCE_GROUP_0_CPUS=id:3,slots:1
 *   CTEST_RESOURCE_GROUP_0_MEM_MB=id:0,slots:768
 *   CTEST_RESOURCE_GROUP_1=cpus
 *   CTEST_RESOURCE_GROUP_1_CPUS=id:5,slots:1
 *
 * The `cpus` resource of ktstr's spec (build/ktstr-resources.json) has one
 * instance per host CPU, whose id is the CPU number: the union of the ids is
 * the set of host CPUs this test may use, and QEMU is pinned to it.
 */
#ifndef KTSTR_RESOURCES_H
#define KTSTR_RESOURCES_H

#include <stddef.h>

#include "ktstr/cpulist.h"

/* getenv() or a fake for tests. */
typedef const char *(*ktstr_getenv_fn)(const char *name, void *ctx);

/* getenv(name); ctx unused. */
const char *ktstr_real_getenv(const char *name, void *ctx);

/*
 * The host CPUs CTest allocated to this test.  Returns 1 with *cpus set
 * (non-empty), 0 when no allocation is active (CTEST_RESOURCE_GROUP_COUNT
 * unset or empty) or it allocated no `cpus`, and -EINVAL with a one-line
 * explanation in why when a variable is malformed.
 */
int ktstr_resources_cpus(ktstr_getenv_fn get, void *ctx, struct ktstr_cpuset *cpus,
			 char *why, size_t why_len);

#endif /* KTSTR_RESOURCES_H */
