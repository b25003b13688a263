#!/bin/sh
# The real Debian path: `ktstr kernel fetch` of the pinned default into a
# throwaway cache, then list/path must agree.  Label `network` (ctest -L
# network): it needs the Debian archive that the host's apt uses.
# usage: test_kernel_fetch_network.sh /path/to/ktstr
set -eu
ktstr=$1
cache=$(mktemp -d /tmp/ktstr-fetch-test-XXXXXX)
trap 'rm -rf "$cache"' EXIT
export KTSTR_CACHE_DIR="$cache"
unset KTSTR_KERNEL KTSTR_TEST_KERNEL

entry=$("$ktstr" kernel fetch)
echo "fetched: $entry"
test -s "$entry/bzImage"
test -s "$entry/config"
grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$entry/config"
# a bzImage: "HdrS" at offset 0x202
test "$(dd if="$entry/bzImage" bs=1 skip=514 count=4 2>/dev/null)" = HdrS

"$ktstr" kernel list
"$ktstr" kernel list --json | grep -q '"sched_ext": true'
test "$("$ktstr" kernel path)" = "$entry/bzImage"
# a second fetch is a no-op
"$ktstr" kernel fetch 2>&1 | grep -q 'already cached'
echo ok
