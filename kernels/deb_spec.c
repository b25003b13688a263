// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr kernel fetch SPEC`: turn SPEC into Debian package names.
 *
 * Debian ships a kernel in one of two layouts:
 *   split (7.x):   linux-binary-VER  usr/lib/modules/VER/vmlinuz
 *                  linux-base-VER    usr/lib/modules/VER/config
 *   classic:       linux-image-VER[-unsigned]  boot/vmlinuz-VER, boot/config-VER
 * (in the split layout linux-image-VER is an empty metapackage).  A bare
 * version means the split layout; the fetcher falls back to the classic one
 * when apt does not know linux-binary-VER.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/default_kernel.h"
#include "ktstr/kernel.h"
#include "internal.h"

static int version_ok(const char *v)
{
	if (!(v[0] >= '0' && v[0] <= '9') || !strchr(v, '-') || strlen(v) >= 100)
		return 0;
	return strspn(v, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~-") ==
	       strlen(v);
}

static int split_layout(const char *ver, struct ktstr_deb_spec *s)
{
	snprintf(s->version, sizeof(s->version), "%s", ver);
	snprintf(s->image_pkg, sizeof(s->image_pkg), "linux-binary-%s", ver);
	snprintf(s->config_pkg, sizeof(s->config_pkg), "linux-base-%s", ver);
	snprintf(s->image_member, sizeof(s->image_member), "usr/lib/modules/%s/vmlinuz", ver);
	snprintf(s->config_member, sizeof(s->config_member), "usr/lib/modules/%s/config", ver);
	return 0;
}

static int classic_layout(const char *ver, const char *pkg, struct ktstr_deb_spec *s)
{
	snprintf(s->version, sizeof(s->version), "%s", ver);
	snprintf(s->image_pkg, sizeof(s->image_pkg), "%s", pkg);
	s->config_pkg[0] = '\0';
	snprintf(s->image_member, sizeof(s->image_member), "boot/vmlinuz-%s", ver);
	snprintf(s->config_member, sizeof(s->config_member), "boot/config-%s", ver);
	return 0;
}

int ktstr_deb_spec_parse(const char *spec, struct ktstr_deb_spec *s, struct ktstr_err *err)
{
	static const char *const split_prefixes[] = { "linux-binary-", "linux-base-" };
	char ver[128];
	size_t n;

	memset(s, 0, sizeof(*s));
	if (!spec || !*spec)
		spec = KTSTR_DEFAULT_KERNEL_VERSION;
	for (size_t i = 0; i < 2; i++) {
		n = strlen(split_prefixes[i]);
		if (!strncmp(spec, split_prefixes[i], n)) {
			if (!version_ok(spec + n))
				goto bad;
			return split_layout(spec + n, s);
		}
	}
	if (!strncmp(spec, "linux-image-", 12)) {
		snprintf(ver, sizeof(ver), "%s", spec + 12);
		n = strlen(ver);
		if (n > 9 && !strcmp(ver + n - 9, "-unsigned"))
			ver[n - 9] = '\0';
		if (!version_ok(ver))
			goto bad;
		return classic_layout(ver, spec, s);
	}
	if (version_ok(spec))
		return split_layout(spec, s);
bad:
	return ktstr_err_set(err, -EINVAL,
		"kernel spec '%s' is not a Debian kernel version or package name; use a full "
		"version such as " KTSTR_DEFAULT_KERNEL_VERSION " (release+flavour), or a "
		"package name such as linux-binary-" KTSTR_DEFAULT_KERNEL_VERSION " or "
		"linux-image-6.1.0-30-cloud-amd64-unsigned", spec);
}

int ktstr_deb_spec_classic(const char *version, struct ktstr_deb_spec *s)
{
	char pkg[192];

	snprintf(pkg, sizeof(pkg), "linux-image-%s-unsigned", version);
	return classic_layout(version, pkg, s);
}
