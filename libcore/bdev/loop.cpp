// The loop backend: "loop:FILE", an image file holding a filesystem, attached to a loop device
// (loop-control and LOOP_CONFIGURE, no losetup) with autoclear: the device is freed when the
// last mount of it goes, so a container's device goes with its mount namespace at stop.
#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "bdev/backends.hpp"
#include "cnt/store.hpp"

namespace cnt::bdev::detail {
namespace {

Result<void> check_fstype(const std::string& t) {
    if (t.empty() || t.size() > 16) return error("--fstype \"", t, "\": not a filesystem name");
    for (char c : t)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return error("--fstype \"", t, "\": not a filesystem name");
    return {};
}

std::string mkfs_path(const std::string& fstype) {
    for (const char* dir : {"/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"}) {
        std::string p = cat(dir, "mkfs.", fstype);
        if (::access(p.c_str(), X_OK) == 0) return p;
    }
    return {};
}

// mkfs.<fstype> on the image, quiet; its errors go to our stderr.
Result<void> run_mkfs(const std::string& fstype, const std::string& image) {
    std::string tool = mkfs_path(fstype);
    if (tool.empty())
        return error("mkfs.", fstype, " not found (install the package that has it, e.g. ",
                     fstype == "btrfs" ? "btrfs-progs" : "e2fsprogs", ")");
    pid_t pid = ::fork();
    if (pid < 0) return sys_error("forking mkfs");
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        if (null >= 0) ::dup2(null, 1);
        const char* force = fstype == "btrfs" || fstype == "xfs" ? "-f" : "-F";
        ::execl(tool.c_str(), tool.c_str(), "-q", force, image.c_str(), nullptr);
        _exit(127);
    }
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return sys_error("waiting for mkfs");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return error(tool, " \"", image, "\" failed (status ", WEXITSTATUS(st), ")");
    return {};
}

Result<void> create_image(const Spec& s, const Params& p) {
    CNT_TRY(check_fstype(p.fstype));
    unique_fd fd(
        ::open(s.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd) return sys_error(cat("creating image \"", s.path, "\""));
    if (::ftruncate(fd.get(), static_cast<off_t>(p.fssize)) != 0)
        return sys_error(cat("sizing image \"", s.path, "\" to ", p.fssize, " bytes"));
    fd.reset();
    return run_mkfs(p.fstype, s.path);
}

// A free loop device bound to `backing`, autoclear. Another process may take the device
// loop-control gave us before we configure it (EBUSY): then ask again.
Result<unique_fd> attach(int backing, const std::string& image) {
    unique_fd ctl(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
    if (!ctl) return sys_error("opening /dev/loop-control");
    for (int tries = 0;; ++tries) {
        int n = ::ioctl(ctl.get(), LOOP_CTL_GET_FREE);
        if (n < 0) return sys_error("finding a free loop device (LOOP_CTL_GET_FREE)");
        std::string dev = cat("/dev/loop", n);
        unique_fd fd(::open(dev.c_str(), O_RDWR | O_CLOEXEC));
        if (!fd) return sys_error(cat("opening \"", dev, "\""));
        struct loop_config lc {};
        lc.fd = static_cast<uint32_t>(backing);
        lc.info.lo_flags = LO_FLAGS_AUTOCLEAR;
        std::strncpy(reinterpret_cast<char*>(lc.info.lo_file_name), image.c_str(),
                     LO_NAME_SIZE - 1);
        if (::ioctl(fd.get(), LOOP_CONFIGURE, &lc) == 0) return fd;
        if (errno != EBUSY || tries >= 20)
            return sys_error(cat("attaching \"", image, "\" to ", dev, " (LOOP_CONFIGURE)"));
    }
}

// The filesystem in the image, by its magic number.
Result<std::string> detect(int fd, const std::string& image) {
    char buf[8] = {};
    if (::pread(fd, buf, 2, 1080) == 2 && (uint8_t)buf[0] == 0x53 && (uint8_t)buf[1] == 0xef)
        return std::string("ext4");
    if (::pread(fd, buf, 8, 65536 + 64) == 8 && std::memcmp(buf, "_BHRfS_M", 8) == 0)
        return std::string("btrfs");
    if (::pread(fd, buf, 4, 0) == 4 && std::memcmp(buf, "XFSB", 4) == 0) return std::string("xfs");
    return error("image \"", image, "\": no ext4, btrfs or xfs filesystem found");
}

Result<unique_fd> open_image(const Spec& s) {
    unique_fd img(::open(s.path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
    if (!img) return sys_error(cat("opening image \"", s.path, "\""));
    struct stat st {};
    if (::fstat(img.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return error("image \"", s.path, "\" is not a regular file");
    CNT_ASSIGN(type, detect(img.get(), s.path));
    CNT_ASSIGN(dev, attach(img.get(), s.path));
    unique_fd fs(::fsopen(type.c_str(), FSOPEN_CLOEXEC));
    if (!fs) return sys_error(cat("opening a ", type, " filesystem (fsopen)"));
    // The device's own name (/dev/loopN) is what mountinfo then shows as the source.
    char src[64] = {};
    std::string link = cat("/proc/self/fd/", dev.get());
    if (::readlink(link.c_str(), src, sizeof src - 1) <= 0)
        return sys_error(cat("image \"", s.path, "\": naming its loop device"));
    if (::fsconfig(fs.get(), FSCONFIG_SET_STRING, "source", src, 0) != 0)
        return sys_error(cat("image \"", s.path, "\": source"));
    // The mount holds the device from here; closing ours leaves autoclear to the mount.
    return fs_mount(fs.get(), cat(type, " image \"", s.path, "\""));
}

Result<void> destroy_image(const Spec& s, const std::string& owner,
                           std::vector<std::string>& kept) {
    return remove_owned(s.path, owner, kept);
}

Result<Spec> snapshot_image(const Spec& s, const std::string&) {
    return error("rootfs \"", s.str(), "\": a loop image has no snapshots (copy it without -s)");
}

}  // namespace

const Backend kLoop{Kind::loop, "loop", create_image, open_image, destroy_image, snapshot_image};

}  // namespace cnt::bdev::detail
