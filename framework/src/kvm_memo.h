/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Remembering, for the rest of this host boot, that /dev/kvm opens but
 * cannot run a guest (nested or partial KVM: "failed to set MSR").  Without
 * it every --accel=auto run pays for a QEMU start that is doomed.  The memo
 * is <cache>/kvm-unusable holding the host's boot id, so a reboot (new
 * module, BIOS change) tries KVM again; deleting the file does too.
 */
#ifndef KTSTR_KVM_MEMO_H
#define KTSTR_KVM_MEMO_H

#include <stdbool.h>
#include <stddef.h>

/* The memo's path ($XDG_CACHE_HOME/ktstr or ~/.cache/ktstr, + /kvm-unusable); -ENOENT without HOME. */
int ktstr_kvm_memo_path(char *buf, size_t len);

/* Whether KVM already failed on this host in this boot. */
bool ktstr_kvm_memo_says_unusable(void);

/* Record that it failed (atomically; best effort, errors are ignored). */
void ktstr_kvm_memo_record(const char *why);

#endif /* KTSTR_KVM_MEMO_H */
