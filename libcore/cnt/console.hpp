// Attaching a terminal to a running container's console or tty (cnt-console).
#pragma once
#include "cnt/container.hpp"

namespace cnt {

struct ConsoleOptions {
    int tty = -1;        // -1: first free tty; 0: the console; N: /dev/ttyN
    char escape = 0x01;  // Ctrl-a: <escape> q detaches, <escape><escape> sends one
};
// Gets the pty master from the container's monitor (SCM_RIGHTS) and proxies it to stdin/stdout
// until the escape sequence or until the container goes away.
Result<void> console(const Container& c, const ConsoleOptions& o);

}  // namespace cnt
