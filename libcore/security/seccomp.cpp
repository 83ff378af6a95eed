// lxc.seccomp.profile: LXC's policy text (versions 1 and 2), compiled with libseccomp in the
// monitor and loaded by init right before exec.
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "cnt/fd.hpp"
#include "cnt/log.hpp"
#include "cnt/security.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"

namespace cnt::security {
namespace seccomp {
namespace {

struct OpName {
    std::string_view sym, word;
    Op op;
};
constexpr std::array<OpName, 7> kOps = {{
    {"!=", "SCMP_CMP_NE", Op::ne},
    {"<", "SCMP_CMP_LT", Op::lt},
    {"<=", "SCMP_CMP_LE", Op::le},
    {"==", "SCMP_CMP_EQ", Op::eq},
    {">=", "SCMP_CMP_GE", Op::ge},
    {">", "SCMP_CMP_GT", Op::gt},
    {"&=", "SCMP_CMP_MASKED_EQ", Op::masked_eq},
}};

// Section names accepted in `[...]`, and the libseccomp arch name each stands for.
struct ArchName {
    std::string_view section, arch;
};
constexpr std::array<ArchName, 20> kArches = {{
    {"all", ""},          {"x86", "x86"},           {"i386", "x86"},
    {"x32", "x32"},       {"x86_64", "x86_64"},     {"amd64", "x86_64"},
    {"arm", "arm"},       {"arm64", "aarch64"},     {"aarch64", "aarch64"},
    {"ppc", "ppc"},       {"ppc64", "ppc64"},       {"ppc64le", "ppc64le"},
    {"mips", "mips"},     {"mips64", "mips64"},     {"mips64n32", "mips64n32"},
    {"mipsel", "mipsel"}, {"mipsel64", "mipsel64"}, {"mipsel64n32", "mipsel64n32"},
    {"s390", "s390"},     {"s390x", "s390x"},
}};

// A '#' at the start of a line or after a blank starts a comment.
std::string_view strip_comment(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i)
        if (s[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(s[i - 1]))))
            return trim(s.substr(0, i));
    return trim(s);
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> w;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        size_t j = i;
        while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
        if (j > i) w.push_back(s.substr(i, j - i));
        i = j;
    }
    return w;
}

template <class T>
bool parse_num(std::string_view s, T& out) {
    s = trim(s);
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s.remove_prefix(2);
    }
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
    return ec == std::errc() && p == s.data() + s.size();
}

// "kill", "errno N", "trap", "trace N", "allow", "notify"; nullopt-like error text otherwise.
Result<Action> parse_action(const std::vector<std::string_view>& w) {
    auto need_num = [&](ActionKind k, int max) -> Result<Action> {
        int n = 0;
        if (w.size() != 2 || !parse_num(w[1], n) || n < 0 || n > max)
            return error("action \"", w[0], "\" needs one number 0..", max);
        return Action{k, n};
    };
    auto alone = [&](ActionKind k) -> Result<Action> {
        if (w.size() != 1) return error("unexpected \"", w[1], "\" after action \"", w[0], "\"");
        return Action{k, 0};
    };
    if (w[0] == "kill") return alone(ActionKind::kill);
    if (w[0] == "allow") return alone(ActionKind::allow);
    if (w[0] == "trap") return alone(ActionKind::trap);
    if (w[0] == "notify") return alone(ActionKind::notify);
    if (w[0] == "errno") return need_num(ActionKind::errno_, 4095);
    if (w[0] == "trace") return need_num(ActionKind::trace, 0xffff);
    return error("unknown action \"", w[0], "\"");
}

