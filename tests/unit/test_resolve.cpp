// rootfs/resolve: paths under a rootfs resolved inside it (unprivileged: a temp dir as the root).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "rootfs/resolve.hpp"

namespace {

// A temp "host" dir holding a rootfs and an outside dir an escape would reach.
struct Tree {
    std::string top, root, out;
    cnt::unique_fd rootfd;
    Tree() {
        char t[] = "/tmp/cnt-unit-resolve.XXXXXX";
        top = ::mkdtemp(t);
        root = top + "/rootfs";
        out = top + "/outside";
        ::mkdir(root.c_str(), 0755);
        ::mkdir(out.c_str(), 0755);
        rootfd.reset(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    }
    ~Tree() { (void)std::system(("rm -rf '" + top + "'").c_str()); }
    void link(const std::string& target, const std::string& at) const {
        REQUIRE(::symlink(target.c_str(), (root + "/" + at).c_str()) == 0);
    }
    bool exists(const std::string& p) const {
        struct stat st {};
        return ::lstat(p.c_str(), &st) == 0;
    }
    bool outside_empty() const {
        return ::rmdir(out.c_str()) == 0 && ::mkdir(out.c_str(), 0755) == 0;
    }
};

}  // namespace

TEST_CASE("resolve: symlinks are followed inside the rootfs only", "[rootfs]") {
    Tree t;
    ::mkdir((t.root + "/run").c_str(), 0755);
    t.link("/run", "varrun");                           // Debian's /var/run -> /run
    t.link(t.out, "abs");                               // absolute, to the host dir
    t.link("../../../../../../../../" + t.out, "rel");  // relative, climbing out
    auto r = cnt::rootfs::mkdir_in_root(t.rootfd.get(), "/varrun/x");
    REQUIRE(r);
    CHECK(t.exists(t.root + "/run/x"));
    // The host dir's path, taken inside the rootfs: made there, never outside.
    std::string in_root = t.root + t.out;
    REQUIRE(::system(("mkdir -p '" + in_root + "'").c_str()) == 0);
    REQUIRE(cnt::rootfs::mkdir_in_root(t.rootfd.get(), "abs/a"));
    REQUIRE(cnt::rootfs::create_file_in_root(t.rootfd.get(), "rel/f"));
    CHECK(t.exists(in_root + "/a"));
    CHECK(t.exists(in_root + "/f"));
    CHECK(t.outside_empty());
    // ".." stops at the rootfs root.
    auto up = cnt::rootfs::open_in_root(t.rootfd.get(), "../../../run", O_PATH);
    REQUIRE(up);
    struct stat a {
    }, b{};
    ::fstat(up->get(), &a);
    ::stat((t.root + "/run").c_str(), &b);
    CHECK(a.st_ino == b.st_ino);
}

TEST_CASE("resolve: dangling links and non-directories are errors naming the path", "[rootfs]") {
    Tree t;
    t.link(t.out + "/missing", "dangling");
    auto d = cnt::rootfs::mkdir_in_root(t.rootfd.get(), "dangling/sub");
    REQUIRE_FALSE(d);
    CHECK(d.error().message().find("\"/dangling\" is a dangling symlink") != std::string::npos);
    auto f = cnt::rootfs::create_file_in_root(t.rootfd.get(), "dangling");
    REQUIRE_FALSE(f);
    CHECK(f.error().message().find("\"/dangling\"") != std::string::npos);
    CHECK(t.outside_empty());
    REQUIRE(cnt::rootfs::create_file_in_root(t.rootfd.get(), "file"));
    auto n = cnt::rootfs::mkdir_in_root(t.rootfd.get(), "file/sub");
    REQUIRE_FALSE(n);
    CHECK(n.error().err == ENOTDIR);
    CHECK(n.error().message().find("/file/sub") != std::string::npos);
    // /proc magic links are refused (here with the host's / as the root, where /proc is).
    cnt::unique_fd slash(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    auto m = cnt::rootfs::open_in_root(slash.get(), "/proc/self/root/etc", O_PATH);
    REQUIRE_FALSE(m);
    CHECK(m.error().err == ELOOP);
}
