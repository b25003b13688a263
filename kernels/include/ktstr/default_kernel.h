/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place the default kernel is pinned.  Scripts read it with
 *   sed -n 's/^#define KTSTR_DEFAULT_KERNEL_VERSION "\(.*\)"/\1/p'
 * so keep each define on one line with a plain string literal.
 *
 * Why these packages: Debian's cloud flavour is small (a 14 MB zstd
 * bzImage), boots without modules under QEMU (virtio console, 8250 console,
 * devtmpfs, zstd/gzip initramfs are built in) and, from 7.x on, has
 * CONFIG_SCHED_CLASS_EXT=y and CONFIG_DEBUG_INFO_BTF=y.  Debian's 6.12
 * kernels (trixie, bookworm-backports) do NOT enable sched_ext.
 *
 * The image is in linux-binary-VER (usr/lib/modules/VER/vmlinuz), the
 * config in linux-base-VER (usr/lib/modules/VER/config).
 */
#ifndef KTSTR_DEFAULT_KERNEL_H
#define KTSTR_DEFAULT_KERNEL_H

#define KTSTR_DEFAULT_KERNEL_VERSION "7.2.13+deb14-cloud-amd64"
#define KTSTR_DEFAULT_KERNEL_SUITE "sid"

/*
 * A second sched_ext kernel for a kernel matrix, checked by hand:
 * linux-base-7.3.4+deb13-cloud-amd64 (trixie-backports) has
 * CONFIG_SCHED_CLASS_EXT=y and CONFIG_DEBUG_INFO_BTF=y.
 */
#define KTSTR_MATRIX_KERNEL_VERSION "7.3.4+deb13-cloud-amd64"
#define KTSTR_MATRIX_KERNEL_SUITE "trixie-backports"

/* Suites the fetcher adds to its private apt sources, newest first. */
#define KTSTR_DEBIAN_FETCH_SUITES "sid trixie-backports trixie"

#endif /* KTSTR_DEFAULT_KERNEL_H */
