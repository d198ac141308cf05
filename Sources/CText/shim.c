// wcwidth is an X/Open function: glibc declares it only with _XOPEN_SOURCE (or _GNU_SOURCE).
#define _XOPEN_SOURCE 700
#include <locale.h>
#include <string.h>
#include <wchar.h>
#include "CText.h"

void fped_setup_locale(void) {
    const char *loc = setlocale(LC_ALL, "");
    const char *ctype = setlocale(LC_CTYPE, NULL);
    if (loc == NULL || ctype == NULL || (strstr(ctype, "UTF-8") == NULL && strstr(ctype, "utf8") == NULL)) {
        if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) setlocale(LC_CTYPE, "C.utf8");
    }
    // Lua formats and parses numbers with the C library: a locale with a decimal comma
    // would make tostring(1.5) print "1,5" and break scripts. lua.c never changes it either.
    setlocale(LC_NUMERIC, "C");
}

int fped_wcwidth(unsigned int scalar) {
    return wcwidth((wchar_t)scalar);
}
