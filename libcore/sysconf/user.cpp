// A normal user's places, as LXC's: ~/.local/share/cnt, ~/.config/cnt, ~/.cache/cnt and a run
// dir of the user's own. No getpwuid (the tools are static, without NSS): /etc/passwd is read.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "cnt/sysconf.hpp"
#include "cnt/users.hpp"

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

std::string under_home(const char* xdg, const char* rel) {
    if (auto d = env_dir(xdg); !d.empty()) return d + "/cnt";
    auto h = home();
    return h.empty() ? std::string() : h + rel;
}

}  // namespace

std::string home() {
    if (auto h = env_dir("HOME"); !h.empty()) return h;
    auto u = users::by_uid(::geteuid());
    return u ? u->home : std::string();
}

std::string user_name(uid_t uid) {
    auto u = users::by_uid(uid);
    return u ? u->name : std::string();
}

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