// "[index,value,op]" or "[index,value,op,mask]"; for &= the kernel test is
// (arg & mask) == value. Blanks inside the brackets are ignored.
Result<ArgCmp> parse_arg(std::string_view inner) {
    std::string s;
    for (char c : inner)
        if (!std::isspace(static_cast<unsigned char>(c))) s += c;
    std::vector<std::string_view> f;
    std::string_view sv(s);
    for (size_t start = 0;;) {
        size_t comma = sv.find(',', start);
        f.push_back(sv.substr(start, comma == sv.npos ? sv.npos : comma - start));
        if (comma == sv.npos) break;
        start = comma + 1;
    }
    if (f.size() != 3 && f.size() != 4)
        return error("argument filter [", inner,
                     "] must be [index,value,op] or [index,value,op,mask]");
    ArgCmp a;
    if (!parse_num(f[0], a.index) || a.index > 5)
        return error("argument index \"", f[0], "\" must be 0..5");
    if (!parse_num(f[1], a.value)) return error("bad argument value \"", f[1], "\"");
    bool found = false;
    for (const auto& o : kOps)
        if (f[2] == o.sym || f[2] == o.word) {
            a.op = o.op;
            found = true;
        }
    if (!found) return error("unknown comparison \"", f[2], "\"");
    if (f.size() == 4 && !parse_num(f[3], a.mask)) return error("bad argument mask \"", f[3], "\"");
    if (a.op == Op::masked_eq && f.size() != 4)
        return error("&= needs a mask: [index,value,&=,mask]");
    return a;
}

Result<Rule> parse_rule(std::string_view line, const Action& rule_default) {
    Rule r;
    r.action = rule_default;
    // Pull out the bracketed argument filters; what is left is "name [action words]".
    std::string rest;
    size_t i = 0;
    while (i < line.size()) {
        if (line[i] == '[') {
            size_t close = line.find(']', i);
            if (close == line.npos)
                return error("unterminated argument filter \"", line.substr(i), "\"");
            CNT_ASSIGN(arg, parse_arg(line.substr(i + 1, close - i - 1)));
            if (r.args.size() == 6) return error("more than 6 argument filters");
            r.args.push_back(arg);
            rest += ' ';
            i = close + 1;
        } else {
            rest += line[i++];
        }
    }
    auto w = words(rest);
    if (w.empty()) return error("argument filter without a system call");
    r.syscall = std::string(w[0]);
    w.erase(w.begin());
    if (!w.empty()) {
        CNT_ASSIGN(act, parse_action(w));
        r.action = act;
    }
    return r;
}

std::string_view op_symbol(Op op) {
    for (const auto& o : kOps)
        if (o.op == op) return o.sym;
    return "?";
}

// libseccomp 2.5 never returns from adding the second of two rules for one system call that
// share a comparison other than == and &= (the same argument, operator and value), e.g.
// "read kill [0,5,>][2,1,==]" then "read kill [0,5,>][3,1,==]". Such a profile is refused
// at the second rule's line, before libseccomp sees it.
struct SharedCmp {
    const Rule* first;
    const ArgCmp* cmp;
};
std::optional<SharedCmp> shared_ordered_cmp(const std::vector<Rule>& rules, const Rule& r) {
    auto same_filter = [](const Rule& a, const Rule& b) {
        return a.syscall == b.syscall && (a.arch.empty() || b.arch.empty() || a.arch == b.arch);
    };
    for (const auto& c : r.args) {
        if (c.op == Op::eq || c.op == Op::masked_eq) continue;
        for (const auto& earlier : rules)
            if (same_filter(earlier, r) &&
                std::find(earlier.args.begin(), earlier.args.end(), c) != earlier.args.end())
                return SharedCmp{&earlier, &c};
    }
    return std::nullopt;
}

}  // namespace

