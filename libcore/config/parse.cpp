// Value parsers shared by the registry rows.
#include "config/parse.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cnt/text.hpp"

namespace cnt::config::detail {

std::vector<std::string> split_blanks(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_blank(s[i])) ++i;
        size_t j = i;
        while (j < s.size() && !is_blank(s[j])) ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::optional<uint64_t> parse_ulong(std::string_view s) {
    std::string t(s);
    const char* p = t.c_str();
    while (is_blank(*p)) ++p;
    if (*p == '-' || *p == '\0') return std::nullopt;
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(p, &end, 0);
    if (errno || end == p) return std::nullopt;
    // LXC's lxc_safe_ulong tolerates trailing blanks/newlines only.
    while (*end == ' ' || *end == '\t' || *end == '\n') ++end;
    if (*end) return std::nullopt;
    return v;
}

std::optional<int64_t> parse_long(std::string_view s) {
    std::string t(s);
    const char* p = t.c_str();
    while (is_blank(*p)) ++p;
    if (*p == '\0') return std::nullopt;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(p, &end, 0);
    if (errno || end == p) return std::nullopt;
    while (*end == ' ' || *end == '\t' || *end == '\n') ++end;
    if (*end) return std::nullopt;
    return v;
}

std::optional<unsigned> parse_uint(std::string_view s) {
    auto v = parse_ulong(s);
    if (!v || *v > 0xffffffffull) return std::nullopt;
    return static_cast<unsigned>(*v);
}

std::optional<bool> parse_bool01(std::string_view s) {
    auto v = parse_ulong(s);
    if (!v || *v > 1) return std::nullopt;
    return *v == 1;
}

namespace {
struct SigName {
    std::string_view name;
    int num;
};
constexpr SigName kSignals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};
bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}
std::optional<long> decimal(std::string_view s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    long v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}
}  // namespace

std::optional<int> parse_signal(std::string_view s) {
    s = trim(s);
    if (auto n = decimal(s)) return static_cast<int>(*n);
    if (s.size() < 4 || !iequal(s.substr(0, 3), "SIG")) return std::nullopt;
    s.remove_prefix(3);
    if (s.size() >= 5 && iequal(s.substr(0, 5), "RTMIN")) {
        auto rest = s.substr(5);
        if (rest.empty()) return SIGRTMIN;
        if (rest[0] != '+') return std::nullopt;
        auto n = decimal(rest.substr(1));
        if (!n || SIGRTMIN + *n > SIGRTMAX) return std::nullopt;
        return static_cast<int>(SIGRTMIN + *n);
    }
    if (s.size() >= 5 && iequal(s.substr(0, 5), "RTMAX")) {
        auto rest = s.substr(5);
        if (rest.empty()) return SIGRTMAX;
        if (rest[0] != '-') return std::nullopt;
        auto n = decimal(rest.substr(1));
        if (!n || SIGRTMAX - *n < SIGRTMIN) return std::nullopt;
        return static_cast<int>(SIGRTMAX - *n);
    }
    for (auto& e : kSignals)
        if (iequal(e.name, s)) return e.num;
    return std::nullopt;
}

std::string normalize_path(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '/' && !out.empty() && out.back() == '/') continue;
        out += c;
    }
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
}

std::string relative_to_file(std::string_view file, std::string_view value) {
    if (value.empty() || value[0] == '/' || file.empty()) return std::string(value);
    auto slash = file.rfind('/');
    std::string dir = slash == std::string_view::npos ? "."
                      : slash == 0                    ? "/"
                                                      : std::string(file.substr(0, slash));
    return dir + "/" + std::string(value);
}

bool names_relative_file(std::string_view key) {
    return key == "lxc.include" || key == "lxc.seccomp.profile";
}

std::optional<uint64_t> parse_console_size(std::string_view s) {
    s = trim(s);
    uint64_t v;
    if (s == "auto") {
        v = 128 * 1024;
    } else {
        std::string t(s);
        char* end = nullptr;
        errno = 0;
        if (t.empty() || t[0] == '-') return std::nullopt;
        unsigned long long n = std::strtoull(t.c_str(), &end, 0);
        if (errno || end == t.c_str()) return std::nullopt;
        std::string_view suf(end);
        suf = trim(suf);
        uint64_t mul = 1;
        if (suf.size() == 2) {
            if (iequal(suf, "kB"))
                mul = 1024;
            else if (iequal(suf, "MB"))
                mul = 1024 * 1024;
            else if (iequal(suf, "GB"))
                mul = 1024ull * 1024 * 1024;
            else
                return std::nullopt;
        } else if (suf.size() > 2) {
            return std::nullopt;
        }
        // a single-letter suffix is silently ignored (LXC quirk: "1G" = 1 byte)
        v = n * mul;
    }
    uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    if (v < page) v = page;
    uint64_t p = 1;
    while (p < v) p <<= 1;
    return p;
}

std::string check_device_rule(std::string_view s, bool allow_path) {
    s = trim(s);
    if (s == "a") return {};
    if (allow_path && !s.empty() && s[0] == '/') return {};
    if (s.size() < 2 || (s[0] != 'a' && s[0] != 'b' && s[0] != 'c') || !is_blank(s[1]))
        return "device rule must be \"a\" or \"<a|b|c> <major|*>:<minor|*> [rwm]\"";
    // The blank-separated words after the type, as views (no allocation: common.conf has a
    // dozen of these rules, read for every container cnt-ls -f lists).
    std::string_view parts[3];
    size_t nparts = 0;
    for (std::string_view rest = s.substr(1); nparts < 3;) {
        while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
        if (rest.empty()) break;
        size_t e = 0;
        while (e < rest.size() && !is_blank(rest[e])) ++e;
        parts[nparts++] = rest.substr(0, e);
        rest.remove_prefix(e);
    }
    if (nparts == 0 || nparts > 2)
        return "device rule must be \"<a|b|c> <major|*>:<minor|*> [rwm]\"";
    auto num = [](std::string_view x) {
        return x == "*" || (!x.empty() && std::all_of(x.begin(), x.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; }));
    };
    auto colon = parts[0].find(':');
    if (colon == std::string::npos || !num(parts[0].substr(0, colon)) ||
        !num(parts[0].substr(colon + 1)))
        return "device number must be <major|*>:<minor|*>, not \"" + std::string(parts[0]) + "\"";
    if (nparts == 2) {
        std::string_view acc = parts[1];
        if (acc.empty() || acc.size() > 3 || !std::all_of(acc.begin(), acc.end(), [](char c) {
                return c == 'r' || c == 'w' || c == 'm';
            }))
            return "device access must be a combination of r, w, m";
    }
    return {};
}

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
        // A row's minimum never decreases in the next rows.
        if (limit != SIZE_MAX && *std::min_element(prev.begin(), prev.end()) > limit)
            return limit + 1;
    }
    return prev[b.size()];
}

}  // namespace cnt::config::detail
