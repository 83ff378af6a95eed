#include "cgroup/saved.hpp"

namespace cnt::cgroup {

store::KeyValues saved_keys(const Saved& s) {
    store::KeyValues kv;
    kv["kind"] = s.kind;
    kv["inner"] = s.inner;
    for (size_t i = 0; i < s.v1.size(); ++i) {
        auto k = cat("v1.", i);
        kv[k] = s.v1[i].path;
        kv[k + ".ctrl"] = s.v1[i].controllers;
        kv[k + ".top"] = s.v1[i].top;
    }
    if (!s.v2.empty()) {
        kv["v2"] = s.v2;
        kv["v2.top"] = s.v2_top;
    }
    return kv;
}

Saved saved_from_keys(const store::KeyValues& kv) {
    auto get = [&](const std::string& k) -> std::string {
        auto it = kv.find(k);
        return it == kv.end() ? std::string() : it->second;
    };
    Saved s;
    s.kind = get("kind");
    s.inner = get("inner");
    for (size_t i = 0;; ++i) {
        auto k = cat("v1.", i);
        if (!kv.count(k)) break;
        s.v1.push_back({get(k + ".ctrl"), get(k), get(k + ".top")});
    }
    s.v2 = get("v2");
    s.v2_top = get("v2.top");
    return s;
}

}  // namespace cnt::cgroup
