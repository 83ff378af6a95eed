// pty/: a pty from the caller's devpts, window sizes, the raw-mode terminal.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "pty/pty.hpp"

using namespace cnt;

TEST_CASE("a pty from /dev/pts: master, peer, window size", "[pty]") {
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

TEST_CASE("relay terminal: raw while it lives, restored after", "[pty]") {
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
