// The lxc.conf reader: line rules, numbers, legacy keys, includes, diagnostics.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "cnt/config.hpp"
#include "config_load.hpp"

using namespace cnt::config;

namespace {
using test::load;
using test::Loaded;
std::string get(const Config& c, const std::string& k) {
    return get_item(c, k).value_or("<invalid>");
}
std::string errors(const Diagnostics& d) {
    std::string s;
    for (auto& i : d.items) s += i.str() + "\n";
    return s;
}
size_t count(const Diagnostics& d, Diagnostic::Severity s) {
    size_t n = 0;
    for (auto& i : d.items) n += i.severity == s;
    return n;
}
struct TempDir {
    std::string path;
    TempDir() {
        char t[] = "/tmp/cnt-unit-config.XXXXXX";
        path = mkdtemp(t);
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path + "/" + name) << text;
    }
};
}  // namespace

TEST_CASE("line rules as LXC", "[config]") {
    auto l = load("  # comment\n\t#x\n\n   \nlxc.uts.name = host # x\n");
    REQUIRE(l.ok);
    CHECK(l.cfg.uts.name == "host # x");  // no inline comments

    l = load("lxc.uts.name==x\n");
    CHECK(*l.cfg.uts.name == "=x");  // first '=' splits
    l = load("lxc.init.cmd =   a  b  \t\n");
    CHECK(l.cfg.init.cmd == "a  b");
    l = load("lxc.hook.start = /bin/x \\\nlxc.uts.name = y\n");  // no continuation
    CHECK(l.cfg.hooks.of(HookType::start) == std::vector<std::string>{"/bin/x \\"});
    CHECK(*l.cfg.uts.name == "y");
}

TEST_CASE("quotes: one matching pair stripped", "[config]") {
    CHECK(*load("lxc.uts.name = \"a b\"").cfg.uts.name == "a b");
    CHECK(*load("lxc.uts.name = 'a'").cfg.uts.name == "a");
    CHECK(*load("lxc.uts.name = \"a\" \"b\"").cfg.uts.name == "a\" \"b");
    CHECK(*load("lxc.uts.name = \"unbalanced").cfg.uts.name == "\"unbalanced");
    CHECK(*load("lxc.uts.name = \"x'").cfg.uts.name == "\"x'");
    CHECK_FALSE(load("lxc.uts.name = x\nlxc.uts.name = \"\"").cfg.uts.name);
}

TEST_CASE("CRLF and a 64 KiB line", "[config]") {
    auto l = load("lxc.uts.name = a\r\nlxc.tty.max = 3\r\n");
    REQUIRE(l.ok);
    CHECK(*l.cfg.uts.name == "a");
    CHECK(l.cfg.ptys.tty_max == 3);

    std::string opts(64 * 1024, 'o');
    l = load("lxc.mount.entry = /a b none bind," + opts + " 0 0\nlxc.tty.max = 2\n");
    REQUIRE(l.ok);
    REQUIRE(l.cfg.mounts.entries.size() == 1);
    CHECK(l.cfg.mounts.entries[0].line.size() == 64 * 1024 + 19);
    CHECK(l.cfg.ptys.tty_max == 2);
}

TEST_CASE("foreign lines warn with file:line, lxc. lines without = are errors", "[config]") {
    auto l = load("foo = 1\nLXC.uts.name = x\nlxc.uts.name = ok\n");
    CHECK(l.ok);
    CHECK(count(l.d, Diagnostic::Severity::warning) == 2);
    CHECK(l.d.items[0].str().rfind("config:1:", 0) == 0);
    CHECK(l.d.items[1].str().rfind("config:2:", 0) == 0);
    l = load("lxc.uts.name\n");
    CHECK_FALSE(l.ok);
    CHECK(errors(l.d).find("config:1: invalid configuration line") != std::string::npos);
}

