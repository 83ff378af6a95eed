// commands::await_teardown: what cnt-stop waits on after killing init (the monitor's "wait"
// connection, and the monitor's pidfd).
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cnt/pidfd.hpp"
#include "commands/commands.hpp"

using namespace cnt;

namespace {

// A stand-in for the monitor: a child that lives `ms`, with its pidfd; killed and reaped at
// the end of the test whatever happened.
struct FakeMonitor {
    pid_t pid = -1;
    unique_fd pidfd;
    explicit FakeMonitor(int ms) {
        pid = ::fork();
        if (pid == 0) {
            ::usleep(static_cast<useconds_t>(ms) * 1000);
            ::_exit(0);
        }
        pidfd = pidfd_open(pid);
    }
    bool exited() const {
        siginfo_t si{};
        return ::waitid(P_PID, static_cast<id_t>(pid), &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
               si.si_pid == pid;
    }
    ~FakeMonitor() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

// The wait connection: the tool's end and the monitor's end.
struct Connection {
    unique_fd tool, monitor_end;
    Connection() {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return;
        tool.reset(sv[0]);
        monitor_end.reset(sv[1]);
    }
};

}  // namespace

TEST_CASE("the end of the teardown is the close of the wait connection", "[monitor]") {
    FakeMonitor mon(10000);
    REQUIRE(mon.pid > 0);
    REQUIRE(mon.pidfd);
    Connection c;
    REQUIRE(c.tool);
    auto& [tool, monitor_end] = c;

    // Held open: not over yet.
    CHECK(commands::await_teardown(tool.get(), mon.pidfd.get(), 50) ==
          commands::Teardown::timed_out);
    // Closed by the monitor at the end of its teardown: over, while the monitor still runs;
    // without "done" the tool looks for what is left itself.
    monitor_end.reset();
    CHECK(commands::await_teardown(tool.get(), mon.pidfd.get(), 5000) == commands::Teardown::ended);
    CHECK_FALSE(mon.exited());
}

TEST_CASE("done then the close: the teardown removed everything", "[monitor]") {
    FakeMonitor mon(10000);
    REQUIRE(mon.pidfd);
    Connection c;
    REQUIRE(c.tool);
    auto& [tool, monitor_end] = c;
    // In two pieces, 50 ms apart (a line may arrive split), from a writer of its own.
    pid_t writer = ::fork();
    if (writer == 0) {
        tool.reset();
        bool ok = ::send(monitor_end.get(), "do", 2, 0) == 2;
        ::usleep(50000);
        ok = ok && ::send(monitor_end.get(), "ne\n", 3, 0) == 3;
        ::_exit(ok ? 0 : 1);
    }
    REQUIRE(writer > 0);
    monitor_end.reset();
    CHECK(commands::await_teardown(tool.get(), mon.pidfd.get(), 5000) == commands::Teardown::clean);
    int st = -1;
    ::waitpid(writer, &st, 0);
    CHECK(st == 0);
    CHECK_FALSE(mon.exited());
}

TEST_CASE("a monitor that answers wait is waited for until it exits", "[monitor]") {
    FakeMonitor mon(200);
    REQUIRE(mon.pidfd);
    Connection c;
    REQUIRE(c.tool);
    auto& [tool, monitor_end] = c;
    // An older monitor replies to the unknown request and closes the connection at once.
    static constexpr char kReply[] = "error unknown command";
    REQUIRE(::send(monitor_end.get(), kReply, sizeof kReply - 1, 0) == sizeof kReply - 1);
    monitor_end.reset();
    CHECK(commands::await_teardown(tool.get(), mon.pidfd.get(), 5000) == commands::Teardown::ended);
    CHECK(mon.exited());
}

TEST_CASE("a monitor that exits without closing the connection ends the wait", "[monitor]") {
    FakeMonitor mon(100);
    REQUIRE(mon.pidfd);
    Connection c;  // the monitor's end is held here: the connection outlives the monitor
    REQUIRE(c.tool);
    auto& tool = c.tool;
    CHECK(commands::await_teardown(tool.get(), mon.pidfd.get(), 5000) == commands::Teardown::ended);
    CHECK(mon.exited());
}
