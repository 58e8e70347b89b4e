#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include "shim.h"

static pid_t exec_child = -1;

static void forward(int sig) {
    if (exec_child > 0) kill(exec_child, sig);
}

// Moves this process into the memory, cpu and pids cgroups (v1) or the unified cgroup (v2) of `pid`.
static void join_cgroups(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
    char *text = read_whole_file(path, NULL);
    if (!text) return;
    struct stat st;
    bool v2 = stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *first = strchr(line, ':');
        char *second = first ? strchr(first + 1, ':') : NULL;
        if (!second) continue;
        *second = 0;
        const char *controllers = first + 1;
        const char *group = second + 1;
        char target[4400];
        if (v2 && *controllers == 0) {
            snprintf(target, sizeof target, "/sys/fs/cgroup%s/cgroup.procs", group);
        } else if (!v2 && (strcmp(controllers, "memory") == 0 || strstr(controllers, "cpu") == controllers ||
                           strcmp(controllers, "pids") == 0) && strstr(group, "/kubus/")) {
            snprintf(target, sizeof target, "/sys/fs/cgroup/%s%s/cgroup.procs", controllers, group);
        } else {
            continue;
        }
        write_string_file(target, "0");
    }
    free(text);
}

// kubus-shim exec --pid P [--dir D] [--tty] [--cwd DIR] -- ARGV: runs ARGV in the namespaces and cgroups of P, with
// the environment, user and working folder the container was configured with (D/launch, as CRI's exec does); without
// D, with P's current environment (which programs such as nginx overwrite with their process title).
int cmd_exec(int argc, char **argv) {
    pid_t pid = 0;
    bool tty = false;
    const char *cwd = NULL;
    const char *dir = NULL;
    int i = 0;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--pid") == 0 && i + 1 < argc) {
            pid = (pid_t)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--tty") == 0) {
            tty = true;
        } else if (strcmp(argv[i], "--cwd") == 0 && i + 1 < argc) {
            cwd = argv[++i];
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            shim_die("exec: unknown option %s", argv[i]);
        }
    }
    if (pid <= 0 || i >= argc) shim_die("usage: kubus-shim exec --pid PID [--tty] [--cwd DIR] -- ARGV...");
    char **command = argv + i;
    reset_signals();
    close_fds_from(3);

    // The container's configured environment, so PATH and its variables match what its main process was given.
    char path[64];
    char *env[SHIM_MAX_LIST + 1];
    int envc = 0;
    static struct shim_launch launch;
    bool launched = dir && load_launch(dir, &launch) == 0;
    if (launched) {
        for (int k = 0; k < launch.envc; k++) env[envc++] = (char *)launch.env[k];
        if (!cwd && launch.cwd) cwd = launch.cwd;
    } else {
        snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
        size_t length = 0;
        char *environ_text = read_whole_file(path, &length);
        if (!environ_text) shim_die("container process %d is not running: %s", (int)pid, strerror(errno));
        for (char *p = environ_text; p < environ_text + length && envc < SHIM_MAX_LIST; p += strlen(p) + 1) {
            env[envc++] = p;
        }
    }
    env[envc] = NULL;

    static const char *kinds[] = {"ipc", "uts", "net", "pid", "mnt"};
    static const int types[] = {CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWNS};
    int fds[5];
    for (int k = 0; k < 5; k++) {
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, kinds[k]);
        fds[k] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[k] < 0) shim_die("open %s: %s", path, strerror(errno));
    }
    join_cgroups(pid);
    for (int k = 0; k < 5; k++) {
        if (setns(fds[k], types[k]) < 0) shim_die("setns %s of process %d: %s", kinds[k], (int)pid, strerror(errno));
        close(fds[k]);
    }

    exec_child = fork();
    if (exec_child < 0) shim_die("fork: %s", strerror(errno));
    if (exec_child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (tty) {
            setsid();
            ioctl(0, TIOCSCTTY, 0);
        }
        // The container's capabilities, seccomp filter and user, as its main process runs.
        char refused[4096];
        if (launched &&
            (security_drop_bounding(&launch, refused, sizeof refused) < 0 ||
             security_seccomp(&launch, refused, sizeof refused) < 0)) {
            fprintf(stderr, "kubus-shim exec: %s\n", refused);
            _exit(126);
        }
        if (launched && (launch.uid >= 0 || launch.gid >= 0)) {
            if (setgroups(0, NULL) < 0 || (launch.gid >= 0 && setgid((gid_t)launch.gid) < 0) ||
                (launch.uid >= 0 && setuid((uid_t)launch.uid) < 0)) {
                fprintf(stderr, "kubus-shim exec: cannot become user %lld: %s\n", (long long)launch.uid,
                        strerror(errno));
                _exit(126);
            }
        }
        if (launched && security_finish(&launch, refused, sizeof refused) < 0) {
            fprintf(stderr, "kubus-shim exec: %s\n", refused);
            _exit(126);
        }
        if (chdir(cwd && *cwd ? cwd : "/") < 0) {
            fprintf(stderr, "kubus-shim exec: chdir %s: %s\n", cwd, strerror(errno));
            _exit(126);
        }
        char resolved[4096];
        if (find_executable(command[0], env_lookup((const char *const *)env, "PATH"), resolved, sizeof resolved) ==
            0) {
            execve(resolved, command, env);
        }
        char message[4200];
        int code = 126;
        exec_error_message(command[0], errno, message, sizeof message, &code);
        fprintf(stderr, "%s\n", message);
        _exit(code);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGWINCH, &action, NULL);
    int status;
    while (waitpid(exec_child, &status, 0) < 0) {
        if (errno != EINTR) return 255;
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
