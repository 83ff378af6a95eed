// cnt-info: a container's state, init pid, addresses, cgroup and link statistics, and config
// values (-c KEY, as lxc-info -c prints them). --check validates the config.
#include <cstdio>
#include <iostream>

#include "cli.hpp"
#include "cnt/bdev.hpp"
#include "cnt/config.hpp"
#include "cnt/container.hpp"
#include "cnt/listing.hpp"
#include "cnt/net.hpp"
#include "cnt/state.hpp"

namespace {

namespace po = cnt::cli::po;

// lxc-info's columns: the label left-aligned in 15 characters, a blank, the value.
void row(const std::string& label, const std::string& value) {
    std::printf("%-15s %s\n", label.c_str(), value.c_str());
}

// lxc-info's size_humanize.
std::string human(uint64_t v) {
    char buf[64];
    if (v >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.2f GiB", double(v) / double(1ull << 30));
    else if (v >= (1ull << 20))
        std::snprintf(buf, sizeof buf, "%.2f MiB", double(v) / double(1ull << 20));
    else if (v >= (1ull << 10))
        std::snprintf(buf, sizeof buf, "%.2f KiB", double(v) / double(1ull << 10));
    else
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(v));
    return buf;
}
std::string size_str(uint64_t v, bool humanize) { return humanize ? human(v) : std::to_string(v); }

void print_diags(const cnt::config::Diagnostics& d) {
    for (const auto& i : d.items)
        std::cerr << i.str()
                  << (i.severity == cnt::config::Diagnostic::Severity::warning ? " (warning)" : "")
                  << "\n";
}

// --registry-man and --list-keys need no container (build time, tests): answered before the
// command line is parsed.
std::optional<int> build_time_output(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--registry-man") {
            std::cout << cnt::config::registry_man_page();
            return 0;
        }
        if (std::string(argv[i]) == "--list-keys") {  // for tests/integration/t-config-lxc-diff.sh
            for (const auto& k : cnt::config::known_keys()) std::cout << k << "\n";
            return 0;
        }
    }
    return std::nullopt;
}

// --check and -c KEY...: the config's diagnostics and values, as lxc-info -c prints them.
int print_config(const cnt::cli::Tool& tool, const cnt::Container& c,
                 const std::vector<std::string>& keys, bool humanize) {
    cnt::config::Diagnostics diags;
    auto cfg = c.load_config(tool.common().rcfile, {}, &diags);
    if (tool.has("check") || !cfg) print_diags(diags);
    if (!cfg) return 1;
    if (tool.has("check") && keys.empty()) return 0;
    for (const auto& k : keys) {
        auto v = cnt::config::get_item(*cfg, k);
        if (!v) {
            std::cerr << k << " invalid\n";
            continue;
        }
        if (keys.size() == 1 && !humanize)
            std::printf("%s\n", v->c_str());
        else if (v->empty())
            std::printf("%s =\n", k.c_str());
        else
            std::printf("%s = %s\n", k.c_str(), v->c_str());
    }
    return 0;
}

// Without a field option, the id map too (lxc.idmap, as "u 0 100000 65536": what the
// container's ids are on the host) and the rootfs's backing store.
void print_idmap_and_rootfs(const cnt::Container& c, const std::string& rcfile) {
    auto cfg = c.load_config(rcfile);
    if (!cfg) return;
    for (const auto& m : cfg->ns.idmaps)
        row("IDMAP:", cnt::cat(m.type, ' ', m.nsid, ' ', m.hostid, ' ', m.range));
    if (!cfg->rootfs.path.empty())
        if (auto b = cnt::bdev::parse(cfg->rootfs.backend, cfg->rootfs.path)) {
            row("Backend:", std::string(cnt::bdev::name(b->kind)));
            row("Rootfs:", b->str());
        }
}

