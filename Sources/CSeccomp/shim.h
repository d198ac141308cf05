// libseccomp, as Debian installs it (pkg-config libseccomp): the system-call filter a plugin's
// worker process applies to itself before it runs plugin code. The inline helpers reach what
// Swift cannot call directly (variadic functions, macros naming resources and system calls).
#include <seccomp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Whether the kernel supports seccomp filters for this process (prctl answers).
static inline int cseccomp_kernel_supports(void) { return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0; }

/// Closes every descriptor from `first` up (close_range, Linux 5.9+); -1 when unsupported.
static inline int cseccomp_close_from(unsigned int first) { return (int)syscall(SYS_close_range, first, ~0U, 0); }

/// Asks the kernel to kill this process when the host that started it ends (a worker never
/// outlives its host); 0 when set and the host is still there.
static inline int cseccomp_die_with_parent(pid_t parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return -1;
    return getppid() == parent ? 0 : -1;
}

/// Allows `syscall_nr` when its first argument equals `fd`.
static inline int cseccomp_allow_on_fd(scmp_filter_ctx ctx, int syscall_nr, unsigned long fd) {
    return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, syscall_nr, 1, SCMP_A0(SCMP_CMP_EQ, fd));
}

/// Caps the address space, processor time (soft: SIGXCPU, hard one second later), file size
/// (none may be written) and new processes (none).
static inline void cseccomp_set_limits(unsigned long address_bytes, unsigned long cpu_seconds) {
    struct rlimit as = { address_bytes, address_bytes };
    setrlimit(RLIMIT_AS, &as);
    struct rlimit cpu = { cpu_seconds, cpu_seconds + 1 };
    setrlimit(RLIMIT_CPU, &cpu);
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_FSIZE, &none);
    setrlimit(RLIMIT_NPROC, &none);
}
