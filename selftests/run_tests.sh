#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh: runs the nfgate selftests with the kernel's kselftest runner
# (runner.sh's run_many, TAP 13) inside the test VM:
#
#   scripts/vm-run -- selftests/run_tests.sh [TEST...]
#
# TEST names a test (nfgate_hooks.sh or hooks); default: every test listed
# in selftests/Makefile, in order.  Per-test timeout: selftests/settings.
# Exits 1 if any test failed or timed out, 0 otherwise (skips pass).

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
export NFGATE_REPO=${NFGATE_REPO:-$(cd -- "$here/.." && pwd)}
ksft=$NFGATE_REPO/build/linux-source/tools/testing/selftests

if [ ! -r "$ksft/kselftest/runner.sh" ]; then
	echo "run_tests.sh: $ksft/kselftest/runner.sh missing (run make)" >&2
	exit 1
fi

tests=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		t=${t##*/}
		t=${t%.sh}
		t=nfgate_${t#nfgate_}.sh
		[ -e "$here/$t" ] || { echo "run_tests.sh: no test $t" >&2; exit 2; }
		tests+=("./$t")
	done
else
	# TEST_PROGS of the Makefile, without needing make in the VM.
	for t in $(sed -n '/^TEST_PROGS :=/,/^$/p' "$here/Makefile" |
		   grep -o 'nfgate_[a-z0-9_]*\.sh'); do
		tests+=("./$t")
	done
fi

# runner.sh wants BASE_DIR/<dir>/ for the tests (TAP names read
# "selftests: nfgate: <test>") and BASE_DIR/kselftest/ for its helpers.
# The repo may be read-only: build that layout from symlinks in /tmp.
# NFGATE_SELFTEST_TIMEOUT=SECONDS replaces the timeout of settings (a slow,
# busy machine).
base=$(mktemp -d /tmp/nfgate-kselftest.XXXXXX)
trap 'rm -rf "$base"' EXIT
ln -s "$ksft/kselftest" "$base/kselftest"
mkdir "$base/nfgate"
for f in "$here"/*; do
	ln -s "$f" "$base/nfgate/${f##*/}"
done
if [ -n "${NFGATE_SELFTEST_TIMEOUT:-}" ]; then
	rm "$base/nfgate/settings"
	echo "timeout=$NFGATE_SELFTEST_TIMEOUT" >"$base/nfgate/settings"
fi
export BASE_DIR=$base
# shellcheck source=/dev/null
. "$ksft/kselftest/runner.sh"
# runner.sh writes test output to $logfile, /dev/stdout, which a bare
# devtmpfs (the VM) does not have: name our stdout another way.
logfile=/proc/self/fd/1
cd "$base/nfgate" || exit 1

log=$base/tap.log
run_many "${tests[@]}" | tee "$log"

pass=$(grep -c -E '^ok [0-9]+ selftests: ' "$log")
skipped=$(grep -c -E '^ok [0-9]+ selftests: .*# SKIP' "$log")
failed=$(grep -c -E '^not ok [0-9]+ selftests: ' "$log")
echo "# nfgate selftests: $((pass - skipped)) passed, $failed failed, $skipped skipped of ${#tests[@]}"
echo "selftests: $((pass - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ $((pass + failed)) -eq ${#tests[@]} ]
