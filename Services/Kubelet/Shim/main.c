// kubus-shim: forks, unshares and mounts for the Kubus process runtime, which a multi-threaded Swift process
// cannot do safely. Usage is documented in docs/runtime-process.md.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "shim.h"

static int usage(void) {
    fprintf(stderr,
            "usage: kubus-shim run DIR\n"
            "       kubus-shim supervise DIR --log PATH -- ARGV...\n"
            "       kubus-shim exec --pid PID [--tty] [--cwd DIR] -- ARGV...\n"
            "       kubus-shim pause\n");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    const char *mode = argv[1];
    if (strcmp(mode, "run") == 0) {
        if (argc != 3) return usage();
        return cmd_run(argv[2], false, NULL, NULL);
    }
    if (strcmp(mode, "supervise") == 0) {
        if (argc < 7 || strcmp(argv[3], "--log") != 0 || strcmp(argv[5], "--") != 0) return usage();
        return cmd_run(argv[2], true, argv[4], argv + 6);
    }
    if (strcmp(mode, "exec") == 0) return cmd_exec(argc - 2, argv + 2);
    if (strcmp(mode, "pause") == 0) return cmd_pause();
    return usage();
}
