// Shared by the fuzz targets: the input as text, and a file holding it for the parsers that
// only take a path (a memfd, reached through /proc/self/fd, so no disk is touched).
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace cnt::fuzz {

inline std::string_view text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// One memfd per process, rewritten with each input; path() names it for open(2).
class InputFile {
  public:
    InputFile() : fd_(::memfd_create("cnt-fuzz", MFD_CLOEXEC)) {
        if (fd_ < 0) std::abort();
    }
    const std::string& write(std::string_view content) {
        if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, content.data(), content.size(), 0) !=
                                            static_cast<ssize_t>(content.size()))
            std::abort();
        return path_;
    }

  private:
    int fd_;
    std::string path_ = "/proc/self/fd/" + std::to_string(fd_);
};

}  // namespace cnt::fuzz
