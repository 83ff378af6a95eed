#include "proc/process_name.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "cnt/store.hpp"

namespace cnt::proc {

unsigned long long set_process_name(const std::string& lxcpath, const std::string& name) {
    ::prctl(PR_SET_NAME, "cnt-monitor", 0, 0, 0);
    // /proc/self/cmdline is read from the argv area [arg_start, arg_end) (fields 48 and 49 of
    // /proc/self/stat); it is our own memory, so we rewrite it in place (truncated to its size).
    auto stat = store::read_file("/proc/self/stat");
    if (!stat) return 0;
    unsigned long long born = 0, start = 0, end = 0;
    auto number = [](std::optional<std::string_view> f, unsigned long long& v) {
        if (f) std::from_chars(f->data(), f->data() + f->size(), v);
    };
    number(store::stat_field(*stat, 22), born);
    number(store::stat_field(*stat, 48), start);
    number(store::stat_field(*stat, 49), end);
    if (!start || end <= start) return born;
    std::string title = cat("[cnt monitor] ", lxcpath, " ", name);
    auto* p = reinterpret_cast<char*>(start);
    size_t room = static_cast<size_t>(end - start);
    size_t n = std::min(title.size(), room - 1);
    std::memset(p, 0, room);
    std::memcpy(p, title.data(), n);
    return born;
}

}  // namespace cnt::proc
