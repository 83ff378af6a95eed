// The key registry rows for every lxc.conf key of LXC 5.0.2 except lxc.net.* (registry_net.cpp).
// Getter output (print) reproduces liblxc's get_config_item byte for byte, quirks included;
// where cnt validates more strictly than LXC it says so in tests/configs/DIFFERENCES.md.
#include "config/registry.hpp"

#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include "cnt/log.hpp"
#include "cnt/security.hpp"
#include "config/parse.hpp"

namespace cnt::config::detail {
namespace {

using V = std::string_view;
using Out = std::optional<std::string>;

#define PARSE [](V v, [[maybe_unused]] Config & c, [[maybe_unused]] const KeyCtx& k) -> std::string
#define PRINT [](const Config& c, [[maybe_unused]] const KeyCtx& k) -> Out
#define CLEAR [](Config & c, [[maybe_unused]] const KeyCtx& k)
#define NOPRINT [](const Config&, const KeyCtx&) -> Out { return std::nullopt; }

std::string bad(V what, V v) { return cat("invalid ", what, " \"", v, "\""); }

std::string set_uint(unsigned& dst, V v) {
    if (v.empty()) return dst = 0, std::string{};
    auto n = parse_uint(v);
    if (!n) return bad("unsigned number", v);
    dst = *n;
    return {};
}
std::string set_bool(bool& dst, V v, bool on_empty = false) {
    if (v.empty()) return dst = on_empty, std::string{};
    auto b = parse_bool01(v);
    if (!b) return bad("value (must be 0 or 1)", v);
    dst = *b;
    return {};
}
std::string set_signal(int& dst, V v) {
    if (v.empty()) return dst = 0, std::string{};
    auto s = parse_signal(v);
    if (!s) return bad("signal (a number or a name with the SIG prefix)", v);
    dst = *s;
    return {};
}
std::string set_path(std::string& dst, V v) {
    if (v.size() >= 4096) return "path too long";
    dst = normalize_path(v);
    return {};
}
std::string b01(bool b) { return b ? "1" : "0"; }
std::string lines(const std::vector<std::string>& l) {
    std::string s;
    for (auto& x : l) s += x + "\n";
    return s;
}

// ---- lxc.arch ------------------------------------------------------------------------------
// LXC refuses a config that both creates and inherits namespaces, whichever comes first.
constexpr const char* kCloneKeep =
    "cannot set both \"lxc.namespace.clone\" and \"lxc.namespace.keep\"";

constexpr std::string_view kArch32[] = {"arm",  "armel",  "armhf", "armv7l",  "athlon",
                                        "i386", "i486",   "i586",  "i686",    "linux32",
                                        "mips", "mipsel", "ppc",   "powerpc", "x86"};
constexpr std::string_view kArch64[] = {"aarch64",  "amd64", "arm64",   "linux64", "mips64",
                                        "mips64el", "ppc64", "ppc64el", "ppc64le", "powerpc64",
                                        "riscv64",  "s390x", "x86_64"};

// ---- lxc.rootfs.path -----------------------------------------------------------------------
constexpr std::string_view kBackends[] = {"dir", "btrfs", "overlay", "overlayfs", "loop",
                                          "lvm", "nbd",   "rbd",     "zfs"};

// ---- lxc.mount.auto ------------------------------------------------------------------------
std::string parse_mount_auto(V v, MountAuto& a) {
    using P = MountAuto::Proc;
    using S = MountAuto::Sys;
    using G = MountAuto::Cgroup;
    using G2 = MountAuto::Cgroup2;
    for (auto& t : split_blanks(v)) {
        if (t == "proc" || t == "proc:mixed")
            a.proc = P::mixed;
        else if (t == "proc:rw")
            a.proc = P::rw;
        else if (t == "sys" || t == "sys:mixed")
            a.sys = S::mixed;
        else if (t == "sys:ro")
            a.sys = S::ro;
        else if (t == "sys:rw")
            a.sys = S::rw;
        else if (t == "cgroup")
            a.cgroup = G::nospec, a.cgroup_force = false;
        else if (t == "cgroup:mixed")
            a.cgroup = G::mixed, a.cgroup_force = false;
        else if (t == "cgroup:ro")
            a.cgroup = G::ro, a.cgroup_force = false;
        else if (t == "cgroup:rw")
            a.cgroup = G::rw, a.cgroup_force = false;
        else if (t == "cgroup:force")
            a.cgroup = G::nospec, a.cgroup_force = true;
        else if (t == "cgroup:mixed:force")
            a.cgroup = G::mixed, a.cgroup_force = true;
        else if (t == "cgroup:ro:force")
            a.cgroup = G::ro, a.cgroup_force = true;
        else if (t == "cgroup:rw:force")
            a.cgroup = G::rw, a.cgroup_force = true;
        else if (t == "cgroup-full")
            a.cgroup = G::full_nospec, a.cgroup_force = false;
        else if (t == "cgroup-full:mixed")
            a.cgroup = G::full_mixed, a.cgroup_force = false;
        else if (t == "cgroup-full:ro")
            a.cgroup = G::full_ro, a.cgroup_force = false;
        else if (t == "cgroup-full:rw")
            a.cgroup = G::full_rw, a.cgroup_force = false;
        else if (t == "cgroup-full:force")
            a.cgroup = G::full_nospec, a.cgroup_force = true;
        else if (t == "cgroup-full:mixed:force")
            a.cgroup = G::full_mixed, a.cgroup_force = true;
        else if (t == "cgroup-full:ro:force")
            a.cgroup = G::full_ro, a.cgroup_force = true;
        else if (t == "cgroup-full:rw:force")
            a.cgroup = G::full_rw, a.cgroup_force = true;
        else if (t == "cgroup2")
            a.cgroup2 = G2::rw, a.cgroup2_force = false;
        else if (t == "cgroup2:ro")
            a.cgroup2 = G2::ro, a.cgroup2_force = false;
        else if (t == "cgroup2:force")
            a.cgroup2 = G2::rw, a.cgroup2_force = true;
        else if (t == "cgroup2:ro:force")
            a.cgroup2 = G2::ro, a.cgroup2_force = true;
        else if (t.rfind("shmounts:", 0) == 0 && t.size() > 9) {
            auto rest = t.substr(9);
            auto colon = rest.find(':');
            a.shmounts_host = rest.substr(0, colon);
            a.shmounts_container =
                colon == std::string::npos ? "/dev/.lxc-mounts" : rest.substr(colon + 1);
            if (a.shmounts_host.empty() || a.shmounts_container.empty())
                return bad("shmounts token", t);
        } else
            return bad("lxc.mount.auto token", t);
    }
    return {};
}
std::string print_mount_auto(const MountAuto& a) {
    using G = MountAuto::Cgroup;
    std::vector<std::string> t;
    if (a.proc == MountAuto::Proc::mixed) t.push_back("proc:mixed");
    if (a.proc == MountAuto::Proc::rw) t.push_back("proc:rw");
    if (a.sys == MountAuto::Sys::mixed) t.push_back("sys:mixed");
    if (a.sys == MountAuto::Sys::ro) t.push_back("sys:ro");
    if (a.sys == MountAuto::Sys::rw) t.push_back("sys:rw");
    // LXC's getter compares the whole cgroup mask, so a :force variant prints nothing.
    if (!a.cgroup_force) {
        switch (a.cgroup) {
            case G::none:
                break;
            case G::mixed:
                t.push_back("cgroup:mixed");
                break;
            case G::ro:
                t.push_back("cgroup:ro");
                break;
            case G::rw:
                t.push_back("cgroup:rw");
                break;
            case G::nospec:
                t.push_back("cgroup");
                break;
            case G::full_mixed:
                t.push_back("cgroup-full:mixed");
                break;
            case G::full_ro:
                t.push_back("cgroup-full:ro");
                break;
            case G::full_rw:
                t.push_back("cgroup-full:rw");
                break;
            case G::full_nospec:
                t.push_back("cgroup-full");
                break;
        }
    }
    std::string s;
    for (auto& x : t) s += (s.empty() ? "" : " ") + x;
    return s;
}

// ---- capabilities --------------------------------------------------------------------------
std::string parse_caps(V v, Caps& caps, Caps::Mode mode) {
    if (v.empty()) return caps = Caps{}, std::string{};
    if (caps.mode != Caps::Mode::none && caps.mode != mode)
        return mode == Caps::Mode::keep ? "lxc.cap.keep cannot be combined with lxc.cap.drop"
                                        : "lxc.cap.drop cannot be combined with lxc.cap.keep";
    std::vector<int> add;
    for (auto& t : split_blanks(v)) {
        if (mode == Caps::Mode::keep && t == "none") {
            add.clear();
            caps.list.clear();
            continue;
        }
        auto n = security::cap_from_name(t);
        if (!n) {
            // A number is accepted when it names a capability the table knows.
            auto num = parse_ulong(t);
            if (num && *num < 64)
                n = security::cap_from_name(security::cap_name(static_cast<int>(*num)));
        }
        if (!n) return cat("unknown capability \"", t, "\" (lowercase, without cap_)");
        add.push_back(*n);
    }
    caps.mode = mode;
    for (int n : add)
        if (std::find(caps.list.begin(), caps.list.end(), n) == caps.list.end())
            caps.list.push_back(n);
    return {};
}
std::string print_caps(const Caps& caps) {
    std::string s;
    for (int n : caps.list) s += cat(security::cap_name(n), "\n");
    return s;
}

// ---- namespaces ----------------------------------------------------------------------------
struct NsName {
    std::string_view name;
    int flag;
};
constexpr NsName kNamespaces[] = {{"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},
                                  {"pid", CLONE_NEWPID},       {"uts", CLONE_NEWUTS},
                                  {"ipc", CLONE_NEWIPC},       {"net", CLONE_NEWNET},
                                  {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};
std::string parse_ns_list(V v, int& mask) {
    if (v.empty()) return mask = 0, std::string{};
    for (auto& t : split_blanks(v)) {
        std::string low = t;
        for (auto& ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        auto it = std::find_if(std::begin(kNamespaces), std::end(kNamespaces),
                               [&](const NsName& n) { return n.name == low; });
        if (it == std::end(kNamespaces))
            return cat("unknown namespace \"", t,
                       "\" (one of user mnt pid uts ipc net cgroup time)");
        mask |= it->flag;
    }
    return {};
}
std::string print_ns_list(int mask) {
    std::string s;
    for (auto& n : kNamespaces)
        if (mask & n.flag) s += cat(n.name, "\n");
    return s;
}

// ---- time offsets --------------------------------------------------------------------------
std::string parse_time_offset(V v, int64_t& ns) {
    if (v.empty()) return ns = 0, std::string{};
    std::string t(v);
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(t.c_str(), &end, 10);
    if (errno || end == t.c_str()) return bad("time offset", v);
    V unit = trim(V(end));
    int64_t mul;
    if (unit == "h")
        mul = 3600'000'000'000LL;
    else if (unit == "m")
        mul = 60'000'000'000LL;
    else if (unit == "s")
        mul = 1'000'000'000LL;
    else if (unit == "ms")
        mul = 1'000'000LL;
    else if (unit == "us")
        mul = 1'000LL;
    else if (unit == "ns")
        mul = 1;
    else
        return bad("time offset (a number and a unit h, m, s, ms, us, ns)", v);
    ns = n * mul;
    return {};
}
// 5.0's getters: "<s> s\n" / "<ns> ns\n" for boot but without the blank for monotonic.
std::string print_time_offset(int64_t ns, bool blank) {
    const char* sep = blank ? " " : "";
    if (ns != 0 && ns % 1'000'000'000LL == 0) return cat(ns / 1'000'000'000LL, sep, "s\n");
    return cat(ns, sep, "ns\n");
}

// ---- idmap ---------------------------------------------------------------------------------
std::string parse_idmap(V v, std::vector<IdMap>& maps, const Location& where) {
    if (v.empty()) return maps.clear(), std::string{};
    auto f = split_blanks(v);
    if (f.size() != 4 || (f[0] != "u" && f[0] != "g"))
        return bad("idmap (must be \"u|g <nsid> <hostid> <range>\")", v);
    IdMap m;
    m.type = f[0][0];
    auto a = parse_ulong(f[1]), b = parse_ulong(f[2]), r = parse_ulong(f[3]);
    if (!a || !b || !r) return bad("idmap (must be \"u|g <nsid> <hostid> <range>\")", v);
    m.nsid = *a, m.hostid = *b, m.range = *r;
    m.where = where;
    maps.push_back(m);
    return {};
}
std::string print_idmaps(const std::vector<IdMap>& maps) {
    std::string s;
    for (auto& m : maps)
        s += cat(s.empty() ? "" : "\n", m.type, ' ', m.nsid, ' ', m.hostid, ' ', m.range);
    return s;
}

// ---- hooks ---------------------------------------------------------------------------------
template <HookType T>
std::string parse_hook(V v, Config& c, const KeyCtx&) {
    auto& l = c.hooks.list[static_cast<int>(T)];
    if (v.empty()) return l.clear(), std::string{};
    l.emplace_back(v);
    return {};
}
template <HookType T>
Out print_hook(const Config& c, const KeyCtx&) {
    return lines(c.hooks.of(T));
}
template <HookType T>
void clear_hook(Config& c, const KeyCtx&) {
    c.hooks.list[static_cast<int>(T)].clear();
}
#define HOOK(name, T, doc)                                                         \
    KeyRow {                                                                       \
        "lxc.hook." name, false, parse_hook<HookType::T>, print_hook<HookType::T>, \
            clear_hook<HookType::T>, doc, "", "/usr/local/bin/hook --arg"          \
    }

// ---- prlimits ------------------------------------------------------------------------------
std::optional<uint64_t> rlim_value(V s) {
    s = trim(s);
    if (s == "unlimited") return RLIM_INFINITY;
    return parse_ulong(s);
}
std::string rlim_str(uint64_t v) { return v == RLIM_INFINITY ? "unlimited" : std::to_string(v); }
std::string parse_prlimit(V v, Config& c, const KeyCtx& k) {
    auto& pl = c.init.prlimits;
    auto it = std::find_if(pl.begin(), pl.end(), [&](const Prlimit& p) { return p.name == k.sub; });
    if (v.empty()) {
        if (it != pl.end()) pl.erase(it);
        return {};
    }
    auto r = rlimit_resource(k.sub);
    if (!r) return cat("unknown resource \"", k.sub, "\"");
    Prlimit p;
    p.name = std::string(k.sub);
    p.resource = *r;
    auto colon = v.find(':');
    auto soft = rlim_value(v.substr(0, colon));
    if (!soft) return bad("limit (soft[:hard], numbers or unlimited)", v);
    p.soft = p.hard = *soft;
    if (colon != V::npos && !trim(v.substr(colon + 1)).empty()) {
        auto hard = rlim_value(v.substr(colon + 1));
        if (!hard) return bad("limit (soft[:hard], numbers or unlimited)", v);
        p.hard = *hard;
    }
    if (it != pl.end())
        *it = p;
    else
        pl.push_back(p);
    return {};
}
std::string prlimit_str(const Prlimit& p) {
    return p.soft == p.hard ? rlim_str(p.soft) : rlim_str(p.soft) + ":" + rlim_str(p.hard);
}

// ---- sysctl / proc -------------------------------------------------------------------------
using KV = std::vector<std::pair<std::string, std::string>>;
void erase_key(KV& kv, V key) {
    std::erase_if(kv, [&](const auto& e) { return e.first == key; });
}

// ---- cgroups -------------------------------------------------------------------------------
std::string parse_cgroup(V v, std::vector<CgroupEntry>& list, const KeyCtx& k, bool v2) {
    if (v.empty()) {
        std::erase_if(list, [&](const CgroupEntry& e) { return e.key == k.sub; });
        return {};
    }
    if (k.sub.size() < 3 || k.sub.find('.') == V::npos || k.sub.front() == '.' ||
        k.sub.back() == '.')
        return cat("cgroup key must be ", v2 ? "lxc.cgroup2" : "lxc.cgroup",
                   ".<controller>.<file>");
    if (k.sub == "devices.allow" || k.sub == "devices.deny") {
        auto why = check_device_rule(v, k.sub == "devices.allow");
        if (!why.empty()) return why;
    }
    list.push_back({std::string(k.sub), std::string(v), k.where});
    return {};
}
std::string print_cgroup_all(const std::vector<CgroupEntry>& list, V prefix) {
    std::string s;
    for (auto& e : list) s += cat(prefix, e.key, " = ", e.value, "\n");
    return s;
}
std::string print_cgroup_sub(const std::vector<CgroupEntry>& list, V sub) {
    std::string s;
    for (auto& e : list)
        if (e.key == sub) s += e.value + "\n";
    return s;
}
// lxc.cgroup.dir*: relative paths that never climb out.
std::string parse_cgroup_dir(V v, std::string& dst, bool single) {
    if (v.empty()) return dst.clear(), std::string{};
    if (v.front() == '/') return "cgroup directory must be a relative path";
    if (single && (v.find('/') != V::npos || v == "." || v == ".."))
        return "must be a single directory name";
    std::string s(v);
    if (s == ".." || s.rfind("../", 0) == 0 || s.find("/../") != std::string::npos ||
        (s.size() >= 3 && s.compare(s.size() - 3, 3, "/..") == 0))
        return "cgroup directory must not contain \"..\"";
    dst = normalize_path(v);
    return {};
}
Out null_or(const std::string& s) { return s.empty() ? std::string("(null)") : s; }

// ---- environment ---------------------------------------------------------------------------
std::string parse_env(V v, std::vector<std::string>& env) {
    if (v.empty()) return env.clear(), std::string{};
    if (v.find('=') == V::npos) {
        // A bare NAME is copied from the environment of the process reading the config.
        const char* val = std::getenv(std::string(v).c_str());
        if (!val) return cat("environment variable \"", v, "\" is not set");
        env.push_back(cat(v, "=", val));
        return {};
    }
    env.emplace_back(v);
    return {};
}

std::string parse_groups(V v, std::vector<gid_t>& groups) {
    if (v.empty()) return groups.clear(), std::string{};
    std::vector<gid_t> add;
    size_t i = 0;
    while (i <= v.size()) {
        size_t j = v.find(',', i);
        if (j == V::npos) j = v.size();
        auto n = parse_uint(trim(v.substr(i, j - i)));
        if (!n) return bad("group list (comma-separated gids)", v);
        add.push_back(*n);
        i = j + 1;
    }
    groups.insert(groups.end(), add.begin(), add.end());
    return {};
}

constexpr std::string_view kSyslog[] = {"daemon", "local0", "local1", "local2", "local3",
                                        "local4", "local5", "local6", "local7"};

const KeyRow kRows[] = {
    // ---- identity
    {"lxc.uts.name", false, PARSE{if (v.empty()) return c.uts.name.reset(), std::string{};
if (v.size() > 64) return "hostname longer than 64 bytes";
c.uts.name = std::string(v);
return {};
}  // namespace
, PRINT { return c.uts.name.value_or(""); }
, CLEAR { c.uts.name.reset(); }
, "hostname inside the container's UTS namespace", "", "web1"
}  // namespace cnt::config::detail
, {"lxc.arch", false,
   PARSE{if (std::find(std::begin(kArch32), std::end(kArch32), v) != std::end(kArch32)) c.arch =
             "i686";
else if (std::find(std::begin(kArch64), std::end(kArch64), v) != std::end(kArch64)) c.arch =
    "x86_64";
else return bad("architecture", v);
return {};
}
, PRINT { return c.arch; }
, CLEAR { c.arch.clear(); }
, "personality: a 32-bit name (i686, x86...) or a 64-bit one (x86_64, amd64...)", "", "x86_64"
}
,
    // ---- rootfs
    {"lxc.rootfs.path", false,
     PARSE{if (v.empty()) return c.rootfs.path.clear(), c.rootfs.backend.clear(), std::string{};
auto colon = v.find(':');
std::string backend;
V path = v;
if (colon != V::npos && std::find(std::begin(kBackends), std::end(kBackends), v.substr(0, colon)) !=
                            std::end(kBackends)) {
    backend = std::string(v.substr(0, colon));
    path = v.substr(colon + 1);
}
auto r = set_path(c.rootfs.path, path);
if (r.empty()) c.rootfs.backend = backend;
return r;
}
, PRINT { return c.rootfs.path; }
, CLEAR { c.rootfs.path.clear(), c.rootfs.backend.clear(); }
, "[<type>:]<path> of the root filesystem (type dir, overlay, loop, ...)", "",
    "dir:/var/lib/cnt/c1/rootfs"
}
, {"lxc.rootfs.mount", false, PARSE{return set_path(c.rootfs.mount, v);
}
, PRINT {  // unset: the rootfs is mounted on its own path (rootfs::mount_point)
    return c.rootfs.mount.empty() ? c.rootfs.path : c.rootfs.mount;
}
, CLEAR { c.rootfs.mount.clear(); }
, "where the rootfs is mounted before pivot_root", "", "/usr/lib/cnt/rootfs"
}
, {"lxc.rootfs.options", false,
   PARSE{for (auto opt
              : {V("create=dir"), V("create=file"), V("optional"), V("relative")}){
       std::string s = "," + std::string(v) + ",";
if (s.find("," + std::string(opt) + ",") != std::string::npos)
    return cat("option \"", opt, "\" is not allowed for the rootfs");
}
c.rootfs.options = std::string(v);
return {};
}
, PRINT { return c.rootfs.options; }
, CLEAR { c.rootfs.options.clear(); }
,
    "mount flags for the rootfs (comma list: ro, nosuid, nodev, noexec...; ro set last, before "
    "pivot_root)",
    "", "ro,nodev"
}
, {"lxc.rootfs.managed", false, PARSE{return set_bool(c.rootfs.managed, v, true);
}
, PRINT { return b01(c.rootfs.managed); }
, CLEAR { c.rootfs.managed = true; }
, "0: cnt never touches or destroys the storage", "", "0"
}
,
    // ---- mounts
    {"lxc.mount.entry", false, PARSE{if (v.empty()) return c.mounts.entries.clear(), std::string{};
c.mounts.entries.push_back({std::string(v), k.where});
return {};
}
, PRINT {
    std::string s;
    for (auto& e : c.mounts.entries) s += e.line + "\n";
    return s;
}
, CLEAR { c.mounts.entries.clear(); }
, "one fstab line: source target fstype options dump pass (append)", "",
    "/srv/data srv/data none bind,create=dir 0 0"
}
, {"lxc.mount.fstab", false,
   PARSE{if (v.empty()) return c.mounts.fstab.clear(),
         std::string("lxc.mount.fstab must not be empty");
return set_path(c.mounts.fstab, v);
}
, PRINT { return c.mounts.fstab; }
, CLEAR { c.mounts.fstab.clear(); }
, "an fstab file of extra mounts (targets relative to the rootfs)", "", "/var/lib/cnt/c1/fstab"
}
, {"lxc.mount.auto", false, PARSE{if (v.empty()) return c.mounts.autos = MountAuto{}, std::string{};
return parse_mount_auto(v, c.mounts.autos);
}
, PRINT { return print_mount_auto(c.mounts.autos); }
, CLEAR { c.mounts.autos = MountAuto{}; }
,
    "automatic mounts: proc[:rw] sys[:ro|:rw] cgroup[:mixed|:ro|:rw][:force] cgroup-full... "
    "cgroup2[:ro] shmounts:H[:C]",
    "", "proc:mixed sys:ro cgroup:mixed"
}
, {"lxc.autodev", false, PARSE{return set_bool(c.mounts.autodev, v, false);
}
, PRINT { return b01(c.mounts.autodev); }
, CLEAR { c.mounts.autodev = true; }
, "1: mount a tmpfs on /dev with the standard nodes (default)", "", "0"
}
, {"lxc.autodev.tmpfs.size", false,
   PARSE{if (v.empty()) return c.mounts.autodev_tmpfs_size = 500000, std::string{};
auto n = parse_long(v);
if (!n) return bad("size", v);
c.mounts.autodev_tmpfs_size = *n;
return {};
}
, PRINT { return std::to_string(c.mounts.autodev_tmpfs_size); }
, CLEAR { c.mounts.autodev_tmpfs_size = 0; }
, "size in bytes of the /dev tmpfs (default 500000)", "", "1000000"
}
,
    // ---- ttys, console
    {"lxc.pty.max", false, PARSE{return set_uint(c.ptys.pty_max, v);
}
, PRINT { return std::to_string(c.ptys.pty_max); }
, CLEAR { c.ptys.pty_max = 0; }
, "ptys the container may allocate (devpts max=)", "", "1024"
}
, {"lxc.tty.max", false, PARSE{return set_uint(c.ptys.tty_max, v);
}
, PRINT { return std::to_string(c.ptys.tty_max); }
, CLEAR { c.ptys.tty_max = 0; }
, "number of /dev/ttyN consoles", "", "4"
}
, {"lxc.tty.dir", false, PARSE{if (v.size() >= 256) return "lxc.tty.dir longer than 255 bytes";
if (v.find('/') != V::npos) return "lxc.tty.dir must be a single directory name";
c.ptys.tty_dir = std::string(v);
return {};
}
, PRINT { return c.ptys.tty_dir; }
, CLEAR { c.ptys.tty_dir.clear(); }
, "directory under /dev holding the ttys and console", "", "lxc"
}
, {"lxc.console.path", false, PARSE{if (v.empty()) return c.console.path.reset(), std::string{};
std::string p;
auto r = set_path(p, v);
if (r.empty()) c.console.path = p;
return r;
}
, PRINT { return c.console.path.value_or(""); }
, CLEAR { c.console.path.reset(); }
, "console device path, or none", "", "none"
}
, {"lxc.console.logfile", false, PARSE{return set_path(c.console.logfile, v);
}
, PRINT { return c.console.logfile; }
, CLEAR { c.console.logfile.clear(); }
, "file receiving a copy of the console output", "", "/var/log/cnt/c1.console"
}
, {"lxc.console.rotate", false, PARSE{return set_bool(c.console.rotate, v);
}
, PRINT { return b01(c.console.rotate); }
, CLEAR { c.console.rotate = false; }
, "1: rotate the console log file", "", "1"
}
, {"lxc.console.buffer.size", false,
   PARSE{if (v.empty()) return c.console.buffer_size = 0, std::string{};
auto n = parse_console_size(v);
if (!n) return bad("size (auto, bytes or <n>kB/MB/GB)", v);
c.console.buffer_size = *n;
return {};
}
, PRINT { return std::to_string(c.console.buffer_size); }
, CLEAR { c.console.buffer_size = 0; }
, "console ring buffer: auto, bytes or <n>kB/MB/GB (rounded to a power of two)", "", "auto"
}
, {"lxc.console.size", false, PARSE{if (v.empty()) return c.console.size = 0, std::string{};
auto n = parse_console_size(v);
if (!n) return bad("size (auto, bytes or <n>kB/MB/GB)", v);
c.console.size = *n;
return {};
}
, PRINT { return std::to_string(c.console.size); }
, CLEAR { c.console.size = 0; }
, "limit of the console log file, same syntax as lxc.console.buffer.size", "", "1MB"
}
,
    // ---- cgroups (exact keys before the lxc.cgroup. family)
    {"lxc.cgroup.dir", false, PARSE{return parse_cgroup_dir(v, c.cgroup.dir, false);
}
, PRINT { return null_or(c.cgroup.dir); }
, CLEAR { c.cgroup.dir.clear(); }
, "cgroup path (relative) for the container and its monitor", "", "cnt/c1"
}
, {"lxc.cgroup.dir.container", false,
   PARSE{return parse_cgroup_dir(v, c.cgroup.dir_container, false);
}
, PRINT { return null_or(c.cgroup.dir_container); }
, CLEAR { c.cgroup.dir_container.clear(); }
, "cgroup path for the container (with lxc.cgroup.dir.monitor)", "", "cnt.payload/c1"
}
, {"lxc.cgroup.dir.monitor", false, PARSE{return parse_cgroup_dir(v, c.cgroup.dir_monitor, false);
}
, PRINT { return null_or(c.cgroup.dir_monitor); }
, CLEAR { c.cgroup.dir_monitor.clear(); }
, "cgroup path for the monitor", "", "cnt.monitor/c1"
}
, {"lxc.cgroup.dir.monitor.pivot", false,
   PARSE{return parse_cgroup_dir(v, c.cgroup.dir_monitor_pivot, false);
}
, PRINT { return null_or(c.cgroup.dir_monitor_pivot); }
, CLEAR { c.cgroup.dir_monitor_pivot.clear(); }
, "cgroup the monitor moves to while the container's cgroup is removed", "", "cnt.pivot"
}
, {"lxc.cgroup.dir.container.inner", false,
   PARSE{return parse_cgroup_dir(v, c.cgroup.dir_container_inner, true);
}
, PRINT { return null_or(c.cgroup.dir_container_inner); }
, CLEAR { c.cgroup.dir_container_inner.clear(); }
,
    "the inner cgroup's name (default .cnt): the container's processes and cgroup namespace "
    "live there, below the limits of its cgroup, so they cannot raise them",
    "", "inner"
}
, {"lxc.cgroup.relative", false, PARSE{return set_bool(c.cgroup.relative, v);
}
, PRINT { return b01(c.cgroup.relative); }
, CLEAR { c.cgroup.relative = false; }
, "1: create cgroups relative to the caller's, never at the root", "", "1"
}
, {"lxc.cgroup2", false,
   PARSE{if (!v.empty()) return "lxc.cgroup2 without a file name only takes an empty value";
c.cgroup.v2.clear();
return {};
}
, PRINT { return print_cgroup_all(c.cgroup.v2, "lxc.cgroup2."); }
, CLEAR { c.cgroup.v2.clear(); }
, "empty: remove every lxc.cgroup2.* setting", "", ""
}
, {"lxc.cgroup2.", true, PARSE{return parse_cgroup(v, c.cgroup.v2, k, true);
}
, PRINT { return print_cgroup_sub(c.cgroup.v2, k.sub); }
, CLEAR {
    std::erase_if(c.cgroup.v2, [&](const CgroupEntry& e) { return e.key == k.sub; });
}
, "a cgroup2 interface file and its value (append)", "memory.max", "1G"
}
, {"lxc.cgroup", false,
   PARSE{if (!v.empty()) return "lxc.cgroup without a file name only takes an empty value";
c.cgroup.v1.clear();
return {};
}
, PRINT { return print_cgroup_all(c.cgroup.v1, "lxc.cgroup."); }
, CLEAR { c.cgroup.v1.clear(); }
, "empty: remove every lxc.cgroup.* setting", "", ""
}
, {"lxc.cgroup.", true, PARSE{return parse_cgroup(v, c.cgroup.v1, k, false);
}
, PRINT { return print_cgroup_sub(c.cgroup.v1, k.sub); }
, CLEAR {
    std::erase_if(c.cgroup.v1, [&](const CgroupEntry& e) { return e.key == k.sub; });
}
, "a cgroup v1 file (<controller>.<file>) and its value (append)", "devices.allow", "c 1:3 rwm"
}
,
    // ---- capabilities
    {"lxc.cap.drop", false, PARSE{return parse_caps(v, c.security.caps, Caps::Mode::drop);
}
, PRINT { return print_caps(c.security.caps); }
, CLEAR { c.security.caps = Caps{}; }
, "capabilities to drop: lowercase names without cap_, or numbers (append)", "", "sys_module mknod"
}
, {"lxc.cap.keep", false, PARSE{return parse_caps(v, c.security.caps, Caps::Mode::keep);
}
, PRINT { return print_caps(c.security.caps); }
, CLEAR { c.security.caps = Caps{}; }
, "capabilities to keep, all others dropped; none empties the list (append)", "",
    "sys_admin net_admin"
}
,
    // ---- namespaces, time
    {"lxc.namespace.clone", false, PARSE{if (!v.empty() && c.ns.keep) return kCloneKeep;
return parse_ns_list(v, c.ns.clone);
}
, PRINT { return print_ns_list(c.ns.clone); }
, CLEAR { c.ns.clone = 0; }
, "namespaces to create: user mnt pid uts ipc net cgroup time", "", "mnt pid uts"
}
, {"lxc.namespace.keep", false, PARSE{if (!v.empty() && c.ns.clone) return kCloneKeep;
return parse_ns_list(v, c.ns.keep);
}
, PRINT { return print_ns_list(c.ns.keep); }
, CLEAR { c.ns.keep = 0; }
, "namespaces inherited from the caller", "", "net"
}
, {"lxc.namespace.share.", true,
   PARSE{if (std::none_of(std::begin(kNamespaces), std::end(kNamespaces), [&](const NsName& n) {
                 return n.name == k.sub;
             })) return cat("unknown namespace \"", k.sub, "\"");
if (v.empty()) return c.ns.share.erase(std::string(k.sub)), std::string{};
c.ns.share[std::string(k.sub)] = std::string(v);
return {};
}
, PRINT {
    if (std::none_of(std::begin(kNamespaces), std::end(kNamespaces),
                     [&](const NsName& n) { return n.name == k.sub; }))
        return std::nullopt;
    auto it = c.ns.share.find(std::string(k.sub));
    return it == c.ns.share.end() ? std::string("(null)") : it->second;
}
, CLEAR { c.ns.share.erase(std::string(k.sub)); }
, "join this namespace of a pid, container name or /lxcpath/name", "net", "web0"
}
, {"lxc.time.offset.boot", false, PARSE{return parse_time_offset(v, c.ns.time_offset_boot_ns);
}
, PRINT { return print_time_offset(c.ns.time_offset_boot_ns, true); }
, CLEAR { c.ns.time_offset_boot_ns = 0; }
, "CLOCK_BOOTTIME offset in the time namespace: <n> h|m|s|ms|us|ns", "", "10 s"
}
, {"lxc.time.offset.monotonic", false,
   PARSE{return parse_time_offset(v, c.ns.time_offset_monotonic_ns);
}
, PRINT { return print_time_offset(c.ns.time_offset_monotonic_ns, false); }
, CLEAR { c.ns.time_offset_monotonic_ns = 0; }
, "CLOCK_MONOTONIC offset in the time namespace: <n> h|m|s|ms|us|ns", "", "5 ms"
}
, {"lxc.idmap", false, PARSE{return parse_idmap(v, c.ns.idmaps, k.where);
}
, PRINT { return print_idmaps(c.ns.idmaps); }
, CLEAR { c.ns.idmaps.clear(); }
, "user namespace mapping: u|g <nsid> <hostid> <range> (append)", "", "u 0 100000 65536"
}
,
    // ---- LSMs, seccomp
    {"lxc.apparmor.profile", false, PARSE{return c.security.apparmor_profile = v, std::string{};
}
, PRINT { return c.security.apparmor_profile; }
, CLEAR { c.security.apparmor_profile.clear(); }
, "AppArmor profile (unconfined, unchanged, generated or a name)", "", "unconfined"
}
, {"lxc.apparmor.allow_incomplete", false,
   PARSE{return set_bool(c.security.apparmor_allow_incomplete, v);
}
, PRINT { return b01(c.security.apparmor_allow_incomplete); }
, CLEAR { c.security.apparmor_allow_incomplete = false; }
, "1: start even when the AppArmor mount restrictions are incomplete", "", "1"
}
, {"lxc.apparmor.allow_nesting", false, PARSE{return set_bool(c.security.apparmor_allow_nesting, v);
}
, PRINT { return b01(c.security.apparmor_allow_nesting); }
, CLEAR { c.security.apparmor_allow_nesting = false; }
, "1: allow nested containers in a generated profile", "", "1"
}
, {"lxc.apparmor.raw", false,
   PARSE{if (v.empty()) return c.security.apparmor_raw.clear(), std::string{};
c.security.apparmor_raw.emplace_back(v);
return {};
}
, PRINT { return lines(c.security.apparmor_raw); }
, CLEAR { c.security.apparmor_raw.clear(); }
, "a raw line for the generated AppArmor profile (append)", "", "mount fstype=nfs,"
}
, {"lxc.selinux.context", false, PARSE{return c.security.selinux_context = v, std::string{};
}
, PRINT { return c.security.selinux_context; }
, CLEAR { c.security.selinux_context.clear(); }
, "SELinux context to run the container in", "", "system_u:system_r:lxc_t:s0:c22"
}
, {"lxc.selinux.context.keyring", false,
   PARSE{return c.security.selinux_context_keyring = v, std::string{};
}
, PRINT { return c.security.selinux_context_keyring; }
, CLEAR { c.security.selinux_context_keyring.clear(); }
, "SELinux context of the session keyring", "", "system_u:system_r:lxc_t:s0:c22"
}
, {"lxc.seccomp.profile", false,
   PARSE{return set_path(c.security.seccomp_profile, relative_to_file(k.where.file, v));
}
, PRINT { return c.security.seccomp_profile; }
, CLEAR { c.security.seccomp_profile.clear(); }
, "seccomp policy file", "", "/usr/share/cnt/common.seccomp"
}
, {"lxc.seccomp.allow_nesting", false, PARSE{return set_bool(c.security.seccomp_allow_nesting, v);
}
, PRINT { return b01(c.security.seccomp_allow_nesting); }
, CLEAR { c.security.seccomp_allow_nesting = false; }
, "1: let the container load its own seccomp filters", "", "1"
}
, {"lxc.seccomp.notify.proxy", false,
   PARSE{if (v.empty()) return c.security.seccomp_notify_proxy.clear(), std::string{};
if (v.rfind("unix:", 0) != 0 || v.size() == 5)
    return bad("proxy address (unix:/path or unix:@name)", v);
c.security.seccomp_notify_proxy = std::string(v);
return {};
}
, PRINT {
    V p = c.security.seccomp_notify_proxy;
    if (p.rfind("unix:", 0) == 0) p.remove_prefix(5);
    if (!p.empty() && p[0] == '@') p.remove_prefix(1);
    return std::string(p);
}
, CLEAR { c.security.seccomp_notify_proxy.clear(); }
, "socket for seccomp notifications: unix:/path or unix:@abstract", "", "unix:/run/proxy.sock"
}
, {"lxc.seccomp.notify.cookie", false,
   PARSE{return c.security.seccomp_notify_cookie = v, std::string{};
}
, PRINT { return c.security.seccomp_notify_cookie; }
, CLEAR { c.security.seccomp_notify_cookie.clear(); }
, "cookie sent with seccomp notifications", "", "abc"
}
, {"lxc.no_new_privs", false, PARSE{return set_bool(c.security.no_new_privs, v);
}
, PRINT { return b01(c.security.no_new_privs); }
, CLEAR { c.security.no_new_privs = false; }
, "1: set PR_SET_NO_NEW_PRIVS before exec of init", "", "1"
}
, {"lxc.keyring.session", false, PARSE{return set_bool(c.security.keyring_session, v);
}
, PRINT { return b01(c.security.keyring_session); }
, CLEAR { c.security.keyring_session = false; }
, "as LXC 5: 1 = do NOT create a new session keyring (the documentation says the opposite)", "", "1"
}
, {"lxc.sched.core", false, PARSE{return set_bool(c.security.sched_core, v);
}
, PRINT { return b01(c.security.sched_core); }
, CLEAR { c.security.sched_core = false; }
, "1: put the container in its own core-scheduling domain", "", "1"
}
,
    // ---- hooks
    {"lxc.hook", false, PARSE{if (!v.empty()) return "lxc.hook must not have a value";
for (auto& l : c.hooks.list) l.clear();
return {};
}
, NOPRINT, CLEAR {
    for (auto& l : c.hooks.list) l.clear();
}
, "empty: remove every hook", "", ""
}
, {"lxc.hook.version", false, PARSE{if (v.empty()) return c.hooks.version = 0, std::string{};
auto b = parse_bool01(v);
if (!b) return bad("hook version (0 or 1)", v);
c.hooks.version = *b;
return {};
}
, PRINT { return std::to_string(c.hooks.version); }
, CLEAR { c.hooks.version = 0; }
, "0: hooks get name, section and type as arguments; 1: as environment variables", "", "1"
}
, HOOK("pre-start", pre_start, "run in the host's namespaces before anything is set up (append)"),
    HOOK("pre-mount", pre_mount,
         "run in the container's mount namespace before the rootfs is mounted"),
    HOOK("mount", mount, "run after the mounts, before pivot_root"),
    HOOK("autodev", autodev, "run after the mounts and /dev are set up, before pivot_root"),
    HOOK("start-host", start_host, "run in the host's namespaces once the container is set up"),
    HOOK("start", start, "run inside the container just before init"),
    HOOK("stop", stop,
         "run in the host's namespaces with references to the container's namespaces"),
    HOOK("post-stop", post_stop, "run in the host's namespaces after the container stopped"),
    HOOK("clone", clone, "run when the container is cloned"),
    HOOK("destroy", destroy, "run when the container is destroyed"),
    // ---- init
    {"lxc.init.cmd", false, PARSE{return c.init.cmd = v, std::string{};
}
, PRINT { return c.init.cmd; }
, CLEAR { c.init.cmd.clear(); }
, "command line of init (default /sbin/init)", "", "/sbin/init"
}
, {"lxc.execute.cmd", false, PARSE{return c.init.execute_cmd = v, std::string{};
}
, PRINT { return c.init.execute_cmd; }
, CLEAR { c.init.execute_cmd.clear(); }
, "command line run by cnt-execute", "", "/bin/sh"
}
, {"lxc.init.cwd", false, PARSE{return set_path(c.init.cwd, v);
}
, PRINT { return c.init.cwd; }
, CLEAR { c.init.cwd.clear(); }
, "working directory of init inside the container", "", "/root"
}
, {"lxc.init.uid", false, PARSE{unsigned u = 0;
auto r = set_uint(u, v);
if (r.empty()) c.init.uid = u;
return r;
}
, PRINT { return std::to_string(c.init.uid); }
, CLEAR { c.init.uid = 0; }
, "uid init runs as", "", "1000"
}
, {"lxc.init.gid", false, PARSE{unsigned g = 0;
auto r = set_uint(g, v);
if (r.empty()) c.init.gid = g;
return r;
}
, PRINT { return std::to_string(c.init.gid); }
, CLEAR { c.init.gid = 0; }
, "gid init runs as", "", "1000"
}
, {"lxc.init.groups", false, PARSE{return parse_groups(v, c.init.groups);
}
, PRINT {
    std::string s;
    for (auto g : c.init.groups) s += cat(s.empty() ? "" : ",", g);
    return s;
}
, CLEAR { c.init.groups.clear(); }
, "supplementary gids of init, comma-separated (append)", "", "10,20"
}
, {"lxc.environment", false, PARSE{return parse_env(v, c.init.environment);
}
, PRINT { return lines(c.init.environment); }
, CLEAR { c.init.environment.clear(); }
, "NAME=value for init, or NAME copied from the reader's environment (append)", "", "LANG=C.UTF-8"
}
, {"lxc.ephemeral", false, PARSE{return set_bool(c.init.ephemeral, v);
}
, PRINT { return b01(c.init.ephemeral); }
, CLEAR { c.init.ephemeral = false; }
, "1: destroy the container when it stops", "", "1"
}
,
    // ---- signals, monitor
    {"lxc.signal.halt", false, PARSE{return set_signal(c.signals.halt, v);
}
, PRINT { return std::to_string(c.signals.halt); }
, CLEAR { c.signals.halt = 0; }
, "signal asking init to halt (default SIGPWR)", "", "SIGRTMIN+3"
}
, {"lxc.signal.reboot", false, PARSE{return set_signal(c.signals.reboot, v);
}
, PRINT { return std::to_string(c.signals.reboot); }
, CLEAR { c.signals.reboot = 0; }
, "signal asking init to reboot (default SIGINT)", "", "SIGTERM"
}
, {"lxc.signal.stop", false, PARSE{return set_signal(c.signals.stop, v);
}
, PRINT { return std::to_string(c.signals.stop); }
, CLEAR { c.signals.stop = 0; }
, "signal for a hard stop (default SIGKILL)", "", "SIGKILL"
}
, {"lxc.monitor.unshare", false, PARSE{return set_uint(c.monitor.unshare, v);
}
, PRINT { return std::to_string(c.monitor.unshare); }
, CLEAR { c.monitor.unshare = 0; }
, "non-zero: the monitor unshares its mount namespace before hooks", "", "1"
}
, {"lxc.monitor.signal.pdeath", false, PARSE{return set_signal(c.monitor.pdeath_signal, v);
}
, PRINT { return std::to_string(c.monitor.pdeath_signal); }
, CLEAR { c.monitor.pdeath_signal = 9; }
, "signal init gets when the monitor dies (default SIGKILL; empty sets 0)", "", "SIGTERM"
}
,
    // ---- autostart
    {"lxc.start.auto", false, PARSE{return set_bool(c.start.autostart, v);
}
, PRINT { return b01(c.start.autostart); }
, CLEAR { c.start.autostart = false; }
, "1: started by cnt-autostart", "", "1"
}
, {"lxc.start.delay", false, PARSE{return set_uint(c.start.delay, v);
}
, PRINT { return std::to_string(c.start.delay); }
, CLEAR { c.start.delay = 0; }
, "seconds to wait after starting this container", "", "5"
}
, {"lxc.start.order", false, PARSE{if (v.empty()) return c.start.order = 0, std::string{};
auto n = parse_long(v);
if (!n || *n < INT32_MIN || *n > INT32_MAX) return bad("number", v);
c.start.order = static_cast<int>(*n);
return {};
}
, PRINT { return std::to_string(c.start.order); }
, CLEAR { c.start.order = 0; }
, "autostart order, lower first (may be negative)", "", "-3"
}
, {"lxc.group", false, PARSE{if (v.empty()) return c.start.groups.clear(), std::string{};
for (auto& g : split_blanks(v)) c.start.groups.push_back(g);
return {};
}
, PRINT { return lines(c.start.groups); }
, CLEAR { c.start.groups.clear(); }
, "autostart groups, blank-separated (append)", "", "onboot web"
}
,
    // ---- kernel resources
    {"lxc.prlimit", false,
     PARSE{if (!v.empty()) return "lxc.prlimit without a resource only takes an empty value";
c.init.prlimits.clear();
return {};
}
, PRINT {
    std::string s;
    for (auto& p : c.init.prlimits) s += cat("lxc.prlimit.", p.name, " = ", prlimit_str(p), "\n");
    return s;
}
, CLEAR { c.init.prlimits.clear(); }
, "empty: remove every lxc.prlimit.* setting", "", ""
}
, {"lxc.prlimit.", true, parse_prlimit,
   PRINT{for (auto& p
              : c.init.prlimits) if (p.name == k.sub) return prlimit_str(p);
return std::string{};
}
, CLEAR {
    std::erase_if(c.init.prlimits, [&](const Prlimit& p) { return p.name == k.sub; });
}
, "resource limit of init: soft[:hard], numbers or unlimited", "nofile", "1024:4096"
}
, {"lxc.sysctl", false,
   PARSE{if (!v.empty()) return "lxc.sysctl without a name only takes an empty value";
c.init.sysctl.clear();
return {};
}
, PRINT {
    std::string s;
    for (auto& [key, val] : c.init.sysctl) s += cat("lxc.sysctl.", key, " = ", val, "\n");
    return s;
}
, CLEAR { c.init.sysctl.clear(); }
, "empty: remove every lxc.sysctl.* setting", "", ""
}
, {"lxc.sysctl.", true, PARSE{if (v.empty()) return erase_key(c.init.sysctl, k.sub), std::string{};
for (auto& e : c.init.sysctl)
    if (e.first == k.sub) return e.second = v, std::string{};
c.init.sysctl.emplace_back(k.sub, v);
return {};
}
, PRINT {
    for (auto& e : c.init.sysctl)
        if (e.first == k.sub) return e.second;
    return std::string{};
}
, CLEAR { erase_key(c.init.sysctl, k.sub); }
, "a /proc/sys value set in the container (net.ipv4.ip_forward = 1)", "net.ipv4.ip_forward", "1"
}
, {"lxc.proc", false,
   PARSE{if (!v.empty()) return "lxc.proc without a file name only takes an empty value";
c.init.proc.clear();
return {};
}
, PRINT {
    std::string s;
    for (auto& [key, val] : c.init.proc) s += cat("lxc.proc.", key, " = ", val, "\n");
    return s;
}
, CLEAR { c.init.proc.clear(); }
, "empty: remove every lxc.proc.* setting", "", ""
}
, {"lxc.proc.", true, PARSE{if (v.empty()) return erase_key(c.init.proc, k.sub), std::string{};
c.init.proc.emplace_back(k.sub, v);
return {};
}
, PRINT {
    std::string s;
    for (auto& e : c.init.proc)
        if (e.first == k.sub) s += e.second;
    return s;
}
, CLEAR { erase_key(c.init.proc, k.sub); }
, "a value written to /proc/<init>/<file> (append)", "oom_score_adj", "10"
}
,
    // ---- logging
    {"lxc.log.level", false, PARSE{if (v.empty()) return c.log.level.reset(), std::string{};
auto l = log::parse_level(v);
if (!l || *l == log::Level::notset) return bad("log level (TRACE..FATAL or 0..8)", v);
c.log.level = static_cast<int>(*l);
return {};
}
, PRINT { return std::string(log::level_name(static_cast<log::Level>(c.log.level.value_or(9)))); }
, CLEAR { c.log.level.reset(); }
, "log priority: TRACE DEBUG INFO NOTICE WARN ERROR CRIT ALERT FATAL or 0..8", "", "DEBUG"
}
, {"lxc.log.file", false, PARSE{return set_path(c.log.file, v);
}
, PRINT { return c.log.file; }
, CLEAR { c.log.file.clear(); }
, "log file of the container's tools and monitor", "", "/var/log/cnt/c1.log"
}
, {"lxc.log.syslog", false,
   PARSE{if (!v.empty() &&
             std::find(std::begin(kSyslog), std::end(kSyslog), v) ==
                 std::end(kSyslog)) return bad("syslog facility (daemon, local0..local7)", v);
c.log.syslog = std::string(v);
return {};
}
, PRINT { return c.log.syslog; }
, CLEAR { c.log.syslog.clear(); }
, "also log to syslog with this facility: daemon, local0..local7", "", "daemon"
}
,
    // ---- include: the reader opens the file; the row records it and has no getter
    {"lxc.include", false, PARSE{if (!v.empty()) c.includes.emplace_back(v);
return {};
}
, NOPRINT, CLEAR { c.includes.clear(); }
, "read another config file, or every *.conf in a directory (sorted), in place", "",
    "/usr/share/cnt/config/common.conf"
}
,
}
;

}  // namespace

const KeyRow* registry_net_row();  // registry_net.cpp: the lxc.net. family
const KeyRow* registry_net_bare();

std::span<const KeyRow> key_rows() {
    // lxc.net / lxc.net. live in registry_net.cpp; join them once.
    static const std::vector<KeyRow> all = [] {
        std::vector<KeyRow> v;
        v.reserve(std::size(kRows) + 2);
        v.assign(std::begin(kRows), std::end(kRows));
        v.push_back(*registry_net_bare());
        v.push_back(*registry_net_row());
        return v;
    }();
    return all;
}

const KeyRow* find_row(std::string_view key, std::string_view& sub) {
    // An index built once: every config line looks its key up (cnt-ls -f: every line of
    // every container), and a scan of every row was a third of its instructions.
    struct Index {
        std::unordered_map<std::string_view, const KeyRow*> exact;
        std::vector<const KeyRow*> prefixes;  // longest first: the longest match wins
    };
    static const Index index = [] {
        Index ix;
        for (auto& r : key_rows()) {
            if (r.prefix)
                ix.prefixes.push_back(&r);
            else
                ix.exact.emplace(r.name, &r);  // (names are unique: the first one wins)
        }
        std::stable_sort(
            ix.prefixes.begin(), ix.prefixes.end(),
            [](const KeyRow* a, const KeyRow* b) { return a->name.size() > b->name.size(); });
        return ix;
    }();
    if (auto it = index.exact.find(key); it != index.exact.end()) {
        sub = {};
        return it->second;
    }
    for (const KeyRow* r : index.prefixes)
        if (key.size() > r->name.size() && key.substr(0, r->name.size()) == r->name) {
            sub = key.substr(r->name.size());
            return r;
        }
    return nullptr;
}

std::vector<std::string> all_key_names() {
    std::vector<std::string> out;
    for (auto& r : key_rows()) {
        if (r.name == "lxc.net.") continue;
        out.push_back(cat(r.name, r.example_sub));
    }
    for (auto& n : net_rows()) out.push_back(cat("lxc.net.0.", n.sub));
    return out;
}

}  // namespace cnt::config::detail

namespace cnt::config {
namespace {

struct RlimitName {
    std::string_view name;
    int res;
};
constexpr RlimitName kRlimits[] = {
    {"as", RLIMIT_AS},           {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},       {"fsize", RLIMIT_FSIZE},       {"locks", RLIMIT_LOCKS},
    {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},   {"nproc", RLIMIT_NPROC},       {"rss", RLIMIT_RSS},
    {"rtprio", RLIMIT_RTPRIO},   {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK}};

}  // namespace

std::optional<int> rlimit_resource(std::string_view name) {
    for (const auto& r : kRlimits)
        if (r.name == name) return r.res;
    return std::nullopt;
}

}  // namespace cnt::config
