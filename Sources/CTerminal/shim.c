#define _XOPEN_SOURCE 700
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <editline/readline.h>
#include "CTerminal.h"

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

// MARK: - libedit

static fped_completer_fn completer = NULL;
static void *completer_context = NULL;

// Lua's operators and brackets break words; `.` and `:` do not, so a whole field path
// (`string.fo`, `obj:me`) reaches the completer as one word.
static const char lua_word_breaks[] = " \t\n\"\\'`@$><=;|&{}()[],+-*/%^#~";

static char **attempted_completion(const char *text, int start, int end) {
    // Never fall back to libedit's file-name completion: the completer decides.
    rl_attempted_completion_over = 1;
    if (completer == NULL) return NULL;
    return completer(completer_context, text, rl_line_buffer ? rl_line_buffer : "", start, end);
}

int fped_edit_init(const char *name) {
    static char *saved_name = NULL;
    free(saved_name);
    saved_name = strdup(name ? name : "");
    rl_readline_name = saved_name;
    return rl_initialize();
}

void fped_set_completer(fped_completer_fn fn, void *context) {
    completer = fn;
    completer_context = context;
    rl_attempted_completion_function = fn ? attempted_completion : NULL;
    rl_basic_word_break_characters = lua_word_breaks;
    rl_completer_word_break_characters = (char *)lua_word_breaks;
    rl_completion_append_character = '\0';
}

int fped_history_length(void) { return history_length; }

const char *fped_history_entry(int index) {
    HIST_ENTRY *entry = history_get(history_base + index);
    return entry ? entry->line : NULL;
}

void fped_history_limit(int max) { stifle_history(max); }

// MARK: - SIGINT

static volatile sig_atomic_t sigint_running = 0;
static volatile sig_atomic_t sigint_seen = 0;
static void (*volatile sigint_target)(void *) = NULL;
static void *volatile sigint_argument = NULL;
static struct sigaction sigint_previous;
static int sigint_installed = 0;

// Only async-signal-safe work: set flags, and while code runs ask it to stop (the target
// sets a flag and a Lua hook, as lua.c's own handler does).
static void on_sigint(int signo) {
    (void)signo;
    sigint_seen = 1;
    void (*target)(void *) = sigint_target;
    if (sigint_running && target != NULL) target(sigint_argument);
}

int fped_sigint_install(void) {
    if (sigint_installed) return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    if (sigaction(SIGINT, &action, &sigint_previous) != 0) return -1;
    sigint_installed = 1;
    return 0;
}

void fped_sigint_uninstall(void) {
    if (!sigint_installed) return;
    sigaction(SIGINT, &sigint_previous, NULL);
    sigint_installed = 0;
}

void fped_sigint_set_target(void (*target)(void *), void *argument) {
    sigint_target = NULL;           // never let the handler see a half-set pair
    sigint_argument = argument;
    sigint_target = target;
}

void fped_sigint_set_running(int running) { sigint_running = running ? 1 : 0; }

int fped_sigint_take(void) {
    int seen = sigint_seen;
    sigint_seen = 0;
    return seen;
}