TEST_CASE("every error is reported, with file:line and did-you-mean", "[config]") {
    auto l = load(
        "lxc.uts.name = a\nlxc.tty.max = x\nlxc.bogus = 1\nlxc.signal.halt = PWR\n"
        "lxc.uts.name = b\nlxc.cap.drop = CAP_SYS_ADMIN\nlxc.net.0.ipv4.adress = 10.0.0.1/24\n");
    CHECK_FALSE(l.ok);
    CHECK(count(l.d, Diagnostic::Severity::error) == 5);
    auto e = errors(l.d);
    CHECK(e.find("config:2: lxc.tty.max: invalid unsigned number \"x\"") != std::string::npos);
    CHECK(e.find("config:3: unknown key \"lxc.bogus\"") != std::string::npos);
    CHECK(e.find("config:4: lxc.signal.halt:") != std::string::npos);
    CHECK(e.find("config:6: lxc.cap.drop: unknown capability \"CAP_SYS_ADMIN\"") !=
          std::string::npos);
    CHECK(e.find("config:7: unknown key \"lxc.net.0.ipv4.adress\" (did you mean "
                 "\"lxc.net.0.ipv4.address\"?)") != std::string::npos);
    CHECK(*l.cfg.uts.name == "b");  // later lines are still applied
    l = load("lxc.net.3.linkk = br0\nlxc.tty.maxx = 1\n");
    e = errors(l.d);
    CHECK(e.find("(did you mean \"lxc.net.3.link\"?)") != std::string::npos);
    CHECK(e.find("(did you mean \"lxc.tty.max\"?)") != std::string::npos);
}

TEST_CASE("numbers: strtoul base 0", "[config]") {
    auto l =
        load("lxc.tty.max = 010\nlxc.pty.max = 0x10\nlxc.start.delay = +5\nlxc.start.order = -3\n");
    REQUIRE(l.ok);
    CHECK(l.cfg.ptys.tty_max == 8);
    CHECK(l.cfg.ptys.pty_max == 16);
    CHECK(l.cfg.start.delay == 5);
    CHECK(l.cfg.start.order == -3);
    CHECK_FALSE(load("lxc.tty.max = -1").ok);
    CHECK_FALSE(load("lxc.tty.max = 1x").ok);
    CHECK_FALSE(load("lxc.autodev = 2").ok);
    CHECK_FALSE(load("lxc.autodev = yes").ok);
    CHECK(load("lxc.autodev = 0x1").cfg.mounts.autodev);
}

TEST_CASE("signals need the SIG prefix", "[config]") {
    CHECK(load("lxc.signal.halt = SIGPWR").cfg.signals.halt == SIGPWR);
    CHECK(load("lxc.signal.halt = sigterm").cfg.signals.halt == SIGTERM);
    CHECK(load("lxc.signal.halt = SIGRTMIN+3").cfg.signals.halt == SIGRTMIN + 3);
    CHECK(load("lxc.signal.halt = SIGRTMAX-1").cfg.signals.halt == SIGRTMAX - 1);
    CHECK(load("lxc.signal.halt = 65").cfg.signals.halt == 65);
    CHECK_FALSE(load("lxc.signal.halt = PWR").ok);
    CHECK_FALSE(load("lxc.signal.halt = RTMIN+3").ok);
    CHECK_FALSE(load("lxc.signal.halt = SIGNOPE").ok);
    CHECK(get(load("lxc.signal.halt = SIGPWR").cfg, "lxc.signal.halt") == "30");
}