// Bounds on a hostile profile. Each rule costs at least one BPF instruction, and the kernel
// takes at most BPF_MAXINSNS (4096) of them.
constexpr size_t kMaxLineBytes = 1u << 20;
constexpr size_t kMaxRules = BPF_MAXINSNS;

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= text.size();) {
        size_t nl = text.find('\n', start);
        if (nl == text.npos) {
            if (start < text.size()) lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

// One pass over a policy's lines: the version, the type line, then the rules. Every error
// names where:line.
class PolicyReader {
  public:
    PolicyReader(std::string_view text, const std::string& where)
        : lines_(split_lines(text)), where_(where) {}

    Result<Policy> read() {
        CNT_TRY(check_text());
        CNT_TRY(read_version());
        CNT_TRY(read_type());
        for (; i_ < lines_.size(); ++i_) {
            auto line = strip_comment(lines_[i_]);
            if (line.empty()) continue;
            if (p_.rules.size() >= kMaxRules)
                return fail_msg(
                    cat("more than ", kMaxRules, " rules (more than a filter can hold)"));
            CNT_TRY(read_line(line));
        }
        return std::move(p_);
    }

  private:
    std::unexpected<Error> fail(const Error& e, size_t idx) const {
        return std::unexpected(Error{e.err, e.step, cat(where_, ":", idx + 1)});
    }
    std::unexpected<Error> fail(const Error& e) const { return fail(e, i_); }
    std::unexpected<Error> fail_msg(std::string msg, size_t idx) const {
        return fail(Error{0, std::move(msg), {}}, idx);
    }
    std::unexpected<Error> fail_msg(std::string msg) const { return fail_msg(std::move(msg), i_); }

    // Hostile input: a binary file or a huge line ends the parse with file:line.
    Result<void> check_text() const {
        for (size_t k = 0; k < lines_.size(); ++k) {
            if (lines_[k].size() > kMaxLineBytes)
                return fail_msg(cat("line longer than ", kMaxLineBytes, " bytes"), k);
            if (lines_[k].find('\0') != lines_[k].npos)
                return fail_msg("NUL byte: not a text file", k);
        }
        return {};
    }

    Result<void> read_version() {
        if (lines_.empty()) return fail_msg("empty seccomp policy (expected a version, 1 or 2)", 0);
        auto v = trim(lines_[0]);
        if (v == "1")
            p_.version = 1;
        else if (v == "2")
            p_.version = 2;
        else
            return fail_msg(cat("unsupported seccomp policy version \"", v, "\" (expected 1 or 2)"),
                            0);
        i_ = 1;
        return {};
    }

    Result<void> read_type() {
        while (i_ < lines_.size() && strip_comment(lines_[i_]).empty()) ++i_;
        if (i_ >= lines_.size())
            return fail_msg("missing policy type line (allowlist or denylist)", i_ - 1);
        auto head = words(strip_comment(lines_[i_]));
        const std::string_view type = head[0];
        const bool allow = type == "allowlist" || type == "whitelist";
        const bool deny = type == "denylist" || type == "blacklist";
        if (p_.version == 1) {
            if (!allow || head.size() != 1)
                return fail_msg(cat("version 1 policies must be \"allowlist\", not \"",
                                    strip_comment(lines_[i_]), "\""));
        } else if (!allow && !deny) {
            return fail_msg(
                cat("unknown policy type \"", type, "\" (expected allowlist or denylist)"));
        }
        p_.denylist = deny;
        // A denylist allows what it does not name and kills what it names; an allowlist the
        // reverse. A word after the type replaces the action for syscalls without a rule.
        p_.default_action = Action{deny ? ActionKind::allow : ActionKind::kill, 0};
        rule_default_ = Action{deny ? ActionKind::kill : ActionKind::allow, 0};
        if (head.size() > 1) {
            auto act = parse_action({head.begin() + 1, head.end()});
            if (!act) return fail(act.error());
            if (act->kind == ActionKind::notify)
                return fail_msg("action \"notify\" is not supported");
            p_.default_action = *act;
        }
        ++i_;
        return {};
    }

    Result<void> read_line(std::string_view line) {
        if (p_.version == 1) return read_number_rule(line);
        if (line.front() == '[' && line.back() == ']' && line.find(',') == line.npos)
            return read_arch_section(line);
        // LXC's shorthand: deny umount2(..., MNT_FORCE) with EACCES; the rest of the line is
        // ignored.
        if (line.starts_with("reject_force_umount")) {
            Rule r{line_no(), arch_, "reject_force_umount", Action{ActionKind::errno_, EACCES}, {}};
            r.args.push_back(ArgCmp{1, Op::masked_eq, MNT_FORCE, MNT_FORCE});
            p_.rules.push_back(std::move(r));
            return {};
        }
        return read_rule(line);
    }

    int line_no() const { return static_cast<int>(i_ + 1); }

    Result<void> read_number_rule(std::string_view line) {
        int nr = 0;
        auto w = words(line);
        if (w.size() != 1 || !parse_num(w[0], nr) || nr < 0)
            return fail_msg(cat("expected a system call number, got \"", line, "\""));
        p_.rules.push_back(Rule{line_no(), "", std::string(w[0]), rule_default_, {}});
        return {};
    }

    Result<void> read_arch_section(std::string_view line) {
        std::string name(trim(line.substr(1, line.size() - 2)));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        bool found = false;
        for (const auto& a : kArches)
            if (a.section == name) {
                arch_ = std::string(a.arch);
                found = true;
            }
        if (!found) return fail_msg(cat("unknown architecture section [", name, "]"));
        return {};
    }

    Result<void> read_rule(std::string_view line) {
        auto r = parse_rule(line, rule_default_);
        if (!r) return fail(r.error());
        if (r->action.kind == ActionKind::notify)
            return fail_msg(cat("action \"notify\" (for ", r->syscall, ") is not supported"));
        if (seccomp_syscall_resolve_name(r->syscall.c_str()) == __NR_SCMP_ERROR)
            return fail_msg(cat("unknown system call \"", r->syscall, "\""));
        r->line = line_no();
        r->arch = arch_;
        if (auto shared = shared_ordered_cmp(p_.rules, *r))
            return fail_msg(cat("rule for ", r->syscall, " repeats the comparison [",
                                shared->cmp->index, ",", shared->cmp->value, ",",
                                op_symbol(shared->cmp->op), "] of line ", shared->first->line,
                                ", which libseccomp cannot compile; merge the two rules"));
        p_.rules.push_back(std::move(*r));
        return {};
    }

    std::vector<std::string_view> lines_;
    const std::string& where_;
    size_t i_ = 0;
    Policy p_;
    Action rule_default_{};
    std::string arch_;
};

}  // namespace

Result<Policy> parse(std::string_view text, const std::string& where) {
    return PolicyReader(text, where).read();
}

}  // namespace seccomp

