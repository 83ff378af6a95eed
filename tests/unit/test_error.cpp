#include <catch2/catch.hpp>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

#include "cnt/error.hpp"

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
