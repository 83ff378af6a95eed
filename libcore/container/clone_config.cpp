#include "container/clone_config.hpp"

#include <random>
#include <string_view>

#include "cnt/error.hpp"

namespace cnt::clone {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends(std::string_view s, std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool is_rootfs(std::string_view k) { return k == "lxc.rootfs.path" || k == "lxc.rootfs"; }
bool is_uts(std::string_view k) { return k == "lxc.uts.name" || k == "lxc.utsname"; }
bool is_hwaddr(std::string_view k) {
    return k == "lxc.network.hwaddr" || (starts(k, "lxc.net.") && ends(k, ".hwaddr"));
}
// Keys whose values may name files of the container's directory.
bool names_path(std::string_view k) {
    return is_rootfs(k) || starts(k, "lxc.hook.") || k == "lxc.mount.fstab" ||
           k == "lxc.mount.entry" || k == "lxc.log.file" || k == "lxc.console.logfile";
}

// Every old_dir that is a whole path component prefix ("old_dir", "old_dir/...") in `v`.
std::string move_paths(std::string_view v, const std::string& from, const std::string& to) {
    std::string out;
    size_t i = 0;
    while (i < v.size()) {
        size_t at = v.find(from, i);
        if (at == std::string_view::npos) break;
        size_t end = at + from.size();
        bool whole = (at == 0 || v[at - 1] == ' ' || v[at - 1] == ':' || v[at - 1] == '=') &&
                     (end == v.size() || v[end] == '/' || v[end] == ' ' || v[end] == ':');
        out.append(v.substr(i, at - i)).append(whole ? to : from);
        i = end;
    }
    out.append(v.substr(i));
    return out;
}

std::string fresh_mac(std::mt19937& rng) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string m = "00:16:3e";
    for (int i = 0; i < 3; ++i) {
        unsigned b = rng() & 0xff;
        m += ':';
        m += hex[b >> 4];
        m += hex[b & 15];
    }
    return m;
}

}  // namespace

std::string rewrite(const std::string& text, const Rewrite& r) {
    std::mt19937 rng(std::random_device{}());
    std::string out, rootfs_line;
    size_t i = 0;
    while (i < text.size()) {
        size_t e = text.find('\n', i);
        if (e == std::string::npos) e = text.size();
        std::string_view line(text.data() + i, e - i);
        i = e + 1;
        auto t = trim(line);
        auto eq = t.find('=');
        std::string_view k = (t.empty() || t.front() == '#' || eq == std::string_view::npos)
                                 ? std::string_view{}
                                 : trim(t.substr(0, eq));
        if (is_rootfs(k)) {
            rootfs_line = cat(k, " = ", move_paths(trim(t.substr(eq + 1)), r.old_dir, r.new_dir));
        } else if (is_uts(k) && !r.keep_name) {
            continue;
        } else if (is_hwaddr(k) && !r.keep_mac) {
            out += cat(k, " = ", fresh_mac(rng), "\n");
        } else if (names_path(k)) {
            out += move_paths(line, r.old_dir, r.new_dir) + "\n";
        } else {
            out += cat(line, "\n");
        }
    }
    if (r.rootfs) rootfs_line = "lxc.rootfs.path = " + *r.rootfs;
    if (!rootfs_line.empty()) out += rootfs_line + "\n";
    if (!r.keep_name) out += cat("lxc.uts.name = ", r.new_name, "\n");
    return out;
}

}  // namespace cnt::clone
