// cnt-start against a cnt-create in progress: refuse rather than wait for it.
#include <fcntl.h>
#include <unistd.h>

#include "container/start_internal.hpp"

namespace cnt::start {

namespace {

// Whether a running cnt-create holds the creation marker: F_OFD_GETLK only looks, it takes
// nothing (an OFD lock of a process that died is gone with it).
bool being_created(const store::Paths& p) {
    unique_fd fd(::open(p.partial().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return false;
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (::fcntl(fd.get(), F_OFD_GETLK, &fl) != 0) return false;
    return fl.l_type != F_UNLCK;
}

}  // namespace

Result<store::Lock> lock_for_start(const store::Paths& p) {
    auto lock = store::Lock::acquire(p, store::Lock::Mode::try_once);
    if (!lock) {
        // cnt-create holds the lock for its whole run: waiting would start the container the
        // moment it is made, or fail later on a half-made one.
        if (being_created(p))
            return error("container is being created (cnt-create holds \"", p.partial(), "\")");
        CNT_ASSIGN(l, store::Lock::acquire(p, store::Lock::Mode::wait));
        lock = std::move(l);
    }
    CNT_TRY(store::recover_partial(p));
    CNT_TRY(store::check_not_half_destroyed(p, "start"));
    return std::move(*lock);
}

}  // namespace cnt::start
