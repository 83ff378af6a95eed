// cnt-top: a live table of the running containers' resource use, as lxc-top.
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "cnt/top.hpp"

namespace {
uint64_t now_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}
}  // namespace

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool("cnt-top",
                        "[-d DELAY] [-s n|c|b|m|s|k] [-r] [-b | --json] [--iterations N]",
                        "Show the resource use of the running containers, refreshed in place.");
    tool.no_name().no_rcfile();
    tool.opts().add_options()("delay,d", po::value<double>()->default_value(3.0),
                              "DELAY in seconds between refreshes (default 3)")(
        "sort,s", po::value<char>()->default_value('n'),
        "sort by n name, c CPU, b block I/O, m memory, s memory+swap, k kernel memory")(
        "reverse,r", "sort in descending order")("batch,b", "plain output for a file or a script")(
        "json", "one JSON array per refresh (implies --batch)")(
        "iterations", po::value<unsigned>()->default_value(0),
        "N refreshes then exit (0: forever)")("no-humanize,H", "raw byte counts");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    double delay = tool.vm()["delay"].as<double>();
    if (!(delay > 0 && delay <= 86400) || std::isnan(delay))
        return tool.fail_msg("invalid delay: expected 0 < DELAY <= 86400");
    auto sort = cnt::top::parse_sort(tool.vm()["sort"].as<char>());
    if (!sort) return tool.fail_msg("invalid sort key (n, c, b, m, s or k)");
    bool json = tool.has("json"), batch = json || tool.has("batch") || !::isatty(1);
    bool reverse = tool.has("reverse"), humanize = !tool.has("no-humanize");
    unsigned left = tool.vm()["iterations"].as<unsigned>();
    const std::string& lxcpath = tool.common().lxcpath;

    auto before = cnt::top::sample(lxcpath);
    uint64_t t0 = now_ns();
    for (unsigned i = 0; left == 0 || i < left; ++i) {
        std::this_thread::sleep_for(std::chrono::duration<double>(delay));
        auto now = cnt::top::sample(lxcpath);
        uint64_t t1 = now_ns();
        auto rows = cnt::top::rows(before, now, t1 - t0, *sort, reverse);
        if (json)
            std::cout << cnt::top::json(rows) << '\n';
        else
            std::cout << (batch ? "" : "\033[H\033[2J") << cnt::top::table(rows, humanize)
                      << (batch ? "\n" : "");
        std::cout.flush();
        before = std::move(now);
        t0 = t1;
    }
    return 0;
}