namespace {

using namespace seccomp;

uint32_t to_scmp(const Action& a) {
    switch (a.kind) {
        case ActionKind::kill:
            return SCMP_ACT_KILL;
        case ActionKind::errno_:
            return SCMP_ACT_ERRNO(a.value);
        case ActionKind::trap:
            return SCMP_ACT_TRAP;
        case ActionKind::trace:
            return SCMP_ACT_TRACE(a.value);
        case ActionKind::allow:
            return SCMP_ACT_ALLOW;
        case ActionKind::notify:
            return SCMP_ACT_NOTIFY;
    }
    return SCMP_ACT_KILL;
}

scmp_compare to_scmp(Op o) {
    switch (o) {
        case Op::ne:
            return SCMP_CMP_NE;
        case Op::lt:
            return SCMP_CMP_LT;
        case Op::le:
            return SCMP_CMP_LE;
        case Op::eq:
            return SCMP_CMP_EQ;
        case Op::ge:
            return SCMP_CMP_GE;
        case Op::gt:
            return SCMP_CMP_GT;
        case Op::masked_eq:
            return SCMP_CMP_MASKED_EQ;
    }
    return SCMP_CMP_EQ;
}

struct CtxDeleter {
    void operator()(void* c) const { seccomp_release(c); }
};
using CtxPtr = std::unique_ptr<void, CtxDeleter>;

Result<std::string> export_program(scmp_filter_ctx ctx, const std::string& path);

class Filter final : public Seccomp {
  public:
    Filter(CtxPtr ctx, std::string path) : ctx_(std::move(ctx)), path_(std::move(path)) {}
    Result<void> load() override {
        int rc = seccomp_load(ctx_.get());
        if (rc == -EACCES)
            return errno_error(EACCES,
                               "loading seccomp filter (needs no_new_privs or CAP_SYS_ADMIN)");
        if (rc < 0) return errno_error(-rc, "loading seccomp filter");
        return {};
    }
    Result<std::string> bpf() const override { return export_program(ctx_.get(), path_); }

