#!/usr/bin/env bash
# Put the default kernel (pinned in kernels/include/ktstr/default_kernel.h)
# into the kernel cache.  A no-op when it is already cached.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${KTSTR_BUILD_DIR:-build}
"$BUILD_DIR/framework/cli/ktstr" kernel fetch
