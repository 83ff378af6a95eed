// What proc:mixed and sys:ro/mixed hide or freeze besides /proc/sys and sysrq-trigger: OCI's
// default masked and read-only paths, and the kernel log. They matter in privileged containers
// (in an idmapped one these files belong to a host root the container's root is not, and the
// kernel already refuses it). A root that keeps CAP_SYS_ADMIN can unmount them: cnt(7),
// SECURITY, says what that means.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "cnt/fd.hpp"
#include "cnt/text.hpp"
#include "rootfs/resolve.hpp"
#include "rootfs/rootfs.hpp"

namespace cnt::rootfs {

namespace {

enum class Hide { mask, read_only };
struct Path {
    const char* name;
    Hide how;
};
// Kernel-wide state with no namespace: host timers and keys, the kernel log (reading /proc/kmsg
// consumes it), ACPI, SCSI rescans, PCI config space, IRQ routing, filesystem servers.
constexpr std::array<Path, 13> kProc = {{
    {"acpi", Hide::mask},
    {"asound", Hide::mask},
    {"kcore", Hide::mask},
    {"keys", Hide::mask},
    {"latency_stats", Hide::mask},
    {"timer_list", Hide::mask},
    {"timer_stats", Hide::mask},
    {"sched_debug", Hide::mask},
    {"scsi", Hide::mask},
    {"kmsg", Hide::mask},
    {"bus", Hide::read_only},
    {"fs", Hide::read_only},
    {"irq", Hide::read_only},
}};
// Firmware tables and EFI variables of the host.
constexpr std::array<Path, 1> kSys = {{{"firmware", Hide::mask}}};

constexpr unsigned kCommon = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

// A directory is covered by an empty read-only tmpfs, a file by /dev/null; `at` is the path
// opened in the procfs / sysfs (rootfs/resolve.hpp: mounts on descriptors).
Result<void> mask(int at, const std::string& path, bool dir) {
    std::string what = cat("masking \"", path, "\"");
    if (dir) {
        CNT_TRY(new_mount("tmpfs", "cnt-masked", "size=0,mode=555", kCommon | MOUNT_ATTR_RDONLY, at,
                          what));
    } else {
        CNT_TRY(bind(AT_FDCWD, "/dev/null", at, false, {}, what));
    }
    return {};
}

Result<void> freeze(int at, const std::string& path) {
    CNT_TRY(bind(at, "", at, true, {kCommon | MOUNT_ATTR_RDONLY, 0},
                 cat("making \"", path, "\" read-only")));
    return {};
}

// `dir`: a procfs or sysfs the caller has just mounted (its mount's descriptor), so every path
// below it is the kernel's own (no symlink of the container's); what this kernel does not have
// is skipped. `top` names it in messages.
template <size_t N>
Result<void> hide_all(int dir, const char* top, const std::array<Path, N>& paths) {
    for (const auto& p : paths) {
        struct stat st {};
        if (::fstatat(dir, p.name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        std::string path = cat(top, "/", p.name);
        unique_fd at(::openat(dir, p.name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
        if (!at) return sys_error(cat("opening \"", path, "\""));
        CNT_TRY(p.how == Hide::mask ? mask(at.get(), path, S_ISDIR(st.st_mode))
                                    : freeze(at.get(), path));
    }
    return {};
}

}  // namespace

Result<void> hide_proc(int proc) { return hide_all(proc, "/proc", kProc); }
Result<void> hide_sys(int sys) { return hide_all(sys, "/sys", kSys); }

}  // namespace cnt::rootfs
