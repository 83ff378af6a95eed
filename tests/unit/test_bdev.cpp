#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "cnt/bdev.hpp"
#include "container/clone_config.hpp"

using namespace cnt;

TEST_CASE("bdev: lxc.rootfs.path specs", "[bdev]") {
    auto d = bdev::parse("/var/lib/cnt/a/rootfs");
    REQUIRE(d);
    CHECK(d->kind == bdev::Kind::dir);
    CHECK(d->str() == "dir:/var/lib/cnt/a/rootfs");
    auto o = bdev::parse("overlayfs:/c/a/rootfs:/c/b/delta0/");
    REQUIRE(o);
    CHECK(o->kind == bdev::Kind::overlay);
    CHECK(o->path == "/c/a/rootfs");
    CHECK(o->upper == "/c/b/delta0");
    CHECK(o->work() == "/c/b/olwork");
    CHECK(o->str() == "overlay:/c/a/rootfs:/c/b/delta0");
    // A lower ':' list: the upper layer is the last part.
    auto l = bdev::parse("overlay:/c/b/delta0:/c/a/rootfs:/c/c/delta0");
    REQUIRE(l);
    CHECK(l->path == "/c/b/delta0:/c/a/rootfs");
    CHECK(l->upper == "/c/c/delta0");
    CHECK(bdev::parse("loop:/c/a/rootdev")->kind == bdev::Kind::loop);
    CHECK(bdev::parse("btrfs:/c/a/rootfs")->kind == bdev::Kind::btrfs);
    CHECK_FALSE(bdev::parse("overlay:/only-one"));
    CHECK_FALSE(bdev::parse("overlay:/a:relative"));
    CHECK_FALSE(bdev::parse("dir:relative"));
    auto lvm = bdev::parse("lvm:/dev/vg/lv");
    REQUIRE_FALSE(lvm);
    CHECK(lvm.error().message().find("device-mapper") != std::string::npos);
    auto zfs = bdev::parse_kind("zfs");
    REQUIRE_FALSE(zfs);
    CHECK(zfs.error().message().find("Debian main") != std::string::npos);
    CHECK_FALSE(bdev::parse_kind("nosuch"));
}

TEST_CASE("bdev: --fssize", "[bdev]") {
    CHECK(*bdev::parse_size("4096") == 4096);
    CHECK(*bdev::parse_size("1G") == (1ull << 30));
    CHECK(*bdev::parse_size("512m") == (512ull << 20));
    CHECK(*bdev::parse_size("2KB") == 2048);
    CHECK_FALSE(bdev::parse_size(""));
    CHECK_FALSE(bdev::parse_size("0"));
    CHECK_FALSE(bdev::parse_size("1X"));
    CHECK_FALSE(bdev::parse_size("-1G"));
    CHECK_FALSE(bdev::parse_size("99999999999T"));
}

TEST_CASE("clone: the copy's config", "[bdev]") {
    std::string in =
        "# comment kept\n"
        "lxc.rootfs.path = dir:/l/a/rootfs\n"
        "lxc.uts.name = a\n"
        "lxc.net.0.hwaddr = 00:16:3e:11:22:33\n"
        "lxc.mount.fstab = /l/a/fstab\n"
        "lxc.hook.pre-start = /l/a/hook.sh /l/ab/other\n"
        "lxc.mount.entry = /l/a/data data none bind,create=dir 0 0\n"
        "lxc.environment = P=/l/a/x\n";
    clone::Rewrite r{"/l/a", "/m/b", "b", std::string("overlay:/l/a/rootfs:/m/b/delta0"),
                     false,  false};
    std::string out = clone::rewrite(in, r);
    CHECK(out.find("# comment kept\n") == 0);
    CHECK(out.find("lxc.rootfs.path = overlay:/l/a/rootfs:/m/b/delta0\n") != std::string::npos);
    CHECK(out.find("lxc.uts.name = b\n") != std::string::npos);
    CHECK(out.find("lxc.uts.name = a") == std::string::npos);
    CHECK(out.find("00:16:3e:11:22:33") == std::string::npos);
    CHECK(out.find("lxc.net.0.hwaddr = 00:16:3e:") != std::string::npos);
    CHECK(out.find("lxc.mount.fstab = /m/b/fstab\n") != std::string::npos);
    // Whole components only: /l/ab is another container's.
    CHECK(out.find("lxc.hook.pre-start = /m/b/hook.sh /l/ab/other\n") != std::string::npos);
    CHECK(out.find("lxc.mount.entry = /m/b/data data") != std::string::npos);
    CHECK(out.find("lxc.environment = P=/l/a/x\n") != std::string::npos);  // not a path key

    clone::Rewrite keep{"/l/a", "/l/c", "c", std::nullopt, true, true};
    std::string k = clone::rewrite(in, keep);
    CHECK(k.find("lxc.rootfs.path = dir:/l/c/rootfs\n") != std::string::npos);
    CHECK(k.find("lxc.uts.name = a\n") != std::string::npos);
    CHECK(k.find("00:16:3e:11:22:33") != std::string::npos);
}

TEST_CASE("copy_tree: modes, links, holes", "[bdev]") {
    char tmpl[] = "/tmp/cnt-unit-bdev.XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    std::string top = tmpl, src = top + "/src", dst = top + "/dst";
    REQUIRE(::mkdir(src.c_str(), 0755) == 0);
    REQUIRE(::mkdir(dst.c_str(), 0755) == 0);
    REQUIRE(::mkdir((src + "/d").c_str(), 0710) == 0);
    std::ofstream(src + "/d/f") << "data";
    REQUIRE(::chmod((src + "/d/f").c_str(), 0604) == 0);
    REQUIRE(::link((src + "/d/f").c_str(), (src + "/hard").c_str()) == 0);
    REQUIRE(::symlink("/etc/passwd", (src + "/link").c_str()) == 0);
    REQUIRE(::mkfifo((src + "/fifo").c_str(), 0600) == 0);
    {
        int fd = ::open((src + "/sparse").c_str(), O_WRONLY | O_CREAT, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(::pwrite(fd, "x", 1, 8 << 20) == 1);
        ::close(fd);
    }
    int s = ::open(src.c_str(), O_RDONLY | O_DIRECTORY),
        d = ::open(dst.c_str(), O_RDONLY | O_DIRECTORY);
    auto r = bdev::copy_tree(s, d);
    ::close(s);
    ::close(d);
    REQUIRE(r);
    struct stat a {
    }, b{}, h{};
    REQUIRE(::stat((dst + "/d").c_str(), &a) == 0);
    CHECK((a.st_mode & 07777) == 0710);
    REQUIRE(::stat((dst + "/d/f").c_str(), &b) == 0);
    REQUIRE(::stat((dst + "/hard").c_str(), &h) == 0);
    CHECK((b.st_mode & 07777) == 0604);
    CHECK(b.st_ino == h.st_ino);
    char buf[64] = {};
    CHECK(::readlink((dst + "/link").c_str(), buf, sizeof buf) == 11);
    CHECK(std::string(buf) == "/etc/passwd");
    REQUIRE(::lstat((dst + "/fifo").c_str(), &a) == 0);
    CHECK(S_ISFIFO(a.st_mode));
    REQUIRE(::stat((dst + "/sparse").c_str(), &a) == 0);
    CHECK(a.st_size == (8 << 20) + 1);
    CHECK(a.st_blocks * 512 < (1 << 20));  // the hole stayed a hole
    CHECK(std::system(("rm -rf " + top).c_str()) == 0);
}
