// cnt-top's table: CPU % over the interval, sorting, JSON.
#include <catch2/catch.hpp>

#include "cnt/top.hpp"

using namespace cnt::top;

namespace {
Sample s(const char* name, uint64_t cpu, uint64_t mem) {
    Sample x;
    x.name = name;
    x.cpu_ns = cpu;
    x.mem_bytes = mem;
    return x;
}
}  // namespace

TEST_CASE("cnt-top rows: CPU % and sorting", "[top]") {
    std::vector<Sample> before{s("a", 0, 10), s("b", 1000, 30)};
    std::vector<Sample> now{s("a", 500'000'000, 10), s("b", 1000, 30), s("c", 7, 20)};
    auto r = rows(before, now, 1'000'000'000, Sort::name, false);
    REQUIRE(r.size() == 3);
    CHECK(r[0].s.name == "a");
    CHECK(r[0].cpu_pct == Approx(50.0));
    CHECK(r[1].cpu_pct == 0);
    CHECK(r[2].cpu_pct == 0);  // new since the first sample
    auto m = rows(before, now, 1'000'000'000, Sort::memory, true);
    CHECK(m[0].s.name == "b");
    CHECK(m[2].s.name == "a");
    auto c = rows(before, now, 1'000'000'000, Sort::cpu, true);
    CHECK(c[0].s.name == "a");
    CHECK(parse_sort('k') == Sort::kmem);
    CHECK_FALSE(parse_sort('x'));
}

TEST_CASE("cnt-top json and table", "[top]") {
    auto r = rows({}, {s("w\"1", 5, 1024)}, 0, Sort::name, false);
    CHECK(json(r) ==
          "[{\"name\":\"w\\\"1\",\"cpu_percent\":0.00,\"cpu_ns\":5,\"memory\":1024,\"swap\":null,"
          "\"kmem\":0,\"blkio\":0,\"pids\":null,\"rx_bytes\":0,\"tx_bytes\":0}]");
    CHECK(json({}) == "[]");
    auto t = table(r, true);
    CHECK(t.find("Container") == 0);
    CHECK(t.find("1.00 KiB") != std::string::npos);
    CHECK(table(r, false).find(" 1024 ") != std::string::npos);
}
