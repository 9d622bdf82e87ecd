#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Statistics with known inputs: medians, percentiles, ratio intervals, and
# the report (table, summary.json, plot) built from a runs CSV.

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


tap.run()
