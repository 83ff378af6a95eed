#include <fcntl.h>
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

namespace {
struct Pair {
    unique_fd monitor, init;
    Pair() {
        int sv[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
        monitor.reset(sv[0]);
        init.reset(sv[1]);
    }
};
struct Pipe {
    unique_fd rd, wr;
    Pipe() {
        int p[2];
        REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
        rd.reset(p[0]);
        wr.reset(p[1]);
    }
};
}  // namespace

// The cgroups are made while init builds its filesystem; "setup" hands init the files it joins
// them through and, for lxc.mount.auto's cgroup forms, where they sit.
TEST_CASE("setup carries init's cgroup files and placements", "[start]") {
    Pair s;
    Pipe memory, cpu, leaf;
    start::Setup out;
    out.join.v1.push_back(
        {unique_fd(::dup(memory.wr.get())), "/sys/fs/cgroup/memory/cnt.payload.c1"});
    out.join.v1.push_back(
        {unique_fd(::dup(cpu.wr.get())), "/sys/fs/cgroup/cpu,cpuacct/cnt.payload.c1"});
    out.join.v2 = {unique_fd(::dup(leaf.wr.get())), "/sys/fs/cgroup/unified/cnt.payload.c1"};
    out.cgroups = {
        {"memory", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/cnt.payload.c1"},
        {"cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/cnt.payload.c1"},
        {"", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/cnt.payload.c1"}};
    REQUIRE(start::send_setup(s.monitor.get(), out));
    auto in = start::recv_setup(s.init.get());
    REQUIRE(in);
    REQUIRE(in->join.v1.size() == 2);
    CHECK(in->join.v1[0].dir == out.join.v1[0].dir);
    CHECK(in->join.v1[1].dir == out.join.v1[1].dir);
    REQUIRE(in->join.v2.fd);
    CHECK(in->join.v2.dir == out.join.v2.dir);
    REQUIRE(in->cgroups.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(in->cgroups[i].label == out.cgroups[i].label);
        CHECK(in->cgroups[i].mountpoint == out.cgroups[i].mountpoint);
        CHECK(in->cgroups[i].path == out.cgroups[i].path);
    }
    // The received descriptors are the monitor's files (close-on-exec: nothing reaches the
    // payload), in order.
    auto through = [](const unique_fd& sent, const unique_fd& rd, char c) {
        CHECK((::fcntl(sent.get(), F_GETFD) & FD_CLOEXEC) != 0);
        REQUIRE(::write(sent.get(), &c, 1) == 1);
        char got = 0;
        REQUIRE(::read(rd.get(), &got, 1) == 1);
        CHECK(got == c);
    };
    through(in->join.v1[0].fd, memory.rd, 'm');
    through(in->join.v1[1].fd, cpu.rd, 'c');
    through(in->join.v2.fd, leaf.rd, 'u');
}

// An idmapped container's setup also carries its rootfs mount and /dev tmpfs, after the
// cgroup files, each one optional.
TEST_CASE("setup carries the idmapped rootfs and the /dev tmpfs", "[start]") {
    for (int which = 1; which <= 3; ++which) {
        Pair s;
        Pipe leaf, root, dev;
        start::Setup out;
        out.join.v2 = {unique_fd(::dup(leaf.wr.get())), "/sys/fs/cgroup/unified/cnt.payload.c1"};
        if (which & 1) out.rootfs.reset(::dup(root.wr.get()));
        if (which & 2) out.dev.reset(::dup(dev.wr.get()));
        out.cgroups = {{"", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/cnt.payload.c1"}};
        REQUIRE(start::send_setup(s.monitor.get(), out));
        auto in = start::recv_setup(s.init.get());
        REQUIRE(in);
        REQUIRE(in->join.v2.fd);
        CHECK(in->cgroups.size() == 1);
        CHECK(bool(in->rootfs) == bool(which & 1));
        CHECK(bool(in->dev) == bool(which & 2));
        auto through = [](const unique_fd& sent, const unique_fd& rd, char c) {
            REQUIRE(::write(sent.get(), &c, 1) == 1);
            char got = 0;
            REQUIRE(::read(rd.get(), &got, 1) == 1);
            CHECK(got == c);
        };
        through(in->join.v2.fd, leaf.rd, 'u');
        if (in->rootfs) through(in->rootfs, root.rd, 'r');
        if (in->dev) through(in->dev, dev.rd, 'd');
    }
}

TEST_CASE("setup without cgroups, an error, EOF or garbage instead of setup", "[start]") {
    {
        Pair s;
        REQUIRE(start::send_setup(s.monitor.get(), {}));
        auto in = start::recv_setup(s.init.get());
        REQUIRE(in);
        CHECK(in->join.v1.empty());
        CHECK_FALSE(in->join.v2.fd);
        CHECK(in->cgroups.empty());
    }
    {
        Pair s;
        REQUIRE(start::send_error(s.monitor.get(),
                                  Error{.err = EEXIST, .step = "creating cgroup x", .object = {}}));
        auto in = start::recv_setup(s.init.get());
        REQUIRE_FALSE(in);
        CHECK(in.error().err == EEXIST);
        CHECK(in.error().step == "creating cgroup x");
    }
    {
        Pair s;
        s.monitor.reset();
        auto in = start::recv_setup(s.init.get());
        REQUIRE_FALSE(in);
        CHECK_THAT(in.error().message(), Catch::Contains("exited"));
    }
    {
        Pair s;
        // two v1 files announced, none attached
        REQUIRE(start::send_msg(s.monitor.get(), std::string("setup\0"
                                                             "2\0"
                                                             "0\0"
                                                             "/a\0"
                                                             "/b",
                                                             14)));
        auto in = start::recv_setup(s.init.get());
        REQUIRE_FALSE(in);
        CHECK_THAT(in.error().message(), Catch::Contains("expected \"setup\""));
    }
}
