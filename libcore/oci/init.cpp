#include "oci/init.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "cnt/fd.hpp"
#include "cnt/net.hpp"
#include "cnt/security.hpp"

namespace cnt::oci {

namespace {

Result<void> mkdir_parents(const std::string& path) {
    for (size_t pos = 1; (pos = path.find('/', pos)) != std::string::npos; ++pos) {
        std::string d = path.substr(0, pos);
        if (::mkdir(d.c_str(), 0755) != 0 && errno != EEXIST)
            return sys_error(cat("creating \"", d, "\""));
    }
    return {};
}

// After pivot_root, so every path is the container's own.
Result<void> make_devices(const Spec& s) {
    mode_t old = ::umask(0);
    for (const auto& d : s.devices) {
        CNT_TRY(mkdir_parents(d.path));
        mode_t type = d.type == 'b' ? S_IFBLK : d.type == 'p' ? S_IFIFO : S_IFCHR;
        if (::mknod(d.path.c_str(), type | d.mode, makedev(d.major, d.minor)) != 0) {
            if (errno == EEXIST) continue;
            int e = errno;
            ::umask(old);
            return sys_error(cat("creating device \"", d.path, "\""), e);
        }
        if ((d.uid || d.gid) && ::chown(d.path.c_str(), d.uid, d.gid) != 0)
            return sys_error(cat("changing the owner of \"", d.path, "\""));
    }
    ::umask(old);
    for (auto [l, t] : {std::pair{"/dev/fd", "/proc/self/fd"},
                        {"/dev/stdin", "/proc/self/fd/0"},
                        {"/dev/stdout", "/proc/self/fd/1"},
                        {"/dev/stderr", "/proc/self/fd/2"},
                        {"/dev/core", "/proc/kcore"}})
        (void)::symlink(t, l);
    return {};
}

// maskedPaths: a directory gets an empty read-only tmpfs, anything else /dev/null.
Result<void> mask_paths(const Spec& s) {
    for (const auto& p : s.masked) {
        struct stat st {};
        if (::stat(p.c_str(), &st) != 0) {
            if (errno == ENOENT) continue;
            return sys_error(cat("maskedPaths: \"", p, "\""));
        }
        int r = S_ISDIR(st.st_mode)
                    ? ::mount("tmpfs", p.c_str(), "tmpfs", MS_RDONLY, "size=0k,mode=0755")
                    : ::mount("/dev/null", p.c_str(), nullptr, MS_BIND, nullptr);
        if (r != 0) return sys_error(cat("maskedPaths: masking \"", p, "\""));
    }
    return {};
}

// readonlyPaths: a bind on itself, remounted read-only with the flags it had.
Result<void> readonly_paths(const Spec& s) {
    for (const auto& p : s.readonly) {
        if (::mount(p.c_str(), p.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
            if (errno == ENOENT) continue;
            return sys_error(cat("readonlyPaths: binding \"", p, "\""));
        }
        struct statvfs sv {};
        unsigned long keep = 0;
        if (::statvfs(p.c_str(), &sv) == 0)
            keep = sv.f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_RELATIME);
        if (::mount(nullptr, p.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | keep,
                    nullptr) != 0)
            return sys_error(cat("readonlyPaths: making \"", p, "\" read-only"));
    }
    return {};
}

// A late mount (fstab line, Spec::late_mounts) by path, below the new root.
Result<void> late_mount(const std::string& line) {
    CNT_ASSIGN(f, config::split_mount_entry(line));
    static const std::pair<const char*, unsigned long> kFlags[] = {
        {"ro", MS_RDONLY},        {"nosuid", MS_NOSUID},   {"nodev", MS_NODEV},
        {"noexec", MS_NOEXEC},    {"noatime", MS_NOATIME}, {"strictatime", MS_STRICTATIME},
        {"relatime", MS_RELATIME}};
    unsigned long flags = 0;
    std::string data;
    for (size_t p = 0; p <= f.options.size();) {
        size_t c = f.options.find(',', p);
        std::string o = f.options.substr(p, c == std::string::npos ? c : c - p);
        p = c == std::string::npos ? f.options.size() + 1 : c + 1;
        bool known = o.empty() || o.rfind("create=", 0) == 0 || o == "rw";
        for (auto [n, v] : kFlags)
            if (o == n) flags |= v, known = true;
        if (!known) data += cat(data.empty() ? "" : ",", o);
    }
    std::string target = "/" + f.target;
    CNT_TRY(mkdir_parents(target + "/"));
    if (::mount(f.source.c_str(), target.c_str(), f.fstype.c_str(), flags, data.c_str()) != 0)
        return sys_error(cat("mounting ", f.fstype, " on \"", target, "\""));
    return {};
}

}  // namespace

Result<void> init_ready(const Spec& s) {
    for (const auto& m : s.late_mounts) CNT_TRY(late_mount(m));
    CNT_TRY(make_devices(s));
    CNT_TRY(security::apply_sysctls(s.sysctl));
    CNT_TRY(mask_paths(s));
    CNT_TRY(readonly_paths(s));
    if (s.propagation && ::mount(nullptr, "/", nullptr, s.propagation, nullptr) != 0)
        return sys_error("linux.rootfsPropagation: changing the propagation of /");
    if (s.new_netns) CNT_TRY(net::loopback_up());
    if (!s.domainname.empty() && ::setdomainname(s.domainname.data(), s.domainname.size()) != 0)
        return sys_error(cat("setting domainname \"", s.domainname, "\""));
    if (s.personality && ::personality(*s.personality) < 0)
        return sys_error("linux.personality: setting the personality");
    ::umask(s.umask.value_or(022));
    // process.env exactly (init set the container's defaults before).
    ::clearenv();
    for (const auto& e : s.cfg.init.environment) ::putenv(const_cast<char*>(e.c_str()));
    return {};
}

Result<void> init_await_start(const Spec& s, int listener, int sync) {
    for (;;) {
        unique_fd c(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
        if (!c) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return sys_error("waiting for cnt-oci start");
        }
        char buf[64 * 1024];
        ssize_t n = ::recv(c.get(), buf, sizeof buf, 0);
        std::string m(buf, n > 0 ? static_cast<size_t>(n) : 0);
        if (m.rfind(kStartMsg, 0) != 0) continue;  // not `start`: wait on
        ::close(listener);
        // The creating process has gone: errors and the exec now go to `start`.
        if (::dup3(c.get(), sync, O_CLOEXEC) < 0) return sys_error("taking the start connection");
        std::string state = m.substr(std::strlen(kStartMsg) + 1);
        return run_hooks(s.hooks.start_container, state, "startContainer");
    }
}

}  // namespace cnt::oci
