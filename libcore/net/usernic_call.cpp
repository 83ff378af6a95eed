#include "net/usernic_call.hpp"

#include <fcntl.h>
#include <netlink/route/link.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cnt/log.hpp"
#include "cnt/net.hpp"
#include "cnt/store.hpp"
#include "cnt/sysconf.hpp"

#ifndef CNT_PREFIX
#define CNT_PREFIX "/usr/local"
#endif

namespace cnt::net {
namespace {

bool setuid_root(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == 0 &&
           (st.st_mode & S_ISUID) && (st.st_mode & S_IXOTH);
}

// Next to the running binary when that copy is installed setuid root, else PREFIX/bin's.
std::string helper_path() {
    std::string here = sysconf::exe_dir() + "/cnt-user-nic";
    return setuid_root(here) ? here : std::string(CNT_PREFIX "/bin/cnt-user-nic");
}

// argv run with an empty environment; its stdout is returned, and its stderr (the helper's
// one line saying why) is the error when it fails.
Result<std::string> run_helper(const std::vector<std::string>& args) {
    int p[2], q[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("making a pipe for cnt-user-nic");
    unique_fd rd(p[0]), wr(p[1]);
    if (::pipe2(q, O_CLOEXEC) != 0) return sys_error("making a pipe for cnt-user-nic");
    unique_fd erd(q[0]), ewr(q[1]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    char* envp[] = {nullptr};
    pid_t pid = ::fork();
    if (pid < 0) return sys_error("forking for cnt-user-nic");
    if (pid == 0) {
        if (::dup2(wr.get(), STDOUT_FILENO) < 0 || ::dup2(ewr.get(), STDERR_FILENO) < 0)
            ::_exit(127);
        ::execve(argv[0], argv.data(), envp);
        ::_exit(127);
    }
    wr.reset();
    ewr.reset();
    // Both are a line or two: stdout to its end, then stderr, never blocks the helper.
    auto out = store::read_fd(rd.get());
    auto err = store::read_fd(erd.get());
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return sys_error("waiting for cnt-user-nic");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        std::string why = err ? *err : std::string();
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        if (auto nl = why.rfind('\n'); nl != why.npos) why.erase(0, nl + 1);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127) return error(args[0], " could not be run");
        if (why.empty()) return error(args[0], " failed");
        return error(why);
    }
    if (!out) return std::unexpected(out.error());
    return *out;
}

// MTU and hwaddr of the config, on the peer inside (the helper gives it the bridge's MTU).
Result<void> dress(const config::Network& n, const std::string& inner, const nl::Socket& s) {
    if (!n.mtu && n.hwaddr.empty()) return {};
    CNT_ASSIGN(l, nl::get_link(s, inner));
    nl::Link ch(rtnl_link_alloc());
    if (n.mtu) rtnl_link_set_mtu(ch.get(), n.mtu);
    nl::NlAddr a;
    if (!n.hwaddr.empty()) {
        CNT_ASSIGN(mac, expand_hwaddr(n.hwaddr));
        a.reset(nl_addr_build(AF_LLC, mac.data(), mac.size()));
        rtnl_link_set_addr(ch.get(), a.get());
    }
    s.clear();
    if (int rc = rtnl_link_change(s.get(), l.get(), ch.get(), 0); rc < 0)
        return s.fail(rc, cat("setting the MTU and address of \"", inner, '"'));
    return {};
}

}  // namespace

Result<nl::Socket> open_inner_as_owner(pid_t init_pid, const unique_fd& netns) {
    std::string p = cat("/proc/", init_pid, "/ns/user");
    unique_fd userns(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
    if (!userns) return sys_error(cat("opening ", p));
    return nl::Socket::open_in_userns(userns.get(), netns.get());
}

bool needs_user_nic() { return ::geteuid() != 0 || !in_initial_userns(); }

bool in_initial_userns() {
    // The initial user namespace maps every uid onto itself: "0 0 4294967295", one line.
    auto map = store::read_file("/proc/self/uid_map");
    if (!map) return false;
    std::string norm;
    for (char ch : *map) {
        bool blank = ch == ' ' || ch == '\t' || ch == '\n';
        if (!blank)
            norm += ch;
        else if (!norm.empty() && norm.back() != ' ')
            norm += ' ';
    }
    while (!norm.empty() && norm.back() == ' ') norm.pop_back();
    return norm == "0 0 4294967295";
}

Result<std::string> user_nic_veth(const config::Network& n, const std::string& lxcpath,
                                  const std::string& container, pid_t pid, const std::string& inner,
                                  const nl::Socket& inner_sock) {
    if (n.veth_mode != config::Network::VethMode::bridge || n.link.empty())
        return errno_error(EPERM, cat("a normal user's veth needs lxc.net.", n.index,
                                      ".link = a bridge granted in cnt-usernet"));
    // The kernel ignores the setuid bit of a file whose owner (root) has no mapping in the
    // caller's user namespace: the helper is only of use from the initial one.
    if (!in_initial_userns())
        return errno_error(EPERM,
                           "cnt-user-nic must be run from the initial user namespace "
                           "(setuid does not apply inside a user namespace)");
    std::string path = helper_path();
    log::debug("running ", path, " for \"", n.link, "\"");
    CNT_ASSIGN(out, run_helper({path, "create", lxcpath.empty() ? "/" : lxcpath, container,
                                cat(pid), "veth", n.link, inner}));
    // "NICNAME HOSTIF\n"
    auto sp = out.find(' ');
    std::string host = sp == std::string::npos ? "" : out.substr(sp + 1);
    while (!host.empty() && host.back() == '\n') host.pop_back();
    if (out.substr(0, sp) != inner || validate_ifname(host).has_value() == false)
        return error("cnt-user-nic: unexpected output \"", out.substr(0, 64), '"');
    CNT_TRY(dress(n, inner, inner_sock));
    return host;
}

}  // namespace cnt::net
