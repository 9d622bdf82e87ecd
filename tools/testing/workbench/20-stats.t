#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Statistics with known inputs: medians, percentiles, ratio intervals, and
# the report (table, summary.json, plot) built from a runs CSV.

import glob
import json
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../.."))
sys.path[:0] = [HERE, os.path.join(ROOT, "scripts")]
import tap  # noqa: E402
import wbstats  # noqa: E402
from tap import test  # noqa: E402


def close(a, b):
    return abs(a - b) < 1e-9


@test
def median_odd_even():
    assert wbstats.median([3, 1, 2]) == 2
    assert wbstats.median([4, 1, 3, 2]) == 2.5
    assert wbstats.median([7]) == 7


@test
def median_of_nothing_is_an_error():
    try:
        wbstats.median([])
    except ValueError:
        return
    raise AssertionError("no error")


@test
def percentiles():
    assert close(wbstats.percentile([1, 2, 3, 4], 50), 2.5)
    assert close(wbstats.percentile([10, 20], 25), 12.5)
    assert wbstats.percentile([5, 1, 9], 0) == 1
    assert wbstats.percentile([5, 1, 9], 100) == 9


@test
def identical_configurations_ratio_one_exactly():
    base = {1: [1.0, 1.2], 2: [0.9, 1.1], 3: [1.3, 1.0]}
    r, lo, hi = wbstats.ratio_ci(base, base)
    assert (r, lo, hi) == (1.0, 1.0, 1.0), (r, lo, hi)


@test
def twice_as_slow_every_round_gives_two_exactly():
    base = {1: [1.0, 1.2, 0.8], 2: [0.9, 1.1, 1.4], 3: [1.3, 1.0, 0.7]}
    cfg = {k: [2 * t for t in v] for k, v in base.items()}
    r, lo, hi = wbstats.ratio_ci(cfg, base)
    assert close(r, 2) and close(lo, 2) and close(hi, 2), (r, lo, hi)


@test
def two_rounds_known_interval():
    # Resamples of rounds {1,1}, {1,2}/{2,1}, {2,2} give ratios 1, 2, 3
    # with probabilities 1/4, 1/2, 1/4: the 95% interval is [1, 3].
    base = {1: [1.0], 2: [1.0]}
    cfg = {1: [1.0], 2: [3.0]}
    r, lo, hi = wbstats.ratio_ci(cfg, base)
    assert (r, lo, hi) == (2.0, 1.0, 3.0), (r, lo, hi)


@test
def interval_is_reproducible_and_brackets_the_ratio():
    base = {i: [1.0 + 0.01 * i, 1.02] for i in range(1, 7)}
    cfg = {i: [1.1 + 0.03 * ((i * 5) % 7), 1.15] for i in range(1, 7)}
    a = wbstats.ratio_ci(cfg, base)
    b = wbstats.ratio_ci(cfg, base)
    assert a == b
    assert a[1] <= a[0] <= a[2] and a[1] < a[2], a


@test
def paired_interval_known_values():
    # Round ratios e^0.1 and e^-0.1: mean log 0, sd 0.1414, se 0.1,
    # t(1) = 12.706, so the interval is [e^-1.2706, e^1.2706].
    base = {1: [1.0], 2: [1.0]}
    cfg = {1: [math.exp(0.1)], 2: [math.exp(-0.1)]}
    g, lo, hi = wbstats.paired_ci(cfg, base)
    assert close(g, 1.0), g
    assert abs(lo - math.exp(-1.2706)) < 1e-9, lo
    assert abs(hi - math.exp(1.2706)) < 1e-9, hi


@test
def paired_interval_constant_ratio_and_too_few_rounds():
    base = {1: [1.0, 3.0], 2: [2.0], 3: [5.0]}
    cfg = {k: [1.5 * t for t in v] for k, v in base.items()}
    g, lo, hi = wbstats.paired_ci(cfg, base)
    assert close(g, 1.5) and close(lo, 1.5) and close(hi, 1.5), (g, lo, hi)
    assert wbstats.paired_ci({1: [1.0]}, {1: [2.0]}) == (None, None, None)


