#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

extern char **environ;

#define RECORD_MAX 16384

/// One output stream being cut into CRI log records.
struct log_stream {
    int fd;
    const char *name;
    bool tty;
    char buffer[RECORD_MAX];
    size_t used;
};

static int log_fd = -1;

static void write_record(const char *stream, const char *data, size_t length, bool partial) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char prefix[96];
    int n = snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ %s %c ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, stream,
                     partial ? 'P' : 'F');
    struct iovec parts[3] = {
        {.iov_base = prefix, .iov_len = (size_t)n},
        {.iov_base = (void *)data, .iov_len = length},
        {.iov_base = "\n", .iov_len = 1},
    };
    // One writev per record so a concurrent reader never sees half a line's prefix.
    while (writev(log_fd, parts, 3) < 0 && errno == EINTR) {
    }
}

static void stream_feed(struct log_stream *s, const char *data, size_t length) {
    while (length > 0) {
        const char *newline = memchr(data, '\n', length);
        size_t take = newline ? (size_t)(newline - data) : length;
        size_t room = RECORD_MAX - s->used;
        if (take >= room) {
            memcpy(s->buffer + s->used, data, room);
            write_record(s->name, s->buffer, RECORD_MAX, true);
            s->used = 0;
            data += room;
            length -= room;
            continue;
        }
        memcpy(s->buffer + s->used, data, take);
        s->used += take;
        data += take;
        length -= take;
        if (newline) {
            size_t record = s->used;
            if (s->tty && record > 0 && s->buffer[record - 1] == '\r') record--;
            write_record(s->name, s->buffer, record, false);
            s->used = 0;
            data++;
            length--;
        }
    }
}

static void stream_flush(struct log_stream *s) {
    if (s->used > 0) write_record(s->name, s->buffer, s->used, true);
    s->used = 0;
}

