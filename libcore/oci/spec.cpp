// config.json onto config::Config: the same keys lxc.conf fills, so the same start path runs.
#include <sched.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cctype>

#include "cnt/oci.hpp"
#include "oci/json.hpp"

namespace cnt::oci {

namespace {

std::string absolute(const std::string& p, const std::string& base) {
    if (p.empty() || p.front() == '/') return p;
    return base + "/" + p;
}

// An fstab field: blanks and backslashes as octal escapes (config::split_mount_entry).
std::string fstab_field(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == ' ')
            o += "\\040";
        else if (c == '\t')
            o += "\\011";
        else if (c == '\\')
            o += "\\134";
        else
            o += c;
    }
    return o.empty() ? "none" : o;
}

Result<void> map_user(const json& u, Spec& s) {
    const std::string p = "process.user";
    CNT_TRY(known_keys(u, p, {"uid", "gid", "umask", "additionalGids", "username"}));
    CNT_ASSIGN(uid, get_int(u, "uid", p));
    CNT_ASSIGN(gid, get_int(u, "gid", p));
    if (uid < 0 || gid < 0) return error("process.user: negative uid or gid");
    s.cfg.init.uid = static_cast<uid_t>(uid);
    s.cfg.init.gid = static_cast<gid_t>(gid);
    if (u.is_object() && u.contains("umask")) {
        CNT_ASSIGN(m, get_int(u, "umask", p));
        s.umask = static_cast<unsigned>(m) & 0777;
    }
    if (u.is_object() && u.contains("additionalGids")) {
        if (!u["additionalGids"].is_array())
            return error("process.user.additionalGids is not an array");
        for (const auto& g : u["additionalGids"]) {
            if (!g.is_number_unsigned()) return error("process.user.additionalGids: not a gid");
            s.cfg.init.groups.push_back(g.get<gid_t>());
        }
    }
    return {};
}

Result<void> map_rlimits(const json& j, Spec& s) {
    if (j.is_null()) return {};
    if (!j.is_array()) return error("process.rlimits is not an array");
    for (const auto& r : j) {
        const std::string p = "process.rlimits";
        CNT_TRY(known_keys(r, p, {"type", "soft", "hard"}));
        CNT_ASSIGN(type, get_string(r, "type", p));
        config::Prlimit l;
        if (type.starts_with("RLIMIT_"))
            for (char c : type.substr(7)) l.name += static_cast<char>(std::tolower(c));
        auto resource = config::rlimit_resource(l.name);
        if (!resource) return error(cat("process.rlimits: unknown type \"", type, "\""));
        l.resource = *resource;
        l.soft = r.value("soft", uint64_t{0});
        l.hard = r.value("hard", uint64_t{0});
        s.cfg.init.prlimits.push_back(l);
    }
    return {};
}

