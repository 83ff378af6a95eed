// The typed container configuration, filled by the lxc.conf reader (config/reader.cpp) through
// the key registry (config/registry.cpp). Modules take their own slice of it (narrow inputs).
#pragma once
#include <netinet/in.h>
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::config {

// Where a value came from: "file:line" in diagnostics. line 0 = command line (--define).
struct Location {
    std::string file;
    int line = 0;
    std::string str() const;  // "config:12", "<define>" when file is empty
    bool operator==(const Location&) const = default;
};

// ---- identity ------------------------------------------------------------------------------
struct Uts {
    std::optional<std::string> name;  // lxc.uts.name; unset = keep the host's in a new UTS ns
    bool operator==(const Uts&) const = default;
};

// ---- rootfs and mounts ---------------------------------------------------------------------
struct Rootfs {
    std::string backend;  // "dir", "overlay", ... (the part before the first ':'); "" if none
    std::string path;     // the part after it (normalised); empty = share the host root
    std::string mount;    // lxc.rootfs.mount
    std::string options;  // lxc.rootfs.options (raw comma list)
    bool managed = true;  // lxc.rootfs.managed
    bool operator==(const Rootfs&) const = default;
};

struct MountEntry {  // lxc.mount.entry: one fstab line, kept raw; fields via split_mount_entry()
    std::string line;
    Location where;
    bool operator==(const MountEntry& o) const { return line == o.line; }
};
struct MountFields {
    std::string source, target, fstype, options;  // options still include create=, optional...
    int dump = 0, pass = 0;
};
// fstab splitting with octal escapes (\040); error when fewer than 4 fields.
Result<MountFields> split_mount_entry(const std::string& line);

struct MountAuto {
    enum class Proc { none, mixed, rw } proc = Proc::none;
    enum class Sys { none, mixed, ro, rw } sys = Sys::none;
    // nospec/full_nospec: plain "cgroup"/"cgroup-full": mixed without CAP_SYS_ADMIN, else rw
    enum class Cgroup {
        none,
        mixed,
        ro,
        rw,
        full_mixed,
        full_ro,
        full_rw,
        nospec,
        full_nospec
    } cgroup = Cgroup::none;
    bool cgroup_force = false;
    enum class Cgroup2 { none, rw, ro } cgroup2 = Cgroup2::none;
    bool cgroup2_force = false;
    std::string shmounts_host, shmounts_container;  // shmounts:<host>[:<container>]
    bool operator==(const MountAuto&) const = default;
};

struct Mounts {
    std::vector<MountEntry> entries;  // lxc.mount.entry, in order
    std::string fstab;                // lxc.mount.fstab
    MountAuto autos;                  // lxc.mount.auto
    bool autodev = true;              // lxc.autodev
    int64_t autodev_tmpfs_size = 0;   // lxc.autodev.tmpfs.size, 0 = unset (500000 when used)
    bool operator==(const Mounts&) const = default;
};

// ---- console, ttys, ptys -------------------------------------------------------------------
struct Ptys {
    unsigned pty_max = 0;  // lxc.pty.max: devpts max=
    unsigned tty_max = 0;  // lxc.tty.max: /dev/tty1..N
    std::string tty_dir;   // lxc.tty.dir
    bool operator==(const Ptys&) const = default;
};
struct Console {
    std::optional<std::string> path;  // lxc.console.path; "none" = no console; unset = a pty
    std::string logfile;
    bool rotate = false;
    uint64_t buffer_size = 0;  // already rounded as LXC does
    uint64_t size = 0;
    bool operator==(const Console&) const = default;
};

// ---- networking ----------------------------------------------------------------------------
enum class NetType { unset, empty, none, veth, macvlan, ipvlan, vlan, phys };
struct Ipv4Addr {
    in_addr addr{};
    unsigned prefix = 0;
    std::optional<in_addr> broadcast;
    bool operator==(const Ipv4Addr& o) const;
};
struct Ipv6Addr {
    in6_addr addr{};
    unsigned prefix = 64;
    bool operator==(const Ipv6Addr& o) const;
};
struct Gateway {  // ipv4.gateway / ipv6.gateway
    enum class Kind { none, address, auto_, dev } kind = Kind::none;
    std::string address;  // textual, validated at parse time
    bool operator==(const Gateway&) const = default;
};
struct Network {
    unsigned index = 0;
    NetType type = NetType::unset;
    bool up = false;     // flags = up
    std::string link;    // host interface (bridge, parent, phys device)
    std::string name;    // name inside; empty = eth<index> (cnt's default)
    std::string hwaddr;  // may hold 'x' templates until start
    unsigned mtu = 0;    // 0 = inherit
    bool l2proxy = false;
    std::vector<Ipv4Addr> ipv4;
    Gateway ipv4_gateway;
    std::vector<Ipv6Addr> ipv6;
    Gateway ipv6_gateway;
    std::string script_up, script_down;
    // veth
    std::string veth_pair;
    enum class VethMode { bridge, router } veth_mode = VethMode::bridge;
    std::vector<Ipv4Addr> veth_ipv4_routes;
    std::vector<Ipv6Addr> veth_ipv6_routes;
    int veth_vlan_id = 0;  // -1 = none
    std::vector<unsigned> veth_vlan_tagged;
    unsigned veth_rxqueues = 0, veth_txqueues = 0;
    // macvlan / ipvlan / vlan
    enum class MacvlanMode {
        private_,
        vepa,
        bridge,
        passthru,
        invalid  // an empty lxc.net.N.macvlan.mode: LXC's "(invalid)", refused at start
    } macvlan_mode = MacvlanMode::private_;
    enum class IpvlanMode { l2, l3, l3s } ipvlan_mode = IpvlanMode::l2;
    enum class IpvlanIsolation {
        bridge,
        private_,
        vepa
    } ipvlan_isolation = IpvlanIsolation::bridge;
    unsigned vlan_id = 0;
    Location where;  // the line that set the type
    bool operator==(const Network&) const;
};

// ---- cgroups -------------------------------------------------------------------------------
struct CgroupEntry {
    std::string key;    // "memory.limit_in_bytes", "devices.allow", "cpuset.cpus"...
    std::string value;  // written verbatim (device rules already validated)
    Location where;
    bool operator==(const CgroupEntry& o) const { return key == o.key && value == o.value; }
};
struct CgroupSettings {
    std::vector<CgroupEntry> v1;  // lxc.cgroup.<ctrl>.<file>
    std::vector<CgroupEntry> v2;  // lxc.cgroup2.<file>
    std::string dir, dir_container, dir_monitor, dir_monitor_pivot, dir_container_inner;
    bool relative = false;
    bool operator==(const CgroupSettings&) const = default;
};

// ---- security ------------------------------------------------------------------------------
struct Caps {
    enum class Mode { none, drop, keep } mode = Mode::none;
    std::vector<int> list;  // capability numbers in file order (no duplicates)
    bool operator==(const Caps&) const = default;
};
struct Security {
    Caps caps;
    bool no_new_privs = false;
    std::string seccomp_profile;
    bool seccomp_allow_nesting = false;
    std::string seccomp_notify_proxy, seccomp_notify_cookie;
    std::string apparmor_profile;
    bool apparmor_allow_incomplete = false, apparmor_allow_nesting = false;
    std::vector<std::string> apparmor_raw;
    std::string selinux_context, selinux_context_keyring;
    bool keyring_session = false;  // stored as LXC stores it (1 = do NOT create a keyring)
    bool sched_core = false;
    bool operator==(const Security&) const = default;
};

// ---- namespaces, user ns, time -------------------------------------------------------------
struct IdMap {
    char type = 'u';  // 'u' or 'g'
    unsigned long nsid = 0, hostid = 0, range = 0;
    Location where;  // the lxc.idmap line (for the check against /etc/subuid)
    bool operator==(const IdMap& o) const {
        return type == o.type && nsid == o.nsid && hostid == o.hostid && range == o.range;
    }
};
struct Namespaces {
    int clone = 0;  // CLONE_NEW* mask from lxc.namespace.clone; 0 = default set
    int keep = 0;   // lxc.namespace.keep
    std::map<std::string, std::string> share;  // lxc.namespace.share.<ns> -> pid / name / path
    int64_t time_offset_boot_ns = 0, time_offset_monotonic_ns = 0;
    std::vector<IdMap> idmaps;  // lxc.idmap
    bool operator==(const Namespaces&) const = default;
};

// ---- init, environment, limits -------------------------------------------------------------
struct Prlimit {
    std::string name;             // "nofile"
    int resource = 0;             // RLIMIT_NOFILE
    uint64_t soft = 0, hard = 0;  // RLIM_INFINITY for unlimited
    bool operator==(const Prlimit&) const = default;
};
// The resource of an lxc.prlimit name ("nofile" -> RLIMIT_NOFILE), if there is one.
std::optional<int> rlimit_resource(std::string_view name);
struct Init {
    std::string cmd;          // lxc.init.cmd (unset: /sbin/init)
    std::string execute_cmd;  // lxc.execute.cmd
    std::string cwd;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;
    std::vector<std::string> environment;  // NAME=value, resolved at parse time
    bool ephemeral = false;
    std::vector<Prlimit> prlimits;                            // per-resource, in first-set order
    std::vector<std::pair<std::string, std::string>> sysctl;  // per-key replace
    std::vector<std::pair<std::string, std::string>> proc;    // appended
    bool operator==(const Init&) const = default;
};

// ---- hooks ---------------------------------------------------------------------------------
enum class HookType {
    pre_start,
    pre_mount,
    mount,
    autodev,
    start_host,
    start,
    stop,
    post_stop,
    clone,
    destroy
};
inline constexpr int kHookTypes = 10;
struct Hooks {
    std::vector<std::string> list[kHookTypes];
    int version = 0;
    const std::vector<std::string>& of(HookType t) const { return list[static_cast<int>(t)]; }
    bool operator==(const Hooks& o) const;
};

// ---- signals, monitor, start, log ----------------------------------------------------------
struct Signals {
    int halt = 0;    // 0 = SIGPWR, or SIGRTMIN+3 when init blocks it
    int reboot = 0;  // 0 = SIGINT
    int stop = 0;    // 0 = SIGKILL
    bool operator==(const Signals&) const = default;
};
struct Monitor {
    unsigned unshare = 0;
    int pdeath_signal = 9;
    bool operator==(const Monitor&) const = default;
};
struct Autostart {
    bool autostart = false;
    unsigned delay = 0;
    int order = 0;
    std::vector<std::string> groups;
    bool operator==(const Autostart&) const = default;
};
struct Logging {
    std::optional<int> level;  // cnt::log::Level as int
    std::string file;
    std::string syslog;
    bool operator==(const Logging&) const = default;
};

struct Config {
    Uts uts;
    std::string
        arch;  // lxc.arch canonical: "i686" (32-bit personality), "x86_64" (native), "" = unchanged
    Rootfs rootfs;
    Mounts mounts;
    Ptys ptys;
    Console console;
    std::vector<Network> networks;  // sorted by index
    CgroupSettings cgroup;
    Security security;
    Namespaces ns;
    Init init;
    Hooks hooks;
    Signals signals;
    Monitor monitor;
    Autostart start;
    Logging log;
    std::vector<std::string> includes;  // lxc.include values seen (for reference)
    bool operator==(const Config&) const = default;

    Network& net(unsigned index);  // find or create (type unset -> empty on first subkey)
};

// ---- reading --------------------------------------------------------------------------------
struct Diagnostic {
    enum class Severity { warning, error } severity = Severity::error;
    Location where;
    std::string message;      // "unknown key \"lxc.foo\" (did you mean ...?)"
    std::string str() const;  // "config:7: message"
};
struct Diagnostics {
    std::vector<Diagnostic> items;
    bool has_errors() const;
    void warn(const Location& w, std::string msg);
    void error(const Location& w, std::string msg);
};

// Read a config file into cfg (applied on top of what cfg holds). All errors are collected;
// returns false when any error was found. Diagnostics name the file by `path` as given.
bool load_file(const std::string& path, Config& cfg, Diagnostics& diags);
// Parse text as if read from `file` (unit tests, --define).
bool load_string(const std::string& text, const std::string& file, Config& cfg, Diagnostics& diags);
// Apply one KEY=VALUE as a config line would (--define / -s). Location.line = 0.
bool set_item(Config& cfg, const std::string& key, const std::string& value, const Location& where,
              Diagnostics& diags);
// LXC's getter output for a key (`lxc-info -c KEY` value part, without "KEY = ").
// nullopt when the key is invalid.
std::optional<std::string> get_item(const Config& cfg, const std::string& key);
// Every key name the registry knows (prefix families with a sample suffix, net keys for index 0).
std::vector<std::string> known_keys();
// The cnt.conf(5) man page, its key list generated from the registry (groff man source).
std::string registry_man_page();

}  // namespace cnt::config
