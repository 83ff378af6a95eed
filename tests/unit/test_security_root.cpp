// Applies the security settings in a forked child (root only) and checks them from
// /proc/self/status and by trying what they forbid. Tagged [root]: run by `make check-unit-root`.
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "cnt/security.hpp"

namespace sec = cnt::security;
using Caps = cnt::config::Caps;

namespace {

// Run `body` in a child; its return value (0 = success) becomes the exit status.
int in_child(const std::function<int()>& body) {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(body());
    int st = 0;
    ::waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

std::string status_field(const std::string& key) {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(key + ":", 0) == 0) {
            auto v = line.substr(key.size() + 1);
            return v.substr(v.find_first_not_of(" \t"));
        }
    return {};
}

uint64_t status_mask(const std::string& key) { return std::stoull(status_field(key), nullptr, 16); }

}  // namespace

TEST_CASE("cap.drop removes caps from bounding and effective sets", "[root][security]") {
    CHECK(in_child([] {
              auto r = sec::apply_caps(Caps{Caps::Mode::drop, {27, 16}});
              if (!r) return 2;
              uint64_t bnd = status_mask("CapBnd"), eff = status_mask("CapEff");
              if (bnd & ((1ull << 27) | (1ull << 16))) return 3;
              if (eff & (1ull << 27)) return 4;
              if (!(bnd & (1ull << 21))) return 5;
              // mknod of a device needs CAP_MKNOD.
              if (::mknod("/tmp/cnt-sec-test-null", S_IFCHR | 0600, makedev(1, 3)) == 0) {
                  ::unlink("/tmp/cnt-sec-test-null");
                  return 6;
              }
              return errno == EPERM ? 0 : 7;
          }) == 0);
}

TEST_CASE("cap.keep keeps only the listed caps; keep none drops all", "[root][security]") {
    CHECK(in_child([] {
              if (!sec::apply_caps(Caps{Caps::Mode::keep, {21, 0}})) return 2;
              uint64_t want = (1ull << 21) | 1ull;
              if (status_mask("CapBnd") != want) return 3;
              if (status_mask("CapEff") != want || status_mask("CapPrm") != want) return 4;
              return 0;
          }) == 0);
    CHECK(in_child([] {
              if (!sec::apply_caps(Caps{Caps::Mode::keep, {}})) return 2;
              if (status_mask("CapBnd") != 0 || status_mask("CapEff") != 0) return 3;
              return 0;
          }) == 0);
}

TEST_CASE("prlimits, proc and no_new_privs", "[root][security]") {
    CHECK(in_child([] {
              cnt::config::Prlimit l{"nofile", RLIMIT_NOFILE, 123, 456};
              cnt::config::Prlimit c{"core", RLIMIT_CORE, RLIM_INFINITY, RLIM_INFINITY};
              if (!sec::apply_prlimits({l, c})) return 2;
              struct rlimit rl {};
              ::getrlimit(RLIMIT_NOFILE, &rl);
              if (rl.rlim_cur != 123 || rl.rlim_max != 456) return 3;
              ::getrlimit(RLIMIT_CORE, &rl);
              if (rl.rlim_cur != RLIM_INFINITY) return 4;
              if (!sec::apply_proc({{"oom_score_adj", "500"}})) return 5;
              std::ifstream f("/proc/self/oom_score_adj");
              int v = 0;
              f >> v;
              if (v != 500) return 6;
              if (status_field("NoNewPrivs") != "0") return 7;
              if (!sec::set_no_new_privs()) return 8;
              if (status_field("NoNewPrivs") != "1") return 9;
              auto bad = sec::apply_proc({{"no_such_file", "1"}});
              if (bad || bad.error().err != ENOENT) return 10;
              if (sec::apply_proc({{"../1/oom_score_adj", "1"}})) return 11;
              return 0;
          }) == 0);
}

TEST_CASE("sysctls are written under /proc/sys in a fresh uts namespace", "[root][security]") {
    CHECK(in_child([] {
              if (::unshare(CLONE_NEWUTS) != 0) return 2;
              if (!sec::apply_sysctls({{"kernel.hostname", "cnt-sec-test"}})) return 3;
              char h[64] = {};
              ::gethostname(h, sizeof h);
              if (std::string(h) != "cnt-sec-test") return 4;
              auto bad = sec::apply_sysctls({{"kernel.no_such_key", "1"}});
              if (bad) return 5;
              if (bad.error().message().find("kernel.no_such_key") == std::string::npos) return 6;
              if (sec::apply_sysctls({{"kernel..hostname", "x"}})) return 7;
              return 0;
          }) == 0);
}

TEST_CASE("a loaded seccomp denylist returns the configured errno", "[root][security][seccomp]") {
    char dir[] = "/tmp/cnt-sec-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    std::string prof = std::string(dir) + "/p";
    std::ofstream(prof) << "2\ndenylist\n[all]\nmkdir errno 1\nmkdirat errno 1\n"
                           "[x86_64]\nsethostname errno 38\n";
    // Compiled, compiled and stored in a cache, and read back from that cache.
    std::string cache = std::string(dir) + "/cache";
    int mode = GENERATE(0, 1, 2);
    if (mode == 2) REQUIRE(sec::Seccomp::compile(prof, cache));
    auto f = sec::Seccomp::compile(prof, mode ? cache : std::string());
    REQUIRE(f);
    std::string target = std::string(dir) + "/x";
    CHECK(in_child([&] {
              if (!(*f)->load()) return 2;
              if (::mkdir(target.c_str(), 0700) == 0) return 3;
              if (errno != EPERM) return 4;
              if (::sethostname("x", 1) == 0 || errno != ENOSYS) return 5;
              // Filters survive into what the child execs; seccomp mode 2 = filter.
              return status_field("Seccomp") == "2" ? 0 : 6;
          }) == 0);
    // Loading after dropping CAP_SYS_ADMIN without no_new_privs is refused by the kernel.
    CHECK(in_child([&] {
              if (!sec::apply_caps(Caps{Caps::Mode::drop, {21}})) return 2;
              auto r = (*f)->load();
              return !r && r.error().err == EACCES ? 0 : 3;
          }) == 0);
    CHECK(in_child([&] {
              if (!sec::apply_caps(Caps{Caps::Mode::drop, {21}})) return 2;
              if (!sec::set_no_new_privs()) return 3;
              return (*f)->load() ? 0 : 4;
          }) == 0);
    ::rmdir(target.c_str());
    ::unlink(prof.c_str());
    std::filesystem::remove_all(dir);
}

TEST_CASE("bounding set dropped before setuid; apply_caps after it needs no privilege",
          "[root][security]") {
    CHECK(in_child([] {
              Caps c{Caps::Mode::drop, {27, 16}};
              if (!sec::drop_bounding_set(c)) return 2;
              if (::setresuid(65534, 65534, 65534) != 0) return 3;
              if (!sec::apply_caps(c)) return 4;
              uint64_t bnd = status_mask("CapBnd");
              if (bnd & ((1ull << 27) | (1ull << 16))) return 5;
              if (status_mask("CapEff") != 0) return 6;
              return 0;
          }) == 0);
    // Without the early drop the kernel refuses: CAP_SETPCAP went away with the uid change.
    CHECK(in_child([] {
              if (::setresuid(65534, 65534, 65534) != 0) return 3;
              auto r = sec::apply_caps(Caps{Caps::Mode::drop, {27}});
              return !r && r.error().err == EPERM ? 0 : 4;
          }) == 0);
}
