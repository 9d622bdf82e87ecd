# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the workbench's shell tests (sourced, not run).
# Sets ROOT (the repository), T (a scratch directory removed on exit) and
# KTREE (the extracted kernel tree of KVER, scripts/lib.sh: build/linux
# for 6.1) and KVER (the tree's version, the default when none is given).
# ok STATUS NAME prints one TAP line; on failure it shows the last
# TAP_TAIL (default 15) lines of $T/out, the output of the step tested.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
T=$(mktemp -d)
KTREE=$(bash -c '. "$0/scripts/lib.sh" && echo "$WB_KTREE"' "$ROOT") || exit 1
KVER=$(bash -c '. "$0/scripts/lib.sh" && echo "$WB_KVER"' "$ROOT") || exit 1
trap 'rm -rf "$T"' EXIT
n=0 failed=0

ok()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[ -f "$T/out" ] && sed 's/^/# /' "$T/out" | tail -n "${TAP_TAIL:-15}"
	fi
}
