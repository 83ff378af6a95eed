#include "cnt/log.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>

#include "cnt/fd.hpp"

namespace cnt::log {
namespace {

constexpr std::array<std::string_view, 9> kNames = {"TRACE", "DEBUG", "INFO",  "NOTICE", "WARN",
                                                    "ERROR", "CRIT",  "ALERT", "FATAL"};
Settings g_settings;
unique_fd g_file;

void write_all(int fd, const std::string& s) {
    const char* p = s.data();
    size_t n = s.size();
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
}

}  // namespace

std::optional<Level> parse_level(std::string_view s) {
    if (s.size() == 1 && s[0] >= '0' && s[0] <= '8') return static_cast<Level>(s[0] - '0');
    for (size_t i = 0; i < kNames.size(); ++i) {
        const auto& n = kNames[i];
        if (n.size() != s.size()) continue;
        bool eq = true;
        for (size_t j = 0; j < n.size(); ++j)
            if (std::toupper(static_cast<unsigned char>(s[j])) != n[j]) eq = false;
        if (eq) return static_cast<Level>(i);
    }
    // LXC also accepts WARNING as WARN in its tools.
    if (s == "WARNING" || s == "warning") return Level::warn;
    return std::nullopt;
}

std::string_view level_name(Level l) {
    auto i = static_cast<size_t>(l);
    return i < kNames.size() ? kNames[i] : "NOTSET";
}

void configure(const Settings& s) { g_settings = s; }
const Settings& settings() { return g_settings; }
void set_container(std::string name) { g_settings.container = std::move(name); }

Snapshot snapshot() { return {g_settings, g_file.get()}; }

void restore(const Snapshot& s) {
    (void)g_file.release();
    g_file.reset(s.file_fd);
    g_settings = s.settings;
}

bool open_file(const std::string& path, Level level) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) return false;
    g_file.reset(fd);
    g_settings.file = path;
    g_settings.file_level = level;
    return true;
}

std::string stamp(const timespec& ts) {
    using namespace std::chrono;
    const sys_seconds t{seconds{ts.tv_sec}};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    char buf[96];
    snprintf(buf, sizeof buf, "%04d%02u%02u%02ld%02ld%02ld.%03ld", static_cast<int>(ymd.year()),
             static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
             static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
             static_cast<long>(hms.seconds().count()), ts.tv_nsec / 1000000);
    return buf;
}

void write(Level l, const std::string& msg) {
    const auto& s = g_settings;
    if (!s.quiet && l >= s.stderr_level && l != Level::notset) {
        std::string line = s.prog;
        if (!line.empty()) line += ": ";
        if (!s.container.empty()) line += s.container + ": ";
        if (l == Level::warn) line += "warning: ";
        line += msg;
        line += '\n';
        write_all(STDERR_FILENO, line);
    }
    if (g_file && l >= s.file_level) {
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        std::string line = cat(s.prog, ' ', s.container, ' ', stamp(ts), ' ', level_name(l));
        line.append(9 - std::min<size_t>(8, level_name(l).size()), ' ');
        line += msg;
        line += '\n';
        write_all(g_file.get(), line);
    }
}

}  // namespace cnt::log
