// The container's filesystem view, built by init in its own mount namespace before pivot_root.
#pragma once
#include <string>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::rootfs {

// The host directory the rootfs is reached through ("" = no rootfs: share the host's).
std::string host_path(const config::Config& cfg);
// Where init mounts the rootfs before pivoting (lxc.rootfs.mount, else the rootfs itself).
std::string mount_point(const config::Config& cfg);

// Make every mount private (so nothing propagates back to the host) and bind the rootfs on
// its mount point.
Result<void> prepare(const config::Config& cfg);
// lxc.mount.auto (proc, sys, cgroup), lxc.mount.fstab, lxc.mount.entry below `root`.
Result<void> mount_all(const config::Config& cfg, const std::string& root);
// Switch to `root`: pivot_root, then detach the old root.
Result<void> pivot(const std::string& root);

}  // namespace cnt::rootfs
