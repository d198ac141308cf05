#!/usr/bin/env bash
# Full disk on a real file system: a workspace on a small tmpfs (needs root and permission to
# mount; the test suite does the same with a file size limit, which needs neither). An import
# that cannot fit must fail with a clear message, roll back, and leave the workspace intact.
#
#   Tests/Reliability/full-disk.sh [FUPIN]      (default .build/debug/fupin)
set -euo pipefail
cd "$(dirname "$0")/../.."
fupin="$(realpath "${1:-.build/debug/fupin}")"
mnt="$(mktemp -d /tmp/fupin-full-XXXXXX)"
work="$(mktemp -d /tmp/fupin-full-work-XXXXXX)"
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$mnt" "$work"; }
trap cleanup EXIT
mount -t tmpfs -o size=3m tmpfs "$mnt" || { echo "cannot mount a tmpfs here; the suite's RLIMIT_FSIZE test covers this"; exit 0; }
"$fupin" init "$mnt/ws" --sample >/dev/null
before=$(sqlite3 "$mnt/ws/fupin.sqlite" "SELECT COUNT(*) FROM distributions")
{
  echo "date,household_number,item,quantity,unit,value,fund_source,cadre_id,note"
  for i in $(seq 1 60000); do echo "2019-06-01,1506020010101,雏鸡,1,只,8.00,单位自筹,2,full disk $i 长长长长长长长长长长长长长长长长"; done
} > "$work/big.csv"
set +e
"$fupin" import distributions "$work/big.csv" --workspace "$mnt/ws" 2> "$work/err"
status=$?
set -e
echo "status $status: $(cat "$work/err")"
[ "$status" -ne 0 ] && [ "$status" -lt 128 ] || { echo "FAIL: status $status"; exit 1; }
grep -q "full" "$work/err" || { echo "FAIL: the message does not say the disk is full"; exit 1; }
[ "$(sqlite3 "$mnt/ws/fupin.sqlite" "PRAGMA integrity_check")" = ok ] || { echo "FAIL: integrity"; exit 1; }
after=$(sqlite3 "$mnt/ws/fupin.sqlite" "SELECT COUNT(*) FROM distributions")
[ "$before" = "$after" ] || { echo "FAIL: $before rows before, $after after"; exit 1; }
"$fupin" eval 'fp.distributions:count()' --workspace "$mnt/ws" >/dev/null || { echo "FAIL: does not open"; exit 1; }
echo "ok: disk full reported, rolled back ($after rows as before), integrity ok, the workspace opens"
