// copy_tree: a container's tree copied as root without trusting it: every entry is reached
// from its parent's fd with O_NOFOLLOW, checked again once opened, and another mount below
// the top is not entered.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "cnt/bdev.hpp"
#include "cnt/dir.hpp"

namespace cnt::bdev {
namespace {

Result<std::vector<std::string>> list(int dfd) {
    DirReader d = DirReader::at(dfd);
    if (!d) return sys_error("reading directory");
    std::vector<std::string> names;
    while (const dirent* e = d.next()) names.emplace_back(e->d_name);
    if (errno) return sys_error("reading directory");
    return names;
}

// Extended attributes, fd to fd (security.capability and trusted.* included: we are root).
Result<void> copy_xattrs(int from, int to) {
    std::vector<char> names(4096);
    ssize_t n = ::flistxattr(from, names.data(), names.size());
    if (n < 0 && errno == ERANGE) {
        names.resize(1 << 16);
        n = ::flistxattr(from, names.data(), names.size());
    }
    if (n < 0) return errno == ENOTSUP ? Result<void>{} : sys_error("listing xattrs");
    std::vector<char> val(1 << 16);
    for (ssize_t i = 0; i < n; i += static_cast<ssize_t>(std::strlen(&names[i])) + 1) {
        const char* name = &names[i];
        ssize_t v = ::fgetxattr(from, name, val.data(), val.size());
        if (v < 0) return sys_error(cat("reading xattr ", name));
        if (::fsetxattr(to, name, val.data(), static_cast<size_t>(v), 0) != 0 && errno != ENOTSUP)
            return sys_error(cat("writing xattr ", name));
    }
    return {};
}

// Owner, then mode (a chown clears set-id bits), xattrs, times: on an open file or directory.
Result<void> copy_meta(int from, int to, const struct stat& st) {
    if (::fchown(to, st.st_uid, st.st_gid) != 0) return sys_error("chown");
    if (::fchmod(to, st.st_mode & 07777) != 0) return sys_error("chmod");
    CNT_TRY(copy_xattrs(from, to));
    const struct timespec ts[2] = {st.st_atim, st.st_mtim};
    if (::futimens(to, ts) != 0) return sys_error("setting times");
    return {};
}

// Bytes [from, end) at the same offsets: copy_file_range, or read and write where it cannot
// (between two filesystems of different types it fails with EXDEV).
Result<void> copy_range(int from, int to, off_t begin, off_t end) {
    loff_t in = begin, out = begin;
    while (in < end) {
        ssize_t n = ::copy_file_range(from, &in, to, &out, static_cast<size_t>(end - in), 0);
        if (n > 0) continue;
        if (n == 0) return {};  // the file shrank meanwhile
        if (errno != EXDEV && errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS)
            return sys_error("copying data");
        break;
    }
    static thread_local std::vector<char> buf(1 << 20);
    while (in < end) {
        ssize_t r = ::pread(from, buf.data(), std::min<size_t>(buf.size(), end - in), in);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return sys_error("reading data");
        if (r == 0) return {};
        for (ssize_t done = 0; done < r;) {
            ssize_t w = ::pwrite(to, buf.data() + done, static_cast<size_t>(r - done), in + done);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return sys_error("writing data");
            done += w;
        }
        in += r;
    }
    return {};
}

// The data, holes kept: only the extents SEEK_DATA finds are copied (copy_file_range, which
// shares extents where the filesystem can), then the size is set.
Result<void> copy_data(int from, int to, off_t size) {
    off_t pos = 0;
    while (pos < size) {
        off_t data = ::lseek(from, pos, SEEK_DATA);
        if (data < 0) {
            if (errno == ENXIO) break;
            return sys_error("seeking data");
        }
        off_t hole = ::lseek(from, data, SEEK_HOLE);
        if (hole < 0) return sys_error("seeking a hole");
        CNT_TRY(copy_range(from, to, data, hole));
        pos = hole;
    }
    if (::ftruncate(to, size) != 0) return sys_error("setting the size");
    return {};
}

struct Copier {
    int dst_root;
    dev_t dev;
    // Hard links: (dev, ino) of a source file -> its copy's path below dst_root.
    std::map<std::pair<dev_t, ino_t>, std::string> links;

