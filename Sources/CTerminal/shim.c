#define _XOPEN_SOURCE 700
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "CTerminal.h"

void fped_setup_locale(void) {
    const char *loc = setlocale(LC_ALL, "");
    const char *ctype = setlocale(LC_CTYPE, NULL);
    if (loc == NULL || ctype == NULL || (strstr(ctype, "UTF-8") == NULL && strstr(ctype, "utf8") == NULL)) {
        if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) setlocale(LC_CTYPE, "C.utf8");
    }
}

int fped_wcwidth(unsigned int scalar) {
    return wcwidth((wchar_t)scalar);
}