TEST_CASE("values validated at parse time", "[config]") {
    CHECK(load("lxc.cgroup.devices.allow = a").ok);
    CHECK(load("lxc.cgroup.devices.allow = c 1:3 rwm").ok);
    CHECK(load("lxc.cgroup.devices.allow = b *:* m").ok);
    CHECK(load("lxc.cgroup2.devices.deny = c 136:* rw").ok);
    CHECK_FALSE(load("lxc.cgroup.devices.allow = x 1:3 rwm").ok);
    CHECK_FALSE(load("lxc.cgroup.devices.allow = c 1:3 rwx").ok);
    CHECK_FALSE(load("lxc.cgroup.devices.allow = c 1-3 r").ok);
    CHECK(load("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.1/24 10.0.0.255").ok);
    CHECK_FALSE(load("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.1/33").ok);
    CHECK_FALSE(load("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 10.0.0.300/24").ok);
    CHECK_FALSE(load("lxc.net.0.type = veth\nlxc.net.0.ipv6.address = fe80::zz/64").ok);
    CHECK(load("lxc.net.0.type = veth\nlxc.net.0.hwaddr = 00:16:3e:xx:Xx:01").ok);
    CHECK_FALSE(load("lxc.net.0.type = veth\nlxc.net.0.hwaddr = garbage").ok);
    CHECK(load("lxc.idmap = u 0 100000 65536").ok);
    CHECK_FALSE(load("lxc.idmap = u 0 100000").ok);
    CHECK_FALSE(load("lxc.idmap = x 0 1 2").ok);
    CHECK_FALSE(load("lxc.idmap = u 0 a 2").ok);
    CHECK_FALSE(load("lxc.arch =").ok);
    CHECK_FALSE(load("lxc.mount.fstab =").ok);
    CHECK_FALSE(load("lxc.namespace.clone = mount").ok);
    CHECK_FALSE(load("lxc.net.0.type = macvlan\nlxc.net.0.veth.pair = x").ok);
    CHECK_FALSE(load("lxc.cap.drop = mknod\nlxc.cap.keep = chown").ok);
    CHECK_FALSE(load("lxc.rootfs.options = ro,optional").ok);
    CHECK_FALSE(load("lxc.uts.name = " + std::string(65, 'h')).ok);
    CHECK(load("lxc.uts.name = " + std::string(64, 'h')).ok);
}

TEST_CASE("empty values clear, per key as LXC", "[config]") {
    auto l = load(
        "lxc.mount.entry = a b c d\nlxc.mount.entry =\nlxc.mount.entry = e f g h\n"
        "lxc.autodev =\nlxc.monitor.signal.pdeath =\nlxc.rootfs.managed = 0\nlxc.rootfs.managed =\n"
        "lxc.cap.keep = mknod\nlxc.cap.keep = none\nlxc.cap.keep = sys_admin\n");
    REQUIRE(l.ok);
    CHECK(l.cfg.mounts.entries.size() == 1);
    CHECK_FALSE(l.cfg.mounts.autodev);        // empty sets 0
    CHECK(l.cfg.monitor.pdeath_signal == 0);  // not back to 9
    CHECK(l.cfg.rootfs.managed);
    CHECK(get(l.cfg, "lxc.cap.keep") == "sys_admin\n");
}

TEST_CASE("network: type resets, sorted by index", "[config]") {
    auto l = load("lxc.net.1.type = veth\nlxc.net.0.link = br0\nlxc.net.0.type = veth\n");
    REQUIRE(l.ok);
    REQUIRE(l.cfg.networks.size() == 2);
    CHECK(l.cfg.networks[0].index == 0);
    CHECK(l.cfg.networks[0].link.empty());
    CHECK(get(l.cfg, "lxc.net") == "veth\nveth\n");
    l = load("lxc.net.0.type = veth\nlxc.net.0.ipv4.address = 192.168.1.5\n");
    CHECK(get(l.cfg, "lxc.net.0.ipv4.address") == "192.168.1.5/8");  // LXC's classful quirk
}

