// cnt-update-config's rewrite: legacy keys to current ones, everything else kept as written.
#include <catch2/catch.hpp>

#include "cnt/update_config.hpp"

using cnt::config::update_legacy;

namespace {
std::string rewrite(const std::string& text) {
    auto u = update_legacy(text, "config");
    if (!u) return "ERROR " + u.error().message();
    return u->text;
}
}  // namespace

TEST_CASE("update-config: renamed keys keep the rest of the line", "[config][update]") {
    CHECK(rewrite("lxc.utsname = a\n") == "lxc.uts.name = a\n");
    CHECK(rewrite("  lxc.tty=4\r\n") == "  lxc.tty.max=4\r\n");
    CHECK(rewrite("lxc.pts = 10 \n") == "lxc.pty.max = 10 \n");
    CHECK(rewrite("lxc.limit.nofile = 100\n") == "lxc.prlimit.nofile = 100\n");
    CHECK(rewrite("lxc.id_map = u 0 100000 65536\n") == "lxc.idmap = u 0 100000 65536\n");
    CHECK(rewrite("lxc.haltsignal = SIGTERM") == "lxc.signal.halt = SIGTERM");
}

TEST_CASE("update-config: comments, blanks and current keys are untouched", "[config][update]") {
    const std::string text = "# lxc.utsname = x\n\n   \nlxc.uts.name = y\n  # lxc.tty = 1\n";
    auto u = update_legacy(text, "config");
    REQUIRE(u);
    CHECK(u->text == text);
    CHECK(u->changes.empty());
}

TEST_CASE("update-config: rootfs, its backend, dropped keys", "[config][update]") {
    CHECK(rewrite("lxc.rootfs = /foo/x\nlxc.rootfs.backend = dir\n") ==
          "lxc.rootfs.path = dir:/foo/x\n");
    CHECK(rewrite("lxc.rootfs = /r\n") == "lxc.rootfs.path = /r\n");
    CHECK(rewrite("lxc.kmsg = 0\nlxc.pivotdir = p\nlxc.uts.name = a\n") == "lxc.uts.name = a\n");
}

TEST_CASE("update-config: un-indexed network keys get the interface's index", "[config][update]") {
    CHECK(
        rewrite("lxc.network.type = veth\nlxc.network.link = br0\nlxc.network.ipv4 = 10.0.0.2/24\n"
                "lxc.network.type = phys\nlxc.network.link = eth1\n") ==
        "lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.0.ipv4.address = 10.0.0.2/24\n"
        "lxc.net.1.type = phys\nlxc.net.1.link = eth1\n");
    // After an indexed interface, as the reader places it.
    CHECK(rewrite("lxc.net.4.type = veth\nlxc.network.type = empty\n") ==
          "lxc.net.4.type = veth\nlxc.net.5.type = empty\n");
    CHECK(rewrite("lxc.network.2.ipv6 = fd00::2/64\n") == "lxc.net.2.ipv6.address = fd00::2/64\n");
    // An empty type removes every interface, as lxc.net = does.
    CHECK(rewrite("lxc.network.type = veth\nlxc.network.type =\n") ==
          "lxc.net.0.type = veth\nlxc.net =\n");
    auto bad = update_legacy("lxc.network.link = br0\n", "config");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message() ==
          "config:1: lxc.network.link: no interface yet (lxc.network.type must come first)");
}

TEST_CASE("update-config: the changes name each line", "[config][update]") {
    auto u = update_legacy("\nlxc.utsname = a\nlxc.kmsg = 1\n", "c");
    REQUIRE(u);
    REQUIRE(u->changes.size() == 2);
    CHECK(u->changes[0] == "c:2: lxc.utsname -> lxc.uts.name");
    CHECK(u->changes[1] == "c:3: lxc.kmsg removed");
}
