#!/usr/bin/env python3
"""Crash safety, the full variant: SIGKILL fupin at random points of units of work.

  crash.py import [--rows 1000000] [--kills 50] [--seed 1] [--fupin PATH]
      `fupin import national` of a generated file (Benchmarks/gen_national.py), killed at a
      random moment of its run; when an import completes the workspace is reset, so most kills
      land inside the one big transaction.
  crash.py script [--kills 50] [--per-unit 500] ...
      `fupin eval` units that each add --per-unit notes in a loop, killed at random moments.

After every kill: the workspace opens (`fupin eval`), PRAGMA integrity_check is ok, and each
unit is all there or not there at all — the rows it writes are 0 or all of them, and the audit
log holds exactly the entries of the complete units. Prints one line per kill and a summary;
exits 1 on the first violation. The quick variant runs in the test suite
(Tests/FupinCLITests/CrashSafetyTests.swift).
"""
import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def q(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def check(ws, fupin):
    db = os.path.join(ws, "fupin.sqlite")
    verdict = q(db, "PRAGMA integrity_check")
    if verdict != [("ok",)]:
        sys.exit(f"integrity_check: {verdict}")
    opened = subprocess.run([fupin, "eval", "fp.households:count()", "--workspace", ws], capture_output=True, text=True)
    if opened.returncode != 0:
        sys.exit(f"the workspace does not open: {opened.stderr}")
    return db


def timed(cmd):
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{cmd}: {r.stderr}")
    return time.monotonic() - start


def kill_at(cmd, delay):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        p.wait(timeout=delay)   # the fault's moment: finished before it means "completed"
        return p.returncode
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return None


def crash_import(a, fupin, work):
    data = os.path.join(work, f"national-{a.rows}.csv")
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "gen_national.py"), str(a.rows), data], check=True)
    ws = os.path.join(work, "ws")
    subprocess.run([fupin, "init", ws], check=True, capture_output=True)
    empty = os.path.join(work, "empty.sqlite")
    shutil.copy(os.path.join(ws, "fupin.sqlite"), empty)
    cmd = [fupin, "import", "national", data, "--workspace", ws, "--operator", "crash"]
    duration = timed(cmd)
    db = check(ws, fupin)
    full = {t: q(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("towns", "villages", "households", "members")}
    audit_full = q(db, "SELECT COUNT(*) FROM audit_log")[0][0]
    print(f"one import: {duration:.1f} s; {full}; {audit_full} audit entries", flush=True)

    def reset():
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(os.path.join(ws, "fupin.sqlite" + suffix))
            except FileNotFoundError:
                pass
        shutil.copy(empty, os.path.join(ws, "fupin.sqlite"))

    reset()
    rng = random.Random(a.seed)
    killed = completed = 0
    for k in range(a.kills):
        delay = rng.uniform(0.02, 1.05) * duration
        status = kill_at(cmd, delay)
        db = check(ws, fupin)
        counts = {t: q(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in full}
        audit = q(db, "SELECT COUNT(*) FROM audit_log")[0][0]
        whole = counts == full and audit == audit_full
        nothing = all(v == 0 for v in counts.values()) and audit == 0
        if not (whole or nothing):
            sys.exit(f"kill {k} at {delay:.2f} s: half a unit: {counts}, {audit} audit entries")
        if status is None:
            killed += 1
        else:
            completed += 1
        print(f"kill {k:2d} at {delay:6.2f} s: {'killed' if status is None else 'finished'}; "
              f"{'all' if whole else 'nothing'} there; integrity ok", flush=True)
        if whole:
            reset()
    print(f"import: {a.kills} runs, {killed} killed mid-unit, {completed} finished first; "
          f"{a.rows} rows each; every kill left all or nothing, integrity ok")


def crash_script(a, fupin, work):
    ws = os.path.join(work, "ws")
    subprocess.run([fupin, "init", ws, "--sample"], check=True, capture_output=True)
    code = (f'for i = 1, {a.per_unit} do fp.notes:add{{ year = 2019, unit_id = 1, kind = "problem", '
            f'text = "crash " .. i }} end')
    cmd = [fupin, "eval", code, "--workspace", ws, "--operator", "crash"]
    duration = timed(cmd)
    rng = random.Random(a.seed)
    killed = 0
    for k in range(a.kills):
        delay = rng.uniform(0.02, 1.05) * duration
        status = kill_at(cmd, delay)
        killed += status is None
        db = check(ws, fupin)
        rows = q(db, "SELECT COUNT(*) FROM notes WHERE text LIKE 'crash %'")[0][0]
        audit = q(db, "SELECT COUNT(*) FROM audit_log WHERE collection = 'notes' AND operator = 'crash'")[0][0]
        if rows % a.per_unit or audit != rows:
            sys.exit(f"kill {k} at {delay:.2f} s: {rows} notes, {audit} audit entries: half a unit")
        print(f"kill {k:2d} at {delay:5.2f} s: {'killed' if status is None else 'finished'}; "
              f"{rows // a.per_unit} whole units; integrity ok", flush=True)
    print(f"script: {a.kills} runs, {killed} killed mid-unit; every kill left whole units only, integrity ok")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=["import", "script"])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--kills", type=int, default=50)
    p.add_argument("--per-unit", type=int, default=500)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fupin", default=os.path.join(ROOT, ".build", "release", "fupin"))
    a = p.parse_args()
    fupin = os.path.abspath(a.fupin)
    if not os.access(fupin, os.X_OK):
        sys.exit(f"{fupin}: not built (swift build -c release, or --fupin .build/debug/fupin)")
    work = tempfile.mkdtemp(prefix="fupin-crash-")
    try:
        (crash_import if a.what == "import" else crash_script)(a, fupin, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
