#include "cnt/store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <thread>

#include "cnt/dir.hpp"
#include "cnt/sysconf.hpp"

namespace cnt::store {

Result<void> validate_name(std::string_view name) {
    if (name.empty()) return error("invalid container name: it is empty");
    if (name == "." || name == "..")
        return error("invalid container name \"", name, "\": \".\" and \"..\" are not names");
    if (name.size() > 64)
        return error("invalid container name \"", name.substr(0, 20),
                     "...\": longer than 64 bytes");
    if (name.front() == '-')
        return error("invalid container name \"", name, "\": it starts with '-'");
    if (name.front() == '.')
        return error("invalid container name \"", name, "\": it starts with '.'");
    for (unsigned char c : name) {
        if (c == '/') return error("invalid container name \"", name, "\": it contains '/'");
        if (c < 0x20 || c == 0x7f)
            return error("invalid container name: it contains a control character");
    }
    return {};
}

std::string Paths::run_dir() const {
    // FNV-1a of the lxcpath: fixed length, so the socket path always fits in sun_path.
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : lxcpath) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char hex[16];
    for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = "0123456789abcdef"[h & 15];
    const std::string& base = sysconf::get().rundir;
    std::string d;
    d.reserve(base.size() + 18 + name.size());
    d.append(base).append("/").append(hex, sizeof hex).append("/").append(name);
    return d;
}

bool defined(const Paths& p) {
    struct stat st {};
    return ::stat(p.config().c_str(), &st) == 0;
}

Result<bool> check_defined(const Paths& p) {
    struct stat st {};
    if (::stat(p.config().c_str(), &st) == 0) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return sys_error(cat("looking for the config \"", p.config(), "\""));
}

Result<void> mkdirs(const std::string& path, unsigned mode) {
    if (path.empty()) return {};
    if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return {};  // the usual case
    std::string cur;
    size_t i = 0;
    while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        cur = path.substr(0, j);
        if (!cur.empty() && ::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST)
            return sys_error(cat("creating directory \"", cur, "\""));
        i = j + 1;
    }
    return {};
}

