#ifndef KUBUS_ZYGOTE_H
#define KUBUS_ZYGOTE_H

#include <stddef.h>
#include <sys/types.h>

/// The fork server of kubus-up (docs/operations.md, "Services forked from one image").
///
/// `kubus` started as `kubus-zygote` with a SOCK_SEQPACKET socket on descriptor 3 never reaches `main`: a
/// constructor, run while the process is a single thread and before any Swift code, serves fork requests on
/// the socket. Each request forks twice (the service is orphaned at once, so it becomes the child of kubus-up,
/// a child subreaper) and the service returns from the constructor into `main` with its own argument vector,
/// environment, working folder, descriptors, signal state and process group. Every service so forked shares
/// the pages the dynamic loader relocated in the zygote instead of relocating its own copy.

/// The descriptor the zygote's socket is given.
#define KUBUS_ZYGOTE_FD 3

/// In a service the zygote forked: its argument vector (NULL-terminated) and count; NULL in any other process.
char *const *kubus_zygote_arguments(int *argc);

/// In kubus-up: asks the zygote on `sock` to fork a service. `request` is the request's bytes (see zygote.c),
/// `fds` the descriptors it names, sent with it. Returns the service's pid, or -errno (-ETIMEDOUT when the
/// zygote does not answer within `timeout_ms`).
int kubus_zygote_request(int sock, const char *request, size_t length, const int *fds, int nfds, int timeout_ms);

/// In kubus-up's supervisor started with KUBUS_UP_FORK_SERVER=fork: the zygote forked from it before main (its
/// pid, the socket in `*sock`); -1 when there is none.
pid_t kubus_zygote_inherited(int *sock);

/// Makes this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER): orphaned descendants become its
/// children. Returns 0, or -errno.
int kubus_zygote_become_subreaper(void);

#endif
