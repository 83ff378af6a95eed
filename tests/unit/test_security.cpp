#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cnt/security.hpp"

namespace sec = cnt::security;
namespace sc = cnt::security::seccomp;
using Caps = cnt::config::Caps;

TEST_CASE("capability name table round-trips", "[security]") {
    for (int c = 0; c <= 40; ++c) {
        auto n = sec::cap_name(c);
        REQUIRE(n != std::to_string(c));
        CHECK(sec::cap_from_name(n) == c);
    }
    CHECK(sec::cap_from_name("sys_admin") == 21);
    CHECK(sec::cap_from_name("mknod") == 27);
    CHECK(sec::cap_from_name("checkpoint_restore") == 40);
    CHECK_FALSE(sec::cap_from_name("SYS_ADMIN"));
    CHECK_FALSE(sec::cap_from_name("cap_sys_admin"));
    CHECK_FALSE(sec::cap_from_name("none"));
    CHECK_FALSE(sec::cap_from_name(""));
    CHECK(sec::cap_name(63) == "63");
    CHECK(sec::last_cap() >= 36);
    CHECK(sec::last_cap() < 64);
}

TEST_CASE("which capabilities remain under drop and keep", "[security]") {
    const int last = 40;
    auto all = sec::allowed_caps(Caps{}, last);
    CHECK(all.count() == 41);
    CHECK_FALSE(all.test(41));

    auto dropped = sec::allowed_caps(Caps{Caps::Mode::drop, {16, 27}}, last);
    CHECK(dropped.count() == 39);
    CHECK_FALSE(dropped.test(16));
    CHECK_FALSE(dropped.test(27));
    CHECK(dropped.test(21));

    auto kept = sec::allowed_caps(Caps{Caps::Mode::keep, {21, 0}}, last);
    CHECK(kept.count() == 2);
    CHECK(kept.test(21));
    CHECK(kept.test(0));

    // keep = none: an empty keep list allows nothing.
    CHECK(sec::allowed_caps(Caps{Caps::Mode::keep, {}}, last).none());
    // Caps the kernel does not have are never "allowed".
    CHECK(sec::allowed_caps(Caps{Caps::Mode::keep, {40}}, 38).none());
    CHECK(sec::allowed_caps(Caps{Caps::Mode::drop, {}}, 38).count() == 39);
}

namespace {
cnt::Result<sc::Policy> P(const std::string& s) { return sc::parse(s, "prof"); }
std::string err(const cnt::Result<sc::Policy>& r) {
    return r ? std::string("(ok)") : r.error().message();
}
}  // namespace

TEST_CASE("seccomp policy version 1", "[security][seccomp]") {
    auto p = P("1\nallowlist\n0\n1\n# comment\n\n60\n");
    REQUIRE(p);
    CHECK(p->version == 1);
    CHECK_FALSE(p->denylist);
    CHECK(p->default_action == sc::Action{sc::ActionKind::kill, 0});
    REQUIRE(p->rules.size() == 3);
    CHECK(p->rules[2].syscall == "60");
    CHECK(p->rules[2].line == 7);
    CHECK(p->rules[0].action == sc::Action{sc::ActionKind::allow, 0});
    CHECK(P("1\nwhitelist\n3\n"));
    CHECK(err(P("1\ndenylist\n3\n")) ==
          "prof:2: version 1 policies must be \"allowlist\", not \"denylist\"");
    CHECK(err(P("1\nallowlist\nread\n")) == "prof:3: expected a system call number, got \"read\"");
}

