// Statistics of a benchmark case: the samples are wall-clock durations in seconds.
// Header-only so the unit test (tests/unit/test_bench.cpp) includes it without linking the harness.
#pragma once
#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

namespace cnt::bench {

struct Summary {
    std::size_t n = 0;
    double median = 0, min = 0, max = 0, mean = 0;
};

// Median of an unordered sample; the mean of the two middle values for an even count.
inline double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

inline Summary summarize(const std::vector<double>& v) {
    Summary s;
    s.n = v.size();
    if (v.empty()) return s;
    auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    s.min = *lo;
    s.max = *hi;
    double sum = 0;
    for (double x : v) sum += x;
    s.mean = sum / double(v.size());
    s.median = median(v);
    return s;
}

// How many times the floor's median a case's median is; nullopt without a usable floor.
inline std::optional<double> ratio(const Summary& c, const Summary& floor) {
    if (c.n == 0 || floor.n == 0 || floor.median <= 0) return std::nullopt;
    return c.median / floor.median;
}

// Medians of the first and the last quarter of a sample kept in run order: for a case whose
// runs are different containers (cnt-start -n s{i}), equal values mean the cost per container
// stays flat as the count grows. Needs at least 4 samples.
struct Trend {
    double first = 0, last = 0;
};
inline std::optional<Trend> trend(const std::vector<double>& in_order) {
    std::size_t q = in_order.size() / 4;
    if (q == 0) return std::nullopt;
    std::vector<double> a(in_order.begin(), in_order.begin() + q);
    std::vector<double> b(in_order.end() - q, in_order.end());
    return Trend{median(a), median(b)};
}

// A case's trend over the floor's, measured in the same interleaved runs: quarter by quarter,
// how many times the floor it took. nullopt when a floor quarter is not positive.
inline std::optional<Trend> trend_ratio(const Trend& c, const Trend& floor) {
    if (floor.first <= 0 || floor.last <= 0) return std::nullopt;
    return Trend{c.first / floor.first, c.last / floor.last};
}

}  // namespace cnt::bench
