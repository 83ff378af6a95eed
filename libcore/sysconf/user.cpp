// A normal user's places, as LXC's: ~/.local/share/cnt, ~/.config/cnt, ~/.cache/cnt and a run
// dir of the user's own. No getpwuid (the tools are static, without NSS): /etc/passwd is read.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "cnt/store.hpp"
#include "cnt/sysconf.hpp"
#include "cnt/text.hpp"

namespace cnt::sysconf {
namespace {

// A directory owned by the caller (and writable by nobody else): anything else in an
// inherited variable (root's HOME after setpriv) is not the caller's place.
bool owned_dir(const std::string& p) {
    struct stat st {};
    return !p.empty() && p.front() == '/' && ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
           st.st_uid == ::geteuid() && !(st.st_mode & S_IWOTH);
}

std::string env_dir(const char* name) {
    const char* v = std::getenv(name);
    return v && owned_dir(v) ? std::string(v) : std::string();
}

// Field `field` of uid's line in /etc/passwd (name:passwd:uid:gid:gecos:home:shell).
std::string passwd_field(uid_t uid, size_t field) {
    auto text = store::read_input("/etc/passwd", 16u << 20);
    if (!text) return {};
    for (auto line : split(*text, "\n")) {
        // (by hand: split() drops the empty fields, and gecos often is one)
        std::vector<std::string_view> f;
        for (size_t pos = 0; f.size() < 7;) {
            size_t e = line.find(':', pos);
            f.push_back(line.substr(pos, e == std::string_view::npos ? e : e - pos));
            if (e == std::string_view::npos) break;
            pos = e + 1;
        }
        if (f.size() > field && f.size() >= 3 && f[2] == std::to_string(uid))
            return std::string(f[field]);
    }
    return {};
}

std::string under_home(const char* xdg, const char* rel) {
    if (auto d = env_dir(xdg); !d.empty()) return d + "/cnt";
    auto h = home();
    return h.empty() ? std::string() : h + rel;
}

}  // namespace

std::string home() {
    if (auto h = env_dir("HOME"); !h.empty()) return h;
    return passwd_field(::geteuid(), 5);
}

std::string user_name(uid_t uid) { return passwd_field(uid, 0); }

std::string user_config_dir() { return under_home("XDG_CONFIG_HOME", "/.config/cnt"); }

std::string cache_dir() {
    if (::geteuid() == 0) return "/var/cache/cnt";
    return under_home("XDG_CACHE_HOME", "/.cache/cnt");
}

Settings user_defaults() {
    Settings s;
    s.lxcpath = under_home("XDG_DATA_HOME", "/.local/share/cnt");
    // $XDG_RUNTIME_DIR is the user's own tmpfs (gone at logout, as are the containers' sockets
    // with it); without one (setpriv, cron, su), a directory in the home that no one else can
    // make or replace (a fixed /tmp name could be taken by another user first).
    auto run = env_dir("XDG_RUNTIME_DIR");
    s.rundir = !run.empty() ? run + "/cnt" : cache_dir().empty() ? "" : cache_dir() + "/run";
    return s;
}

}  // namespace cnt::sysconf
