#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "cnt/store.hpp"

namespace {

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/cnt-unit.XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() {
        std::vector<std::string> kept;
        (void)cnt::store::remove_tree(path, kept);
    }
};

void write(const std::string& p, const std::string& text) { std::ofstream(p) << text; }
bool exists(const std::string& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0;
}

}  // namespace

TEST_CASE("remove_tree removes a tree and never follows symlinks", "[store]") {
    TempDir t;
    std::string out = t.path + "/outside", tree = t.path + "/tree";
    REQUIRE(::mkdir(out.c_str(), 0755) == 0);
    write(out + "/keep", "keep");
    REQUIRE(cnt::store::mkdirs(tree + "/a/b/c"));
    write(tree + "/a/b/c/f", "x");
    write(tree + "/top", "x");
    REQUIRE(::symlink((out + "/keep").c_str(), (tree + "/a/link-file").c_str()) == 0);
    REQUIRE(::symlink(out.c_str(), (tree + "/a/b/link-dir").c_str()) == 0);
    REQUIRE(::symlink("/", (tree + "/root-link").c_str()) == 0);
    REQUIRE(::chmod((tree + "/a/b").c_str(), 0) == 0);  // root ignores it; others: an error

    std::vector<std::string> kept;
    auto r = cnt::store::remove_tree(tree, kept);
    if (::geteuid() == 0) {
        CHECK(r);
        CHECK_FALSE(exists(tree));
    } else {
        CHECK_FALSE(r);
        ::chmod((tree + "/a/b").c_str(), 0755);
    }
    CHECK(kept.empty());
    CHECK(exists(out + "/keep"));
}

TEST_CASE("remove_tree: missing path, a symlink as the top, refusals", "[store]") {
    TempDir t;
    std::vector<std::string> kept;
    CHECK(cnt::store::remove_tree(t.path + "/nothing", kept));
    CHECK_FALSE(cnt::store::remove_tree("/", kept));
    CHECK_FALSE(cnt::store::remove_tree("", kept));
    CHECK_FALSE(cnt::store::remove_tree(t.path + "/..", kept));

    std::string target = t.path + "/target";
    REQUIRE(::mkdir(target.c_str(), 0755) == 0);
    write(target + "/keep", "keep");
    REQUIRE(::symlink(target.c_str(), (t.path + "/top-link").c_str()) == 0);
    CHECK(cnt::store::remove_tree(t.path + "/top-link", kept));
    CHECK_FALSE(exists(t.path + "/top-link"));
    CHECK(exists(target + "/keep"));
    CHECK(kept.empty());
}

TEST_CASE("partial marker: locked while creating, cleaned up once its creator is gone", "[store]") {
    TempDir t;
    cnt::store::Paths p{t.path, "c1"};
    REQUIRE(::mkdir(p.dir().c_str(), 0770) == 0);
    CHECK(cnt::store::recover_partial(p).value() == false);  // no marker

    {
        auto m = cnt::store::Partial::create(p);
        REQUIRE(m);
        // OFD locks conflict between descriptors even inside one process.
        auto r = cnt::store::recover_partial(p);
        REQUIRE_FALSE(r);
        CHECK(r.error().message().find("being created") != std::string::npos);
        CHECK(exists(p.dir()));
        m->finish();
        CHECK_FALSE(exists(p.partial()));
        CHECK(cnt::store::recover_partial(p).value() == false);
    }

    // A marker nobody holds: its creator died; the half-made container goes.
    write(p.partial(), "");
    write(p.config(), "lxc.uts.name = c1\n");
    CHECK(cnt::store::recover_partial(p).value() == true);
    CHECK_FALSE(exists(p.dir()));
}

TEST_CASE("template lookup", "[store]") {
    CHECK_FALSE(cnt::store::template_path(""));
    CHECK_FALSE(cnt::store::template_path("/no/such/template"));
    auto r = cnt::store::template_path("/bin/sh");
    REQUIRE(r);
    CHECK(*r == "/bin/sh");
    auto e = cnt::store::template_path("/etc/passwd");
    REQUIRE_FALSE(e);
    CHECK(e.error().message().find("not executable") != std::string::npos);
}
