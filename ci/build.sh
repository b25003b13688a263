#!/usr/bin/env bash
# Configure and build ktstr into ${KTSTR_BUILD_DIR:-build}.
#   ci/build.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${KTSTR_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DKTSTR_PROFILE="${KTSTR_PROFILE:-default}" "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
