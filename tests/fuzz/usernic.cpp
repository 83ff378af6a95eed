// Fuzz target: what the setuid helper cnt-user-nic reads from others (net/usernet.cpp): the
// grants file, its state file (a parse/format round trip must be stable), and its argument
// vector (the input split at NUL bytes), each of which a hostile caller may shape.
#include "cnt/usernic.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace un = cnt::usernic;
    std::string_view in = cnt::fuzz::text(data, size);
    if (auto g = un::parse_usernet(in))
        (void)un::allowed(*g, "alice", {"alice", "net"}, "br0");
    else
        (void)g.error().message();

    auto st = un::parse_state(in);
    auto again = un::parse_state(un::format_state(st));
    if (again.size() != st.size() || un::format_state(again) != un::format_state(st))
        __builtin_trap();

    std::vector<std::string> args;
    for (size_t pos = 0; pos <= in.size() && args.size() < 16;) {
        size_t e = in.find('\0', pos);
        if (e == std::string_view::npos) e = in.size();
        args.emplace_back(in.substr(pos, e - pos));
        pos = e + 1;
    }
    if (auto r = un::parse_args(args)) {
        // What parse_args accepts passes every check on its own.
        if (r->pid <= 0 || !un::check_ifname("nic", r->nicname) ||
            !un::check_ifname("bridge", r->bridge) || !un::check_container(r->container) ||
            !un::check_lxcpath(r->lxcpath))
            __builtin_trap();
    } else {
        (void)r.error().message();
    }
    return 0;
}
