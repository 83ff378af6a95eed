#include "container/clones.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "cnt/config.hpp"

namespace cnt::clones {
namespace {

std::string file_of(const store::Paths& p) { return p.dir() + "/lxc_snapshots"; }

// Whether `clone` exists and its rootfs still names a path in `dir`.
bool uses(const store::Paths& clone, const std::string& dir) {
    config::Config cfg;
    config::Diagnostics d;
    if (!store::defined(clone) || !config::load_file(clone.config(), cfg, d)) return false;
    const std::string& v = cfg.rootfs.path;
    for (size_t at = v.find(dir); at != std::string::npos; at = v.find(dir, at + 1)) {
        size_t end = at + dir.size();
        if ((at == 0 || v[at - 1] == ':') && (end == v.size() || v[end] == '/' || v[end] == ':'))
            return true;
    }
    return false;
}

}  // namespace

Result<void> record(const store::Paths& source, const store::Paths& clone) {
    std::string path = file_of(source);
    unique_fd fd(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0640));
    if (!fd) return sys_error(cat("opening \"", path, "\""));
    std::string line = cat(clone.lxcpath, "\n", clone.name, "\n");
    if (::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        return sys_error(cat("writing \"", path, "\""));
    return {};
}

Result<void> check_none(const store::Paths& p, std::string_view what) {
    auto text = store::read_input(file_of(p), 1 << 20);
    if (!text) return {};
    std::string users;
    std::string_view rest = *text;
    while (!rest.empty()) {
        auto a = rest.find('\n');
        auto b = a == std::string_view::npos ? a : rest.find('\n', a + 1);
        if (b == std::string_view::npos) break;
        store::Paths c{std::string(rest.substr(0, a)), std::string(rest.substr(a + 1, b - a - 1))};
        rest.remove_prefix(b + 1);
        if (!c.name.empty() && uses(c, p.dir())) users += (users.empty() ? "" : ", ") + c.dir();
    }
    if (users.empty()) return {};
    return error("cannot ", what, " it: its rootfs is the lower layer of the overlay clone",
                 users.find(", ") == std::string::npos ? " " : "s ", users,
                 " (destroy them first)");
}

}  // namespace cnt::clones
