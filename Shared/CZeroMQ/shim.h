#ifndef KUBUS_CZEROMQ_SHIM_H
#define KUBUS_CZEROMQ_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <zmq.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <malloc.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>

/// A non-blocking, close-on-exec eventfd used to wake a zmq_poll loop from other threads.
static inline int kubus_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/// Names the calling thread (at most 15 characters), for ps and gdb.
static inline void kubus_set_thread_name(const char *name) { pthread_setname_np(pthread_self(), name); }
/// Returns free heap memory to the kernel (glibc keeps it in its arenas otherwise).
static inline void kubus_malloc_trim(void) { malloc_trim(0); }
/// Bytes the kernel has received on a TCP connection (`tcpi_bytes_received`), or -1 when `fd` is not TCP.
/// The broker counts what one subscriber connection sent with it: libzmq's XPUB does not tell connections apart.
/// The start of the kernel's `struct tcp_info` (linux/tcp.h, a stable ABI) up to `tcpi_bytes_received`, under a
/// name of its own: glibc's `struct tcp_info` is older and Swift will not see two definitions of one name.
struct kubus_tcp_info {
    uint8_t head[8];
    uint32_t words[24];
    uint64_t pacing_rate, max_pacing_rate, bytes_acked, bytes_received;
};

static inline long long kubus_tcp_bytes_received(int fd) {
    struct kubus_tcp_info info;
    memset(&info, 0, sizeof info);
    socklen_t len = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, 11 /* TCP_INFO */, &info, &len) != 0) return -1;
    if (len < offsetof(struct kubus_tcp_info, bytes_received) + sizeof info.bytes_received) return -1;
    return (long long)info.bytes_received;
}

/// The local port of a TCP socket, or -1 (not an internet socket).
static inline int kubus_local_port(int fd) {
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0) return -1;
    if (addr.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&addr)->sin_port);
    if (addr.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
    return -1;
}
#endif

