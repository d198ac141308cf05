#!/usr/bin/env bash
# Import of a generated national-layout CSV (26 columns, one row per person) with all
# validation and auditing on — `fupin import national` into a fresh workspace — beside
# sqlite3's own `.import` of the same file into a plain table, in one run. Target: ours within
# 3× of sqlite3's time.
#
# Usage: Benchmarks/import_vs_sqlite.sh [PEOPLE]      (default 1000000; QUICK=1 → 100000)
# Prints: import-national: ours=<s> peer=<s> ratio=<r> target=3
#         plus peak memory (max resident set, from /usr/bin/time) of each.
# Needs: python3, sqlite3, /usr/bin/time (Debian package `time`); builds the release binary
# into .build-release (or $FUPIN_RELEASE_SCRATCH). Scratch files go to $TMPDIR (default /tmp)
# and are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

PEOPLE="${1:-$([ -n "${QUICK:-}" ] && echo 100000 || echo 1000000)}"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/fupin-bench.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

for tool in python3 sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "import_vs_sqlite: $tool is missing (apt-get install python3 sqlite3 time)" >&2; exit 1; }
done

BUILD="${FUPIN_RELEASE_SCRATCH:-.build-release}"
swift build -c release --scratch-path "$BUILD" >&2
FUPIN="$(swift build -c release --scratch-path "$BUILD" --show-bin-path)/fupin"

CSV="$SCRATCH/national.csv"
python3 Benchmarks/gen_national.py "$PEOPLE" "$CSV"
echo "file: $PEOPLE people, $(du -h "$CSV" | cut -f1)" >&2
cat "$CSV" > /dev/null  # both runs read it from the page cache
# Each run starts with no dirty pages waiting to be written back (the generator's file, the
# other run's database), so neither pays for the other's writes.
sync

# Ours: a fresh workspace, then the import (one transaction, validated, audited).
"$FUPIN" init "$SCRATCH/ws" --operator bench >/dev/null
/usr/bin/time -f "%e %M" -o "$SCRATCH/ours.time" \
  "$FUPIN" import national "$CSV" --workspace "$SCRATCH/ws" --operator bench >"$SCRATCH/ours.out"
sync
# Peer: sqlite3's CSV import into a plain table made from the header.
/usr/bin/time -f "%e %M" -o "$SCRATCH/peer.time" \
  sqlite3 "$SCRATCH/peer.db" '.mode csv' ".import $CSV t"

read -r OURS OURS_KB < "$SCRATCH/ours.time"
read -r PEER PEER_KB < "$SCRATCH/peer.time"
OURS_ROWS="$(sqlite3 "$SCRATCH/ws/fupin.sqlite" 'SELECT COUNT(*) FROM members')"
PEER_ROWS="$(sqlite3 "$SCRATCH/peer.db" 'SELECT COUNT(*) FROM t')"
if [ "$OURS_ROWS" != "$PEOPLE" ] || [ "$PEER_ROWS" != "$PEOPLE" ]; then
  echo "import_vs_sqlite: row counts differ (ours $OURS_ROWS, peer $PEER_ROWS, expected $PEOPLE)" >&2
  exit 1
fi
RATIO="$(awk -v a="$OURS" -v b="$PEER" 'BEGIN { printf "%.2f", a / b }')"
echo "import-national: ours=$OURS peer=$PEER ratio=$RATIO target=3"
echo "peak-memory: ours=$((OURS_KB / 1024))MiB peer=$((PEER_KB / 1024))MiB"
