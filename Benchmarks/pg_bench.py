#!/usr/bin/env python3
"""The benchmarks on a PostgreSQL store, beside their peers in the same run (issue 18).

Starts a private PostgreSQL server (Scripts/pg-test-server: its own cluster under /tmp, a Unix
socket only), loads the benchmark workspace into it with `fupin store copy` (the workspace is
the one run.py builds and keeps), and measures, each beside its peer:

  store-copy       `fupin store copy --to postgresql://…` of the whole workspace (COPY FROM STDIN
                   into the full schema, ids kept, sequences set) vs `psql \\copy` of the same
                   tables' rows (CSV exported beforehand, untimed) into plain tables (no keys,
                   indexes or constraints); wall seconds, best of the repetitions
  group-by-sum     fp.distributions:group_by('item'):sum('value') via `fupin eval` on a workspace
                   over the store (`fupin init --attach --store`) vs the same SQL in psql
  iterate-rows     fp.households:iter() via `fupin eval` vs lua5.4 + luasql-postgres, with peak RSS
  annual-report    `fupin report annual` (the whole report, checked equal to its text on the
                   SQLite workspace) vs every figure it states as SQL in psql
                   (annual_summary_report_pg.sql, checked equal to the SQLite figures)
  import-national  `fupin import national` into a fresh PostgreSQL workspace vs `psql \\copy` of
                   the same file into a plain table
  writers          16 `fupin eval` processes adding households at once vs 1 (units per second)

Every line is measured beside its peer in the same run, interleaved, and each result printed is
checked equal to the peer's. Results go to Benchmarks/results-pg-<scale>.json (a run with --only
replaces only the lines it measured).

The server is the test server: fsync, synchronous_commit and full_page_writes are off (a
scratch cluster), which favours every writer alike.

Usage: pg_bench.py [--quick] [--reps N] [--only store-copy,group-by,iterate,annual,import,writers]
"""
import argparse
import atexit
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


def attach(uri):
    """A workspace folder over the store at `uri` (fupin init --attach), opened once so the
    bundled plugins' ledgers are made in the database before anything is timed."""
    folder = tempfile.mkdtemp(prefix="fupin-pgws.", dir="/tmp")
    ws = os.path.join(folder, "ws")
    bench.run([bench.FUPIN, "init", ws, "--attach", "--store", uri, "--operator", "bench"])
    bench.run([bench.FUPIN, "eval", "--workspace", ws, "return 1"])
    return ws


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


def bench_group_by(uri, ws, pgws, reps):
    sql = "SELECT item, SUM(value) FROM distributions WHERE valid = 1 GROUP BY item ORDER BY item"
    peer = ["psql", "-X", "-At", uri, "-c", sql]
    lite = ["sqlite3", os.path.join(ws, "fupin.sqlite"), sql]
    ours = [bench.FUPIN, "eval", "--workspace", pgws,
            "local t = fp.distributions:group_by('item'):sum('value') local n, s = 0, 0 "
            "for _, v in pairs(t) do n = n + 1 s = s + v end return n, math.floor(s * 100 + 0.5)"]
    bench.run(peer), bench.run(ours)
    o, p = bench.interleave(reps, ours, peer)
    o, p = min(o, key=lambda r: r.wall), min(p, key=lambda r: r.wall)
    if bench.lines(p.out) != bench.lines(bench.run(lite).out):
        raise SystemExit("group-by: psql %r differs from sqlite3" % p.out[:300])
    n, s = o.out.split()
    peer_rows = p.out.strip().splitlines()
    if int(n) != len(peer_rows) or int(s) != sum(int(l.split("|")[1]) for l in peer_rows):
        raise SystemExit("group-by: ours %r differs from psql %r" % (o.out, p.out[:300]))
    rows = Server.psql(uri, "SELECT count(*) FROM distributions").strip()
    bench.report("group-by-sum-pg (s wall)", o.wall, p.wall, 1.2, "s",
                 "fp.distributions:group_by('item'):sum('value') via fupin eval on a PostgreSQL workspace vs the "
                 "same SQL in psql, %s rows, best wall of %d, interleaved; result equal (and psql's equal to "
                 "sqlite3's); cpu ours=%.3f peer=%.3f (the server does the grouping)" % (rows, reps, o.cpu, p.cpu))


