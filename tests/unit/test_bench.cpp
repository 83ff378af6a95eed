#include <catch2/catch.hpp>

#include "../../bench/stats.hpp"

using namespace cnt::bench;

TEST_CASE("bench median of odd and even samples", "[bench]") {
    CHECK(median({}) == 0);
    CHECK(median({5}) == 5);
    CHECK(median({3, 1, 2}) == 2);
    CHECK(median({4, 1, 3, 2}) == Approx(2.5));
    CHECK(median({7, 7, 1, 100, 7}) == 7);  // an outlier does not move it
}

TEST_CASE("bench summary: min, max, mean, median", "[bench]") {
    auto s = summarize({0.010, 0.008, 0.030, 0.009});
    CHECK(s.n == 4);
    CHECK(s.min == Approx(0.008));
    CHECK(s.max == Approx(0.030));
    CHECK(s.median == Approx(0.0095));
    CHECK(s.mean == Approx(0.01425));
    auto e = summarize({});
    CHECK(e.n == 0);
    CHECK(e.median == 0);
}

TEST_CASE("bench ratio to the floor", "[bench]") {
    auto floor = summarize({0.008, 0.008, 0.008});
    auto c = summarize({0.0198, 0.0196, 0.0194});
    REQUIRE(ratio(c, floor));
    CHECK(*ratio(c, floor) == Approx(2.45));
    CHECK(*ratio(floor, floor) == Approx(1.0));
    CHECK_FALSE(ratio(c, summarize({})));  // no floor measured
    CHECK_FALSE(ratio(summarize({}), floor));
    CHECK_FALSE(ratio(c, summarize({0.0})));
}

TEST_CASE("bench trend compares first and last quarter in run order", "[bench]") {
    CHECK_FALSE(trend({1, 2, 3}));
    auto t = trend({1, 2, 9, 9, 9, 9, 3, 4});
    REQUIRE(t);
    CHECK(t->first == Approx(1.5));
    CHECK(t->last == Approx(3.5));
}

TEST_CASE("bench trend over the floor's, quarter by quarter", "[bench]") {
    auto r = trend_ratio(Trend{3.0, 8.0}, Trend{2.0, 4.0});
    REQUIRE(r);
    CHECK(r->first == Approx(1.5));
    CHECK(r->last == Approx(2.0));
    CHECK_FALSE(trend_ratio(Trend{3.0, 8.0}, Trend{0.0, 4.0}));
}
