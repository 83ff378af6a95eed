// The dir backend: the rootfs is a plain directory, bind-mounted at start.
#include <sys/stat.h>

#include "bdev/backends.hpp"
#include "cnt/store.hpp"

namespace cnt::bdev::detail {
namespace {

Result<void> create_dir(const Spec& s, const Params&) {
    if (::mkdir(s.path.c_str(), 0755) != 0) return sys_error(cat("creating \"", s.path, "\""));
    return {};
}

Result<unique_fd> open_dir_root(const Spec& s) { return open_dir(s.path); }

Result<void> destroy_dir(const Spec& s, const std::string& owner, std::vector<std::string>& kept) {
    return remove_owned(s.path, owner, kept);
}

// A snapshot of a directory is an overlay with the directory as its lower layer (overlay.cpp).
Result<Spec> snapshot_dir(const Spec& src, const std::string& dir) {
    return kOverlay.snapshot(src, dir);
}

}  // namespace

const Backend kDir{Kind::dir, "dir", create_dir, open_dir_root, destroy_dir, snapshot_dir};

}  // namespace cnt::bdev::detail
