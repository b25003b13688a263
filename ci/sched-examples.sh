#!/usr/bin/env bash
# The kernel's example sched_ext schedulers (tools/sched_ext: scx_simple,
# scx_central, scx_flatcg, scx_qmap), built from the linux-source tree that
# ci/bpf-toolchain.sh keeps, with clang-19, linked statically (the guest has
# no libraries), and cached in the toolchain directory keyed by the source
# version and the BTF they were built against:
#
#   $KTSTR_BPF_TOOLCHAIN/sched-examples/<kernelversion>-<btf sha256[:12]>/scx_*
#
#   ci/sched-examples.sh                  build what is missing (~30-90 s once)
#   ci/sched-examples.sh --install DIR    ... and copy the binaries into DIR
#                                         (bpf/CMakeLists.txt: build/schedulers/)
#   ci/sched-examples.sh --print          print the cache directory
# Needs ci/bpf-toolchain.sh first.  Recipe: lab-measurements section 7.
set -euo pipefail
cd "$(dirname "$0")/.."
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/ktstr
TC=${KTSTR_BPF_TOOLCHAIN:-$cache_root/bpf-toolchain}
BTF=${KTSTR_BPF_BTF:-$TC/btf/vmlinux}
SCHEDS=${KTSTR_SCHED_EXAMPLES:-"scx_simple scx_central scx_flatcg scx_qmap"}
log() { echo "ci/sched-examples.sh: $*"; }
die() { echo "ci/sched-examples.sh: error: $*" >&2; exit 1; }

install_dir=""
print=0
case "${1:-}" in
  --install) install_dir=${2:?--install needs a directory} ;;
  --print) print=1 ;;
  "") ;;
  *) die "usage: ci/sched-examples.sh [--install DIR | --print]" ;;
esac

src=$(ls -d "$TC"/src/linux-source-* 2>/dev/null | sort | tail -1 || true)
[ -n "$src" ] && [ -f "$src/tools/sched_ext/Makefile" ] ||
  die "no kernel tree with tools/sched_ext under $TC/src: run ci/bpf-toolchain.sh first"
[ -s "$BTF" ] || die "$BTF missing: run ci/bpf-toolchain.sh first"
command -v clang-19 >/dev/null || die "clang-19 not found (ci/setup.sh installs it)"
mk() { sed -n "s/^$1 = *//p" "$src/Makefile" | head -1; }
kver="$(mk VERSION).$(mk PATCHLEVEL).$(mk SUBLEVEL)"
key="$kver-$(sha256sum "$BTF" | cut -c1-12)"
out=$TC/sched-examples/$key
if [ "$print" = 1 ]; then echo "$out"; exit 0; fi

mkdir -p "$TC/sched-examples"
exec 9>"$TC/sched-examples/.lock"
flock 9
missing=""
for s in $SCHEDS; do [ -x "$out/$s" ] || missing="$missing $s"; done
if [ -n "$missing" ]; then
  work=$(mktemp -d "$TC/sched-examples/.tmp.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "building$missing from $(basename "$src") ($kver) with clang-19"
  # The Makefile builds its own libbpf and bpftool from the same tree.
  if ! make -s -C "$src/tools/sched_ext" -j"$(nproc)" CLANG=clang-19 \
        LLVM_STRIP=llvm-strip-19 VMLINUX_BTF="$BTF" O="$work" $missing >"$work/make.log" 2>&1; then
    tail -30 "$work/make.log" >&2
    die "make -C tools/sched_ext failed (log above)"
  fi
  mkdir -p "$out"
  for s in $missing; do
    # Static: the Makefile's own link is dynamic; relink its object with libbpf.a.
    gcc -static -o "$work/$s" "$work/build/obj/sched_ext/$s.o" \
        "$work/build/obj/libbpf/libbpf.a" -lelf -lzstd -lz -lpthread ||
      die "static link of $s failed"
    strip -o "$out/$s.tmp" "$work/$s"
    mv "$out/$s.tmp" "$out/$s"
  done
  rm -rf "$work"; trap - EXIT
  log "cached in $out"
fi
if [ -n "$install_dir" ]; then
  mkdir -p "$install_dir"
  for s in $SCHEDS; do cp -p "$out/$s" "$install_dir/$s"; done
fi
