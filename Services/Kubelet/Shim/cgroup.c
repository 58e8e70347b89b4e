#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

static const char *v1_controllers[3] = {"memory", "cpu", "pids"};

static int set_value(const char *dir, const char *file, long long value, char *error, size_t error_size) {
    char path[4200], text[64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(text, sizeof text, "%lld", value);
    if (write_string_file(path, text) < 0) {
        snprintf(error, error_size, "cannot write %s to %s: %s", text, path, strerror(errno));
        return -1;
    }
    return 0;
}

// Creates /sys/fs/cgroup/{memory,cpu,pids}/kubus/<pod>/<container> (v1) or /sys/fs/cgroup/kubus/<pod>/<container>
// (v2) and writes the limits. Without limits, a host whose cgroups cannot be written still runs the container.
int cgroup_create(struct shim_cgroup *cg, const char *pod_uid, const char *container_id,
                  const struct shim_launch *launch, char *error, size_t error_size) {
    memset(cg, 0, sizeof *cg);
    bool limited = launch->memory_limit_bytes > 0 || launch->cpu_limit_millis > 0;
    struct stat st;
    cg->v2 = stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
    if (!pod_uid || !*pod_uid) pod_uid = "none";
    if (cg->v2) {
        const char *enable = "+memory +cpu +pids";
        write_string_file("/sys/fs/cgroup/cgroup.subtree_control", enable);
        mkdir("/sys/fs/cgroup/kubus", 0755);
        write_string_file("/sys/fs/cgroup/kubus/cgroup.subtree_control", enable);
        char pod[4096];
        snprintf(pod, sizeof pod, "/sys/fs/cgroup/kubus/%s", pod_uid);
        mkdir(pod, 0755);
        char control[4200];
        snprintf(control, sizeof control, "%s/cgroup.subtree_control", pod);
        write_string_file(control, enable);
        snprintf(cg->paths[0], sizeof cg->paths[0], "%s/%s", pod, container_id);
        if (mkdir(cg->paths[0], 0755) < 0 && errno != EEXIST) {
            if (!limited) return 0;
            snprintf(error, error_size, "cannot create cgroup %s: %s", cg->paths[0], strerror(errno));
            return -1;
        }
        cg->count = 1;
        cg->created = true;
        if (launch->memory_limit_bytes > 0) {
            if (set_value(cg->paths[0], "memory.max", launch->memory_limit_bytes, error, error_size) < 0) return -1;
            set_value(cg->paths[0], "memory.swap.max", 0, error, error_size);
        }
        if (launch->cpu_limit_millis > 0) {
            char path[4200], text[64];
            snprintf(path, sizeof path, "%s/cpu.max", cg->paths[0]);
            long long quota = launch->cpu_limit_millis * 100;
            snprintf(text, sizeof text, "%lld 100000", quota < 1000 ? 1000 : quota);
            if (write_string_file(path, text) < 0) {
                snprintf(error, error_size, "cannot write %s: %s", path, strerror(errno));
                return -1;
            }
        }
        if (launch->cpu_request_millis > 0) {
            long long shares = launch->cpu_request_millis * 1024 / 1000;
            if (shares < 2) shares = 2;
            set_value(cg->paths[0], "cpu.weight", 1 + ((shares - 2) * 9999) / 262142, error, error_size);
        }
        return 0;
    }
    for (int i = 0; i < 3; i++) {
        snprintf(cg->paths[i], sizeof cg->paths[i], "/sys/fs/cgroup/%s/kubus/%s/%s", v1_controllers[i], pod_uid,
                 container_id);
        if (mkdir_p(cg->paths[i], 0755) < 0) {
            if (!limited) continue;
            snprintf(error, error_size, "cannot create cgroup %s: %s", cg->paths[i], strerror(errno));
            return -1;
        }
        cg->created = true;
    }
    cg->count = 3;
    if (launch->memory_limit_bytes > 0) {
        if (set_value(cg->paths[0], "memory.limit_in_bytes", launch->memory_limit_bytes, error, error_size) < 0)
            return -1;
        set_value(cg->paths[0], "memory.swappiness", 0, error, error_size);
        error[0] = 0;
    }
    if (launch->cpu_limit_millis > 0) {
        long long quota = launch->cpu_limit_millis * 100;
        if (set_value(cg->paths[1], "cpu.cfs_period_us", 100000, error, error_size) < 0) return -1;
        if (set_value(cg->paths[1], "cpu.cfs_quota_us", quota < 1000 ? 1000 : quota, error, error_size) < 0)
            return -1;
    }
    if (launch->cpu_request_millis > 0) {
        long long shares = launch->cpu_request_millis * 1024 / 1000;
        set_value(cg->paths[1], "cpu.shares", shares < 2 ? 2 : shares, error, error_size);
        error[0] = 0;
    }
    return 0;
}

int cgroup_join_self(const struct shim_cgroup *cg) {
    int rc = 0;
    for (int i = 0; i < cg->count; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/cgroup.procs", cg->paths[i]);
        // "0" is the writing process in every pid namespace.
        if (write_string_file(path, "0") < 0) rc = -1;
    }
    return rc;
}

static long long counter(const char *path, const char *key) {
    char buffer[8192];
    if (read_small_file(path, buffer, sizeof buffer) <= 0) return 0;
    size_t length = strlen(key);
    for (char *line = buffer; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, length) == 0 && line[length] == ' ') return atoll(line + length + 1);
    }
    return 0;
}

bool cgroup_oom_killed(const struct shim_cgroup *cg) {
    if (!cg->created) return false;
    char path[4200];
    if (cg->v2) {
        snprintf(path, sizeof path, "%s/memory.events", cg->paths[0]);
        return counter(path, "oom_kill") > 0;
    }
    snprintf(path, sizeof path, "%s/memory.oom_control", cg->paths[0]);
    return counter(path, "oom_kill") > 0;
}

void cgroup_remove(const struct shim_cgroup *cg) {
    for (int i = 0; i < cg->count; i++) {
        // The pid namespace is torn down asynchronously; give the last processes a moment to leave.
        for (int attempt = 0; attempt < 50; attempt++) {
            if (rmdir(cg->paths[i]) == 0 || errno == ENOENT) break;
            if (errno != EBUSY) break;
            usleep(2000);
        }
        char pod[4096];
        snprintf(pod, sizeof pod, "%s", cg->paths[i]);
        char *slash = strrchr(pod, '/');
        if (slash) {
            *slash = 0;
            rmdir(pod);  // fails while other containers of the pod remain: that is fine
        }
    }
}
