// Small operations on plain descriptors that the terminal relays and the monitor share.
#pragma once
#include <stddef.h>

namespace cnt {

// Write all of buf (blocking semantics, EINTR/EAGAIN retried by poll). false on error.
bool write_all(int fd, const char* buf, size_t n);

}  // namespace cnt