    Result<void> file(int s, int d, const std::string& name, const struct stat& st) {
        unique_fd in(
            ::openat(s, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
        if (!in) return sys_error("opening");
        struct stat again {};
        if (::fstat(in.get(), &again) != 0 || again.st_ino != st.st_ino || !S_ISREG(again.st_mode))
            return error("changed while copying it");
        unique_fd out(
            ::openat(d, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!out) return sys_error("creating");
        CNT_TRY(copy_data(in.get(), out.get(), again.st_size));
        return copy_meta(in.get(), out.get(), again);
    }

    Result<void> special(int s, int d, const std::string& name, const struct stat& st) {
        if (S_ISLNK(st.st_mode)) {
            std::vector<char> buf(static_cast<size_t>(st.st_size) + 2);
            ssize_t n = ::readlinkat(s, name.c_str(), buf.data(), buf.size() - 1);
            if (n < 0) return sys_error("reading the link");
            buf[static_cast<size_t>(n)] = 0;
            if (::symlinkat(buf.data(), d, name.c_str()) != 0) return sys_error("creating link");
        } else if (::mknodat(d, name.c_str(), st.st_mode & (S_IFMT | 0777), st.st_rdev) != 0) {
            return sys_error("creating node");
        }
        if (::fchownat(d, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0)
            return sys_error("chown");
        if (!S_ISLNK(st.st_mode) && ::fchmodat(d, name.c_str(), st.st_mode & 07777, 0) != 0)
            return sys_error("chmod");
        const struct timespec ts[2] = {st.st_atim, st.st_mtim};
        if (::utimensat(d, name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0)
            return sys_error("setting times");
        return {};
    }

    Result<void> entry(int s, int d, const std::string& rel, const std::string& name) {
        struct stat st {};
        if (::fstatat(s, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return sys_error("stat");
        if (st.st_dev != dev) return {};  // another filesystem mounted below: not ours
        if (S_ISDIR(st.st_mode)) return dir(s, d, rel, name, st);
        if (st.st_nlink > 1) {
            auto [it, fresh] = links.try_emplace({st.st_dev, st.st_ino}, rel);
            if (!fresh) {
                if (::linkat(dst_root, it->second.c_str(), d, name.c_str(), 0) != 0)
                    return sys_error(cat("linking to \"", it->second, "\""));
                return {};
            }
        }
        if (S_ISREG(st.st_mode)) return file(s, d, name, st);
        return special(s, d, name, st);
    }

    Result<void> dir(int s, int d, const std::string& rel, const std::string& name,
                     const struct stat& st) {
        unique_fd in(::openat(s, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!in) return sys_error("opening");
        struct stat again {};
        if (::fstat(in.get(), &again) != 0 || again.st_ino != st.st_ino || again.st_dev != dev)
            return error("changed while copying it");
        if (::mkdirat(d, name.c_str(), 0700) != 0) return sys_error("creating");
        unique_fd out(::openat(d, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!out) return sys_error("opening the copy");
        CNT_TRY(children(in.get(), out.get(), rel));
        return copy_meta(in.get(), out.get(), again);
    }

    Result<void> children(int s, int d, const std::string& rel,
                          const std::vector<std::string>& skip = {}) {
        CNT_ASSIGN(names, list(s));
        for (const auto& n : names) {
            if (std::find(skip.begin(), skip.end(), n) != skip.end()) continue;
            std::string sub = rel.empty() ? n : rel + "/" + n;
            auto r = entry(s, d, sub, n);
            if (!r) return std::unexpected(std::move(r.error().within(cat("\"", sub, "\""))));
        }
        return {};
    }
};

}  // namespace

Result<void> copy_tree(int src_root, int dst_root, const std::vector<std::string>& skip) {
    // A detached mount's fd (fsmount) is a path fd: opened again for reading.
    unique_fd src_fd(::openat(src_root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    unique_fd dst_fd(::openat(dst_root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!src_fd || !dst_fd) return sys_error("opening the trees to copy");
    const int src = src_fd.get(), dst = dst_fd.get();
    struct stat st {};
    if (::fstat(src, &st) != 0) return sys_error("stat of the source");
    Copier c{dst, st.st_dev, {}};
    CNT_TRY(c.children(src, dst, "", skip));
    return copy_meta(src, dst, st);
}

}  // namespace cnt::bdev
