// The system Lua 5.4 headers, as Debian installs them (pkg-config lua5.4).
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
