#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# The console-log parser: clean results parse, every kind of failure is a
# failure with a reason and never a number.

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../.."))
sys.path[:0] = [HERE, os.path.join(ROOT, "scripts")]
import tap  # noqa: E402
import wbstats  # noqa: E402
from tap import test  # noqa: E402


def log(name):
    with open(os.path.join(HERE, "logs", name)) as f:
        return f.read()


def fails(name, want, **kw):
    try:
        res = wbstats.parse_log(log(name), **kw)
    except wbstats.LogError as e:
        assert want in str(e), "reason %r lacks %r" % (str(e), want)
        return
    raise AssertionError("%s parsed as a result: %r" % (name, res))


@test
def good_log_with_cr_and_kernel_noise():
    r = wbstats.parse_log(log("good.log"), runs=3)
    assert r["runs"] == [4.570, 3.653, 4.739], r["runs"]
    assert r["kernel"] == "6.1.192" and r["cpus"] == 2
    assert r["slabstats"] == {"alloc_fastpath": 78293,
                              "free_slowpath": 72368}, r["slabstats"]
    assert r["slabstats_present"]


@test
def runs_count_from_end_marker_when_not_given():
    assert wbstats.parse_log(log("good.log"))["runs"] == [4.57, 3.653, 4.739]


@test
def slab_without_sysfs_statistics():
    r = wbstats.parse_log(log("slab.log"), runs=2)
    assert r["runs"] == [0.5, 0.25] and not r["slabstats_present"]


@test
def panic_before_init():
    fails("panic.log", "kernel panic")


@test
def panic_after_some_runs():
    fails("panic-late.log", "kernel", runs=2)


@test
def missing_run():
    fails("short.log", "expected runs 1..3", runs=3)


@test
def wrong_run_count_asked():
    fails("good.log", "expected runs 1..5", runs=5)


@test
def hackbench_error():
    fails("hberror.log", "the workload failed", runs=2)


@test
def no_end_marker():
    fails("noend.log", "no end marker", runs=2)


@test
def never_reached_init():
    fails("noinit.log", "never reached /init", runs=2)


@test
def silent_guest():
    fails("silent.log", "no console output at all", runs=1)


@test
def probe_needs_only_the_start_marker():
    assert wbstats.parse_log(log("noend.log"), probe=True)["kernel"]
    fails("noinit.log", "never reached /init", probe=True)


@test
def icount_guest_that_finishes_is_parsed_with_its_clock():
    r = wbstats.parse_log(log("icount.log"), runs=1)
    assert r["runs"] == [0.780], r["runs"]
    assert r["cpus"] == 2, r["cpus"]
    assert r["clock"] == "icount shift=0", r["clock"]
    assert not r["slabstats_present"]
    assert wbstats.parse_log(log("good.log"), runs=3)["clock"] == "wall"


@test
def cpscale_asked_must_be_done_by_the_guest():
    good = log("good.log")
    cmd = "# cmdline: console=ttyS0 hb.runs=3 hb.cpscale=2\n"
    ok_line = "WB-CPSCALE n=2 caches=90\n"
    r = wbstats.parse_log(cmd + ok_line + good, runs=3)
    assert r["runs"] == [4.57, 3.653, 4.739], r["runs"]
    for bad, why in ((cmd + good, "no WB-CPSCALE"),
                     (cmd + "WB-CPSCALE n=2 caches=0\n" + good, "caches=0"),
                     (cmd + "WB-CPSCALE-ERROR hb.cpscale=2: no\n" + good,
                      "WB-CPSCALE-ERROR")):
        try:
            wbstats.parse_log(bad, runs=3)
        except wbstats.LogError as e:
            assert "hb.cpscale=2 asked for" in str(e) and why in str(e), e
        else:
            raise AssertionError("accepted: " + why)
    # no hb.cpscale on the command line: the line is not needed
    assert wbstats.parse_log(good, runs=3)["runs"] == [4.57, 3.653, 4.739]


@test
def check_log_cli_writes_json_only_on_success():
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.json")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts",
                            "wbstats.py"), "check-log", "--runs", "3",
                            "--json", out, os.path.join(HERE, "logs",
                                                        "good.log")],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
        assert json.load(open(out))["runs"] == [4.57, 3.653, 4.739]
        out2 = os.path.join(d, "p.json")
        p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts",
                            "wbstats.py"), "check-log", "--runs", "2",
                            "--json", out2, os.path.join(HERE, "logs",
                                                         "panic.log")],
                           capture_output=True, text=True)
        assert p.returncode == 1 and "kernel panic" in p.stdout, p.stdout
        assert not os.path.exists(out2)


tap.run()
