// Overlay clones use their source's rootfs as their lower layer: the source records them in
// <dir>/lxc_snapshots (LXC's file: "LXCPATH\nNAME\n" per clone), and destroying or renaming
// it is refused while one of them still exists.
#pragma once
#include "cnt/store.hpp"

namespace cnt::clones {

Result<void> record(const store::Paths& source, const store::Paths& clone);
// An error naming the clones that still use `p`'s directory; `what`: "destroy", "rename".
Result<void> check_none(const store::Paths& p, std::string_view what);

}  // namespace cnt::clones