namespace {

// The lock file, opened, with its directories made.
Result<unique_fd> open_lock_file(const Paths& p) {
    // The parent records which lxcpath the hash stands for (for humans).
    std::string parent = p.run_dir().substr(0, p.run_dir().rfind('/'));
    unique_fd fd;
    // A Lock released elsewhere may remove the (then empty) parent between our mkdir of it and
    // of the container's directory: make the path again and retry.
    for (int tries = 0; !fd; ++tries) {
        auto made = mkdirs(p.run_dir(), 0700);
        if (made) {
            if (::access((parent + "/lxcpath").c_str(), F_OK) != 0)
                (void)write_atomic(parent + "/lxcpath", p.lxcpath + "\n");
            fd.reset(::open(p.lock_file().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
            if (!fd && (errno != ENOENT || tries >= 3))
                return sys_error(cat("opening lock \"", p.lock_file(), "\""));
        } else if (made.error().err != ENOENT || tries >= 3) {
            return std::unexpected(std::move(made.error()));
        }
    }
    return fd;
}

// Whether the locked file is still the one at the lock's path: cnt-destroy unlinks it with
// the run dir, and a tool that opened it before then must not think it holds the lock that a
// newer tool took on a new file of the same name.
bool still_linked(int fd, const Paths& p) {
    struct stat a {
    }, b{};
    return ::fstat(fd, &a) == 0 && ::stat(p.lock_file().c_str(), &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

}  // namespace

Result<Lock> Lock::acquire(const Paths& p, Mode mode, std::chrono::milliseconds bound) {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + bound;
    auto delay = 1ms;
    for (int tries = 0;; ++tries) {
        CNT_ASSIGN(fd, open_lock_file(p));
        struct flock fl {};
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        int cmd = mode == Mode::wait && bound < 0ms ? F_OFD_SETLKW : F_OFD_SETLK;
        while (::fcntl(fd.get(), cmd, &fl) != 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EACCES)
                return sys_error(cat("locking \"", p.lock_file(), "\""));
            if (mode == Mode::try_once)
                return error("container is busy: another cnt tool holds its lock");
            if (std::chrono::steady_clock::now() >= deadline)
                return error("container is busy: another cnt tool has held its lock for ",
                             std::chrono::duration_cast<std::chrono::seconds>(bound).count(),
                             " s (a start in its hooks?)");
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, std::chrono::milliseconds(100));
        }
        if (still_linked(fd.get(), p)) return Lock(std::move(fd), p);
        if (tries >= 100)
            return error("locking \"", p.lock_file(), "\": the file keeps being replaced");
    }
}

void Lock::release() {
    if (!fd_) return;
    fd_.reset();
    // The per-lxcpath dir holds one directory per container and the "lxcpath" note; once the
    // last container directory is gone (destroy removes its own), both go. Race-safe enough:
    // rmdir fails (ENOTEMPTY) when a container directory appeared meanwhile, and then the
    // note is written back; Lock::acquire retries when its parent vanished under it.
    struct stat st {};
    if (::stat(paths_.run_dir().c_str(), &st) == 0 || errno != ENOENT) return;
    std::string parent = paths_.run_dir().substr(0, paths_.run_dir().rfind('/'));
    bool others = false;
    {
        DirReader d(parent);
        if (!d) return;
        while (const dirent* e = d.next())
            if (std::string_view(e->d_name) != "lxcpath") others = true;
    }
    if (others) return;
    ::unlink((parent + "/lxcpath").c_str());
    if (::rmdir(parent.c_str()) != 0 && errno == ENOTEMPTY)
        (void)write_atomic(parent + "/lxcpath", paths_.lxcpath + "\n");
}

namespace {

// The temp file: path.tmp.PID, written whole, and on disk before returning when `durable`.
Result<std::string> write_temp(const std::string& path, std::string_view content, unsigned mode,
                               bool durable) {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    unique_fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd) return sys_error(cat("creating \"", tmp, "\""));
    const char* d = content.data();
    size_t n = content.size();
    while (n) {
        ssize_t w = ::write(fd.get(), d, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            ::unlink(tmp.c_str());
            return errno_error(e, cat("writing \"", tmp, "\""));
        }
        d += w;
        n -= static_cast<size_t>(w);
    }
    if (durable && ::fsync(fd.get()) != 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return errno_error(e, cat("syncing \"", tmp, "\""));
    }
    return tmp;
}

// The rename itself survives a power cut only once the directory is on disk.
Result<void> sync_dir_of(const std::string& path) {
    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd || ::fsync(fd.get()) != 0) return sys_error(cat("syncing directory \"", dir, "\""));
    return {};
}

Result<void> rename_into(const std::string& tmp, const std::string& path) {
    if (::rename(tmp.c_str(), path.c_str()) == 0) return {};
    int e = errno;
    ::unlink(tmp.c_str());
    return errno_error(e, cat("renaming \"", tmp, "\" to \"", path, "\""));
}

}  // namespace

Result<void> write_atomic(const std::string& path, std::string_view content, unsigned mode) {
    CNT_ASSIGN(tmp, write_temp(path, content, mode, true));
    CNT_TRY(rename_into(tmp, path));
    return sync_dir_of(path);
}

Result<void> write_volatile(const std::string& path, std::string_view content, unsigned mode) {
    CNT_ASSIGN(tmp, write_temp(path, content, mode, false));
    // ENOENT: nothing to exchange with; EINVAL: a filesystem without exchange.
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) == 0) {
        // The old content, now under the temporary name: the new one is in place, so a
        // failure to remove it is an error of its own (the caller's undo then removes it).
        if (::unlink(tmp.c_str()) != 0) return sys_error(cat("removing \"", tmp, "\""));
        return {};
    }
    return rename_into(tmp, path);
}