def bench_iterate(uri, pgws, reps):
    conninfo = uri
    peer = ["lua5.4", os.path.join(BENCH, "peers/iterate_luasql_pg.lua"), conninfo, "households", "size"]
    ours = [bench.FUPIN, "eval", "--workspace", pgws,
            "local n, s = 0, 0 for h in fp.households:iter() do n = n + 1 s = s + (h.size or 0) end return n, s"]
    bench.run(peer), bench.run(ours)
    o, p = bench.interleave(reps, ours, peer)
    o, p = min(o, key=lambda r: r.wall), min(p, key=lambda r: r.wall)
    if o.out.split() != p.out.split():
        raise SystemExit("iterate: ours %r differs from luasql %r" % (o.out, p.out))
    bench.report("iterate-rows-pg (s wall)", o.wall, p.wall, 1.0, "s",
                 "every household into a Lua table, summing size: fp.households:iter() via fupin eval on a "
                 "PostgreSQL workspace vs lua5.4 + luasql-postgres; %s rows, result equal; best wall of %d, "
                 "interleaved; cpu ours=%.3f peer=%.3f; peak MB ours=%.0f peer=%.0f (luasql holds the whole "
                 "result in memory)" % (p.out.split()[0], reps, o.cpu, p.cpu, o.rss_mb, p.rss_mb),
                 {"peak_mb_ours": round(o.rss_mb, 1), "peak_mb_peer": round(p.rss_mb, 1),
                  "cpu_ours": round(o.cpu, 3), "cpu_peer": round(p.cpu, 3)})


def figures(text):
    """"key<TAB>value" lines as {key: number}: psql prints a real sum as 10 where sqlite3 prints
    10.0, and money without its trailing zero, so the two are compared as numbers."""
    out = {}
    for line in text.splitlines():
        if line.strip():
            key, value = line.split("\t", 1)
            out[key] = float(value)
    return out


def bench_annual(uri, ws, pgws, reps):
    """`fupin report annual` on the PostgreSQL workspace vs every figure it states as hand-written
    SQL in psql (annual_summary_report_pg.sql), checked equal to the same SQL's figures on the
    SQLite workspace (annual_summary_report.sql, the peer of the report in run.py)."""
    sql = os.path.join(BENCH, "annual_summary_report_pg.sql")
    peer = ["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-v", "unit=%d" % bench.UNIT,
            "-v", "year=%d" % bench.YEAR, "-v", "from=%d-01-01" % bench.YEAR, "-v", "to=%d-01-01" % (bench.YEAR + 1),
            uri, "-f", sql]
    params = ["-cmd", ".param set :year %d" % bench.YEAR, "-cmd", ".param set :unit %d" % bench.UNIT,
              "-cmd", ".param set :from \"'%d-01-01'\"" % bench.YEAR,
              "-cmd", ".param set :to \"'%d-01-01'\"" % (bench.YEAR + 1)]
    with open(os.path.join(BENCH, "annual_summary_report.sql")) as f:
        lite = bench.run(["sqlite3"] + params + [os.path.join(ws, "fupin.sqlite")], stdin=f)
    report = [bench.FUPIN, "report", "annual", "--year", str(bench.YEAR), "--unit", bench.UNIT_NAME, "--format", "txt"]
    on_pg = dict(os.environ, FUPIN_WORKSPACE=pgws)
    bench.run(peer), bench.run(report, env=on_pg)
    o, p = bench.interleave(reps, lambda: bench.run(report, env=on_pg), lambda: bench.run(peer))
    o, p = min(o, key=lambda r: r.wall), min(p, key=lambda r: r.wall)
    ours_figures, lite_figures = figures(p.out), figures(lite.out)
    if ours_figures.keys() != lite_figures.keys() or any(
            abs(v - lite_figures[k]) > 1e-6 for k, v in ours_figures.items()):
        diff = [k for k in set(ours_figures) | set(lite_figures) if ours_figures.get(k) != lite_figures.get(k)]
        raise SystemExit("annual: psql and sqlite3 differ in %s" % sorted(diff)[:10])
    # The report's text is checked against the same command on the SQLite workspace the store
    # was copied from (untimed), whose figures run.py checks against the same SQL.
    on_lite = bench.run(report, env=dict(os.environ, FUPIN_WORKSPACE=ws))
    if o.out != on_lite.out:
        diff = set(bench.lines(o.out)) ^ set(bench.lines(on_lite.out))
        raise SystemExit("annual: the report on PostgreSQL differs from SQLite's in %s" % sorted(diff)[:10])
    bench.report("annual-report-pg (s wall)", o.wall, p.wall, 1.5, "s",
                 "fupin report annual --year %d --unit %s --format txt on a PostgreSQL workspace (the whole "
                 "report, %d lines, the same text as on the SQLite workspace) vs every figure it states as "
                 "hand-written SQL in psql (Benchmarks/annual_summary_report_pg.sql: %d figures, equal to "
                 "annual_summary_report.sql's on SQLite); best wall of %d, interleaved; cpu ours=%.3f peer=%.3f"
                 % (bench.YEAR, bench.UNIT_NAME, len(o.out.splitlines()), len(ours_figures), reps, o.cpu, p.cpu))


