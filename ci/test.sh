#!/usr/bin/env bash
# The project's test suite: unit tests, build/package tests, docs checks and
# the VM tests (real kernels in real QEMU), then the unit tests again under
# AddressSanitizer + UBSan.
#
#   ci/test.sh                 everything
#   ci/test.sh -LE vm          extra arguments go to the main ctest run
set -euo pipefail
cd "$(dirname "$0")/.."
# The caches (kernels, initramfs, BPF toolchain) live under $HOME/.cache:
# a CI environment without HOME gets the account's home directory.
if [ -z "${HOME:-}" ]; then
  HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
  export HOME
fi
BUILD_DIR=${KTSTR_BUILD_DIR:-build}
start=$(date +%s)
bash ci/setup.sh
KTSTR_PROFILE=${KTSTR_PROFILE:-ci} bash ci/build.sh -DKTSTR_KERNELS="$(bash ci/kernels.sh)"
bash ci/fetch-kernel.sh
# The fixture sched_ext scheduler (bpf/) needs the BPF toolchain, which needs
# the fetched kernel; configure again so its VM tests run rather than vanish.
bash ci/bpf-toolchain.sh
KTSTR_PROFILE=${KTSTR_PROFILE:-ci} bash ci/build.sh -DKTSTR_KERNELS="$(bash ci/kernels.sh)" \
  -DKTSTR_BUILD_BPF=ON
ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j "$(nproc)" \
  --resource-spec-file "$(cd "$BUILD_DIR" && pwd)/ktstr-resources.json" --output-junit junit.xml "$@"
# Sanitizer build of everything host-side; the VM tests already ran above.
KTSTR_BUILD_DIR="$BUILD_DIR-asan" bash ci/build.sh -DKTSTR_SANITIZE=address,undefined
ctest --test-dir "$BUILD_DIR-asan" --output-on-failure --no-tests=error -j "$(nproc)" -L unit
echo "ci/test.sh: done in $(( $(date +%s) - start ))s"
