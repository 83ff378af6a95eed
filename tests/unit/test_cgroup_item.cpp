// cnt-cgroup's names: v1 and v2 file names read where the host has them and translated from
// the other version's files where it does not (directories made here stand for the
// hierarchies of a v1, a v2 and a hybrid host).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cgroup/item.hpp"

namespace fs = std::filesystem;
using namespace cnt::cgroup;

namespace {
struct Host {
    fs::path top = fs::temp_directory_path() / ("cnt-item-" + std::to_string(::getpid()));
    SavedDirs d;
    Host(bool v1, bool v2) {
        if (v1) {
            fs::create_directories(top / "memory");
            fs::create_directories(top / "cpu");
            put("memory/memory.limit_in_bytes", "9223372036854771712\n");
            put("cpu/cpu.cfs_quota_us", "50000\n");
            put("cpu/cpu.cfs_period_us", "100000\n");
            put("cpu/cpu.shares", "2048\n");
            d.v1 = {{"memory", (top / "memory").string()}, {"cpu,cpuacct", (top / "cpu").string()}};
        }
        if (v2) {
            fs::create_directories(top / "unified");
            put("unified/cgroup.freeze", "0\n");
            if (!v1) {
                put("unified/memory.max", "67108864\n");
                put("unified/cpu.weight", "100\n");
            }
            d.v2 = (top / "unified").string();
        }
    }
    ~Host() { fs::remove_all(top); }
    void put(const std::string& f, const std::string& text) { std::ofstream(top / f) << text; }
};
}  // namespace

TEST_CASE("cgroup items: a v1 host reads v2 names through the translation", "[cgroup][item]") {
    Host h(true, false);
    CHECK(key_version(h.d, "memory.limit_in_bytes") == Version::v1);
    CHECK(key_version(h.d, "memory.max") == Version::v2);
    CHECK(read_item(h.d, "memory.limit_in_bytes") == "9223372036854771712");
    CHECK(read_item(h.d, "memory.max") == "max");
    CHECK(read_item(h.d, "cpu.max") == "50000 100000");
    CHECK(read_item(h.d, "cpu.weight") == "200");
    CHECK_FALSE(read_item(h.d, "nosuch.file"));
    CHECK_FALSE(read_item(h.d, "../memory.x"));
}

TEST_CASE("cgroup items: a v2 host reads v1 names through the translation", "[cgroup][item]") {
    Host h(false, true);
    CHECK(key_version(h.d, "memory.max") == Version::v2);
    CHECK(read_item(h.d, "memory.limit_in_bytes") == "67108864");
    CHECK(read_item(h.d, "cpu.shares") == "1024");
    CHECK(read_item(h.d, "cgroup.freeze") == "0");
}

TEST_CASE("cgroup items: a hybrid host takes each file where it is", "[cgroup][item]") {
    Host h(true, true);
    CHECK(read_item(h.d, "cgroup.freeze") == "0");
    CHECK(read_item(h.d, "cpu.shares") == "2048");
    CHECK(read_item(h.d, "memory.max") == "max");
}

TEST_CASE("cgroup items: writes are checked as config values", "[cgroup][item]") {
    Host h(true, true);
    auto s = item_settings(h.d, "memory.max", "64M");
    REQUIRE(s);
    REQUIRE(s->v2.size() == 1);
    CHECK(s->v2[0].key == "memory.max");
    CHECK(item_settings(h.d, "memory.limit_in_bytes", "1G")->v1.size() == 1);
    auto bad = item_settings(h.d, "memory.max", "abc");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message() == "lxc.cgroup2.memory.max = abc: not a byte count");
    auto dev = item_settings(h.d, "devices.allow", "bogus");
    CHECK_FALSE(dev);
    CHECK_FALSE(item_settings(h.d, "memory.max", ""));
}
