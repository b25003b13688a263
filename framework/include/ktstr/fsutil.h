/* SPDX-License-Identifier: GPL-2.0-only */
/* Small file-system helpers shared by the runner and the kernel cache. */
#ifndef KTSTR_FSUTIL_H
#define KTSTR_FSUTIL_H

/* mkdir -p with mode 0755; 0 or a negative errno. */
int ktstr_mkdir_p(const char *path);

#endif