Result<void> map_process(const json& pr, Spec& s) {
    const std::string p = "process";
    if (!pr.is_object()) return error("process is missing");
    CNT_TRY(known_keys(
        pr, p,
        {"terminal", "consoleSize", "user", "args", "env", "cwd", "capabilities", "rlimits",
         "noNewPrivileges", "oomScoreAdj", "apparmorProfile", "selinuxLabel", "commandLine"}));
    CNT_ASSIGN(term, get_bool(pr, "terminal", p));
    s.terminal = term;
    if (pr.contains("consoleSize") && pr["consoleSize"].is_object()) {
        s.rows = pr["consoleSize"].value("height", 0);
        s.cols = pr["consoleSize"].value("width", 0);
    }
    CNT_TRY(map_user(pr.value("user", json::object()), s));
    CNT_ASSIGN(args, get_strings(pr, "args", p));
    if (args.empty()) return error("process.args is empty");
    s.args = std::move(args);
    CNT_ASSIGN(env, get_strings(pr, "env", p));
    s.cfg.init.environment = std::move(env);
    CNT_ASSIGN(cwd, get_string(pr, "cwd", p));
    if (cwd.empty() || cwd.front() != '/') return error("process.cwd is not an absolute path");
    s.cfg.init.cwd = cwd;
    if (pr.contains("capabilities")) {
        CNT_ASSIGN(caps, parse_caps(pr["capabilities"].dump(), s.cfg.init.uid));
        s.cfg.security.caps = caps;
    }
    CNT_TRY(map_rlimits(pr.value("rlimits", json()), s));
    CNT_ASSIGN(nnp, get_bool(pr, "noNewPrivileges", p));
    s.cfg.security.no_new_privs = nnp;
    if (pr.contains("oomScoreAdj")) {
        CNT_ASSIGN(oom, get_int(pr, "oomScoreAdj", p));
        s.cfg.init.proc.emplace_back("oom_score_adj", std::to_string(oom));
    }
    for (const char* k : {"apparmorProfile", "selinuxLabel"}) {
        CNT_ASSIGN(v, get_string(pr, k, p));
        if (!v.empty()) return error(cat("process.", k, " is not supported"));
    }
    return {};
}

