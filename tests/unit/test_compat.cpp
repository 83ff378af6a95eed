// The last behaviour differences from LXC 5.0.2 (issue #23): each case is what lxc-info printed
// or refused for the same config on this machine.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "cgroup/layout.hpp"
#include "cnt/config.hpp"
#include "cnt/container.hpp"
#include "cnt/error.hpp"
#include "config_load.hpp"

namespace fs = std::filesystem;

using namespace cnt::config;

namespace {
using test::load;
using test::Loaded;
std::string first_error(const Diagnostics& d) {
    for (auto& i : d.items)
        if (i.severity == Diagnostic::Severity::error) return i.str();
    return {};
}
}  // namespace

TEST_CASE("lxc.rootfs.mount unset prints where the rootfs is mounted", "[config][compat]") {
    auto l = load("lxc.rootfs.path = dir:/var/lib/cnt/c1/rootfs\n");
    REQUIRE(l.ok);
    CHECK(get_item(l.cfg, "lxc.rootfs.mount") == "/var/lib/cnt/c1/rootfs");
    auto m = load("lxc.rootfs.path = /srv/r\nlxc.rootfs.mount = /mnt/r\n");
    CHECK(get_item(m.cfg, "lxc.rootfs.mount") == "/mnt/r");
}

TEST_CASE("lxc.namespace.clone and keep together are refused", "[config][compat]") {
    for (const char* text : {"lxc.namespace.clone = net\nlxc.namespace.keep = ipc\n",
                             "lxc.namespace.keep = ipc\nlxc.namespace.clone = net\n"}) {
        auto l = load(text);
        CHECK_FALSE(l.ok);
        CHECK(first_error(l.d) ==
              "config:2: lxc.namespace." + std::string(text[14] == 'c' ? "keep" : "clone") +
                  ": cannot set both \"lxc.namespace.clone\" and \"lxc.namespace.keep\"");
    }
    // An empty value clears: then the other one may be set.
    CHECK(load("lxc.namespace.clone = net\nlxc.namespace.clone =\nlxc.namespace.keep = ipc\n").ok);
}

TEST_CASE("phys link PREFIX+ takes the matching host interface", "[config][compat]") {
    auto l = load("lxc.net.0.type = phys\nlxc.net.0.link = lo+\n");
    REQUIRE(l.ok);
    CHECK(get_item(l.cfg, "lxc.net.0.link") == "lo");
    // Not phys: the '+' is part of the name, as in LXC.
    auto v = load("lxc.net.0.type = veth\nlxc.net.0.link = br+\n");
    CHECK(get_item(v.cfg, "lxc.net.0.link") == "br+");
    // No match: no link, and a warning saying so.
    auto n = load("lxc.net.0.type = phys\nlxc.net.0.link = nosuchif-tb+\n");
    CHECK(get_item(n.cfg, "lxc.net.0.link") == "");
    REQUIRE(n.d.items.size() == 1);
    CHECK(n.d.items[0].severity == Diagnostic::Severity::warning);
}

TEST_CASE("an empty lxc.net.N.macvlan.mode is invalid, not private", "[config][compat]") {
    // LXC loads it and prints "(invalid)"; cnt's start refuses it (t-tb-compat.sh).
    auto l = load(
        "lxc.net.0.type = macvlan\nlxc.net.0.macvlan.mode = bridge\n"
        "lxc.net.0.macvlan.mode =\n");
    REQUIRE(l.ok);
    CHECK(get_item(l.cfg, "lxc.net.0.macvlan.mode") == "(invalid)");
    CHECK(get_item(load("lxc.net.0.type = macvlan\n").cfg, "lxc.net.0.macvlan.mode") == "private");
}

TEST_CASE("config errors carry no errno text", "[config][compat][error]") {
    auto dir = fs::temp_directory_path() / ("cnt-compat-" + std::to_string(::getpid()));
    fs::create_directories(dir / "q1");
    std::ofstream(dir / "q1" / "config") << "lxc.uts.name = q1\nlxc.bogus = 1\n";
    auto c = cnt::Container::open("q1", dir.string());
    REQUIRE(c);
    auto cfg = c->load_config();
    fs::remove_all(dir);
    REQUIRE_FALSE(cfg);
    CHECK(cfg.error().err == 0);
    CHECK(cfg.error().object == "q1");
    CHECK(cfg.error().message() == "q1: loading config: " + (dir / "q1" / "config").string() +
                                       ":2: unknown key \"lxc.bogus\"");
}

TEST_CASE("the host's cgroup mounts to mount again under ip netns exec", "[cgroup][compat]") {
    const std::string init =
        "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
        "23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw\n"
        "31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec - tmpfs tmpfs rw,mode=755\n"
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
        "50 22 0:40 / /run rw - tmpfs tmpfs rw\n";
    auto m = cnt::cgroup::host_hierarchy_mounts(init);
    REQUIRE(m.size() == 4);
    CHECK(m[0].mountpoint == "/sys/fs/cgroup");
    CHECK(m[0].fstype == "tmpfs");
    CHECK(m[0].opts == "rw,nosuid,nodev,noexec");
    CHECK(m[2].superopts == "rw,xattr,name=systemd");
    CHECK(m[3].fstype == "cgroup2");
    // A hierarchy mounted from below its root would show another directory at the same path.
    CHECK(cnt::cgroup::host_hierarchy_mounts(
              "32 22 0:29 /lxc/c1 /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n")
              .empty());
    CHECK(cnt::cgroup::host_hierarchy_mounts("22 1 254:0 / / rw - ext4 /dev/vda rw\n").empty());
}
