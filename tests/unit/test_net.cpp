#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "cnt/net.hpp"

using namespace cnt;

TEST_CASE("hwaddr templates", "[net]") {
    auto a = net::expand_hwaddr("xx:xx:xx:xx:xx:xx");
    REQUIRE(a);
    CHECK(((*a)[0] & 0x01) == 0);  // unicast
    CHECK(((*a)[0] & 0x02) == 2);  // locally administered
    bool differ = false;
    for (int i = 0; i < 4 && !differ; ++i) differ = *net::expand_hwaddr("XX:xx:xx:xx:xx:xx") != *a;
    CHECK(differ);

    auto fixed = net::expand_hwaddr("00:16:3e:xX:xx:xx");
    REQUIRE(fixed);
    CHECK(net::format_mac(*fixed).substr(0, 9) == "00:16:3e:");
    CHECK(net::format_mac(*net::expand_hwaddr("00:16:3E:AB:cd:EF")) == "00:16:3e:ab:cd:ef");
    CHECK_FALSE(net::expand_hwaddr("garbage"));
    CHECK_FALSE(net::expand_hwaddr("00:16:3e:ab:cd"));
    CHECK_FALSE(net::expand_hwaddr("00:16:3e:ab:cd:eg"));
    CHECK(net::expand_hwaddr("garbage").error().message().find("garbage") != std::string::npos);
    CHECK(net::parse_mac("00-16-3e-01-02-03"));
    CHECK_FALSE(net::parse_mac("00:16:3e:0x:02:03"));  // templates only through expand_hwaddr
}

TEST_CASE("interface names", "[net]") {
    auto n = net::random_ifname("veth");
    CHECK(n.size() == 10);
    CHECK(n.rfind("veth", 0) == 0);
    CHECK(net::random_ifname("veth") != n);
    CHECK(net::random_ifname("averyverylongprefix").size() == 15);
    CHECK(net::validate_ifname("eth0"));
    CHECK(net::validate_ifname(std::string(15, 'a')));
    CHECK_FALSE(net::validate_ifname(std::string(16, 'a')));
    CHECK_FALSE(net::validate_ifname(""));
    CHECK_FALSE(net::validate_ifname("a/b"));
    CHECK_FALSE(net::validate_ifname("a b"));
    CHECK_FALSE(net::validate_ifname(".."));
    config::Network net;
    net.index = 3;
    CHECK(net::inner_name(net) == "eth3");
    net.name = "wan";
    CHECK(net::inner_name(net) == "wan");
}

TEST_CASE("Attached survives the run-state file", "[net]") {
    net::Attached a;
    a.phys.push_back({"p1", "eth1", "02:00:00:00:00:01"});
    a.veth_host = {"vethAbC123", "vethx"};
    a.down.push_back({"/bin/true", "veth", "br0", "vethAbC123"});
    a.container = "web1";
    a.hook_version = 1;
    auto b = net::Attached::load(store::parse_kv(store::format_kv(a.save())));
    REQUIRE(b.phys.size() == 1);
    CHECK(b.phys[0].host_name == "p1");
    CHECK(b.phys[0].inner_name == "eth1");
    CHECK(b.phys[0].mac == "02:00:00:00:00:01");
    CHECK(b.veth_host == a.veth_host);
    REQUIRE(b.down.size() == 1);
    CHECK(b.down[0].peer == "vethAbC123");
    CHECK(b.container == "web1");
    CHECK(b.hook_version == 1);
    CHECK(net::Attached::load({}).phys.empty());
}

// ---- root: real netlink, inside a throwaway "host" netns ------------------------------------
namespace {

// Puts this thread into a fresh netns for the test's lifetime, so bridges and veths made
// here never touch the real host.
struct HostNetns {
    unique_fd orig;
    HostNetns() : orig(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) {
        REQUIRE(orig);
        REQUIRE(::unshare(CLONE_NEWNET) == 0);
        sh("ip link set lo up");
    }
    ~HostNetns() { (void)::setns(orig.get(), CLONE_NEWNET); }
    static int sh(const std::string& cmd) { return std::system(cmd.c_str()); }
};

// A child in its own netns, waiting on a pipe: stands in for the container's init.
struct Init {
    pid_t pid = -1;
    int hold = -1;
    Init() {
        int ready[2], wait[2];
        REQUIRE(::pipe2(ready, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(wait, O_CLOEXEC) == 0);
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            char c = 0;
            if (::unshare(CLONE_NEWNET) < 0) ::_exit(1);
            if (::write(ready[1], &c, 1) != 1) ::_exit(1);
            (void)!::read(wait[0], &c, 1);
            ::_exit(0);
        }
        ::close(ready[1]);
        ::close(wait[0]);
        hold = wait[1];
        char c;
        REQUIRE(::read(ready[0], &c, 1) == 1);
        ::close(ready[0]);
    }
    void stop() {
        if (pid <= 0) return;
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        ::close(hold);
        pid = -1;
    }
    ~Init() { stop(); }
    std::string in(const std::string& cmd) const {
        return out(cat("nsenter -t ", pid, " -n ", cmd));
    }
    static std::string out(const std::string& cmd) {
        std::string s;
        FILE* f = ::popen((cmd + " 2>&1").c_str(), "r");
        char b[512];
        while (f && std::fgets(b, sizeof b, f)) s += b;
        if (f) ::pclose(f);
        return s;
    }
};

config::Ipv4Addr v4(const char* a, unsigned prefix) {
    config::Ipv4Addr x;
    ::inet_pton(AF_INET, a, &x.addr);
    x.prefix = prefix;
    return x;
}

}  // namespace

