#include "base/fd_util.hpp"

#include <dirent.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "cnt/dir.hpp"

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

void close_inherited(std::vector<int> keep) {
    // close_range(2) over the gaps between the descriptors kept: no walk of /proc/self/fd.
    std::sort(keep.begin(), keep.end());
    unsigned from = 3;
    bool ok = true;
    for (int k : keep) {
        if (k < 3) continue;
        auto fd = static_cast<unsigned>(k);
        if (fd > from && ::syscall(SYS_close_range, from, fd - 1, 0) != 0) ok = false;
        from = std::max(from, fd + 1);
    }
    if (ok && ::syscall(SYS_close_range, from, ~0U, 0) == 0) return;
    // A kernel before 5.9: close what /proc/self/fd lists.
    std::vector<int> fds;
    {
        DirReader d(std::string("/proc/self/fd"));
        if (!d) return;
        int self = d.fd();
        while (const dirent* e = d.next()) {
            int fd = std::atoi(e->d_name);
            if (fd > 2 && fd != self && std::find(keep.begin(), keep.end(), fd) == keep.end())
                fds.push_back(fd);
        }
    }
    for (int fd : fds) ::close(fd);
}

}  // namespace cnt
