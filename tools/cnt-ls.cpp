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

namespace ls = cnt::listing;
namespace po = cnt::cli::po;

void declare_options(cnt::cli::Tool& tool) {
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
}

// Which containers to list: the name filter, the wanted states and groups.
struct Selection {
    std::string filter;
    regex_t rx{};
    std::vector<cnt::State> states;
    bool active = false;
    std::vector<std::string> groups;

    bool name_matches(const std::string& name) const {
        return filter.empty() || ::regexec(&rx, name.c_str(), 0, nullptr, 0) == 0;
    }
    bool info_matches(const ls::Info& i) const {
        if (!states.empty() && std::find(states.begin(), states.end(), i.state) == states.end())
            return false;
        if (active && i.state == cnt::State::stopped) return false;
        return std::all_of(groups.begin(), groups.end(), [&](const std::string& g) {
            return std::find(i.groups.begin(), i.groups.end(), g) != i.groups.end();
        });
    }
};

// The name filter (--filter or one positional), compiled. A value: exit with it.
std::optional<int> read_filter(const cnt::cli::Tool& tool, Selection& sel) {
    const auto& vm = tool.vm();
    if (vm.count("filter")) sel.filter = vm["filter"].as<std::string>();
    const auto& args = tool.common().args;
    if (!args.empty()) {
        if (args.size() > 1 || !sel.filter.empty())
            return tool.fail_msg("only one filter may be given");
        sel.filter = args.front();
    }
    if (!sel.filter.empty() &&
        ::regcomp(&sel.rx, sel.filter.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return tool.fail_msg("invalid regular expression \"" + sel.filter + "\"");
    return std::nullopt;
}

void read_states_and_groups(const po::variables_map& vm, Selection& sel) {
    if (vm["running"].as<bool>()) sel.states.push_back(cnt::State::running);
    if (vm["frozen"].as<bool>()) sel.states.push_back(cnt::State::frozen);
    if (vm["stopped"].as<bool>()) sel.states.push_back(cnt::State::stopped);
    sel.active = vm["active"].as<bool>();
    if (vm.count("groups")) sel.groups = split(vm["groups"].as<std::string>(), ',');
}

// The table's columns (-F or -f's default). False: an invalid key, already reported.
bool read_columns(const po::variables_map& vm, std::vector<std::string>& cols) {
    if (vm.count("fancy-format")) {
        for (auto c : split(vm["fancy-format"].as<std::string>(), ',')) {
            std::transform(c.begin(), c.end(), c.begin(), ::toupper);
            if (!ls::valid_column(c)) {
                std::cerr << "cnt-ls: Invalid key: " << c << '\n';
                return false;
            }
            cols.push_back(c);
        }
    } else if (vm["fancy"].as<bool>()) {
        cols = {"NAME", "STATE", "AUTOSTART", "GROUPS", "IPV4", "IPV6", "UNPRIVILEGED"};
    }
    return true;
}

// What must be read for each container: only what is printed or filtered on.
ls::Need needs(bool json, const std::vector<std::string>& cols, const Selection& sel) {
    ls::Need need;
    if (json) need = ls::Need::all();
    for (const auto& c : cols) ls::add_need(need, c);
    if (!sel.states.empty() || sel.active) need.state = true;
    if (!sel.groups.empty()) need.config = true;
    return need;
}

std::vector<ls::Info> select_rows(const std::string& lxcpath, const Selection& sel,
                                  const ls::Need& need) {
    std::vector<ls::Info> rows;
    for (const auto& name : ls::defined_names(lxcpath)) {
        if (!sel.name_matches(name)) continue;
        auto i = ls::info(name, lxcpath, need);
        if (!i) {
            cnt::log::error("Failed to load config for ", name, ": ", i.error().message());
            continue;
        }
        if (sel.info_matches(*i)) rows.push_back(std::move(*i));
    }
    return rows;
}

void print_rows(const po::variables_map& vm, const std::vector<ls::Info>& rows, bool table,
                const std::vector<std::string>& cols) {
    if (vm["json"].as<bool>()) {
        std::cout << ls::info_json(rows) << '\n';
    } else if (table) {
        print_table(rows, cols);
    } else {
        std::vector<std::string> names;
        for (const auto& r : rows) names.push_back(r.name);
        if (vm["line"].as<bool>()) {
            for (const auto& n : names) std::cout << n << '\n';
        } else {
            print_columns(names);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-ls",
                        "[-1] [-f] [-F COLS] [--running|--frozen|--stopped|--active|--defined] "
                        "[-g GROUPS] [--filter RE | RE] [--json]",
                        "List containers.");
    declare_options(tool);
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& vm = tool.vm();

    Selection sel;
    if (auto rc = read_filter(tool, sel)) return *rc;
    std::vector<std::string> cols;
    bool table = vm["fancy"].as<bool>() || vm.count("fancy-format");
    // LXC's behaviour on an invalid -F key: complain, list nothing, succeed.
    if (!read_columns(vm, cols)) return 0;
    read_states_and_groups(vm, sel);

    auto need = needs(vm["json"].as<bool>(), cols, sel);
    auto rows = select_rows(tool.common().lxcpath, sel, need);
    print_rows(vm, rows, table, cols);
    return 0;
}
