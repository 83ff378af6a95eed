#include <catch2/catch.hpp>
#include <cstring>

#include "cgroup/devices.hpp"

using namespace cnt::cgroup;

namespace {
// A tiny interpreter for the instructions the builder emits: runs the program on one request
// the way the kernel would, so the tests check decisions, not just encodings.
int run(const std::vector<bpf_insn>& prog, int type, int access, uint32_t major, uint32_t minor) {
    bpf_cgroup_dev_ctx ctx{static_cast<uint32_t>(access << 16 | type), major, minor};
    uint64_t r[11] = {};
    size_t pc = 0;
    for (int steps = 0; steps < 10000 && pc < prog.size(); ++steps) {
        const auto& i = prog[pc++];
        uint64_t& d = r[i.dst_reg];
        switch (i.code) {
            case BPF_LDX | BPF_W | BPF_MEM: {
                REQUIRE(i.src_reg == 1);
                uint32_t v;
                std::memcpy(&v, reinterpret_cast<const char*>(&ctx) + i.off, 4);
                d = v;
                break;
            }
            case BPF_ALU64 | BPF_MOV | BPF_X:
                d = r[i.src_reg];
                break;
            case BPF_ALU64 | BPF_MOV | BPF_K:
                d = static_cast<uint64_t>(static_cast<int64_t>(i.imm));
                break;
            case BPF_ALU | BPF_AND | BPF_K:
                d = static_cast<uint32_t>(d) & static_cast<uint32_t>(i.imm);
                break;
            case BPF_ALU | BPF_RSH | BPF_K:
                d = static_cast<uint32_t>(d) >> i.imm;
                break;
            case BPF_JMP | BPF_JNE | BPF_K:
                if (d != static_cast<uint64_t>(static_cast<int64_t>(i.imm))) pc += i.off;
                break;
            case BPF_JMP | BPF_JEQ | BPF_K:
                if (d == static_cast<uint64_t>(static_cast<int64_t>(i.imm))) pc += i.off;
                break;
            case BPF_JMP | BPF_EXIT:
                return static_cast<int>(r[0]);
            default:
                FAIL("unexpected opcode " << int(i.code));
        }
    }
    FAIL("program ran off its end");
    return -1;
}
DeviceRule R(const char* text, bool allow) {
    auto r = parse_device_rule(text, allow);
    REQUIRE(r);
    return *r;
}
constexpr int C = BPF_DEVCG_DEV_CHAR, B = BPF_DEVCG_DEV_BLOCK;
constexpr int RD = BPF_DEVCG_ACC_READ, WR = BPF_DEVCG_ACC_WRITE, MK = BPF_DEVCG_ACC_MKNOD;
}  // namespace

TEST_CASE("device rule syntax", "[cgroup]") {
    auto r = R("c 1:3 rwm", true);
    CHECK(r.type == 'c');
    CHECK(r.major == 1);
    CHECK(r.minor == 3);
    CHECK(r.access == 7);
    CHECK(R("b *:* m", false).major == -1);
    CHECK(R("b *:* m", false).access == unsigned(MK));
    CHECK(R("a", false).all);
    CHECK(R("a *:* rwm", false).all);
    CHECK_FALSE(R("a 1:* rwm", false).all);
    CHECK(R("c 5:1", true).access == 7);
    auto null = R("/dev/null rw", true);
    CHECK(null.type == 'c');
    CHECK(null.major == 1);
    CHECK(null.minor == 3);
    CHECK(null.access == unsigned(RD | WR));
    CHECK(device_rule_text(R("c 1:3 mwr", true)) == "c 1:3 rwm");
    CHECK(device_rule_text(R("b *:5 r", true)) == "b *:5 r");
    for (const char* bad :
         {"", "x 1:3 rwm", "c 1-3 rwm", "c 1:3 rwx", "c a:3", "c 1:3 rw extra", "c"})
        CHECK_FALSE(parse_device_rule(bad, true));
    CHECK_FALSE(parse_device_rule("/nonexistent/dev rw", true));
}

