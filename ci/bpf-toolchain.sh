#!/usr/bin/env bash
# The BPF toolchain for ktstr's fixture scheduler (bpf/) and the kernel's
# example schedulers: the kernel tree's own libbpf (static) and bpftool, plus
# the BTF (vmlinux) of the default kernel, in a cached directory:
#
#   $KTSTR_BPF_TOOLCHAIN (default ${XDG_CACHE_HOME:-$HOME/.cache}/ktstr/bpf-toolchain)
#     src/linux-source-X/   tools/, include/, scripts/, arch/x86/include of the tree
#     bin/bpftool           the tree's bpftool (emits kfunc prototypes; Debian 12's 7.1 does not)
#     lib/libbpf.a, include/bpf/*.h
#     btf/vmlinux           the default kernel's vmlinux (BTF inside), from its bzImage
#     STAMP                 what was built, so a re-run is a no-op
#
# Why the tree's: Debian 12's libbpf 1.1 and bpftool 7.1 predate sched_ext
# (no kfunc prototypes in vmlinux.h); tools/sched_ext itself builds its own
# from the same tree.  The source comes from Debian (linux-source-7.2) with
# `apt-get download` under ktstr's private apt state (<kernel cache>/.apt,
# set up by `ktstr kernel fetch`, which must have run: ci/fetch-kernel.sh).
# The system's apt sources are never touched and no mirror is written here.
#
#   ci/bpf-toolchain.sh            build what is missing
#   ci/bpf-toolchain.sh --print    print the toolchain directory
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${KTSTR_BUILD_DIR:-build}
SRC_PKG=${KTSTR_BPF_SOURCE_PKG:-linux-source-7.2}
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/ktstr
TC=${KTSTR_BPF_TOOLCHAIN:-$cache_root/bpf-toolchain}
KCACHE=${KTSTR_CACHE_DIR:-$cache_root/kernels}
if [ "${1:-}" = "--print" ]; then echo "$TC"; exit 0; fi

log() { echo "ci/bpf-toolchain.sh: $*"; }
die() { echo "ci/bpf-toolchain.sh: error: $*" >&2; exit 1; }
command -v clang-19 >/dev/null || die "clang-19 not found (ci/setup.sh installs it)"
mkdir -p "$TC"
exec 9>"$TC/.lock"
flock 9