  private:
    CtxPtr ctx_;
    std::string path_;
};

// The filter covers the native arch and, on x86_64, the 32-bit ABIs a container can also
// enter the kernel through (i386 int 0x80, x32); otherwise those would bypass the rules.
std::vector<uint32_t> filter_arches() {
    std::vector<uint32_t> a{seccomp_arch_native()};
    if (a[0] == SCMP_ARCH_X86_64) {
        a.push_back(SCMP_ARCH_X86);
        a.push_back(SCMP_ARCH_X32);
    }
    return a;
}

Result<CtxPtr> new_ctx(uint32_t arch, uint32_t def) {
    CtxPtr ctx(seccomp_init(def));
    if (!ctx) return errno_error(EINVAL, "initialising seccomp filter");
    // Keep no_new_privs a separate decision (lxc.no_new_privs), as LXC does.
    if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0); rc < 0)
        return errno_error(-rc, "seccomp: turning off implicit no_new_privs");
    // Report the kernel's own errno from seccomp_load, not libseccomp's ECANCELED.
    (void)seccomp_attr_set(ctx.get(), SCMP_FLTATR_API_SYSRAWRC, 1);
    if (arch != seccomp_arch_native()) {
        if (int rc = seccomp_arch_add(ctx.get(), arch); rc < 0 && rc != -EEXIST)
            return errno_error(-rc, "seccomp: adding architecture");
        if (int rc = seccomp_arch_remove(ctx.get(), SCMP_ARCH_NATIVE); rc < 0)
            return errno_error(-rc, "seccomp: removing native architecture");
    }
    return ctx;
}

Result<void> add_rule(scmp_filter_ctx ctx, uint32_t arch, const Policy& p, const Rule& r,
                      const std::string& where) {
    auto at = [&](int e, std::string step) {
        return std::unexpected(Error{e, std::move(step), cat(where, ":", r.line)});
    };
    int nr;
    if (p.version == 1) {
        nr = std::stoi(r.syscall);
    } else {
        const char* name = r.syscall == "reject_force_umount" ? "umount2" : r.syscall.c_str();
        // Not every call exists on every ABI (e.g. socketcall only on i386): skip it there.
        if (seccomp_syscall_resolve_name_arch(arch, name) < 0) return {};
        // Numbers passed to the non-exact add are native ones; libseccomp maps them per arch.
        nr = seccomp_syscall_resolve_name(name);
    }
    // A rule whose action is the default changes nothing, and libseccomp refuses it.
    if (to_scmp(r.action) == to_scmp(p.default_action)) return {};
    std::vector<scmp_arg_cmp> cmps;
    for (const auto& a : r.args)
        cmps.push_back(a.op == Op::masked_eq
                           ? scmp_arg_cmp{a.index, SCMP_CMP_MASKED_EQ, a.mask, a.value}
                           : scmp_arg_cmp{a.index, to_scmp(a.op), a.value, 0});
    int rc = seccomp_rule_add_array(ctx, to_scmp(r.action), nr, static_cast<unsigned>(cmps.size()),
                                    cmps.empty() ? nullptr : cmps.data());
    if (rc < 0) return at(-rc, cat("adding seccomp rule for ", r.syscall));
    return {};
}

// A filter as the kernel takes it (what the cache holds): loaded with one system call, no
// libseccomp work in init.
class Program final : public Seccomp {
  public:
    explicit Program(std::string bytes) : bytes_(std::move(bytes)) {}
    Result<void> load() override { return load_bpf(bytes_); }
    Result<std::string> bpf() const override { return bytes_; }

  private:
    std::string bytes_;
};

// The cache's file for a profile text: its hash with everything else that shapes the program
// (this format, the native arch, libseccomp's version).
std::string cache_file(const std::string& dir, std::string_view text) {
    const scmp_version* v = seccomp_version();
    std::string key =
        cat("cnt-bpf-1|", seccomp_arch_native(), "|", v->major, ".", v->minor, ".", v->micro, "|");
    uint64_t h = 14695981039346656037ULL;  // FNV-1a
    for (std::string_view part : {std::string_view(key), text})
        for (unsigned char c : part) h = (h ^ c) * 1099511628211ULL;
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.bpf", static_cast<unsigned long long>(h));
    return dir + "/" + name;
}

// A cached program: read back from the run directory, so checked as input (ours, not
// writable by others, a whole number of instructions within the kernel's limit).
std::optional<std::string> read_cached(const std::string& file) {
    unique_fd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
        (st.st_mode & 022) || st.st_size == 0 || st.st_size % sizeof(sock_filter) != 0 ||
        st.st_size > static_cast<off_t>(BPF_MAXINSNS * sizeof(sock_filter)))
        return std::nullopt;
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    if (::pread(fd.get(), bytes.data(), bytes.size(), 0) != st.st_size) return std::nullopt;
    return bytes;
}

