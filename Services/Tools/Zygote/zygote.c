// The fork server of kubus-up: see include/zygote.h and docs/operations.md.
//
// A request is one SOCK_SEQPACKET message: the descriptors it names as SCM_RIGHTS, and these NUL-terminated
// fields, in order:
//
//   "KZ1"                     the format
//   CWD                       the service's working folder ("" keeps the zygote's)
//   "1" | "0"                 a process group of its own
//   "1" | "0"                 whether a descriptor, the log (stdout and stderr), comes with it
//   ARGC, then ARGC strings   the argument vector, argv[0] first
//   ENVC, then ENVC strings   the environment, NAME=VALUE
//
// The answer is four bytes: the service's pid, or -errno.

#define _GNU_SOURCE
#include "zygote.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/prctl.h>

#define MAX_FDS 32
#define MAX_REQUEST (1 << 20)

static char *const *forked_argv;
static int forked_argc;
static int inherited_socket = -1;
static pid_t inherited_pid = -1;

pid_t kubus_zygote_inherited(int *sock) {
    if (sock) *sock = inherited_socket;
    return inherited_pid;
}

char *const *kubus_zygote_arguments(int *argc) {
    if (argc) *argc = forked_argc;
    return forked_argv;
}

int kubus_zygote_become_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -errno;
}

int kubus_zygote_request(int sock, const char *request, size_t length, const int *fds, int nfds, int timeout_ms) {
    if (nfds < 0 || nfds > MAX_FDS) return -EINVAL;
    struct iovec iov = {.iov_base = (void *)request, .iov_len = length};
    union {
        struct cmsghdr align;
        char buffer[CMSG_SPACE(sizeof(int) * MAX_FDS)];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0) {
        msg.msg_control = control.buffer;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    ssize_t sent;
    do sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    if (sent < 0) return -errno;
    struct pollfd p = {.fd = sock, .events = POLLIN};
    int ready;
    do ready = poll(&p, 1, timeout_ms);
    while (ready < 0 && errno == EINTR);
    if (ready < 0) return -errno;
    if (ready == 0) return -ETIMEDOUT;
    int32_t answer = 0;
    ssize_t got;
    do got = recv(sock, &answer, sizeof answer, 0);
    while (got < 0 && errno == EINTR);
    if (got < 0) return -errno;
    if (got != sizeof answer) return -EPIPE;
    return answer;
}

// MARK: - The zygote

struct request {
    const char *cwd;
    int new_group;
    int has_log;
    int argc;
    char **argv;
    int envc;
    char **envp;
};

/// The next NUL-terminated field of [*at, end), or NULL when none is left.
static char *field(char **at, char *end) {
    if (*at >= end) return NULL;
    char *start = *at;
    char *nul = memchr(start, 0, (size_t)(end - start));
    if (!nul) return NULL;
    *at = nul + 1;
    return start;
}

static int number(char **at, char *end, int max, int *out) {
    char *s = field(at, end);
    if (!s || !*s) return -1;
    char *tail;
    long v = strtol(s, &tail, 10);
    if (*tail || v < 0 || v > max) return -1;
    *out = (int)v;
    return 0;
}

static char **strings(char **at, char *end, int count) {
    char **list = calloc((size_t)count + 1, sizeof(char *));
    if (!list) return NULL;
    for (int i = 0; i < count; i++) {
        if (!(list[i] = field(at, end))) {
            free(list);
            return NULL;
        }
    }
    return list;
}

/// Parses `buffer` (NUL-terminated at `length`) into `r`; its strings point into `buffer`. 0, or -EINVAL.
static int parse(char *buffer, size_t length, int nfds, struct request *r) {
    char *at = buffer, *end = buffer + length;
    char *magic = field(&at, end);
    if (!magic || strcmp(magic, "KZ1") != 0) return -EINVAL;
    if (!(r->cwd = field(&at, end))) return -EINVAL;
    if (number(&at, end, 1, &r->new_group) || number(&at, end, 1, &r->has_log)) return -EINVAL;
    if (r->has_log != nfds) return -EINVAL;
    if (number(&at, end, 4096, &r->argc) || r->argc < 1) return -EINVAL;
    if (!(r->argv = strings(&at, end, r->argc))) return -EINVAL;
    if (number(&at, end, 65536, &r->envc) || !(r->envp = strings(&at, end, r->envc))) {
        free(r->argv);
        return -EINVAL;
    }
    return 0;
}

/// The threads of this process, from /proc/self/status; -1 when unknown.
static int thread_count(void) {
    FILE *f = fopen("/proc/self/status", "re");
    if (!f) return -1;
    char line[256];
    int n = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1) break;
    fclose(f);
    return n;
}