# --- 1. kernel source (only the parts the BPF builds need) ---------------
src=$(ls -d "$TC"/src/linux-source-* 2>/dev/null | head -1 || true)
if [ -z "$src" ] || [ ! -f "$src/tools/lib/bpf/Makefile" ] || [ ! -f "$src/kernel/bpf/disasm.c" ]; then
  apt_dir=$KCACHE/.apt
  [ -f "$apt_dir/sources.list" ] ||
    die "$apt_dir/sources.list missing: run ci/fetch-kernel.sh (ktstr kernel fetch) first"
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
            -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
            -o "Dir::Etc::PreferencesParts=$apt_dir/preferences.d"
            -o "Dir::Etc::Preferences=/dev/null"
            -o "Dir::State::Lists=$apt_dir/lists"
            -o "Dir::Cache=$apt_dir/cache"
            -o "Dir::State::status=$apt_dir/status")
  [ "$(id -u)" -eq 0 ] && apt_opts+=(-o "APT::Sandbox::User=root")
  work=$(mktemp -d "$TC/.tmp.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "downloading $SRC_PKG (about 160 MB) with ktstr's private apt state"
  (cd "$work" && apt-get -q "${apt_opts[@]}" download "$SRC_PKG" >/dev/null) ||
    die "apt-get download $SRC_PKG failed (is $apt_dir up to date? run 'ktstr kernel fetch')"
  deb=$(ls "$work"/*.deb)
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './usr/src/*.tar.xz'
  tarball=$(ls "$work"/usr/src/*.tar.xz)
  mkdir -p "$TC/src"
  name=$(basename "$tarball" .tar.xz)
  # bpftool also compiles kernel/bpf/disasm.c; the rest of the tree is not needed.
  log "unpacking $name (tools, include, scripts, kernel/bpf, arch/x86/include)"
  tar -xf "$tarball" -C "$work" "$name/tools" "$name/include" "$name/scripts" \
      "$name/kernel/bpf" "$name/arch/x86/include" "$name/Makefile" "$name/COPYING"
  rm -rf "${TC:?}/src/$name"
  mv "$work/$name" "$TC/src/$name"
  rm -rf "$work"; trap - EXIT
  src=$TC/src/$name
fi

# --- 2. libbpf (static) and bpftool from that tree -----------------------
if [ ! -f "$TC/lib/libbpf.a" ] || [ ! -x "$TC/bin/bpftool" ]; then
  mkdir -p "$TC/build/libbpf" "$TC/build/bpftool" "$TC/bin" "$TC/lib" "$TC/include"
  log "building libbpf from $src/tools/lib/bpf"
  make -s -C "$src/tools/lib/bpf" -j"$(nproc)" OUTPUT="$TC/build/libbpf/" \
       BUILD_STATIC_ONLY=1 DESTDIR="$TC/stage" prefix= install_headers install >/dev/null
  cp "$TC/stage/lib64/libbpf.a" "$TC/lib/" 2>/dev/null || cp "$TC/stage/lib/libbpf.a" "$TC/lib/"
  rm -rf "$TC/include/bpf"; cp -r "$TC/stage/include/bpf" "$TC/include/"
  log "building bpftool from $src/tools/bpf/bpftool"
  # feature-llvm/libbfd off: only `btf dump` and `gen skeleton` are needed.
  make -s -C "$src/tools/bpf/bpftool" -j"$(nproc)" OUTPUT="$TC/build/bpftool/" \
       CLANG=clang-19 LLVM_STRIP=llvm-strip-19 feature-llvm=0 feature-libbfd=0 \
       feature-libbfd-liberty=0 feature-libbfd-liberty-z=0 >/dev/null
  cp "$TC/build/bpftool/bpftool" "$TC/bin/bpftool"
  rm -rf "$TC/stage"
fi

# --- 3. the default kernel's vmlinux (for vmlinux.h) ---------------------
ktstr=$BUILD_DIR/framework/cli/ktstr
if [ ! -s "$TC/btf/vmlinux" ]; then
  mkdir -p "$TC/btf"
  image=""
  if [ -x "$ktstr" ]; then
    # `ktstr kernel btf -o FILE` writes the cached kernel's BTF, when this ktstr has it.
    if "$ktstr" kernel btf -o "$TC/btf/vmlinux.tmp" >/dev/null 2>&1; then
      mv "$TC/btf/vmlinux.tmp" "$TC/btf/vmlinux"
    fi
  fi
  if [ ! -s "$TC/btf/vmlinux" ]; then
    image=$(ls -d "$KCACHE"/7.2.*-cloud-amd64-deb-x86_64/bzImage 2>/dev/null | head -1 || true)
    [ -n "$image" ] || image=$(ls -d "$KCACHE"/*/bzImage 2>/dev/null | head -1 || true)
    [ -n "$image" ] || die "no cached kernel under $KCACHE: run ci/fetch-kernel.sh first"
    log "extracting vmlinux (BTF) from $image"
    bash "$src/scripts/extract-vmlinux" "$image" >"$TC/btf/vmlinux.tmp" ||
      die "extract-vmlinux failed on $image"
    mv "$TC/btf/vmlinux.tmp" "$TC/btf/vmlinux"
  fi
fi
"$TC/bin/bpftool" btf dump file "$TC/btf/vmlinux" format raw >/dev/null ||
  die "$TC/btf/vmlinux carries no readable BTF"
echo "src=$(basename "$src")" >"$TC/STAMP"
log "toolchain ready in $TC (configure with -DKTSTR_BPF_TOOLCHAIN=$TC, the default)"
