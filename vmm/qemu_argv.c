// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's command line from a topology.
 *
 * Topology mapping (lab notes, "Topology as the guest sees it"): with QEMU's
 * default CPU model the L3 is shared per socket and `dies=` does not split
 * it, so each LLC becomes its own socket: sockets = llcs, cores =
 * cores_per_llc, threads = threads_per_core.  QEMU numbers CPUs thread
 * fastest, then core, then socket, which is exactly the order of
 * ktstr_topo_map_from_spec().  NUMA nodes get contiguous runs of LLCs, each
 * with its own RAM backend.
 *
 * Every channel is a file descriptor QEMU inherits (socketpair ends, a
 * memfd for the initrd): nothing is created in the file system.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktstr/proto.h"
#include "ktstr/vm.h"

void ktstr_argv_free(struct ktstr_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int ktstr_argv_add(struct ktstr_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		char **nv = realloc(a->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		a->v = nv;
		a->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

void ktstr_qemu_base_cmdline(bool quiet, char *buf, size_t len)
{
	/*
	 * From the lab measurements: together these save ~10% of a TCG boot.
	 * panic=-1 with -no-reboot makes QEMU exit ~30 ms after a guest panic.
	 * nokaslr is deliberately absent (it made boots slower here).
	 */
	snprintf(buf, len,
		 "console=ttyS0 panic=-1 reboot=t%s no_timer_check tsc=reliable "
		 "mitigations=off i8042.noaux i8042.nokbd i8042.nopnp audit=0 "
		 "lsm=capability rdinit=/init",
		 quiet ? " quiet" : "");
}

int ktstr_qemu_build_argv(const struct ktstr_vm_config *cfg, const char *qemu,
			  const struct ktstr_qemu_fds *fds, struct ktstr_argv *out)
{
	const struct ktstr_topology *t = &cfg->topo;
	unsigned cpus = ktstr_topology_cpus(t);
	unsigned cpus_per_llc = t->cores_per_llc * t->threads_per_core;
	char cmdline[2048];
	int r = 0;

	if (!t->numa_nodes || !t->llcs || t->llcs % t->numa_nodes || !cpus)
		return -EINVAL;

	r |= ktstr_argv_add(out, "%s", qemu);
	if (cfg->accel == KTSTR_ACCEL_KVM) {
		r |= ktstr_argv_add(out, "-accel");
		r |= ktstr_argv_add(out, "kvm");
		r |= ktstr_argv_add(out, "-cpu");
		r |= ktstr_argv_add(out, "host");
	} else {
		r |= ktstr_argv_add(out, "-accel");
		r |= ktstr_argv_add(out, "tcg,thread=%s",
				    cfg->tcg_multithread ? "multi" : "single");
	}
	r |= ktstr_argv_add(out, "-M");
	r |= ktstr_argv_add(out, "pc");
	r |= ktstr_argv_add(out, "-m");
	r |= ktstr_argv_add(out, "%llu", (unsigned long long)t->memory_mb);
	r |= ktstr_argv_add(out, "-smp");
	r |= ktstr_argv_add(out, "%u,sockets=%u,cores=%u,threads=%u", cpus, t->llcs,
			    t->cores_per_llc, t->threads_per_core);

	if (t->numa_nodes > 1) {
		unsigned llcs_per_node = t->llcs / t->numa_nodes;
		uint64_t base = t->memory_mb / t->numa_nodes;

		for (unsigned n = 0; n < t->numa_nodes; n++) {
			/* The last node takes the remainder so the sizes add up to -m. */
			uint64_t mb = n + 1 == t->numa_nodes ?
				      t->memory_mb - base * (t->numa_nodes - 1) : base;
			unsigned first = n * llcs_per_node * cpus_per_llc;
			unsigned last = first + llcs_per_node * cpus_per_llc - 1;

			r |= ktstr_argv_add(out, "-object");
			r |= ktstr_argv_add(out, "memory-backend-ram,id=mem%u,size=%lluM", n,
					    (unsigned long long)mb);
			r |= ktstr_argv_add(out, "-numa");
			r |= ktstr_argv_add(out, "node,nodeid=%u,cpus=%u-%u,memdev=mem%u", n,
					    first, last, n);
		}
	}

	r |= ktstr_argv_add(out, "-nodefaults");
	r |= ktstr_argv_add(out, "-no-user-config");
	r |= ktstr_argv_add(out, "-display");
	r |= ktstr_argv_add(out, "none");
	r |= ktstr_argv_add(out, "-no-reboot");

	r |= ktstr_argv_add(out, "-chardev");
	r |= ktstr_argv_add(out, "socket,id=con,fd=%d", fds->console);
	r |= ktstr_argv_add(out, "-serial");
	r |= ktstr_argv_add(out, "chardev:con");

	r |= ktstr_argv_add(out, "-device");
	r |= ktstr_argv_add(out, "virtio-serial-pci,id=vs0");
	r |= ktstr_argv_add(out, "-chardev");
	r |= ktstr_argv_add(out, "socket,id=res,fd=%d", fds->results);
	r |= ktstr_argv_add(out, "-device");
	r |= ktstr_argv_add(out, "virtserialport,bus=vs0.0,chardev=res,name=%s",
			    KTSTR_PORT_RESULTS);
	if (fds->schedlog >= 0) {
		r |= ktstr_argv_add(out, "-chardev");
		r |= ktstr_argv_add(out, "socket,id=slog,fd=%d", fds->schedlog);
		r |= ktstr_argv_add(out, "-device");
		r |= ktstr_argv_add(out, "virtserialport,bus=vs0.0,chardev=slog,name=%s",
				    KTSTR_PORT_SCHEDLOG);
	}
	if (fds->qmp >= 0) {
		r |= ktstr_argv_add(out, "-chardev");
		r |= ktstr_argv_add(out, "socket,id=qmp,fd=%d", fds->qmp);
		r |= ktstr_argv_add(out, "-mon");
		r |= ktstr_argv_add(out, "chardev=qmp,mode=control");
	}

	for (unsigned i = 0; i < cfg->n_extra_args; i++)
		r |= ktstr_argv_add(out, "%s", cfg->extra_args[i]);
	r |= ktstr_argv_add(out, "-kernel");
	r |= ktstr_argv_add(out, "%s", cfg->kernel_image);
	r |= ktstr_argv_add(out, "-initrd");
	r |= ktstr_argv_add(out, "/proc/self/fd/%d", fds->initrd);

	ktstr_qemu_base_cmdline(!cfg->verbose_console, cmdline, sizeof(cmdline));
	r |= ktstr_argv_add(out, "-append");
	r |= ktstr_argv_add(out, "%s%s%s", cmdline,
			    cfg->cmdline_extra && *cfg->cmdline_extra ? " " : "",
			    cfg->cmdline_extra ? cfg->cmdline_extra : "");
	return r ? -ENOMEM : 0;
}