TEST_CASE("legacy keys: accepted with a warning naming the new key", "[config]") {
    struct Case {
        std::string line, key, value;
    };
    std::vector<Case> cases = {
        {"lxc.utsname = a", "lxc.uts.name", "a"},
        {"lxc.pts = 10", "lxc.pty.max", "10"},
        {"lxc.tty = 3", "lxc.tty.max", "3"},
        {"lxc.devttydir = lxc", "lxc.tty.dir", "lxc"},
        {"lxc.id_map = u 0 1 2", "lxc.idmap", "u 0 1 2"},
        {"lxc.aa_profile = unconfined", "lxc.apparmor.profile", "unconfined"},
        {"lxc.aa_allow_incomplete = 1", "lxc.apparmor.allow_incomplete", "1"},
        {"lxc.se_context = ctx", "lxc.selinux.context", "ctx"},
        {"lxc.console = none", "lxc.console.path", "none"},
        {"lxc.loglevel = 1", "lxc.log.level", "DEBUG"},
        {"lxc.logfile = /l", "lxc.log.file", "/l"},
        {"lxc.syslog = daemon", "lxc.log.syslog", "daemon"},
        {"lxc.init_cmd = /i", "lxc.init.cmd", "/i"},
        {"lxc.init_uid = 5", "lxc.init.uid", "5"},
        {"lxc.init_gid = 6", "lxc.init.gid", "6"},
        {"lxc.haltsignal = SIGTERM", "lxc.signal.halt", "15"},
        {"lxc.rebootsignal = SIGHUP", "lxc.signal.reboot", "1"},
        {"lxc.stopsignal = SIGKILL", "lxc.signal.stop", "9"},
        {"lxc.mount = /f", "lxc.mount.fstab", "/f"},
        {"lxc.seccomp = /s", "lxc.seccomp.profile", "/s"},
        {"lxc.limit.nofile = 5", "lxc.prlimit.nofile", "5"},
        {"lxc.rootfs = /r", "lxc.rootfs.path", "/r"},
    };
    for (auto& c : cases) {
        INFO(c.line);
        auto l = load(c.line);
        CHECK(l.ok);
        CHECK(get(l.cfg, c.key) == c.value);
        REQUIRE(count(l.d, Diagnostic::Severity::warning) == 1);
        CHECK(l.d.items[0].message.find(c.key) != std::string::npos);
    }
    auto l = load("lxc.kmsg = 0\nlxc.pivotdir = x\n");
    CHECK(l.ok);
    CHECK(count(l.d, Diagnostic::Severity::warning) == 2);
    l = load("lxc.rootfs.backend = overlay\nlxc.rootfs = /a:/b\n");
    CHECK(l.cfg.rootfs.backend == "overlay");
    CHECK(l.cfg.rootfs.path == "/a:/b");
}

TEST_CASE("legacy lxc.network: each type opens a new interface", "[config]") {
    auto l = load(
        "lxc.network.type = veth\nlxc.network.link = br0\nlxc.network.ipv4 = 10.0.0.2/24\n"
        "lxc.network.ipv6 = fd00::2/64\nlxc.network.type = macvlan\nlxc.network.link = eth0\n"
        "lxc.network.1.flags = up\n");
    REQUIRE(l.ok);
    REQUIRE(l.cfg.networks.size() == 2);
    CHECK(l.cfg.networks[0].type == NetType::veth);
    CHECK(l.cfg.networks[0].link == "br0");
    CHECK(get(l.cfg, "lxc.net.0.ipv4.address") == "10.0.0.2/24");
    CHECK(get(l.cfg, "lxc.net.0.ipv6.address") == "fd00::2/64");
    CHECK(l.cfg.networks[1].type == NetType::macvlan);
    CHECK(l.cfg.networks[1].link == "eth0");
    CHECK(l.cfg.networks[1].up);
    CHECK_FALSE(load("lxc.network.link = br0\n").ok);  // no interface yet
    CHECK(load("lxc.network.type = veth\nlxc.network.type =\n").cfg.networks.empty());
}

TEST_CASE("the LXC 0.6.3 seed config loads with warnings only", "[config]") {
    Config cfg;
    Diagnostics d;
    REQUIRE(load_file("tests/seed/seed-lxc-0.6.3.conf", cfg, d) == true);
    CHECK(count(d, Diagnostic::Severity::warning) > 0);
    CHECK(*cfg.uts.name == "beta");
    REQUIRE(cfg.networks.size() == 1);
    CHECK(cfg.networks[0].type == NetType::phys);
    CHECK(cfg.ptys.pty_max == 256);
    CHECK(cfg.ptys.tty_max == 6);
}

