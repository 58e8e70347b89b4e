"""Captures the TCP payload bytes to and from one port on the loopback interface, as tcpdump would.

    python3 loopback_capture.py PORT OUTPUT SECONDS

Writes OUTPUT.ready once the raw socket is open, then every payload byte seen for SECONDS to OUTPUT.
Needs root (an AF_PACKET socket); reads only the interface `lo`.
"""
import socket
import sys
import time


def main():
    port, output, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
    sniffer.bind(("lo", 0))
    sniffer.settimeout(0.2)
    open(output + ".ready", "w").close()
    data = bytearray()
    end = time.time() + seconds
    while time.time() < end:
        try:
            frame, address = sniffer.recvfrom(65535)
        except socket.timeout:
            continue
        if address[2] == socket.PACKET_OUTGOING:
            continue  # loopback shows each packet twice: keep the incoming copy
        ip = frame[14:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        tcp = ip[(ip[0] & 15) * 4:]
        ports = (int.from_bytes(tcp[0:2], "big"), int.from_bytes(tcp[2:4], "big"))
        if port in ports:
            data += tcp[(tcp[12] >> 4) * 4:]
    with open(output, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