def write_csv(path, rows):
    with open(path, "w") as f:
        f.write("label,config,round,run,seconds\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")


@test
def report_table_summary_and_plot():
    with tempfile.TemporaryDirectory() as d:
        csv = os.path.join(d, "runs.csv")
        rows = []
        for rnd in (1, 2, 3, 4):
            for run, t in enumerate((1.0, 2.0, 3.0), 1):
                rows.append(("slub", "slub", rnd, run, t))
                rows.append(("slab", "slab", rnd, run, 2 * t))
        write_csv(csv, rows)
        p = subprocess.run([sys.executable,
                            os.path.join(ROOT, "scripts", "wbstats.py"),
                            "report", "--csv", csv, "--baseline", "slub",
                            "--outdir", d, "--meta", "accelerator=tcg",
                            "--meta", "hackbench=-g 1"],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        lines = p.stdout.splitlines()
        slab = [ln for ln in lines if ln.startswith("slab ")][0].split()
        assert slab[1:] == ["12", "4.000", "2.000", "6.000", "2.000",
                            "[2.000,", "2.000]", "[2.000,", "2.000]"], slab
        slub = [ln for ln in lines if ln.startswith("slub (base)")][0]
        assert "2.000" in slub and "1.000" in slub, slub
        assert "accelerator: tcg" in p.stdout
        s = json.load(open(os.path.join(d, "summary.json")))
        assert [r["label"] for r in s["rows"]] == ["slub", "slab"]
        assert s["rows"][1]["n"] == 12 and s["rows"][1]["median"] == 4.0
        plot = os.path.join(d, "plot.svg")
        assert ("plot: " + plot) in p.stdout
        svg = ET.parse(plot).getroot()
        dots = svg.findall(".//{http://www.w3.org/2000/svg}circle")
        assert len(dots) == 24, len(dots)


def report(d, *meta):
    csv = os.path.join(d, "runs.csv")
    write_csv(csv, [("slub", "slub", r, 1, 1.0) for r in (1, 2, 3, 4)])
    args = [sys.executable, os.path.join(ROOT, "scripts", "wbstats.py"),
            "report", "--csv", csv, "--baseline", "slub", "--outdir", d]
    for m in meta:
        args += ["--meta", m]
    p = subprocess.run(args, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


@test
def report_names_the_clock_and_what_icount_measures():
    with tempfile.TemporaryDirectory() as d:
        out = report(d, "accelerator=tcg", "time=executed instructions",
                     "clock=icount shift=0 (no KVM: /dev/kvm absent)")
        head = out.splitlines()[:2]
        assert head == ["clock:       icount shift=0 (no KVM: /dev/kvm "
                        "absent)", "time:        executed instructions"], out
        assert "guest instructions executed" in out, out
        assert "contention" in out, out
        svg = open(os.path.join(d, "plot.svg")).read()
        assert "icount clock" in svg, svg[:400]
        out = report(d, "clock=wall (host time)", "accelerator=tcg")
        assert "clock:       wall" in out, out
        assert "guest instructions executed" not in out, out


@test
def report_unknown_baseline_fails():
    with tempfile.TemporaryDirectory() as d:
        csv = os.path.join(d, "runs.csv")
        write_csv(csv, [("slub", "slub", 1, 1, 1.0)])
        p = subprocess.run([sys.executable,
                            os.path.join(ROOT, "scripts", "wbstats.py"),
                            "report", "--csv", csv, "--baseline", "slab",
                            "--outdir", d], capture_output=True, text=True)
        assert p.returncode != 0 and "baseline" in p.stderr, p.stderr


# ------------------------------------------- atomics plugin and slab memory

PLUGIN_LINE = ("PLUGIN-ATOMICS window=%s insns_kernel=%d insns_user=5 "
               "locked=%d xchg_mem=%d cmpxchg16b_locked=%d "
               "cmpxchg16b_unlocked=%d cmpxchg8b_locked=0 "
               "cmpxchg8b_unlocked=0 user_locked=1 user_xchg_mem=0 "
               "user_cmpxchg16b_locked=0 user_cmpxchg16b_unlocked=0 "
               "user_cmpxchg8b_locked=0 user_cmpxchg8b_unlocked=0\n")


@test
def plugin_windows_parsed_and_missing_ones_named():
    text = (PLUGIN_LINE % ("2", 20, 4, 1, 2, 3) +
            PLUGIN_LINE % ("1", 10, 2, 1, 1, 1) +
            PLUGIN_LINE % ("total", 99, 9, 9, 9, 9))
    a = wbstats.parse_atomics(text, 2)
    assert sorted(a) == [1, 2], a
    assert a[1]["insns_kernel"] == 10 and a[2]["locked"] == 4, a
    assert a[2]["cmpxchg16b_unlocked"] == 3 and a[1]["user_locked"] == 1
    try:
        wbstats.parse_atomics(text, 3)
    except wbstats.LogError as e:
        assert "run(s) 3" in str(e), e
    else:
        raise AssertionError("window 3 missing, no error")


@test
def mem_lines_parsed_from_the_console():
    log = open(os.path.join(HERE, "logs", "good.log")).read()
    log = log.replace("HB run=1 seconds=",
                      "WB-MEM when=boot slab_kb=100 sunreclaim_kb=80 "
                      "slab_pages=na\nHB run=1 seconds=", 1)
    log = log.replace("\nHB run=2 ", "\nWB-MEM when=run1 slab_kb=200 "
                      "sunreclaim_kb=150 slab_pages=49\nHB run=2 ", 1)
    res = wbstats.parse_log(log)
    assert res["mem"]["boot"] == {"slab_kb": 100, "sunreclaim_kb": 80,
                                  "slab_pages": None}, res["mem"]
    assert res["mem"]["run1"]["slab_pages"] == 49, res["mem"]
    x = wbstats.run_extras(res, 1)
    assert x["slab_kb"] == 200 and x["insns_kernel"] == "", x
    assert wbstats.run_extras(res, 2)["slab_kb"] == "", res["mem"]


@test
def check_log_with_plugin_output_and_without():
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(HERE, "logs", "good.log")
        runs = len(wbstats.parse_log(open(log).read())["runs"])
        at = os.path.join(d, "a")
        with open(at, "w") as f:
            for i in range(1, runs + 1):
                f.write(PLUGIN_LINE % (i, 1000 * i, i, 0, 0, 0))
        out = os.path.join(d, "r.json")
        cmd = [sys.executable, os.path.join(ROOT, "scripts", "wbstats.py"),
               "check-log", log, "--json", out, "--atomics", at]
        p = subprocess.run(cmd, capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
        res = json.load(open(out))
        assert res["atomics"][str(runs)]["insns_kernel"] == 1000 * runs
        csvf = os.path.join(d, "runs.csv")
        subprocess.run([sys.executable,
                        os.path.join(ROOT, "scripts", "wbstats.py"),
                        "append", "--csv", csvf, "--label", "x",
                        "--config", "x", "--round", "1", out], check=True)
        data = wbstats.load_runs(csvf)
        assert data["x"]["extra"]["insns_kernel"][0] == 1000, data
        # No plugin output: the result stands, and says why.
        os.unlink(at)
        p = subprocess.run(cmd, capture_output=True, text=True)
        assert p.returncode == 0, p.stdout
        res = json.load(open(out))
        assert "atomics" not in res and "atomics_off" in res, res


@test
def hackbench_messages_from_its_arguments():
    assert wbstats.hb_messages("-g 10 -l 100") == 10 * 20 * 20 * 100
    assert wbstats.hb_messages("-g 2 -l 20 -f 10") == 2 * 10 * 10 * 20
    assert wbstats.hb_messages("--groups=3 --loops 5 -T") == 3 * 400 * 5
    assert wbstats.hb_messages("-s 100") is None


def write_extra_csv(path, rows):
    cols = ["label", "config", "round", "run", "seconds"] + \
        wbstats.EXTRA_COLS
    with open(path, "w") as f:
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")


@test
def report_per_run_atomics_and_memory_with_ratios():
    with tempfile.TemporaryDirectory() as d:
        csvf = os.path.join(d, "runs.csv")
        rows = []
        for rnd in (1, 2):
            for run, k in enumerate((1, 2, 3), 1):
                # base: 10M kernel insns x k, 4000 locked + 1000 xchg x k;
                # other: 8M, half the atomics, 1.5 x the slab memory.
                rows.append(("slub", "slub", rnd, run, 1.0,
                             10000000 * k, 5, 4000 * k, 1000 * k, 300, 700,
                             1000 * k, 800, 250, 600))
                rows.append(("slub_ll", "slub_ll", rnd, run, 1.0,
                             8000000 * k, 5, 2000 * k, 500 * k, 900, 0,
                             1500 * k, 1200, 375, 650))
        write_extra_csv(csvf, rows)
        p = subprocess.run([sys.executable,
                            os.path.join(ROOT, "scripts", "wbstats.py"),
                            "report", "--csv", csvf, "--baseline", "slub",
                            "--outdir", d, "--meta", "hackbench=-g 1 -l 10",
                            "--meta", "atomics=on (test)"],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        t = p.stdout.split("Minsn_k  ")[1].splitlines()
        base = [ln for ln in t if ln.startswith("slub (base)")][0].split()
        ll = [ln for ln in t if ln.startswith("slub_ll")][0].split()
        # medians over the 6 runs: k = 2; messages 1 x 20 x 20 x 10.
        assert base[2:] == ["20.000", "1.000", "10000", "1.000", "2.500",
                            "1000", "600", "2000", "1.000", "800", "250"], base
        assert ll[1:] == ["16.000", "0.800", "5000", "0.500", "1.250",
                          "900", "650", "3000", "1.500", "1200", "375"], ll
        assert "atomics / 4000 messages" in p.stdout, p.stdout
        s = json.load(open(os.path.join(d, "summary.json")))
        assert s["extra"]["slub_ll"]["atomics_ratio"] == 0.5, s["extra"]


@test
def report_says_atomics_off_and_why_and_still_shows_memory():
    with tempfile.TemporaryDirectory() as d:
        csvf = os.path.join(d, "runs.csv")
        rows = [("slub", "slub", r, 1, 1.0, "", "", "", "", "", "", 2048,
                 1024, "", "") for r in (1, 2)]
        write_extra_csv(csvf, rows)
        p = subprocess.run([sys.executable,
                            os.path.join(ROOT, "scripts", "wbstats.py"),
                            "report", "--csv", csvf, "--baseline", "slub",
                            "--outdir", d, "--meta",
                            "atomics=off (no glib headers)"],
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert "\natomics: off (no glib headers)\n" in p.stdout, p.stdout
        assert "Minsn_k" not in p.stdout, p.stdout
        ln = [x for x in p.stdout.split("slab_pages\n")[1].splitlines()
              if x.startswith("slub")][0].split()
        assert ln[2:] == ["n/a", "2048", "1.000", "1024", "n/a"], ln
        # An old runs.csv without the columns: no second table at all.
        write_csv(csvf, [("slub", "slub", 1, 1, 1.0)])
        out = report(d)
        assert "slab_kB" not in out and "atomics: off" in out, out


@test
def report_counts_atomics_per_operation_of_the_workload():
    with tempfile.TemporaryDirectory() as d:
        csvf = os.path.join(d, "runs.csv")
        rows = [("slub", "slub", r, 1, 1.0, 10000000, 5, 3000, 1000, 0, 0,
                 2048, 1024, 300, 1500) for r in (1, 2)]
        write_extra_csv(csvf, rows)
        for meta, per, what in (
                ("forkexec: forkexec -n 500 -w 2", "8.000",
                 "atomics / 500 fork+exec a run (forkexec -n 500 -w 2)"),
                ("caches: cachesload -w 2", "1.000",
                 "atomics / 4000 iterations a run (cachesload -w 2)"),
                ("hackbench-pipe: hackbench -g 1 -l 10 -p", "1.000",
                 "atomics / 4000 messages a run (hackbench -g 1 -l 10 -p)"),
                ("forkexec: forkexec -n lots", "n/a",
                 "atomics / ? fork+exec a run")):
            p = subprocess.run([sys.executable,
                                os.path.join(ROOT, "scripts", "wbstats.py"),
                                "report", "--csv", csvf, "--baseline",
                                "slub", "--outdir", d, "--meta",
                                "workload=" + meta,
                                "--meta", "atomics=on (test)"],
                               capture_output=True, text=True)
            assert p.returncode == 0, p.stderr
            ln = [x for x in p.stdout.split("Minsn_k  ")[1].splitlines()
                  if x.startswith("slub (base)")][0].split()
            assert ln[6] == per, (meta, ln)
            assert what in p.stdout, p.stdout
            assert meta.split(":")[0] + " (" in \
                open(os.path.join(d, "plot.svg")).read(), meta


@test
def report_shows_allocator_statistics_per_1000_allocations():
    with tempfile.TemporaryDirectory() as d:
        csvf = os.path.join(d, "runs.csv")
        write_csv(csvf, [("slub", "slub", r, 1, 1.0) for r in (1, 2, 3)] +
                  [("slub_ll", "slub_ll", r, 1, 1.0) for r in (1, 2, 3)])
        for r, k in ((1, 1), (2, 2), (3, 3)):
            for label, st in (
                    ("slub", {"alloc_fastpath": 9000, "alloc_slowpath": 1000,
                              "sheaf_refill": 500 * k, "free_slowpath": 0}),
                    ("slub_ll", {"alloc_fastpath": 1500, "alloc_slowpath": 500,
                                 "free_slowpath": 1000, "list_lock": 10 * k})):
                with open(os.path.join(d, "r%d-%s.log.json" % (r, label)),
                          "w") as f:
                    json.dump({"slabstats": st, "slabstats_present": True}, f)

        def run():
            p = subprocess.run([sys.executable,
                                os.path.join(ROOT, "scripts", "wbstats.py"),
                                "report", "--csv", csvf, "--baseline", "slub",
                                "--outdir", d], capture_output=True, text=True)
            assert p.returncode == 0, p.stderr
            return p.stdout
        out = run()
        t = out.split("allocator statistics")[1].splitlines()
        hdr = [ln for ln in t if ln.startswith("configuration")][0].split()
        assert hdr == ["configuration", "boots", "a_slow", "f_slow",
                       "listlk", "sh_refill"], hdr
        base = [ln for ln in t if ln.startswith("slub ")][0].split()
        ll = [ln for ln in t if ln.startswith("slub_ll ")][0].split()
        # slub: 10000 allocations, refills 500/1000/1500 -> median 100;
        # slub_ll: 2000 allocations, list_lock 10/20/30 -> median 10.
        assert base[1:] == ["3", "100.0", "0.0", "n/a", "100.0"], base
        assert ll[1:] == ["3", "250.0", "500.0", "10.0", "n/a"], ll
        # No statistics in any boot: no third table.
        for f in glob.glob(os.path.join(d, "*.json")):
            os.remove(f)
        assert "allocator statistics" not in run()


tap.run()
