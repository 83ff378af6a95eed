// cnt-ls: list the containers of an lxcpath (lxc-ls).
#include <regex.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "cnt/listing.hpp"
#include "cnt/log.hpp"

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string x; std::getline(in, x, sep);)
        if (!x.empty()) out.push_back(x);
    return out;
}

void print_columns(const std::vector<std::string>& names) {
    if (names.empty()) return;
    size_t width = 80;
    winsize ws{};
    if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        width = ws.ws_col;
    size_t colw = 0;
    for (const auto& n : names) colw = std::max(colw, n.size());
    colw += 2;
    size_t ncols = std::max<size_t>(1, width / colw);
    for (size_t k = 0; k < names.size(); ++k) {
        bool last = (k + 1) % ncols == 0 || k + 1 == names.size();
        std::cout << names[k];
        if (last)
            std::cout << '\n';
        else
            std::cout << std::string(colw - names[k].size(), ' ');
    }
}

void print_table(const std::vector<cnt::listing::Info>& rows,
                 const std::vector<std::string>& cols) {
    std::vector<std::vector<std::string>> cells;
    cells.push_back(cols);
    for (const auto& r : rows) {
        std::vector<std::string> line;
        for (const auto& c : cols) line.push_back(cnt::listing::column_value(r, c));
        cells.push_back(std::move(line));
    }
    std::vector<size_t> w(cols.size(), 0);
    for (const auto& line : cells)
        for (size_t k = 0; k < line.size(); ++k) w[k] = std::max(w[k], line[k].size());
    for (const auto& line : cells) {
        std::string out;
        for (size_t k = 0; k < line.size(); ++k) {
            out += line[k];
            if (k + 1 < line.size()) out += std::string(w[k] - line[k].size() + 1, ' ');
        }
        std::cout << out << '\n';
    }
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    namespace ls = cnt::listing;
    cnt::cli::Tool tool("cnt-ls",
                        "[-1] [-f] [-F COLS] [--running|--frozen|--stopped|--active|--defined] "
                        "[-g GROUPS] [--filter RE | RE] [--json]",
                        "List containers.");
    tool.no_name().no_rcfile().with_args();
    tool.opts().add_options()("line,1", po::bool_switch(), "one name per line")(
        "fancy,f", po::bool_switch(),
        "a table: NAME STATE AUTOSTART GROUPS IPV4 IPV6 UNPRIVILEGED")(
        "fancy-format,F", po::value<std::string>(),
        "COLS: comma list of NAME STATE PID RAM SWAP AUTOSTART GROUPS INTERFACE IPV4 IPV6 "
        "UNPRIVILEGED")("active", po::bool_switch(), "only containers that are not stopped")(
        "running", po::bool_switch(), "only running containers")(
        "frozen", po::bool_switch(), "only frozen containers")("stopped", po::bool_switch(),
                                                               "only stopped containers")(
        "defined", po::bool_switch(), "only defined containers (all listed ones are)")(
        "groups,g", po::value<std::string>(),
        "GROUPS: comma list; a container must be in all of them")(
        "filter", po::value<std::string>(), "RE: POSIX extended regular expression on the names")(
        "json", po::bool_switch(), "print a JSON array with every column");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& vm = tool.vm();
    auto flag = [&](const char* k) { return vm[k].as<bool>(); };

    std::string filter;
    if (vm.count("filter")) filter = vm["filter"].as<std::string>();
    const auto& args = tool.common().args;
    if (!args.empty()) {
        if (args.size() > 1 || !filter.empty())
            return tool.fail_msg("only one filter may be given");
        filter = args.front();
    }
    regex_t rx;
    if (!filter.empty() && ::regcomp(&rx, filter.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return tool.fail_msg("invalid regular expression \"" + filter + "\"");

    std::vector<std::string> cols;
    bool table = flag("fancy") || vm.count("fancy-format");
    if (vm.count("fancy-format")) {
        for (auto c : split(vm["fancy-format"].as<std::string>(), ',')) {
            std::transform(c.begin(), c.end(), c.begin(), ::toupper);
            if (!ls::valid_column(c)) {
                // LXC's behaviour: complain, list nothing, succeed.
                std::cerr << "cnt-ls: Invalid key: " << c << '\n';
                return 0;
            }
            cols.push_back(c);
        }
    } else if (table) {
        cols = {"NAME", "STATE", "AUTOSTART", "GROUPS", "IPV4", "IPV6", "UNPRIVILEGED"};
    }

    std::vector<cnt::State> want_states;
    if (flag("running")) want_states.push_back(cnt::State::running);
    if (flag("frozen")) want_states.push_back(cnt::State::frozen);
    if (flag("stopped")) want_states.push_back(cnt::State::stopped);
    bool active = flag("active");
    std::vector<std::string> groups;
    if (vm.count("groups")) groups = split(vm["groups"].as<std::string>(), ',');

    ls::Need need;
    if (flag("json")) need = ls::Need::all();
    for (const auto& c : cols) ls::add_need(need, c);
    if (!want_states.empty() || active) need.state = true;
    if (!groups.empty()) need.config = true;

    std::vector<ls::Info> rows;
    for (const auto& name : ls::defined_names(tool.common().lxcpath)) {
        if (!filter.empty() && ::regexec(&rx, name.c_str(), 0, nullptr, 0) != 0) continue;
        auto i = ls::info(name, tool.common().lxcpath, need);
        if (!i) {
            cnt::log::error("Failed to load config for ", name, ": ", i.error().message());
            continue;
        }
        if (!want_states.empty() &&
            std::find(want_states.begin(), want_states.end(), i->state) == want_states.end())
            continue;
        if (active && i->state == cnt::State::stopped) continue;
        bool in_all = std::all_of(groups.begin(), groups.end(), [&](const std::string& g) {
            return std::find(i->groups.begin(), i->groups.end(), g) != i->groups.end();
        });
        if (!in_all) continue;
        rows.push_back(std::move(*i));
    }

    if (flag("json")) {
        std::cout << ls::info_json(rows) << '\n';
    } else if (table) {
        print_table(rows, cols);
    } else {
        std::vector<std::string> names;
        for (const auto& r : rows) names.push_back(r.name);
        if (flag("line")) {
            for (const auto& n : names) std::cout << n << '\n';
        } else {
            print_columns(names);
        }
    }
    return 0;
}
