#include "base/signal_fd.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

namespace cnt {

SignalFd::SignalFd(std::span<const int> sigs) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : sigs) sigaddset(&set, s);
    if (::sigprocmask(SIG_BLOCK, &set, &old_) != 0) return;
    blocked_ = true;
    fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
}

SignalFd::~SignalFd() {
    fd_.reset();
    if (blocked_) ::sigprocmask(SIG_SETMASK, &old_, nullptr);
}

int SignalFd::take() {
    signalfd_siginfo si{};
    if (!fd_ || ::read(fd_.get(), &si, sizeof si) != static_cast<ssize_t>(sizeof si)) return 0;
    return static_cast<int>(si.ssi_signo);
}

}  // namespace cnt
