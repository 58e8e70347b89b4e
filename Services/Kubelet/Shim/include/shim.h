// kubus-shim: the per-container supervisor of the Kubus process runtime (see docs/runtime-process.md).
#ifndef KUBUS_SHIM_H
#define KUBUS_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SHIM_MAX_LIST 4096

/// One bind mount from the launch file.
struct shim_mount {
    const char *host;
    const char *container;
    bool read_only;
};

/// What `run` reads from D/launch (NUL-separated key/value tokens written by ProcessRuntime).
struct shim_launch {
    char *buffer;
    const char *argv[SHIM_MAX_LIST + 1];
    int argc;
    const char *env[SHIM_MAX_LIST + 1];
    int envc;
    struct shim_mount mounts[256];
    int mountc;
    const char *hostname;
    const char *netns;
    const char *hosts;
    const char *resolv;
    const char *layer;
    const char *log;
    const char *cwd;
    const char *pod_uid;
    int64_t cpu_limit_millis;
    int64_t memory_limit_bytes;
    int64_t cpu_request_millis;
    int64_t uid;
    int64_t gid;
    bool stdin_open;
    bool tty;
    // securityContext: the capability set (when has_caps), no_new_privs, a read-only root, seccomp RuntimeDefault.
    bool has_caps;
    uint64_t caps;
    bool no_new_privs;
    bool read_only_root;
    bool seccomp_default;
};

// Writes a message into the caller's `error` buffer of `size` bytes and returns -1: the shape of every setup step.
#define FAIL(...)                           \
    do {                                    \
        snprintf(error, size, __VA_ARGS__); \
        return -1;                          \
    } while (0)

// util.c
void shim_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int write_file_atomic(const char *dir, const char *name, const char *content, size_t length);
int write_string_file(const char *path, const char *content);
int read_small_file(const char *path, char *buffer, size_t size);
char *read_whole_file(const char *path, size_t *length);
int mkdir_p(const char *path, mode_t mode);
int64_t now_ns(void);
unsigned long long process_start_time(pid_t pid);
void json_escape(const char *in, char *out, size_t size);
void reset_signals(void);
void close_fds_from(int lowest);
const char *env_lookup(const char *const *env, const char *name);
int find_executable(const char *name, const char *path_env, char *out, size_t size);
void exec_error_message(const char *name, int error, char *out, size_t size, int *exit_code);

// launch.c
int load_launch(const char *dir, struct shim_launch *launch);

// security.c: in this order — after the mounts, before the user changes, then after it.
int security_read_only_root(const struct shim_launch *launch, char *error, size_t size);
int security_drop_bounding(const struct shim_launch *launch, char *error, size_t size);
int security_seccomp(const struct shim_launch *launch, char *error, size_t size);
int security_finish(const struct shim_launch *launch, char *error, size_t size);

// cgroup.c
struct shim_cgroup {
    bool v2;
    bool created;
    char paths[3][4096];  // v1: memory, cpu, pids; v2: paths[0]
    int count;
};
int cgroup_create(struct shim_cgroup *cg, const char *pod_uid, const char *container_id,
                  const struct shim_launch *launch, char *error, size_t error_size);
int cgroup_join_self(const struct shim_cgroup *cg);
bool cgroup_oom_killed(const struct shim_cgroup *cg);
void cgroup_remove(const struct shim_cgroup *cg);

// container.c
int container_setup(const char *dir, const struct shim_launch *launch, int netns_fd, char *error, size_t size);

// run.c
int cmd_run(const char *dir, bool supervise, const char *log_path, char **argv);

// exec.c
int cmd_exec(int argc, char **argv);

// pause.c
int cmd_pause(void);

#endif