/// Reads what is there; returns false at the end of the stream.
static bool stream_pump(struct log_stream *s) {
    char chunk[65536];
    for (;;) {
        ssize_t n = read(s->fd, chunk, sizeof chunk);
        if (n > 0) {
            stream_feed(s, chunk, (size_t)n);
            if ((size_t)n < sizeof chunk) return true;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return true;
        return false;  // EOF, or EIO from a terminal whose last slave closed
    }
}

static void write_number_file(const char *dir, const char *name, long long value) {
    char text[32];
    int n = snprintf(text, sizeof text, "%lld\n", value);
    write_file_atomic(dir, name, text, (size_t)n);
}

static void write_exit(const char *dir, int exit_code, int signal, const char *reason, const char *message) {
    char escaped[8192], json[9000];
    json_escape(message ? message : "", escaped, sizeof escaped);
    char signal_text[16];
    if (signal > 0) {
        snprintf(signal_text, sizeof signal_text, "%d", signal);
    } else {
        snprintf(signal_text, sizeof signal_text, "null");
    }
    int n = snprintf(json, sizeof json,
                     "{\"exitCode\":%d,\"signal\":%s,\"finishedAt\":%lld,\"reason\":\"%s\",\"message\":\"%s\"}\n",
                     exit_code, signal_text, (long long)now_ns(), reason, escaped);
    write_file_atomic(dir, "exit", json, (size_t)n);
}

static void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static int open_log(const char *path) {
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = 0;
        mkdir_p(parent, 0755);
    }
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

/// The child side: stdio, namespaces and mounts, credentials, exec. Reports failures on `report` as
/// "<exit code> <message>" and exits; a successful exec closes `report` (CLOEXEC), which the shim reads as EOF.
static void child_main(const char *dir, bool supervise, const struct shim_launch *launch, char **argv, char **envp,
                       int in_fd, int out_fd, int err_fd, bool tty, int netns_fd, const struct shim_cgroup *cg,
                       int report) {
    reset_signals();
    char error[4096] = "";
    int code = 128;
    setsid();
    umask(022);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
        snprintf(error, sizeof error, "dup2: %s", strerror(errno));
        goto fail;
    }
    if (tty) ioctl(0, TIOCSCTTY, 0);
    if (!supervise) {
        // The shim dies only by SIGKILL; the container goes with it rather than running unsupervised.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        bool limited = launch->memory_limit_bytes > 0 || launch->cpu_limit_millis > 0;
        if (cgroup_join_self(cg) < 0 && limited) {
            snprintf(error, sizeof error, "cannot join cgroup %s: %s", cg->paths[0], strerror(errno));
            goto fail;
        }
        if (container_setup(dir, launch, netns_fd, error, sizeof error) < 0) goto fail;
        if (security_read_only_root(launch, error, sizeof error) < 0) goto fail;
        if (security_drop_bounding(launch, error, sizeof error) < 0) goto fail;
        if (security_seccomp(launch, error, sizeof error) < 0) goto fail;
        if (launch->gid >= 0 || launch->uid >= 0) {
            if (setgroups(0, NULL) < 0) {
                snprintf(error, sizeof error, "setgroups: %s", strerror(errno));
                goto fail;
            }
        }
        if (launch->gid >= 0 && setgid((gid_t)launch->gid) < 0) {
            snprintf(error, sizeof error, "setgid %lld: %s", (long long)launch->gid, strerror(errno));
            goto fail;
        }
        if (launch->uid >= 0 && setuid((uid_t)launch->uid) < 0) {
            snprintf(error, sizeof error, "setuid %lld: %s", (long long)launch->uid, strerror(errno));
            goto fail;
        }
        if (security_finish(launch, error, sizeof error) < 0) goto fail;
    }
    char path[4096];
    if (find_executable(argv[0], env_lookup((const char *const *)envp, "PATH"), path, sizeof path) == 0) {
        execve(path, argv, envp);
    }
    exec_error_message(argv[0], errno, error, sizeof error, &code);
fail: {
    char message[4200];
    int n = snprintf(message, sizeof message, "%d %s", code, error);
    if (write(report, message, (size_t)n) < 0) {
    }
    _exit(code);
}
}

