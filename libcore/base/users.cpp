#include "cnt/users.hpp"

#include <charconv>

#include "cnt/store.hpp"

namespace cnt::users {
namespace {

constexpr const char* kPasswd = "/etc/passwd";
constexpr const char* kGroup = "/etc/group";

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> f;
    size_t pos = 0;
    for (;;) {
        size_t e = line.find(':', pos);
        f.push_back(line.substr(pos, e == std::string_view::npos ? e : e - pos));
        if (e == std::string_view::npos) return f;
        pos = e + 1;
    }
}

template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
    size_t pos = 0;
    while (pos < text.size()) {
        size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        auto line = text.substr(pos, e - pos);
        pos = e + 1;
        if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') continue;
        if (fn(line)) return;
    }
}

std::optional<uint32_t> number(std::string_view s) {
    uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// name:passwd:uid:gid:gecos:home:shell
std::optional<User> parse_user(std::string_view line) {
    auto f = fields(line);
    if (f.size() < 4 || f[0].empty()) return std::nullopt;
    auto uid = number(f[2]), gid = number(f[3]);
    if (!uid || !gid) return std::nullopt;
    return User{std::string(f[0]), *uid, *gid, f.size() > 5 ? std::string(f[5]) : std::string()};
}

Result<std::string> read_db(const char* path) {
    auto t = store::read_input(path, 64u << 20);
    if (!t) return std::unexpected(std::move(t.error()).within(path));
    return t;
}

}  // namespace

std::optional<User> find_in_passwd(std::string_view passwd, std::string_view name_or_uid) {
    auto uid = number(name_or_uid);
    if (uid) return find_uid_in_passwd(passwd, *uid);
    std::optional<User> found;
    for_each_line(passwd, [&](std::string_view line) {
        auto u = parse_user(line);
        if (u && u->name == name_or_uid) found = std::move(u);
        return found.has_value();
    });
    return found;
}

std::optional<User> find_uid_in_passwd(std::string_view passwd, uid_t uid) {
    std::optional<User> found;
    for_each_line(passwd, [&](std::string_view line) {
        auto u = parse_user(line);
        if (u && u->uid == uid) found = std::move(u);
        return found.has_value();
    });
    return found;
}

// name:passwd:gid:member,member
std::vector<std::string> groups_in(std::string_view group, const User& u) {
    std::vector<std::string> out;
    for_each_line(group, [&](std::string_view line) {
        auto f = fields(line);
        if (f.size() < 4 || f[0].empty()) return false;
        bool in = number(f[2]) == u.gid;
        for (size_t pos = 0; !in && pos <= f[3].size();) {
            size_t e = f[3].find(',', pos);
            if (e == std::string_view::npos) e = f[3].size();
            in = f[3].substr(pos, e - pos) == u.name;
            pos = e + 1;
        }
        if (in) out.emplace_back(f[0]);
        return false;
    });
    return out;
}

Result<User> find(std::string_view name_or_uid) {
    CNT_ASSIGN(text, read_db(kPasswd));
    auto u = find_in_passwd(text, name_or_uid);
    if (!u) return error("no user \"", name_or_uid, "\" in ", kPasswd);
    return *u;
}

Result<User> by_uid(uid_t uid) {
    CNT_ASSIGN(text, read_db(kPasswd));
    auto u = find_uid_in_passwd(text, uid);
    if (!u) return error("no user with uid ", uid, " in ", kPasswd);
    return *u;
}

Result<std::vector<std::string>> groups_of(const User& u) {
    CNT_ASSIGN(text, read_db(kGroup));
    return groups_in(text, u);
}

}  // namespace cnt::users
