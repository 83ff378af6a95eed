// Networking over libnl-route-3, done by the monitor from the host side: interfaces are made
// in the host netns (or directly in init's netns), and configured through a netlink socket
// opened inside that netns. No `ip` command is ever run.
#pragma once
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"
#include "cnt/scope.hpp"
#include "cnt/store.hpp"

namespace cnt::net {

// What setup did that teardown (or crash recovery) must know: phys devices to give back, the
// names of host-side veths (for cnt-info), the script.down hooks to run.
struct Attached {
    struct Phys {
        std::string host_name;   // name in the host before it moved
        std::string inner_name;  // name inside the container
        std::string mac;         // its address inside, to recognise it if the netns died
    };
    std::vector<Phys> phys;
    std::vector<std::string> veth_host;  // host ends, in lxc.net order
    // lxc.net.N.script.down with what LXC passes it (type, parent link, host peer).
    struct Down {
        std::string script, type, link, peer;
    };
    std::vector<Down> down;
    std::string container;  // for hook arguments/environment
    int hook_version = 0;
    std::vector<std::string> hook_env;  // SetupOptions::hook_env, for script.down
    // The container's netns, held open by the monitor so phys devices can still be given
    // back after init exits (a dying netns destroys virtual devices and hands physical ones
    // to the initial netns, not to ours). Not saved; absent after load().
    std::shared_ptr<unique_fd> netns;

    store::KeyValues save() const;
    static Attached load(const store::KeyValues& kv);
};

// Extra context for script.up/script.down (the hooks' common environment, LXC_*).
struct SetupOptions {
    int hook_version = 0;               // lxc.hook.version
    std::vector<std::string> hook_env;  // "LXC_CONFIG_FILE=...", "LXC_ROOTFS_MOUNT=..." ...
    std::string lxcpath;                // passed to cnt-user-nic (a normal user's veth)
    // The container's namespaces as init sent them (a normal user's monitor cannot open
    // them through /proc); -1: opened from /proc/<init_pid>/ns.
    int netns_fd = -1, userns_fd = -1;
};

// Configure every lxc.net.N for a container whose init is `init_pid` (already in its own
// netns, not yet running the payload). Each step registers its undo in `undo`.
// `container` names the container in errors and generated names.
Result<Attached> setup(const std::vector<config::Network>& nets, const std::string& container,
                       pid_t init_pid, Undo& undo, const SetupOptions& opts = {});
// Give phys devices back to the host under their old names (into the caller's netns) and run
// script.down hooks. Uses a.netns when held, else /proc/<init_pid>/ns/net; with neither (the
// netns is gone) it looks for the devices in the caller's netns by their inner names.
// veths die with the netns and are never deleted here.
Result<void> teardown(const Attached& a, pid_t init_pid_or_0);
// Hold the netns of init_pid open in a.netns, so that teardown(a, 0) still finds the phys
// devices there after init and the monitor are gone.
Result<void> hold_netns(Attached& a, pid_t init_pid);

// A subscription to the host's link events, opened before interfaces are expected to go (the
// veths of a stopping container, which the kernel deletes with its netns, asynchronously).
class LinkWatch {
  public:
    static Result<LinkWatch> open();
    // Wait, up to `ms`, until no interface named in `names` exists in the caller's netns.
    // Returns the names still there when the time is up (empty: all gone).
    Result<std::vector<std::string>> wait_gone(const std::vector<std::string>& names, int ms);

    LinkWatch();
    LinkWatch(LinkWatch&&) noexcept;
    LinkWatch& operator=(LinkWatch&&) noexcept;
    ~LinkWatch();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Addresses and counters for cnt-info, read from the container's netns.
struct LinkInfo {
    std::string host_name;
    uint64_t tx_bytes = 0, rx_bytes = 0;
};
Result<std::vector<std::string>> addresses(pid_t init_pid);  // "10.0.0.2", "fe80::..."
Result<std::vector<LinkInfo>> host_links(const Attached& a);

// ---- helpers (pure; unit-tested) ------------------------------------------------------------
using Mac = std::array<uint8_t, 6>;
// "aa:bb:cc:dd:ee:ff" (':' or '-' separators); error names the bad text.
Result<Mac> parse_mac(const std::string& s);
std::string format_mac(const Mac& m);
// lxc.net.N.hwaddr: every x/X becomes a random hex digit. When the first octet's low nibble
// is random, it is made unicast and locally administered.
Result<Mac> expand_hwaddr(const std::string& tmpl);
// "veth" + 6 random alphanumerics; always <= 15 bytes (IFNAMSIZ-1).
std::string random_ifname(const std::string& prefix, unsigned nrandom = 6);
// Interface name rules of the kernel (dev_valid_name): 1..15 bytes, not "." or "..", no '/',
// ':' or whitespace.
Result<void> validate_ifname(const std::string& name);

// lo of the caller's network namespace, up (ioctl; for init in a namespace the monitor's
// netlink cannot reach).
Result<void> loopback_up();
// The name inside the container: lxc.net.N.name, else eth<N>.
std::string inner_name(const config::Network& n);

}  // namespace cnt::net
