#include <catch2/catch.hpp>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

#include "cnt/error.hpp"
#include "cnt/log.hpp"

using namespace cnt;

namespace {
template <class... A>
std::string streamed(const A&... a) {
    std::ostringstream os;
    (os << ... << a);
    return os.str();
}
}  // namespace

// cat() appends text and integers itself and streams the rest: the result must be what the
// stream gives for every kind of argument the code passes.
TEST_CASE("cat() prints what an ostream prints", "[error]") {
    const char* text = "abc";
    std::string s = "str";
    std::string_view sv = "view";
    char arr[8] = "arr";
    CHECK(cat("lit", text, s, sv, arr) == streamed("lit", text, s, sv, arr));
    CHECK(cat('x', static_cast<signed char>('y'), static_cast<unsigned char>('z')) == "xyz");
    CHECK(cat(true, false) == streamed(true, false));
    CHECK(cat(0, -1, INT_MIN, INT_MAX) == streamed(0, -1, INT_MIN, INT_MAX));
    CHECK(cat(UINT64_MAX, INT64_MIN, 42L, 7u, static_cast<short>(-3)) ==
          streamed(UINT64_MAX, INT64_MIN, 42L, 7u, static_cast<short>(-3)));
    pid_t pid = 1234;
    CHECK(cat("pid ", pid) == "pid 1234");
    // Not text nor integer: through a stream (a path is quoted, a double keeps 6 digits).
    CHECK(cat(std::filesystem::path("/a b")) == streamed(std::filesystem::path("/a b")));
    CHECK(cat(1.5, " ", 1.0 / 3) == streamed(1.5, " ", 1.0 / 3));
    const char* null = nullptr;
    CHECK(cat("a", null, "b") == "ab");
    CHECK(cat() == "");
}

// Log stamps are computed without gmtime_r (which loads the time zone): the same fields.
TEST_CASE("log stamps are UTC, as gmtime_r gives them", "[log]") {
    for (time_t t : {time_t{0}, time_t{951782400} /* 2000-02-29 */, time_t{1700000000},
                     time_t{1795432109}, time_t{4102444799} /* 2099-12-31 23:59:59 */}) {
        timespec ts{t, 123456789};
        tm g{};
        gmtime_r(&t, &g);
        char want[40];
        snprintf(want, sizeof want, "%04d%02d%02d%02d%02d%02d.123", g.tm_year + 1900, g.tm_mon + 1,
                 g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec);
        CHECK(log::stamp(ts) == want);
    }
}
