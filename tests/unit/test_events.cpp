// Unit tests of libcore/events: the run-state watch.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cnt/events.hpp"
#include "cnt/store.hpp"

namespace fs = std::filesystem;

TEST_CASE("events::Watch sees renames and removals of state files", "[events]") {
    auto dir = fs::temp_directory_path() / ("cnt-unit-ev-" + std::to_string(::getpid()));
    fs::create_directories(dir / "lxc");
    fs::create_directories(dir / "run");
    {
        std::ofstream(dir / "cnt.conf") << "[paths]\nlxcpath = " << (dir / "lxc").string()
                                        << "\nrundir = " << (dir / "run").string() << "\n";
    }
    // sysconf caches per process: only valid if nothing read it before; set and verify.
    ::setenv("CNT_CONF", (dir / "cnt.conf").c_str(), 1);
    cnt::store::Paths p{(dir / "lxc").string(), "w1"};
    if (p.run_dir().rfind((dir / "run").string(), 0) != 0) {
        fs::remove_all(dir);
        WARN("sysconf already cached by another test; skipped");
        return;
    }
    auto w = cnt::events::Watch::open(p.lxcpath);
    REQUIRE(w);
    // A state file counts only with its init alive (as cnt-info says): this process plays it.
    cnt::RunState s;
    s.state = cnt::State::running;
    s.init_pid = s.monitor_pid = ::getpid();
    s.init_start = s.monitor_start = cnt::store::process_start_time(::getpid());
    REQUIRE(cnt::runstate::write(p, s));
    std::vector<cnt::events::Change> seen;
    for (int k = 0; k < 10 && seen.empty(); ++k) {
        auto c = w->next(std::chrono::milliseconds(500));
        REQUIRE(c);
        seen = *c;
    }
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].name == "w1");
    CHECK(seen[0].state == cnt::State::running);
    cnt::runstate::remove(p);
    auto c = w->next(std::chrono::milliseconds(2000));
    REQUIRE(c);
    REQUIRE(c->size() == 1);
    CHECK((*c)[0].state == cnt::State::stopped);
    fs::remove_all(dir);
}
