#!/usr/bin/env python3
"""What running plugin commands in worker processes costs (issue 15, "Performance").

  isolation-noop      a plugin command that does nothing, whole `fupin` process, median wall ms:
                      in a worker vs in-process (FUPIN_PLUGIN_WORKERS=0); the difference is the
                      worker's spawn-to-result cost. Target: ≤ 5 ms of difference.
  isolation-calls     the same command called N times from one `fupin eval`: ms per call, the
                      worker kept between calls (the default) and a new process per call
                      (FUPIN_WORKER_REUSE=0), beside in-process.
  isolation-annual    fupin report annual (the report plugin) in workers vs the hand-written SQL
                      (target ≤ 1.5×), and vs the same command in-process. The SQL
                      (annual_summary_report.sql) computes every figure the summary states, its
                      appendices included; the run fails unless both give the same numbers.
  isolation-iterate   a plugin command iterating every household vs the same loop in a trusted
                      `fupin eval` (target ≤ 1.5×); CPU includes the worker's (wait4 counts reaped
                      children). The note gives the same command in-process too.

A report that fails (for example stopped at its time limit) is recorded as failed, with its
error, instead of ending the run: an older binary can then be measured beside a newer one.

Usage: isolation.py WORKSPACE [--reps N] [--out NAME]   (a workspace from gen_workspace.py; FUPIN as run.py)
Writes Benchmarks/results-isolation-NAME.json (default NAME: quick).
"""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as harness  # noqa: E402

PLUGIN = "isolation-bench"

# The summary's figures as "key<TAB>value" lines (grouped figures as key.group), from the
# report command's result: what the SQL peer must reproduce.
FIGURES_LUA = """
local r = fp.plugins.report.annual{ year = %d, unit = %s, format = "txt" }
local out = {}
local function put(k, v)
  if type(v) == "table" then for kk, vv in pairs(v) do put(k .. "." .. tostring(kk), vv) end
  elseif type(v) == "number" then out[#out + 1] = k .. "\\t" .. string.format("%%.2f", v)
  else out[#out + 1] = k .. "\\t" .. tostring(v) end
end
for k, v in pairs(r.figures) do put(k, v) end
table.sort(out)
print("--- figures ---")
print(table.concat(out, "\\n"))
"""

VILLAGE_COLUMNS = ["households", "people", "open", "measures", "material", "visits", "sales"]


def appendix_figures(text, year):
    """附件1 (both years) and 附件2 (each village) of the summary's text, by the SQL peer's keys."""
    with open(os.path.join(harness.ROOT, "Plugins/report/lib/appendix.lua")) as f:
        keys = dict(re.findall(r'\{ "([^"]+)", "([a-z_]+)" \}', f.read()))
    out, part = {}, None
    for line in text.splitlines():
        if line.startswith("附件1"):
            part = 1
        elif line.startswith("附件2"):
            part = 2
        elif part and line.startswith("附"):
            part = None
        cells = re.split(r"\s{2,}", line.strip())
        if part == 1 and cells[0] in keys and len(cells) >= 3:
            out["appendix.%s.%d" % (keys[cells[0]], year)] = cells[1]
            out["appendix.%s.%d" % (keys[cells[0]], year - 1)] = cells[2]
        elif part == 2 and len(cells) == 1 + len(VILLAGE_COLUMNS) and re.match(r"[\d,.]+$", cells[1]):
            for name, value in zip(VILLAGE_COLUMNS, cells[1:]):
                out["village.%s.%s" % (cells[0], name)] = value
    return out


