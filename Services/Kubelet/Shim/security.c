#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

// The system calls the RuntimeDefault profile refuses with EPERM: those Docker's and containerd's default profile
// leaves out (kernel modules and kexec, mounts and namespaces, clocks, keyrings, BPF and perf, other processes'
// memory, swap, reboot, NUMA policy, handles, obsolete calls). Everything else is allowed.
static const int denied_syscalls[] = {
    __NR_acct, __NR_add_key, __NR_bpf, __NR_clock_adjtime, __NR_clock_settime, __NR_create_module,
    __NR_delete_module, __NR_finit_module, __NR_fsconfig, __NR_fsmount, __NR_fsopen, __NR_fspick,
    __NR_get_kernel_syms, __NR_get_mempolicy, __NR_init_module, __NR_ioperm, __NR_iopl, __NR_kcmp,
    __NR_kexec_file_load, __NR_kexec_load, __NR_keyctl, __NR_lookup_dcookie, __NR_mbind, __NR_mount,
    __NR_mount_setattr, __NR_move_mount, __NR_move_pages, __NR_name_to_handle_at, __NR_nfsservctl,
    __NR_open_by_handle_at, __NR_open_tree, __NR_perf_event_open, __NR_pivot_root, __NR_process_vm_readv,
    __NR_process_vm_writev, __NR_query_module, __NR_quotactl, __NR_reboot, __NR_request_key, __NR_set_mempolicy,
    __NR_setns, __NR_settimeofday, __NR_swapoff, __NR_swapon, __NR_sysfs, __NR__sysctl, __NR_umount2,
    __NR_unshare, __NR_uselib, __NR_userfaultfd, __NR_ustat, __NR_vhangup,
};

// clone flags that make new namespaces: refused, as Docker's profile refuses them to containers.
#define NAMESPACE_FLAGS                                                                                          \
    (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif

int security_read_only_root(const struct shim_launch *launch, char *error, size_t size) {
    if (!launch->read_only_root) return 0;
    // The overlay root only: /proc, /dev/shm, /tmp, /run and the volumes are mounts of their own and stay as
    // they are.
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
        FAIL("make the root filesystem read-only: %s", strerror(errno));
    return 0;
}

int security_drop_bounding(const struct shim_launch *launch, char *error, size_t size) {
    if (!launch->has_caps) return 0;
    for (int cap = 0; cap < 64; cap++) {
        if (launch->caps & (1ULL << cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) break;  // past the kernel's last capability
            FAIL("drop capability %d from the bounding set: %s", cap, strerror(errno));
        }
    }
    return 0;
}

static int install_seccomp(char *error, size_t size) {
#ifndef NATIVE_ARCH
    FAIL("seccomp RuntimeDefault is not built for this architecture");
#else
    struct sock_filter program[256];
    int n = 0;
#define EMIT(x) program[n++] = (struct sock_filter)x
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));  // another ABI: refused
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
#ifdef X32_BIT
    EMIT(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
#endif
    for (size_t i = 0; i < sizeof denied_syscalls / sizeof denied_syscalls[0]; i++) {
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied_syscalls[i], 0, 1));
        EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
    }
    // clone3 cannot be inspected (its flags are in memory): ENOSYS makes the C library fall back to clone.
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3));
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NAMESPACE_FLAGS, 0, 1));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
    EMIT(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
#undef EMIT
    struct sock_fprog fprog = {.len = (unsigned short)n, .filter = program};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
        FAIL("install the RuntimeDefault seccomp filter: %s", strerror(errno));
    return 0;
#endif
}

int security_seccomp(const struct shim_launch *launch, char *error, size_t size) {
    if (!launch->seccomp_default) return 0;
    return install_seccomp(error, size);
}

int security_finish(const struct shim_launch *launch, char *error, size_t size) {
    if (launch->has_caps) {
        // A process that stays root keeps the allowed set; one that became another user has none left (setuid
        // cleared them), and neither keeps inheritable or ambient capabilities beyond the set.
        struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[2];
        if (syscall(SYS_capget, &header, data) < 0) FAIL("capget: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            uint32_t allowed = (uint32_t)(launch->caps >> (32 * i));
            data[i].permitted &= allowed;
            data[i].effective &= allowed;
            data[i].inheritable &= allowed;
        }
        if (syscall(SYS_capset, &header, data) < 0) FAIL("capset: %s", strerror(errno));
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    }
    if (launch->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        FAIL("set no_new_privs: %s", strerror(errno));
    return 0;
}
