// Fuzz target: the seccomp profile parser (security/seccomp.cpp), and for a profile it accepts
// the libseccomp filter built from it (compiled and exported, never loaded).
#include <cstdint>
#include <string>

#include "cnt/security.hpp"
#include "input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static cnt::fuzz::InputFile file;
    auto text = cnt::fuzz::text(data, size);
    auto policy = cnt::security::seccomp::parse(text, "/fuzz/profile");
    if (!policy) {
        (void)policy.error().message();
        return 0;
    }
    auto filter = cnt::security::Seccomp::compile(file.write(text));
    if (filter) (void)(*filter)->bpf();
    return 0;
}
