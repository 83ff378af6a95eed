#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>

#include "container/start_internal.hpp"

using namespace cnt;

// init may fail and exit while the monitor's "setup" sits unread in its socket: the kernel
// then reports ECONNRESET to the monitor before init's error, which is still queued.
TEST_CASE("init's error survives the reset of a peer that exited", "[start]") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
    unique_fd monitor(sv[0]), init(sv[1]);
    REQUIRE(start::send_msg(monitor.get(), start::kSetup));
    REQUIRE(start::send_error(
        init.get(), Error{.err = ENOENT, .step = "mount \"/no/such/dir\"", .object = "config:3"}));
    init.reset();  // exits with "setup" unread

    auto e = start::expect(monitor.get(), start::kReady);
    REQUIRE_FALSE(e);
    CHECK(e.error().err == ENOENT);
    CHECK(e.error().step == "mount \"/no/such/dir\"");
    CHECK(e.error().object == "config:3");
    // Then EOF, not a second reset.
    auto eof = start::recv_msg(monitor.get(), "more");
    REQUIRE(eof);
    CHECK(eof->empty());
}

TEST_CASE("a failed monitor step reports init's error when init sent one", "[start]") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
    unique_fd monitor(sv[0]), init(sv[1]);
    Error own{.err = ESRCH, .step = "joining the cgroup", .object = "cgroup.procs"};
    // init alive and silent: the step's own error, without blocking.
    CHECK(start::init_error_or(monitor.get(), own).err == ESRCH);
    REQUIRE(start::send_msg(monitor.get(), start::kSetup));
    REQUIRE(start::send_error(init.get(),
                              Error{.err = EACCES, .step = "pivot_root", .object = "rootfs"}));
    init.reset();
    auto got = start::init_error_or(monitor.get(), own);
    CHECK(got.err == EACCES);
    CHECK(got.step == "pivot_root");
}
