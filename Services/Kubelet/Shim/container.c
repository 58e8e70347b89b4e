#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

// Resolves `unsafe` inside `root` as if root were "/": symlinks (absolute ones too) never leave root, so a
// mount point like /var/run/secrets lands under root/run, not on the host's /run.
static int secure_join(const char *root, const char *unsafe, char *out, size_t out_size) {
    char current[4096] = "";
    char remaining[8192];
    snprintf(remaining, sizeof remaining, "%s", unsafe);
    int links = 0;
    char *cursor = remaining;
    while (*cursor) {
        while (*cursor == '/') cursor++;
        if (!*cursor) break;
        char *slash = strchr(cursor, '/');
        size_t length = slash ? (size_t)(slash - cursor) : strlen(cursor);
        char component[1024];
        if (length >= sizeof component) return -1;
        memcpy(component, cursor, length);
        component[length] = 0;
        cursor += length;
        if (strcmp(component, ".") == 0) continue;
        if (strcmp(component, "..") == 0) {
            char *last = strrchr(current, '/');
            if (last) *last = 0;
            continue;
        }
        char candidate[4096];
        snprintf(candidate, sizeof candidate, "%s/%s", current, component);
        char full[8192];
        snprintf(full, sizeof full, "%s%s", root, candidate);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode)) {
            if (++links > 40) return -1;
            char target[4096];
            ssize_t n = readlink(full, target, sizeof target - 1);
            if (n < 0) return -1;
            target[n] = 0;
            char rest[8192];
            snprintf(rest, sizeof rest, "%s/%s", target, cursor);
            snprintf(remaining, sizeof remaining, "%s", rest);
            cursor = remaining;
            if (target[0] == '/') current[0] = 0;
            continue;
        }
        snprintf(current, sizeof current, "%s", candidate);
    }
    snprintf(out, out_size, "%s%s", root, current[0] ? current : "/");
    return 0;
}

static int mount_fresh(const char *root, const char *path, const char *type, unsigned long flags, const char *data,
                       char *error, size_t size) {
    char target[8192];
    if (secure_join(root, path, target, sizeof target) < 0) FAIL("cannot resolve %s in the container", path);
    mkdir_p(target, 0755);
    if (mount(type, target, type, flags, data) < 0) FAIL("mount %s on %s: %s", type, path, strerror(errno));
    return 0;
}

static int bind(const char *root, const char *source, const char *path, bool read_only, bool recursive,
                char *error, size_t size) {
    char target[8192];
    struct stat st;
    if (stat(source, &st) < 0) FAIL("mount %s: stat %s: %s", path, source, strerror(errno));
    if (secure_join(root, path, target, sizeof target) < 0) FAIL("cannot resolve %s in the container", path);
    if (S_ISDIR(st.st_mode)) {
        if (mkdir_p(target, 0755) < 0) FAIL("mount %s: cannot create the mount point: %s", path, strerror(errno));
    } else {
        char parent[8192];
        snprintf(parent, sizeof parent, "%s", target);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent) {
            *slash = 0;
            mkdir_p(parent, 0755);
        }
        int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd >= 0) close(fd);
    }
    unsigned long flags = MS_BIND | (recursive ? MS_REC : 0);
    if (mount(source, target, NULL, flags, NULL) < 0) FAIL("bind %s on %s: %s", source, path, strerror(errno));
    if (read_only && mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
        FAIL("remount %s read-only: %s", path, strerror(errno));
    return 0;
}

static int write_etc(const char *root, const char *name, const char *content, char *error, size_t size) {
    char path[8192];
    snprintf(path, sizeof path, "%s/etc/%s", root, name);
    unlink(path);  // may be a symlink into /run; the container gets a plain file in its own layer
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) FAIL("write /etc/%s: %s", name, strerror(errno));
    size_t length = strlen(content);
    if (write(fd, content, length) != (ssize_t)length) {
        close(fd);
        FAIL("write /etc/%s: %s", name, strerror(errno));
    }
    close(fd);
    return 0;
}

// Copies the tree at `from` into `to` (created as needed): folders, regular files with their modes, symbolic links
// and overlay whiteouts (character devices 0/0). An existing file at a target is replaced.
static int copy_tree(const char *from, const char *to, char *error, size_t size) {
    DIR *folder = opendir(from);
    if (!folder) FAIL("read the image layer %s: %s", from, strerror(errno));
    mkdir(to, 0755);
    struct dirent *entry;
    int rc = 0;
    while (rc == 0 && (entry = readdir(folder))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        char source[4096], target[4096];
        snprintf(source, sizeof source, "%s/%s", from, entry->d_name);
        snprintf(target, sizeof target, "%s/%s", to, entry->d_name);
        struct stat st;
        if (lstat(source, &st) < 0) {
            snprintf(error, size, "stat %s: %s", source, strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = copy_tree(source, target, error, size);
            if (rc == 0) chmod(target, st.st_mode & 07777);
        } else if (S_ISLNK(st.st_mode)) {
            char link[4096];
            ssize_t n = readlink(source, link, sizeof link - 1);
            link[n < 0 ? 0 : n] = 0;
            unlink(target);
            if (n < 0 || symlink(link, target) < 0) {
                snprintf(error, size, "link %s: %s", target, strerror(errno));
                rc = -1;
            }
        } else if (S_ISCHR(st.st_mode)) {
            unlink(target);
            if (mknod(target, S_IFCHR | 0, st.st_rdev) < 0) {
                snprintf(error, size, "whiteout %s: %s", target, strerror(errno));
                rc = -1;
            }
        } else if (S_ISREG(st.st_mode)) {
            int in = open(source, O_RDONLY | O_CLOEXEC);
            unlink(target);
            int out = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777);
            char buffer[65536];
            ssize_t n = 0;
            while (in >= 0 && out >= 0 && (n = read(in, buffer, sizeof buffer)) > 0) {
                if (write(out, buffer, (size_t)n) != n) {
                    n = -1;
                    break;
                }
            }
            if (in < 0 || out < 0 || n < 0) {
                snprintf(error, size, "copy %s: %s", source, strerror(errno));
                rc = -1;
            }
            if (in >= 0) close(in);
            if (out >= 0) {
                fchmod(out, st.st_mode & 07777);
                close(out);
            }
        }
    }
    closedir(folder);
    return rc;
}

