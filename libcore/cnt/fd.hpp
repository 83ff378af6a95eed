// unique_fd: a move-only owner of one file descriptor; borrowed_fd: one used, not owned.
#pragma once
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace cnt {

class unique_fd {
  public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    unique_fd(unique_fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        if (this != &o) reset(std::exchange(o.fd_, -1));
        return *this;
    }
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }
    // close(2) is never retried on EINTR: on Linux the descriptor is gone either way. errno
    // is kept, so an error path may drop descriptors before reporting the failed call.
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) {
            int saved = errno;
            ::close(fd_);
            errno = saved;
        }
        fd_ = fd;
    }

  private:
    int fd_ = -1;
};

// A descriptor passed to a function that uses it but neither keeps nor closes it. Made from
// an int or a unique_fd, so a caller never writes .get() and a reader sees who owns what.
class borrowed_fd {
  public:
    constexpr borrowed_fd(int fd) noexcept : fd_(fd) {}           // NOLINT: implicit on purpose
    borrowed_fd(const unique_fd& fd) noexcept : fd_(fd.get()) {}  // NOLINT: implicit
    constexpr int get() const noexcept { return fd_; }
    constexpr explicit operator bool() const noexcept { return fd_ >= 0; }

  private:
    int fd_;
};

}  // namespace cnt
