// Sealed copies of our own binaries (CVE-2019-5736): a cnt process that enters a container runs
// from a memfd copy that nothing can write, so the container's root, which may reach the process
// through /proc/PID/exe, never reaches the host's file.
#pragma once
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::sealed {

// What a copy was made from: a copy is reused only while the file is still the same (an
// upgraded binary has another inode or mtime).
struct FileId {
    uint64_t dev = 0, ino = 0, size = 0;
    int64_t mtime_sec = 0, mtime_nsec = 0;
    bool operator==(const FileId&) const = default;
};
FileId file_id(const struct stat& st);
std::string format(const FileId& id);  // "dev:ino:size:sec:nsec"
std::optional<FileId> parse(std::string_view text);

// Whether fd is a memfd carrying every seal our copies get (F_GET_SEALS; any other file: no).
bool is_sealed(int fd);
// Whether this process runs from such a copy: its /proc/self/exe is checked, not an
// environment variable the caller could set.
bool running_sealed();

// A copy of the file open at `src` in a new memfd named `name` (/proc/PID/exe shows
// "/memfd:NAME"), sealed against writes, resizes and new seals; close-on-exec. Of an ELF file
// only what exec loads is copied (no debug info or section headers).
Result<unique_fd> copy(int src, const char* name);

// execveat(fd, "", argv, environ, AT_EMPTY_PATH): runs the copy with our argv and environment.
// Returns only on failure.
Error exec(int fd, char* const* argv);

}  // namespace cnt::sealed
