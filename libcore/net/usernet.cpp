// cnt-user-nic's pure parts: the grants file, its state file, argument checks.
#include <algorithm>
#include <charconv>

#include "cnt/store.hpp"
#include "cnt/usernic.hpp"

#ifndef CNT_SYSCONFDIR
#define CNT_SYSCONFDIR "/etc/cnt"
#endif

namespace cnt::usernic {

const char* const kUsernetPath = CNT_SYSCONFDIR "/cnt-usernet";
const char* const kStateDir = "/run/cnt";

namespace {

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while ((pos = s.find_first_not_of(" \t\r", pos)) != std::string_view::npos) {
        size_t e = s.find_first_of(" \t\r", pos);
        if (e == std::string_view::npos) e = s.size();
        out.push_back(s.substr(pos, e - pos));
        pos = e;
    }
    return out;
}

template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
    size_t pos = 0, n = 0;
    while (pos < text.size()) {
        size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        if (!fn(text.substr(pos, e - pos), ++n)) return;
        pos = e + 1;
    }
}

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

bool all_name_chars(std::string_view s) {
    for (char c : s)
        if (!name_char(c)) return false;
    return true;
}

template <class T>
std::optional<T> decimal(std::string_view s) {
    T v{};
    if (s.empty() || s.size() > 10 || s[0] < '0' || s[0] > '9') return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

Result<std::vector<Grant>> parse_usernet(std::string_view text) {
    std::vector<Grant> out;
    std::optional<Error> bad;
    for_each_line(text, [&](std::string_view line, size_t n) {
        if (auto h = line.find('#'); h != std::string_view::npos) line = line.substr(0, h);
        auto w = words(line);
        if (w.empty()) return true;
        auto count = w.size() == 4 ? decimal<unsigned>(w[3]) : std::nullopt;
        Grant g{std::string(w[0]), false, w.size() == 4 ? std::string(w[2]) : "", 0};
        if (!g.who.empty() && g.who[0] == '@') {
            g.who.erase(0, 1);
            g.group = true;
        }
        if (!count || g.who.empty() || w[1] != "veth" || !check_ifname("bridge", g.bridge)) {
            bad = Error{0, cat("line ", n, ": expected \"USER|@GROUP veth BRIDGE COUNT\""), {}};
            return false;
        }
        g.count = *count;
        out.push_back(std::move(g));
        return true;
    });
    if (bad) return std::unexpected(*bad);
    return out;
}

unsigned allowed(const std::vector<Grant>& grants, const std::string& user,
                 const std::vector<std::string>& groups, const std::string& bridge) {
    unsigned long long n = 0;
    for (const auto& g : grants) {
        if (g.bridge != bridge) continue;
        bool match = g.group ? std::find(groups.begin(), groups.end(), g.who) != groups.end()
                             : g.who == user;
        if (match) n += g.count;
    }
    return n > 100000 ? 100000 : static_cast<unsigned>(n);
}

std::vector<Entry> parse_state(std::string_view text) {
    std::vector<Entry> out;
    for_each_line(text, [&](std::string_view line, size_t) {
        auto w = words(line);
        if (w.size() != 4) return true;
        auto uid = decimal<uid_t>(w[0]);
        if (!uid || !check_ifname("", w[1]) || !check_ifname("", w[2]) || w[3].size() > 64 ||
            !all_name_chars(w[3]))
            return true;
        out.push_back({*uid, std::string(w[1]), std::string(w[2]), std::string(w[3])});
        return true;
    });
    return out;
}

std::string format_state(const std::vector<Entry>& entries) {
    std::string s;
    for (const auto& e : entries)
        s += cat(e.uid, ' ', e.bridge, ' ', e.host_if, ' ', e.container, '\n');
    return s;
}

Result<void> check_ifname(std::string_view what, std::string_view s) {
    if (s.empty() || s.size() > 15 || s == "." || s == ".." || !all_name_chars(s))
        return errno_error(EINVAL, cat("invalid ", what, " name: 1 to 15 of A-Z a-z 0-9 _ . -"));
    return {};
}

Result<void> check_container(std::string_view s) {
    if (auto r = store::validate_name(s); !r) return errno_error(EINVAL, r.error().step);
    return {};
}

std::string state_token(std::string_view container) {
    std::string t(container);
    for (char& c : t)
        if (!name_char(c)) c = '_';
    return t;
}

Result<pid_t> check_pid(std::string_view s) {
    auto v = decimal<uint32_t>(s);
    if (!v || *v == 0 || *v > 4194304 || s[0] == '0') return errno_error(EINVAL, "invalid pid");
    return static_cast<pid_t>(*v);
}

Result<void> check_lxcpath(std::string_view s) {
    if (s.empty() || s[0] != '/' || s.size() >= 4096)
        return errno_error(EINVAL, "invalid lxcpath: an absolute path is expected");
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return errno_error(EINVAL, "invalid lxcpath: control character");
    return {};
}

Result<Request> parse_args(const std::vector<std::string>& a) {
    if (a.size() < 6 || a.size() > 7 || a[0] != "create")
        return errno_error(EINVAL, "usage: create LXCPATH NAME PID veth BRIDGE [NICNAME]");
    Request r;
    CNT_TRY(check_lxcpath(a[1]));
    CNT_TRY(check_container(a[2]));
    CNT_ASSIGN(pid, check_pid(a[3]));
    if (a[4] != "veth") return errno_error(EINVAL, "only type veth is supported");
    CNT_TRY(check_ifname("bridge", a[5]));
    if (a.size() == 7) CNT_TRY(check_ifname("nic", a[6]));
    r.lxcpath = a[1];
    r.container = a[2];
    r.pid = pid;
    r.bridge = a[5];
    if (a.size() == 7) r.nicname = a[6];
    return r;
}

}  // namespace cnt::usernic
