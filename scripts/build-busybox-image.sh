#!/bin/sh
# Builds the OCI image layout `busybox:latest` from Debian's busybox-static, for the runc runtime.
#
#   scripts/build-busybox-image.sh [IMAGES_DIR]     (default: ./images; the layout lands in IMAGES_DIR/busybox)
#
# The rootfs is /bin/busybox plus one symlink per applet, a minimal /etc (passwd, group, nsswitch) and the
# usual empty folders; the image config sets Cmd ["sh"], PATH and WorkingDir /. The layer is written with
# umoci (init, new, unpack, repack, config), the tools runc users already have. Idempotent: when the layout
# already holds `latest` built from the same busybox binary, it returns at once.
set -eu

IMAGES_DIR=${1:-images}
NAME=busybox
TAG=latest
BUSYBOX=${BUSYBOX:-/bin/busybox}
UMOCI=${UMOCI:-umoci}

if [ ! -x "$BUSYBOX" ]; then
    echo "build-busybox-image: $BUSYBOX not found; install Debian's busybox-static (apt-get install busybox-static)" >&2
    exit 1
fi
if ! command -v "$UMOCI" >/dev/null 2>&1; then
    echo "build-busybox-image: umoci not found; install it (apt-get install umoci)" >&2
    exit 1
fi

mkdir -p "$IMAGES_DIR"
LAYOUT=$(cd "$IMAGES_DIR" && pwd)/$NAME
STAMP="$LAYOUT/.kubus-busybox-source"
SOURCE=$(sha256sum "$BUSYBOX" | cut -d' ' -f1)

if [ -f "$LAYOUT/index.json" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$SOURCE" ] \
    && "$UMOCI" ls --layout "$LAYOUT" 2>/dev/null | grep -qx "$TAG"; then
    echo "$LAYOUT:$TAG is up to date"
    exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kubus-busybox-XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
NEW="$WORK/layout"
BUNDLE="$WORK/bundle"

# Without root, umoci maps ownership instead of setting it (the files then belong to root in the image anyway).
ROOTLESS=
[ "$(id -u)" = 0 ] || ROOTLESS=--rootless

"$UMOCI" init --layout "$NEW"
"$UMOCI" new --image "$NEW:$TAG"
"$UMOCI" unpack $ROOTLESS --image "$NEW:$TAG" "$BUNDLE" >/dev/null

ROOT="$BUNDLE/rootfs"
for dir in bin sbin usr/bin usr/sbin etc root tmp var/tmp var/log var/run run proc sys dev home; do
    mkdir -p "$ROOT/$dir"
done
chmod 1777 "$ROOT/tmp" "$ROOT/var/tmp"
chmod 0700 "$ROOT/root"
cp "$BUSYBOX" "$ROOT/bin/busybox"
chmod 0755 "$ROOT/bin/busybox"
"$BUSYBOX" --list-full | while read -r applet; do
    [ "$applet" = "bin/busybox" ] && continue
    [ -e "$ROOT/$applet" ] || [ -L "$ROOT/$applet" ] && continue
    mkdir -p "$ROOT/$(dirname "$applet")"
    ln -s /bin/busybox "$ROOT/$applet"
done
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOF
cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
nogroup:x:65534:
EOF
echo "hosts: files dns" >"$ROOT/etc/nsswitch.conf"

"$UMOCI" repack --image "$NEW:$TAG" "$BUNDLE" >/dev/null
"$UMOCI" config --image "$NEW:$TAG" \
    --config.cmd sh \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.workingdir / \
    --author kubus \
    --history.created_by "scripts/build-busybox-image.sh from $BUSYBOX"
"$UMOCI" gc --layout "$NEW"
echo "$SOURCE" >"$NEW/.kubus-busybox-source"
chmod -R a+rX "$NEW"

# Swap the finished layout in, so a reader never sees a half-written one.
rm -rf "$LAYOUT.old"
[ -e "$LAYOUT" ] && mv "$LAYOUT" "$LAYOUT.old"
mv "$NEW" "$LAYOUT"
rm -rf "$LAYOUT.old"
echo "built $LAYOUT:$TAG"
