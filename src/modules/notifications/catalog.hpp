#pragma once
// What each notification type is: its label, the channels it takes when the
// user changed nothing, and how urgent its push is.
#include <string_view>
#include <vector>

#include "modules/notifications/model.hpp"

namespace wp::notifications {

struct TypeInfo {
  Type type;
  std::string_view label;  // for people: settings page, mail footers
  bool in_app, email, push;
  std::string_view urgency;  // RFC 8030: very-low, low, normal, high
};

const TypeInfo& type_info(Type type);
const std::vector<TypeInfo>& type_catalog();
bool default_enabled(Type type, Channel channel);

}  // namespace wp::notifications
