// Root-only: real cgroups below our own, with forked children as the "container".
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "cgroup/layout.hpp"
#include "cgroup/saved.hpp"
#include "cgroup/self_join.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/scope.hpp"
#include "ns/ns.hpp"

using namespace cnt;
using namespace std::chrono_literals;

namespace {
std::string unique_name(const char* what) { return cat("cnt-unit-", what, "-", ::getpid()); }

// A child made as init and cnt-attach's child are (ns::clone_child into the group's v2 leaf,
// then cgroup::SelfJoin: "0" into each v1 hierarchy's tasks file); it tells the parent it
// joined, then waits for one byte on a pipe before it runs fn. born_in_v2: whether clone3
// placed it in the v2 leaf.
template <class F>
pid_t spawn(int& go_fd, const cgroup::Group& g, F fn, bool* born_in_v2 = nullptr) {
    auto join = g.self_join();
    REQUIRE(join);
    int p[2], q[2];
    REQUIRE(::pipe(p) == 0);
    REQUIRE(::pipe(q) == 0);
    auto c = ns::clone_child(0, g.clone_fd(), "a test child");
    REQUIRE(c);
    if (c->pid == 0) {
        ::close(p[1]);
        ::close(q[0]);
        if (!join->join(c->in_cgroup)) _exit(98);
        char b = 'j';
        if (::write(q[1], &b, 1) != 1 || ::read(p[0], &b, 1) != 1) _exit(99);
        _exit(fn());
    }
    ::close(p[0]);
    ::close(q[1]);
    if (born_in_v2) *born_in_v2 = c->in_cgroup;
    char b = 0;
    CHECK(::read(q[0], &b, 1) == 1);  // joined
    CHECK(b == 'j');
    ::close(q[0]);
    go_fd = p[1];
    return c->pid;
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

TEST_CASE("cgroup group lifecycle: create, join, pids, save/open, kill, destroy",
          "[cgroup][root]") {
    config::CgroupSettings s;
    auto g = cgroup::Group::create(unique_name("life"), s);
    REQUIRE(g);
    auto& grp = *g;
    int fd;
    pid_t child = spawn(fd, grp, [] {
        for (;;) ::pause();
        return 0;
    });
    go(fd);
    auto pids = grp.pids();
    REQUIRE(pids);
    CHECK(*pids == std::vector<pid_t>{child});
    auto saved = grp.save();
    auto again = cgroup::Group::reopen(saved);
    REQUIRE(again);
    CHECK(again->pids().value() == std::vector<pid_t>{child});
    REQUIRE(again->kill_all());
    int st = wait_status(child);
    CHECK(WIFSIGNALED(st));
    CHECK(WTERMSIG(st) == SIGKILL);
    auto d = grp.destroy();
    INFO((d ? "" : d.error().message()));
    CHECK(d);
    for (const auto& [k, v] : cgroup::saved_keys(saved))
        if (k == "v2" || (k.rfind("v1.", 0) == 0 && k.find('.', 3) == std::string::npos))
            CHECK(::access(v.c_str(), F_OK) != 0);
}

// A start clones init between the two steps (init is born in the cgroup2 leaf), then makes
// the v1 directories while init builds its filesystem.
TEST_CASE("cgroup begin makes only the cgroup a clone needs, complete the rest", "[cgroup][root]") {
    auto g = cgroup::Group::begin(unique_name("begin"), {});
    REQUIRE(g);
    scope_exit cleanup([&] { (void)g->destroy(); });
    auto before = g->placements();
    CHECK(before.size() == (g->clone_fd() >= 0 ? 1u : 0u));
    for (const auto& p : before) {
        CHECK(p.label.empty());  // cgroup2
        CHECK(::access(p.path.c_str(), F_OK) == 0);
    }
    REQUIRE(g->complete({}));
    auto after = g->placements();
    // Every hierarchy this process is in (one /proc/self/cgroup line each) has the leaf now.
    std::ifstream in("/proc/self/cgroup");
    size_t lines = 0;
    for (std::string l; std::getline(in, l);) ++lines;
    CHECK(after.size() == lines);
    for (const auto& p : after) CHECK(::access(p.path.c_str(), F_OK) == 0);
    REQUIRE(g->destroy());
    for (const auto& p : after) CHECK(::access(p.path.c_str(), F_OK) != 0);
}

// As init and cnt-attach's child (spawn): born in the v2 leaf, "0" into each v1 tasks file.
TEST_CASE("cgroup self join: a child cloned into the v2 leaf joins every hierarchy itself",
          "[cgroup][root]") {
    auto g = cgroup::Group::create(unique_name("self"), {});
    REQUIRE(g);
    auto places = g->placements();
    REQUIRE(!places.empty());
    // The inner cgroup: "/<container's cgroup>/.cnt".
    const std::string& inner = places.front().path;
    std::string leaf = inner.substr(inner.rfind('/', inner.rfind('/') - 1));
    CHECK(leaf.ends_with("/.cnt"));
    int fd;
    bool born_in_v2 = false;
    pid_t child = spawn(
        fd, *g, [] { return 0; }, &born_in_v2);
    // Whatever fails below, the child and the group go.
    scope_exit cleanup([&] {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        (void)g->destroy();
    });
    CHECK(born_in_v2 == (g->clone_fd() >= 0));
    // In every hierarchy of the group (v1 and cgroup2) the child sits in the container's leaf.
    std::ifstream in(cat("/proc/", child, "/cgroup"));
    std::string line, all;
    size_t n = 0;
    while (std::getline(in, line)) {
        all += line + "\n";
        if (line.size() > leaf.size() &&
            line.compare(line.size() - leaf.size(), leaf.size(), leaf) == 0)
            ++n;
    }
    INFO(all);
    CHECK(n == places.size());
    CHECK(g->pids().value_or(std::vector<pid_t>{}) == std::vector<pid_t>{child});
    go(fd);
    CHECK(wait_status(child) == 0);
    cleanup.dismiss();
    auto d = g->destroy();
    INFO((d ? "" : d.error().message()));
    CHECK(d);
}

TEST_CASE("cgroup freeze stops a counting child and thaw resumes it", "[cgroup][root]") {
    auto g = cgroup::Group::create(unique_name("frz"), {});
    REQUIRE(g);
    auto& grp = *g;
    // The child counts into a shared file we can read.
    char path[] = "/tmp/cnt-unit-counterXXXXXX";
    int tfd = ::mkstemp(path);
    REQUIRE(tfd >= 0);
    int fd;
    pid_t child = spawn(fd, grp, [tfd] {
        for (unsigned long n = 0;; ++n) {
            if (n % 100000 == 0) ::pwrite(tfd, &n, sizeof n, 0);
        }
        return 0;
    });
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

namespace {
config::CgroupEntry E(std::string k, std::string v) {
    return {std::move(k), std::move(v), {"test.conf", 1}};
}

// Run fn in a child placed in a fresh group with settings s; returns the wait status.
template <class F>
int run_in_group(const char* tag, const config::CgroupSettings& s, F fn) {
    auto g = cgroup::Group::create(unique_name(tag), s);  // with its limits (Group::complete)
    INFO((g ? "" : g.error().message()));
    REQUIRE(g);
    int fd;
    pid_t child = spawn(fd, *g, fn);
    go(fd);
    int st = wait_status(child);
    (void)g->kill_all();
    CHECK(g->destroy());
    return st;
}

int open_errno(const char* path) {
    int fd = ::open(path, O_RDONLY);
    if (fd >= 0) {
        ::close(fd);
        return 0;
    }
    return errno;
}
}  // namespace

TEST_CASE("cgroup memory limit: a child allocating past it is OOM-killed", "[cgroup][root]") {
    config::CgroupSettings s;
    s.v1 = {E("memory.limit_in_bytes", "32M")};
    int st = run_in_group("mem", s, [] {
        size_t n = 64u << 20;
        volatile char* p = static_cast<volatile char*>(::malloc(n));
        if (!p) return 3;
        for (size_t i = 0; i < n; i += 4096) p[i] = 1;
        return 0;
    });
    CHECK(WIFSIGNALED(st));
    CHECK(WTERMSIG(st) == SIGKILL);
    // and the same limit under 32M is fine
    st = run_in_group("mem2", s, [] {
        size_t n = 8u << 20;
        volatile char* p = static_cast<volatile char*>(::malloc(n));
        for (size_t i = 0; i < n; i += 4096) p[i] = 1;
        return 0;
    });
    CHECK(WIFEXITED(st));
}

TEST_CASE("cgroup2 memory.max on a hybrid host is translated to the v1 controller",
          "[cgroup][root]") {
    auto host = cgroup::probe();
    REQUIRE(host);
    if (host->kind() != "hybrid") return;
    config::CgroupSettings s;
    s.v2 = {E("memory.max", "16M"), E("pids.max", "20")};
    auto g = cgroup::Group::create(unique_name("xlat"), s);
    REQUIRE(g);
    auto a = g->apply(s);
    INFO((a ? "" : a.error().message()));
    CHECK(a);
    auto saved = g->save();
    std::string mem;
    for (const auto& [k, v] : cgroup::saved_keys(saved))
        if (v.find("/sys/fs/cgroup/memory/") == 0) mem = v;
    REQUIRE(!mem.empty());
    std::ifstream in(mem + "/memory.limit_in_bytes");
    uint64_t lim = 0;
    in >> lim;
    CHECK(lim == 16u << 20);
    CHECK(g->destroy());
}

TEST_CASE("cgroup pids.max: the fork past the limit fails", "[cgroup][root]") {
    config::CgroupSettings s;
    s.v1 = {E("pids.max", "10")};
    int st = run_in_group("pids", s, [] {
        // We are 1 of 10: 9 more forks succeed, the 10th fails with EAGAIN.
        int ok = 0;
        for (int i = 0; i < 10; ++i) {
            pid_t p = ::fork();
            if (p == 0) {
                ::pause();
                _exit(0);
            }
            if (p < 0) return ok == 9 && errno == EAGAIN ? 0 : 10 + ok;
            ++ok;
        }
        return 2;
    });
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("cgroup cpuset.cpus restricts the child's CPUs", "[cgroup][root]") {
    if (std::thread::hardware_concurrency() < 2) return;
    config::CgroupSettings s;
    s.v1 = {E("cpuset.cpus", "1")};
    int st = run_in_group("cpuset", s, [] {
        std::ifstream in("/proc/self/status");
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("Cpus_allowed_list:", 0) == 0)
                return line.substr(line.find_last_of("\t ") + 1) == "1" ? 0 : 1;
        return 2;
    });
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("cgroup device rules (v1 files and cgroup2 BPF)", "[cgroup][root]") {
    auto body = [] {
        int a = open_errno("/dev/null");
        int b = open_errno("/dev/zero");
        return a == 0 && b == EPERM ? 0 : 1;
    };
    SECTION("v1 devices controller") {
        config::CgroupSettings s;
        s.v1 = {E("devices.deny", "a"), E("devices.allow", "c 1:3 rwm")};
        int st = run_in_group("devv1", s, body);
        CHECK(WIFEXITED(st));
        CHECK(WEXITSTATUS(st) == 0);
    }
    SECTION("cgroup2 device program") {
        config::CgroupSettings s;
        s.v2 = {E("devices.deny", "a"), E("devices.allow", "c 1:3 rwm")};
        int st = run_in_group("devv2", s, body);
        CHECK(WIFEXITED(st));
        CHECK(WEXITSTATUS(st) == 0);
        // applying again replaces our program rather than stacking a second one
        auto g = cgroup::Group::create(unique_name("devv2b"), s);
        REQUIRE(g);
        REQUIRE(g->apply(s));
        s.v2 = {E("devices.allow", "a")};
        REQUIRE(g->apply(s));
        int fd;
        pid_t child = spawn(fd, *g, [] { return open_errno("/dev/zero") == 0 ? 0 : 1; });
        go(fd);
        int st2 = wait_status(child);
        CHECK(WIFEXITED(st2));
        CHECK(WEXITSTATUS(st2) == 0);
        CHECK(g->destroy());
    }
}

TEST_CASE("cgroup apply errors name the key, file and config location", "[cgroup][root]") {
    auto g = cgroup::Group::create(unique_name("err"), {});
    REQUIRE(g);
    config::CgroupSettings s;
    s.v1 = {E("memory.no_such_file", "1")};
    auto r = g->apply(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().err == ENOENT);
    CHECK(r.error().object == "test.conf:1");
    CHECK(r.error().step.find("lxc.cgroup.memory.no_such_file") != std::string::npos);
    s.v1 = {E("pids.max", "lots")};
    r = g->apply(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().err == EINVAL);
    CHECK(r.error().message().find("pids.max") != std::string::npos);
    s.v1 = {E("nosuchctrl.x", "1")};
    CHECK_FALSE(g->apply(s));
    CHECK(g->destroy());
}

TEST_CASE("cgroup stats of a group", "[cgroup][root]") {
    auto g = cgroup::Group::create(unique_name("stats"), {});
    REQUIRE(g);
    int fd;
    pid_t child = spawn(fd, *g, [] {
        volatile unsigned long x = 0;
        for (unsigned long i = 0; i < 50000000; ++i) x = x + i;
        std::vector<char> v(4u << 20, 1);
        ::pause();
        return 0;
    });
    go(fd);
    cgroup::Stats st;
    for (int i = 0; i < 500; ++i) {
        st = g->stats().value();
        if (st.memory_bytes >= (4u << 20)) break;
        std::this_thread::sleep_for(10ms);
    }
    CHECK(st.has_cpu);
    CHECK(st.cpu_ns > 0);
    CHECK(st.has_memory);
    CHECK(st.memory_bytes >= (4u << 20));
    (void)g->kill_all();
    wait_status(child);
    CHECK(g->destroy());
}

TEST_CASE("cgroup directories from lxc.cgroup.dir and lxc.cgroup.dir.container(.inner)",
          "[cgroup][root]") {
    auto leaves = [](const store::KeyValues& kv) {
        std::vector<std::pair<std::string, std::string>> out;  // leaf, top
        for (const auto& [k, v] : kv)
            if (k == "v2" || (k.rfind("v1.", 0) == 0 && k.find('.', 3) == std::string::npos))
                out.emplace_back(v, kv.at(k + ".top"));
        return out;
    };
    std::string top = unique_name("dir");
    config::CgroupSettings s;
    s.dir = top + "/sub";
    auto g = cgroup::Group::create("c1", s);
    REQUIRE(g);
    auto l = leaves(cgroup::saved_keys(g->save()));
    REQUIRE(!l.empty());
    for (const auto& [leaf, t] : l) {
        CHECK(leaf.ends_with("/" + top + "/sub/cnt.payload.c1"));
        CHECK(t.ends_with("/" + top));  // the first directory we made: destroy removes it all
    }
    // a second group for the same container while the first holds a process: refused
    // (an empty leaf left behind by a crash is reused)
    int fd;
    pid_t child = spawn(fd, *g, [] {
        for (;;) ::pause();
        return 0;
    });
    go(fd);
    auto dup = cgroup::Group::create("c1", s);
    CHECK_FALSE(dup);
    if (!dup) CHECK(dup.error().err == EEXIST);
    REQUIRE(g->kill_all());
    wait_status(child);
    CHECK(g->destroy());
    for (const auto& [leaf, t] : l) CHECK(::access(t.c_str(), F_OK) != 0);

    config::CgroupSettings c;
    c.dir_container = top + "/payload";
    c.dir_container_inner = "inner";
    g = cgroup::Group::create("c2", c);
    REQUIRE(g);
    // The limits' cgroup is lxc.cgroup.dir.container; the processes go to .inner below it.
    for (const auto& [leaf, t] : leaves(cgroup::saved_keys(g->save())))
        CHECK(leaf.ends_with("/" + top + "/payload"));
    for (const auto& p : g->placements()) CHECK(p.path.ends_with("/" + top + "/payload/inner"));
    CHECK(g->destroy());

    config::CgroupSettings bad;
    bad.dir = "../escape";
    CHECK_FALSE(cgroup::Group::create("c3", bad));
    bad.dir = "a/../../b";
    CHECK_FALSE(cgroup::Group::create("c3", bad));
}

TEST_CASE("cgroup v1 paths: freezer.state and the freeze/kill/thaw loop", "[cgroup][root]") {
    auto g = cgroup::Group::create(unique_name("v1only"), {});
    REQUIRE(g);
    auto saved = g->save();
    if (saved.v1.empty()) return;  // pure cgroup2 host
    // The same group seen as on a v1-only host: no cgroup2 leaf.
    auto v1saved = saved;
    v1saved.v2.clear();
    v1saved.v2_top.clear();
    auto v1 = cgroup::Group::reopen(v1saved);
    REQUIRE(v1);
    CHECK(v1->clone_fd() == -1);
    int fd;
    pid_t child = spawn(fd, *v1, [] {
        for (int i = 0; i < 3; ++i)
            if (::fork() == 0) break;  // a few descendants for the kill loop
        for (;;) ::pause();
        return 0;
    });
    go(fd);
    auto f = v1->freeze(5s);
    INFO((f ? "" : f.error().message()));
    REQUIRE(f);
    CHECK(v1->freezer_state().value() == cgroup::FreezerState::frozen);
    REQUIRE(v1->thaw(5s));
    CHECK(v1->freezer_state().value() == cgroup::FreezerState::thawed);
    REQUIRE(v1->freeze(5s));
    REQUIRE(v1->kill_all());  // frozen v1 tasks only die once thawed: the loop thaws
    int st = wait_status(child);
    CHECK(WIFSIGNALED(st));
    for (int i = 0; i < 200 && !v1->pids().value().empty(); ++i) std::this_thread::sleep_for(5ms);
    CHECK(v1->pids().value().empty());
    CHECK(g->destroy());
}

TEST_CASE("cgroup2 device program with access-limited rules passes the verifier and acts",
          "[cgroup][root]") {
    auto errno_of = [](const char* path, int flags) {
        int fd = ::open(path, flags);
        if (fd >= 0) return ::close(fd), 0;
        return errno;
    };
    SECTION("denylist: /dev/zero readable, not writable") {
        config::CgroupSettings s;
        s.v2 = {E("devices.allow", "a"), E("devices.deny", "c 1:5 w")};
        int st = run_in_group("bpfdeny", s, [&] {
            return errno_of("/dev/zero", O_RDONLY) == 0 &&
                           errno_of("/dev/zero", O_WRONLY) == EPERM &&
                           errno_of("/dev/null", O_RDWR) == 0
                       ? 0
                       : 1;
        });
        CHECK(WIFEXITED(st));
        CHECK(WEXITSTATUS(st) == 0);
    }
    SECTION("allowlist: /dev/null read-only") {
        config::CgroupSettings s;
        s.v2 = {E("devices.allow", "c 1:3 r")};
        int st = run_in_group("bpfallow", s, [&] {
            return errno_of("/dev/null", O_RDONLY) == 0 &&
                           errno_of("/dev/null", O_WRONLY) == EPERM &&
                           errno_of("/dev/zero", O_RDONLY) == EPERM
                       ? 0
                       : 1;
        });
        CHECK(WIFEXITED(st));
        CHECK(WEXITSTATUS(st) == 0);
    }
}

// The container's processes live in the inner cgroup; the limits sit on the container's cgroup
// above it, and hold for the whole subtree. A child that raises the inner cgroup's own limit
// (what a container that mounts cgroupfs can reach) gains nothing.
TEST_CASE("cgroup inner: processes below the limits, which the inner cgroup cannot raise",
          "[cgroup][root]") {
    config::CgroupSettings s;
    s.v1 = {E("pids.max", "10")};
    auto g = cgroup::Group::create(unique_name("inner"), s);
    INFO((g ? "" : g.error().message()));
    REQUIRE(g);
    auto saved = g->save();
    CHECK(saved.inner == ".cnt");
    std::string outer;
    for (const auto& [k, v] : cgroup::saved_keys(saved))
        if (v.find("/sys/fs/cgroup/pids/") == 0) outer = v;
    if (outer.empty()) {  // no v1 pids hierarchy
        CHECK(g->destroy());
        return;
    }
    auto read = [](const std::string& f) {
        std::ifstream in(f);
        std::string v;
        in >> v;
        return v;
    };
    CHECK(read(outer + "/pids.max") == "10");
    CHECK(read(outer + "/.cnt/pids.max") == "max");
    std::string inner_max = outer + "/.cnt/pids.max";
    int fd;
    pid_t child = spawn(fd, *g, [inner_max] {
        int w = ::open(inner_max.c_str(), O_WRONLY);
        if (w < 0 || ::write(w, "1000", 4) != 4) return 20;
        ::close(w);
        int ok = 0;
        for (int i = 0; i < 20; ++i) {
            pid_t p = ::fork();
            if (p == 0) {
                ::pause();
                _exit(0);
            }
            if (p < 0) return ok == 9 && errno == EAGAIN ? 0 : 10 + ok;
            ++ok;
        }
        return 2;
    });
    // In the inner cgroup in every hierarchy; pids() of the group finds it there.
    std::ifstream in(cat("/proc/", child, "/cgroup"));
    size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.ends_with("/.cnt");
    CHECK(n == g->placements().size());
    CHECK(g->pids().value_or(std::vector<pid_t>{}) == std::vector<pid_t>{child});
    go(fd);
    int st = wait_status(child);
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
    CHECK(read(outer + "/pids.max") == "10");
    REQUIRE(g->kill_all());
    CHECK(g->destroy());
    CHECK(::access(outer.c_str(), F_OK) != 0);
}

// A run state saved before inner cgroups (no "inner" key): joining goes to the container's
// cgroup itself, as it did then.
TEST_CASE("cgroup inner: a state saved without it joins the container's cgroup", "[cgroup][root]") {
    auto g = cgroup::Group::create(unique_name("noinner"), {});
    REQUIRE(g);
    auto saved = g->save();
    saved.inner.clear();
    auto old = cgroup::Group::reopen(saved);
    REQUIRE(old);
    auto j = old->self_join();
    REQUIRE(j);
    for (const auto& f : j->v1) CHECK_FALSE(f.dir.ends_with("/.cnt"));
    if (j->v2.fd) CHECK(j->v2.dir == saved.v2);
    j = g->self_join();
    REQUIRE(j);
    for (const auto& f : j->v1) CHECK(f.dir.ends_with("/.cnt"));
    CHECK(g->destroy());
}
