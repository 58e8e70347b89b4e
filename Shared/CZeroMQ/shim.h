#ifndef KUBUS_CZEROMQ_SHIM_H
#define KUBUS_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
