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
    {"acpi", Hide::mask},        {"asound", Hide::mask},      {"kcore", Hide::mask},
    {"keys", Hide::mask},        {"latency_stats", Hide::mask}, {"timer_list", Hide::mask},
    {"timer_stats", Hide::mask}, {"sched_debug", Hide::mask}, {"scsi", Hide::mask},
    {"kmsg", Hide::mask},        {"bus", Hide::read_only},    {"fs", Hide::read_only},
    {"irq", Hide::read_only},
}};
// Firmware tables and EFI variables of the host.
constexpr std::array<Path, 1> kSys = {{{"firmware", Hide::mask}}};

constexpr unsigned long kCommon = MS_NOSUID | MS_NODEV | MS_NOEXEC;

// A directory is covered by an empty read-only tmpfs, a file by /dev/null.
Result<void> mask(const std::string& path, bool dir) {
    int r = dir ? ::mount("cnt-masked", path.c_str(), "tmpfs", kCommon | MS_RDONLY, "size=0,mode=555")
                : ::mount("/dev/null", path.c_str(), nullptr, MS_BIND, nullptr);
    if (r != 0) return sys_error(cat("masking \"", path, "\""));
    return {};
}

Result<void> freeze(const std::string& path) {
    if (::mount(path.c_str(), path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
        ::mount(nullptr, path.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | kCommon, nullptr) != 0)
        return sys_error(cat("making \"", path, "\" read-only"));
    return {};
}

// `top`: a procfs or sysfs the caller has just mounted, so every path below it is the kernel's
// own (no symlink of the container's); what this kernel does not have is skipped.
template <size_t N>
Result<void> hide_all(const std::string& top, const std::array<Path, N>& paths) {
    unique_fd dir(::open(top.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir) return sys_error(cat("opening \"", top, "\""));
    for (const auto& p : paths) {
        struct stat st {};
        if (::fstatat(dir.get(), p.name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        std::string path = cat(top, "/", p.name);
        CNT_TRY(p.how == Hide::mask ? mask(path, S_ISDIR(st.st_mode)) : freeze(path));
    }
    return {};
}

}  // namespace

Result<void> hide_proc(const std::string& proc) { return hide_all(proc, kProc); }
Result<void> hide_sys(const std::string& sys) { return hide_all(sys, kSys); }

}  // namespace cnt::rootfs
