// C helpers for the REPL that Swift cannot write itself: setting libedit's global hooks
// (Swift 6 strict concurrency refuses C globals) and a SIGINT handler that is
// async-signal-safe because it is plain C. The locale libedit needs for Chinese input is
// CText's `fped_setup_locale`.
#ifndef CTERMINAL_H
#define CTERMINAL_H

// MARK: - libedit (readline compatibility interface)

/// Swift's completion function. `text` is the word libedit will replace, `line` the whole
/// line, `start`/`end` the word's bounds counted in characters (not bytes). Returns a
/// readline-style array allocated with malloc: the replacement for `text` first, then the
/// candidates to list, then NULL; or NULL when there is nothing to complete.
typedef char **(*fped_completer_fn)(void *context, const char *text, const char *line, int start, int end);

/// Initialises libedit for a program called `name` (the section of ~/.editrc it reads), with
/// an input function that Ctrl-C can wake. Call after `fped_setup_locale`. Returns 0 on success.
int fped_edit_init(const char *name);

/// Installs `fn` (with `context`) as the completion function, with Lua's operators as word
/// breaks (but not `.` and `:`, so `string.fo` is one word), nothing appended after a
/// unique match, and no fallback to file names. NULL removes it.
void fped_set_completer(fped_completer_fn fn, void *context);

/// Takes the terminal out of canonical mode (echo off, signals kept) before `readline()`.
/// libedit prints the prompt before it switches to raw mode itself, and a Ctrl-D that a
/// fast typist (or a test) sends in that gap reaches it as a NUL byte (the kernel keeps an
/// end-of-file in the canonical buffer as NUL). libedit only learns "cooked" settings from
/// a canonical terminal, so after the line it still restores the real cooked mode.
void fped_leave_canonical_mode(int fd);

/// Number of entries in the in-memory history.
int fped_history_length(void);

/// History entry `index` (0 = oldest), or NULL. Valid until the history changes.
const char *fped_history_entry(int index);

/// Keeps at most `max` history entries (older ones are dropped).
void fped_history_limit(int max);

// MARK: - SIGINT

/// Installs the REPL's SIGINT handler. While "running" it calls `target(argument)`; it always
/// records that the signal came and wakes libedit's input function, so a Ctrl-C at the
/// prompt ends `readline()` (which returns NULL) whenever it comes. Returns 0 on success.
int fped_sigint_install(void);

/// Restores the handler that was in place before `fped_sigint_install`.
void fped_sigint_uninstall(void);

/// Sets what the handler calls while code runs (e.g. a function that asks a Lua state to
/// stop; it must be async-signal-safe).
void fped_sigint_set_target(void (*target)(void *), void *argument);

/// Whether code is running (1: SIGINT calls the target) or the REPL waits for input (0).
void fped_sigint_set_running(int running);

/// Returns 1 if SIGINT came since the last call, and clears the record.
int fped_sigint_take(void);

// MARK: - Terminal modes on the way out

/// Remembers the modes of the terminal `fd` (as `stty -g` would print them) for
/// `fped_terminal_restore`. Returns 0, or -1 when `fd` is not a terminal.
int fped_terminal_save(int fd);

/// Puts the remembered modes back (nothing if none were saved). Async-signal-safe.
void fped_terminal_restore(void);

/// Forgets the remembered modes: later restores (and the exit hook) do nothing.
void fped_terminal_forget(void);

/// Restores the remembered modes when the process ends: at exit(), and on SIGTERM, SIGHUP,
/// SIGQUIT and the crash signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP,
/// SIGSYS), after which the handler that was there before (the default action, or the
/// Swift runtime's crash report) runs. Signals set to be ignored stay ignored. Returns 0, or
/// -1 if some handler could not be installed.
int fped_terminal_guard_install(void);

/// Puts back the handlers that were there before `fped_terminal_guard_install`.
void fped_terminal_guard_uninstall(void);

// MARK: - Window size

/// The rows of the terminal `fd`, or 0 when it is not a terminal or its size is unknown.
int fped_terminal_rows(int fd);

#endif
