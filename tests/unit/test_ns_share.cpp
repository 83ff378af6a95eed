// lxc.namespace.share.*: resolving the targets, and the clone flags that drop shared kinds.
#include <sched.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ns/ns.hpp"
#include "ns/share.hpp"

using cnt::config::Config;

TEST_CASE("shared namespaces are joined, not created", "[ns]") {
    Config c;
    int all = cnt::ns::clone_flags(c);
    REQUIRE((all & CLONE_NEWNET));
    c.ns.share["net"] = "web1";
    c.ns.share["uts"] = "42";
    int f = cnt::ns::clone_flags(c);
    CHECK_FALSE((f & CLONE_NEWNET));
    CHECK_FALSE((f & CLONE_NEWUTS));
    CHECK((f & CLONE_NEWPID));
    CHECK(cnt::ns::shared_mask(c.ns) == (CLONE_NEWNET | CLONE_NEWUTS));
}

TEST_CASE("resolving lxc.namespace.share values", "[ns]") {
    cnt::config::Namespaces ns;
    SECTION("nothing configured") {
        auto s = cnt::ns::Shared::open(ns, "/nonexistent");
        REQUIRE(s);
        CHECK(s->empty());
        CHECK(s->mask() == 0);
    }
    SECTION("a pid and a /proc path") {
        ns.share["uts"] = std::to_string(::getpid());
        ns.share["ipc"] = "/proc/self/ns/ipc";
        auto s = cnt::ns::Shared::open(ns, "/nonexistent");
        REQUIRE(s);
        CHECK(s->mask() == (CLONE_NEWUTS | CLONE_NEWIPC));
    }
    SECTION("a container that is not running names the key") {
        ns.share["net"] = "nosuch-container";
        auto s = cnt::ns::Shared::open(ns, "/nonexistent");
        REQUIRE_FALSE(s);
        CHECK_THAT(s.error().message(),
                   Catch::Contains("lxc.namespace.share.net") && Catch::Contains("not running"));
    }
    SECTION("a pid that does not exist") {
        ns.share["net"] = GENERATE(as<std::string>{}, "999999999", "99999999999999999999999", "0");
        auto s = cnt::ns::Shared::open(ns, "/nonexistent");
        REQUIRE_FALSE(s);
        CHECK_THAT(s.error().message(), Catch::Contains("no process"));
    }
    SECTION("the mount namespace is refused") {
        ns.share["mnt"] = std::to_string(::getpid());
        auto s = cnt::ns::Shared::open(ns, "/nonexistent");
        REQUIRE_FALSE(s);
        CHECK_THAT(s.error().message(), Catch::Contains("lxc.namespace.share.mnt"));
    }
}
