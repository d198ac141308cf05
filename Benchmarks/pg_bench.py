#!/usr/bin/env python3
"""The benchmarks on a PostgreSQL store, beside their peers in the same run (issue 18).

Starts a private PostgreSQL server (Scripts/pg-test-server: its own cluster under /tmp, a Unix
socket only), loads the benchmark workspace into it with `fupin store copy` (the workspace is
the one run.py builds and keeps), and measures, each beside its peer:

  store-copy       `fupin store copy --to postgresql://…` of the whole workspace (COPY FROM STDIN
                   into the full schema, ids kept, sequences set) vs `psql \\copy` of the same
                   tables' rows (CSV exported beforehand, untimed) into plain tables (no keys,
                   indexes or constraints); wall seconds, best of the repetitions
  group-by-sum     the SQL of run.py's group-by in psql (the peer), checked equal to sqlite3's
  iterate-rows     lua5.4 + luasql-postgres reading every household (the peer)
  annual-summary   Benchmarks/annual_summary_pg.sql in psql (the peer), checked equal to the
                   SQLite figures

A line whose fupin side cannot run yet (a workspace does not open a PostgreSQL store until
branch `pg` wires it) reports ours=n/a and says so; no figure is made up. Results go to
Benchmarks/results-pg-<scale>.json.

The server is the test server: fsync, synchronous_commit and full_page_writes are off (a
scratch cluster), which favours every writer alike.

Usage: pg_bench.py [--quick] [--reps N] [--only store-copy,group-by,iterate,annual]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (the shared harness: run, best, report, workspace)

ROOT, BENCH = bench.ROOT, bench.BENCH
NOT_YET = "fupin cannot open a PostgreSQL workspace yet (fupin init --store: branch pg), so only the peer is measured"


def na(name, peer, target, unit, note):
    """A line whose fupin side does not run yet: the peer's figure, ours n/a."""
    line = "%s: ours=n/a peer=%s ratio=n/a target=%s  (%s)" % (name, bench.fmt(peer), target, note)
    print(line, flush=True)
    bench.results.append({"name": name, "ours": None, "peer": peer, "ratio": None, "target": target, "unit": unit,
                          "met": None, "note": note})


