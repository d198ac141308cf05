#!/usr/bin/env python3
"""The annual summary's figures as a Python analyst would compute them with pandas: read the
tables it needs from the workspace's SQLite file into DataFrames, then filter and group in pandas.
Peer (reported, no target) of annual_summary.lua; prints the same "key<TAB>value" lines.

Also `--group-by`: the group-by-sum benchmark's aggregate (distributions by item, sum of value).

Usage: annual_summary_pandas.py DB YEAR UNIT_ID
       annual_summary_pandas.py DB --group-by
"""
import sqlite3
import sys

import pandas as pd


def read(con, sql, params=()):
    return pd.read_sql_query(sql, con, params=params)


def group_by(con):
    d = read(con, "SELECT item, value FROM distributions WHERE valid = 1")
    sums = d.groupby("item")["value"].sum()
    print(len(sums), int(sums.sum()))


def summary(con, year, unit):
    lo, hi = "%d-01-01" % year, "%d-01-01" % (year + 1)
    out = []

    def put(key, value):
        out.append("%s\t%d" % (key, int(round(value))))

    def put_groups(prefix, series):
        for k, v in series.items():
            put(prefix + str(k), v)

    villages = read(con, "SELECT id, unit_id FROM villages WHERE valid = 1")
    vids = villages.loc[villages.unit_id == unit, "id"]
    households = read(con, "SELECT id, village_id, status FROM households WHERE valid = 1")
    h = households[households.village_id.isin(vids)]
    put("villages", len(vids))
    put("households", len(h))
    put_groups("households_by_status.", h.groupby("status").size())

    funds = read(con, "SELECT unit_id, date, direction, source, amount FROM funds WHERE valid = 1")
    f = funds[(funds.unit_id == unit) & (funds.date >= lo) & (funds.date < hi)]
    put_groups("funds_in.", f[f.direction == "in"].groupby("source")["amount"].sum())
    put_groups("funds_out.", f[f.direction == "out"].groupby("source")["amount"].sum())

    dist = read(con, "SELECT date, village_id, item, quantity, value FROM distributions WHERE valid = 1")
    d = dist[dist.village_id.isin(vids) & (dist.date >= lo) & (dist.date < hi)]
    put_groups("distributions_quantity.", d.groupby("item")["quantity"].sum())
    put_groups("distributions_value.", d.groupby("item")["value"].sum())

    sales = read(con, "SELECT date, household_id, product, amount FROM sales WHERE valid = 1")
    s = sales[sales.household_id.isin(h.id) & (sales.date >= lo) & (sales.date < hi)]
    put_groups("sales.", s.groupby("product")["amount"].sum())

    eco = read(con, "SELECT unit_id, year, planned_area, completed_area FROM eco_projects WHERE valid = 1")
    e = eco[(eco.unit_id == unit) & (eco.year == year)]
    put("eco_projects", len(e))
    put("eco_planned_area", e.planned_area.sum())
    put("eco_completed_area", e.completed_area.sum())

    rangers = read(con, "SELECT unit_id, year, wage FROM ranger_posts WHERE valid = 1")
    r = rangers[(rangers.unit_id == unit) & (rangers.year == year)]
    put("rangers", len(r))
    put("ranger_wages", r.wage.sum())

    trainings = read(con, "SELECT id, unit_id, date FROM trainings WHERE valid = 1")
    t = trainings[(trainings.unit_id == unit) & (trainings.date >= lo) & (trainings.date < hi)]
    attendees = read(con, "SELECT training_id FROM training_attendees")
    put("trainings", len(t))
    put("training_attendees", attendees.training_id.isin(t.id).sum())

    cadres = read(con, "SELECT id, unit_id FROM cadres WHERE valid = 1")
    visits = read(con, "SELECT date, cadre_id, mode FROM visits WHERE valid = 1")
    vi = visits[visits.cadre_id.isin(cadres.loc[cadres.unit_id == unit, "id"]) & (visits.date >= lo) & (visits.date < hi)]
    put("visits", len(vi))
    put_groups("visits_by_mode.", vi.groupby("mode").size())

    out.sort()
    print("\n".join(out))


def main():
    con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    if sys.argv[2] == "--group-by":
        group_by(con)
    else:
        summary(con, int(sys.argv[2]), int(sys.argv[3]))


if __name__ == "__main__":
    main()
