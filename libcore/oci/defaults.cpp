// `spec` (a default config.json) and `features` (what cnt-oci honours).
#include "cnt/oci.hpp"
#include "oci/json.hpp"

namespace cnt::oci {

namespace {

json mount(const char* dst, const char* type, const char* src, std::vector<std::string> opts) {
    return {{"destination", dst}, {"type", type}, {"source", src}, {"options", opts}};
}

}  // namespace

std::string default_spec() {
    const std::vector<std::string> caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
    json process = {
        {"terminal", false},
        {"user", {{"uid", 0}, {"gid", 0}}},
        {"args", {"sh"}},
        {"env",
         {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
        {"cwd", "/"},
        {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
        {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
        {"noNewPrivileges", true}};
    json mounts = json::array(
        {mount("/proc", "proc", "proc", {}),
         mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
         mount("/dev/pts", "devpts", "devpts",
               {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
         mount("/dev/shm", "tmpfs", "shm",
               {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
         mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
         mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
         mount("/sys/fs/cgroup", "cgroup", "cgroup",
               {"nosuid", "noexec", "nodev", "relatime", "ro"})});
    json ns = json::array();
    for (const char* n : {"pid", "network", "ipc", "uts", "mount", "cgroup"})
        ns.push_back({{"type", n}});
    json linux = {{"resources", {{"devices", {{{"allow", false}, {"access", "rwm"}}}}}},
                  {"namespaces", ns},
                  {"maskedPaths",
                   {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                    "/proc/sched_debug", "/sys/firmware", "/proc/scsi"}},
                  {"readonlyPaths",
                   {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}}};
    json j = {{"ociVersion", kSpecVersion},
              {"process", process},
              {"root", {{"path", "rootfs"}, {"readonly", true}}},
              {"hostname", "cnt"},
              {"mounts", mounts},
              {"linux", linux}};
    return j.dump(1, '\t') + "\n";
}

std::string features() {
    json j = {
        {"ociVersionMin", "1.0.0"},
        {"ociVersionMax", kSpecVersion},
        {"hooks",
         {"prestart", "createRuntime", "createContainer", "startContainer", "poststart",
          "poststop"}},
        {"mountOptions",
         {"ro",      "rw",       "nosuid", "suid",     "nodev",      "dev",         "noexec",
          "exec",    "bind",     "rbind",  "relatime", "norelatime", "strictatime", "noatime",
          "private", "rprivate", "shared", "rshared",  "slave",      "rslave"}},
        {"linux",
         {{"namespaces", {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"}},
          {"capabilities", "bounding = effective = permitted for uid 0"},
          {"cgroup", {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}}},
          {"seccomp",
           {{"enabled", true},
            {"actions",
             {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
              "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_TRACE"}},
            {"operators",
             {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
              "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}}}},
          {"apparmor", {{"enabled", false}}},
          {"selinux", {{"enabled", false}}}}},
        {"annotations", {{"org.cnt.runtime", "cnt-oci"}}}};
    return j.dump(1, '\t') + "\n";
}

}  // namespace cnt::oci
