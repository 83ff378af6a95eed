// A normal user's id maps: /etc/subuid parsing, the check newuidmap would make, and the
// caller's ids added for the helpers that act as the container's root.
#include <catch2/catch.hpp>

#include "ns/userns.hpp"

using cnt::config::IdMap;
namespace ns = cnt::ns;

TEST_CASE("subordinate ranges of one user, by name or uid", "[userns]") {
    const char* text =
        "alice:100000:65536\n"
        "bob:165536:65536\n"
        "1000:300000:1000\n"
        "# comment:1:2\n"
        "alice:garbage:10\n"
        "alice:500000:0\n"
        "alice:600000:10:extra\n"
        "alice:700000:5";
    auto r = ns::parse_sub_ranges(text, "alice", "1000");
    REQUIRE(r.size() == 3);
    CHECK((r[0].start == 100000 && r[0].count == 65536));
    CHECK((r[1].start == 300000 && r[1].count == 1000));
    CHECK((r[2].start == 700000 && r[2].count == 5));
    CHECK(ns::parse_sub_ranges(text, "carol", "1001").empty());
    // A user without a name (no /etc/passwd line) matches by uid only.
    CHECK(ns::parse_sub_ranges(text, "", "1000").size() == 1);
}

TEST_CASE("a map must lie inside one range, or be the caller's own id", "[userns]") {
    std::vector<ns::SubRange> ranges{{100000, 65536}, {300000, 1000}};
    auto map = [](char t, unsigned long n, unsigned long h, unsigned long c) {
        return IdMap{t, n, h, c, {"default.conf", 3}};
    };
    CHECK(ns::uncovered({map('u', 0, 100000, 65536)}, 'u', ranges, 1000) == nullptr);
    CHECK(ns::uncovered({map('u', 0, 300000, 1000)}, 'u', ranges, 1000) == nullptr);
    CHECK(ns::uncovered({map('u', 5, 100010, 10)}, 'u', ranges, 1000) == nullptr);
    // One past the end of the range, or spanning two ranges, is not covered.
    CHECK(ns::uncovered({map('u', 0, 100000, 65537)}, 'u', ranges, 1000) != nullptr);
    CHECK(ns::uncovered({map('u', 0, 165535, 2)}, 'u', ranges, 1000) != nullptr);
    CHECK(ns::uncovered({map('u', 0, 0, 1)}, 'u', ranges, 1000) != nullptr);
    // The caller's own uid alone, as newuidmap allows; not with more ids.
    CHECK(ns::uncovered({map('u', 0, 1000, 1)}, 'u', ranges, 1000) == nullptr);
    CHECK(ns::uncovered({map('u', 0, 1000, 2)}, 'u', ranges, 1000) != nullptr);
    // Huge values do not wrap around into a range.
    CHECK(ns::uncovered({map('u', 0, ~0UL - 5, 100)}, 'u', ranges, 1000) != nullptr);
    // Only maps of the asked type count; the culprit is returned with its line.
    std::vector<IdMap> both{map('g', 0, 1, 1), map('u', 0, 100000, 65536)};
    CHECK(ns::uncovered(both, 'u', ranges, 1000) == nullptr);
    auto* bad = ns::uncovered(both, 'g', ranges, 1000);
    REQUIRE(bad != nullptr);
    CHECK(bad->where.str() == "default.conf:3");
}

TEST_CASE("the caller's ids join the maps at the first free id", "[userns]") {
    std::vector<IdMap> maps{{'u', 0, 100000, 65536, {}}, {'g', 0, 100000, 65536, {}}};
    auto all = ns::with_caller(maps);
    REQUIRE(all.size() == 4);
    for (const auto& m : all)
        if (m.hostid != 100000) CHECK((m.nsid == 65536 && m.range == 1));
    // A caller whose own id is inside the maps already gets nothing more.
    std::vector<IdMap> mine{{'u', 0, ::getuid(), 1, {}}, {'g', 0, ::getgid(), 1, {}}};
    CHECK(ns::with_caller(mine).size() == 2);
}
