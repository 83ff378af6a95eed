// Root-only: real cgroups below our own, with forked children as the "container".
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "cnt/cgroup.hpp"

using namespace cnt;
using namespace std::chrono_literals;

namespace {
std::string unique_name(const char* what) { return cat("cnt-unit-", what, "-", ::getpid()); }

// A child that waits for one byte on a pipe (so the parent can move it first), then runs fn.
template <class F>
pid_t spawn(int& go_fd, F fn) {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(p[1]);
        char c;
        if (::read(p[0], &c, 1) != 1) _exit(99);
        _exit(fn());
    }
    ::close(p[0]);
    go_fd = p[1];
    return pid;
}
void go(int fd) {
    REQUIRE(::write(fd, "x", 1) == 1);
    ::close(fd);
}
int wait_status(pid_t pid) {
    int st = 0;
    ::waitpid(pid, &st, 0);
    return st;
}
}  // namespace

TEST_CASE("cgroup group lifecycle: create, enter, pids, save/open, kill, destroy", "[cgroup][root]") {
    auto drv = cgroup::Driver::get();
    REQUIRE(drv);
    config::CgroupSettings s;
    auto g = (*drv)->create(unique_name("life"), s);
    REQUIRE(g);
    auto& grp = **g;
    int fd;
    pid_t child = spawn(fd, [] { for (;;) ::pause(); return 0; });
    REQUIRE(grp.enter(child));
    go(fd);
    auto pids = grp.pids();
    REQUIRE(pids);
    CHECK(*pids == std::vector<pid_t>{child});
    auto saved = grp.save();
    auto again = (*drv)->open(saved);
    REQUIRE(again);
    CHECK((*again)->pids().value() == std::vector<pid_t>{child});
    REQUIRE((*again)->kill_all());
    int st = wait_status(child);
    CHECK(WIFSIGNALED(st));
    CHECK(WTERMSIG(st) == SIGKILL);
    auto d = grp.destroy();
    INFO((d ? "" : d.error().message()));
    CHECK(d);
    for (const auto& [k, v] : saved)
        if (k == "v2" || (k.rfind("v1.", 0) == 0 && k.find('.', 3) == std::string::npos))
            CHECK(::access(v.c_str(), F_OK) != 0);
}

TEST_CASE("cgroup freeze stops a counting child and thaw resumes it", "[cgroup][root]") {
    auto drv = cgroup::Driver::get();
    REQUIRE(drv);
    auto g = (*drv)->create(unique_name("frz"), {});
    REQUIRE(g);
    auto& grp = **g;
    // The child counts into a shared file we can read.
    char path[] = "/tmp/cnt-unit-counterXXXXXX";
    int tfd = ::mkstemp(path);
    REQUIRE(tfd >= 0);
    int fd;
    pid_t child = spawn(fd, [tfd] {
        for (unsigned long n = 0;; ++n) {
            if (n % 100000 == 0) ::pwrite(tfd, &n, sizeof n, 0);
        }
        return 0;
    });
    REQUIRE(grp.enter(child));
    go(fd);
    auto read_count = [&] {
        unsigned long n = 0;
        ::pread(tfd, &n, sizeof n, 0);
        return n;
    };
    while (read_count() == 0) std::this_thread::sleep_for(1ms);
    auto f = grp.freeze(5s);
    INFO((f ? "" : f.error().message()));
    REQUIRE(f);
    CHECK(grp.freezer_state().value() == cgroup::FreezerState::frozen);
    auto a = read_count();
    std::this_thread::sleep_for(50ms);
    CHECK(read_count() == a);
    REQUIRE(grp.thaw(5s));
    CHECK(grp.freezer_state().value() == cgroup::FreezerState::thawed);
    while (read_count() == a) std::this_thread::sleep_for(1ms);
    CHECK(read_count() > a);
    REQUIRE(grp.kill_all());
    wait_status(child);
    ::close(tfd);
    ::unlink(path);
    CHECK(grp.destroy());
}
