// Shifting a rootfs onto an lxc.idmap range: every file's owner and group moved from the
// container's ids to the host ids they map to (what LXC leaves to lxc-usernsexec or a manual
// chown). Used by cnt-create after the template (which runs as host root), and by cnt-start
// when the filesystem refuses an idmapped mount.
//
// The rootfs may hold anything (threat model, DESIGN.md): the walk goes from directory
// descriptors (openat with O_NOFOLLOW, never a path string handed to chown), never follows a
// symlink, never crosses into another mount, and changes an inode with several hard links
// only when every one of its links is inside the rootfs (a link to a host file, planted by a
// privileged container's root, would otherwise hand that file to the container).
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::rootfs {

// What id `id` (type 'u' or 'g') of a file becomes: a container id of the map becomes its host
// id; an id already in the map's host range (and not a container id) stays, so an
// interrupted shift can be run again; any other id has no place in the container (nullopt).
// Without any map of that type, ids of that type stay as they are.
std::optional<unsigned long> shifted_id(const std::vector<config::IdMap>& maps, char type,
                                        unsigned long id);

// Whether uid and gid are both host ids the container's ids map to (a file the container owns).
bool owned_by_map(const std::vector<config::IdMap>& maps, uid_t uid, gid_t gid);

struct ShiftStats {
    size_t files = 0;    // inodes whose owner changed
    size_t skipped = 0;  // mount points below the rootfs, left alone
};

// Shift every file of the tree `dir` (a host path, the rootfs) through `maps` with lchown
// semantics; setuid/setgid bits and file capabilities, which a chown clears, are restored
// (capabilities as a version 3 xattr whose root is the container's root). The top directory
// changes last: until then the tree reads as not shifted (see owned_by_map). An error names
// the file and the system error.
Result<ShiftStats> shift_tree(const std::string& dir, const std::vector<config::IdMap>& maps);

}  // namespace cnt::rootfs
