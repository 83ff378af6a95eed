// The rootfs of a container with a user namespace, when that namespace cannot own it (a rootfs
// owned by host root, as a template run without lxc.idmap leaves it): seen through an
// idmapped mount (mount_setattr MOUNT_ATTR_IDMAP, Linux 5.12), so the container's root is its
// owner without a file of it changed on disk; where the filesystem refuses idmapped mounts,
// its files are shifted onto the range once (rootfs/shift.hpp).
#pragma once
#include <sys/types.h>

#include <string>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::rootfs {

// Whether the container's rootfs needs that: init gets a user namespace (`clone_flags`) and
// the top directory of the rootfs is owned by container ids (host root's), not by the mapped
// range. An owner that is neither is an error. Only a container with lxc.idmap pays the stat.
Result<bool> needs_idmapped_mount(const config::Config& cfg, int clone_flags);

// In the monitor, once init's id maps are written: the rootfs as a detached recursive clone,
// idmapped through the user namespace of `pid`; init stacks it on its rootfs bind
// (attach_idmapped). When the kernel or the filesystem cannot idmap it, the rootfs is shifted
// instead (logged) and the result is an empty descriptor: init keeps its plain bind.
Result<unique_fd> idmapped_rootfs(const config::Config& cfg, pid_t pid);

}  // namespace cnt::rootfs