def check_same_figures(fupin, ws, env, year, unit, text, sql_out):
    """Fails the benchmark unless the SQL peer gives every figure the summary states (its
    --explain figures and both appendices), with the same value."""
    r = harness.run([fupin, "eval", "--workspace", ws, FIGURES_LUA % (year, json.dumps(unit, ensure_ascii=False))], env=env)
    mine = dict(line.split("\t", 1) for line in r.out.split("--- figures ---\n", 1)[1].splitlines() if "\t" in line)
    mine.update(appendix_figures(text, year))
    peer = dict(line.split("\t", 1) for line in sql_out.splitlines() if "\t" in line)

    def number(x):
        try:
            return round(float(x.replace(",", "")), 2)
        except ValueError:
            return x
    missing = sorted(k for k in mine if k not in peer)
    extra = sorted(k for k in peer if k not in mine)
    differ = sorted(k for k in mine if k in peer and number(mine[k]) != number(peer[k]))
    if missing or extra or differ:
        raise SystemExit("annual: the SQL peer and the summary disagree: missing in SQL %s; only in SQL %s; differ %s"
                         % (missing[:10], extra[:10], [(k, mine[k], peer[k]) for k in differ[:10]]))
    return len(mine)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workspace")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default="quick")
    args = ap.parse_args()
    ws, fupin = os.path.abspath(args.workspace), harness.FUPIN
    base = dict(os.environ, FUPIN_PLUGIN_PATH=os.path.join(harness.BENCH, "plugins"), FUPIN_WORKSPACE=ws)
    workers = dict(base, FUPIN_PLUGIN_WORKERS="1")
    inproc = dict(base, FUPIN_PLUGIN_WORKERS="0")

    noop = [fupin, PLUGIN, "nothing", "--workspace", ws]
    harness.run(noop, env=workers), harness.run(noop, env=inproc)
    w, i = [], []
    for _ in range(21):
        w.append(harness.run(noop, env=workers))
        i.append(harness.run(noop, env=inproc))
    mw, mi = harness.median([r.wall for r in w]) * 1000, harness.median([r.wall for r in i]) * 1000
    harness.report("isolation-noop (ms, median wall)", mw, mi, None, "ms",
                   "fupin %s nothing, 21 runs each: worker minus in-process = %.2f ms (target ≤ 5 ms)" % (PLUGIN, mw - mi),
                   {"worker_cost_ms": round(mw - mi, 2), "met": mw - mi <= 5})

    calls = 200
    script = "for i = 1, %d do fp.plugins['%s'].nothing{} end" % (calls, PLUGIN)
    zero = [fupin, "eval", "--workspace", ws, "for i = 1, 0 do end"]
    many = [fupin, "eval", "--workspace", ws, script]
    z = [harness.run(zero, env=workers) for _ in range(5)]
    m = [harness.run(many, env=workers) for _ in range(5)]
    per_call = (harness.median([r.wall for r in m]) - harness.median([r.wall for r in z])) / calls * 1000
    per_call_cpu = (harness.median([r.cpu for r in m]) - harness.median([r.cpu for r in z])) / calls * 1000
    mi2 = [harness.run(many, env=inproc) for _ in range(5)]
    per_call_in = (harness.median([r.wall for r in mi2]) - harness.median([r.wall for r in z])) / calls * 1000
    fresh = [harness.run(many, env=dict(workers, FUPIN_WORKER_REUSE="0")) for _ in range(5)]
    per_call_fresh = (harness.median([r.wall for r in fresh]) - harness.median([r.wall for r in z])) / calls * 1000
    harness.report("isolation-calls (ms per call, wall)", per_call, per_call_in, None, "ms",
                   "fp.plugins['%s'].nothing{} %d times in one fupin eval, median of 5, minus an empty eval; "
                   "CPU per call in a worker %.2f ms; a new process per call (FUPIN_WORKER_REUSE=0) %.2f ms"
                   % (PLUGIN, calls, per_call_cpu, per_call_fresh))

    year, unit = harness.YEAR, harness.UNIT_NAME
    annual = [fupin, "report", "annual", "--year", str(year), "--unit", unit, "--format", "txt"]
    db = os.path.join(ws, "fupin.sqlite")
    params = ["-cmd", ".param set :year %d" % year, "-cmd", ".param set :unit %d" % harness.UNIT,
              "-cmd", ".param set :from \"'%d-01-01'\"" % year, "-cmd", ".param set :to \"'%d-01-01'\"" % (year + 1)]
    sql = os.path.join(harness.BENCH, "annual_summary_report.sql")

    def peer():
        with open(sql) as f:
            return harness.run(["sqlite3"] + params + [db], stdin=f)

    first = harness.run(annual, env=workers, check=False)
    peer()
    if first.code != 0:
        harness.report("isolation-annual (s cpu)", first.cpu, peer().cpu, 1.5, "s",
                       "FAILED after %.1f s wall (exit %d): the report did not finish" % (first.wall, first.code),
                       {"failed": True})
    else:
        a, p, ai = harness.interleave(args.reps, lambda: harness.run(annual, env=workers), peer,
                                      lambda: harness.run(annual, env=inproc))
        a, p, ai = harness.best(a), harness.best(p), harness.best(ai)
        if a.out != ai.out:
            raise SystemExit("annual: the worker's document differs from the in-process one")
        shared = check_same_figures(fupin, ws, workers, year, unit, a.out, p.out)
        harness.report("isolation-annual (s cpu)", a.cpu, p.cpu, 1.5, "s",
                       "fupin report annual --year %d --unit %s in a worker vs the hand-written SQL; in-process %.3f s "
                       "(worker/in-process %.2f); wall worker=%.3f sql=%.3f; %d figures checked equal on both sides"
                       % (year, unit, ai.cpu, a.cpu / ai.cpu, a.wall, p.wall, shared))

    plugin_iter = [fupin, PLUGIN, "iterate", "--workspace", ws]
    trusted = [fupin, "eval", "--workspace", ws,
               "local n, s = 0, 0 for h in fp.households:iter() do n = n + 1 s = s + (h.size or 0) end print(n .. '\\t' .. s)"]
    harness.run(plugin_iter, env=workers), harness.run(trusted, env=workers)
    o, t, oi = harness.interleave(args.reps, lambda: harness.run(plugin_iter, env=workers), lambda: harness.run(trusted, env=workers),
                                  lambda: harness.run(plugin_iter, env=inproc))
    o, t, oi = harness.best(o), harness.best(t), harness.best(oi)
    if o.out.split() != t.out.split():
        raise SystemExit("iterate: plugin %r differs from trusted %r" % (o.out, t.out))
    harness.report("isolation-iterate (s cpu)", o.cpu, t.cpu, 1.5, "s",
                   "%s households into Lua tables in a plugin's worker vs a trusted fupin eval; the plugin in-process %.3f s; "
                   "wall plugin=%.3f trusted=%.3f" % (o.out.split()[0], oi.cpu, o.wall, t.wall))

    meta = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "workspace": ws, "fupin": fupin,
            "load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    with open(os.path.join(harness.BENCH, "results-isolation-%s.json" % args.out), "w") as f:
        json.dump({"run": meta, "results": harness.results}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
