#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end smoke: prepare the tree with patches/, build the SLUB kernel,
# boot it for one short hackbench run and read its allocator statistics;
# the same on the instruction-count clock with two vCPUs; then the guest
# failures: a panic, a hang (watchdog) and a guest with too
# little memory, each reported with its console tail and no number.

TAP_TAIL=25
. "$(dirname "$0")/tap.sh"
boot()
{
	"$ROOT/scripts/boot.sh" -a "$ACCEL" -k "$kernel" -i "$initrd" \
		-H "-g 2 -l 20" -r 1 -w 0 "$@" >"$T/out" 2>&1
}

echo "1..11"
ACCEL=${ACCEL:-tcg}
[ "$ACCEL" = auto ] && ACCEL=tcg

"$ROOT/scripts/prepare.sh" >"$T/out" 2>&1
ok $? "prepare: kernel tree with patches/series"

kernel=$("$ROOT/scripts/build.sh" base slub 2>"$T/out")
ok $? "build: base + slub kernel"

start=$(date +%s)
again=$("$ROOT/scripts/build.sh" base slub 2>"$T/out")
[ $? -eq 0 ] && [ "$again" = "$kernel" ] && grep -q "up to date" "$T/out" &&
	[ $(($(date +%s) - start)) -lt 60 ]
ok $? "build: an unchanged tree and configuration rebuild nothing"

initrd=$("$ROOT/scripts/initramfs.sh" 2>"$T/out")
ok $? "initramfs: busybox, hackbench and its libraries"

boot -l "$T/smoke.log" -x "hb.slabinfo=1"
rc=$?
[ $rc -eq 0 ] && python3 - "$T/smoke.log.json" "$T/smoke.log" >>"$T/out" 2>&1 <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
assert len(r["runs"]) == 1 and r["runs"][0] > 0, r["runs"]
assert r["cpus"] == 2, r["cpus"]
s = r["slabstats"]
assert r["slabstats_present"], "no statistics"
assert s.get("alloc_fastpath", 0) > 0 and s.get("free_fastpath", 0) > 0, s
# hb.slabinfo=1: a line per cache with slabs, pages from /proc/slabinfo
info = re.findall(r"^WB-SLABINFO cache=(\S+) active=\d+ objs=\d+ size=\d+ "
                  r"pages=(\d+)\r?$", open(sys.argv[2], errors="replace").read(),
                  re.M)
assert len(info) > 10 and all(int(p) > 0 for _, p in info), info[:5]
assert "kmalloc-64" in dict(info), "no kmalloc-64 line"
PY
ok $? "boot: one hackbench run, SLUB statistics from sysfs, slabinfo lines"

# The other workloads' programs, a short run each with the iterations
# asked for, timed and parsed.
fails=
for p in forkexec cachesload; do
	boot -W $p -H "-n 40 -w 2" -l "$T/$p.log" &&
		grep -q "^WB-HB prog=$p args=-n,40,-w,2 " "$T/$p.log" &&
		grep -q "^$(echo $p | tr a-z A-Z) iterations=40 workers=2 " \
			"$T/$p.log" || fails="$fails $p"
done
[ -z "$fails" ] || echo "failed:$fails" >>"$T/out"
[ -z "$fails" ]
ok $? "boot: the forkexec and cachesload workloads run and are parsed"

CLOCK=icount "$ROOT/scripts/deps.sh" >"$T/out" 2>&1
ok $? "deps: the icount QEMU (bookworm-backports, unpacked under build/)"

# Two vCPUs: QEMU 7.2 hangs such a guest at SMP bring-up under icount.
boot -a tcg -C icount -n 2 -l "$T/icount.log"
rc=$?
[ $rc -eq 0 ] && grep -q -- "-icount shift=" "$T/icount.log" &&
	python3 - "$T/icount.log.json" >>"$T/out" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["runs"]) == 1 and r["runs"][0] > 0, r["runs"]
assert r["cpus"] == 2, r["cpus"]
assert r["slabstats"].get("alloc_fastpath", 0) > 0, r["slabstats"]
PY
ok $? "icount: a 2-vCPU guest runs hackbench, powers off and is parsed"

boot -l "$T/panic.log" -x "rdinit=/nonexistent"
[ $? -eq 1 ] && grep -q "FAILED: kernel panic" "$T/out" &&
	grep -q "last console lines" "$T/out" && ! grep -q "^HB run" "$T/out" &&
	[ ! -e "$T/panic.log.json" ]
ok $? "a guest that panics is a failure with its console tail"

# A run far too long for the watchdog: the guest is killed mid-run.
boot -l "$T/hang.log" -t 5 -H "-g 10 -l 1000000"
[ $? -eq 1 ] && grep -q "FAILED: watchdog" "$T/out" &&
	[ ! -e "$T/hang.log.json" ]
ok $? "a guest that does not finish in time is killed and reported"

CONFIGS=slub BASELINE=slub ROUNDS=1 RUNS=1 WARMUP=0 HB="-g 2 -l 20" \
	MEM=24M ACCEL=$ACCEL CLOCK=wall RESULTS="$T/results" \
	"$ROOT/scripts/bench.sh" >"$T/out" 2>&1
[ $? -ne 0 ] && grep -q "FAILED" "$T/out" && grep -q "^| " "$T/out" &&
	grep -q "configuration slub failed in round 1; no result" "$T/out" &&
	! grep -q "median" "$T/out"
ok $? "bench with MEM=24M reports a failed guest, not a number"

[ $failed -eq 0 ]