static void fail_child(const char *what, const char *detail) {
    dprintf(2, "kubus-zygote: %s %s: %s\n", what, detail, strerror(errno));
    _exit(127);
}

/// Points /proc/self/cmdline and /proc/self/environ at the service's own vectors, so `ps`, `pgrep -f` and
/// /proc show what kubus-up asked for rather than the zygote's. PR_SET_MM_MAP needs no privilege (only the
/// kernel's checkpoint/restore support); where it fails the zygote's command line shows, and comm (set by
/// `kubus` from argv[0]) still names the program.
static void set_process_vectors(const struct request *r) {
    size_t alen = 0, elen = 0;
    for (int i = 0; i < r->argc; i++) alen += strlen(r->argv[i]) + 1;
    for (int i = 0; i < r->envc; i++) elen += strlen(r->envp[i]) + 1;
    char *args = malloc(alen), *env = malloc(elen + 1);
    if (!args || !env) return;
    char *p = args;
    for (int i = 0; i < r->argc; i++) p = stpcpy(p, r->argv[i]) + 1;
    p = env;
    *p = 0;
    for (int i = 0; i < r->envc; i++) p = stpcpy(p, r->envp[i]) + 1;
    if (elen == 0) elen = 1;

    FILE *f = fopen("/proc/self/stat", "re");
    if (!f) return;
    char stat[4096];
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = 0;
    char *close = strrchr(stat, ')');
    if (!close) return;
    // Fields after "pid (comm)", numbered as proc(5) numbers them (state is 3).
    unsigned long long v[53] = {0};
    int index = 3;
    for (char *t = strtok(close + 2, " "); t && index < 53; t = strtok(NULL, " "), index++)
        v[index] = strtoull(t, NULL, 10);
    if (index < 52) return;
    struct prctl_mm_map map = {
        .start_code = v[26], .end_code = v[27], .start_stack = v[28],
        .start_data = v[45], .end_data = v[46], .start_brk = v[47], .brk = (uintptr_t)sbrk(0),
        .arg_start = (uintptr_t)args, .arg_end = (uintptr_t)args + alen,
        .env_start = (uintptr_t)env, .env_end = (uintptr_t)env + elen,
        .auxv = NULL, .auxv_size = 0, .exe_fd = (uint32_t)-1,
    };
    prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&map, sizeof map, 0);
}

/// Closes every descriptor from 3 up except the `count` in `keep`.
static void close_descriptors_except(const int *keep, int count) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return;
    int own = dirfd(d);
    int open_fds[1024];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 1024;) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        int fd = atoi(e->d_name);
        int kept = fd < 3 || fd == own;
        for (int i = 0; i < count; i++) kept |= keep[i] == fd;
        if (!kept) open_fds[n++] = fd;
    }
    closedir(d);
    for (int i = 0; i < n; i++) close(open_fds[i]);
}

/// In the forked service: everything posix_spawn did for kubus-up before, then back to process start-up.
static void become_service(int sock, struct request *r, const int *fds) {
    close(sock);
    if (r->new_group) setpgid(0, 0);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    int defaults[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) sigaction(defaults[i], &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    // The zygote's own 0-2 are open, so a descriptor it received is 3 or above.
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0) fail_child("open", "/dev/null");
    if (r->has_log && (dup2(fds[0], 1) < 0 || dup2(fds[0], 2) < 0)) fail_child("redirect", "the log");
    // Nothing else the zygote had open reaches the service (posix_spawn's closefrom did this before).
    close_descriptors_except(NULL, 0);
    if (r->cwd[0] && chdir(r->cwd) != 0) fail_child("chdir", r->cwd);
    clearenv();
    for (int i = 0; i < r->envc; i++) {
        char *copy = strdup(r->envp[i]);
        if (copy && strchr(copy, '=')) putenv(copy);
    }
    set_process_vectors(r);
    char **argv = calloc((size_t)r->argc + 1, sizeof(char *));
    if (!argv) fail_child("copy", "the arguments");
    for (int i = 0; i < r->argc; i++) argv[i] = strdup(r->argv[i]);
    forked_argv = argv;
    forked_argc = r->argc;
    // glibc's own name for the program (err(3), error(3), getopt's messages), as exec would have set it.
    program_invocation_name = argv[0];
    char *slash = strrchr(argv[0], '/');
    program_invocation_short_name = slash ? slash + 1 : argv[0];
}

