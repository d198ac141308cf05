#!/usr/bin/env bash
# Builds the libFuzzer targets (a package of its own, out of `swift test`) and runs one.
#
#   Tests/Fuzz/run.sh build                  build every target (release, fuzzer+address)
#   Tests/Fuzz/run.sh TARGET [SECONDS]       run FuzzImport | FuzzQuery | FuzzLuaFilter | FuzzWire |
#                                            FuzzLuaProgram
#                                            (default 600 s) on Tests/Fuzz/corpus/<name>/;
#                                            crash inputs land in Tests/Fuzz/crashes/
#   Tests/Fuzz/run.sh replay TARGET FILE...  run the target once on each FILE (regressions)
#
# One job at a time (-workers=1): the fuzzers share a small machine with builds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
build_flags=(-c release --scratch-path "$here/.build" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
corpus_of() {
  case "$1" in
    FuzzImport) echo corpus/import ;;
    FuzzQuery) echo corpus/query ;;
    FuzzLuaFilter) echo corpus/lua-filter ;;
    FuzzWire) echo corpus/wire ;;
    FuzzLuaProgram) echo corpus/lua-program ;;
    *) echo "unknown target $1" >&2; exit 2 ;;
  esac
}
case "${1:-}" in
  build)
    swift build "${build_flags[@]}"
    ;;
  replay)
    target="$2"; shift 2
    swift build "${build_flags[@]}" --product "$target" >/dev/null
    "$here/.build/release/$target" -runs=1 "$@"
    ;;
  FuzzImport|FuzzQuery|FuzzLuaFilter|FuzzWire|FuzzLuaProgram)
    target="$1"; seconds="${2:-600}"
    corpus="$(corpus_of "$target")"
    mkdir -p "$corpus" crashes
    swift build "${build_flags[@]}" --product "$target" >/dev/null
    dict=()
    [ -f "dict/$target.dict" ] && dict=(-dict="dict/$target.dict")
    "$here/.build/release/$target" "$corpus" "${dict[@]}" -max_total_time="$seconds" -max_len=65536 \
      -timeout=10 -rss_limit_mb=2048 -artifact_prefix="crashes/$target-" -print_final_stats=1
    ;;
  *)
    sed -n '2,10p' "$0"; exit 2 ;;
esac