// A mount cnt's own steps make (proc, sysfs, cgroup, devpts) or an lxc.mount.entry.
Result<void> map_mount(const json& m, Spec& s, size_t index) {
    const std::string p = cat("mounts[", index, "]");
    CNT_TRY(known_keys(m, p,
                       {"destination", "type", "source", "options", "uidMappings", "gidMappings"}));
    if (m.contains("uidMappings") || m.contains("gidMappings"))
        return error(cat(p, ".uidMappings is not supported"));
    CNT_ASSIGN(dst, get_string(m, "destination", p));
    CNT_ASSIGN(type, get_string(m, "type", p));
    CNT_ASSIGN(src, get_string(m, "source", p));
    CNT_ASSIGN(opts, get_strings(m, "options", p));
    if (dst.empty() || dst.front() != '/')
        return error(cat(p, ".destination \"", dst, "\" is not absolute"));
    bool ro = false, bind = type == "bind";
    std::string o;
    for (const auto& x : opts) {
        ro = ro || x == "ro";
        bind = bind || x == "bind" || x == "rbind";
        o += cat(o.empty() ? "" : ",", x);
    }
    using A = config::MountAuto;
    auto& autos = s.cfg.mounts.autos;
    if (type == "proc" && dst == "/proc") return (void)(autos.proc = A::Proc::rw), Result<void>{};
    if (type == "sysfs" && dst == "/sys")
        return (void)(autos.sys = ro ? A::Sys::ro : A::Sys::rw), Result<void>{};
    if ((type == "cgroup" || type == "cgroup2") && dst == "/sys/fs/cgroup")
        return (void)(autos.cgroup = ro ? A::Cgroup::ro : A::Cgroup::rw), Result<void>{};
    if (type == "devpts" && dst == "/dev/pts") return {};  // dev::setup's own devpts
    if (bind) {
        src = absolute(src, s.bundle);
        struct stat st {};
        bool file = ::stat(src.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
        o += cat(o.empty() ? "" : ",", file ? "create=file" : "create=dir");
        type = "none";
    } else {
        o += cat(o.empty() ? "" : ",", "create=dir");
    }
    config::MountEntry e;
    e.line = cat(fstab_field(src), " ", fstab_field(dst.substr(1)), " ",
                 fstab_field(type.empty() ? "none" : type), " ", fstab_field(o), " 0 0");
    e.where = {"config.json", static_cast<int>(index + 1)};
    s.cfg.mounts.entries.push_back(std::move(e));
    return {};
}

Result<void> map_root(const json& j, Spec& s) {
    CNT_TRY(known_keys(j, "root", {"path", "readonly"}));
    CNT_ASSIGN(path, get_string(j, "path", "root"));
    if (path.empty()) return error("root.path is missing");
    CNT_ASSIGN(ro, get_bool(j, "readonly", "root"));
    s.cfg.rootfs.backend = "dir";
    s.cfg.rootfs.path = absolute(path, s.bundle);
    if (ro) s.cfg.rootfs.options = "ro";
    return {};
}

struct NsName {
    const char* oci;
    const char* lxc;
    int flag;
};
constexpr NsName kNamespaces[] = {
    {"mount", "mnt", CLONE_NEWNS},         {"pid", "pid", CLONE_NEWPID},
    {"network", "net", CLONE_NEWNET},      {"ipc", "ipc", CLONE_NEWIPC},
    {"uts", "uts", CLONE_NEWUTS},          {"user", "user", CLONE_NEWUSER},
    {"cgroup", "cgroup", CLONE_NEWCGROUP}, {"time", "time", CLONE_NEWTIME}};

Result<void> map_namespaces(const json& j, Spec& s) {
    if (!j.is_array()) return error("linux.namespaces is not an array");
    int mask = 0;
    for (const auto& n : j) {
        CNT_TRY(known_keys(n, "linux.namespaces", {"type", "path"}));
        CNT_ASSIGN(type, get_string(n, "type", "linux.namespaces"));
        CNT_ASSIGN(path, get_string(n, "path", "linux.namespaces"));
        const NsName* k = nullptr;
        for (const auto& x : kNamespaces)
            if (type == x.oci) k = &x;
        if (!k) return error(cat("linux.namespaces: unknown type \"", type, "\""));
        if (path.empty())
            mask |= k->flag;
        else
            s.cfg.ns.share[k->lxc] = path;
    }
    if (!(mask & CLONE_NEWNS)) return error("linux.namespaces: a new mount namespace is required");
    s.cfg.ns.clone = mask;
    s.new_netns = mask & CLONE_NEWNET;
    if (!(mask & CLONE_NEWNET) && !s.cfg.ns.share.count("net")) s.cfg.ns.keep |= CLONE_NEWNET;
    return {};
}

Result<void> map_idmaps(const json& j, char type, const char* field, Spec& s) {
    if (j.is_null()) return {};
    if (!j.is_array()) return error(cat("linux.", field, " is not an array"));
    for (const auto& m : j) {
        CNT_TRY(known_keys(m, cat("linux.", field), {"containerID", "hostID", "size"}));
        config::IdMap im;
        im.type = type;
        im.nsid = m.value("containerID", 0UL);
        im.hostid = m.value("hostID", 0UL);
        im.range = m.value("size", 0UL);
        s.cfg.ns.idmaps.push_back(im);
    }
    return {};
}

Result<void> map_devices(const json& j, Spec& s) {
    if (j.is_null()) return {};
    if (!j.is_array()) return error("linux.devices is not an array");
    for (const auto& d : j) {
        CNT_TRY(known_keys(d, "linux.devices",
                           {"path", "type", "major", "minor", "fileMode", "uid", "gid"}));
        Device dev;
        CNT_ASSIGN(path, get_string(d, "path", "linux.devices"));
        CNT_ASSIGN(type, get_string(d, "type", "linux.devices"));
        if (path.rfind("/dev/", 0) != 0 || path.find("..") != std::string::npos)
            return error(cat("linux.devices: \"", path, "\" is not below /dev"));
        if (type.size() != 1 || std::string_view("cbup").find(type[0]) == std::string::npos)
            return error(cat("linux.devices: bad type \"", type, "\""));
        dev.path = path;
        dev.type = type[0] == 'u' ? 'c' : type[0];
        dev.major = d.value("major", 0U);
        dev.minor = d.value("minor", 0U);
        dev.mode = d.value("fileMode", 0666U) & 07777;
        dev.uid = d.value("uid", 0U);
        dev.gid = d.value("gid", 0U);
        s.devices.push_back(dev);
    }
    return {};
}

Result<void> map_propagation(const std::string& v, Spec& s) {
    if (v.empty()) return {};
    if (v == "shared" || v == "rshared")
        s.propagation = MS_SHARED | MS_REC;
    else if (v == "slave" || v == "rslave")
        s.propagation = MS_SLAVE | MS_REC;
    else if (v == "private" || v == "rprivate")
        s.propagation = MS_PRIVATE | MS_REC;
    else if (v == "unbindable" || v == "runbindable")
        s.propagation = MS_UNBINDABLE | MS_REC;
    else
        return error(cat("linux.rootfsPropagation: unknown \"", v, "\""));
    return {};
}

Result<void> map_personality(const json& j, Spec& s) {
    CNT_TRY(known_keys(j, "linux.personality", {"domain", "flags"}));
    CNT_ASSIGN(d, get_string(j, "domain", "linux.personality"));
    if (d == "LINUX")
        s.personality = PER_LINUX;
    else if (d == "LINUX32")
        s.personality = PER_LINUX32;
    else
        return error(cat("linux.personality.domain: unknown \"", d, "\""));
    if (j.contains("flags") && !j["flags"].empty())
        return error("linux.personality.flags is not supported");
    return {};
}

Result<void> map_time_offsets(const json& j, Spec& s) {
    if (!j.is_object()) return error("linux.timeOffsets is not an object");
    for (auto it = j.begin(); it != j.end(); ++it) {
        int64_t ns = it->value("secs", int64_t{0}) * 1000000000 + it->value("nanosecs", 0);
        if (it.key() == "boottime")
            s.cfg.ns.time_offset_boot_ns = ns;
        else if (it.key() == "monotonic")
            s.cfg.ns.time_offset_monotonic_ns = ns;
        else
            return error(cat("linux.timeOffsets.", it.key(), " is not supported"));
    }
    return {};
}

// linux.cgroupsPath: a path below the caller's cgroup (systemd's "slice:prefix:name" form
// needs --systemd-cgroup, which cnt does not have).
Result<void> map_cgroups_path(const std::string& v, Spec& s) {
    if (v.empty()) return {};
    if (v.find(':') != std::string::npos)
        return errno_error(
            EINVAL, cat("linux.cgroupsPath \"", v, "\": systemd cgroup paths are not supported"));
    auto b = v.find_first_not_of('/');
    if (b == std::string::npos) return error("linux.cgroupsPath is \"/\"");
    s.cfg.cgroup.dir_container = v.substr(b);
    return {};
}

Result<void> map_linux_rest(const json& l, Spec& s) {
    const std::string p = "linux";
    CNT_TRY(map_namespaces(l.value("namespaces", json::array()), s));
    CNT_TRY(map_idmaps(l.value("uidMappings", json()), 'u', "uidMappings", s));
    CNT_TRY(map_idmaps(l.value("gidMappings", json()), 'g', "gidMappings", s));
    CNT_TRY(map_devices(l.value("devices", json()), s));
    if (l.contains("sysctl") && l["sysctl"].is_object())
        for (auto it = l["sysctl"].begin(); it != l["sysctl"].end(); ++it)
            s.sysctl.emplace_back(it.key(), it->get<std::string>());
    CNT_ASSIGN(masked, get_strings(l, "maskedPaths", p));
    s.masked = std::move(masked);
    CNT_ASSIGN(ro, get_strings(l, "readonlyPaths", p));
    s.readonly = std::move(ro);
    CNT_ASSIGN(prop, get_string(l, "rootfsPropagation", p));
    CNT_TRY(map_propagation(prop, s));
    CNT_ASSIGN(cgp, get_string(l, "cgroupsPath", p));
    CNT_TRY(map_cgroups_path(cgp, s));
    CNT_ASSIGN(label, get_string(l, "mountLabel", p));
    if (!label.empty()) return error("linux.mountLabel is not supported");
    if (l.contains("personality")) CNT_TRY(map_personality(l["personality"], s));
    if (l.contains("timeOffsets")) CNT_TRY(map_time_offsets(l["timeOffsets"], s));
    return {};
}

// As runc: after the spec's device rules, the default devices, the ptys and mknod of any
// node (what is not allowed cannot be opened anyway).
void allow_default_devices(Spec& s) {
    bool any = false;
    for (const auto& e : s.cfg.cgroup.v1) any = any || e.key.rfind("devices.", 0) == 0;
    if (!any) return;
    for (const char* r : {"c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm",
                          "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm"})
        s.cfg.cgroup.v1.push_back({"devices.allow", r, {"config.json", 0}});
}

Result<void> map_linux(const json& l, Spec& s) {
    CNT_TRY(known_keys(l, "linux",
                       {"namespaces", "uidMappings", "gidMappings", "devices", "cgroupsPath",
                        "resources", "sysctl", "seccomp", "rootfsPropagation", "maskedPaths",
                        "readonlyPaths", "mountLabel", "personality", "timeOffsets"}));
    CNT_TRY(map_linux_rest(l, s));
    if (l.contains("resources") && !l["resources"].is_null()) {
        CNT_ASSIGN(cg, parse_resources(l["resources"].dump()));
        s.cfg.cgroup.v1 = std::move(cg.v1);
        s.cfg.cgroup.v2 = std::move(cg.v2);
    }
    allow_default_devices(s);
    if (l.contains("seccomp") && !l["seccomp"].is_null()) {
        CNT_ASSIGN(prof, seccomp_profile(l["seccomp"].dump()));
        s.seccomp = std::move(prof);
    }
    return {};
}

Result<std::vector<Hook>> map_hook_list(const json& j, const std::string& p) {
    std::vector<Hook> v;
    if (j.is_null()) return v;
    if (!j.is_array()) return error(cat(p, " is not an array"));
    for (const auto& h : j) {
        CNT_TRY(known_keys(h, p, {"path", "args", "env", "timeout"}));
        Hook k;
        CNT_ASSIGN(path, get_string(h, "path", p));
        if (path.empty() || path.front() != '/')
            return error(cat(p, ".path \"", path, "\" is not absolute"));
        k.path = path;
        CNT_ASSIGN(args, get_strings(h, "args", p));
        k.args = std::move(args);
        CNT_ASSIGN(env, get_strings(h, "env", p));
        k.env = std::move(env);
        CNT_ASSIGN(t, get_int(h, "timeout", p));
        if (h.contains("timeout") && t <= 0) return error(cat(p, ".timeout must be positive"));
        k.timeout = static_cast<int>(t);
        v.push_back(std::move(k));
    }
    return v;
}

Result<void> map_hooks(const json& j, Spec& s) {
    CNT_TRY(known_keys(j, "hooks",
                       {"prestart", "createRuntime", "createContainer", "startContainer",
                        "poststart", "poststop"}));
    auto& h = s.hooks;
    struct {
        const char* key;
        std::vector<Hook>* list;
    } lists[] = {{"prestart", &h.prestart},
                 {"createRuntime", &h.create_runtime},
                 {"createContainer", &h.create_container},
                 {"startContainer", &h.start_container},
                 {"poststart", &h.poststart},
                 {"poststop", &h.poststop}};
    for (auto& l : lists) {
        CNT_ASSIGN(v, map_hook_list(j.value(l.key, json()), cat("hooks.", l.key)));
        *l.list = std::move(v);
    }
    return {};
}

// What every OCI container gets in /dev (the spec's "default devices").
void default_devices(Spec& s) {
    const Device d[] = {{"/dev/null", 'c', 1, 3},    {"/dev/zero", 'c', 1, 5},
                        {"/dev/full", 'c', 1, 7},    {"/dev/random", 'c', 1, 8},
                        {"/dev/urandom", 'c', 1, 9}, {"/dev/tty", 'c', 5, 0}};
    s.devices.insert(s.devices.begin(), std::begin(d), std::end(d));
}

// In a user namespace init cannot mknod: /dev becomes the autodev tmpfs the creating process
// fills (dev::premade_autodev), and the spec's mounts below /dev are made after it.
Result<void> userns_dev(Spec& s) {
    if (!(s.cfg.ns.clone & CLONE_NEWUSER)) return {};
    std::vector<cnt::config::MountEntry> keep;
    for (auto& e : s.cfg.mounts.entries) {
        CNT_ASSIGN(f, cnt::config::split_mount_entry(e.line));
        if (f.target == "dev" && f.fstype == "tmpfs") {
            s.cfg.mounts.autodev = true;
        } else if (f.target.rfind("dev/", 0) == 0) {
            if (f.fstype == "none")
                return error("mounts: a bind mount on /", f.target,
                             " with a user namespace is not supported");
            s.late_mounts.push_back(e.line);
        } else {
            keep.push_back(std::move(e));
        }
    }
    s.cfg.mounts.entries = std::move(keep);
    return {};
}

}  // namespace

