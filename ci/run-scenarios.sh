#!/usr/bin/env bash
# The main job: run the bundled scenarios, each in its own VM, on CI's
# kernels (ci/kernels.sh: tests ktstr/NAME@VERSION; steady and the sched_ext
# ones on both, the rest on the default one), and print the results.
#
#   ci/run-scenarios.sh              all bundled scenarios (ctest -L ktstr)
#   ci/run-scenarios.sh -R steady    extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
# The caches (kernels, initramfs, BPF toolchain) live under $HOME/.cache:
# a CI environment without HOME gets the account's home directory.
if [ -z "${HOME:-}" ]; then
  HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
  export HOME
fi
BUILD_DIR=${KTSTR_BUILD_DIR:-build}
bash ci/setup.sh
bash ci/build.sh -DKTSTR_KERNELS="$(bash ci/kernels.sh)"
bash ci/fetch-kernel.sh
# The sched_ext scenarios need the BPF toolchain and the kernel's example
# schedulers (cached after the first run).
bash ci/bpf-toolchain.sh
bash ci/build.sh -DKTSTR_KERNELS="$(bash ci/kernels.sh)" -DKTSTR_BUILD_BPF=ON
# Resource groups: concurrent VMs share the host's CPUs without oversubscribing (docs/ci.md).
ctest --test-dir "$BUILD_DIR" -L '^ktstr$' --output-on-failure -j "$(nproc)" \
  --resource-spec-file "$(cd "$BUILD_DIR" && pwd)/ktstr-resources.json" "$@"
