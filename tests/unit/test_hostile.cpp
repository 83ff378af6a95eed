// Hostile input files (issue #19): every bound of the config reader, the input-file reader
// and the run-state reader gives a clear error naming the file (and line), never a crash,
// a hang or unbounded memory.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "cnt/config.hpp"
#include "cnt/security.hpp"
#include "cnt/state.hpp"
#include "cnt/store.hpp"

using namespace cnt::config;

namespace {
struct TempDir {
    std::string path;
    TempDir() {
        char t[] = "/tmp/cnt-unit-hostile.XXXXXX";
        path = mkdtemp(t);
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path + "/" + name, std::ios::binary) << text;
        return path + "/" + name;
    }
};
std::string errors(const Diagnostics& d) {
    std::string s;
    for (auto& i : d.items) s += i.str() + "\n";
    return s;
}
// Load a file; the errors, or "" when it loaded.
std::string load(const std::string& path, Config* out = nullptr) {
    Config cfg;
    Diagnostics d;
    bool ok = load_file(path, cfg, d);
    if (out) *out = cfg;
    return ok ? std::string() : errors(d);
}
bool has(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("input files: only regular files, bounded", "[hostile]") {
    TempDir t;
    auto f = t.write("small", "abc");
    CHECK(cnt::store::read_input(f).value() == "abc");
    auto big = cnt::store::read_input(f, 2);
    REQUIRE_FALSE(big);
    CHECK(big.error().message() == f + ": larger than 2 bytes");
    REQUIRE(::mkfifo((t.path + "/fifo").c_str(), 0600) == 0);
    auto fifo = cnt::store::read_input(t.path + "/fifo");  // no writer: would block forever
    REQUIRE_FALSE(fifo);
    CHECK(fifo.error().message() == t.path + "/fifo: not a regular file");
    CHECK(cnt::store::read_input("/dev/zero").error().message() == "/dev/zero: not a regular file");
    CHECK(cnt::store::read_input(t.path).error().message() == t.path + ": not a regular file");
    CHECK(cnt::store::read_input(t.path + "/none").error().err == ENOENT);
}

TEST_CASE("lxc.include: a deep chain stops at the depth bound", "[hostile]") {
    TempDir t;
    const int n = 10000;
    for (int i = 0; i < n; ++i)
        t.write(std::to_string(i) + ".conf",
                i + 1 < n ? "lxc.include = " + std::to_string(i + 1) + ".conf\n"
                          : "lxc.uts.name = x\n");
    auto e = load(t.path + "/0.conf");
    CHECK(has(e, "includes nested deeper than 32 files"));
    CHECK(has(e, "/31.conf:1: lxc.include: \"" + t.path + "/32.conf\""));
    // 31 levels below the config are fine.
    Config cfg;
    CHECK(load(t.path + "/" + std::to_string(n - 32) + ".conf", &cfg) == "");
    CHECK(cfg.uts.name == "x");
}

TEST_CASE("lxc.include: cycles, and includes that multiply", "[hostile]") {
    TempDir t;
    t.write("self.conf", "lxc.include = self.conf\n");
    CHECK(has(load(t.path + "/self.conf"), "self.conf:1: lxc.include: include cycle: "));
    t.write("a.conf", "lxc.include = b.conf\n");
    t.write("b.conf", "lxc.include = c.conf\n");
    t.write("c.conf", "lxc.include = " + t.path + "/a.conf\n");
    auto e = load(t.path + "/a.conf");
    CHECK(has(e, "c.conf:1: lxc.include: include cycle: " + t.path + "/a.conf -> "));
    // Each file includes the next one twice: 2^30 reads without a bound on the files read.
    for (int i = 0; i < 30; ++i) {
        std::string next = "lxc.include = m" + std::to_string(i + 1) + ".conf\n";
        t.write("m" + std::to_string(i) + ".conf", next + next);
    }
    t.write("m30.conf", "lxc.tty.max = 1\n");
    e = load(t.path + "/m0.conf");
    CHECK(has(e, "more than 4096 files included"));
    CHECK(std::count(e.begin(), e.end(), '\n') == 1);  // said once
}

TEST_CASE("lxc.include: FIFOs, devices and big files are refused", "[hostile]") {
    TempDir t;
    REQUIRE(::mkfifo((t.path + "/fifo.conf").c_str(), 0600) == 0);
    t.write("inc-fifo", "lxc.include = fifo.conf\n");
    CHECK(has(load(t.path + "/inc-fifo"),
              "inc-fifo:1: lxc.include: \"" + t.path + "/fifo.conf\": not a regular file"));
    CHECK(has(load(t.path + "/fifo.conf"),
              "fifo.conf:0: cannot read \"" + t.path + "/fifo.conf\": not a regular file"));
    t.write("inc-zero", "lxc.uts.name = a\nlxc.include = /dev/zero\n");
    CHECK(has(load(t.path + "/inc-zero"),
              "inc-zero:2: lxc.include: \"/dev/zero\": not a regular file"));
    // A directory include skips nothing silently: a FIFO named *.conf in it is an error too.
    ::mkdir((t.path + "/d").c_str(), 0755);
    REQUIRE(::mkfifo((t.path + "/d/p.conf").c_str(), 0600) == 0);
    t.write("inc-dir", "lxc.include = d/\n");
    CHECK(has(load(t.path + "/inc-dir"), "d/p.conf\": not a regular file"));
    // Bigger than store::kMaxInputBytes (sparse: no disk used).
    auto big = t.write("big.conf", "");
    REQUIRE(::truncate(big.c_str(), (16 << 20) + 1) == 0);
    t.write("inc-big", "lxc.include = big.conf\n");
    CHECK(has(load(t.path + "/inc-big"), "big.conf\": larger than 16777216 bytes"));
}

TEST_CASE("config lines: length, NUL bytes, invalid UTF-8", "[hostile]") {
    TempDir t;
    std::string huge(10 << 20, 'x');
    auto f = t.write("long", "lxc.uts.name = a\nlxc.init.cmd = " + huge + "\nlxc.tty.max = 3\n");
    Config cfg;
    auto e = load(f, &cfg);
    CHECK(e == f + ":2: line longer than 1048576 bytes\n");
    CHECK(cfg.ptys.tty_max == 3);  // the lines after it are read
    // Just within the bound: read.
    f = t.write("long-ok", "lxc.init.cmd = " + std::string((1 << 20) - 15, 'y') + "\n");
    CHECK(load(f, &cfg) == "");
    CHECK(cfg.init.cmd.size() == (1u << 20) - 15);

    f = t.write("nul",
                std::string("lxc.uts.name = a\nlxc.tty.max = 2\0\0\0lxc.uts.name = b\n", 52));
    e = load(f, &cfg);
    CHECK(e == f + ":2: NUL byte: not a text file (the rest is not read)\n");
    CHECK(cfg.uts.name == "a");

    // Bytes, as LXC: a value that is not UTF-8 is kept as it is.
    f = t.write("utf8", "lxc.uts.name = \xff\xfe\xc3\x28\n");
    CHECK(load(f, &cfg) == "");
    CHECK(cfg.uts.name == "\xff\xfe\xc3\x28");
}

TEST_CASE("lxc.include: a changed include is read again", "[hostile]") {
    TempDir t;
    t.write("inc.conf", "lxc.uts.name = one\n");
    auto main = t.write("main", "lxc.include = inc.conf\n");
    Config a;
    REQUIRE(load(main, &a) == "");
    CHECK(a.uts.name == "one");
    Config b;
    REQUIRE(load(main, &b) == "");  // from the cache
    CHECK(b.uts.name == "one");
    t.write("inc.conf", "lxc.uts.name = two\nlxc.tty.max = 4\n");
    Config c;
    REQUIRE(load(main, &c) == "");
    CHECK(c.uts.name == "two");
    CHECK(c.ptys.tty_max == 4);
}

TEST_CASE("run-state files: validated, bounded", "[hostile]") {
    const std::string text =
        "cgroup.v2=/sys/fs/cgroup/cnt.payload.x\nconfig=/var/lib/cnt/x/config\ninit_pid=42\n"
        "init_start=1234\nmonitor_pid=41\nmonitor_start=1200\nnet.0.host=vethX\nstate=RUNNING\n";
    auto back = cnt::runstate::parse(text);
    REQUIRE(back);
    CHECK(back->state == cnt::State::running);
    CHECK(back->init_pid == 42);
    CHECK(back->init_start == 1234);
    CHECK(back->monitor_pid == 41);
    CHECK(back->monitor_start == 1200);
    CHECK(back->config_file == "/var/lib/cnt/x/config");
    CHECK(back->cgroup.v2 == "/sys/fs/cgroup/cnt.payload.x");
    CHECK(back->cgroup.v1.empty());
    CHECK(back->net == cnt::store::KeyValues{{"0.host", "vethX"}});
    TempDir t;
    const std::string file = t.write("state", text);
    CHECK(cnt::runstate::read_file(file).value()->monitor_pid == 41);

    auto why = [](std::string_view t) {
        auto r = cnt::runstate::parse(t);
        return r ? std::string("ok") : r.error().message();
    };
    CHECK(why("") == "corrupt: no state= line");
    // Cut anywhere: "state" is the last line, and every cut shows.
    for (size_t n = 0; n + 1 < text.size(); ++n) CHECK(why(text.substr(0, n)) != "ok");
    CHECK(why("garbage\n") == "corrupt: line 1 is not key=value");
    auto with = [&](const std::string& from, const std::string& to) {
        std::string changed = text;
        return changed.replace(changed.find(from), from.size(), to);
    };
    CHECK(why(with("init_pid=42", "init_pid=42x")) == "corrupt: bad number \"init_pid=42x\"");
    CHECK(why(with("init_pid=42", "init_pid=")) == "corrupt: bad number \"init_pid=\"");
    CHECK(why(with("init_pid=42", "init_pid=99999999999")) ==
          "corrupt: bad number \"init_pid=99999999999\"");
    CHECK(why(with("state=RUNNING", "state=running")) == "corrupt: unknown state \"running\"");
    CHECK(why(with("monitor_start=1200\n", "")) == "corrupt: no monitor_start= line");
    CHECK(why(text + std::string("\0", 1)) != "ok");

    // As the tools see it: the file named, and FIFOs refused without blocking.
    t.write("state", "state=RUNNING\n");
    CHECK(cnt::runstate::read_file(file).error().message() ==
          "state file " + file + ": corrupt: no init_pid= line");
    ::unlink(file.c_str());
    CHECK_FALSE(cnt::runstate::read_file(file).value());  // no file: not running
    REQUIRE(::mkfifo(file.c_str(), 0600) == 0);
    CHECK(cnt::runstate::read_file(file).error().message() ==
          "state file " + file + ": not a regular file");
}

TEST_CASE("seccomp profiles: bounded, clear errors with file:line", "[hostile]") {
    using cnt::security::seccomp::parse;
    auto why = [](const std::string& t) {
        auto r = parse(t, "prof");
        return r ? std::string("ok") : r.error().message();
    };
    CHECK(why("2\ndenylist\nmount\n") == "ok");
    CHECK(why("2\ndenylist\n" + std::string(2 << 20, 'x') + "\n") ==
          "prof:3: line longer than 1048576 bytes");
    CHECK(why(std::string("2\ndenylist\nmou\0nt\n", 18)) == "prof:3: NUL byte: not a text file");
    std::string many = "2\ndenylist\n";
    for (int i = 0; i < 5000; ++i) many += "mount\n";
    CHECK(why(many) == "prof:4099: more than 4096 rules (more than a filter can hold)");
    CHECK(has(why("2\ndenylist\n\xff\xfe\n"), "prof:3: "));  // bytes: an error, no crash
}

// A shared comparison other than == and &= between two rules of one call makes libseccomp
// 2.5 loop for ever (found by fuzzing): refused at the second rule.
TEST_CASE("seccomp profiles: rules libseccomp cannot compile are refused", "[hostile]") {
    using cnt::security::seccomp::parse;
    auto why = [](const std::string& rules) {
        auto r = parse("2\ndenylist\n" + rules, "prof");
        return r ? std::string("ok") : r.error().message();
    };
    CHECK(why("read kill [0,5,>][2,1,==]\nread kill [0,5,>][3,1,==]\n") ==
          "prof:4: rule for read repeats the comparison [0,5,>] of line 3, which libseccomp "
          "cannot compile; merge the two rules");
    CHECK(has(why("read [2,1,==][0,7,!=]\nwrite\nread [0,7,!=][1,1,==]\n"), "prof:5: "));
    CHECK(why("read [0,5,>][2,1,==]\nread [0,6,>][3,1,==]\n") == "ok");    // other value
    CHECK(why("read [0,5,>][2,1,==]\nwrite [0,5,>][3,1,==]\n") == "ok");   // other call
    CHECK(why("read [0,5,==][2,1,==]\nread [0,5,==][3,1,==]\n") == "ok");  // == is safe
    CHECK(why("[x86_64]\nread [0,5,>][2,1,==]\n[x86]\nread [0,5,>][3,1,==]\n") == "ok");
}
