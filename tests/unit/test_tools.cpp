// Unit tests of the toolbox modules: listing, checkconfig, autostart group parsing, events.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cnt/autostart.hpp"
#include "cnt/checkconfig.hpp"
#include "cnt/events.hpp"
#include "cnt/listing.hpp"
#include "cnt/store.hpp"

namespace fs = std::filesystem;

TEST_CASE("autostart group lists keep the NULL group", "[tools][autostart]") {
    using cnt::autostart::split_groups;
    using V = std::vector<std::string>;
    CHECK(split_groups("onboot,") == V{"onboot", ""});
    CHECK(split_groups(",a") == V{"", "a"});
    CHECK(split_groups("a,,b") == V{"a", "", "b"});
    CHECK(split_groups("") == V{""});
    CHECK(split_groups("web") == V{"web"});
}

TEST_CASE("json strings are escaped", "[tools][listing]") {
    using cnt::listing::json_string;
    CHECK(json_string("web1") == "\"web1\"");
    CHECK(json_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");
    CHECK(json_string(std::string("\x01", 1)) == "\"\\u0001\"");
}

TEST_CASE("listing columns and json", "[tools][listing]") {
    namespace ls = cnt::listing;
    ls::Info i;
    i.name = "web1";
    i.state = cnt::State::running;
    i.pid = 42;
    i.ram_bytes = 1024 * 1024 * 3 / 2;
    i.autostart = true;
    i.groups = {"onboot", "web"};
    i.ipv4 = {"10.0.3.5", "10.0.3.6"};
    CHECK(ls::column_value(i, "NAME") == "web1");
    CHECK(ls::column_value(i, "STATE") == "RUNNING");
    CHECK(ls::column_value(i, "PID") == "42");
    CHECK(ls::column_value(i, "RAM") == "1.50MB");
    CHECK(ls::column_value(i, "SWAP") == "-");
    CHECK(ls::column_value(i, "AUTOSTART") == "1");
    CHECK(ls::column_value(i, "GROUPS") == "onboot,web");
    CHECK(ls::column_value(i, "IPV4") == "10.0.3.5, 10.0.3.6");
    CHECK(ls::column_value(i, "IPV6") == "-");
    CHECK(ls::column_value(i, "UNPRIVILEGED") == "false");
    CHECK(ls::valid_column("INTERFACE"));
    CHECK_FALSE(ls::valid_column("interface"));
    auto j = ls::info_json(i);
    CHECK(j.find("\"name\": \"web1\"") != std::string::npos);
    CHECK(j.find("\"pid\": 42") != std::string::npos);
    CHECK(j.find("\"swap\": null") != std::string::npos);
    CHECK(j.find("\"groups\": [\"onboot\", \"web\"]") != std::string::npos);
    CHECK(ls::info_json(std::vector<ls::Info>{}) == "[]");

    ls::Need n;
    ls::add_need(n, "NAME");
    CHECK_FALSE((n.state || n.config || n.memory || n.addresses));
    ls::add_need(n, "GROUPS");
    CHECK(n.config);
}

TEST_CASE("defined containers are the dirs with a config", "[tools][listing]") {
    auto dir = fs::temp_directory_path() / ("cnt-unit-ls-" + std::to_string(::getpid()));
    fs::create_directories(dir / "b");
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "noconfig");
    std::ofstream(dir / "b" / "config") << "\n";
    std::ofstream(dir / "a" / "config") << "\n";
    auto names = cnt::listing::defined_names(dir.string());
    fs::remove_all(dir);
    CHECK(names == std::vector<std::string>{"a", "b"});
}

TEST_CASE("checkconfig from a kernel config", "[tools][checkconfig]") {
    namespace cc = cnt::checkconfig;
    auto cfg = cc::parse_kernel_config(
        "# comment\nCONFIG_NAMESPACES=y\nCONFIG_UTS_NS=y\nCONFIG_IPC_NS=y\nCONFIG_NET_NS=y\n"
        "CONFIG_VETH=m\n# CONFIG_VLAN_8021Q is not set\nCONFIG_CGROUPS=y\n");
    CHECK(cfg.at("CONFIG_VETH") == "m");
    CHECK_FALSE(cfg.count("CONFIG_VLAN_8021Q"));
    cc::Live live;
    live.kernel_major = 6;
    live.kernel_minor = 1;
    live.cgroup_layout = "v2";
    auto r = cc::evaluate(&cfg, live);
    auto find = [&](const std::string& opt) {
        for (const auto& i : r.items)
            if (i.option == opt) return i;
        FAIL("no item " << opt);
        return cc::Item{};
    };
    CHECK(find("CONFIG_UTS_NS").status == cc::Status::enabled);
    CHECK(find("CONFIG_VETH").status == cc::Status::enabled);
    CHECK(find("CONFIG_VETH").note == "module");
    CHECK(find("CONFIG_VLAN_8021Q").status == cc::Status::missing);
    // PID_NS is required and absent.
    CHECK(find("CONFIG_PID_NS").status == cc::Status::required);
    CHECK(find("CONFIG_DEVPTS_MULTIPLE_INSTANCES").status == cc::Status::enabled);
    CHECK(r.required_missing());
    cfg["CONFIG_PID_NS"] = "y";
    CHECK_FALSE(cc::evaluate(&cfg, live).required_missing());
}