int cmd_run(const char *dir_arg, bool supervise, const char *log_path, char **supervise_argv) {
    reset_signals();
    close_fds_from(3);
    char dir[PATH_MAX];
    if (!realpath(dir_arg, dir)) shim_die("state folder %s: %s", dir_arg, strerror(errno));
    char shim_log[PATH_MAX + 16];
    snprintf(shim_log, sizeof shim_log, "%s/shim.log", dir);
    // From here on the shim's own errors land in D/shim.log, where ProcessRuntime reports them from.
    int shim_log_fd = open(shim_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (shim_log_fd >= 0) dup2(shim_log_fd, 2);
    struct shim_launch launch;
    memset(&launch, 0, sizeof launch);
    if (!supervise && load_launch(dir, &launch) < 0)
        shim_die("cannot read %s/launch (written by the kubelet's ProcessRuntime)", dir);
    const char *container_id = strrchr(dir, '/') + 1;

    // Daemonize: the launcher returns once the container runs (or failed to), so the caller needs no polling.
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) < 0) shim_die("pipe: %s", strerror(errno));
    pid_t first = fork();
    if (first < 0) shim_die("fork: %s", strerror(errno));
    if (first > 0) {
        close(ready[1]);
        int status;
        waitpid(first, &status, 0);
        char byte = 0;
        ssize_t n;
        while ((n = read(ready[0], &byte, 1)) < 0 && errno == EINTR) {
        }
        return n == 1 ? 0 : 1;
    }
    close(ready[0]);
    setsid();
    pid_t second = fork();
    if (second < 0) _exit(1);
    if (second > 0) _exit(0);

    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(shim_log_fd >= 0 ? shim_log_fd : null_fd, 1);
    dup2(shim_log_fd >= 0 ? shim_log_fd : null_fd, 2);
    if (null_fd > 2) close(null_fd);
    if (shim_log_fd > 2) close(shim_log_fd);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (chdir("/") < 0) {
    }
    write_number_file(dir, "shim.starttime", (long long)process_start_time(getpid()));
    write_number_file(dir, "shim.pid", getpid());

    // Stray signals must not take the shim down; SIGCHLD arrives on a signalfd.
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sig_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

    const char *log_target = supervise ? log_path : launch.log;
    log_fd = open_log(log_target);
    if (log_fd < 0) {
        char message[PATH_MAX + 64];
        snprintf(message, sizeof message, "cannot open log file %s: %s", log_target, strerror(errno));
        write_exit(dir, 128, 0, "ContainerCannotRun", message);
        if (write(ready[1], "1", 1) < 0) {
        }
        return 1;
    }

    bool tty = !supervise && launch.tty;
    int in_child = -1, out_child = -1, err_child = -1;
    struct log_stream out = {.fd = -1, .name = "stdout", .tty = tty};
    struct log_stream err = {.fd = -1, .name = "stderr"};
    int stdin_fifo = -1;
    if (!supervise && launch.stdin_open) {
        char fifo[PATH_MAX + 16];
        snprintf(fifo, sizeof fifo, "%s/stdin", dir);
        unlink(fifo);
        if (mkfifo(fifo, 0600) == 0) {
            // Holding a read-write descriptor keeps the FIFO open between writers.
            stdin_fifo = open(fifo, O_RDWR | O_CLOEXEC | O_NONBLOCK);
            if (!tty) in_child = open(fifo, O_RDONLY | O_CLOEXEC);
        }
    }
    if (tty) {
        int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) shim_die("openpt: %s", strerror(errno));
        int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
        out.fd = master;
        in_child = out_child = err_child = slave;
    } else {
        int out_pipe[2], err_pipe[2];
        if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) shim_die("pipe: %s", strerror(errno));
        out.fd = out_pipe[0];
        err.fd = err_pipe[0];
        out_child = out_pipe[1];
        err_child = err_pipe[1];
        if (in_child < 0) in_child = open("/dev/null", O_RDONLY | O_CLOEXEC);
    }

    struct shim_cgroup cg;
    memset(&cg, 0, sizeof cg);
    char error[4096] = "";
    int netns_fd = -1;
    if (!supervise) {
        if (cgroup_create(&cg, launch.pod_uid, container_id, &launch, error, sizeof error) < 0) {
            write_exit(dir, 128, 0, "ContainerCannotRun", error);
            cgroup_remove(&cg);
            if (write(ready[1], "1", 1) < 0) {
            }
            return 1;
        }
        if (launch.netns && *launch.netns) {
            netns_fd = open(launch.netns, O_RDONLY | O_CLOEXEC);
            if (netns_fd < 0) {
                snprintf(error, sizeof error, "cannot open network namespace %s: %s", launch.netns, strerror(errno));
                write_exit(dir, 128, 0, "ContainerCannotRun", error);
                cgroup_remove(&cg);
                if (write(ready[1], "1", 1) < 0) {
                }
                return 1;
            }
        }
        if (unshare(CLONE_NEWPID) < 0) shim_die("unshare pid namespace: %s", strerror(errno));
    }

    char **child_argv = supervise ? supervise_argv : (char **)launch.argv;
    char **child_env = supervise ? environ : (char **)launch.env;
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) shim_die("pipe: %s", strerror(errno));
    pid_t child = fork();
    if (child < 0) {
        snprintf(error, sizeof error, "fork: %s", strerror(errno));
        write_exit(dir, 128, 0, "ContainerCannotRun", error);
        cgroup_remove(&cg);
        if (write(ready[1], "1", 1) < 0) {
        }
        return 1;
    }
    if (child == 0) {
        close(report[0]);
        child_main(dir, supervise, &launch, child_argv, child_env, in_child, out_child, err_child, tty, netns_fd,
                   &cg, report[1]);
    }
    close(report[1]);
    if (netns_fd >= 0) close(netns_fd);
    if (in_child >= 0 && in_child != out_child) close(in_child);
    close(out_child);
    if (err_child != out_child) close(err_child);

    char failure[4200];
    ssize_t got = 0, n;
    while ((n = read(report[0], failure + got, sizeof failure - 1 - (size_t)got)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        got += n;
    }
    failure[got] = 0;
    close(report[0]);
    bool cannot_run = got > 0;
    if (!cannot_run) {
        write_number_file(dir, "started", (long long)now_ns());
        write_number_file(dir, "pid.starttime", (long long)process_start_time(child));
        write_number_file(dir, "pid", child);
        if (write(ready[1], "1", 1) < 0) {
        }
        close(ready[1]);
        ready[1] = -1;
    }

    set_nonblocking(out.fd);
    if (err.fd >= 0) set_nonblocking(err.fd);
    bool out_open = true, err_open = err.fd >= 0;
    bool exited = false;
    int status = 0;
    // After the main process exits, orphans (supervise mode) may hold the pipes: drain for a short while only.
    while (out_open || err_open || !exited) {
        struct pollfd fds[4];
        int count = 0;
        int out_index = -1, err_index = -1, fifo_index = -1;
        if (out_open) {
            out_index = count;
            fds[count++] = (struct pollfd){.fd = out.fd, .events = POLLIN};
        }
        if (err_open) {
            err_index = count;
            fds[count++] = (struct pollfd){.fd = err.fd, .events = POLLIN};
        }
        if (tty && stdin_fifo >= 0 && !exited) {
            fifo_index = count;
            fds[count++] = (struct pollfd){.fd = stdin_fifo, .events = POLLIN};
        }
        int sig_index = count;
        fds[count++] = (struct pollfd){.fd = sig_fd, .events = POLLIN};
        int ready_count = poll(fds, (nfds_t)count, exited ? 200 : -1);
        if (ready_count < 0 && errno == EINTR) continue;
        if (ready_count == 0) break;  // exited, and the streams stayed quiet: orphans keep them open
        if (out_index >= 0 && fds[out_index].revents) out_open = stream_pump(&out);
        if (err_index >= 0 && fds[err_index].revents) err_open = stream_pump(&err);
        if (fifo_index >= 0 && fds[fifo_index].revents) {
            char chunk[4096];
            ssize_t r = read(stdin_fifo, chunk, sizeof chunk);
            if (r > 0 && write(out.fd, chunk, (size_t)r) < 0) {
            }
        }
        if (fds[sig_index].revents) {
            struct signalfd_siginfo info;
            while (read(sig_fd, &info, sizeof info) > 0) {
            }
            int child_status;
            pid_t reaped;
            while ((reaped = waitpid(-1, &child_status, WNOHANG)) > 0) {
                if (reaped == child) {
                    exited = true;
                    status = child_status;
                }
            }
        }
    }
    stream_flush(&out);
    stream_flush(&err);

    int exit_code, signal_number = 0;
    const char *reason;
    const char *message = "";
    if (WIFSIGNALED(status)) {
        signal_number = WTERMSIG(status);
        exit_code = 128 + signal_number;
    } else {
        exit_code = WEXITSTATUS(status);
    }
    if (cannot_run) {
        char *space = strchr(failure, ' ');
        exit_code = atoi(failure);
        message = space ? space + 1 : failure;
        reason = "ContainerCannotRun";
        signal_number = 0;
    } else if (cgroup_oom_killed(&cg)) {
        reason = "OOMKilled";
    } else if (exit_code == 0) {
        reason = "Completed";
    } else {
        reason = "Error";
    }
    write_exit(dir, exit_code, signal_number, reason, message);
    if (ready[1] >= 0 && write(ready[1], "1", 1) < 0) {
    }
    if (!supervise) cgroup_remove(&cg);
    return 0;
}
