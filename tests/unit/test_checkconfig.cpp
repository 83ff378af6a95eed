// Unit tests of libcore/checkconfig: kernel config and live probe.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cnt/checkconfig.hpp"

namespace fs = std::filesystem;

TEST_CASE("checkconfig from a kernel config", "[checkconfig]") {
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

TEST_CASE("checkconfig live probe of this machine", "[checkconfig]") {
    namespace cc = cnt::checkconfig;
    auto live = cc::probe();
    auto r = cc::evaluate(nullptr, live);
    for (const auto& i : r.items)
        if (i.option == "CONFIG_UTS_NS") CHECK(i.status == cc::Status::enabled);
    CHECK(live.cgroup_layout != "");
}