Result<Spec> parse_spec(std::string_view text, const std::string& bundle) {
    CNT_ASSIGN(j, parse_json(text, "config.json"));
    Spec s;
    s.bundle = bundle;
    CNT_TRY(known_keys(j, "",
                       {"ociVersion", "process", "root", "hostname", "domainname", "mounts",
                        "hooks", "annotations", "linux"}));
    CNT_ASSIGN(v, get_string(j, "ociVersion", ""));
    if (v.rfind("1.", 0) != 0)
        return error(cat("ociVersion \"", v, "\" is not supported (1.0 to 1.1)"));
    s.version = v;
    CNT_TRY(map_process(j.value("process", json()), s));
    CNT_TRY(map_root(j.value("root", json::object()), s));
    CNT_ASSIGN(host, get_string(j, "hostname", ""));
    if (!host.empty()) s.cfg.uts.name = host;
    CNT_ASSIGN(domain, get_string(j, "domainname", ""));
    s.domainname = domain;
    s.cfg.mounts.autodev = false;  // /dev is the spec's own tmpfs mount and device list
    s.cfg.console.path = "none";   // a terminal gets one in create (process.terminal)
    if (j.contains("mounts") && j["mounts"].is_array())
        for (size_t i = 0; i < j["mounts"].size(); ++i) CNT_TRY(map_mount(j["mounts"][i], s, i));
    CNT_TRY(map_hooks(j.value("hooks", json::object()), s));
    if (j.contains("annotations") && j["annotations"].is_object())
        for (auto it = j["annotations"].begin(); it != j["annotations"].end(); ++it)
            if (it->is_string()) s.annotations[it.key()] = it->get<std::string>();
    if (!j.contains("linux")) return error("linux is missing");
    CNT_TRY(map_linux(j["linux"], s));
    if (s.cfg.uts.name && !(s.cfg.ns.clone & CLONE_NEWUTS))
        return error("hostname needs a new uts namespace");
    CNT_TRY(userns_dev(s));
    default_devices(s);
    return s;
}

Result<void> apply_process(std::string_view text, Spec& s) {
    CNT_ASSIGN(j, parse_json(text, "process.json"));
    s.cfg.init = {};
    s.cfg.security.caps = {};
    s.cfg.security.no_new_privs = false;
    s.umask.reset();
    return map_process(j, s);
}

Result<Spec> load_spec(const std::string& bundle) {
    std::string file = bundle + "/config.json";
    auto text = store::read_input(file, 4 << 20);
    if (!text) return sys_error(cat("reading \"", file, "\""), text.error().err);
    auto s = parse_spec(*text, bundle);
    if (!s) return std::unexpected(std::move(s.error()).within(file));
    return s;
}

}  // namespace cnt::oci
