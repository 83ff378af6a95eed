// Small operations on plain descriptors: the terminal relays write with write_all, the monitor
// and `cnt-start -C` close what they inherited.
#pragma once
#include <stddef.h>

#include <vector>

namespace cnt {

// Write all of buf (blocking semantics, EINTR/EAGAIN retried by poll). false on error.
bool write_all(int fd, const char* buf, size_t n);

// Close every inherited descriptor above 2 except those listed.
void close_inherited(std::vector<int> keep);

}  // namespace cnt
