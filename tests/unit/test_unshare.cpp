// cnt-unshare's namespace names and cnt-usernsexec's maps.
#include <sched.h>

#include <catch2/catch.hpp>

#include "cnt/unshare.hpp"

using namespace cnt::unshare;

TEST_CASE("cnt-unshare -s names", "[unshare]") {
    CHECK(parse_namespaces("MOUNT|PID") == (CLONE_NEWNS | CLONE_NEWPID));
    CHECK(parse_namespaces("utsname,ipc|NETWORK") == (CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET));
    CHECK(parse_namespaces("user|cgroup|mnt") == (CLONE_NEWUSER | CLONE_NEWCGROUP | CLONE_NEWNS));
    auto bad = parse_namespaces("PID|TIME");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message() == "unknown namespace \"TIME\"");
    CHECK_FALSE(parse_namespaces(""));
    CHECK_FALSE(parse_namespaces("|"));
}

TEST_CASE("cnt-usernsexec -m maps", "[unshare]") {
    auto b = parse_map("b:0:100000:65536");
    REQUIRE(b);
    REQUIRE(b->size() == 2);
    CHECK((*b)[0].type == 'u');
    CHECK((*b)[1].type == 'g');
    CHECK((*b)[1].hostid == 100000);
    CHECK((*b)[1].range == 65536);
    auto u = parse_map("u:1000:1000:1");
    REQUIRE(u);
    REQUIRE(u->size() == 1);
    CHECK((*u)[0].nsid == 1000);
    for (const char* bad :
         {"x:0:1:1", "u:0:1", "u:0:1:0", "u:-1:1:1", "u:0:a:1", "uu:0:1:1", "u:0:1:99999999999"})
        CHECK_FALSE(parse_map(bad));
}
