/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pre-flight notes: once per run, after the TAP header, `#` comments naming
 * what makes this host differ from a developer machine (the seed guide's
 * "tests pass locally but fail in CI" causes; each message has a section in
 * docs/troubleshooting/ci.md), and CTest's resource allocation: when one is
 * active, QEMU is pinned to the allocated host CPUs.
 */
#ifndef KTSTR_PREFLIGHT_H
#define KTSTR_PREFLIGHT_H

struct ktstr_runner;

/* Print the notes; sets r->pin_cpus / r->pinned.  Never fails the run. */
void ktstr_preflight(struct ktstr_runner *r);

/* The TCG note alone: after a fallback from KVM that could not run the guest. */
void ktstr_preflight_tcg(struct ktstr_runner *r);

#endif /* KTSTR_PREFLIGHT_H */
