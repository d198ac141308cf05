// libedit's readline-compatible interface, as Debian installs it (pkg-config libedit).
#include <stdio.h>
#include <editline/readline.h>
