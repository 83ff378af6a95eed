// Logging: LXC's levels, stderr (unless -q) and an optional log file. Never exits.
#pragma once
#include <time.h>

#include <optional>
#include <string>
#include <string_view>

#include "cnt/error.hpp"

namespace cnt::log {

enum class Level { trace = 0, debug, info, notice, warn, error, crit, alert, fatal, notset };

// "TRACE".."FATAL" (case-insensitive) or "0".."8".
std::optional<Level> parse_level(std::string_view s);
std::string_view level_name(Level l);

struct Settings {
    std::string prog;       // "cnt-start"
    std::string container;  // "web1" (may be empty)
    Level stderr_level = Level::error;
    bool quiet = false;               // -q: nothing on stderr
    Level file_level = Level::error;  // for the log file
    std::string file;                 // -o / lxc.log.file; empty = none
};
void configure(const Settings& s);
const Settings& settings();
void set_container(std::string name);
// For a child that ran in this process's memory (proc::clone_sharing_memory) and changed the
// settings and the log file: both as this process had them, to put back once it is gone (the
// child's descriptor numbers mean nothing here, and are not closed).
struct Snapshot {
    Settings settings;
    int file_fd = -1;
};
Snapshot snapshot();
void restore(const Snapshot& s);
// Open (append) the log file; returns false and leaves logging to stderr if it cannot.
bool open_file(const std::string& path, Level level);

void write(Level l, const std::string& msg);
// A log line's time, "YYYYMMDDhhmmss.mmm" in UTC as LXC writes it. Computed here: glibc's
// gmtime_r reads the time zone file on its first call, on every command's exit path.
std::string stamp(const timespec& ts);

template <class... A>
void trace(const A&... a) {
    write(Level::trace, cat(a...));
}
template <class... A>
void debug(const A&... a) {
    write(Level::debug, cat(a...));
}
template <class... A>
void info(const A&... a) {
    write(Level::info, cat(a...));
}
template <class... A>
void notice(const A&... a) {
    write(Level::notice, cat(a...));
}
template <class... A>
void warn(const A&... a) {
    write(Level::warn, cat(a...));
}
template <class... A>
void error(const A&... a) {
    write(Level::error, cat(a...));
}

}  // namespace cnt::log
