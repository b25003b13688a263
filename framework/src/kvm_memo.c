// SPDX-License-Identifier: GPL-2.0-only
/* The "KVM cannot run guests here" memo (kvm_memo.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktstr/fsutil.h"
#include "kvm_memo.h"

#define BOOT_ID "/proc/sys/kernel/random/boot_id"

int ktstr_kvm_memo_path(char *buf, size_t len)
{
	return ktstr_user_cache_path("kvm-unusable", buf, len) ? -ENOENT : 0;
}

/* The first line of a small file, newline dropped; false when unreadable. */
static bool first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok = f && fgets(buf, (int)len, f);

	if (f)
		fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

bool ktstr_kvm_memo_says_unusable(void)
{
	char path[512], memo[64], boot[64];

	return !ktstr_kvm_memo_path(path, sizeof(path)) && first_line(path, memo, sizeof(memo)) &&
	       first_line(BOOT_ID, boot, sizeof(boot)) && !strcmp(memo, boot);
}

void ktstr_kvm_memo_record(const char *why)
{
	char path[512], tmp[560], dir[512], boot[64];
	FILE *f;
	int fd;

	if (ktstr_kvm_memo_path(path, sizeof(path)) || !first_line(BOOT_ID, boot, sizeof(boot)))
		return;
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	if (ktstr_mkdir_p(dir))
		return;
	/* write, then rename: a reader never sees half a memo */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	fprintf(f, "%s\n# KVM could not run a guest on this host in this boot: %s\n"
		"# ktstr uses TCG under --accel=auto until the host reboots; delete this file to "
		"try KVM again.\n", boot, why);
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
}
