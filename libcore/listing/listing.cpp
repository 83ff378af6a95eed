#include "cnt/listing.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "cnt/container.hpp"
#include "cnt/dir.hpp"
#include "cnt/log.hpp"

namespace cnt::listing {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

// Addresses are only visible from inside the container's network namespace: a short-lived
// child joins it (setns needs a single-threaded caller, which a fresh fork is) and reports
// "i name", "4 addr", "6 addr" lines over a pipe.
void read_addresses(pid_t init, Info& out) {
    unique_fd ns(::open(cat("/proc/", init, "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns) return;
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return;
    unique_fd rd(p[0]), wr(p[1]);
    pid_t child = ::fork();
    if (child < 0) return;
    if (child == 0) {
        if (::setns(ns.get(), CLONE_NEWNET) != 0) _exit(1);
        ifaddrs* ifa = nullptr;
        if (::getifaddrs(&ifa) != 0) _exit(1);
        std::string text;
        std::set<std::string> seen;
        for (auto* a = ifa; a; a = a->ifa_next) {
            if (!a->ifa_name || (a->ifa_flags & IFF_LOOPBACK)) continue;
            if (seen.insert(a->ifa_name).second) text += cat("i ", a->ifa_name, "\n");
            if (!a->ifa_addr) continue;
            char buf[INET6_ADDRSTRLEN];
            if (a->ifa_addr->sa_family == AF_INET) {
                auto* s = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
                if (::inet_ntop(AF_INET, &s->sin_addr, buf, sizeof buf))
                    text += cat("4 ", buf, "\n");
            } else if (a->ifa_addr->sa_family == AF_INET6) {
                auto* s = reinterpret_cast<sockaddr_in6*>(a->ifa_addr);
                if (IN6_IS_ADDR_LINKLOCAL(&s->sin6_addr)) continue;
                if (::inet_ntop(AF_INET6, &s->sin6_addr, buf, sizeof buf))
                    text += cat("6 ", buf, "\n");
            }
        }
        ssize_t w = ::write(wr.get(), text.data(), text.size());
        _exit(w == static_cast<ssize_t>(text.size()) ? 0 : 1);
    }
    wr.reset();
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(rd.get(), buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        text.append(buf, static_cast<size_t>(n));
    }
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.size() < 3) continue;
        std::string v = line.substr(2);
        if (line[0] == 'i')
            out.interfaces.push_back(v);
        else if (line[0] == '4')
            out.ipv4.push_back(v);
        else if (line[0] == '6')
            out.ipv6.push_back(v);
    }
}

std::string mb(std::optional<uint64_t> bytes) {
    if (!bytes) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2fMB", static_cast<double>(*bytes) / (1024.0 * 1024.0));
    return buf;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

const std::vector<std::string> kColumns = {"NAME", "STATE",     "PID",         "RAM",
                                           "SWAP", "AUTOSTART", "GROUPS",      "INTERFACE",
                                           "IPV4", "IPV6",      "UNPRIVILEGED"};

}  // namespace

std::vector<std::string> defined_names(const std::string& lxcpath) {
    std::vector<std::string> names;
    DirReader d(lxcpath);
    if (!d) return names;
    int dfd = d.fd();
    while (const dirent* e = d.next()) {
        if (e->d_name[0] == '.') continue;
        // fstatat relative to the lxcpath: one syscall per entry, no path building.
        struct stat st {};
        std::string cfg = std::string(e->d_name) + "/config";
        if (::fstatat(dfd, cfg.c_str(), &st, 0) == 0 && S_ISREG(st.st_mode))
            names.emplace_back(e->d_name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

Result<Info> info(const std::string& name, const std::string& lxcpath, const Need& need) {
    CNT_ASSIGN(c, Container::open(name, lxcpath));
    Info i;
    i.name = name;
    if (need.config) {
        auto cfg = c.load_config();
        if (!cfg) return std::unexpected(cfg.error());
        i.autostart = cfg->start.autostart;
        i.groups = cfg->start.groups;
        i.unprivileged = !cfg->ns.idmaps.empty();
    }
    if (need.state || need.memory || need.addresses) {
        // A run state that cannot be read shows as STOPPED, with the reason once.
        auto rs = c.read_run_state();
        if (!rs)
            log::error(name, ": ", rs.error().message(),
                       "; shown as STOPPED (cnt-stop -k ends what may still run)");
        i.state = Container::state_of(rs ? *rs : std::nullopt);
        if (i.state != State::stopped) i.pid = rs && *rs ? (*rs)->init_pid : 0;
    }
    if (need.memory && i.pid > 0) {
        if (auto st = c.stats(); st && st->has_memory) i.ram_bytes = st->memory_bytes;
    }
    if (need.addresses && i.pid > 0) read_addresses(i.pid, i);
    return i;
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char ch : s) {
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (ch < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                    out += buf;
                } else {
                    out += static_cast<char>(ch);
                }
        }
    }
    return out + "\"";
}

namespace {
std::string json_list(const std::vector<std::string>& v) {
    std::string out = "[";
    for (size_t k = 0; k < v.size(); ++k) out += (k ? ", " : "") + json_string(v[k]);
    return out + "]";
}
template <class T>
std::string json_opt(const std::optional<T>& v) {
    return v ? std::to_string(*v) : "null";
}
}  // namespace

std::string info_json(const Info& i) {
    return cat("{\"name\": ", json_string(i.name),
               ", \"state\": ", json_string(std::string(state_name(i.state))),
               ", \"pid\": ", i.pid > 0 ? std::to_string(i.pid) : "null",
               ", \"ram\": ", json_opt(i.ram_bytes), ", \"swap\": ", json_opt(i.swap_bytes),
               ", \"autostart\": ", i.autostart ? "true" : "false",
               ", \"groups\": ", json_list(i.groups), ", \"interfaces\": ", json_list(i.interfaces),
               ", \"ipv4\": ", json_list(i.ipv4), ", \"ipv6\": ", json_list(i.ipv6),
               ", \"unprivileged\": ", i.unprivileged ? "true" : "false", "}");
}

std::string info_json(const std::vector<Info>& all) {
    std::string out = "[";
    for (size_t k = 0; k < all.size(); ++k) out += (k ? ",\n " : "") + info_json(all[k]);
    return out + "]";
}

const std::vector<std::string>& column_names() { return kColumns; }

bool valid_column(const std::string& col) {
    return std::find(kColumns.begin(), kColumns.end(), col) != kColumns.end();
}

std::string column_value(const Info& i, const std::string& col) {
    if (col == "NAME") return i.name;
    if (col == "STATE") return std::string(state_name(i.state));
    if (col == "PID") return i.pid > 0 ? std::to_string(i.pid) : "-";
    if (col == "RAM") return mb(i.ram_bytes);
    if (col == "SWAP") return mb(i.swap_bytes);
    if (col == "AUTOSTART") return i.autostart ? "1" : "0";
    if (col == "GROUPS") return or_dash(join(i.groups, ","));
    if (col == "INTERFACE") return or_dash(join(i.interfaces, ", "));
    if (col == "IPV4") return or_dash(join(i.ipv4, ", "));
    if (col == "IPV6") return or_dash(join(i.ipv6, ", "));
    if (col == "UNPRIVILEGED") return i.unprivileged ? "true" : "false";
    return "-";
}

void add_need(Need& need, const std::string& col) {
    if (col == "STATE" || col == "PID")
        need.state = true;
    else if (col == "RAM" || col == "SWAP")
        need.memory = true;
    else if (col == "AUTOSTART" || col == "GROUPS" || col == "UNPRIVILEGED")
        need.config = true;
    else if (col == "INTERFACE" || col == "IPV4" || col == "IPV6")
        need.addresses = true;
}

}  // namespace cnt::listing
