// TEMPORARY stubs until create/destroy land (issue #3).
#include "cnt/container.hpp"

namespace cnt {
Result<Container> Container::open(std::string name, std::string lxcpath) {
    CNT_TRY(store::validate_name(name));
    return Container(store::Paths{std::move(lxcpath), std::move(name)});
}
Result<Container> Container::create(const std::string&, const std::string&, const CreateOptions&) {
    return error("create: not built yet");
}
Result<void> Container::destroy(const DestroyOptions&) { return error("destroy: not built yet"); }
}  // namespace cnt
