#!/usr/bin/env bash
# Runs the official Lua 5.4 test files (lua/lua, folder testes/, Lua 5.4.4) under `fupin run`,
# each from inside their folder as `lua5.4 FILE.lua` would be. The files are not part of this
# repository: pass the folder that holds them.
#
#   Tests/LuaSuite/run.sh /tmp/lua-5.4.4-tests
set -uo pipefail
dir=${1:?usage: run.sh FOLDER-WITH-LUA-TESTS}
fupin=${FUPIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/debug/fupin}
cd "$dir" || exit 2
passed=0 failed=0
check() {   # name, command...
  local name=$1; shift
  if "$@" >"/tmp/lua-suite-$name.out" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name (see /tmp/lua-suite-$name.out)"; fi
}
for f in api bitwise calls closure code constructs coroutine cstack db errors events gc gengc goto \
         literals locals math nextvar pm sort strings tpack utf8 vararg verybig; do
  check "$f" timeout 600 "$fupin" run "$f.lua"
done
check files timeout 600 "$fupin" eval '_port = true dofile("files.lua")'
check attrib timeout 600 "$fupin" eval '_port = true dofile("attrib.lua")'
check big timeout 600 "$fupin" eval "local f = coroutine.wrap(assert(loadfile('big.lua'))) assert(f() == 'b') assert(f() == 'a')"
check heavy bash -c "ulimit -v 4000000; timeout 600 '$fupin' run heavy.lua"
check all timeout 900 "$fupin" eval '_port = true dofile("all.lua")'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
