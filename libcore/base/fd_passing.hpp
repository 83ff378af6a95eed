// Descriptors passed over a unix socket (SCM_RIGHTS) with a few bytes of data in the same
// message: the monitor's command socket, the attach pty, the monitor<->init sync, cnt-oci and
// the cnt-user-nic helper use these.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt {

// Pass descriptors over a unix socket (SCM_RIGHTS, at most kMaxPassedFds) with `data` in one
// message; `step` names the sending in an error. recv_fds reads one message into `buf` (its
// size, 0 on EOF) with its descriptors, close-on-exec; `truncated` says the message or its
// descriptors did not fit.
inline constexpr size_t kMaxPassedFds = 64;
Result<void> send_fds(int sock, std::span<const int> fds, std::string_view data, const char* step);
struct ReceivedFds {
    size_t size = 0;
    std::vector<unique_fd> fds;
    bool truncated = false;
};
Result<ReceivedFds> recv_fds(int sock, std::span<char> buf);

// One descriptor with `data` (at most 256 bytes); fd < 0 sends the data alone. recv_fd gives
// an empty unique_fd when none came, and stores the data in *data (empty on EOF).
Result<void> send_fd(int sock, int fd, std::string_view data = "F");
Result<unique_fd> recv_fd(int sock, std::string* data = nullptr);

}  // namespace cnt
