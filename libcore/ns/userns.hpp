// User namespaces for a caller that is not root: id maps through Debian's setuid
// newuidmap/newgidmap (package uidmap), checked first against the caller's /etc/subuid and
// /etc/subgid ranges; short-lived helpers that act as the container's root (the template,
// destroy's removal of the rootfs, the ptys handed to the container).
#pragma once
#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::ns {

// Whether the caller must go through newuidmap/newgidmap (not root of the host).
bool unprivileged();

struct SubRange {
    unsigned long start = 0, count = 0;
};
// The subordinate ranges /etc/subuid (type 'u') or /etc/subgid ('g') grants the caller (lines
// naming its user name or its uid).
std::vector<SubRange> sub_ranges(char type);
// The same from a file's text: "name-or-id:start:count" lines for `name` or `id`; lines
// that are not that (comments, garbage, a zero count) are skipped, as newuidmap skips them.
std::vector<SubRange> parse_sub_ranges(std::string_view text, std::string_view name,
                                       std::string_view id);
// The first map of `type` that neither `ranges` nor the caller's own id `self` (range 1)
// covers, or nullptr.
const config::IdMap* uncovered(const std::vector<config::IdMap>& maps, char type,
                               const std::vector<SubRange>& ranges, unsigned long self);

// Every lxc.idmap line must map host ids the caller may map: within one of its subordinate
// ranges, or its own uid/gid alone (range 1), as newuidmap checks. The error names the line
// and the ranges the caller has.
Result<void> check_subids(const std::vector<config::IdMap>& maps);

// What a user's default.conf needs: "lxc.idmap = u 0 <start> <count>" and the g line, from
// the caller's first subordinate ranges ("" when it has none).
std::string suggested_idmaps();

// The container's maps plus the caller's own uid and gid, each at the first id the maps leave
// free (as LXC maps the caller for its template): files the caller owns on the host (the
// container's directory and config) stay reachable as that id.
std::vector<config::IdMap> with_caller(std::vector<config::IdMap> maps);

// Write pid's uid_map and gid_map: directly as root, else through newuidmap/newgidmap.
Result<void> write_maps(pid_t pid, const std::vector<config::IdMap>& maps);

// Like fork(): the child (0) returns as root (uid and gid 0) of a new user namespace with
// `maps` written; the parent gets its pid. what: the child, for messages.
Result<pid_t> fork_in_userns(const std::vector<config::IdMap>& maps, const char* what);

}  // namespace cnt::ns