TEST_CASE("seccomp policy version 2", "[security][seccomp]") {
    auto p =
        P("2\n"
          "denylist\n"
          "reject_force_umount  # comment this to allow umount -f\n"
          "[all]\n"
          "kexec_load errno 1\n"
          "mknod errno 0\n"
          "[x86_64]\n"
          "mkdir errno 1\n"
          "[amd64]\n"
          "init_module\n"
          "ptrace trap\n"
          "[all]\n"
          "keyctl trace 7\n"
          "personality allow # ok\n"
          "ioctl errno 1 [1,0x5412,==]\n"
          "clone errno 38 [0, 0x10000000, &=, 0x10000000][1,2,SCMP_CMP_GT]\n");
    REQUIRE(p);
    CHECK(p->version == 2);
    CHECK(p->denylist);
    CHECK(p->default_action == sc::Action{sc::ActionKind::allow, 0});
    REQUIRE(p->rules.size() == 10);
    CHECK(p->rules[0].syscall == "reject_force_umount");
    CHECK(p->rules[0].action == sc::Action{sc::ActionKind::errno_, EACCES});
    CHECK(p->rules[1].arch == "");
    CHECK(p->rules[1].action == sc::Action{sc::ActionKind::errno_, 1});
    CHECK(p->rules[2].action == sc::Action{sc::ActionKind::errno_, 0});
    CHECK(p->rules[3].arch == "x86_64");
    CHECK(p->rules[3].line == 8);
    CHECK(p->rules[4].arch == "x86_64");
    CHECK(p->rules[4].action == sc::Action{sc::ActionKind::kill, 0});  // denylist's rule default
    CHECK(p->rules[5].action == sc::Action{sc::ActionKind::trap, 0});
    CHECK(p->rules[6].arch == "");
    CHECK(p->rules[6].action == sc::Action{sc::ActionKind::trace, 7});
    CHECK(p->rules[7].action == sc::Action{sc::ActionKind::allow, 0});
    REQUIRE(p->rules[8].args.size() == 1);
    CHECK(p->rules[8].args[0] == sc::ArgCmp{1, sc::Op::eq, 0x5412, 0});
    REQUIRE(p->rules[9].args.size() == 2);
    CHECK(p->rules[9].args[0] == sc::ArgCmp{0, sc::Op::masked_eq, 0x10000000, 0x10000000});
    CHECK(p->rules[9].args[1] == sc::ArgCmp{1, sc::Op::gt, 2, 0});
    CHECK(p->rules[9].action == sc::Action{sc::ActionKind::errno_, 38});

    auto a = P("2\nallowlist errno 38\nread\nwrite\n");
    REQUIRE(a);
    CHECK_FALSE(a->denylist);
    CHECK(a->default_action == sc::Action{sc::ActionKind::errno_, 38});
    CHECK(a->rules[0].action == sc::Action{sc::ActionKind::allow, 0});
    CHECK(P("2\nwhitelist\nread\n"));
    CHECK(P("2\nblacklist\nread errno 1\n"));
    CHECK(P("2\ndenylist\n"));
}

TEST_CASE("seccomp policy errors name file and line", "[security][seccomp]") {
    CHECK(err(P("")) == "prof:1: empty seccomp policy (expected a version, 1 or 2)");
    CHECK(err(P("3\nallowlist\n")) ==
          "prof:1: unsupported seccomp policy version \"3\" (expected 1 or 2)");
    CHECK(err(P("2\n")) == "prof:1: missing policy type line (allowlist or denylist)");
    CHECK(err(P("2\ngreylist\n")) ==
          "prof:2: unknown policy type \"greylist\" (expected allowlist or denylist)");
    CHECK(err(P("2\ndenylist\nread errno 1\nnosuchcall errno 1\n")) ==
          "prof:4: unknown system call \"nosuchcall\"");
    CHECK(err(P("2\ndenylist\nmkdir explode\n")) == "prof:3: unknown action \"explode\"");
    CHECK(err(P("2\ndenylist\nmkdir errno\n")) ==
          "prof:3: action \"errno\" needs one number 0..4095");
    CHECK(err(P("2\ndenylist\nmkdir errno 5000\n")) ==
          "prof:3: action \"errno\" needs one number 0..4095");
    CHECK(err(P("2\ndenylist\nmkdir kill now\n")) ==
          "prof:3: unexpected \"now\" after action \"kill\"");
    CHECK(err(P("2\ndenylist\nioctl notify\n")) ==
          "prof:3: action \"notify\" (for ioctl) is not supported");
    CHECK(err(P("2\ndenylist notify\n")) == "prof:2: action \"notify\" is not supported");
    CHECK(err(P("2\ndenylist\n[vax]\n")) == "prof:3: unknown architecture section [vax]");
    CHECK(err(P("2\ndenylist\nioctl errno 1 [7,1,==]\n")) ==
          "prof:3: argument index \"7\" must be 0..5");
    CHECK(err(P("2\ndenylist\nioctl errno 1 [1,1,=~]\n")) == "prof:3: unknown comparison \"=~\"");
    CHECK(err(P("2\ndenylist\nioctl errno 1 [1,1,&=]\n")) ==
          "prof:3: &= needs a mask: [index,value,&=,mask]");
    CHECK(err(P("2\ndenylist\nioctl errno 1 [1,1\n")) ==
          "prof:3: unterminated argument filter \"[1,1\"");
}

