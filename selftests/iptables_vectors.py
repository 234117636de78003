#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# iptables_vectors.py: runs iptables' own rule-syntax test vectors (the
# extensions/*.t files, format in the corpus's README) against one or more
# iptables implementations, each in a fresh network namespace per file, and
# writes one verdict per test line and implementation.
#
# It follows iptables-test.py's slow mode, line by line and chain by chain:
#   iptables -A CHAIN [-t TABLE] RULE      must fail exactly when RESULT is FAIL
#   iptables-save                          must (OK) or must not (NOMATCH) hold
#                                          the whole line "-A CHAIN EXPECTED"
#   iptables -D CHAIN [-t TABLE] RULE      (without -c/--set-counters) must work
# A line passes when every chain of its ":" list passes.  As there, a
# simple file (no "@"/"%" line, one table at most, set before its first
# test, no VARIANT column) is tried in fast mode first: all its OK lines in
# one iptables-restore, found as one block in iptables-save's output, the
# other lines one by one as above; every line passes if all that holds,
# and the file runs again in slow mode if not.  A VARIANT column
# (LEGACY or NFT) is read for the legacy backend, which every implementation
# given here is: RESULT if VARIANT is LEGACY, else ALT_RESULT or RESULT's
# inverse.  "@"/"%" lines run through the shell, their status ignored.
#
# usage: iptables_vectors.py --out FILE NAME=IPTABLES,SAVE,RESTORE... FILE.t...
# Output: a tab-separated line per test line: file, line number, rule, then
# for each implementation "pass" or "fail: why".  Implementations run in
# parallel, one process each; each file gets a fresh network namespace
# (unshare), and commands are run without a shell (shlex does the quote
# removal the shell would), which keeps the ~7000 commands affordable in
# an emulated VM.

import argparse
import ctypes
import os
import shlex
import subprocess
import sys

INVERSE = {'OK': 'FAIL', 'FAIL': 'OK', 'NOMATCH': 'OK'}


class Vector:
    def __init__(self, path, lineno, chains, table, rule, expected, result,
                 variant):
        self.path = path
        self.variant = variant
        self.lineno = lineno
        self.chains = chains
        self.table = table
        self.rule = rule
        self.expected = rule if expected == '=' else expected
        self.result = result


def fast_possible(items):
    table_seen = False
    tests = 0
    for kind, _, item in items:
        if kind == 'shell':
            return False
        if kind == 'table':
            if table_seen or tests:
                return False
            table_seen = True
        if kind == 'test':
            if item.variant:
                return False
            tests += 1
    return True


def read_vectors(path):
    """The file's test lines and shell lines, in order."""
    items = []
    chains = None
    table = None
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            if line.startswith(':'):
                chains = line[1:].split(',')
                continue
            if line.startswith('*'):
                table = line[1:]
                items.append(('table', lineno, table))
                continue
            if line[0] in '@%':
                items.append(('shell', lineno, line[1:]))
                continue
            if chains is None:
                raise SystemExit(f'{path}:{lineno}: broken test (no chain list)')
            cols = line.split(';')
            if len(cols) < 3:
                raise SystemExit(f'{path}:{lineno}: broken test line')
            result = cols[2]
            variant = cols[3] if len(cols) > 3 else ''
            if variant and variant != 'LEGACY':
                result = cols[4] if len(cols) > 4 else INVERSE.get(result, 'OK')
            items.append(('test', lineno, Vector(path, lineno, chains, table,
                                                 cols[0], cols[1], result,
                                                 variant)))
    return items


def without_counters(words):
    """RULE's words without -c/--set-counters and their values, as
    iptables-test.py deletes: "PKTS,BYTES" or "PKTS [BYTES]"."""
    words = list(words)
    for i, w in enumerate(words):
        if w in ('-c', '--set-counters'):
            del words[i]
            if i < len(words) and ',' in words.pop(i):
                break
            if i < len(words) and words[i].isnumeric():
                del words[i]
            break
    return words


CLONE_NEWNET = 0x40000000
LIBC = ctypes.CDLL(None, use_errno=True)


def fresh_netns():
    """Move this process (and what it starts) into a new network namespace."""
    if LIBC.unshare(CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, 'unshare(CLONE_NEWNET): ' + os.strerror(err))
    subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)


