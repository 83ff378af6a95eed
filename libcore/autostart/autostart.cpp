#include "cnt/autostart.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include "cnt/container.hpp"
#include "cnt/listing.hpp"

namespace cnt::autostart {

std::vector<std::string> split_groups(const std::string& arg) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        size_t comma = arg.find(',', start);
        out.push_back(
            arg.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::vector<Entry> select(const std::string& lxcpath, const Options& o,
                          std::vector<Failure>& failures) {
    std::vector<Entry> candidates;
    for (const auto& name : listing::defined_names(lxcpath)) {
        auto c = Container::open(name, lxcpath);
        if (!c) {
            failures.push_back({name, c.error()});
            continue;
        }
        auto cfg = c->load_config();
        if (!cfg) {
            failures.push_back({name, cfg.error()});
            continue;
        }
        if (!cfg->start.autostart && !o.ignore_auto) continue;
        candidates.push_back({name, cfg->start.order, cfg->start.delay, cfg->start.groups});
    }
    auto by_order = [](const Entry& a, const Entry& b) {
        return a.order != b.order ? a.order < b.order : a.name < b.name;
    };

    std::vector<Entry> picked;
    if (o.all) {
        picked = candidates;
        std::stable_sort(picked.begin(), picked.end(), by_order);
    } else {
        std::vector<std::string> groups =
            o.groups.empty() ? std::vector<std::string>{""} : o.groups;
        std::set<std::string> done;
        for (const auto& g : groups) {
            std::vector<Entry> in_group;
            for (const auto& e : candidates) {
                if (done.count(e.name)) continue;
                bool member =
                    g.empty() ? e.groups.empty()
                              : std::find(e.groups.begin(), e.groups.end(), g) != e.groups.end();
                if (member) in_group.push_back(e);
            }
            std::stable_sort(in_group.begin(), in_group.end(), by_order);
            for (auto& e : in_group) {
                done.insert(e.name);
                picked.push_back(std::move(e));
            }
        }
    }
    // Stopping undoes starting: last started, first stopped.
    if (o.action != Action::start) std::reverse(picked.begin(), picked.end());
    return picked;
}

std::vector<Failure> run(const std::string& lxcpath, const Options& o,
                         const std::function<void(const Entry&, bool)>& on_done,
                         const std::function<void(std::chrono::seconds)>& sleep) {
    std::vector<Failure> failures;
    auto list = select(lxcpath, o, failures);
    for (size_t k = 0; k < list.size(); ++k) {
        const auto& e = list[k];
        auto c = Container::open(e.name, lxcpath);
        Result<void> r;
        if (!c) {
            r = std::unexpected(c.error());
        } else if (o.action == Action::start) {
            // An already running container counts as started (cnt-start says the same).
            if (c->state() != State::stopped)
                r = {};
            else
                r = c->start(StartOptions{});
        } else {
            StopOptions so;
            so.timeout = o.timeout;
            so.kill = o.action == Action::kill;
            so.reboot = o.action == Action::reboot;
            auto s = c->stop(so);
            if (!s)
                r = std::unexpected(s.error());
            else if (*s == StopOutcome::timed_out)
                r = error("timed out stopping");
        }
        if (!r) failures.push_back({e.name, r.error()});
        if (on_done) on_done(e, bool(r));
        // The delay gives a started container time to settle before the next one starts.
        if (o.action == Action::start && r && e.delay > 0 && k + 1 < list.size()) {
            if (sleep)
                sleep(std::chrono::seconds(e.delay));
            else
                std::this_thread::sleep_for(std::chrono::seconds(e.delay));
        }
    }
    return failures;
}

}  // namespace cnt::autostart
