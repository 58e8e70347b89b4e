#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

// D/launch holds NUL-terminated tokens: a key, then its value(s). `argv` and `env` repeat in order; `mount` takes
// three values (host path, container path, "ro" or "rw"); every other key takes one value. Unknown keys are
// skipped with their one value, so a newer ProcessRuntime can add fields.
int load_launch(const char *dir, struct shim_launch *launch) {
    memset(launch, 0, sizeof *launch);
    launch->cpu_limit_millis = -1;
    launch->memory_limit_bytes = -1;
    launch->cpu_request_millis = -1;
    launch->uid = -1;
    launch->gid = -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/launch", dir);
    size_t length = 0;
    launch->buffer = read_whole_file(path, &length);
    if (!launch->buffer) return -1;
    char *p = launch->buffer, *end = launch->buffer + length;
#define NEXT() (p < end ? (tmp = p, p += strlen(p) + 1, tmp) : NULL)
    char *tmp;
    while (p < end) {
        const char *key = NEXT();
        const char *value = NEXT();
        if (!key || !value) return -1;
        if (strcmp(key, "argv") == 0) {
            if (launch->argc < SHIM_MAX_LIST) launch->argv[launch->argc++] = value;
        } else if (strcmp(key, "env") == 0) {
            if (launch->envc < SHIM_MAX_LIST) launch->env[launch->envc++] = value;
        } else if (strcmp(key, "mount") == 0) {
            const char *container = NEXT();
            const char *mode = NEXT();
            if (!container || !mode) return -1;
            if (launch->mountc < 256) {
                launch->mounts[launch->mountc++] =
                    (struct shim_mount){.host = value, .container = container, .read_only = strcmp(mode, "ro") == 0};
            }
        } else if (strcmp(key, "hostname") == 0) {
            launch->hostname = value;
        } else if (strcmp(key, "netns") == 0) {
            launch->netns = value;
        } else if (strcmp(key, "hosts") == 0) {
            launch->hosts = value;
        } else if (strcmp(key, "layer") == 0) {
            launch->layer = value;
        } else if (strcmp(key, "resolv") == 0) {
            launch->resolv = value;
        } else if (strcmp(key, "log") == 0) {
            launch->log = value;
        } else if (strcmp(key, "cwd") == 0) {
            launch->cwd = value;
        } else if (strcmp(key, "podUID") == 0) {
            launch->pod_uid = value;
        } else if (strcmp(key, "cpuLimitMillis") == 0) {
            launch->cpu_limit_millis = strtoll(value, NULL, 10);
        } else if (strcmp(key, "memoryLimitBytes") == 0) {
            launch->memory_limit_bytes = strtoll(value, NULL, 10);
        } else if (strcmp(key, "cpuRequestMillis") == 0) {
            launch->cpu_request_millis = strtoll(value, NULL, 10);
        } else if (strcmp(key, "uid") == 0) {
            launch->uid = strtoll(value, NULL, 10);
        } else if (strcmp(key, "gid") == 0) {
            launch->gid = strtoll(value, NULL, 10);
        } else if (strcmp(key, "stdin") == 0) {
            launch->stdin_open = strcmp(value, "1") == 0;
        } else if (strcmp(key, "tty") == 0) {
            launch->tty = strcmp(value, "1") == 0;
        } else if (strcmp(key, "caps") == 0) {
            launch->has_caps = true;
            launch->caps = strtoull(value, NULL, 16);
        } else if (strcmp(key, "noNewPrivs") == 0) {
            launch->no_new_privs = strcmp(value, "1") == 0;
        } else if (strcmp(key, "readOnlyRoot") == 0) {
            launch->read_only_root = strcmp(value, "1") == 0;
        } else if (strcmp(key, "seccomp") == 0) {
            launch->seccomp_default = strcmp(value, "RuntimeDefault") == 0;
        }
    }
#undef NEXT
    launch->argv[launch->argc] = NULL;
    launch->env[launch->envc] = NULL;
    return launch->argc > 0 && launch->log ? 0 : -1;
}
