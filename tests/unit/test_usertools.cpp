// The pure parts of cnt-delegate and cnt-user-nic: /etc/passwd and /etc/group parsing, the
// grants file, the helper's state file and its argument checks (hostile input).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "cnt/delegate.hpp"
#include "cnt/sysconf.hpp"
#include "cnt/usernic.hpp"
#include "cnt/users.hpp"

using namespace cnt;

namespace {
const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# a comment\n"
    "+nis\n"
    "broken:x:abc:1::/:/bin/sh\n"
    "alice:x:1001:1001:Alice:/home/alice:/bin/sh\n"
    "bob:x:1002:100::/home/bob:/bin/sh";
const char* kGroup =
    "root:x:0:\n"
    "users:x:100:alice\n"
    "alice:x:1001:\n"
    "net:x:200:bob,alice\n"
    "alice2:x:300:alicex\n";
}  // namespace

TEST_CASE("passwd and group texts", "[users]") {
    auto a = users::find_in_passwd(kPasswd, "alice");
    REQUIRE(a);
    CHECK(a->uid == 1001);
    CHECK(a->gid == 1001);
    CHECK(a->home == "/home/alice");
    auto b = users::find_in_passwd(kPasswd, "1002");
    REQUIRE(b);
    CHECK(b->name == "bob");
    CHECK_FALSE(users::find_in_passwd(kPasswd, "broken"));
    CHECK_FALSE(users::find_in_passwd(kPasswd, "nis"));
    CHECK_FALSE(users::find_in_passwd(kPasswd, "ali"));
    CHECK_FALSE(users::find_uid_in_passwd(kPasswd, 4242));
    CHECK(users::groups_in(kGroup, *a) == std::vector<std::string>{"users", "alice", "net"});
    CHECK(users::groups_in(kGroup, *b) == std::vector<std::string>{"users", "net"});
}

TEST_CASE("the delegated directory", "[users]") {
    CHECK(cgroup::user_base(1001) == "cnt.user.1001");
    // A uid nobody delegated to: the message says how to get a delegation.
    auto r = cgroup::require_delegation(3999999999u);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("cnt-delegate 3999999999") != std::string::npos);
}

TEST_CASE("cnt-usernet grants", "[usernic]") {
    auto g = usernic::parse_usernet(
        "# grants\n\nalice veth br0 2\n@net veth br0 1  # trailing comment\nbob veth br1 3\n");
    REQUIRE(g);
    REQUIRE(g->size() == 3);
    CHECK((*g)[1].group);
    CHECK((*g)[1].who == "net");
    CHECK(usernic::allowed(*g, "alice", {"alice", "net"}, "br0") == 3);
    CHECK(usernic::allowed(*g, "alice", {"alice"}, "br1") == 0);
    CHECK(usernic::allowed(*g, "carol", {"net"}, "br0") == 1);
    CHECK(usernic::allowed(*g, "bob", {}, "br0") == 0);
    for (const char* bad : {"alice veth br0\n", "alice macvlan br0 1\n", "alice veth br0 -1\n",
                            "alice veth br0 1 x\n", "@ veth br0 1\n", "alice veth b/r 1\n",
                            "alice veth br0 99999999999\n"}) {
        INFO(bad);
        auto r = usernic::parse_usernet(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().step.find("line 1") != std::string::npos);
    }
}

TEST_CASE("cnt-user-nic state file", "[usernic]") {
    std::vector<usernic::Entry> e{{1001, "br0", "vethAbc123", "web1"}, {0, "br1", "vethX", "c"}};
    CHECK(usernic::parse_state(usernic::format_state(e)).size() == 2);
    auto p = usernic::parse_state(
        "1001 br0 vethA web1\n"
        "garbage\n"
        "1001 br0 veth/x web1\n"
        "-1 br0 vethB web1\n"
        "1001 br0 vethC web 1\n"
        "1001 br0 vethD a;b\n"
        "1002 br0 vethE c2");
    REQUIRE(p.size() == 2);
    CHECK(p[0].host_if == "vethA");
    CHECK(p[1].uid == 1002);
    CHECK(usernic::state_token("my web;1") == "my_web_1");
}

TEST_CASE("cnt-user-nic arguments", "[usernic]") {
    using V = std::vector<std::string>;
    auto r = usernic::parse_args(V{"create", "/var/lib/cnt", "web1", "1234", "veth", "br0"});
    REQUIRE(r);
    CHECK(r->pid == 1234);
    CHECK(r->nicname == "eth0");
    r = usernic::parse_args(V{"create", "/x", "web 1", "1", "veth", "br0", "eth7"});
    REQUIRE(r);
    CHECK(r->nicname == "eth7");
    for (const V& bad :
         {V{}, V{"create"}, V{"delete", "/x", "c", "1", "veth", "br0"},
          V{"create", "x", "c", "1", "veth", "br0"}, V{"create", "/x\n", "c", "1", "veth", "br0"},
          V{"create", "/x", "../c", "1", "veth", "br0"}, V{"create", "/x", "", "1", "veth", "br0"},
          V{"create", "/x", "c", "01", "veth", "br0"}, V{"create", "/x", "c", "0", "veth", "br0"},
          V{"create", "/x", "c", "4194305", "veth", "br0"},
          V{"create", "/x", "c", "+1", "veth", "br0"}, V{"create", "/x", "c", "1", "phys", "br0"},
          V{"create", "/x", "c", "1", "veth", "br0;"},
          V{"create", "/x", "c", "1", "veth", "br0", "0123456789abcdef"},
          V{"create", "/x", "c", "1", "veth", "br0", ".."},
          V{"create", "/x", "c", "1", "veth", "br0", "eth0", "extra"}}) {
        INFO(bad.size());
        CHECK_FALSE(usernic::parse_args(bad));
    }
}

TEST_CASE("cnt.conf [cgroup] delegate", "[users]") {
    char path[] = "/tmp/cnt-unit-conf.XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    std::string text = "[cgroup]\ndelegate = alice, bob  carol\ndelegate = 1005\n";
    REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fd);
    auto s = sysconf::load_file(path);
    unlink(path);
    REQUIRE(s);
    CHECK(s->delegate == std::vector<std::string>{"alice", "bob", "carol", "1005"});
}

TEST_CASE("delegate, require, undelegate a uid", "[root][users]") {
    const uid_t uid = 3999999998u;  // no such user: chown takes any id
    auto d = cgroup::delegate(uid, uid);
    REQUIRE(d);
    CHECK(d->complete());
    CHECK(cgroup::require_delegation(uid));
    auto again = cgroup::delegate(uid, uid);  // idempotent
    REQUIRE(again);
    auto all = cgroup::list_delegations();
    REQUIRE(all);
    bool listed = false;
    for (const auto& x : *all) listed |= x.uid == uid && x.complete();
    CHECK(listed);
    REQUIRE(cgroup::undelegate(uid));
    CHECK_FALSE(cgroup::require_delegation(uid));
    CHECK(cgroup::undelegate(uid));  // nothing left: fine
}
