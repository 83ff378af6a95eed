// rootfs/shift: the id arithmetic (unprivileged), errors naming the file, and a real shift of
// a small tree ([root]: chown to other ids needs it).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "rootfs/shift.hpp"

using cnt::config::IdMap;
using cnt::rootfs::owned_by_map;
using cnt::rootfs::shifted_id;

namespace {

const std::vector<IdMap> kMaps = {{'u', 0, 100000, 65536, {}}, {'g', 0, 100000, 65536, {}}};

struct TmpDir {
    std::string top;
    TmpDir() {
        char t[] = "/tmp/cnt-unit-shift.XXXXXX";
        top = ::mkdtemp(t);
    }
    ~TmpDir() { (void)std::system(("rm -rf '" + top + "'").c_str()); }
    std::string operator/(const std::string& p) const { return top + "/" + p; }
};

struct stat lstat_of(const std::string& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st;
}

void touch(const std::string& p, mode_t mode = 0644) {
    int fd = ::open(p.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, mode);
    REQUIRE(fd >= 0);
    ::close(fd);
    REQUIRE(::chmod(p.c_str(), mode) == 0);
}

}  // namespace

TEST_CASE("shift: container ids move onto the host range", "[shift]") {
    CHECK(shifted_id(kMaps, 'u', 0) == 100000UL);
    CHECK(shifted_id(kMaps, 'g', 5) == 100005UL);
    CHECK(shifted_id(kMaps, 'u', 65535) == 165535UL);
    // Already on the range (an interrupted shift run again): kept.
    CHECK(shifted_id(kMaps, 'u', 100000) == 100000UL);
    CHECK(shifted_id(kMaps, 'g', 165535) == 165535UL);
    // Neither a container id nor a host id of the map.
    CHECK_FALSE(shifted_id(kMaps, 'u', 65536).has_value());
    CHECK_FALSE(shifted_id(kMaps, 'u', 4294967294UL).has_value());
    CHECK_FALSE(shifted_id(kMaps, 'g', 165536).has_value());
}

TEST_CASE("shift: several ranges, and a type without a map", "[shift]") {
    std::vector<IdMap> m = {
        {'u', 0, 100000, 1000, {}}, {'u', 1000, 1000, 1, {}}, {'u', 1001, 101001, 64535, {}}};
    CHECK(shifted_id(m, 'u', 999) == 100999UL);
    CHECK(shifted_id(m, 'u', 1000) == 1000UL);
    CHECK(shifted_id(m, 'u', 1001) == 101001UL);
    CHECK(shifted_id(m, 'u', 65535) == 165535UL);
    // No 'g' line: group ids stay.
    CHECK(shifted_id(m, 'g', 42) == 42UL);
    CHECK(owned_by_map(m, 100000, 0));
}

TEST_CASE("shift: a file is the container's when both ids are on the host range", "[shift]") {
    CHECK(owned_by_map(kMaps, 100000, 100000));
    CHECK(owned_by_map(kMaps, 165535, 100005));
    CHECK_FALSE(owned_by_map(kMaps, 0, 0));
    CHECK_FALSE(owned_by_map(kMaps, 100000, 0));
    CHECK_FALSE(owned_by_map(kMaps, 165536, 100000));
}

TEST_CASE("shift: errors name the file and the system error", "[shift]") {
    TmpDir d;
    auto r = cnt::rootfs::shift_tree(d / "missing", kMaps);
    REQUIRE_FALSE(r);
    CHECK(r.error().err == ENOENT);
    CHECK(r.error().message().find(d / "missing") != std::string::npos);
    CHECK(r.error().message().find("No such file or directory") != std::string::npos);

    // Our own uid outside the map: refused, naming the file.
    REQUIRE(::mkdir((d / "root").c_str(), 0755) == 0);
    touch(d / "root/f");
    unsigned long me = ::getuid();
    std::vector<IdMap> m = {{'u', me + 1, 200000, 10, {}}};
    auto r2 = cnt::rootfs::shift_tree(d / "root", m);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().message().find(d / "root/f") != std::string::npos);
    CHECK(r2.error().message().find("outside lxc.idmap") != std::string::npos);
}

TEST_CASE("shift: a tree moves onto the range, links and modes kept", "[shift][root]") {
    TmpDir d;
    std::string root = d / "rootfs";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    REQUIRE(::mkdir((root + "/bin").c_str(), 0755) == 0);
    touch(root + "/bin/su", 04755);
    touch(root + "/bin/wall", 02755);
    REQUIRE(::chown((root + "/bin/wall").c_str(), 0, 5) == 0);
    REQUIRE(::chmod((root + "/bin/wall").c_str(), 02755) == 0);  // the chown cleared it
    touch(root + "/bin/ping", 0755);
    // cap_net_raw+ep as a version 2 xattr (what a package installs).
    const unsigned char v2[20] = {0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00};
    REQUIRE(::setxattr((root + "/bin/ping").c_str(), "security.capability", v2, sizeof v2, 0) == 0);
    // A symlink to a host file: the link changes, never its target.
    touch(d / "host-file", 0600);
    REQUIRE(::symlink((d / "host-file").c_str(), (root + "/link").c_str()) == 0);
    // Hard links all inside the rootfs: changed once.
    touch(root + "/a");
    REQUIRE(::link((root + "/a").c_str(), (root + "/bin/a2").c_str()) == 0);

    auto r = cnt::rootfs::shift_tree(root, kMaps);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    CHECK(lstat_of(root).st_uid == 100000);
    CHECK(lstat_of(root + "/bin").st_gid == 100000);
    auto su = lstat_of(root + "/bin/su");
    CHECK(su.st_uid == 100000);
    CHECK((su.st_mode & 07777) == 04755);
    auto wall = lstat_of(root + "/bin/wall");
    CHECK(wall.st_gid == 100005);
    CHECK((wall.st_mode & 07777) == 02755);
    unsigned char caps[24]{};
    CHECK(::getxattr((root + "/bin/ping").c_str(), "security.capability", caps, sizeof caps) == 24);
    CHECK(caps[3] == 0x03);                                        // version 3
    CHECK((caps[20] | caps[21] << 8 | caps[22] << 16) == 100000);  // its root: the container's
    CHECK(lstat_of(root + "/link").st_uid == 100000);
    CHECK(lstat_of(d / "host-file").st_uid == 0);
    CHECK(lstat_of(root + "/a").st_uid == 100000);
    // Run again: nothing left to change.
    auto again = cnt::rootfs::shift_tree(root, kMaps);
    REQUIRE(again);
    CHECK(again->files == 0);
}

TEST_CASE("shift: a hard link from outside the rootfs is refused", "[shift][root]") {
    TmpDir d;
    std::string root = d / "rootfs";
    REQUIRE(::mkdir(root.c_str(), 0755) == 0);
    touch(d / "shadow", 0600);
    REQUIRE(::link((d / "shadow").c_str(), (root + "/planted").c_str()) == 0);
    auto r = cnt::rootfs::shift_tree(root, kMaps);
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find(root + "/planted") != std::string::npos);
    CHECK(r.error().message().find("hard links") != std::string::npos);
    CHECK(lstat_of(d / "shadow").st_uid == 0);
    // Nothing was the container's yet: the top still reads as not shifted.
    CHECK(lstat_of(root).st_uid == 0);
}
