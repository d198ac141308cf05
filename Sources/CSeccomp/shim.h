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

/// Caps the address space, processor time (soft `cpu_seconds`: SIGXCPU; hard `cpu_lifetime`:
/// SIGKILL), file size (none may be written) and new processes (none).
static inline void cseccomp_set_limits(unsigned long address_bytes, unsigned long cpu_seconds, unsigned long cpu_lifetime) {
    struct rlimit as = { address_bytes, address_bytes };
    setrlimit(RLIMIT_AS, &as);
    struct rlimit cpu = { cpu_seconds, cpu_lifetime > cpu_seconds ? cpu_lifetime : cpu_seconds + 1 };
    setrlimit(RLIMIT_CPU, &cpu);
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_FSIZE, &none);
    setrlimit(RLIMIT_NPROC, &none);
}

/// Moves the soft processor-time limit of process `pid` (a worker about to get another job)
/// to `cpu_seconds`, below its hard limit; 0 when set, -1 when the hard limit is lower.
static inline int cseccomp_set_cpu_limit(pid_t pid, unsigned long cpu_seconds) {
    // prlimit64 directly: glibc declares prlimit only under _GNU_SOURCE (on 64-bit Linux
    // struct rlimit is the kernel's rlimit64).
    struct rlimit cpu;
    if (syscall(SYS_prlimit64, pid, RLIMIT_CPU, NULL, &cpu) != 0) return -1;
    if (cpu.rlim_max != RLIM_INFINITY && cpu_seconds >= cpu.rlim_max) return -1;
    cpu.rlim_cur = cpu_seconds;
    return (int)syscall(SYS_prlimit64, pid, RLIMIT_CPU, &cpu, NULL);
}
