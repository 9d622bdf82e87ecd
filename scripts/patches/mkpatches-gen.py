#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Regenerate a tree's quilt series (patches/<ver>/) from the project's files.

Used by scripts/patches/mkpatches.sh; see there.  Input: the tree's
manifest, scripts/patches/manifest-<ver> (patch order and the project
files each patch adds), the existing patches in SRCDIR (their message
and their hand-written hunks on existing kernel files are kept verbatim)
and the project files (their new-file sections are written afresh).  A
project file trees/<ver>/<path> is the kernel's <path> (a tree's own
layer); any other project path is the same path in the kernel.  Output:
the series, every patch and the cover letter in OUTDIR; a manifest that
lists no patches gives an empty series and nothing else.  The output
depends on nothing else -- no dates, no user names, no git state -- so
two runs on the same input are identical.
"""

import hashlib
import os
import re
import sys

GIT_VERSION = '2.39.5'		# the signature line format-patch writes
COVER = '0000-cover-letter.patch'
STAT_GRAPH = 40			# widest +/- bar in a diffstat


def die(msg):
    sys.stderr.write('mkpatches: error: %s\n' % msg)
    sys.exit(1)


def read_manifest(path):
    order = []
    for lineno, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.split('#', 1)[0].strip()
        if not line:
            continue
        if ':' not in line:
            die('%s:%d: expected "<patch>: <file>..."' % (path, lineno))
        name, files = line.split(':', 1)
        name = name.strip()
        if not re.match(r'^\d{4}-[A-Za-z0-9_.-]+\.patch$', name):
            die('%s:%d: bad patch name %r (want NNNN-subject.patch)'
                % (path, lineno, name))
        if name == COVER or name in [n for n, _ in order]:
            die('%s:%d: patch %s listed twice or reserved'
                % (path, lineno, name))
        order.append((name, files.split()))
    return order


def kernel_path(rel, kver):
    """The kernel path of project file REL: trees/<ver>/<path> is <path>."""
    m = re.match(r'^trees/([^/]+)/(.+)$', rel)
    if not m:
        return rel
    if kver is not None and m.group(1) != kver:
        die('%s belongs to the %s tree, not to the %s series'
            % (rel, m.group(1), kver))
    return m.group(2)


def split_patch(path):
    """Split a format-patch file into (header lines, {path: section})."""
    try:
        text = open(path, encoding='utf-8').read()
    except OSError as e:
        die('cannot read %s: %s (the message and the hand-written hunks of '
            'each patch live there)' % (path, e.strerror))
    lines = text.splitlines(keepends=True)
    try:
        sep = lines.index('---\n')
    except ValueError:
        die('%s: no "---" line after the commit message' % path)
    header = lines[:sep]
    if not header or not header[0].startswith('From '):
        die('%s: does not start with a "From <hash> <date>" line' % path)
    sections = {}
    cur = None
    for line in lines[sep + 1:]:
        if line == '-- \n':		# signature: end of the diff
            break
        if line.startswith('diff --git '):
            m = re.match(r'^diff --git a/(\S+) b/(\S+)$', line.rstrip('\n'))
            if not m or m.group(1) != m.group(2):
                die('%s: cannot read %r' % (path, line.rstrip()))
            cur = m.group(2)
            if cur in sections:
                die('%s: %s appears twice' % (path, cur))
            sections[cur] = [line]
        elif cur is not None:
            sections[cur].append(line)
        # before the first diff: the old diffstat, dropped
    return header, sections


def git_blob_hash(data):
    h = hashlib.sha1()
    h.update(b'blob %d\0' % len(data))
    h.update(data)
    return h.hexdigest()


def new_file_section(root, rel, kpath):
    """The new-file section of project file REL, as kernel path KPATH."""
    path = os.path.join(root, rel)
    try:
        data = open(path, 'rb').read()
    except OSError:
        return None
    if not data:
        die('%s is empty' % rel)
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        die('%s is not UTF-8 text' % rel)
    body = text.splitlines(keepends=True)
    out = ['diff --git a/%s b/%s\n' % (kpath, kpath),
           'new file mode 100644\n',
           'index 000000000000..%s\n' % git_blob_hash(data)[:12],
           '--- /dev/null\n',
           '+++ b/%s\n' % kpath,
           '@@ -0,0 +1%s @@\n' % ('' if len(body) == 1 else ',%d' % len(body))]
    for line in body:
        out.append('+' + line)
    if not text.endswith('\n'):
        out[-1] += '\n'
        out.append('\\ No newline at end of file\n')
    return out


def section_counts(sec):
    add = dele = 0
    in_hunk = False
    for line in sec:
        if line.startswith('@@'):
            in_hunk = True
            continue
        if not in_hunk:
            continue
        if line.startswith('+'):
            add += 1
        elif line.startswith('-'):
            dele += 1
    return add, dele


def diffstat(stats, created):
    """stats: [(path, added, deleted)] in output order."""
    if not stats:
        return []
    width = max(len(p) for p, _, _ in stats)
    most = max(a + d for _, a, d in stats)
    digits = len(str(most))
    out = []
    for p, a, d in stats:
        n = a + d
        if most > STAT_GRAPH:
            pa = (a * STAT_GRAPH + most - 1) // most if a else 0
            pd = (d * STAT_GRAPH + most - 1) // most if d else 0
        else:
            pa, pd = a, d
        out.append(' %-*s | %*d %s%s\n' % (width, p, digits, n,
                                           '+' * pa, '-' * pd))
    files = len(stats)
    adds = sum(a for _, a, _ in stats)
    dels = sum(d for _, _, d in stats)
    summary = ' %d file%s changed' % (files, '' if files == 1 else 's')
    if adds:
        summary += ', %d insertion%s(+)' % (adds, '' if adds == 1 else 's')
    if dels:
        summary += ', %d deletion%s(-)' % (dels, '' if dels == 1 else 's')
    out.append(summary + '\n')
    for p in sorted(created):
        out.append(' create mode 100644 %s\n' % p)
    return out


def subject_of(header, path):
    for line in header:
        m = re.match(r'^Subject: (?:\[PATCH[^\]]*\] )?(.*)$', line.rstrip('\n'))
        if m:
            return m.group(1)
    die('%s: no Subject line' % path)


def renumber(header, nr, total, path):
    out = []
    done = False
    for line in header[1:]:		# the From <hash> line is made later
        m = re.match(r'^Subject: (?:\[PATCH[^\]]*\] )?(.*)$', line)
        if m and not done:
            line = 'Subject: [PATCH %d/%d] %s\n' % (nr, total, m.group(1))
            done = True
        out.append(line)
    if not done:
        die('%s: no Subject line' % path)
    if not any(l.startswith('Signed-off-by: ') for l in header):
        die('%s: the message has no Signed-off-by line' % path)
    return out


def finish(header_rest, body):
    """Prepend a From line whose hash is that of the rest of the patch."""
    rest = ''.join(header_rest) + ''.join(body)
    digest = hashlib.sha1(rest.encode('utf-8')).hexdigest()
    return 'From %s Mon Sep 17 00:00:00 2001\n' % digest + rest


def make_patch(root, srcdir, name, files, nr, total, kver):
    src = os.path.join(srcdir, name)
    header, sections = split_patch(src)
    for rel in files:
        kpath = kernel_path(rel, kver)
        sec = new_file_section(root, rel, kpath)
        if sec is None:
            die('project file %s does not exist (the manifest puts it in %s)'
                % (rel, name))
        if kpath in sections and \
                not sections[kpath][1].startswith('new file'):
            die('%s: %s is hand-written there but generated by the manifest'
                % (name, kpath))
        sections[kpath] = sec
    order = sorted(sections)
    stats = []
    created = []
    for p in order:
        a, d = section_counts(sections[p])
        stats.append((p, a, d))
        if len(sections[p]) > 1 and sections[p][1].startswith('new file'):
            created.append(p)
    body = ['---\n'] + diffstat(stats, created) + ['\n']
    for p in order:
        body.extend(sections[p])
    body += ['-- \n', GIT_VERSION + '\n', '\n']
    hdr = renumber(header, nr, total, src)
    return finish(hdr, body), subject_of(header, src), stats, created


def make_cover(srcdir, subjects, stats_all, created_all, total):
    src = os.path.join(srcdir, COVER)
    try:
        lines = open(src, encoding='utf-8').read().splitlines(keepends=True)
    except OSError as e:
        die('cannot read %s: %s' % (src, e.strerror))
    # Keep everything up to the shortlog ("Name (N):"); regenerate the rest.
    cut = None
    for i, line in enumerate(lines):
        if re.match(r'^\S.* \(\d+\):$', line.rstrip('\n')):
            cut = i
            break
    if cut is None:
        die('%s: no shortlog line "<author> (<n>):" to continue from' % src)
    author = re.match(r'^(.*) \(\d+\):$', lines[cut].rstrip('\n')).group(1)
    hdr = []
    for line in lines[1:cut]:
        m = re.match(r'^Subject: (?:\[PATCH[^\]]*\] )?(.*)$', line)
        if m:
            line = 'Subject: [PATCH 0/%d] %s\n' % (total, m.group(1))
        hdr.append(line)
    body = ['%s (%d):\n' % (author, total)]
    body += ['  %s\n' % s for s in subjects]
    body.append('\n')
    merged = {}
    for p, a, d in stats_all:
        ma, md = merged.get(p, (0, 0))
        merged[p] = (ma + a, md + d)
    body += diffstat([(p,) + merged[p] for p in sorted(merged)],
                     sorted(set(created_all)))
    body += ['\n', '-- \n', GIT_VERSION + '\n', '\n']
    return 'From 0000000000000000000000000000000000000000 ' \
        'Mon Sep 17 00:00:00 2001\n' + ''.join(hdr) + ''.join(body)


def main():
    if len(sys.argv) not in (5, 6):
        die('usage: mkpatches-gen.py ROOT MANIFEST SRCDIR OUTDIR [KVER]')
    root, manifest, srcdir, outdir = sys.argv[1:5]
    kver = sys.argv[5] if len(sys.argv) == 6 else None
    order = read_manifest(manifest)
    total = len(order)
    subjects, stats_all, created_all = [], [], []
    outputs = {}
    for nr, (name, files) in enumerate(order, 1):
        text, subj, stats, created = make_patch(root, srcdir, name, files,
                                                nr, total, kver)
        outputs[name] = text
        subjects.append(subj)
        stats_all += stats
        created_all += created
    if order:
        outputs[COVER] = make_cover(srcdir, subjects, stats_all,
                                    created_all, total)
    outputs['series'] = ''.join(n + '\n' for n, _ in order)
    os.makedirs(outdir, exist_ok=True)
    for name, text in outputs.items():
        with open(os.path.join(outdir, name), 'w', encoding='utf-8') as f:
            f.write(text)


if __name__ == '__main__':
    main()
