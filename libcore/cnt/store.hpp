// Containers on disk and at run time: names, paths, locks, atomic state files.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::store {

// Empty, ".", "..", '/', leading '-' or '.', control characters, over 64 bytes: rejected,
// and the message says which rule failed.
Result<void> validate_name(std::string_view name);

struct Paths {
    std::string lxcpath;  // without trailing '/'
    std::string name;

    std::string dir() const { return lxcpath + "/" + name; }
    std::string config() const { return dir() + "/config"; }
    std::string rootfs() const { return dir() + "/rootfs"; }
    std::string partial() const { return dir() + "/partial"; }
    std::string logfile() const { return dir() + "/" + name + ".log"; }
    // /run/cnt/<hash of lxcpath>/<name>: short enough for a unix socket path, one per lxcpath.
    std::string run_dir() const;
    std::string lock_file() const { return run_dir() + "/lock"; }
    std::string state_file() const { return run_dir() + "/state"; }
    std::string socket() const { return run_dir() + "/command"; }
};

// A container is defined when <dir>/config exists.
bool defined(const Paths& p);

// mkdir -p with mode for the missing parts.
Result<void> mkdirs(const std::string& path, unsigned mode = 0755);

// The container's lock: an OFD write lock on run_dir()/lock held for the tool's whole run.
class Lock {
public:
    enum class Mode { wait, try_once };
    static Result<Lock> acquire(const Paths& p, Mode mode = Mode::wait);
    Lock() = default;
    bool held() const { return bool(fd_); }
    void release() { fd_.reset(); }
    int fd() const { return fd_.get(); }

private:
    explicit Lock(unique_fd fd) : fd_(std::move(fd)) {}
    unique_fd fd_;
};

// Write a file by writing a temp name in the same directory then rename(2).
Result<void> write_atomic(const std::string& path, std::string_view content, unsigned mode = 0644);
Result<std::string> read_file(const std::string& path);

// "key=value" lines, for state files.
using KeyValues = std::map<std::string, std::string>;
std::string format_kv(const KeyValues& kv);
KeyValues parse_kv(std::string_view text);

// The start time of a process (field 22 of /proc/PID/stat): with the pid, identifies it even
// after the pid is reused. 0 when the process does not exist.
unsigned long long process_start_time(pid_t pid);

}  // namespace cnt::store
