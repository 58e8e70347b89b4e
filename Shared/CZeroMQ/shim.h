#ifndef KUBUS_CZEROMQ_SHIM_H
#define KUBUS_CZEROMQ_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <zmq.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <malloc.h>

/// A non-blocking, close-on-exec eventfd used to wake a zmq_poll loop from other threads.
static inline int kubus_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/// Names the calling thread (at most 15 characters), for ps and gdb.
static inline void kubus_set_thread_name(const char *name) { pthread_setname_np(pthread_self(), name); }
/// Returns free heap memory to the kernel (glibc keeps it in its arenas otherwise).
static inline void kubus_malloc_trim(void) { malloc_trim(0); }
#endif
