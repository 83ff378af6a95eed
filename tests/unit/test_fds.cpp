// base/'s descriptor utilities: SCM_RIGHTS passing and SignalFd.
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/fd_passing.hpp"
#include "base/signal_fd.hpp"

using namespace cnt;

TEST_CASE("descriptors pass over a socket pair", "[base]") {
    int sv[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    unique_fd a(sv[0]), b(sv[1]);
    int p[2];
    REQUIRE(::pipe(p) == 0);
    unique_fd rd(p[0]), wr(p[1]);
    REQUIRE(send_fd(a.get(), wr.get()));
    auto got = recv_fd(b.get());
    REQUIRE(got);
    REQUIRE(*got);
    wr.reset();
    REQUIRE(::write(got->get(), "y", 1) == 1);
    char c = 0;
    REQUIRE(::read(rd.get(), &c, 1) == 1);
    CHECK(c == 'y');
    a.reset();
    auto eof = recv_fd(b.get());
    REQUIRE(eof);
    CHECK_FALSE(*eof);
}

TEST_CASE("signals read from a descriptor, mask restored", "[base]") {
    sigset_t old;
    ::sigprocmask(SIG_SETMASK, nullptr, &old);
    REQUIRE_FALSE(sigismember(&old, SIGWINCH));
    {
        static constexpr int sigs[] = {SIGWINCH};
        SignalFd sf(sigs);
        REQUIRE(sf.fd() >= 0);
        CHECK(sf.take() == 0);
        ::raise(SIGWINCH);
        CHECK(sf.take() == SIGWINCH);
        CHECK(sf.take() == 0);
    }
    sigset_t now;
    ::sigprocmask(SIG_SETMASK, nullptr, &now);
    CHECK_FALSE(sigismember(&now, SIGWINCH));
}