TEST_CASE("lxc.include: file, sorted directory, relative, cycle", "[config]") {
    TempDir t;
    mkdir((t.path + "/d").c_str(), 0755);
    t.write("d/b.conf", "lxc.mount.entry = b b none bind 0 0\n");
    t.write("d/a.conf", "lxc.mount.entry = a a none bind 0 0\n");
    t.write("d/c.txt", "lxc.uts.name = no\n");
    t.write("part.conf", "lxc.uts.name = inc\nlxc.tty.max = 2\n");
    t.write("main", "lxc.include = part.conf\nlxc.tty.max = 5\nlxc.include = d/\nlxc.include = " +
                        t.path + "/d\n");
    Config cfg;
    Diagnostics d;
    REQUIRE(load_file(t.path + "/main", cfg, d));
    CHECK(*cfg.uts.name == "inc");
    CHECK(cfg.ptys.tty_max == 5);  // applied in place
    CHECK(get(cfg, "lxc.mount.entry") ==
          "a a none bind 0 0\nb b none bind 0 0\na a none bind 0 0\nb b none bind 0 0\n");
    CHECK_FALSE(get_item(cfg, "lxc.include"));

    t.write("x.conf", "lxc.include = y.conf\n");
    t.write("y.conf", "lxc.include = x.conf\n");
    Config c2;
    Diagnostics d2;
    CHECK_FALSE(load_file(t.path + "/x.conf", c2, d2));
    CHECK(errors(d2).find("include cycle") != std::string::npos);
    Config c3;
    Diagnostics d3;
    t.write("m.conf", "lxc.include = nosuch.conf\n");
    CHECK_FALSE(load_file(t.path + "/m.conf", c3, d3));
    CHECK(errors(d3).find("m.conf:1:") != std::string::npos);
}

TEST_CASE("set_item and get_item", "[config]") {
    Config cfg;
    Diagnostics d;
    CHECK(set_item(cfg, "lxc.uts.name", "x", {}, d));
    CHECK(get(cfg, "lxc.uts.name") == "x");
    CHECK_FALSE(set_item(cfg, "lxc.nope", "x", {}, d));
    CHECK(d.items.back().str().rfind("<define>: ", 0) == 0);
    CHECK_FALSE(get_item(cfg, "lxc.nope"));
    CHECK_FALSE(get_item(cfg, "lxc.hook"));
    CHECK_FALSE(get_item(cfg, "lxc.net.0"));
    CHECK(get(cfg, "lxc.cgroup.dir") == "(null)");
}

TEST_CASE("split_mount_entry", "[config]") {
    auto m = split_mount_entry("/a\\040b  /mnt\tnone bind,create=dir 0 1");
    REQUIRE(m);
    CHECK(m->source == "/a b");
    CHECK(m->target == "/mnt");
    CHECK(m->fstype == "none");
    CHECK(m->options == "bind,create=dir");
    CHECK(m->dump == 0);
    CHECK(m->pass == 1);
    CHECK(split_mount_entry("proc proc proc nodev"));
    CHECK_FALSE(split_mount_entry("hi there"));
}

TEST_CASE("a relative seccomp profile is relative to the file that names it", "[config]") {
    Config c;
    Diagnostics d;
    REQUIRE(load_string("lxc.seccomp.profile = common.seccomp\n", "/etc/cnt/common.conf", c, d));
    CHECK(c.security.seccomp_profile == "/etc/cnt/common.seccomp");
    REQUIRE(load_string("lxc.seccomp.profile = /abs/p\n", "/etc/cnt/common.conf", c, d));
    CHECK(c.security.seccomp_profile == "/abs/p");
    // A --define has no file: the value stays as given.
    REQUIRE(set_item(c, "lxc.seccomp.profile", "rel/p", Location{}, d));
    CHECK(c.security.seccomp_profile == "rel/p");
}
