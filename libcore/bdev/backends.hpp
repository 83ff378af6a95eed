// The backends behind cnt/bdev.hpp: one table row each (dir.cpp, overlay.cpp, btrfs.cpp,
// loop.cpp), so the dispatch in bdev.cpp has no per-backend `if`.
#pragma once
#include <string>
#include <vector>

#include "cnt/bdev.hpp"

namespace cnt::bdev::detail {

struct Backend {
    Kind kind;
    std::string_view name;
    Result<void> (*create)(const Spec&, const Params&);
    Result<unique_fd> (*open_root)(const Spec&);
    Result<void> (*destroy)(const Spec&, const std::string& owner, std::vector<std::string>&);
    Result<Spec> (*snapshot)(const Spec&, const std::string& dir);
};

extern const Backend kDir, kOverlay, kBtrfs, kLoop;

// Helpers shared by the backends (bdev.cpp).
bool under(const std::string& path, const std::string& dir);
// A directory opened O_PATH-free for reading (O_DIRECTORY | O_NOFOLLOW on the last part).
Result<unique_fd> open_dir(const std::string& path);
// The mount of a filesystem context made by fsopen(2), detached (fsmount), its root's fd.
Result<unique_fd> fs_mount(int fsfd, const std::string& what);
// The dir backend's removal (remove_tree) when `path` lies in `owner`.
Result<void> remove_owned(const std::string& path, const std::string& owner,
                          std::vector<std::string>& kept);

}  // namespace cnt::bdev::detail
