#!/usr/bin/env bash
# Put CI's kernels (the default and the second sched_ext kernel, both pinned
# in kernels/include/ktstr/default_kernel.h, listed by ci/kernels.sh) into
# the kernel cache.  A no-op for those already cached.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${KTSTR_BUILD_DIR:-build}
IFS=';' read -r default second <<<"$(bash ci/kernels.sh)"
# The default last: discovery picks the newest entry for tests that do not
# name a kernel.
"$BUILD_DIR/framework/cli/ktstr" kernel fetch "$second"
"$BUILD_DIR/framework/cli/ktstr" kernel fetch "$default"
