#include <catch2/catch.hpp>

#include "cgroup/translate.hpp"

using namespace cnt;
using namespace cnt::cgroup;

namespace {
config::CgroupEntry E(std::string k, std::string v, int line = 1) {
    return {std::move(k), std::move(v), {"config", line}};
}
std::vector<std::pair<std::string, std::string>> files(const std::vector<Write>& w) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& x : w) out.emplace_back(x.file, x.value);
    return out;
}
using FV = std::vector<std::pair<std::string, std::string>>;
}  // namespace

TEST_CASE("kernel weight conversions", "[cgroup]") {
    CHECK(shares_to_weight(1024) == 100);
    CHECK(shares_to_weight(2) == 1);
    CHECK(shares_to_weight(512) == 50);
    CHECK(shares_to_weight(262144) == 10000);
    CHECK(weight_to_shares(100) == 1024);
    CHECK(weight_to_shares(1) == 10);
    CHECK(weight_to_shares(10000) == 102400);
    CHECK(blkio_to_io_weight(10) == 1);
    CHECK(blkio_to_io_weight(1000) == 10000);
    CHECK(io_to_blkio_weight(1) == 10);
    CHECK(io_to_blkio_weight(10000) == 1000);
}

TEST_CASE("byte counts", "[cgroup]") {
    uint64_t b = 0;
    bool lim = false;
    CHECK(parse_bytes("32M", b, lim));
    CHECK(lim);
    CHECK(b == 32ull << 20);
    CHECK(parse_bytes("1g", b, lim));
    CHECK(b == 1ull << 30);
    CHECK(parse_bytes("4096", b, lim));
    CHECK(b == 4096);
    CHECK(parse_bytes("-1", b, lim));
    CHECK_FALSE(lim);
    CHECK(parse_bytes("max", b, lim));
    CHECK_FALSE(lim);
    CHECK_FALSE(parse_bytes("12X", b, lim));
    CHECK_FALSE(parse_bytes("", b, lim));
    CHECK_FALSE(parse_bytes("99999999999999999999", b, lim));
}

TEST_CASE("v1 keys to cgroup2 files", "[cgroup]") {
    auto r = v1_to_v2({E("memory.limit_in_bytes", "1G"), E("memory.memsw.limit_in_bytes", "1536M"),
                       E("cpu.shares", "512"), E("cpuset.cpus", "0-1"), E("pids.max", "100"),
                       E("blkio.weight", "500")});
    REQUIRE(r);
    CHECK(files(*r) == FV{{"memory.max", "1073741824"},
                          {"memory.swap.max", "536870912"},
                          {"cpu.weight", "50"},
                          {"cpuset.cpus", "0-1"},
                          {"pids.max", "100"},
                          {"io.weight", "4950"}});
    CHECK((*r)[0].note.find("memory.limit_in_bytes") != std::string::npos);
    CHECK((*r)[0].note.find("memory.max") != std::string::npos);

    auto cpu = v1_to_v2({E("cpu.cfs_period_us", "50000"), E("cpu.cfs_quota_us", "25000")});
    REQUIRE(cpu);
    CHECK(files(*cpu) == FV{{"cpu.max", "25000 50000"}});
    auto quota_only = v1_to_v2({E("cpu.cfs_quota_us", "-1")});
    CHECK(files(*quota_only) == FV{{"cpu.max", "max 100000"}});
    CHECK(files(*v1_to_v2({E("memory.limit_in_bytes", "-1")})) == FV{{"memory.max", "max"}});
}

TEST_CASE("untranslatable v1 keys are errors naming key and location", "[cgroup]") {
    auto r = v1_to_v2({E("memory.soft_limit_in_bytes", "1G", 7)});
    REQUIRE_FALSE(r);
    CHECK(r.error().object == "config:7");
    CHECK(r.error().step.find("memory.soft_limit_in_bytes") != std::string::npos);
    // memsw is memory + swap: without the memory limit the swap part is unknown
    auto sw = v1_to_v2({E("memory.memsw.limit_in_bytes", "2G", 3)});
    REQUIRE_FALSE(sw);
    CHECK(sw.error().object == "config:3");
    CHECK_FALSE(
        v1_to_v2({E("memory.limit_in_bytes", "2G"), E("memory.memsw.limit_in_bytes", "1G")}));
    CHECK_FALSE(v1_to_v2({E("cpu.shares", "lots")}));
}

TEST_CASE("cgroup2 keys to v1 files", "[cgroup]") {
    auto r = v2_to_v1({E("memory.max", "512M"), E("memory.swap.max", "256M"),
                       E("cpu.weight", "200"), E("cpu.max", "50000 100000"), E("cpuset.mems", "0"),
                       E("pids.max", "max"), E("io.weight", "default 100")});
    REQUIRE(r);
    CHECK(files(*r) == FV{{"memory.limit_in_bytes", "536870912"},
                          {"memory.memsw.limit_in_bytes", "805306368"},
                          {"cpu.shares", "2048"},
                          {"cpu.cfs_period_us", "100000"},
                          {"cpu.cfs_quota_us", "50000"},
                          {"cpuset.mems", "0"},
                          {"pids.max", "max"},
                          {"blkio.weight", "19"}});
    CHECK(files(*v2_to_v1({E("cpu.max", "max")})) ==
          FV{{"cpu.cfs_period_us", "100000"}, {"cpu.cfs_quota_us", "-1"}});
    CHECK(files(*v2_to_v1({E("memory.max", "max"), E("memory.swap.max", "max")})) ==
          FV{{"memory.limit_in_bytes", "-1"}, {"memory.memsw.limit_in_bytes", "-1"}});
    CHECK_FALSE(v2_to_v1({E("memory.high", "1G")}));
    CHECK_FALSE(v2_to_v1({E("memory.swap.max", "1G")}));
    CHECK_FALSE(v2_to_v1({E("io.weight", "8:0 100")}));
    CHECK_FALSE(v2_to_v1({E("cpu.weight", "0")}));
}
