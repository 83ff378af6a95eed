#include "rootfs/idmapped.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "cnt/log.hpp"
#include "rootfs/rootfs.hpp"
#include "rootfs/shift.hpp"

namespace cnt::rootfs {

Result<bool> needs_idmapped_mount(const config::Config& cfg, int clone_flags) {
    if (cfg.ns.idmaps.empty() || !(clone_flags & CLONE_NEWUSER)) return false;
    std::string path = host_path(cfg);
    if (path.empty()) return false;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return sys_error(cat("rootfs \"", path, "\""));
    if (owned_by_map(cfg.ns.idmaps, st.st_uid, st.st_gid)) return false;
    // Through the mount, a container id on disk is that id inside: an owner that is neither
    // (a rootfs shifted for another map) would be nobody there.
    if (!shifted_id(cfg.ns.idmaps, 'u', st.st_uid) || !shifted_id(cfg.ns.idmaps, 'g', st.st_gid))
        return error("rootfs \"", path, "\" is owned by ", st.st_uid, ":", st.st_gid,
                     ", which lxc.idmap maps neither from nor to (shifted for another map?); "
                     "chown it onto the map or make it again");
    return true;
}

namespace {

// The kernel (no open_tree or mount_setattr: ENOSYS) or the filesystem (no FS_ALLOW_IDMAP:
// EINVAL; EOPNOTSUPP) cannot idmap this rootfs.
bool refused(int err) { return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP; }

Result<unique_fd> clone_idmapped(const std::string& path, pid_t pid) {
    unique_fd tree(
        ::open_tree(AT_FDCWD, path.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    if (!tree) return sys_error(cat("cloning the rootfs \"", path, "\" (open_tree)"));
    unique_fd userns(::open(cat("/proc/", pid, "/ns/user").c_str(), O_RDONLY | O_CLOEXEC));
    if (!userns) return sys_error("opening init's user namespace");
    struct mount_attr attr {};
    attr.attr_set = MOUNT_ATTR_IDMAP;
    attr.userns_fd = static_cast<uint64_t>(userns.get());
    if (::mount_setattr(tree.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0)
        return sys_error(cat("idmapping the rootfs \"", path, "\" (mount_setattr)"));
    return tree;
}

}  // namespace

Result<unique_fd> idmapped_rootfs(const config::Config& cfg, pid_t pid) {
    std::string path = host_path(cfg);
    auto m = clone_idmapped(path, pid);
    if (m || !refused(m.error().err)) return m;
    // Shifting changes the rootfs on disk, once: from then on its top is the range's and no
    // later start comes here.
    log::notice(m.error().message(), "; shifting its files onto lxc.idmap instead");
    CNT_ASSIGN(st, shift_tree(path, cfg.ns.idmaps));
    log::notice("shifted ", st.files, " files of \"", path, "\"");
    return unique_fd();
}

}  // namespace cnt::rootfs
