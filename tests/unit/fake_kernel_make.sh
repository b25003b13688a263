#!/bin/sh
# A stand-in for `make` in a kernel tree, for test_kernel_build and
# test_kernel_http: `make -C TREE [-s] [-jN] TARGET`.  Enough of Kconfig's
# behaviour to test ktstr's configure step: defconfig writes a config
# without sched_ext, olddefconfig keeps the last assignment of each option
# (as Kconfig does) and drops those named in FAKE_MAKE_DROP (an option whose
# dependencies are off), bzImage writes a fake image.
#   FAKE_MAKE_FAIL=TARGET   that target fails with exit 2
set -eu
tree=.
while [ $# -gt 0 ]; do
  case "$1" in
    -C) tree=$2; shift 2 ;;
    -s|-j*) shift ;;
    *) target=$1; shift ;;
  esac
done
cd "$tree"
if [ "${FAKE_MAKE_FAIL:-}" = "$target" ]; then
  echo "fake make: error: $target failed on purpose" >&2
  exit 2
fi
case "$target" in
  defconfig)
    printf 'CONFIG_SMP=y\n# CONFIG_SCHED_CLASS_EXT is not set\nCONFIG_BPF=y\n' > .config ;;
  olddefconfig)
    # Last assignment wins; "# CONFIG_X is not set" counts as an assignment.
    awk -v drop="${FAKE_MAKE_DROP:-}" '
      /^CONFIG_[A-Za-z0-9_]+=/ { n = substr($0, 1, index($0, "=") - 1) }
      /^# CONFIG_[A-Za-z0-9_]+ is not set/ { n = $2 }
      n != "" { if (!(n in v)) order[++k] = n; v[n] = $0; n = ""; next }
      END { for (i = 1; i <= k; i++) if (order[i] != drop) print v[order[i]] }
    ' .config > .config.new
    mv .config.new .config ;;
  bzImage)
    echo "  CC      kernel/sched/ext.o"
    mkdir -p arch/x86/boot
    printf 'fake bzImage\n' > arch/x86/boot/bzImage ;;
  kernelrelease)
    cat .fake-release 2>/dev/null || echo 6.14.0 ;;
  *) echo "fake make: unknown target $target" >&2; exit 2 ;;
esac
