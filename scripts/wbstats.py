#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""wbstats.py - parse bench guest consoles, collect runs, report statistics.

Subcommands:
  check-log LOG --runs N [--probe] [--json OUT] [--atomics FILE]
      Check one guest console log; print the reason and exit 1 if it is not a
      complete, clean result.  Write the parsed result as JSON, with the
      atomics plugin's counts of each measured run from FILE if given.
  append --csv FILE --label L --config C --round R RESULT.json
      Append the runs of one boot to the runs CSV.
  report --csv FILE --baseline LABEL --outdir DIR [--meta K=V ...]
      Print the comparison table; write summary.json and plot.svg in DIR.

Python standard library only.
"""

import argparse
import csv
import glob
import json
import math
import os
import random
import re
import sys


def load_reports(path):
    """The kernel's reports and the lines that never are one, as
    scripts/lib/console-reports lists them (shared with the shell
    scripts): two compiled regular expressions."""
    kinds = {"report": [], "except": []}
    with open(path) as f:
        for ln in f:
            kind, _, ere = ln.rstrip("\n").partition(" ")
            if kind in kinds:
                kinds[kind].append(ere)
    return (re.compile("|".join(kinds["report"])),
            re.compile("|".join(kinds["except"])))


REPORT_RE, REPORT_EXCEPT = load_reports(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "lib", "console-reports"))

# What else makes a bench console no result.
FAIL_PATTERNS = [
    (re.compile(r"Out of memory|oom-kill"), "out of memory"),
    (re.compile(r"Unable to open an initial console|No working init found"),
     "init failed"),
]

HB_RE = re.compile(r"^HB run=(\d+) seconds=([0-9]+(?:\.[0-9]+)?)\s*$")
STAT_RE = re.compile(r"^SLABSTAT stat=(\S+) total=(\d+) caches=(\d+)\s*$")
UP_RE = re.compile(r"^WB-GUEST-UP kernel=(\S*) cpus=(\d+)")
DONE_RE = re.compile(r"^WB-GUEST-DONE runs=(\d+) errors=(\d+)")
MEM_RE = re.compile(r"^WB-MEM when=(\S+) slab_kb=(\d+) sunreclaim_kb=(\d+) "
                    r"slab_pages=(\d+|na)\s*$")
# The atomics plugin's lines (tools/qemu-plugin/atomics.c).
PLUGIN_RE = re.compile(r"^PLUGIN-ATOMICS window=(\S+)((?: \w+=\d+)+)\s*$")
# boot.sh's header line: the QEMU command's clock options.
QEMU_RE = re.compile(r"^# qemu: ")
ICOUNT_RE = re.compile(r"\s-icount\s+shift=(\d+)")


# hb.cpscale=N on the kernel command line, and the guest's answer to it.
CPSCALE_ASK_RE = re.compile(r"^# cmdline: .*\bhb\.cpscale=(\S+)")
CPSCALE_RE = re.compile(r"^WB-CPSCALE n=(\d+) caches=(\d+)\s*$")


class LogError(Exception):
    pass


def parse_log(text, runs=None, probe=False):
    """Parse a console log.  Raises LogError with a reason when the log is
    not a complete clean result (panic, missing runs, no end marker...)."""
    # Serial consoles may add \r; kernel messages may interleave.
    lines = [ln.rstrip("\r") for ln in text.splitlines()]
    res = {"kernel": None, "cpus": None, "runs": [], "slabstats": {},
           "slabstats_present": False, "errors": [], "clock": None,
           "mem": {}}
    done = None
    cpscale_ask = cpscale = None
    for ln in lines:
        m = CPSCALE_ASK_RE.search(ln)
        if m and cpscale_ask is None:
            cpscale_ask = m.group(1)
        if ln.startswith("WB-CPSCALE"):
            cpscale = ln.strip()
        if QEMU_RE.match(ln):
            m = ICOUNT_RE.search(ln)
            res["clock"] = "icount shift=%s" % m.group(1) if m else "wall"
            continue
        if REPORT_RE.search(ln) and not REPORT_EXCEPT.search(ln):
            raise LogError("%s: %s" % ("kernel panic" if "Kernel panic" in ln
                                       else "kernel report", ln.strip()))
        for pat, what in FAIL_PATTERNS:
            if pat.search(ln):
                raise LogError("%s: %s" % (what, ln.strip()))
        m = UP_RE.match(ln)
        if m:
            res["kernel"], res["cpus"] = m.group(1), int(m.group(2))
            continue
        m = HB_RE.match(ln)
        if m:
            res["runs"].append((int(m.group(1)), float(m.group(2))))
            continue
        if ln.startswith("HB-ERROR"):
            res["errors"].append(ln.strip())
            continue
        m = STAT_RE.match(ln)
        if m:
            res["slabstats"][m.group(1)] = int(m.group(2))
            res["slabstats_present"] = True
            continue
        m = MEM_RE.match(ln)
        if m:
            res["mem"][m.group(1)] = {
                "slab_kb": int(m.group(2)), "sunreclaim_kb": int(m.group(3)),
                "slab_pages": (None if m.group(4) == "na"
                               else int(m.group(4)))}
            continue
        m = DONE_RE.match(ln)
        if m:
            done = (int(m.group(1)), int(m.group(2)))
    if res["kernel"] is None:
        if not [ln for ln in lines if ln.strip() and not ln.startswith("#")]:
            raise LogError("no console output at all: the kernel did not "
                           "start (too little memory?)")
        raise LogError("the guest never reached /init (no start marker)")
    if probe:
        return res
    # a configuration that scales cpu_partial (hb.cpscale) measured with
    # the lists as they were would be a mislabelled number
    if cpscale_ask is not None:
        m = CPSCALE_RE.match(cpscale or "")
        if not m or m.group(1) != cpscale_ask or int(m.group(2)) == 0:
            raise LogError("hb.cpscale=%s asked for, but the guest said: %s"
                           % (cpscale_ask, cpscale or "nothing (no WB-CPSCALE"
                              " line)"))
    if res["errors"]:
        raise LogError("the workload failed in the guest: " + res["errors"][0])
    if done is None:
        raise LogError("no end marker: the guest stopped before finishing")
    want = runs if runs is not None else done[0]
    got = [r for r, _ in res["runs"]]
    if got != list(range(1, want + 1)):
        raise LogError("expected runs 1..%d, got %s" % (want, got))
    res["runs"] = [t for _, t in res["runs"]]
    return res


def parse_atomics(text, runs):
    """The plugin's output: {run: {counter: value}} for windows 1..runs.
    Raises LogError when a window is missing."""
    wins = {}
    for ln in text.splitlines():
        m = PLUGIN_RE.match(ln.strip())
        if m:
            wins[m.group(1)] = {k: int(v) for k, v in
                                (kv.split("=") for kv in m.group(2).split())}
    missing = [i for i in range(1, runs + 1) if str(i) not in wins]
    if missing:
        raise LogError("the atomics plugin reported no window for run(s) %s"
                       % ",".join(map(str, missing)))
    return {i: wins[str(i)] for i in range(1, runs + 1)}


# The per-run measures beyond the time that runs.csv carries: the plugin's
# (kernel mode), the slab memory after the run and after the boot the run
# belongs to.  Empty where absent.
EXTRA_COLS = ["insns_kernel", "insns_user", "locked", "xchg_mem",
              "cmpxchg16b_locked", "cmpxchg16b_unlocked", "slab_kb",
              "sunreclaim_kb", "slab_pages", "boot_slab_kb"]


def run_extras(res, i):
    """The EXTRA_COLS of measured run i (1-based) of a parsed result."""
    out = {}
    a = (res.get("atomics") or {}).get(str(i)) or \
        (res.get("atomics") or {}).get(i) or {}
    m = res.get("mem", {}).get("run%d" % i) or {}
    b = res.get("mem", {}).get("boot") or {}
    for c in EXTRA_COLS:
        v = a.get(c, m.get(c))
        if c == "boot_slab_kb":
            v = b.get("slab_kb")
        out[c] = "" if v is None else v
    return out


# ---------------------------------------------------------------- statistics

def median(xs):
    s = sorted(xs)
    n = len(s)
    if n == 0:
        raise ValueError("median of nothing")
    h = n // 2
    return s[h] if n % 2 else (s[h - 1] + s[h]) / 2.0


def percentile(xs, p):
    """Linear interpolation between closest ranks, p in [0, 100]."""
    s = sorted(xs)
    if not s:
        raise ValueError("percentile of nothing")
    pos = (len(s) - 1) * p / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def ratio_ci(cfg, base, iters=2000, seed=1, level=95.0):
    """Ratio of medians cfg/base with a bootstrap interval over rounds.

    cfg and base map round -> list of run times.  Rounds are resampled
    with replacement, the same rounds for both (they ran side by side), and
    the ratio of the pooled medians is recomputed each time.  Returns
    (ratio, lo, hi)."""
    rounds = sorted(set(cfg) & set(base))
    if not rounds:
        raise ValueError("no common rounds")
    point = (median([t for r in rounds for t in cfg[r]]) /
             median([t for r in rounds for t in base[r]]))
    rng = random.Random(seed)
    ratios = []
    for _ in range(iters):
        pick = [rng.choice(rounds) for _ in rounds]
        c = [t for r in pick for t in cfg[r]]
        b = [t for r in pick for t in base[r]]
        ratios.append(median(c) / median(b))
    tail = (100.0 - level) / 2.0
    return point, percentile(ratios, tail), percentile(ratios, 100.0 - tail)


# Two-sided 95% quantiles of Student's t, by degrees of freedom.
T975 = [None, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
        2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
        2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042]


def paired_ci(cfg, base):
    """Paired per round: the log of each round's ratio of medians, their
    mean and a 95% Student t interval, returned as ratios (geometric mean,
    lo, hi).  (None, None, None) with fewer than two common rounds."""
    rounds = sorted(set(cfg) & set(base))
    if len(rounds) < 2:
        return None, None, None
    lr = [math.log(median(cfg[r]) / median(base[r])) for r in rounds]
    n = len(lr)
    m = sum(lr) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in lr) / (n - 1))
    t = T975[n - 1] if n - 1 < len(T975) else 1.960
    half = t * sd / math.sqrt(n)
    return math.exp(m), math.exp(m - half), math.exp(m + half)


def load_runs(path):
    """runs.csv -> ordered {label: {"config": c, "rounds": {r: [t...]},
    "extra": {column: [value...]}}} (extra: the EXTRA_COLS present)."""
    data = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            d = data.setdefault(row["label"], {"config": row["config"],
                                               "rounds": {}, "extra": {}})
            d["rounds"].setdefault(int(row["round"]), []).append(
                float(row["seconds"]))
            for c in EXTRA_COLS:
                if row.get(c) not in (None, ""):
                    d["extra"].setdefault(c, []).append(float(row[c]))
    return data


def summarize(data, baseline, **kw):
    if baseline not in data:
        raise ValueError("baseline %r not among %s" % (baseline, list(data)))
    out = []
    for label, d in data.items():
        ts = [t for r in sorted(d["rounds"]) for t in d["rounds"][r]]
        row = {"label": label, "config": d["config"], "n": len(ts),
               "rounds": len(d["rounds"]), "median": median(ts),
               "min": min(ts), "max": max(ts)}
        row["ratio"], row["ci_lo"], row["ci_hi"] = ratio_ci(
            d["rounds"], data[baseline]["rounds"], **kw)
        row["paired"], row["pt_lo"], row["pt_hi"] = paired_ci(
            d["rounds"], data[baseline]["rounds"])
        out.append(row)
    return out


def format_table(rows, baseline):
    hdr = "%-18s %4s %8s %8s %8s %7s  %-16s  %-16s" % (
        "configuration", "n", "median/s", "min/s", "max/s",
        "ratio", "95% CI bootstrap", "95% CI paired-t")
    lines = [hdr, "-" * len(hdr)]
    for r in rows:
        name = r["label"] + (" (base)" if r["label"] == baseline else "")
        pt = ("[%.3f, %.3f]" % (r["pt_lo"], r["pt_hi"])
              if r["pt_lo"] is not None else "n/a")
        lines.append("%-18s %4d %8.3f %8.3f %8.3f %7.3f  %-16s  %-16s" % (
            name, r["n"], r["median"], r["min"], r["max"], r["ratio"],
            "[%.3f, %.3f]" % (r["ci_lo"], r["ci_hi"]), pt))
    return "\n".join(lines)


def hb_messages(args):
    """Messages one hackbench run sends: groups x senders x receivers x
    loops (rt-tests' hackbench: -g groups, default 10; -f fds, senders
    and receivers per group, default 20; -l loops, default 100).  None
    when the arguments are not understood."""
    v = {"g": 10, "f": 20, "l": 100}
    long_ = {"--groups": "g", "--fds": "f", "--loops": "l"}
    w = args.split()
    i = 0
    while i < len(w):
        o = w[i]
        key = long_.get(o.split("=")[0]) or (
            o[1] if len(o) >= 2 and o[0] == "-" and o[1] in "gfl" else None)
        if key is None:
            if o in ("-p", "--pipe", "-T", "--threads", "-P", "--process"):
                i += 1
                continue
            return None
        val = (o.split("=", 1)[1] if "=" in o else
               o[2:] if not o.startswith("--") and len(o) > 2 else None)
        if val is None:
            i += 1
            if i >= len(w):
                return None
            val = w[i]
        try:
            v[key] = int(val)
        except ValueError:
            return None
        i += 1
    return v["g"] * v["f"] * v["f"] * v["l"]


def workload_of(meta):
    """(name, program, arguments) of the bench's workload from its meta:
    "workload=NAME: PROG ARGS", or the older "hackbench=ARGS"."""
    w = meta.get("workload")
    if w is None:
        return ("hackbench", "hackbench",
                meta.get("hackbench", "-g 10 -l 100"))
    name, _, cmd = w.partition(":")
    prog, _, args = cmd.strip().partition(" ")
    return (name.strip(), prog, args.strip())


def opt_n(args):
    """The -n ITERATIONS of forkexec or cachesload, or None."""
    w = args.split()
    for i, o in enumerate(w):
        try:
            if o == "-n" and i + 1 < len(w):
                return int(w[i + 1])
            if o.startswith("-n") and len(o) > 2:
                return int(o[2:])
        except ValueError:
            return None
    return None


def ops_per_run(meta):
    """(operations one run does, their unit) for the per-operation
    columns: hackbench's messages, forkexec's fork+exec iterations,
    cachesload's iterations (its defaults when -n is not given); None
    for the count when the arguments are not understood."""
    name, prog, args = workload_of(meta)
    if prog == "hackbench":
        return hb_messages(args), "messages"
    if prog == "forkexec":
        n = opt_n(args)
        return (1000 if n is None and "-n" not in args else n), "fork+exec"
    if prog == "cachesload":
        n = opt_n(args)
        return (4000 if n is None and "-n" not in args else n), "iterations"
    return None, "operations"


def summarize_extra(data, baseline):
    """Per label the medians over its measured runs of the plugin's and
    the memory measures, with ratios to the baseline's: a dict per label
    (absent measures are None)."""
    def med(label, cols):
        x = data[label]["extra"]
        if not all(c in x for c in cols):
            return None
        n = min(len(x[c]) for c in cols)
        return median([sum(x[c][i] for c in cols) for i in range(n)])

    measures = {"insns": ["insns_kernel"],
                "atomics": ["locked", "xchg_mem"],
                "cx16": ["cmpxchg16b_locked", "cmpxchg16b_unlocked"],
                "cx16_locked": ["cmpxchg16b_locked"],
                "slab_kb": ["slab_kb"], "sunreclaim_kb": ["sunreclaim_kb"],
                "slab_pages": ["slab_pages"],
                "boot_slab_kb": ["boot_slab_kb"]}
    out = {}
    for label in data:
        r = {k: med(label, cols) for k, cols in measures.items()}
        for k in ("insns", "atomics", "slab_kb"):
            b = med(baseline, measures[k])
            r[k + "_ratio"] = (r[k] / b if r[k] is not None and b
                               else None)
        out[label] = r
    return out


# The allocator statistics the third table shows, per 1000 allocations
# (SLUB's and SLUB-LL's names; a configuration shows those its kernel has).
STAT_COLS = [
    ("alloc_slowpath", "a_slow", "allocations past the fastpath"),
    ("free_slowpath", "f_slow", "frees past the fastpath"),
    ("list_lock", "listlk", "node list_lock taken (SLUB-LL)"),
    ("cpu_partial_free", "cp_push", "slabs pushed to a CPU partial list"
     " (SLUB-LL)"),
    ("cpu_partial_drain", "cp_drain", "CPU partial lists drained (SLUB-LL)"),
    ("sheaf_refill", "sh_refill", "objects refilled into sheaves (SLUB)"),
    ("sheaf_flush", "sh_flush", "objects flushed from sheaves (SLUB)"),
    ("barn_get_fail", "barn_miss", "no full sheaf in the barn (SLUB)"),
    ("alloc_slab", "new_slab", "slabs allocated"),
    ("free_slab", "free_slab", "slabs freed")]


def boot_stats(outdir, label):
    """The SLABSTAT sums of each boot of LABEL in OUTDIR (its
    r<round>-<label>.log.json files): a list of dicts, round order."""
    safe = label.replace("#", "_")
    out = []
    for path in sorted(glob.glob(os.path.join(outdir, "r*-%s.log.json"
                                                 % glob.escape(safe)))):
        m = re.match(r"r(\d+)-", os.path.basename(path))
        try:
            with open(path) as f:
                res = json.load(f)
        except (OSError, ValueError):
            continue
        if m and res.get("slabstats_present"):
            out.append((int(m.group(1)), res["slabstats"]))
    return [st for _, st in sorted(out, key=lambda x: x[0])]


def format_stats(outdir, labels):
    """The third table: the allocator's statistics per 1000 allocations,
    medians over the boots (warm-up and measured runs together, summed
    over every cache); empty when no boot printed statistics."""
    per = {}
    for label in labels:
        rows = []
        for st in boot_stats(outdir, label):
            allocs = st.get("alloc_fastpath", 0) + st.get("alloc_slowpath", 0)
            if allocs:
                rows.append({k: (1000.0 * st[k] / allocs if k in st
                                 else None) for k, _, _ in STAT_COLS})
        per[label] = rows
    if not any(per.values()):
        return ""
    cols = [(k, h, d) for k, h, d in STAT_COLS
            if any(r[k] is not None for rows in per.values() for r in rows)]
    hdr = "%-18s %5s" % ("configuration", "boots") + \
        "".join(" %9s" % h for _, h, _ in cols)
    lines = ["allocator statistics per 1000 allocations, medians over the"
             " boots (/sys/kernel/slab,", "  every cache summed, warm-up"
             " runs included):", hdr, "-" * len(hdr)]
    for label in labels:
        rows = per[label]
        ln = "%-18s %5d" % (label, len(rows))
        for k, _, _ in cols:
            v = [r[k] for r in rows if r[k] is not None]
            ln += " %9s" % ("%.1f" % median(v) if v else "n/a")
        lines.append(ln)
    for k, h, d in cols:
        lines.append("  %-9s %s (%s)" % (h + ":", d, k))
    return "\n".join(lines)


def format_extra(data, baseline, meta):
    """The second table: kernel instructions and atomics per measured run
    (the atomics plugin, icount only) and slab memory after it."""
    ex = summarize_extra(data, baseline)
    msgs, unit = ops_per_run(meta)
    wname, wprog, wargs = workload_of(meta)
    have_atomics = any(e["insns"] is not None for e in ex.values())
    have_mem = any(e["slab_kb"] is not None for e in ex.values())
    lines = []
    if not have_atomics:
        lines.append("atomics: %s" % (
            meta["atomics"] if meta.get("atomics", "").startswith("off")
            else "off (no plugin counts in the runs)"))
    if not have_atomics and not have_mem:
        return ex, "\n".join(lines)

    def f(v, fmt, w):
        return ("%" + str(w) + "s") % ("n/a" if v is None else fmt % v)

    hdr = "%-18s" % "configuration"
    if have_atomics:
        hdr += " %9s %6s %10s %6s %8s %9s" % (
            "Minsn_k", "ratio", "atomics", "ratio", "atom/op", "cx16b")
    hdr += " %8s %9s %6s %9s %10s" % ("boot_kB", "slab_kB", "ratio",
                                       "sunrec_kB", "slab_pages")
    lines.append("per measured run, medians; ratio: to %s" % baseline)
    if have_atomics:
        lines.append("  Minsn_k: kernel instructions (millions); atomics:"
                     " kernel lock-prefixed + xchg with memory;\n"
                     "  cx16b: kernel cmpxchg16b, locked or not"
                     " (atomics plugin, icount clock)")
    lines.append("  slab_kB, sunrec_kB: /proc/meminfo Slab, SUnreclaim after"
                 " the run; boot_kB: Slab after the boot;\n"
                 "  slab_pages: /proc/slabinfo, num_slabs x pagesperslab"
                 " after the run")
    lines += [hdr, "-" * len(hdr)]
    for label in data:
        e = ex[label]
        ln = "%-18s" % (label + (" (base)" if label == baseline else ""))
        if have_atomics:
            per = (e["atomics"] / msgs if e["atomics"] is not None and msgs
                   else None)
            ln += " %s %s %s %s %s %s" % (
                f(None if e["insns"] is None else e["insns"] / 1e6,
                  "%.3f", 9),
                f(e["insns_ratio"], "%.3f", 6),
                f(e["atomics"], "%.0f", 10), f(e["atomics_ratio"], "%.3f", 6),
                f(per, "%.3f", 8), f(e["cx16"], "%.0f", 9))
        ln += " %s %s %s %s %s" % (
            f(e["boot_slab_kb"], "%.0f", 8), f(e["slab_kb"], "%.0f", 9), f(e["slab_kb_ratio"], "%.3f", 6),
            f(e["sunreclaim_kb"], "%.0f", 9),
            f(e["slab_pages"], "%.0f", 10))
        lines.append(ln)
    if have_atomics:
        lines.append("atom/op: atomics / %s %s a run (%s %s)"
                     % (msgs if msgs else "?", unit, wprog, wargs))
    return ex, "\n".join(lines)


# ---------------------------------------------------------------------- plot

def svg_plot(data, rows, title, path):
    """Strip plot: every run a dot, per configuration, median as a bar."""
    w_col, left, top, h = 140, 70, 40, 320
    width = max(left + w_col * len(rows) + 20, 600)
    height = top + h + 60
    allt = [t for d in data.values() for ts in d["rounds"].values()
            for t in ts]
    lo, hi = min(allt), max(allt)
    pad = (hi - lo) * 0.1 or hi * 0.05 or 1.0
    lo, hi = max(0.0, lo - pad), hi + pad

    def y(t):
        return top + h - (t - lo) / (hi - lo) * h

    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="sans-serif" font-size="12">' % (width, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="20" font-size="14">%s</text>' % (left, esc(title))]
    for i in range(6):
        t = lo + (hi - lo) * i / 5
        o.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>'
                 % (left, width - 20, y(t), y(t)))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%.3f</text>'
                 % (left - 5, y(t) + 4, t))
    o.append('<text x="15" y="%d" transform="rotate(-90 15 %d)">'
             'seconds a run</text>' % (top + h // 2, top + h // 2))
    for ci, r in enumerate(rows):
        x0 = left + ci * w_col + w_col // 2
        rounds = data[r["label"]]["rounds"]
        k = 0
        for rn in sorted(rounds):
            for t in rounds[rn]:
                dx = ((k * 7) % 41) - 20
                o.append('<circle cx="%d" cy="%.1f" r="3" fill="%s" '
                         'fill-opacity="0.7"><title>round %d: %.3f s'
                         '</title></circle>'
                         % (x0 + dx, y(t), colours[(rn - 1) % len(colours)],
                            rn, t))
                k += 1
        o.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="black" '
                 'stroke-width="2"/>' % (x0 - 30, x0 + 30, y(r["median"]),
                                         y(r["median"])))
        o.append('<text x="%d" y="%d" text-anchor="middle">%s</text>'
                 % (x0, top + h + 20, esc(r["label"])))
        o.append('<text x="%d" y="%d" text-anchor="middle">x%.3f</text>'
                 % (x0, top + h + 36, r["ratio"]))
    o.append('<text x="%d" y="%d" fill="#555">dots: runs, coloured by '
             'round; bar: median; xN: ratio of medians to the baseline'
             '</text>' % (left, height - 8))
    o.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(o) + "\n")


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


# ---------------------------------------------------------------- commands

def cmd_check_log(a):
    with open(a.log, errors="replace") as f:
        text = f.read()
    try:
        res = parse_log(text, runs=a.runs, probe=a.probe)
    except LogError as e:
        print(e)
        return 1
    if a.atomics and not a.probe:
        # The plugin's counts are an addition: without them the result
        # stands, and the table says why they are missing.
        try:
            with open(a.atomics) as f:
                res["atomics"] = parse_atomics(f.read(), len(res["runs"]))
        except (OSError, LogError) as e:
            res["atomics_off"] = str(e)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1, sort_keys=True)
    return 0


def cmd_append(a):
    with open(a.result) as f:
        res = json.load(f)
    new = not os.path.exists(a.csv) or os.path.getsize(a.csv) == 0
    with open(a.csv, "a", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["label", "config", "round", "run", "seconds"] +
                       EXTRA_COLS)
        for i, t in enumerate(res["runs"], 1):
            x = run_extras(res, i)
            w.writerow([a.label, a.config, a.round, i, "%.6f" % t] +
                       [x[c] for c in EXTRA_COLS])
    return 0


def cmd_report(a):
    data = load_runs(a.csv)
    rows = summarize(data, a.baseline)
    meta = dict(kv.split("=", 1) for kv in a.meta)
    # The header starts with the clock (which one, and why) and what its
    # time counts: a table is not read without them.
    first = [k for k in ("clock", "time") if k in meta]
    for k in first + [k for k in meta if k not in first]:
        print("%-12s %s" % (k + ":", meta[k]))
    print()
    print(format_table(rows, a.baseline))
    print()
    print("ratio: median time / median time of %s (lower is faster)."
          % a.baseline)
    print("bootstrap: rounds resampled with replacement, the same for both"
          " sides (2000 resamples, seed 1).")
    print("paired-t: per-round ratios of medians, Student t on their logs;"
          " wider: with few rounds the bootstrap interval is too narrow.")
    if meta.get("clock", "").startswith("icount"):
        print("icount: guest time counts the guest instructions executed"
              " (code-path cost);\n        it does not show contention"
              " between CPUs or cache effects.")
    nr = min(r["rounds"] for r in rows)
    if nr < 4:
        print("note: only %d round(s); the intervals say little below 4."
              % nr)
    extra, text = format_extra(data, a.baseline, meta)
    if text:
        print()
        print(text)
    text = format_stats(a.outdir, list(data))
    if text:
        print()
        print(text)
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "summary.json"), "w") as f:
        json.dump({"meta": meta, "baseline": a.baseline, "rows": rows,
                   "extra": extra}, f, indent=1)
    plot = os.path.join(a.outdir, "plot.svg")
    title = "%s (%s), %s, %s clock, %s vCPUs" % (
        workload_of(meta)[0], " ".join(workload_of(meta)[1:]).strip(),
        (meta.get("accelerator", "").split() or [""])[0],
        (meta.get("clock", "").split() or ["wall"])[0],
        meta.get("vcpus", ""))
    svg_plot(data, rows, title, plot)
    print("plot: %s" % plot)
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check-log")
    c.add_argument("log")
    c.add_argument("--runs", type=int)
    c.add_argument("--probe", action="store_true")
    c.add_argument("--json")
    c.add_argument("--atomics")
    c = sub.add_parser("append")
    c.add_argument("result")
    c.add_argument("--csv", required=True)
    c.add_argument("--label", required=True)
    c.add_argument("--config", required=True)
    c.add_argument("--round", type=int, required=True)
    c = sub.add_parser("report")
    c.add_argument("--csv", required=True)
    c.add_argument("--baseline", required=True)
    c.add_argument("--outdir", required=True)
    c.add_argument("--meta", action="append", default=[])
    a = p.parse_args(argv)
    return {"check-log": cmd_check_log, "append": cmd_append,
            "report": cmd_report}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