// -S: the cgroup's use and the host ends' counters.
void print_stats(const cnt::Container& c, bool humanize) {
    if (auto s = c.stats()) {
        if (s->has_cpu) {
            char buf[64];
            if (humanize)
                std::snprintf(buf, sizeof buf, "%.2f seconds", double(s->cpu_ns) / 1e9);
            else
                std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(s->cpu_ns));
            row("CPU use:", buf);
        }
        if (s->has_blkio) row("BlkIO use:", size_str(s->blkio_bytes, humanize));
        if (s->has_memory) row("Memory use:", size_str(s->memory_bytes, humanize));
        if (s->has_kmem) row("KMem use:", size_str(s->kmem_bytes, humanize));
    }
    auto rs = c.run_state();
    if (!rs) return;
    auto attached = cnt::net::Attached::load(rs->net);
    if (auto links = cnt::net::host_links(attached))
        for (const auto& l : *links) {
            row("Link:", l.host_name);
            row(" TX bytes:", size_str(l.tx_bytes, humanize));
            row(" RX bytes:", size_str(l.rx_bytes, humanize));
            row(" Total bytes:", size_str(l.tx_bytes + l.rx_bytes, humanize));
        }
}

// lxc-info's rows: the fields asked for (-s -p -i -S), or all of them with the name.
int print_rows(const cnt::cli::Tool& tool, const cnt::Container& c, bool humanize) {
    bool st = tool.has("state"), pid = tool.has("pid"), ips = tool.has("ips"),
         stats = tool.has("stats");
    int fields = st + pid + ips + stats;
    if (fields == 0) {
        st = pid = ips = stats = true;
        row("Name:", c.name());
    }
    // With -H and a single field, lxc-info prints the bare value.
    auto out = [&](const char* label, const std::string& v) {
        if (!humanize && fields == 1)
            std::printf("%s\n", v.c_str());
        else
            row(label, v);
    };
    auto state = c.state();
    if (st) out("State:", std::string(cnt::state_name(state)));
    bool running = state != cnt::State::stopped;
    pid_t init = running ? c.init_pid() : 0;
    if (running && init > 0) {
        if (pid) out("PID:", std::to_string(init));
        if (ips)
            if (auto addrs = cnt::net::addresses(init))
                for (const auto& a : *addrs) out("IP:", a);
    }
    if (fields == 0) print_idmap_and_rootfs(c, tool.common().rcfile);
    if (stats && running) print_stats(c, humanize);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-info", "-n NAME [-s] [-p] [-i] [-S] [-H] [-c KEY]... [--check]",
                        "Show information about a container.");
    tool.opts().add_options()("config,c", po::value<std::vector<std::string>>(),
                              "KEY: print this config value")("state,s", "show the state")(
        "pid,p", "show the pid of init")("ips,i", "show the IP addresses")(
        "stats,S", "show CPU, block I/O, memory and network use")(
        "no-humanize,H", "raw numbers; with one field, print only its value")(
        "check", "validate the config: print every warning and error, exit 1 on errors")(
        "json", "print everything as one JSON object (the keys of cnt-ls --json)")(
        "registry-man", "print the cnt.conf(5) page generated from the key registry")(
        "run-dir", "internal (tests, bench/run.sh): print the container's run directory");
    if (auto rc = build_time_output(argc, argv)) return *rc;
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& com = tool.common();
    auto c = cnt::Container::open(com.name, com.lxcpath);
    if (!c) return tool.fail(c.error());
    if (tool.has("run-dir")) {
        std::cout << c->paths().run_dir() << "\n";
        return 0;
    }
    if (!c->defined() && com.rcfile.empty()) return tool.fail_msg(com.name + " doesn't exist");
    bool humanize = !tool.has("no-humanize");
    std::vector<std::string> keys;
    if (tool.has("config")) keys = tool.vm()["config"].as<std::vector<std::string>>();
    if (tool.has("check") || !keys.empty()) return print_config(tool, *c, keys, humanize);
    // A run state that cannot be read is not "STOPPED": say why instead.
    if (auto rs = c->read_run_state(); !rs) return tool.fail(rs.error());
    if (tool.has("json")) {
        auto i = cnt::listing::info(c->name(), com.lxcpath, cnt::listing::Need::all());
        if (!i) return tool.fail(i.error());
        std::cout << cnt::listing::info_json(*i) << "\n";
        return 0;
    }
    return print_rows(tool, *c, humanize);
}
