// Pure helpers: MAC templates, interface names, and the run-state form of Attached.
#include <sys/random.h>

#include <cctype>
#include <cstdio>

#include "cnt/net.hpp"

namespace cnt::net {

static void random_bytes(uint8_t* p, size_t n) {
    while (n > 0) {
        ssize_t r = ::getrandom(p, n, 0);
        if (r <= 0) continue;  // EINTR; getrandom never blocks once the pool is ready
        p += r;
        n -= static_cast<size_t>(r);
    }
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// Parses 6 octets of two hex digits each; with `tmpl`, x/X digits are filled from `rnd`
// and their positions flagged in `random_nibble` (12 entries).
static Result<Mac> parse_mac_impl(const std::string& s, bool tmpl, bool* random_nibble) {
    Mac m{};
    auto bad = [&] { return error(cat("invalid MAC address \"", s, '"')); };
    if (s.size() != 17) return bad();
    uint8_t rnd[12];
    if (tmpl) random_bytes(rnd, sizeof rnd);
    for (int i = 0; i < 6; ++i) {
        if (i > 0 && s[i * 3 - 1] != ':' && s[i * 3 - 1] != '-') return bad();
        int nib[2];
        for (int j = 0; j < 2; ++j) {
            char c = s[i * 3 + j];
            if (tmpl && (c == 'x' || c == 'X')) {
                nib[j] = rnd[i * 2 + j] & 0xf;
                random_nibble[i * 2 + j] = true;
            } else if ((nib[j] = hexval(c)) < 0) {
                return bad();
            }
        }
        m[i] = static_cast<uint8_t>(nib[0] << 4 | nib[1]);
    }
    return m;
}

Result<Mac> parse_mac(const std::string& s) { return parse_mac_impl(s, false, nullptr); }

std::string format_mac(const Mac& m) {
    char b[18];
    std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return b;
}

Result<Mac> expand_hwaddr(const std::string& tmpl) {
    bool random_nibble[12] = {};
    auto m = parse_mac_impl(tmpl, true, random_nibble);
    if (!m) return m;
    // Bit 0 of the first octet marks multicast (the kernel refuses it for a device address);
    // bit 1 marks a locally administered address, which a random one is.
    if (random_nibble[1]) (*m)[0] = static_cast<uint8_t>(((*m)[0] & ~0x01) | 0x02);
    return m;
}

std::string random_ifname(const std::string& prefix, unsigned nrandom) {
    static constexpr char alnum[] =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::string name = prefix.substr(0, 15);
    if (name.size() + nrandom > 15) nrandom = static_cast<unsigned>(15 - name.size());
    uint8_t r[15];
    random_bytes(r, nrandom);
    for (unsigned i = 0; i < nrandom; ++i) name += alnum[r[i] % (sizeof alnum - 1)];
    return name;
}

Result<void> validate_ifname(const std::string& name) {
    if (name.empty() || name.size() > 15)
        return error(cat("invalid interface name \"", name, "\": must be 1 to 15 bytes"));
    if (name == "." || name == "..") return error(cat("invalid interface name \"", name, '"'));
    for (char c : name)
        if (c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c)))
            return error(
                cat("invalid interface name \"", name, "\": no '/', ':' or blanks allowed"));
    return {};
}

std::string inner_name(const config::Network& n) {
    return n.name.empty() ? cat("eth", n.index) : n.name;
}

// Run-state form: phys.N.host / phys.N.inner, veth.N, down.N.{script,type,link,peer}.
store::KeyValues Attached::save() const {
    store::KeyValues kv;
    for (size_t i = 0; i < phys.size(); ++i) {
        kv[cat("phys.", i, ".host")] = phys[i].host_name;
        kv[cat("phys.", i, ".inner")] = phys[i].inner_name;
        kv[cat("phys.", i, ".mac")] = phys[i].mac;
    }
    for (size_t i = 0; i < veth_host.size(); ++i) kv[cat("veth.", i)] = veth_host[i];
    for (size_t i = 0; i < down.size(); ++i) {
        kv[cat("down.", i, ".script")] = down[i].script;
        kv[cat("down.", i, ".type")] = down[i].type;
        kv[cat("down.", i, ".link")] = down[i].link;
        kv[cat("down.", i, ".peer")] = down[i].peer;
    }
    if (!down.empty()) {
        kv["container"] = container;
        kv["hook_version"] = cat(hook_version);
        for (size_t i = 0; i < hook_env.size(); ++i) kv[cat("hook_env.", i)] = hook_env[i];
    }
    return kv;
}

Attached Attached::load(const store::KeyValues& kv) {
    Attached a;
    auto get = [&](const std::string& k) -> const std::string* {
        auto it = kv.find(k);
        return it == kv.end() ? nullptr : &it->second;
    };
    for (size_t i = 0;; ++i) {
        auto h = get(cat("phys.", i, ".host")), in = get(cat("phys.", i, ".inner"));
        if (!h || !in) break;
        auto m = get(cat("phys.", i, ".mac"));
        a.phys.push_back({*h, *in, m ? *m : std::string()});
    }
    for (size_t i = 0;; ++i) {
        auto v = get(cat("veth.", i));
        if (!v) break;
        a.veth_host.push_back(*v);
    }
    for (size_t i = 0;; ++i) {
        auto s = get(cat("down.", i, ".script"));
        if (!s) break;
        Down d{*s, {}, {}, {}};
        if (auto t = get(cat("down.", i, ".type"))) d.type = *t;
        if (auto l = get(cat("down.", i, ".link"))) d.link = *l;
        if (auto p = get(cat("down.", i, ".peer"))) d.peer = *p;
        a.down.push_back(std::move(d));
    }
    if (auto c = get("container")) a.container = *c;
    if (auto v = get("hook_version")) a.hook_version = *v == "1" ? 1 : 0;
    for (size_t i = 0;; ++i) {
        auto e = get(cat("hook_env.", i));
        if (!e) break;
        a.hook_env.push_back(*e);
    }
    return a;
}

}  // namespace cnt::net