TEST_CASE("veth on a bridge, configured inside", "[net][root]") {
    HostNetns host;
    REQUIRE(HostNetns::sh("ip link add cntbr0 type bridge && ip addr add 10.77.0.1/24 dev cntbr0 "
                          "&& ip link set cntbr0 up") == 0);
    Init init;
    config::Network n;
    n.type = config::NetType::veth;
    n.link = "cntbr0";
    n.up = true;
    n.hwaddr = "xx:xx:xx:xx:xx:xx";
    n.mtu = 1400;
    n.ipv4 = {v4("10.77.0.2", 24)};
    n.ipv4_gateway.kind = config::Gateway::Kind::auto_;
    config::Ipv6Addr a6;
    ::inet_pton(AF_INET6, "fd77::2", &a6.addr);
    n.ipv6 = {a6};
    n.ipv6_gateway = {config::Gateway::Kind::address, "fd77::1"};
    Undo undo;
    auto r = net::setup({n}, "c1", init.pid, undo);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    undo.dismiss();
    REQUIRE(r->veth_host.size() == 1);
    std::string links = init.in("ip -o link");
    CHECK(links.find("eth0") != std::string::npos);
    CHECK(links.find("mtu 1400") != std::string::npos);
    CHECK(links.find("lo: <LOOPBACK,UP") != std::string::npos);
    CHECK(init.in("ip -o -4 addr show eth0").find("10.77.0.2/24 brd 10.77.0.255") !=
          std::string::npos);
    CHECK(init.in("ip -4 route").find("default via 10.77.0.1 dev eth0") != std::string::npos);
    CHECK(init.in("ip -6 route").find("default via fd77::1 dev eth0") != std::string::npos);
    CHECK(Init::out("ip -o link show " + r->veth_host[0]).find("master cntbr0") !=
          std::string::npos);
    CHECK(init.in("busybox ping -c1 -W5 10.77.0.1").find("1 packets received") !=
          std::string::npos);

    auto addrs = net::addresses(init.pid);
    REQUIRE(addrs);
    CHECK(std::find(addrs->begin(), addrs->end(), "10.77.0.2") != addrs->end());
    CHECK(std::find(addrs->begin(), addrs->end(), "fd77::2") != addrs->end());
    auto links2 = net::host_links(*r);
    REQUIRE(links2);
    REQUIRE(links2->size() == 1);
    CHECK((*links2)[0].tx_bytes > 0);
}

TEST_CASE("missing bridge and missing vlan driver fail clearly and leave nothing", "[net][root]") {
    HostNetns host;
    Init init;
    config::Network n;
    n.type = config::NetType::veth;
    n.link = "nosuchbr";
    n.veth_pair = "vethcntT1";
    {
        Undo undo;
        auto r = net::setup({n}, "c1", init.pid, undo);
        REQUIRE_FALSE(r);
        CHECK(r.error().message().find("bridge \"nosuchbr\" does not exist") != std::string::npos);
    }
    REQUIRE(HostNetns::sh("ip link add cntpa type veth peer name cntpb") == 0);
    config::Network ok;
    ok.type = config::NetType::veth;
    ok.veth_pair = "vethcntT2";
    config::Network vl;
    vl.index = 1;
    vl.type = config::NetType::vlan;
    vl.link = "cntpa";
    vl.vlan_id = 10;
    {
        Undo undo;
        auto r = net::setup({ok, vl}, "c1", init.pid, undo);
        REQUIRE_FALSE(r);
        CHECK(r.error().message().find("CONFIG_VLAN_8021Q") != std::string::npos);
        CHECK(Init::out("ip -o link").find("vethcntT2") != std::string::npos);  // before undo
    }
    CHECK(Init::out("ip -o link").find("vethcntT2") == std::string::npos);  // undone
}