TEST_CASE("seccomp profiles compile with libseccomp", "[security][seccomp]") {
    char dir[] = "/tmp/cnt-sec-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    std::string path = std::string(dir) + "/p";
    auto compile = [&](const std::string& text) {
        std::ofstream(path) << text;
        return sec::Seccomp::compile(path);
    };
    CHECK(compile(
        "2\ndenylist\nreject_force_umount\n[all]\nkexec_load errno 1\nmkdir errno 1\n"
        "socketcall errno 1\n[x86_64]\nopen_by_handle_at errno 1\n[arm64]\nmkdirat errno 2\n"));
    CHECK(compile("2\nallowlist errno 38\nread\nwrite\nexit_group\npersonality allow\n"));
    CHECK(compile(
        "2\ndenylist\nioctl errno 1 [1,0x5412,==]\nclone errno 1 [0,268435456,&=,268435456]\n"));
    CHECK(compile("1\nallowlist\n0\n1\n60\n231\n"));
    CHECK(compile("2\nblacklist\n"));
    // One ordered comparison in two rules of a call, each in its own arch's filter.
    CHECK(compile(
        "2\ndenylist\n[x86_64]\nread kill [0,5,>][2,1,==]\n[x86]\nread kill [0,5,>][3,1,==]\n"));
    auto bad = compile("2\ndenylist\n\nnosuch errno 1\n");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message() == path + ":4: unknown system call \"nosuch\"");
    auto missing = sec::Seccomp::compile(std::string(dir) + "/absent");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().err == ENOENT);
    ::unlink(path.c_str());
    ::rmdir(dir);
}

TEST_CASE("seccomp cache: a program is stored by content, a bad file is replaced",
          "[security][seccomp]") {
    char dir[] = "/tmp/cnt-sec-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    std::string prof = std::string(dir) + "/p", cache = std::string(dir) + "/cache";
    std::ofstream(prof) << "2\ndenylist\n[all]\nmkdir errno 1\n";
    auto files = [&] {
        std::vector<std::string> v;
        for (auto& e : std::filesystem::directory_iterator(cache)) v.push_back(e.path());
        return v;
    };
    REQUIRE(cnt::security::Seccomp::compile(prof, cache));
    auto f = files();
    REQUIRE(f.size() == 1);
    auto size = std::filesystem::file_size(f[0]);
    CHECK(size % 8 == 0);
    // Not a whole number of instructions: ignored, compiled again and replaced.
    std::ofstream(f[0], std::ios::trunc) << "garbage";
    REQUIRE(cnt::security::Seccomp::compile(prof, cache));
    CHECK(std::filesystem::file_size(f[0]) == size);
    // Another profile, another file.
    std::ofstream(prof) << "2\ndenylist\n[all]\nrmdir errno 1\n";
    REQUIRE(cnt::security::Seccomp::compile(prof, cache));
    CHECK(files().size() == 2);
    std::filesystem::remove_all(dir);
}
