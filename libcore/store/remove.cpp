// A recursive remover that is safe on trees a container owns: it works relative to directory
// fds, never follows a symlink, and never crosses into another mount.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "cnt/dir.hpp"
#include "cnt/store.hpp"

namespace cnt::store {
namespace {

// What statx tells about one entry, seen from its parent directory fd without following it.
struct Node {
    mode_t mode = 0;
    dev_t dev = 0;
    ino_t ino = 0;
    uint64_t mnt_id = 0;
    bool mount_root = false;
};

Result<Node> look(int dirfd, const char* name, int flags) {
    struct statx sx {};
    // STATX_MNT_ID, not st_dev: a bind mount of a directory of the same filesystem has the
    // same st_dev as its parent, only the mount ID tells them apart.
    if (::statx(dirfd, name, flags | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
                STATX_TYPE | STATX_INO | STATX_MNT_ID, &sx) != 0)
        return sys_error("statx");
    Node n;
    n.mode = sx.stx_mode;
    n.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
    n.ino = sx.stx_ino;
    n.mnt_id = (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
    n.mount_root = (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
                   (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
    return n;
}

struct Walker {
    std::vector<std::string>& kept;
    std::optional<Error> first_error;

    void fail(Error e, const std::string& path) {
        if (!first_error) {
            e.step = cat(e.step, " \"", path, "\"");
            first_error = std::move(e);
        }
    }

    // Empties the directory open as `fd` (display path `path`, on mount `mnt`). Returns true
    // when something below was kept or could not be removed.
    bool empty_dir(unique_fd fd, const std::string& path, uint64_t mnt) {
        // Collect names first: removing entries while reading the directory may skip some.
        std::vector<std::string> names;
        {
            DirReader d = DirReader::at(fd.get());
            // readdir ends on an error as at the end: errno tells (the directory would fail
            // later as "not empty").
            while (const dirent* de = d ? d.next() : nullptr) names.emplace_back(de->d_name);
            if (!d || errno) {
                fail(Error{errno, "reading directory", {}}, path);
                return true;
            }
        }
        bool left = false;
        for (const auto& name : names) {
            std::string sub = path + "/" + name;
            auto n = look(fd.get(), name.c_str(), 0);
            if (!n) {
                if (n.error().err == ENOENT) continue;
                fail(std::move(n.error()), sub);
                left = true;
                continue;
            }
            if (n->mount_root || (mnt && n->mnt_id && n->mnt_id != mnt)) {
                kept.push_back(sub);
                left = true;
                continue;
            }
            if (S_ISDIR(n->mode)) {
                unique_fd child(::openat(fd.get(), name.c_str(),
                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (!child) {
                    fail(Error{errno, "opening directory", {}}, sub);
                    left = true;
                    continue;
                }
                // The entry may have been swapped between statx and open: check it is the same
                // directory, on the same mount.
                auto again = look(child.get(), "", AT_EMPTY_PATH);
                if (!again) {
                    fail(std::move(again.error()), sub);
                    left = true;
                    continue;
                }
                if (again->dev != n->dev || again->ino != n->ino || again->mnt_id != n->mnt_id) {
                    fail(Error{0, "directory changed while removing it", {}}, sub);
                    left = true;
                    continue;
                }
                bool below = empty_dir(std::move(child), sub, mnt);
                if (::unlinkat(fd.get(), name.c_str(), AT_REMOVEDIR) != 0) {
                    if (!below || (errno != ENOTEMPTY && errno != EEXIST && errno != EBUSY))
                        fail(Error{errno, "removing directory", {}}, sub);
                    left = true;
                }
            } else if (::unlinkat(fd.get(), name.c_str(), 0) != 0 && errno != ENOENT) {
                if (errno == EBUSY)
                    kept.push_back(sub);  // a mount point our check missed
                else
                    fail(Error{errno, "removing", {}}, sub);
                left = true;
            }
        }
        return left;
    }
};

}  // namespace

Result<void> remove_tree(const std::string& path, std::vector<std::string>& kept) {
    if (path.empty() || path == "/") return error("refusing to remove \"", path, "\"");
    std::string p = path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    auto slash = p.rfind('/');
    std::string parent = slash == std::string::npos ? "." : (slash == 0 ? "/" : p.substr(0, slash));
    std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
    if (base.empty() || base == "." || base == "..")
        return error("refusing to remove \"", path, "\"");

    unique_fd pfd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!pfd) {
        if (errno == ENOENT) return {};
        return sys_error(cat("opening \"", parent, "\""));
    }
    auto n = look(pfd.get(), base.c_str(), 0);
    if (!n) {
        if (n.error().err == ENOENT) return {};
        return std::unexpected(std::move(n.error().within(p)));
    }
    if (!S_ISDIR(n->mode)) {
        if (::unlinkat(pfd.get(), base.c_str(), 0) != 0 && errno != ENOENT)
            return sys_error(cat("removing \"", p, "\""));
        return {};
    }
    unique_fd fd(
        ::openat(pfd.get(), base.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return sys_error(cat("opening \"", p, "\""));
    // The top directory's own mount is the one we stay on, even when it is a mount point itself.
    Walker w{kept, std::nullopt};
    bool left = w.empty_dir(std::move(fd), p, n->mnt_id);
    if (::unlinkat(pfd.get(), base.c_str(), AT_REMOVEDIR) != 0) {
        if (errno == EBUSY && !left)
            kept.push_back(p);
        else if (!left && !w.first_error)
            return sys_error(cat("removing directory \"", p, "\""));
    }
    if (w.first_error) return std::unexpected(std::move(*w.first_error));
    return {};
}

}  // namespace cnt::store