static void answer(int sock, int32_t value) {
    ssize_t n;
    do n = send(sock, &value, sizeof value, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
}

/// Serves requests until kubus-up closes the socket; returns only in a forked service.
static void serve(int sock) {
    char *buffer = malloc(MAX_REQUEST + 1);
    if (!buffer) _exit(1);
    // No PR_SET_PDEATHSIG: it follows the thread of kubus-up that started the zygote, and a pool thread can
    // end while kubus-up runs. When kubus-up ends, its end of the socket closes and recvmsg returns 0.
    for (;;) {
        union {
            struct cmsghdr align;
            char buffer[CMSG_SPACE(sizeof(int) * MAX_FDS)];
        } control;
        struct iovec iov = {.iov_base = buffer, .iov_len = MAX_REQUEST};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = sizeof control.buffer};
        ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) _exit(n == 0 ? 0 : 1);
        int fds[MAX_FDS];
        int nfds = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
            int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < count && nfds < MAX_FDS; i++) memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        }
        buffer[n] = 0;
        struct request r;
        memset(&r, 0, sizeof r);
        int32_t result;
        if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
            result = -E2BIG;
        } else if ((result = parse(buffer, (size_t)n, nfds, &r)) == 0) {
            // fork() copies only the calling thread: with any other thread (none is expected before main),
            // its locks could be held forever in the service. kubus-up then starts the service by exec.
            int threads = thread_count();
            int pipefd[2];
            if (threads != 1) {
                result = -EDEADLK;
            } else if (pipe2(pipefd, O_CLOEXEC) != 0) {
                result = -errno;
            } else {
                pid_t middle = fork();
                if (middle == 0) {
                    close(pipefd[0]);
                    pid_t service = fork();
                    if (service == 0) {
                        close(pipefd[1]);
                        become_service(sock, &r, fds);
                        free(buffer);  // the request's strings were copied
                        return;
                    }
                    int32_t pid = service > 0 ? service : -errno;
                    (void)!write(pipefd[1], &pid, sizeof pid);
                    _exit(0);
                }
                close(pipefd[1]);
                result = middle < 0 ? -errno : -EIO;
                if (middle > 0) {
                    int32_t pid;
                    ssize_t got;
                    do got = read(pipefd[0], &pid, sizeof pid);
                    while (got < 0 && errno == EINTR);
                    if (got == sizeof pid) result = pid;
                    while (waitpid(middle, NULL, 0) < 0 && errno == EINTR) {}
                }
                close(pipefd[0]);
            }
            free(r.argv);
            free(r.envp);
        }
        for (int i = 0; i < nfds; i++) close(fds[i]);
        answer(sock, result);
    }
}

/// In kubus-up's supervisor, started with KUBUS_UP_FORK_SERVER=fork: forks the zygote from this image before
/// main, so that the supervisor, the zygote and every service share one copy of the relocated pages. The
/// supervisor finds the zygote's socket and pid with kubus_zygote_inherited. Returns only in the supervisor or in
/// a service the zygote forked.
static void fork_zygote(void) {
    unsetenv("KUBUS_UP_FORK_SERVER");
    int pair[2];
    if (thread_count() != 1 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) return;
    pid_t zygote = fork();
    if (zygote == 0) {
        close(pair[0]);
        // Not the supervisor's descriptors (its readiness pipe would stay open), not its process group.
        close_descriptors_except(&pair[1], 1);
        setpgid(0, 0);
        prctl(PR_SET_NAME, (unsigned long)"kubus-zygote", 0, 0, 0);
        char *argv[] = {"kubus-zygote", NULL};
        struct request self = {.argc = 1, .argv = argv, .envc = 0, .envp = NULL};
        set_process_vectors(&self);
        serve(pair[1]);
        return;
    }
    close(pair[1]);
    if (zygote < 0) {
        close(pair[0]);
        return;
    }
    inherited_socket = pair[0];
    inherited_pid = zygote;
}

/// Runs before main in every process that links this file; acts only in `kubus-zygote` and in a supervisor
/// started with KUBUS_UP_FORK_SERVER=fork.
__attribute__((constructor)) static void kubus_zygote_start(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 1 || !argv || !argv[0]) return;
    const char *mode = getenv("KUBUS_UP_FORK_SERVER");
    if (mode && strcmp(mode, "fork") == 0) {
        fork_zygote();
        return;
    }
    const char *slash = strrchr(argv[0], '/');
    const char *name = slash ? slash + 1 : argv[0];
    if (strcmp(name, "kubus-zygote") != 0) return;
    if (fcntl(KUBUS_ZYGOTE_FD, F_GETFD) < 0) {
        dprintf(2, "kubus-zygote: no socket on descriptor %d; kubus-up starts the zygote\n", KUBUS_ZYGOTE_FD);
        _exit(2);
    }
    prctl(PR_SET_NAME, (unsigned long)"kubus-zygote", 0, 0, 0);
    int threads = thread_count();
    if (threads != 1)
        dprintf(2, "kubus-zygote: %d threads before main; services will be started by exec\n", threads);
    serve(KUBUS_ZYGOTE_FD);
}
