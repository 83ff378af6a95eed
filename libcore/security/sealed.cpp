#include "cnt/sealed.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

extern char** environ;

namespace cnt::sealed {

namespace {
// Writes, resizes and any later change of the seals themselves: the copy stays what it was
// when made, for every process that holds or execs it.
constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
}  // namespace

FileId file_id(const struct stat& st) {
    return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
            static_cast<uint64_t>(st.st_size), static_cast<int64_t>(st.st_mtim.tv_sec),
            static_cast<int64_t>(st.st_mtim.tv_nsec)};
}

std::string format(const FileId& id) {
    return cat(id.dev, ':', id.ino, ':', id.size, ':', id.mtime_sec, ':', id.mtime_nsec);
}

std::optional<FileId> parse(std::string_view text) {
    FileId id;
    const char* p = text.data();
    const char* end = p + text.size();
    auto field = [&](auto& v, bool last) {
        auto r = std::from_chars(p, end, v);
        if (r.ec != std::errc{}) return false;
        p = r.ptr;
        if (last) return p == end;
        if (p == end || *p != ':') return false;
        ++p;
        return true;
    };
    if (field(id.dev, false) && field(id.ino, false) && field(id.size, false) &&
        field(id.mtime_sec, false) && field(id.mtime_nsec, true))
        return id;
    return std::nullopt;
}

bool is_sealed(int fd) {
    int s = ::fcntl(fd, F_GET_SEALS);
    return s >= 0 && (s & kSeals) == kSeals;
}

bool running_sealed() {
    unique_fd self(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
    return self && is_sealed(self.get());
}

namespace {
// How much of the file exec needs: the ELF header, the program headers and what they map (the
// kernel's loader reads nothing else). Our static tools are built with -g: 22 MB on disk, of
// which 2.9 MB is loaded; the rest (debug info, symbols, section headers) is not copied. Any
// file that does not parse as a 64-bit ELF is copied whole.
off_t exec_extent(int fd, off_t size) {
    Elf64_Ehdr eh{};
    if (::pread(fd, &eh, sizeof eh, 0) != static_cast<ssize_t>(sizeof eh) ||
        std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64)
        return size;
    Elf64_Phdr ph[64];
    size_t len = eh.e_phnum * sizeof(Elf64_Phdr);
    if (eh.e_phoff > static_cast<uint64_t>(size) ||
        ::pread(fd, ph, len, static_cast<off_t>(eh.e_phoff)) != static_cast<ssize_t>(len))
        return size;
    uint64_t end = eh.e_phoff + len;
    for (int i = 0; i < eh.e_phnum; ++i) {
        if (ph[i].p_offset > static_cast<uint64_t>(size) ||
            ph[i].p_filesz > static_cast<uint64_t>(size))
            return size;
        end = std::max<uint64_t>(end, ph[i].p_offset + ph[i].p_filesz);
    }
    return static_cast<off_t>(std::min<uint64_t>(end, static_cast<uint64_t>(size)));
}

unique_fd new_memfd(const char* name) {
    // MFD_EXEC: kernels with vm.memfd_noexec would otherwise make it non-executable (and warn);
    // kernels before 6.3 do not know the flag.
    int fd = static_cast<int>(
        ::syscall(SYS_memfd_create, name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC));
    if (fd < 0 && errno == EINVAL)
        fd = static_cast<int>(::syscall(SYS_memfd_create, name, MFD_CLOEXEC | MFD_ALLOW_SEALING));
    return unique_fd(fd);
}
}  // namespace

Result<unique_fd> copy(int src, const char* name) {
    struct stat st {};
    if (::fstat(src, &st) != 0) return sys_error("sealed copy: reading the binary's size");
    unique_fd m = new_memfd(name);
    if (!m) return sys_error("sealed copy: creating a memfd");
    const off_t size = exec_extent(src, st.st_size);
    // In-kernel copy, no buffer of ours; sendfile() reads from its own offset, not src's.
    off_t off = 0;
    while (off < size) {
        ssize_t n = ::sendfile(m.get(), src, &off, static_cast<size_t>(size - off));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return sys_error("sealed copy: copying the binary");
        if (n == 0) return errno_error(EIO, "sealed copy: the binary shrank while copied");
    }
    if (::fcntl(m.get(), F_ADD_SEALS, kSeals) != 0)
        return sys_error("sealed copy: sealing the memfd");
    return m;
}

Error exec(int fd, char* const* argv) {
    ::syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
    return Error{errno, "executing the sealed copy of our binary", {}};
}

}  // namespace cnt::sealed
