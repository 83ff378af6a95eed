// Container::load_config: the container's config file (or --rcfile) plus -s/--define items.
#include "cnt/config.hpp"
#include "cnt/container.hpp"

namespace cnt {

Result<config::Config> Container::load_config(const std::string& rcfile,
                                              const std::vector<std::string>& defines,
                                              config::Diagnostics* diags) const {
    config::Diagnostics local;
    config::Diagnostics& d = diags ? *diags : local;
    config::Config cfg;
    config::load_file(rcfile.empty() ? paths_.config() : rcfile, cfg, d);
    for (const auto& def : defines) {
        auto eq = def.find('=');
        config::Location where{};  // "<define>"
        if (eq == std::string::npos) {
            d.error(where, cat("invalid define \"", def, "\" (KEY=VALUE expected)"));
            continue;
        }
        config::set_item(cfg, def.substr(0, eq), def.substr(eq + 1), where, d);
    }
    if (d.has_errors()) {
        size_t n = 0;
        const config::Diagnostic* first = nullptr;
        for (const auto& i : d.items)
            if (i.severity == config::Diagnostic::Severity::error && !n++) first = &i;
        std::string more = n > 1 ? cat(" (and ", n - 1, " more)") : std::string();
        // Not a system error: no errno text after the file:line diagnostic.
        return std::unexpected(Error{0, cat("loading config: ", first->str(), more), name()});
    }
    return cfg;
}

}  // namespace cnt
