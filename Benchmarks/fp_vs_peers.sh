#!/usr/bin/env bash
# The fp API beside the tools an analyst would otherwise use, on one generated workspace:
#   group-by-sum:  fp.members:group_by(...):count() from Lua  vs the same SQL in the sqlite3 shell (≤ 1.2)
#   iterate-rows:  every member into a Lua table, summing a field  vs lua5.4 + luasql (≤ 1.0), with peak memory
# Each line: name: ours=<s> peer=<s> ratio=<r> target=<t>
#
# Usage: Benchmarks/fp_vs_peers.sh [PEOPLE]     (default 1000000; QUICK=1 → 100000)
# Needs python3, sqlite3, lua5.4, lua-sql-sqlite3, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE="${1:-$([ -n "${QUICK:-}" ] && echo 100000 || echo 1000000)}"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/fupin-fp-bench.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

swift build -c release --scratch-path .build-release >&2
FUPIN="$(swift build -c release --scratch-path .build-release --show-bin-path)/fupin"
python3 Benchmarks/gen_national.py "$PEOPLE" "$SCRATCH/national.csv"
"$FUPIN" init "$SCRATCH/ws" --operator bench >/dev/null
"$FUPIN" import national "$SCRATCH/national.csv" --workspace "$SCRATCH/ws" --operator bench >/dev/null
DB="$SCRATCH/ws/fupin.sqlite"

# best of 3: wall seconds and peak KB of a command
measure() {
  local best="" kb=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$SCRATCH/t" "$@" > "$SCRATCH/out" 2>/dev/null
    read -r s m < "$SCRATCH/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; kb=$m; fi
  done
  echo "$best $kb"
}
line() {  # name ours peer target [extra]
  awk -v n="$1" -v o="$2" -v p="$3" -v t="$4" -v x="${5:-}" \
    'BEGIN { r = (p > 0) ? o / p : 0; printf "%s: ours=%.3f peer=%.3f ratio=%.2f target=%s%s\n", n, o, p, r, t, x }'
}

read -r G_OURS _ < <(measure "$FUPIN" eval --workspace "$SCRATCH/ws" \
  "local t = fp.members:group_by('education'):count() local n = 0 for _, v in pairs(t) do n = n + v end return n")
read -r G_PEER _ < <(measure sqlite3 "$DB" "SELECT education, COUNT(*) FROM members WHERE valid = 1 GROUP BY education")
line "group-by-count (s)" "$G_OURS" "$G_PEER" 1.2

read -r I_OURS I_KB < <(measure "$FUPIN" eval --workspace "$SCRATCH/ws" \
  "local n, s = 0, 0 for m in fp.members:iter() do n = n + 1 s = s + (m.migrant_months or 0) end return n, s")
read -r I_PEER P_KB < <(measure lua5.4 Benchmarks/peers/iterate_luasql.lua "$DB")
line "iterate-rows (s)" "$I_OURS" "$I_PEER" 1.0 "  peak MB ours=$((I_KB / 1024)) peer=$((P_KB / 1024)), $PEOPLE members"
