// cnt-user-nic: the setuid-root helper that gives a normal user's container a veth on a host
// bridge, within the grants of /etc/cnt/cnt-usernet (LXC's lxc-user-nic and lxc-usernet).
// It creates the pair, attaches the host end to the bridge and puts the other end, named,
// into the caller's network namespace: nothing else. Every input is hostile: the arguments,
// the environment, the target process, the files under /run it keeps its count in.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::usernic {

// One line of cnt-usernet: `USER veth BRIDGE COUNT` or `@GROUP veth BRIDGE COUNT`.
struct Grant {
    std::string who;  // user name, or group name when group
    bool group = false;
    std::string bridge;
    unsigned count = 0;
};
// Blank lines and `#` comments are skipped; a malformed line is an error naming its number.
Result<std::vector<Grant>> parse_usernet(std::string_view text);
// How many veths `user` (in `groups`) may have on `bridge`: the sum of every matching line.
unsigned allowed(const std::vector<Grant>& grants, const std::string& user,
                 const std::vector<std::string>& groups, const std::string& bridge);

// One veth the helper made, as its state file lists it: `UID BRIDGE HOSTIF CONTAINER`.
struct Entry {
    uid_t uid = 0;
    std::string bridge, host_if, container;
};
// Lines that do not parse are dropped (the file is input, never trusted).
std::vector<Entry> parse_state(std::string_view text);
// A container name as the state file keeps it: blanks and the like become '_'.
std::string state_token(std::string_view container);
std::string format_state(const std::vector<Entry>& entries);

// Argument checks (pure): an interface name of [A-Za-z0-9_.-], 1..15 bytes, not "." or "..";
// a container name as cnt's (store::validate_name); a pid as
// plain decimal digits, 1..4194304; an absolute path of printable bytes, < 4096.
Result<void> check_ifname(std::string_view what, std::string_view s);
Result<void> check_container(std::string_view s);
Result<pid_t> check_pid(std::string_view s);
Result<void> check_lxcpath(std::string_view s);

// What `cnt-user-nic create LXCPATH NAME PID veth BRIDGE [NICNAME]` asks for.
struct Request {
    std::string lxcpath, container;
    pid_t pid = 0;
    std::string bridge, nicname = "eth0";
};
// argv after the program name; validated.
Result<Request> parse_args(const std::vector<std::string>& args);

struct Created {
    std::string nicname, host_if;
};
// The privileged part, run as euid 0 on behalf of real uid `caller`.
Result<Created> create(const Request& r, uid_t caller);

// The path of the grants file and of the state kept under /run/cnt.
extern const char* const kUsernetPath;
extern const char* const kStateDir;

}  // namespace cnt::usernic
