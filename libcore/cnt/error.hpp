// cnt::Error: errno + the step that failed + the object it failed on, printed once at the edge.
#pragma once
#include <cerrno>
#include <charconv>
#include <expected>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace cnt {

namespace detail {
// One piece of cat(): text and integers are appended directly, anything else goes through a
// stream, so the start path touches no iostream and locale code (each page of code a start
// touches costs a page fault on the VMs we measure on; see bench/README.md).
template <class T>
void cat_one(std::string& out, const T& v) {
    if constexpr (std::is_same_v<T, char> || std::is_same_v<T, signed char> ||
                  std::is_same_v<T, unsigned char>) {
        out.push_back(static_cast<char>(v));
    } else if constexpr (std::is_same_v<T, bool>) {
        out.push_back(v ? '1' : '0');
    } else if constexpr (std::is_integral_v<T>) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
    } else if constexpr (std::is_pointer_v<T> &&
                         std::is_same_v<std::remove_cv_t<std::remove_pointer_t<T>>, char>) {
        if (v) out.append(v);
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        out.append(std::string_view(v));
    } else {
        std::ostringstream os;
        os << v;
        out.append(os.str());
    }
}
}  // namespace detail

// Concatenate text, numbers and anything streamable, as `os << a << b ...` would; g++ 12 has
// no <format>.
template <class... A>
std::string cat(const A&... a) {
    std::string out;
    (detail::cat_one(out, a), ...);
    return out;
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
#define CNT_TRY(expr)                                                           \
    do {                                                                        \
        auto cnt_try_r_ = (expr);                                               \
        if (!cnt_try_r_) return std::unexpected(std::move(cnt_try_r_.error())); \
    } while (0)

// Assign the value of a Result-returning expression or propagate its error.
#define CNT_ASSIGN(var, expr)                                                     \
    auto var##_result_ = (expr);                                                  \
    if (!var##_result_) return std::unexpected(std::move(var##_result_.error())); \
    auto var = std::move(*var##_result_)
