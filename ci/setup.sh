#!/usr/bin/env bash
# Install everything ktstr needs on Debian 12, idempotently.
#
#   ci/setup.sh            build + run dependencies (QEMU, busybox, -dev libs)
#
# Packages always come from bookworm itself (`-t bookworm`): if newer suites
# were ever added to apt's sources, an unpinned install would pull their
# libraries into a Debian 12 system (see docs/ci.md).  Kernels from newer
# suites are fetched separately by `ktstr kernel fetch`, into ktstr's own
# cache, without touching the system's apt configuration.
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build gcc make pkg-config
  libyaml-dev libjansson-dev zlib1g-dev libarchive-dev libssl-dev
  libcurl4-openssl-dev libbpf-dev libelf-dev libzstd-dev
  # tests
  libcmocka-dev perl python3
  # run: the VM and the guest's userspace
  qemu-system-x86 busybox-static
  # kernel fetch (apt-get download) needs nothing extra; BPF needs clang
  clang-19 llvm-19
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "ci/setup.sh: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "ci/setup.sh: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "ci/setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq -t bookworm --no-install-recommends "${missing[@]}"
