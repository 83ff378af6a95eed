// The key registry: every row complete, and parse(print(x)) == x for every key.
#include <catch2/catch.hpp>
#include <set>

#include "cnt/config.hpp"
#include "config/registry.hpp"

using namespace cnt::config;
using namespace cnt::config::detail;

TEST_CASE("every registry row is complete", "[config][registry]") {
    std::set<std::string_view> names;
    for (const auto& r : key_rows()) {
        INFO(r.name);
        CHECK(r.parse);
        CHECK(r.print);
        CHECK(r.clear);
        CHECK_FALSE(r.doc.empty());
        CHECK(names.insert(r.name).second);
        if (r.prefix) CHECK_FALSE(r.example_sub.empty());
    }
    for (const auto& n : net_rows()) {
        INFO(n.sub);
        CHECK((n.parse && n.print && n.clear && !n.doc.empty() && !n.example.empty()));
    }
    CHECK(key_rows().size() > 90);
}

TEST_CASE("every key: parse(print(x)) reproduces x, clear resets", "[config][registry]") {
    auto roundtrip = [](const std::string& key, const std::string& value, const std::string& pre) {
        INFO(key << " = " << value);
        Config a;
        Diagnostics d;
        if (!pre.empty()) REQUIRE(load_string(pre, "pre", a, d));
        Config base = a;
        REQUIRE(set_item(a, key, value, {}, d));
        auto printed = get_item(a, key);
        if (!printed) return;  // write-only keys (lxc.include, lxc.hook)
        // Multi-value getters print one item per line: feed them back line by line.
        Config b = base;
        std::string p = *printed;
        if (key == "lxc.cgroup" || key == "lxc.cgroup2" || key == "lxc.prlimit" ||
            key == "lxc.sysctl" || key == "lxc.proc" || key == "lxc.net")
            return;  // aggregate getters (covered by their families)
        // LXC's getter drops part of the value: "unix:" of the proxy address, and the storage
        // type of lxc.rootfs.path; those are compared on their printed form only.
        if (key == "lxc.seccomp.notify.proxy") return;
        bool lossy = key == "lxc.rootfs.path";
        size_t pos = 0;
        bool any = false;
        while (pos < p.size()) {
            auto nl = p.find('\n', pos);
            if (nl == std::string::npos) nl = p.size();
            std::string line = p.substr(pos, nl - pos);
            pos = nl + 1;
            if (line.empty()) continue;
            any = true;
            REQUIRE(set_item(b, key, line, {}, d));
        }
        if (!any) REQUIRE(set_item(b, key, p, {}, d));
        CHECK(get_item(b, key) == printed);
        if (!lossy) CHECK(a == b);
        // clear brings the key back to what the fresh config prints
        KeyCtx ctx{key, {}, {}, &d};
        std::string_view sub;
        auto row = find_row(key, sub);
        ctx.sub = sub;
        row->clear(b, ctx);
        CHECK(get_item(b, key) == get_item(base, key));
    };
    for (const auto& r : key_rows()) {
        if (r.name == "lxc.net.") continue;
        if (r.example.empty() || r.name == "lxc.include") continue;  // include reads a file
        std::string key = std::string(r.name) + std::string(r.example_sub);
        roundtrip(key, std::string(r.example), "");
    }
    for (const auto& n : net_rows()) {
        std::string type = "veth";
        if (n.sub.rfind("macvlan.", 0) == 0) type = "macvlan";
        if (n.sub.rfind("ipvlan.", 0) == 0) type = "ipvlan";
        if (n.sub.rfind("vlan.", 0) == 0) type = "vlan";
        if (n.sub == "type") continue;
        roundtrip("lxc.net.0." + std::string(n.sub), std::string(n.example),
                  "lxc.net.0.type = " + type + "\n");
    }
}
