// The creation marker: how a tool tells a container being created from one whose creator died.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <optional>

#include "cnt/dir.hpp"
#include "cnt/log.hpp"
#include "cnt/store.hpp"

namespace cnt::store {
namespace {

// An OFD lock belongs to the open file description, so it is released when the creator dies,
// however it dies, and it conflicts even with another descriptor of the same process.
bool try_lock(int fd) {
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    while (::fcntl(fd, F_OFD_SETLK, &fl) != 0) {
        if (errno != EINTR) return false;
    }
    return true;
}

}  // namespace

Result<Partial> Partial::create(const Paths& p) {
    std::string path = p.partial();
    unique_fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) return sys_error(cat("creating \"", path, "\""));
    if (!try_lock(fd.get())) {
        int e = errno;
        ::unlink(path.c_str());
        return errno_error(e, cat("locking \"", path, "\""));
    }
    return Partial(std::move(fd), std::move(path));
}

void Partial::finish() {
    if (!fd_) return;
    ::unlink(path_.c_str());
    fd_.reset();
}

Result<void> remove_half_created(const Paths& p, std::vector<std::string>& kept) {
    return remove_half_created(p, kept, {});
}

Result<void> remove_half_created(const Paths& p, std::vector<std::string>& kept,
                                 const Remover& remover) {
    std::optional<Error> failed;
    auto rm = [&](const std::string& path) {
        auto r = remover ? remover(path, kept) : remove_tree(path, kept);
        if (!r && !failed) failed = std::move(r.error());
        return !failed && kept.empty();
    };
    if (DirReader d(p.dir()); d) {
        std::vector<std::string> names;
        while (const dirent* e = d.next()) {
            std::string_view n = e->d_name;
            if (n != "config" && n != "partial") names.emplace_back(n);
        }
        for (const auto& n : names) rm(p.dir() + "/" + n);
    } else if (errno != ENOENT) {
        return sys_error(cat("reading \"", p.dir(), "\""));
    }
    if (failed || !kept.empty() || !rm(p.config())) {
        if (failed) return std::unexpected(std::move(*failed));
        return {};
    }
    rm(p.dir());
    if (failed) return std::unexpected(std::move(*failed));
    return {};
}

Result<void> check_not_half_destroyed(const Paths& p, std::string_view step) {
    if (::access(p.destroying().c_str(), F_OK) != 0) return {};
    return error("cannot ", step, ": a cnt-destroy of this container stopped half-way (\"",
                 p.destroying(), "\" is there); run cnt-destroy again");
}

Result<bool> recover_partial(const Paths& p) { return recover_partial(p, {}); }

Result<bool> recover_partial(const Paths& p, const Remover& remover) {
    unique_fd fd(::open(p.partial().c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) {
        if (errno == ENOENT || errno == ENOTDIR) return false;
        return sys_error(cat("opening \"", p.partial(), "\""));
    }
    if (!try_lock(fd.get())) {
        if (errno == EAGAIN || errno == EACCES)
            return error("container is being created (cnt-create holds \"", p.partial(), "\")");
        return sys_error(cat("locking \"", p.partial(), "\""));
    }
    log::warn("removing half-created container (its creator died): ", p.dir());
    std::vector<std::string> kept;
    auto r = remove_half_created(p, kept, remover);
    if (!r) return std::unexpected(std::move(r.error()));
    if (!kept.empty())
        return error("cleaning up half-created container: mount point \"", kept.front(),
                     "\" kept in \"", p.dir(), "\"");
    return true;
}

}  // namespace cnt::store
