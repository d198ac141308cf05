// The C library's view of text that Swift cannot reach itself: wcwidth (hidden from
// Swift's Glibc module) and the UTF-8 locale it needs. Kept apart from CTerminal so code
// that measures text does not link libedit.
#ifndef CTEXT_H
#define CTEXT_H

/// Sets LC_ALL (and LC_CTYPE) from the environment, falling back to C.UTF-8 when the
/// environment's locale is not UTF-8, so libedit and wcwidth handle Chinese text.
/// LC_NUMERIC stays "C" so Lua keeps printing and reading `1.5` with a dot.
void fped_setup_locale(void);

/// Display width of one Unicode scalar in terminal columns (0, 1 or 2; -1 for control).
int fped_wcwidth(unsigned int scalar);

#endif