def bench_import(server, reps):
    """`fupin import national` into a fresh PostgreSQL workspace vs `psql \\copy` of the same file
    into a plain table of text columns (no keys, indexes or checks), each on its own database."""
    people = 100_000 if bench.QUICK else 1_000_000
    sys.path.insert(0, BENCH)
    from gen_national import HEADER  # noqa: E402  (the file's columns, for the peer's table)
    with tempfile.TemporaryDirectory(prefix="fupin-pgimport-") as d:
        csv = os.path.join(d, "national.csv")
        subprocess.run([sys.executable, os.path.join(BENCH, "gen_national.py"), str(people), csv], check=True)
        subprocess.run(["cat", csv], stdout=subprocess.DEVNULL)
        counter = [0]

        def ours():
            counter[0] += 1
            uri = server.database("import%d" % counter[0])
            ws = os.path.join(d, "ws%d" % counter[0])
            bench.run([bench.FUPIN, "init", ws, "--store", uri, "--operator", "bench"])
            bench.run([bench.FUPIN, "eval", "--workspace", ws, "return 1"])
            os.sync()
            r = bench.run([bench.FUPIN, "import", "national", csv, "--workspace", ws, "--operator", "bench"])
            n = Server.psql(uri, "SELECT count(*) FROM members").strip()
            if n != str(people):
                raise SystemExit("import: %s members imported on PostgreSQL, expected %d" % (n, people))
            shutil.rmtree(ws)
            Server.psql(server.uri, "DROP DATABASE import%d" % counter[0])
            return r

        def peer():
            counter[0] += 1
            uri = server.database("peer%d" % counter[0])
            Server.psql(uri, "CREATE TABLE t (%s)" % ", ".join("c%d text" % i for i in range(len(HEADER))))
            os.sync()
            r = bench.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", uri, "-c", "\\copy t FROM '%s' CSV HEADER" % csv])
            n = Server.psql(uri, "SELECT count(*) FROM t").strip()
            if n != str(people):
                raise SystemExit("import: psql loaded %s rows, expected %d" % (n, people))
            Server.psql(server.uri, "DROP DATABASE peer%d" % counter[0])
            return r

        o, p = bench.interleave(reps, ours, peer)
    o, p = min(o, key=lambda r: r.wall), min(p, key=lambda r: r.wall)
    bench.report("import-national-pg (s wall)", o.wall, p.wall, 3, "s",
                 "%d people: fupin import national into a fresh PostgreSQL workspace (checks, households, "
                 "members, indexes, audit log, one transaction) vs psql \\copy of the same file into a plain "
                 "table of text columns; best wall of %d, interleaved; cpu ours=%.2f peer=%.2f (the server's work "
                 "is in neither); peak MB ours=%.0f peer=%.0f" % (people, reps, o.cpu, p.cpu, o.rss_mb, p.rss_mb))


