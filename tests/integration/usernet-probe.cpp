// t-net-user's probe: net::setup as the normal user who runs it, for one veth on a bridge, into
// the netns of PID (argv: PID BRIDGE). Built by the test next to an installed, setuid-root
// cnt-user-nic, which net::setup then finds "next to the running binary".
#include <arpa/inet.h>

#include <cstdio>
#include <cstdlib>

#include "cnt/net.hpp"

int main(int argc, char** argv) {
    using namespace cnt;
    if (argc != 3) return 2;
    config::Network n;
    n.type = config::NetType::veth;
    n.link = argv[2];
    n.up = true;
    n.mtu = 1400;
    n.hwaddr = "02:00:00:aa:bb:cc";
    config::Ipv4Addr a;
    inet_pton(AF_INET, "10.231.7.2", &a.addr);
    a.prefix = 24;
    n.ipv4.push_back(a);
    Undo undo;
    net::SetupOptions o;
    o.lxcpath = "/tmp";
    auto r = net::setup({n}, "unprobe", std::atoi(argv[1]), undo, o);
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().message().c_str());
        return 1;
    }
    undo.dismiss();
    std::printf("%s\n", r->veth_host.at(0).c_str());
    return 0;
}