class Runner:
    def __init__(self, name, iptables, save, restore):
        self.name = name
        self.iptables = iptables
        self.save = save
        self.restore = restore
        self.verdicts = {}

    @staticmethod
    def run(argv):
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors='replace')
        return p.returncode, p.stdout

    def command(self, verb, chain, vec, words, always_table=False):
        table = vec.table or ('filter' if always_table else None)
        table = ['-t', table] if table else []
        return [self.iptables, verb, chain] + table + words

    def one_chain(self, vec, chain, always_table=False):
        words = shlex.split(vec.rule)
        rc, out = self.run(self.command('-A', chain, vec, words, always_table))
        if rc != 0:
            if vec.result == 'FAIL':
                return None
            return f'{chain}: exit {rc}: {out.strip()}'
        if vec.result == 'FAIL':
            self.run(self.command('-D', chain, vec, words, always_table))
            return f'{chain}: should fail'
        rc, saved = self.run([self.save])
        if rc != 0:
            return f'{chain}: save exit {rc}: {saved.strip()}'
        found = f'\n-A {chain} {vec.expected}\n' in '\n' + saved
        why = None
        if vec.result == 'OK' and not found:
            got = [ln for ln in saved.splitlines() if ln.startswith(f'-A {chain} ')]
            why = f'{chain}: not saved as expected; saved {got!r}'
        elif vec.result != 'OK' and found:
            why = f'{chain}: saved, expected not to be'
        rc, out = self.run(self.command('-D', chain, vec, without_counters(words),
                                        always_table))
        if rc != 0 and why is None:
            why = f'{chain}: delete exit {rc}: {out.strip()}'
        return why

    def fast(self, items):
        """iptables-test.py's fast mode: whether every line passed."""
        table = 'filter'
        ok = {}
        for kind, _, item in items:
            if kind == 'table':
                table = item
            if kind != 'test':
                continue
            for chain in item.chains:
                if item.result == 'OK':
                    ok.setdefault(chain, []).append(item)
                elif self.one_chain(item, chain, always_table=True):
                    return False
        load = [f'*{table}']
        want = []
        for chain in ('PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'):
            for item in ok.get(chain, []):
                load.append(f'-A {chain} {item.rule}')
                want.append(f'-A {chain} {item.expected}')
        load.append('COMMIT')
        p = subprocess.run([self.restore], input='\n'.join(load) + '\n',
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors='replace')
        if p.returncode != 0:
            return False
        _, saved = self.run([self.save])
        self.run([self.iptables, '-F', '-t', table])
        return '\n'.join(want) in saved.rstrip()

    def run_file(self, path, items):
        fresh_netns()
        if fast_possible(items) and self.fast(items):
            for kind, lineno, _ in items:
                if kind == 'test':
                    self.verdicts[(path, lineno)] = 'pass'
            return
        fresh_netns()
        for kind, lineno, item in items:
            if kind == 'table':
                continue
            if kind == 'shell':
                subprocess.run(item, shell=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                continue
            why = None
            for chain in item.chains:
                why = self.one_chain(item, chain)
                if why:
                    break
            self.verdicts[(path, lineno)] = 'pass' if why is None else 'fail: ' + why

    def run_all(self, files, out):
        """In a child process: every file, verdicts written to out."""
        for path, items in files:
            self.run_file(path, items)
        with open(out, 'w', encoding='utf-8') as f:
            for (path, lineno), verdict in self.verdicts.items():
                verdict = verdict.replace('\t', ' ').replace('\n', ' | ')
                f.write(f'{path}\t{lineno}\t{verdict}\n')

    def load(self, out):
        with open(out, encoding='utf-8') as f:
            for line in f:
                path, lineno, verdict = line.rstrip('\n').split('\t', 2)
                self.verdicts[(path, int(lineno))] = verdict


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('impl', nargs='+', help='NAME=IPTABLES,IPTABLES-SAVE,IPTABLES-RESTORE or a .t file')
    args = ap.parse_args()
    impls = [a for a in args.impl if '=' in a and not a.endswith('.t')]
    paths = [a for a in args.impl if a.endswith('.t')]
    files = [(p, read_vectors(p)) for p in paths]
    runners = []
    for spec in impls:
        name, cmds = spec.split('=', 1)
        iptables, save, restore = cmds.split(',', 2)
        runners.append(Runner(name, iptables, save, restore))
    children = []
    for i, r in enumerate(runners):
        part = f'{args.out}.{i}'
        pid = os.fork()
        if pid == 0:
            try:
                r.run_all(files, part)
                os._exit(0)
            except BaseException as e:  # pylint: disable=broad-except
                print(f'iptables_vectors: {r.name}: {e}', file=sys.stderr)
                os._exit(1)
        children.append((pid, r, part))
    failed = False
    for pid, r, part in children:
        _, status = os.waitpid(pid, 0)
        if status != 0:
            failed = True
            continue
        r.load(part)
        os.unlink(part)
    if failed:
        return 1
    with open(args.out, 'w', encoding='utf-8') as out:
        out.write('\t'.join(['file', 'line', 'rule'] + [r.name for r in runners]) + '\n')
        for path, items in files:
            for kind, lineno, item in items:
                if kind != 'test':
                    continue
                row = [os.path.basename(path), str(lineno), item.rule]
                row += [r.verdicts.get((path, lineno), 'fail: not run') for r in runners]
                out.write('\t'.join(x.replace('\t', ' ').replace('\n', ' ') for x in row) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
