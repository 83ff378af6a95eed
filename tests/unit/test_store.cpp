#include <dirent.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

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
