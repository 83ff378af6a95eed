// The monitor's command socket (LXC's "commands" socket: a path in the run dir, never abstract)
// and its client side; the monitor that serves it is container/start.cpp's Monitor.
// Protocol: one request line per connection ("state", "pid", "stop SIG", "console N"), one
// reply line; "console" also passes the pty master by SCM_RIGHTS and keeps the connection
// open for as long as the client uses the console. cnt-attach asks "exe DEV:INO:SIZE:SEC:NSEC
// PATH" (reply "ok" with a sealed memfd copy of that binary, made once and reused while the
// file is the same) and "seccomp" ("ok" with the filter's BPF program in a sealed memfd, or
// "none"). "wait" has no reply: the monitor holds
// the connection and closes it when the container is torn down (the end of its teardown,
// post-stop hooks included), just before it exits, after a "done" line when the teardown
// removed every cgroup of the container.
#pragma once
#include <string>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"
#include "cnt/store.hpp"

namespace cnt::commands {

Result<unique_fd> listen(const std::string& path);
// Send a request; the reply line (without '\n') and, for "console", the fd and connection.
struct Reply {
    std::string line;
    unique_fd fd;    // passed fd, if any
    unique_fd conn;  // the connection (kept open by "console" clients)
};
Result<Reply> request(const store::Paths& p, const std::string& req);

Result<void> send_fd(int sock, const std::string& line, int fd);

// "wait": the connection, or an empty fd when the monitor cannot be reached.
unique_fd watch_teardown(const store::Paths& p);
// Whether the teardown `conn` (from watch_teardown) watches has ended within ms (< 0:
// forever), or the monitor behind `monitor_pidfd` exited. A monitor that answers "wait"
// instead of holding it (an older build) is waited for until it exits.
enum class Teardown {
    timed_out,
    ended,  // the monitor is done or gone: what it left is unknown
    clean,  // the monitor said "done": it removed every cgroup and the run state
};
Teardown await_teardown(int conn, int monitor_pidfd, int ms);
}  // namespace cnt::commands
