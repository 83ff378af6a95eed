// cnt-config's names: LXC's and cnt.conf's spellings give the same values.
#include <catch2/catch.hpp>

#include "cnt/sysitems.hpp"

using namespace cnt::sysconf;

TEST_CASE("cnt-config items under both names", "[sysconf][config-tool]") {
    Settings s;
    s.lxcpath = "/srv/cnt";
    s.rundir = "/run/x";
    s.log_level = "WARN";
    s.delegate = {"alice", "bob"};
    CHECK(item_value(s, "lxc.lxcpath") == "/srv/cnt");
    CHECK(item_value(s, "paths.lxcpath") == "/srv/cnt");
    CHECK(item_value(s, "paths.rundir") == "/run/x");
    CHECK(item_value(s, "log.level") == "WARN");
    CHECK(item_value(s, "cgroup.delegate") == "alice bob");
    CHECK(item_value(s, "lxc.cgroup.pattern") == "cnt.payload.%n");
    CHECK(item_value(s, "lxc.default_config") == item_value(s, "paths.default_config"));
    CHECK_FALSE(item_value(s, "lxc.nosuch"));
    CHECK_FALSE(item_value(s, ""));
    auto names = item_names();
    REQUIRE(names.size() == 9);
    CHECK(names.front() == "lxc.default_config");
    for (auto n : names) CHECK(item_value(s, n));
}
