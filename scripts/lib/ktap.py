#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ktap.py LOG SUITE - the results of one KUnit suite in a console.

Finds the last "# Subtest: SUITE" of LOG (timestamps and carriage
returns are dropped) and reads the result lines at its indentation up to
the suite's own result line.  Prints nothing when the suite did not
finish, else:
  counts PASSED FAILED SKIPPED   the suite's own cases
  result ok|not ok               the suite's own result
  fail CASE                      one line a failing case
  case    ok N CASE ...          each case's result line, as KTAP
A case with parameters or subtests of its own is one case, counted by
its own result line; the lines of its parameters or subtests, further
in, are not counted.  "# SKIP" counts as skipped whatever "ok" says.
"""

import re
import sys

TIMESTAMP = re.compile(r'^\[ *[0-9.]+\] ')
RESULT = re.compile(r'( *)(not )?ok [0-9]+ (.*)')


def results(lines, suite):
    start = None
    for i, l in enumerate(lines):
        if re.fullmatch(r'( *)# Subtest: ' + re.escape(suite), l):
            start, ind = i, len(l) - len(l.lstrip(' '))
    if start is None:
        return None
    ok = bad = skip = 0
    cases = []
    for l in lines[start + 1:]:
        m = RESULT.match(l)
        if not m:
            continue
        depth = len(m.group(1))
        name = m.group(3).split(' ')[0]
        if depth < ind or (depth == ind and name == suite):
            return ok, bad, skip, 'not ok' if m.group(2) else 'ok', cases
        if depth != ind:
            continue        # a parameter of a case, or a case of a subsuite
        cases.append(l.strip())
        if '# SKIP' in m.group(3):
            skip += 1
        elif m.group(2):
            bad += 1
            cases[-1] = '!' + cases[-1]
        else:
            ok += 1
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: ktap.py LOG SUITE')
    with open(sys.argv[1], errors='replace') as f:
        lines = [TIMESTAMP.sub('', l.rstrip('\r\n')) for l in f]
    r = results(lines, sys.argv[2])
    if r is None:
        return
    ok, bad, skip, result, cases = r
    print('counts %d %d %d' % (ok, bad, skip))
    print('result ' + result)
    for c in cases:
        if c.startswith('!'):
            c = c[1:]
            print('fail ' + c.split(' ')[3])
        print('case    ' + c)


if __name__ == '__main__':
    main()
