#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

void shim_die(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "kubus-shim: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(1);
}

static int write_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

int write_file_atomic(const char *dir, const char *name, const char *content, size_t length) {
    char tmp[4096], final[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(final, sizeof final, "%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    if (write_all(fd, content, length) < 0) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    close(fd);
    return rename(tmp, final);
}

int write_string_file(const char *path, const char *content) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = write_all(fd, content, strlen(content));
    if (close(fd) < 0) rc = -1;
    return rc;
}

int read_small_file(const char *path, char *buffer, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t total = 0;
    while ((size_t)total < size - 1) {
        ssize_t n = read(fd, buffer + total, size - 1 - (size_t)total);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        total += n;
    }
    close(fd);
    buffer[total] = 0;
    return (int)total;
}

char *read_whole_file(const char *path, size_t *length) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t capacity = 65536, used = 0;
    char *data = malloc(capacity + 1);
    for (;;) {
        if (used == capacity) {
            capacity *= 2;
            data = realloc(data, capacity + 1);
        }
        ssize_t n = read(fd, data + used, capacity - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            free(data);
            close(fd);
            return NULL;
        }
        if (n == 0) break;
        used += (size_t)n;
    }
    close(fd);
    data[used] = 0;
    if (length) *length = used;
    return data;
}

int mkdir_p(const char *path, mode_t mode) {
    char buffer[4096];
    size_t length = strlen(path);
    if (length == 0 || length >= sizeof buffer) return -1;
    memcpy(buffer, path, length + 1);
    for (char *p = buffer + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buffer, mode) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buffer, mode) < 0 && errno != EEXIST) return -1;
    return 0;
}

int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

unsigned long long process_start_time(pid_t pid) {
    char path[64], buffer[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (read_small_file(path, buffer, sizeof buffer) <= 0) return 0;
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    char *p = strrchr(buffer, ')');
    if (!p) return 0;
    p += 2;  // field 3 starts here
    for (int field = 3; field < 22 && p; field++) {
        p = strchr(p, ' ');
        if (p) p++;
    }
    return p ? strtoull(p, NULL, 10) : 0;
}

void json_escape(const char *in, char *out, size_t size) {
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 8 < size; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (c == '\t') {
            out[o++] = '\\';
            out[o++] = 't';
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, size - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = 0;
}

void reset_signals(void) {
    // The caller (a Swift service) may ignore or block signals; a container starts with the defaults.
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        sigaction(sig, &action, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

void close_fds_from(int lowest) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, lowest, ~0U, 0) == 0) return;
#endif
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) return;
    int own = dirfd(dir);
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        int fd = atoi(entry->d_name);
        if (fd >= lowest && fd != own) close(fd);
    }
    closedir(dir);
}

const char *env_lookup(const char *const *env, const char *name) {
    size_t length = strlen(name);
    const char *found = NULL;
    for (int i = 0; env[i]; i++) {
        if (strncmp(env[i], name, length) == 0 && env[i][length] == '=') found = env[i] + length + 1;
    }
    return found;
}

int find_executable(const char *name, const char *path_env, char *out, size_t size) {
    if (strchr(name, '/')) {
        snprintf(out, size, "%s", name);
        return 0;
    }
    if (!path_env) path_env = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    const char *start = path_env;
    for (;;) {
        const char *end = strchr(start, ':');
        size_t length = end ? (size_t)(end - start) : strlen(start);
        if (length == 0) {
            snprintf(out, size, "./%s", name);
        } else {
            snprintf(out, size, "%.*s/%s", (int)length, start, name);
        }
        struct stat st;
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) return 0;
        if (!end) break;
        start = end + 1;
    }
    errno = ENOENT;
    return -1;
}

void exec_error_message(const char *name, int error, char *out, size_t size, int *exit_code) {
    if (error == ENOENT && !strchr(name, '/')) {
        snprintf(out, size, "exec: \"%s\": executable file not found in $PATH", name);
        *exit_code = 127;
    } else if (error == ENOENT) {
        snprintf(out, size, "exec: \"%s\": stat %s: no such file or directory", name, name);
        *exit_code = 127;
    } else {
        snprintf(out, size, "exec: \"%s\": %s", name, strerror(error));
        // Lower-case the first letter of strerror, as Go's errors read.
        char *colon = strrchr(out, ':');
        if (colon && colon[1] == ' ' && colon[2] >= 'A' && colon[2] <= 'Z') colon[2] = (char)(colon[2] + 32);
        *exit_code = 126;
    }
}
