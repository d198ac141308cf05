#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <editline/readline.h>
#include "CTerminal.h"

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

static int wake_pipe[2] = {-1, -1};
static volatile sig_atomic_t sigint_seen = 0;
static int read_input(FILE *stream);

int fped_edit_init(const char *name) {
    static char *saved_name = NULL;
    free(saved_name);
    saved_name = strdup(name ? name : "");
    rl_readline_name = saved_name;
    if (wake_pipe[0] < 0 && pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        wake_pipe[0] = wake_pipe[1] = -1;
    }
    // Must be set before rl_initialize, which only then routes libedit's reads through it.
    if (wake_pipe[0] >= 0) rl_getc_function = read_input;
    return rl_initialize();
}

void fped_leave_canonical_mode(int fd) {
    struct termios modes;
    if (tcgetattr(fd, &modes) != 0 || !(modes.c_lflag & ICANON)) return;
    modes.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    modes.c_cc[VMIN] = 1;
    modes.c_cc[VTIME] = 0;
    (void)tcsetattr(fd, TCSANOW, &modes);   // TCSANOW keeps what was typed ahead
}

// Reads one byte from `fd`, retrying on EINTR. Returns the byte, or -1 at end or on error.
static int read_byte(int fd) {
    unsigned char byte;
    for (;;) {
        ssize_t n = read(fd, &byte, 1);
        if (n == 1) return byte;
        if (n < 0 && errno == EINTR) continue;
        return -1;
    }
}

// libedit's input function. Waits for the terminal or for the SIGINT handler's wake-up
// byte, so a Ctrl-C that comes while libedit is busy redrawing (not blocked in read) still
// ends the prompt: returning -1 makes readline() return NULL, and the caller asks
// `fped_sigint_take` whether that was Ctrl-C or end of input. libedit stores what this
// returns as one wide character, so a UTF-8 sequence is decoded here into its scalar.
static int read_input(FILE *stream) {
    int fd = fileno(stream);
    for (;;) {
        if (sigint_seen) return -1;
        struct pollfd fds[2] = { { fd, POLLIN, 0 }, { wake_pipe[0], POLLIN, 0 } };
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (fds[1].revents & POLLIN) {
            char drain[16];
            while (read(wake_pipe[0], drain, sizeof drain) > 0) {}
            continue;
        }
        if (fds[0].revents) break;
    }
    int first = read_byte(fd);
    if (first < 0x80) return first;                // ASCII, or -1
    int length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 0;
    if (length == 0 || first > 0xF4) return 0xFFFD;  // a stray continuation or invalid lead byte
    int scalar = first & (0x7F >> length);
    for (int i = 1; i < length; i++) {
        int next = read_byte(fd);
        if (next < 0 || (next & 0xC0) != 0x80) return 0xFFFD;
        scalar = (scalar << 6) | (next & 0x3F);
    }
    return scalar;
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
static void (*volatile sigint_target)(void *) = NULL;
static void *volatile sigint_argument = NULL;
static struct sigaction sigint_previous;
static int sigint_installed = 0;

// Only async-signal-safe work: set flags, and while code runs ask it to stop (the target
// sets a flag and a Lua hook, as lua.c's own handler does).
static void on_sigint(int signo) {
    (void)signo;
    int saved_errno = errno;
    sigint_seen = 1;
    void (*target)(void *) = sigint_target;
    if (sigint_running && target != NULL) target(sigint_argument);
    if (wake_pipe[1] >= 0) (void)!write(wake_pipe[1], "", 1);   // wakes read_input's poll
    errno = saved_errno;
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

// MARK: - Terminal modes on the way out

static struct termios saved_modes;
static volatile sig_atomic_t saved_modes_valid = 0;
static int saved_modes_fd = -1;

// The signals that end the process by default: a terminal left in libedit's raw mode
// would stay that way for the user's shell.
static const int exit_signals[] = { SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS };
#define EXIT_SIGNAL_COUNT ((int)(sizeof exit_signals / sizeof exit_signals[0]))
static struct sigaction exit_previous[EXIT_SIGNAL_COUNT];
static int exit_installed[EXIT_SIGNAL_COUNT];

int fped_terminal_save(int fd) {
    if (tcgetattr(fd, &saved_modes) != 0) return -1;
    saved_modes_fd = fd;
    saved_modes_valid = 1;
    return 0;
}

void fped_terminal_restore(void) {
    // tcsetattr is async-signal-safe; TCSANOW never waits for output a stopped terminal holds.
    if (saved_modes_valid) (void)tcsetattr(saved_modes_fd, TCSANOW, &saved_modes);
}

void fped_terminal_forget(void) { saved_modes_valid = 0; }

static void exit_restore_at_exit(void) { fped_terminal_restore(); }

// Restores the terminal, puts back the handler that was there before (the default, or the
// Swift runtime's crash reporter) and lets it act: a fault the kernel raised happens again
// when this returns, with its real context; a signal sent by someone is raised again, and
// then once more with the default action so that it ends the process as it would have.
static void on_exit_signal(int signo, siginfo_t *info, void *context) {
    (void)context;
    int saved_errno = errno;
    fped_terminal_restore();
    for (int i = 0; i < EXIT_SIGNAL_COUNT; i++) {
        if (exit_signals[i] == signo && exit_installed[i]) {
            sigaction(signo, &exit_previous[i], NULL);
            exit_installed[i] = 0;
        }
    }
    if (info != NULL && info->si_code > 0) {     // a fault: it recurs on return
        errno = saved_errno;
        return;
    }
    // Sent (SI_USER, SI_TKILL, SI_QUEUE): let the previous handler run now, then end the
    // process the default way even if that handler returned (Swift's crash reporter does).
    sigset_t just_this;
    sigemptyset(&just_this);
    sigaddset(&just_this, signo);
    raise(signo);
    sigprocmask(SIG_UNBLOCK, &just_this, NULL);
    signal(signo, SIG_DFL);
    raise(signo);
    errno = saved_errno;
}

int fped_terminal_guard_install(void) {
    static int at_exit_registered = 0;
    if (!at_exit_registered && atexit(exit_restore_at_exit) == 0) at_exit_registered = 1;
    int failures = 0;
    for (int i = 0; i < EXIT_SIGNAL_COUNT; i++) {
        if (exit_installed[i]) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_exit_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        struct sigaction previous;
        if (sigaction(exit_signals[i], NULL, &previous) != 0) { failures++; continue; }
        // A signal the parent chose to ignore (nohup) stays ignored.
        if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_IGN) continue;
        exit_previous[i] = previous;
        if (sigaction(exit_signals[i], &action, NULL) != 0) { failures++; continue; }
        exit_installed[i] = 1;
    }
    return failures == 0 ? 0 : -1;
}

void fped_terminal_guard_uninstall(void) {
    for (int i = 0; i < EXIT_SIGNAL_COUNT; i++) {
        if (!exit_installed[i]) continue;
        sigaction(exit_signals[i], &exit_previous[i], NULL);
        exit_installed[i] = 0;
    }
}

// MARK: - Window size

int fped_terminal_rows(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
    return size.ws_row;
}
