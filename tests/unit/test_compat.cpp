// The last behaviour differences from LXC 5.0.2 (issue #23): each case is what lxc-info printed
// or refused for the same config on this machine.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "cnt/config.hpp"
#include "cnt/container.hpp"
#include "cnt/error.hpp"

namespace fs = std::filesystem;

using namespace cnt::config;

namespace {
struct Loaded {
    Config cfg;
    Diagnostics d;
    bool ok = false;
};
Loaded load(const std::string& text) {
    Loaded l;
    l.ok = load_string(text, "config", l.cfg, l.d);
    return l;
}
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
