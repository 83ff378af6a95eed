#include <catch2/catch.hpp>

#include "cgroup/layout.hpp"
#include "cgroup/saved.hpp"
#include "cnt/cgroup.hpp"

using namespace cnt::cgroup;

namespace {
const char* kHybrid =
    "22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
    "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime shared:5 - cgroup cgroup rw,freezer\n"
    "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
    "rw,xattr,release_agent=/x,name=systemd\n"
    "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n";
const char* kHybridSelf =
    "9:name=systemd:/\n4:memory:/process_api/abc\n6:freezer:/\n2:cpuacct:/\n1:cpu:/\n0::/"
    "user.slice\n";

const char* kV2 =
    "25 1 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";

const char* kV1Joint =
    "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
    "32 30 0:29 /lxc/c1 /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
    "33 30 0:29 / /mnt/other\\040dir rw - cgroup cgroup rw,pids\n";
}  // namespace

TEST_CASE("mountinfo: hybrid host", "[cgroup]") {
    auto l = parse_mountinfo(kHybrid);
    CHECK(l.kind() == "hybrid");
    REQUIRE(l.v1.size() == 5);
    REQUIRE(l.v2);
    CHECK(l.v2->mountpoint == "/sys/fs/cgroup/unified");
    CHECK(l.v1_for("memory")->mountpoint == "/sys/fs/cgroup/memory");
    CHECK(l.v1_for("name=systemd")->mountpoint == "/sys/fs/cgroup/systemd");
    CHECK(l.v1_for("xattr") == nullptr);
    CHECK(l.v1_for("blkio") == nullptr);
    assign_own(l, kHybridSelf);
    CHECK(l.v1_for("memory")->own_dir() == "/sys/fs/cgroup/memory/process_api/abc");
    CHECK(l.v1_for("cpu")->own_dir() == "/sys/fs/cgroup/cpu");
    CHECK(l.v2->own_dir() == "/sys/fs/cgroup/unified/user.slice");
}

TEST_CASE("mountinfo: pure cgroup2", "[cgroup]") {
    auto l = parse_mountinfo(kV2);
    CHECK(l.kind() == "v2");
    assign_own(l, "0::/system.slice/x.service\n");
    REQUIRE(l.v2);
    CHECK(l.v2->own_dir() == "/sys/fs/cgroup/system.slice/x.service");
}

TEST_CASE("mountinfo: v1 with joint controllers, mount roots and escapes", "[cgroup]") {
    auto l = parse_mountinfo(kV1Joint);
    CHECK(l.kind() == "v1");
    REQUIRE(l.v1.size() == 2);  // the second pids mount is the same hierarchy
    CHECK(l.v1_for("cpuacct") == l.v1_for("cpu"));
    CHECK(l.v1_for("cpu")->label() == "cpu,cpuacct");
    assign_own(l, "3:cpuacct,cpu:/a\n5:pids:/lxc/c1/sub\n");
    CHECK(l.v1_for("cpu")->own_dir() == "/sys/fs/cgroup/cpu,cpuacct/a");
    // inside a cgroup namespace-less bind of /lxc/c1: strip the mount root
    CHECK(l.v1_for("pids")->own_dir() == "/sys/fs/cgroup/pids/sub");
    auto m = parse_mountinfo_line("1 2 0:3 / /mnt/a\\040b rw - cgroup cgroup rw,pids");
    REQUIRE(m);
    CHECK(m->mountpoint == "/mnt/a b");
    CHECK_FALSE(parse_mountinfo_line("garbage line"));
}

TEST_CASE("mountinfo: hierarchies the process is not in are dropped", "[cgroup]") {
    auto l = parse_mountinfo(kHybrid);
    assign_own(l, "4:memory:/\n");
    CHECK(l.kind() == "v1");
    CHECK(l.v1.size() == 1);
}

TEST_CASE("reopening a group with nothing recorded is an error", "[cgroup]") {
    auto g = cnt::cgroup::Group::reopen({});
    REQUIRE_FALSE(g);
    CHECK(g.error().err == ENOENT);
    CHECK_FALSE(cnt::cgroup::Group::reopen(
        {.kind = "v2", .inner = "", .v1 = {}, .v2 = "/nonexistent/cgroup", .v2_top = ""}));
}

TEST_CASE("leftovers of a stopped container: what is gone already is no error", "[cgroup]") {
    // Nothing recorded, and recorded directories that no longer exist: nothing to do.
    CHECK(remove_leftovers({}));
    CHECK(remove_leftovers(
        {.kind = "hybrid",
         .inner = ".cnt",
         .v1 = {{"cpu", "/nonexistent/cpu/cnt.payload.x", "/nonexistent/cpu/cnt.payload.x"}},
         .v2 = "/nonexistent/unified/cnt.payload.x",
         .v2_top = "/nonexistent/unified/cnt.payload.x"}));
}

TEST_CASE("a group's saved directories as the state file's keys", "[cgroup]") {
    const cnt::cgroup::Saved s{.kind = "hybrid",
                               .inner = ".cnt",
                               .v1 = {{"cpu,cpuacct", "/c/cnt.payload.x", "/c/cnt.payload.x"},
                                      {"name=systemd", "/s/d/cnt.payload.x", "/s/d"}},
                               .v2 = "/u/cnt.payload.x",
                               .v2_top = "/u/cnt.payload.x"};
    const cnt::store::KeyValues kv = {{"kind", "hybrid"},
                                      {"inner", ".cnt"},
                                      {"v1.0", "/c/cnt.payload.x"},
                                      {"v1.0.ctrl", "cpu,cpuacct"},
                                      {"v1.0.top", "/c/cnt.payload.x"},
                                      {"v1.1", "/s/d/cnt.payload.x"},
                                      {"v1.1.ctrl", "name=systemd"},
                                      {"v1.1.top", "/s/d"},
                                      {"v2", "/u/cnt.payload.x"},
                                      {"v2.top", "/u/cnt.payload.x"}};
    CHECK(cnt::cgroup::saved_keys(s) == kv);
    CHECK(cnt::cgroup::saved_from_keys(kv) == s);
    // No cgroup2 directory: no v2 keys. A gap in the v1 numbers ends the list.
    auto v1only = s;
    v1only.v2 = v1only.v2_top = "";
    CHECK_FALSE(cnt::cgroup::saved_keys(v1only).count("v2"));
    auto gap = kv;
    gap.erase("v1.0");
    CHECK(cnt::cgroup::saved_from_keys(gap).v1.empty());
}
