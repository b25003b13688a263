#!/usr/bin/env bash
# Prints CI's kernel matrix as a CMake list, "<default>;<second>", for
# -DKTSTR_KERNELS=...: both versions are read from
# kernels/include/ktstr/default_kernel.h, the one place they are pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
h=kernels/include/ktstr/default_kernel.h
default=$(sed -n 's/^#define KTSTR_DEFAULT_KERNEL_VERSION "\(.*\)"/\1/p' "$h")
second=$(sed -n 's/^#define KTSTR_MATRIX_KERNEL_VERSION "\(.*\)"/\1/p' "$h")
if [ -z "$default" ] || [ -z "$second" ]; then
  echo "ci/kernels.sh: cannot read KTSTR_DEFAULT_KERNEL_VERSION / KTSTR_MATRIX_KERNEL_VERSION from $h" >&2
  exit 1
fi
echo "$default;$second"