TEST_CASE("checkconfig live probe of this machine", "[tools][checkconfig]") {
    namespace cc = cnt::checkconfig;
    auto live = cc::probe();
    auto r = cc::evaluate(nullptr, live);
    for (const auto& i : r.items)
        if (i.option == "CONFIG_UTS_NS") CHECK(i.status == cc::Status::enabled);
    CHECK(live.cgroup_layout != "");
}

TEST_CASE("events::Watch sees renames and removals of state files", "[tools][events]") {
    auto dir = fs::temp_directory_path() / ("cnt-unit-ev-" + std::to_string(::getpid()));
    fs::create_directories(dir / "lxc");
    fs::create_directories(dir / "run");
    {
        std::ofstream(dir / "cnt.conf") << "[paths]\nlxcpath = " << (dir / "lxc").string()
                                        << "\nrundir = " << (dir / "run").string() << "\n";
    }
    // sysconf caches per process: only valid if nothing read it before; set and verify.
    ::setenv("CNT_CONF", (dir / "cnt.conf").c_str(), 1);
    cnt::store::Paths p{(dir / "lxc").string(), "w1"};
    if (p.run_dir().rfind((dir / "run").string(), 0) != 0) {
        fs::remove_all(dir);
        WARN("sysconf already cached by another test; skipped");
        return;
    }
    auto w = cnt::events::Watch::open(p.lxcpath);
    REQUIRE(w);
    // A state file counts only with its init alive (as cnt-info says): this process plays it.
    cnt::RunState s;
    s.state = cnt::State::running;
    s.init_pid = s.monitor_pid = ::getpid();
    s.init_start = s.monitor_start = cnt::store::process_start_time(::getpid());
    REQUIRE(cnt::runstate::write(p, s));
    std::vector<cnt::events::Change> seen;
    for (int k = 0; k < 10 && seen.empty(); ++k) {
        auto c = w->next(std::chrono::milliseconds(500));
        REQUIRE(c);
        seen = *c;
    }
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].name == "w1");
    CHECK(seen[0].state == cnt::State::running);
    cnt::runstate::remove(p);
    auto c = w->next(std::chrono::milliseconds(2000));
    REQUIRE(c);
    REQUIRE(c->size() == 1);
    CHECK((*c)[0].state == cnt::State::stopped);
    fs::remove_all(dir);
}

TEST_CASE("run state: written and read back whole; unknown keys ignored", "[tools]") {
    auto dir = fs::temp_directory_path() / ("cnt-unit-rs-" + std::to_string(::getpid()));
    fs::create_directories(dir / "lxc");
    cnt::store::Paths p{(dir / "lxc").string(), "rs1"};
    // The run dir comes from the suite's config (cached per process): wherever it is, this
    // test removes what it made there, with the per-lxcpath dir above it (its name is the
    // hash of this test's own lxcpath).
    struct Cleanup {
        fs::path d;
        fs::path run;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(run.parent_path(), ec);
            fs::remove_all(d, ec);
        }
    } cleanup{dir, p.run_dir()};
    cnt::RunState s;
    s.state = cnt::State::frozen;
    s.init_pid = 4242;
    s.init_start = 123456789012ULL;
    s.monitor_pid = 4241;
    s.monitor_start = 123456789000ULL;
    s.config_file = "/var/lib/cnt/a b/config";
    s.cgroup = {{"kind", "hybrid"},
                {"v1.0", "/sys/fs/cgroup/cpu/cnt.payload.rs1"},
                {"v1.0.ctrl", "cpu"},
                {"v2", "/sys/fs/cgroup/unified/x=y"}};
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
    CHECK((*r)->cgroup == cnt::store::KeyValues{{"kind", "v2"}, {"v2", "/b"}});
    CHECK((*r)->net == cnt::store::KeyValues{{"0.type", "veth"}});
    // A line without '=' or a missing key: not a state file cnt wrote
    // (tests/unit/test_hostile.cpp).
    { std::ofstream(p.state_file()) << "state=RUNNING\ngarbage\ninit_pid=7\n"; }
    r = cnt::runstate::read(p);
    REQUIRE_FALSE(r);
    CHECK(r.error().message() ==
          "state file " + p.state_file() + ": corrupt: line 2 is not key=value");
}