// Runs in the container's first process (pid 1 of its new pid namespace) before exec. The mount layout: an
// overlay (lower "/", upper D/upper holding a copy of the image's files, if it has any) at D/rootfs; fresh proc; the host's /dev (rbind, with its devpts, so a
// terminal the shim or the kubelet opened keeps its name inside) and a fresh /dev/shm tmpfs; /sys read-only
// (without its sub-mounts); fresh tmpfs on /tmp and /run; /etc/hosts, /etc/hostname, /etc/resolv.conf written
// into the layer; the volume binds in order; then pivot_root.
int container_setup(const char *dir, const struct shim_launch *launch, int netns_fd, char *error, size_t size) {
    if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) < 0)
        FAIL("cannot join network namespace %s: %s", launch->netns, strerror(errno));
    if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) < 0) FAIL("unshare: %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) FAIL("make mounts private: %s", strerror(errno));

    char root[4096], upper[4096], work[4096], options[12400];
    snprintf(root, sizeof root, "%s/rootfs", dir);
    snprintf(upper, sizeof upper, "%s/upper", dir);
    snprintf(work, sizeof work, "%s/work", dir);
    mkdir(root, 0755);
    mkdir(upper, 0755);
    mkdir(work, 0700);
    // The image's own files go into the writable layer first (overlayfs refuses a second lower layer that lies
    // inside the host's "/", and the layer's folder does).
    if (launch->layer && *launch->layer && copy_tree(launch->layer, upper, error, size) < 0) return -1;
    snprintf(options, sizeof options, "lowerdir=/,upperdir=%s,workdir=%s", upper, work);
    if (mount("overlay", root, "overlay", 0, options) < 0) {
        // The state folder's filesystem cannot hold an upper layer (overlayfs itself, when the kubelet runs in a
        // Docker container): keep the layer in a tmpfs of this mount namespace instead; it ends with the container.
        int first_error = errno;
        char layer[4096];
        snprintf(layer, sizeof layer, "%s/layer", dir);
        mkdir(layer, 0700);
        if (mount("tmpfs", layer, "tmpfs", 0, "mode=0700") < 0)
            FAIL("mount overlay on %s: %s", root, strerror(first_error));
        snprintf(upper, sizeof upper, "%s/layer/upper", dir);
        snprintf(work, sizeof work, "%s/layer/work", dir);
        mkdir(upper, 0755);
        mkdir(work, 0700);
        if (launch->layer && *launch->layer && copy_tree(launch->layer, upper, error, size) < 0) return -1;
        snprintf(options, sizeof options, "lowerdir=/,upperdir=%s,workdir=%s", upper, work);
        if (mount("overlay", root, "overlay", 0, options) < 0)
            FAIL("mount overlay on %s: %s (and with the layer in a tmpfs: %s)", root, strerror(first_error),
                 strerror(errno));
    }

    if (mount_fresh(root, "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, error, size) < 0) return -1;
    if (bind(root, "/dev", "/dev", false, true, error, size) < 0) return -1;
    if (mount_fresh(root, "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", error, size) < 0) return -1;
    if (bind(root, "/sys", "/sys", true, false, error, size) < 0) return -1;
    if (mount_fresh(root, "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", error, size) < 0) return -1;
    if (mount_fresh(root, "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755", error, size) < 0) return -1;
    char lock[8192];
    snprintf(lock, sizeof lock, "%s/run/lock", root);
    mkdir(lock, 01777);
    chmod(lock, 01777);

    if (launch->hosts && write_etc(root, "hosts", launch->hosts, error, size) < 0) return -1;
    if (launch->resolv && write_etc(root, "resolv.conf", launch->resolv, error, size) < 0) return -1;
    if (launch->hostname && *launch->hostname) {
        char content[512];
        snprintf(content, sizeof content, "%s\n", launch->hostname);
        if (write_etc(root, "hostname", content, error, size) < 0) return -1;
    }
    for (int i = 0; i < launch->mountc; i++) {
        const struct shim_mount *m = &launch->mounts[i];
        if (bind(root, m->host, m->container, m->read_only, true, error, size) < 0) return -1;
    }
    if (launch->hostname && *launch->hostname && sethostname(launch->hostname, strlen(launch->hostname)) < 0)
        FAIL("sethostname %s: %s", launch->hostname, strerror(errno));

    if (chdir(root) < 0) FAIL("chdir %s: %s", root, strerror(errno));
    if (syscall(SYS_pivot_root, ".", ".") < 0) FAIL("pivot_root: %s", strerror(errno));
    if (umount2(".", MNT_DETACH) < 0) FAIL("detach the host's root: %s", strerror(errno));
    const char *cwd = launch->cwd && *launch->cwd ? launch->cwd : "/";
    if (chdir("/") < 0 || (mkdir_p(cwd, 0755) < 0 && errno != EEXIST) || chdir(cwd) < 0)
        FAIL("chdir to working directory %s: %s", cwd, strerror(errno));
    return 0;
}