def bench_writers(uri, pgws, units=100):
    """16 `fupin eval` processes adding `units` households each (one transaction per household,
    with its audit entry) at the same time, against 1 process doing the same: units per second,
    process start-up included. Run last: it adds households to the store the others read."""
    def write(writers, tag):
        lua = ("for i = 1, %d do fp.households:add{number = '%s-%%d-' .. i, head_name = '户主', village_id = 1} "
               "end return %d" % (units, tag, units))
        cmds = [[bench.FUPIN, "eval", "--workspace", pgws, "--operator", "bench", lua % w] for w in range(writers)]
        start = time.monotonic()
        procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in cmds]
        outs = [p.communicate() for p in procs]
        wall = time.monotonic() - start
        for p, (out, err) in zip(procs, outs):
            if p.returncode != 0:
                raise SystemExit("writers: a writer failed (%d): %s" % (p.returncode, err.decode()[-500:]))
        n = int(Server.psql(uri, "SELECT count(*) FROM households WHERE number LIKE '%s-%%'" % tag).strip())
        audited = int(Server.psql(uri, "SELECT count(*) FROM audit_log a JOIN households h ON h.id = a.record_id "
                                       "AND a.collection = 'households' AND a.action = 'insert' "
                                       "WHERE h.number LIKE '%s-%%'" % tag).strip())
        if n != writers * units or audited != writers * units:
            raise SystemExit("writers: %d households and %d audit entries for %s, expected %d"
                             % (n, audited, tag, writers * units))
        return writers * units / wall, wall

    one, one_wall = write(1, "bw1")
    many, many_wall = write(16, "bw16")
    bench.report("concurrent-writers-pg (units/s)", many, one, None, "units/s",
                 "ours = 16 fupin eval processes at once, peer = 1 process: each adds %d households with "
                 "fp.households:add (one transaction and audit entry each) on the PostgreSQL workspace; all "
                 "land, each audited once; wall 16 writers %.2f s, 1 writer %.2f s (process start-up included); "
                 "ratio = the gain from 16 writers on %d cores" % (units, many_wall, one_wall, os.cpu_count()))


def write_results(path, meta, results):
    """Writes this run's lines to `path`. A run of some lines only (--only) replaces those lines
    of the file and keeps the others, each measured line carrying its own run's details."""
    previous = None
    if os.path.exists(path):
        with open(path) as f:
            previous = json.load(f)
    names = {r["name"] for r in previous["results"]} if previous else set()
    if previous and not names <= {r["name"] for r in results}:
        for r in results:
            r["run"] = meta
        fresh = {r["name"]: r for r in results}
        kept = [fresh.pop(r["name"], r) for r in previous["results"]]
        previous["results"] = kept + list(fresh.values())
        previous.setdefault("later_runs", []).append(meta)
        document = previous
    else:
        document = {"run": meta, "results": results}
    with open(path, "w") as f:
        json.dump(document, f, ensure_ascii=False, indent=2)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="store-copy,group-by,iterate,annual,import,writers")
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
        # Every line starts from a quiet server: the load's dirty pages written out now, not by a
        # checkpoint in the middle of whichever measurement comes first.
        Server.psql(uri, "CHECKPOINT")
        pgws = attach(uri)
        # The attached folder goes with the server (its store is dropped with it).
        atexit.register(shutil.rmtree, os.path.dirname(pgws), True)
        if "group-by" in only:
            bench.log("group-by")
            bench_group_by(uri, ws, pgws, args.reps)
        if "iterate" in only:
            bench.log("iterate")
            bench_iterate(uri, pgws, args.reps)
        if "annual" in only:
            bench.log("annual report")
            bench_annual(uri, ws, pgws, args.reps)
        if "import" in only:
            bench.log("national import")
            bench_import(server, args.reps)
        if "writers" in only:
            bench.log("16 writers")
            bench_writers(uri, pgws)
    finally:
        server.stop()
    load = os.getloadavg()
    version = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    meta = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "scale": scale, "seconds": round(time.monotonic() - started, 1),
            "load_average": [round(x, 2) for x in load], "cpus": os.cpu_count(), "fupin": bench.FUPIN,
            "postgresql": version, "server": "Scripts/pg-test-server (fsync, synchronous_commit, full_page_writes off)",
            "metric": "best-of-N wall seconds (the server's CPU is outside the client processes)"}
    write_results(os.path.join(BENCH, "results-pg-%s.json" % scale), meta, bench.results)
    bench.log("done in %.0f s (load average %.1f %.1f %.1f); results in Benchmarks/results-pg-%s.json"
              % ((meta["seconds"],) + load + (scale,)))


if __name__ == "__main__":
    main()