Result<std::string> read_file(const std::string& path) { return read_file_at(AT_FDCWD, path); }

Result<std::string> read_file_at(int dirfd, const std::string& path) {
    unique_fd fd(::openat(dirfd, path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return sys_error(cat("reading \"", path, "\""));
    auto out = read_fd(fd.get());
    if (!out) return sys_error(cat("reading \"", path, "\""), out.error().err);
    return out;
}

Result<std::string> read_fd(int fd) {
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t r = ::read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR) continue;
            return sys_error("reading");
        }
        if (r == 0) return out;
        out.append(buf, static_cast<size_t>(r));
    }
}

Result<void> check_input(int fd, const std::string& path, size_t max_bytes, struct ::stat* out) {
    struct stat local {};
    struct stat& st = out ? *out : local;
    if (::fstat(fd, &st) != 0) return std::unexpected(Error{errno, "fstat", path});
    if (!S_ISREG(st.st_mode)) return std::unexpected(Error{0, "not a regular file", path});
    if (static_cast<uint64_t>(st.st_size) > max_bytes)
        return std::unexpected(Error{0, cat("larger than ", max_bytes, " bytes"), path});
    return {};
}

Result<std::string> read_input(const std::string& path, size_t max_bytes, struct ::stat* st) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!fd) return std::unexpected(Error{errno, {}, path});
    CNT_TRY(check_input(fd.get(), path, max_bytes, st));
    // Bounded even when the file grows while read: at most max_bytes + 1 bytes.
    std::string out;
    char buf[16384];
    for (;;) {
        size_t want = std::min(sizeof buf, max_bytes + 1 - out.size());
        ssize_t r = ::read(fd.get(), buf, want);
        if (r < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(Error{errno, "reading", path});
        }
        if (r == 0) return out;
        out.append(buf, static_cast<size_t>(r));
        if (out.size() > max_bytes)
            return std::unexpected(Error{0, cat("larger than ", max_bytes, " bytes"), path});
    }
}

std::string format_kv(const KeyValues& kv) {
    size_t n = 0;
    for (const auto& [k, v] : kv) n += k.size() + v.size() + 2;
    std::string s;
    s.reserve(n);
    for (const auto& [k, v] : kv) append_kv(s, "", k, v);
    return s;
}

KeyValues parse_kv(std::string_view text) {
    KeyValues kv;
    for_each_kv(text, [&](std::string_view k, std::string_view v) {
        kv.insert_or_assign(std::string(k), std::string(v));
    });
    return kv;
}

std::optional<std::string_view> stat_field(std::string_view stat, int n) {
    auto rp = stat.rfind(')');
    if (n < 3 || rp == std::string_view::npos || rp + 2 >= stat.size()) return std::nullopt;
    // After ") " come fields 3.. separated by one space.
    std::string_view rest = stat.substr(rp + 2);
    for (int i = 3; i < n; ++i) {
        auto sp = rest.find(' ');
        if (sp == std::string_view::npos) return std::nullopt;
        rest.remove_prefix(sp + 1);
    }
    return rest.substr(0, rest.find_first_of(" \n"));
}

std::optional<ProcStat> process_stat(pid_t pid) {
    auto s = read_file(cat("/proc/", pid, "/stat"));
    if (!s) return std::nullopt;
    auto state = stat_field(*s, 3), start = stat_field(*s, 22);
    if (!state || state->empty() || !start) return std::nullopt;
    ProcStat st;
    st.state = state->front();
    auto r = std::from_chars(start->data(), start->data() + start->size(), st.start);
    if (r.ec != std::errc{}) return std::nullopt;
    return st;
}

unsigned long long process_start_time(pid_t pid) {
    auto st = process_stat(pid);
    return st ? st->start : 0;
}

}  // namespace cnt::store
