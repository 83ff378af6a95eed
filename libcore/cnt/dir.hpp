// DirReader: an open directory stream (opendir/fdopendir), closed when it goes out of scope.
#pragma once
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cnt {

class DirReader {
  public:
    DirReader() = default;
    // opendir(path); a reader that failed to open is false, with errno set.
    explicit DirReader(const std::string& path) : d_(::opendir(path.c_str())) {}
    // openat(dirfd, name) read as a directory (name "." reads an O_PATH descriptor's).
    static DirReader open_at(int dirfd, const char* name) {
        return adopt(::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }
    // The directory open at fd, read from its start through a duplicate (which shares the
    // offset, and needs no search permission as openat(fd, ".") would): fd stays the caller's.
    static DirReader at(int fd) {
        DirReader r = adopt(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
        if (r) ::rewinddir(r.d_);
        return r;
    }
    DirReader(DirReader&& o) noexcept : d_(std::exchange(o.d_, nullptr)) {}
    DirReader& operator=(DirReader&& o) noexcept {
        std::swap(d_, o.d_);
        return *this;
    }
    DirReader(const DirReader&) = delete;
    DirReader& operator=(const DirReader&) = delete;
    ~DirReader() {
        if (!d_) return;
        int e = errno;
        ::closedir(d_);
        errno = e;
    }

    explicit operator bool() const { return d_ != nullptr; }
    int fd() const { return ::dirfd(d_); }  // the stream's own descriptor (fstatat, ...)
    // The next entry but "." and ".."; nullptr at the end, or on an error with errno != 0.
    const dirent* next() {
        for (;;) {
            errno = 0;
            const dirent* e = ::readdir(d_);
            if (!e) return nullptr;
            std::string_view n = e->d_name;
            if (n != "." && n != "..") return e;
        }
    }

  private:
    // A reader of fd, which it owns from here (closed on failure; -1: errno kept).
    static DirReader adopt(int fd) {
        DirReader r;
        if (fd < 0) return r;
        r.d_ = ::fdopendir(fd);
        if (r.d_) return r;
        int e = errno;
        ::close(fd);
        errno = e;
        return r;
    }

    DIR* d_ = nullptr;
};

// The paths (dir + "/" + name) of dir's subdirectories, as readdir's d_type says; none when
// dir cannot be read (errno says why).
inline std::vector<std::string> subdirs(const std::string& dir) {
    std::vector<std::string> out;
    DirReader d(dir);
    if (!d) return out;
    while (const dirent* e = d.next())
        if (e->d_type == DT_DIR) out.push_back(dir + "/" + e->d_name);
    return out;
}

}  // namespace cnt