TEST_CASE("LXC's cgroup2 device semantics", "[cgroup]") {
    // default: allowlist
    auto p = reduce_rules({R("c 1:3 rwm", true), R("c 1:5 rwm", false)});
    CHECK_FALSE(p.default_allow);
    REQUIRE(p.exceptions.size() == 1);  // the deny of a device not allowed changes nothing
    // "allow = a" makes a denylist; "deny = a" resets to an allowlist
    p = reduce_rules({R("c 1:3 rwm", true), R("a", true), R("c 1:5 w", false)});
    CHECK(p.default_allow);
    REQUIRE(p.exceptions.size() == 1);
    CHECK(p.exceptions[0].minor == 5);
    p = reduce_rules({R("a", true), R("c 1:5 w", false), R("a", false), R("c 1:3 rwm", true)});
    CHECK_FALSE(p.default_allow);
    REQUIRE(p.exceptions.size() == 1);
    CHECK(p.exceptions[0].minor == 3);
    // a later deny narrows an allowed device's access, and removes it when nothing is left
    p = reduce_rules({R("c 1:3 rwm", true), R("c 1:3 w", false)});
    REQUIRE(p.exceptions.size() == 1);
    CHECK(p.exceptions[0].access == unsigned(RD | MK));
    CHECK(reduce_rules({R("c 1:3 rw", true), R("c 1:3 rw", false)}).exceptions.empty());
}

TEST_CASE("device program: allowlist", "[cgroup]") {
    auto prog = build_device_program(reduce_rules(
        {R("a", false), R("c 1:3 rwm", true), R("c 136:* rw", true), R("b *:* m", true)}));
    CHECK(run(prog, C, RD | WR, 1, 3) == 1);
    CHECK(run(prog, C, MK, 1, 3) == 1);
    CHECK(run(prog, C, RD, 1, 5) == 0);
    CHECK(run(prog, B, RD, 1, 3) == 0);         // type matters
    CHECK(run(prog, C, RD | WR, 136, 7) == 1);  // minor wildcard
    CHECK(run(prog, C, MK, 136, 7) == 0);       // access beyond the rule
    CHECK(run(prog, B, MK, 8, 0) == 1);
    CHECK(run(prog, B, RD, 8, 0) == 0);
}

TEST_CASE("device program: denylist", "[cgroup]") {
    auto prog = build_device_program(
        reduce_rules({R("a", true), R("c 1:5 w", false), R("b 8:* rwm", false)}));
    CHECK(run(prog, C, RD, 1, 5) == 1);
    CHECK(run(prog, C, RD | WR, 1, 5) == 0);  // any denied access denies
    CHECK(run(prog, B, RD, 8, 16) == 0);
    CHECK(run(prog, C, RD, 8, 16) == 1);
    CHECK(run(prog, C, RD | WR | MK, 4, 1) == 1);
}

TEST_CASE("device program: empty allowlist and encodings", "[cgroup]") {
    auto prog = build_device_program(reduce_rules({}));
    REQUIRE(prog.size() == 8);  // 6 loads/shifts, r0 = 0, exit
    CHECK(prog[0].code == (BPF_LDX | BPF_W | BPF_MEM));
    CHECK(prog[6].code == (BPF_ALU64 | BPF_MOV | BPF_K));
    CHECK(prog[6].imm == 0);
    CHECK(prog[7].code == (BPF_JMP | BPF_EXIT));
    CHECK(run(prog, C, RD, 1, 3) == 0);
    // one full-access rule for one device: type, major, minor checks then r0 = 1; exit
    prog = build_device_program(reduce_rules({R("c 1:3 rwm", true)}));
    REQUIRE(prog.size() == 6 + 5 + 2);
    CHECK(prog[6].code == (BPF_JMP | BPF_JNE | BPF_K));
    CHECK(prog[6].imm == C);
    CHECK(prog[6].off == 4);  // skips major, minor, mov, exit
    CHECK(prog[7].imm == 1);
    CHECK(prog[8].imm == 3);
    CHECK(prog[9].imm == 1);
}
