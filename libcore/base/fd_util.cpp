#include "base/fd_util.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace cnt {

bool write_all(int fd, const char* buf, size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                struct pollfd p {
                    fd, POLLOUT, 0
                };
                ::poll(&p, 1, -1);
                continue;
            }
            return false;
        }
        buf += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

}  // namespace cnt
