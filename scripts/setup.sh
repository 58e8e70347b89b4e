#!/usr/bin/env bash
# Installs what building and running Kubus needs on Debian/Ubuntu. Safe to run again: it does nothing when
# every package is already installed. It does not touch Swift (install it from swift.org; here it is /opt/swift).
set -euo pipefail

packages=(
    libzmq3-dev      # ZeroMQ, the bus
    libsqlite3-dev   # the store's SQLite backend
    python3-zmq      # speaking the wire protocol from Python (docs/protocol.md)
    etcd-server      # the store's distributed backend and a benchmark peer
    etcd-client
    procps           # ps, pgrep: inspecting a local cluster
    iproute2         # ip: pod networking (netns mode)
    nftables         # nft: kubus-proxy's and kubus-netpol's datapath (netns mode)
    curl
    dnsutils         # dig: testing cluster DNS
    dnsmasq-base     # the cluster DNS benchmark's peer (kubus-bench dns)
    dnsperf          # the cluster DNS benchmark's load (kubus-bench dns)
    runc             # the runc runtime (OCI bundles)
    umoci            # unpacking OCI image layouts for runc
    busybox-static   # the busybox image, and the programs behind compose/images.yaml
    nginx-light      # the nginx image of compose/images.yaml, and kubus-ingress's data plane
    openssl          # kubus-ingress: its default certificate and checking TLS Secrets
    util-linux       # setpriv: kubus-ingress's nginx stops with it even when it is killed
    wrk              # kubus-bench ingress and proxy: HTTP load
    haproxy          # kubus-bench proxy: the peer (TCP mode)
    redis-server     # the redis image
    perl             # the perl image
    python3          # the python image
)

missing=()
for p in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages already installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "setup: missing packages ${missing[*]}; run this script as root (or install sudo)" >&2
        exit 1
    fi
else
    SUDO=
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
