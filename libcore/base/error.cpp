#include "cnt/error.hpp"

#include <cstring>

namespace cnt {

std::string Error::message() const {
    std::string m;
    if (!object.empty()) m = object + ": ";
    m += step;
    if (err != 0) {
        if (!step.empty()) m += ": ";
        m += std::strerror(err);
    }
    return m;
}

Error& Error::within(std::string outer) & {
    if (outer.empty()) return *this;
    object = object.empty() ? std::move(outer) : outer + ": " + object;
    return *this;
}

Error&& Error::within(std::string outer) && { return std::move(within(std::move(outer))); }

}  // namespace cnt