class Server:
    """A private PostgreSQL server for this run."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="fupin-pgb.", dir="/tmp")
        os.rmdir(self.folder)
        out = subprocess.run([os.path.join(ROOT, "Scripts/pg-test-server"), "start", self.folder], check=True,
                             capture_output=True, text=True).stdout
        self.uri = out.strip().splitlines()[-1]

    def database(self, name):
        """The URI of database `name`, created afresh."""
        self.psql(self.uri, "DROP DATABASE IF EXISTS %s" % name)
        self.psql(self.uri, "CREATE DATABASE %s" % name)
        return self.uri.replace("/fupin_test?", "/%s?" % name)

    @staticmethod
    def psql(uri, sql):
        return subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", uri, "-c", sql], check=True,
                              capture_output=True, text=True).stdout

    def stop(self):
        subprocess.run([os.path.join(ROOT, "Scripts/pg-test-server"), "stop", self.folder], check=False,
                       capture_output=True)


def tables_of(db):
    """The workspace's tables that store copy moves (every table but SQLite's and GRDB's)."""
    out = bench.run(["sqlite3", db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'grdb_migrations' "
                                    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"]).out
    return out.split()


def bench_store_copy(server, ws, reps):
    db = os.path.join(ws, "fupin.sqlite")
    tables = tables_of(db)
    counter = [0]

    def ours():
        counter[0] += 1
        uri = server.database("ours%d" % counter[0])
        os.sync()
        r = bench.run([bench.FUPIN, "store", "copy", "--workspace", ws, "--to", uri, "--operator", "bench"])
        return r, uri

    with tempfile.TemporaryDirectory(prefix="fupin-pgcsv-") as d:
        # The peer's input: each table's rows as CSV (untimed), loaded by psql \copy.
        script = []
        for t in tables:
            csv = os.path.join(d, t + ".csv")
            with open(csv, "w") as f:
                subprocess.run(["sqlite3", "-csv", db, 'SELECT * FROM "%s"' % t], stdout=f, check=True)
            script.append("\\copy peer.\"%s\" FROM '%s' CSV" % (t, csv))
        copy_script = os.path.join(d, "copy.sql")
        with open(copy_script, "w") as f:
            f.write("\n".join(script) + "\n")

        runs, peers = [], []
        first_uri = None
        for i in range(reps):
            r, uri = ours()
            runs.append(r)
            first_uri = first_uri or uri
            # Plain tables of the same columns (no keys, indexes or constraints) for the peer.
            ddl = "CREATE SCHEMA peer; " + " ".join(
                'CREATE TABLE peer."%s" AS SELECT * FROM public."%s" WITH NO DATA;' % (t, t) for t in tables)
            Server.psql(uri, ddl)
            os.sync()
            peers.append(bench.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", uri, "-f", copy_script]))
            Server.psql(uri, "DROP SCHEMA peer CASCADE")
    o = min(runs, key=lambda r: r.wall)
    p = min(peers, key=lambda r: r.wall)
    rows = sum(int(Server.psql(first_uri, 'SELECT count(*) FROM "%s"' % t).strip()) for t in tables)
    expected = sum(int(bench.run(["sqlite3", db, 'SELECT count(*) FROM "%s"' % t]).out.strip()) for t in tables)
    if rows != expected:
        raise SystemExit("store copy: %d rows on the server, %d in the workspace" % (rows, expected))
    bench.report("store-copy-to-postgresql (s wall)", o.wall, p.wall, 3, "s",
                 "%d rows in %d tables; fupin store copy (schema, keys, indexes, COPY FROM STDIN, one transaction) vs "
                 "psql \\copy of the same rows into plain tables; best of %d; cpu ours=%.2f peer=%.2f (the server's "
                 "work is in neither); peak MB ours=%.0f peer=%.0f" % (rows, len(tables), reps, o.cpu, p.cpu, o.rss_mb,
                                                                       p.rss_mb))
    return first_uri


def bench_group_by(uri, ws, reps):
    sql = "SELECT item, SUM(value) FROM distributions WHERE valid = 1 GROUP BY item ORDER BY item"
    peer = ["psql", "-X", "-At", uri, "-c", sql]
    lite = ["sqlite3", os.path.join(ws, "fupin.sqlite"), sql]
    bench.run(peer)
    p = min(bench.interleave(reps, peer)[0], key=lambda r: r.wall)
    if bench.lines(p.out) != bench.lines(bench.run(lite).out):
        raise SystemExit("group-by: psql %r differs from sqlite3" % p.out[:300])
    rows = Server.psql(uri, "SELECT count(*) FROM distributions").strip()
    na("group-by-sum-pg (s wall)", p.wall, 1.2, "s",
       "psql, %s rows, best wall of %d (cpu %.3f: the server does the work); equal to sqlite3's result; %s"
       % (rows, reps, p.cpu, NOT_YET))


def bench_iterate(uri, reps):
    conninfo = uri
    peer = ["lua5.4", os.path.join(BENCH, "peers/iterate_luasql_pg.lua"), conninfo, "households", "size"]
    bench.run(peer)
    p = min(bench.interleave(reps, peer)[0], key=lambda r: r.wall)
    na("iterate-rows-pg (s wall)", p.wall, 1.0, "s",
       "lua5.4 + luasql-postgres over every household: %s rows; best wall of %d, cpu %.3f; peak MB %.0f (luasql "
       "holds the whole result in memory); %s" % (p.out.split()[0], reps, p.cpu, p.rss_mb, NOT_YET))


def bench_annual(uri, ws, reps):
    sql = os.path.join(BENCH, "annual_summary_pg.sql")
    peer = ["psql", "-X", "-At", "-F", "\t", "-v", "unit=%d" % bench.UNIT, "-v", "year=%d" % bench.YEAR,
            "-v", "from=%d-01-01" % bench.YEAR, "-v", "to=%d-01-01" % (bench.YEAR + 1), uri, "-f", sql]
    params = ["-cmd", ".param set :year %d" % bench.YEAR, "-cmd", ".param set :unit %d" % bench.UNIT,
              "-cmd", ".param set :from \"'%d-01-01'\"" % bench.YEAR,
              "-cmd", ".param set :to \"'%d-01-01'\"" % (bench.YEAR + 1)]
    with open(os.path.join(BENCH, "annual_summary.sql")) as f:
        lite = bench.run(["sqlite3"] + params + [os.path.join(ws, "fupin.sqlite")], stdin=f)
    bench.run(peer)
    p = min(bench.interleave(reps, peer)[0], key=lambda r: r.wall)
    if bench.lines(p.out) != bench.lines(lite.out):
        diff = set(bench.lines(p.out)) ^ set(bench.lines(lite.out))
        raise SystemExit("annual: psql and sqlite3 differ in %s" % sorted(diff)[:10])
    na("annual-summary-pg (s wall)", p.wall, 1.5, "s",
       "Benchmarks/annual_summary_pg.sql in psql, unit %d, %d: %d figures, equal to the SQLite ones; best wall of %d; %s"
       % (bench.UNIT, bench.YEAR, len(bench.lines(p.out)), reps, NOT_YET))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="store-copy,group-by,iterate,annual")
    args = ap.parse_args()
    only = set(args.only.split(","))
    bench.QUICK = args.quick
    scale = "quick" if args.quick else "province"
    started = time.monotonic()
    if not os.path.exists(bench.FUPIN):
        raise SystemExit("pg_bench.py: %s is missing (swift build -c release)" % bench.FUPIN)
    for tool in ("psql", "lua5.4", "sqlite3"):
        if not shutil.which(tool):
            raise SystemExit("pg_bench.py: %s is missing (make bench-deps)" % tool)
    ws = bench.workspace(scale)
    server = Server()
    try:
        bench.log("server %s; loading the %s workspace with fupin store copy" % (server.folder, scale))
        uri = bench_store_copy(server, ws, args.reps if args.quick else 2) if "store-copy" in only else None
        if uri is None:
            uri = server.database("ours1")
            bench.run([bench.FUPIN, "store", "copy", "--workspace", ws, "--to", uri, "--operator", "bench"])
        Server.psql(uri, "VACUUM ANALYZE")
        if "group-by" in only:
            bench.log("group-by")
            bench_group_by(uri, ws, args.reps)
        if "iterate" in only:
            bench.log("iterate")
            bench_iterate(uri, args.reps)
        if "annual" in only:
            bench.log("annual summary")
            bench_annual(uri, ws, args.reps)
        note = ("not measured: 16 fupin processes writing units need a PostgreSQL workspace (branch pg); the "
                "store seam's own test (PostgresConcurrencyTests) checks that all 1,600 units land")
        print("concurrent-writers-pg: ours=n/a peer=n/a  (%s)" % note, flush=True)
        bench.results.append({"name": "concurrent-writers-pg (units/s)", "ours": None, "peer": None, "ratio": None,
                              "target": None, "unit": "units/s", "met": None, "note": note})
    finally:
        server.stop()
    load = os.getloadavg()
    version = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    meta = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "scale": scale, "seconds": round(time.monotonic() - started, 1),
            "load_average": [round(x, 2) for x in load], "cpus": os.cpu_count(), "fupin": bench.FUPIN,
            "postgresql": version, "server": "Scripts/pg-test-server (fsync, synchronous_commit, full_page_writes off)",
            "metric": "best-of-N wall seconds (the server's CPU is outside the client processes)"}
    with open(os.path.join(BENCH, "results-pg-%s.json" % scale), "w") as f:
        json.dump({"run": meta, "results": bench.results}, f, ensure_ascii=False, indent=2)
        f.write("\n")
    bench.log("done in %.0f s (load average %.1f %.1f %.1f); results in Benchmarks/results-pg-%s.json"
              % ((meta["seconds"],) + load + (scale,)))


if __name__ == "__main__":
    main()
