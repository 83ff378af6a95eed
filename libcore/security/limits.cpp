// rlimits, sysctls, /proc/self writes and no_new_privs: what init sets on itself before exec.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cnt/fd.hpp"
#include "cnt/security.hpp"

namespace cnt::security {
namespace {

// Write `value` to an existing file in one write(2): procfs and sysctl files take the whole
// value from a single write and do not append.
Result<void> write_file(const std::string& path, const std::string& value) {
    unique_fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) return sys_error("opening");
    ssize_t n = ::write(fd.get(), value.data(), value.size());
    if (n < 0) return sys_error("writing");
    if (static_cast<size_t>(n) != value.size()) return errno_error(EIO, "short write");
    return {};
}

// A key must name a file below its directory: no empty, "." or ".." components.
bool safe_components(std::string_view key, char sep) {
    if (key.empty()) return false;
    size_t start = 0;
    while (true) {
        size_t end = key.find(sep, start);
        auto part = key.substr(start, end == std::string_view::npos ? key.npos : end - start);
        if (part.empty() || part == "." || part == ".." || part.find('/') != part.npos)
            return false;
        if (end == std::string_view::npos) return true;
        start = end + 1;
    }
}

}  // namespace

Result<void> apply_prlimits(const std::vector<config::Prlimit>& limits) {
    for (const auto& l : limits) {
        // RLIM_INFINITY is all ones in both the config's uint64 and rlim_t.
        struct rlimit rl {
            static_cast<rlim_t>(l.soft), static_cast<rlim_t>(l.hard)
        };
        if (::setrlimit(static_cast<__rlimit_resource_t>(l.resource), &rl) != 0)
            return sys_error(cat("setting lxc.prlimit.", l.name));
    }
    return {};
}

Result<void> apply_sysctls(const std::vector<std::pair<std::string, std::string>>& sysctls) {
    for (const auto& [key, value] : sysctls) {
        // Dots separate levels; a key may also be written with slashes (net/ipv4/ip_forward).
        std::string rel = key;
        for (char& c : rel)
            if (c == '.') c = '/';
        if (!safe_components(rel, '/'))
            return errno_error(EINVAL, cat("setting sysctl ", key, ": bad key"));
        auto r = write_file("/proc/sys/" + rel, value);
        if (!r) return errno_error(r.error().err, cat("setting sysctl ", key, " = ", value));
    }
    return {};
}

Result<void> apply_proc(const std::vector<std::pair<std::string, std::string>>& entries) {
    for (const auto& [file, value] : entries) {
        if (!safe_components(file, '/'))
            return errno_error(EINVAL, cat("writing /proc/self/", file, ": bad name"));
        auto r = write_file("/proc/self/" + file, value);
        if (!r)
            return errno_error(r.error().err, cat("writing \"", value, "\" to /proc/self/", file));
    }
    return {};
}

Result<void> set_no_new_privs() {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return sys_error("setting no_new_privs");
    return {};
}

}  // namespace cnt::security
