#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/fd_passing.hpp"
#include "base/signal_fd.hpp"
#include "pty/pty.hpp"

using namespace cnt;

TEST_CASE("a pty from /dev/pts: master, peer, window size", "[dev]") {
    auto m = pty::open_ptmx();
    REQUIRE(m);
    auto s = pty::open_pty_peer(m->get());
    REQUIRE(s);
    CHECK(::isatty(s->get()));
    winsize ws{};
    ws.ws_row = 41;
    ws.ws_col = 123;
    pty::set_winsize(m->get(), ws);
    auto got = pty::get_winsize(s->get());
    REQUIRE(got);
    CHECK(got->ws_row == 41);
    CHECK(got->ws_col == 123);
    // Unlocked, and what the slave writes the master reads.
    REQUIRE(::write(s->get(), "x", 1) == 1);
    char c = 0;
    for (int i = 0; i < 1000 && ::read(m->get(), &c, 1) != 1; ++i) ::usleep(1000);
    CHECK(c == 'x');
    CHECK_FALSE(pty::get_winsize(-1));
}

TEST_CASE("descriptors pass over a socket pair", "[dev]") {
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

TEST_CASE("relay terminal: raw while it lives, restored after", "[dev]") {
    auto m = pty::open_ptmx();
    REQUIRE(m);
    auto s = pty::open_pty_peer(m->get());
    REQUIRE(s);
    termios before{};
    REQUIRE(::tcgetattr(s->get(), &before) == 0);
    REQUIRE((before.c_lflag & ICANON));
    {
        pty::RawTerminal raw(s->get(), pty::RawTerminal::Mode::relay);
        CHECK(raw.active());
        termios t{};
        REQUIRE(::tcgetattr(s->get(), &t) == 0);
        CHECK_FALSE((t.c_lflag & (ICANON | ECHO | ISIG)));
        CHECK_FALSE((t.c_oflag & OPOST));
    }
    termios after{};
    REQUIRE(::tcgetattr(s->get(), &after) == 0);
    CHECK(after.c_lflag == before.c_lflag);
    CHECK(after.c_iflag == before.c_iflag);
    CHECK(after.c_oflag == before.c_oflag);
    int p[2];
    REQUIRE(::pipe(p) == 0);
    unique_fd rd(p[0]), wr(p[1]);
    pty::RawTerminal not_a_tty(rd.get(), pty::RawTerminal::Mode::relay);
    CHECK_FALSE(not_a_tty.active());
}

TEST_CASE("signals read from a descriptor, mask restored", "[dev]") {
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
