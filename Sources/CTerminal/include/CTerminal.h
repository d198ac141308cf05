// C helpers for the REPL that Swift cannot write itself: setting libedit's global hooks
// (Swift 6 strict concurrency refuses C globals), wcwidth (hidden from Swift's Glibc
// module), and the locale libedit needs to accept Chinese input.
#ifndef CTERMINAL_H
#define CTERMINAL_H

/// Sets LC_ALL (and LC_CTYPE) from the environment, falling back to C.UTF-8 when the
/// environment's locale is not UTF-8, so libedit and wcwidth handle Chinese text.
void fped_setup_locale(void);

/// Display width of one Unicode scalar in terminal columns (0, 1 or 2; -1 for control).
int fped_wcwidth(unsigned int scalar);

#endif
