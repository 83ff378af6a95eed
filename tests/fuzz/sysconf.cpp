// Fuzz target: cnt.conf (sysconf/sysconf.cpp, inih) as every tool reads it first.
#include "cnt/sysconf.hpp"

#include <cstdint>

#include "input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static cnt::fuzz::InputFile file;
    auto s = cnt::sysconf::load_file(file.write(cnt::fuzz::text(data, size)));
    if (!s) (void)s.error().message();
    return 0;
}
