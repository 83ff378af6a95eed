// cnt::Error: errno + the step that failed + the object it failed on, printed once at the edge.
#pragma once
#include <cerrno>
#include <expected>
#include <sstream>
#include <string>
#include <utility>

namespace cnt {

// Concatenate anything streamable; g++ 12 has no <format>.
template <class... A>
std::string cat(const A&... a) {
    std::ostringstream os;
    (os << ... << a);
    return os.str();
}

struct Error {
    int err = 0;         // errno, 0 when the failure is not a system error
    std::string step;    // what was being done: `creating veth "vethXY"`
    std::string object;  // the container, file:line, device... (optional)

    // "object: step: strerror(err)"
    std::string message() const;
    // Prefix more context: e.g. the container name or "config:12".
    Error& within(std::string outer) &;
    Error&& within(std::string outer) &&;
};

template <class T = void>
using Result = std::expected<T, Error>;

// Build an Error from errno (captured before anything else runs).
inline std::unexpected<Error> sys_error(std::string step, int e = errno) {
    return std::unexpected(Error{e, std::move(step), {}});
}
template <class... A>
inline std::unexpected<Error> error(const A&... a) {
    return std::unexpected(Error{0, cat(a...), {}});
}
inline std::unexpected<Error> errno_error(int e, std::string step) {
    return std::unexpected(Error{e, std::move(step), {}});
}

}  // namespace cnt

// Propagate an error from a Result-returning expression.
#define CNT_TRY(expr)                                                     \
    do {                                                                  \
        auto cnt_try_r_ = (expr);                                         \
        if (!cnt_try_r_) return std::unexpected(std::move(cnt_try_r_.error())); \
    } while (0)

// Assign the value of a Result-returning expression or propagate its error.
#define CNT_ASSIGN(var, expr)                                             \
    auto var##_result_ = (expr);                                          \
    if (!var##_result_) return std::unexpected(std::move(var##_result_.error())); \
    auto var = std::move(*var##_result_)