// libseccomp 2.5 exports a program only to a descriptor: a memfd, read back.
Result<std::string> export_program(scmp_filter_ctx ctx, const std::string& path) {
    unique_fd mem(static_cast<int>(::syscall(SYS_memfd_create, "cnt-seccomp", MFD_CLOEXEC)));
    if (!mem) return sys_error("seccomp: creating a memfd for the program");
    if (int rc = seccomp_export_bpf(ctx, mem.get()); rc < 0)
        return std::unexpected(Error{-rc, "exporting the seccomp program", path});
    off_t size = ::lseek(mem.get(), 0, SEEK_END);
    if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0)
        return std::unexpected(Error{EINVAL, "exporting the seccomp program", path});
    std::string bytes(static_cast<size_t>(size), '\0');
    if (::pread(mem.get(), bytes.data(), bytes.size(), 0) != size)
        return sys_error("seccomp: reading the exported program");
    return bytes;
}

Result<CtxPtr> build(const seccomp::Policy& policy, const std::string& path) {
    const uint32_t def = to_scmp(policy.default_action);
    // One context per ABI, each resolving names with its own numbers, then merged.
    std::vector<uint32_t> arches =
        policy.version == 1 ? std::vector<uint32_t>{seccomp_arch_native()} : filter_arches();
    CtxPtr merged;
    for (uint32_t arch : arches) {
        CNT_ASSIGN(ctx, new_ctx(arch, def));
        for (const auto& r : policy.rules) {
            if (!r.arch.empty() && seccomp_arch_resolve_name(r.arch.c_str()) != arch) continue;
            CNT_TRY(add_rule(ctx.get(), arch, policy, r, path));
        }
        if (!merged) {
            merged = std::move(ctx);
        } else {
            int rc = seccomp_merge(merged.get(), ctx.get());
            if (rc < 0) return std::unexpected(Error{-rc, "merging seccomp filters", path});
            (void)ctx.release();  // seccomp_merge consumed it
        }
    }
    log::debug("seccomp: compiled ", path, " (", policy.rules.size(), " rules)");
    return merged;
}

}  // namespace

Result<void> load_bpf(std::string_view program) {
    if (program.empty() || program.size() % sizeof(sock_filter) != 0 ||
        program.size() / sizeof(sock_filter) > BPF_MAXINSNS)
        return errno_error(
            EINVAL, cat("loading seccomp filter: a BPF program of ", program.size(), " bytes"));
    sock_fprog prog{static_cast<unsigned short>(program.size() / sizeof(sock_filter)),
                    const_cast<sock_filter*>(reinterpret_cast<const sock_filter*>(program.data()))};
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
        if (errno == EACCES)
            return sys_error("loading seccomp filter (needs no_new_privs or CAP_SYS_ADMIN)");
        return sys_error("loading seccomp filter");
    }
    return {};
}

Result<std::unique_ptr<Seccomp>> Seccomp::compile(const std::string& path,
                                                  const std::string& cache_dir) {
    auto text = store::read_input(path);
    if (!text) {
        const Error& e = text.error();
        return std::unexpected(
            Error{e.err, cat("reading seccomp profile", e.step.empty() ? "" : ": ", e.step), path});
    }
    std::string cached = cache_dir.empty() ? std::string() : cache_file(cache_dir, *text);
    if (!cached.empty())
        if (auto bytes = read_cached(cached)) return std::make_unique<Program>(std::move(*bytes));
    CNT_ASSIGN(policy, seccomp::parse(*text, path));
    CNT_ASSIGN(ctx, build(policy, path));
    if (cached.empty())
        return std::unique_ptr<Seccomp>(std::make_unique<Filter>(std::move(ctx), path));
    CNT_ASSIGN(bytes, export_program(ctx.get(), path));
    // Best effort: without the cache the next start compiles again.
    auto stored = store::mkdirs(cache_dir, 0700);
    if (stored) stored = store::write_atomic(cached, bytes, 0600);
    if (!stored) log::debug("seccomp: not cached: ", stored.error().message());
    return std::make_unique<Program>(std::move(bytes));
}

}  // namespace cnt::security
