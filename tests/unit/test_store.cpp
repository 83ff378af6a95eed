#include <dirent.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cnt/state.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"

using cnt::store::validate_name;

TEST_CASE("container names", "[store]") {
    CHECK(validate_name("web1"));
    CHECK(validate_name("a.b_c-d"));
    CHECK(validate_name(std::string(64, 'x')));
    CHECK_FALSE(validate_name(std::string(65, 'x')));
    CHECK_FALSE(validate_name(""));
    CHECK_FALSE(validate_name("."));
    CHECK_FALSE(validate_name(".."));
    CHECK_FALSE(validate_name("a/b"));
    CHECK_FALSE(validate_name("-x"));
    CHECK_FALSE(validate_name(".hidden"));
    CHECK_FALSE(validate_name("a\nb"));
    CHECK(validate_name("a/b").error().message().find("'/'") != std::string::npos);
}

TEST_CASE("key=value state files round-trip", "[store]") {
    cnt::store::KeyValues kv{{"init_pid", "42"}, {"state", "RUNNING"}};
    CHECK(cnt::store::parse_kv(cnt::store::format_kv(kv)) == kv);
}

TEST_CASE("run-dir files are created and replaced whole, with no temp file left", "[store]") {
    char tmpl[] = "/tmp/cnt-unit-store.XXXXXX";
    REQUIRE(::mkdtemp(tmpl));
    const std::string dir = tmpl, f = dir + "/state";
    REQUIRE(cnt::store::write_volatile(f, "state=STARTING\n", 0600));
    REQUIRE(cnt::store::read_file(f).value() == "state=STARTING\n");
    REQUIRE(cnt::store::write_volatile(f, "state=RUNNING\n", 0600));  // replaces (exchange)
    CHECK(cnt::store::read_file(f).value() == "state=RUNNING\n");
    struct stat st {};
    REQUIRE(::stat(f.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    REQUIRE(cnt::store::write_atomic(dir + "/note", "x\n", 0644));
    int entries = 0;
    for (DIR* d = ::opendir(dir.c_str()); d;) {
        dirent* e = ::readdir(d);
        if (!e) {
            ::closedir(d);
            break;
        }
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++entries;
    }
    CHECK(entries == 2);  // state and note: the temp files are gone
    ::unlink(f.c_str());
    ::unlink((dir + "/note").c_str());
    ::rmdir(dir.c_str());
}

// /proc/PID/stat: the state letter and start time, whatever the command name holds.
TEST_CASE("process_stat reads the state and start time past any comm", "[store]") {
    char old[17] = {};
    ::prctl(PR_GET_NAME, old);
    ::prctl(PR_SET_NAME, "a) b (c) d");
    auto st = cnt::store::process_stat(::getpid());
    ::prctl(PR_SET_NAME, old);
    REQUIRE(st);
    CHECK(st->state == 'R');
    // Field 22 read independently: the token after the 19th space past the last ')'.
    auto text = cnt::store::read_file(cnt::cat("/proc/", ::getpid(), "/stat"));
    REQUIRE(text);
    std::string rest = text->substr(text->rfind(')') + 2);
    for (int i = 3; i < 22; ++i) rest = rest.substr(rest.find(' ') + 1);
    CHECK(st->start == std::stoull(rest.substr(0, rest.find(' '))));
    CHECK(st->start != 0);
    CHECK(cnt::store::process_start_time(::getpid()) == st->start);
    CHECK_FALSE(cnt::store::process_stat(0x3fffffff));
}

TEST_CASE("stat_field counts fields after the last ')'", "[store]") {
    std::string line = "42 (a) b (c) d) S 1 42 42 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 987654\n";
    CHECK(cnt::store::stat_field(line, 3) == "S");
    CHECK(cnt::store::stat_field(line, 4) == "1");
    CHECK(cnt::store::stat_field(line, 22) == "987654");  // the last field: no newline kept
    CHECK_FALSE(cnt::store::stat_field(line, 23));
    CHECK_FALSE(cnt::store::stat_field(line, 2));
    CHECK_FALSE(cnt::store::stat_field("no paren here", 3));
}

TEST_CASE("split and words skip empty words, as the streams they replace", "[store]") {
    using V = std::vector<std::string_view>;
    CHECK(cnt::split("cpu,cpuacct", ",") == V{"cpu", "cpuacct"});
    CHECK(cnt::split(",,a,,b,", ",") == V{"a", "b"});
    CHECK(cnt::split("", ",").empty());
    CHECK(cnt::split("one", ",") == V{"one"});
    CHECK(cnt::words("  cpuset cpu\tio\nmemory \n") == V{"cpuset", "cpu", "io", "memory"});
    CHECK(cnt::words("\n").empty());
    CHECK(cnt::split("a\n\nb\n", "\n") == V{"a", "b"});
}

TEST_CASE("run state: written and read back whole; unknown keys ignored", "[store]") {
    auto dir =
        std::filesystem::temp_directory_path() / ("cnt-unit-rs-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "lxc");
    cnt::store::Paths p{(dir / "lxc").string(), "rs1"};
    // The run dir comes from the suite's config (cached per process): wherever it is, this
    // test removes what it made there, with the per-lxcpath dir above it (its name is the
    // hash of this test's own lxcpath).
    struct Cleanup {
        std::filesystem::path d;
        std::filesystem::path run;
        ~Cleanup() {
            std::error_code ec;
            std::filesystem::remove_all(run.parent_path(), ec);
            std::filesystem::remove_all(d, ec);
        }
    } cleanup{dir, p.run_dir()};
    cnt::RunState s;
    s.state = cnt::State::frozen;
    s.init_pid = 4242;
    s.init_start = 123456789012ULL;
    s.monitor_pid = 4241;
    s.monitor_start = 123456789000ULL;
    s.config_file = "/var/lib/cnt/a b/config";
    s.cgroup = {.kind = "hybrid",
                .inner = ".cnt",
                .v1 = {{"cpu", "/sys/fs/cgroup/cpu/cnt.payload.rs1", ""}},
                .v2 = "/sys/fs/cgroup/unified/x=y",
                .v2_top = "/sys/fs/cgroup/unified/x=y"};
    s.net = {{"0.host", "vethA"}, {"0.type", "veth"}};
    auto w = cnt::runstate::write(p, s);
    if (!w) {
        WARN("run dir not writable here: " << w.error().message());
        return;
    }
    auto r = cnt::runstate::read(p);
    REQUIRE(r);
    REQUIRE(r->has_value());
    const auto& g = **r;
    CHECK(g.state == s.state);
    CHECK(g.init_pid == s.init_pid);
    CHECK(g.init_start == s.init_start);
    CHECK(g.monitor_pid == s.monitor_pid);
    CHECK(g.monitor_start == s.monitor_start);
    CHECK(g.config_file == s.config_file);
    CHECK(g.cgroup == s.cgroup);
    CHECK(g.net == s.net);

    // Written by another version: keys in any order, an unknown one.
    {
        std::ofstream(p.state_file()) << "state=RUNNING\nfuture_key=1\nnet.0.type=veth\n"
                                      << "cgroup.v2=/b\ninit_pid=7\ncgroup.kind=v2\nconfig=/c\n"
                                      << "monitor_pid=6\ninit_start=1\nmonitor_start=2\n";
    }
    r = cnt::runstate::read(p);
    REQUIRE(r);
    REQUIRE(r->has_value());
    CHECK((*r)->state == cnt::State::running);
    CHECK((*r)->init_pid == 7);
    CHECK((*r)->monitor_pid == 6);
    CHECK((*r)->cgroup.kind == "v2");
    CHECK((*r)->cgroup.v2 == "/b");
    CHECK((*r)->cgroup.v1.empty());
    CHECK((*r)->net == cnt::store::KeyValues{{"0.type", "veth"}});
    // A line without '=' or a missing key: not a state file cnt wrote
    // (tests/unit/test_hostile.cpp).
    { std::ofstream(p.state_file()) << "state=RUNNING\ngarbage\ninit_pid=7\n"; }
    r = cnt::runstate::read(p);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() ==
          "state file " + p.state_file() + ": corrupt: line 2 is not key=value");
}
