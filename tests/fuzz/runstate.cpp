// Fuzz target: the run-state reader (container/run_state_file.cpp runstate::read) and what the
// tools take from it (the network part, net::Attached::load). The state file lives in a
// private run directory under /tmp (cnt.conf's rundir, through $CNT_CONF), removed at exit.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cnt/net.hpp"
#include "cnt/state.hpp"
#include "cnt/store.hpp"
#include "input.hpp"

namespace {

std::string g_dir;

void remove_dir() { std::filesystem::remove_all(g_dir); }

// The container's paths, with a run directory of our own (before sysconf reads cnt.conf).
const cnt::store::Paths& paths() {
    static const cnt::store::Paths p = [] {
        char tmpl[] = "/tmp/cnt-fuzz-state-XXXXXX";
        if (!::mkdtemp(tmpl)) std::abort();
        g_dir = tmpl;
        std::atexit(remove_dir);
        std::string conf = g_dir + "/cnt.conf";
        int fd = ::open(conf.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        std::string text = "[paths]\nrundir = " + g_dir + "/run\n";
        if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
            std::abort();
        ::close(fd);
        ::setenv("CNT_CONF", conf.c_str(), 1);
        cnt::store::Paths q{"/fuzz/lxc", "c"};
        if (!cnt::store::mkdirs(q.run_dir(), 0700)) std::abort();
        return q;
    }();
    return p;
}

void put(const std::string& file, std::string_view content) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 ||
        ::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()))
        std::abort();
    ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto& p = paths();
    put(p.state_file(), cnt::fuzz::text(data, size));
    auto s = cnt::runstate::read(p);
    if (!s) {
        (void)s.error().message();
        return 0;
    }
    if (!*s) return 0;
    (void)cnt::state_name((*s)->state);
    auto attached = cnt::net::Attached::load((*s)->net);
    (void)attached.save();
    return 0;
}
