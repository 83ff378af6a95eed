// Fuzz target: the lxc.conf reader and every key's value parser and getter (config/reader.cpp,
// config/registry*.cpp), as cnt-start, cnt-info -c and cnt-checkconfig run them.
#include "cnt/config.hpp"

#include <cstdint>
#include <string>

#include "input.hpp"

namespace {
namespace config = cnt::config;

// Each key's getter, net keys for every interface the input defined.
void print_all(const config::Config& cfg) {
    for (const auto& key : config::known_keys()) {
        (void)config::get_item(cfg, key);
        if (key.rfind("lxc.net.0.", 0) != 0) continue;
        for (const auto& n : cfg.networks)
            (void)config::get_item(cfg, "lxc.net." + std::to_string(n.index) + key.substr(9));
    }
    for (const auto& m : cfg.mounts.entries) (void)config::split_mount_entry(m.line);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(cnt::fuzz::text(data, size));
    // lxc.include reads the host's files (a FIFO or /dev/zero there is the hostile-input
    // tests' business): the fuzzer stays on the text.
    if (text.find("include") != std::string::npos) return -1;
    config::Config cfg;
    config::Diagnostics diags;
    config::load_string(text, "/fuzz/config", cfg, diags);
    for (const auto& d : diags.items) (void)d.str();
    print_all(cfg);
    return 0;
}