TEST_CASE("phys moves in and comes back", "[net][root]") {
    HostNetns host;
    REQUIRE(HostNetns::sh("ip link add cntp1 type veth peer name cntp2") == 0);
    Init init;
    config::Network n;
    n.index = 1;
    n.type = config::NetType::phys;
    n.link = "cntp1";
    n.up = true;
    n.ipv4 = {v4("10.78.0.2", 24)};
    Undo undo;
    auto r = net::setup({n}, "c1", init.pid, undo);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    undo.dismiss();
    CHECK(init.in("ip -o addr show eth1").find("10.78.0.2/24") != std::string::npos);
    CHECK(Init::out("ip -o link show cntp1").find("does not exist") != std::string::npos);
    auto saved = net::Attached::load(r->save());
    REQUIRE(net::teardown(saved, init.pid));
    CHECK(Init::out("ip -o link show cntp1").find("cntp1@cntp2") != std::string::npos);
    CHECK(init.in("ip -o link").find("eth1") == std::string::npos);
}

TEST_CASE("macvlan in bridge mode, empty and none", "[net][root]") {
    HostNetns host;
    REQUIRE(HostNetns::sh("ip link add cntm1 type veth peer name cntm2 && ip link set cntm1 up && "
                          "ip link set cntm2 up") == 0);
    Init a, b;
    config::Network n;
    n.type = config::NetType::macvlan;
    n.macvlan_mode = config::Network::MacvlanMode::bridge;
    n.link = "cntm1";
    n.up = true;
    n.ipv4 = {v4("10.79.0.2", 24)};
    Undo undo;
    REQUIRE(net::setup({n}, "a", a.pid, undo));
    n.ipv4 = {v4("10.79.0.3", 24)};
    REQUIRE(net::setup({n}, "b", b.pid, undo));
    undo.dismiss();
    CHECK(a.in("busybox ping -c1 -W5 10.79.0.3").find("1 packets received") != std::string::npos);

    Init e;
    config::Network empty;
    empty.type = config::NetType::empty;
    REQUIRE(net::setup({empty}, "e", e.pid, undo));
    CHECK(e.in("ip -o link").find("lo: <LOOPBACK,UP") != std::string::npos);
}

TEST_CASE("veth router mode: /32 inside, default dev, host route via the host end", "[net][root]") {
    HostNetns host;
    REQUIRE(HostNetns::sh("ip addr add 10.80.0.1/32 dev lo") == 0);
    Init init;
    config::Network n;
    n.type = config::NetType::veth;
    n.veth_mode = config::Network::VethMode::router;
    n.up = true;
    n.ipv4 = {v4("10.80.0.2", 32)};
    n.ipv4_gateway.kind = config::Gateway::Kind::dev;
    std::string f = cat("/tmp/cnt-net-unit-up.", ::getpid()), script = f + ".sh";
    REQUIRE(HostNetns::sh(cat("printf '#!/bin/sh\\necho \"$*|$LXC_NAME\" >", f, "\\n' >", script,
                              " && chmod +x ", script)) == 0);
    n.script_up = script;
    Undo undo;
    auto r = net::setup({n}, "c1", init.pid, undo);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    undo.dismiss();
    CHECK(Init::out("ip -4 route").find("10.80.0.2 dev " + r->veth_host[0]) != std::string::npos);
    CHECK(init.in("ip -4 route").find("default dev eth0") != std::string::npos);
    CHECK(init.in("busybox ping -c1 -W5 10.80.0.1").find("1 packets received") !=
          std::string::npos);
    CHECK(Init::out("busybox ping -c1 -W5 10.80.0.2").find("1 packets received") !=
          std::string::npos);
    CHECK(Init::out("cat " + f) == cat("c1 net up veth ", r->veth_host[0], "|c1\n"));
    ::unlink(f.c_str());
    ::unlink(script.c_str());
}

TEST_CASE("phys comes back after init died while the monitor held the netns", "[net][root]") {
    HostNetns host;
    REQUIRE(HostNetns::sh("ip link add cntq1 type veth peer name cntq2") == 0);
    Init init;
    config::Network n;
    n.type = config::NetType::phys;
    n.link = "cntq1";
    n.name = "lan0";
    Undo undo;
    auto r = net::setup({n}, "c1", init.pid, undo);
    INFO((r ? std::string() : r.error().message()));
    REQUIRE(r);
    undo.dismiss();
    REQUIRE(r->netns);
    init.stop();  // the netns lives on through r->netns only
    REQUIRE(net::teardown(*r, 0));
    CHECK(Init::out("ip -o link show cntq1").find("cntq1@cntq2") != std::string::npos);
}
