#include "cgroup/fsio.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "cnt/fd.hpp"

namespace cnt::cgroup {

int write_at(int dirfd, const std::string& file, std::string_view value) {
    unique_fd fd(::openat(dirfd, file.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return errno;
    ssize_t n = ::write(fd.get(), value.data(), value.size());
    if (n < 0) return errno;
    if (static_cast<size_t>(n) != value.size()) return EIO;
    return 0;
}

bool parse_u64(std::string_view s, uint64_t& out) {
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == s.size() || s[i] < '0' || s[i] > '9') return false;
    uint64_t v = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
        v = v * 10 + static_cast<uint64_t>(s[i] - '0');
    out = v;
    return true;
}

}  // namespace cnt::cgroup
