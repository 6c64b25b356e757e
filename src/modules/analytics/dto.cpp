#include "modules/analytics/dto.hpp"

#include <boost/json.hpp>

namespace wp::analytics {

namespace json = boost::json;

json::object batch_json(const Batch& batch) {
  json::array rejected;
  for (auto& r : batch.rejects) {
    json::object errors;
    for (auto& [field, message] : r.errors) {
      auto& list = errors[field];
      if (!list.is_array()) list = json::array();
      list.as_array().push_back(json::string(message));
    }
    rejected.push_back(json::object{{"index", r.index}, {"errors", std::move(errors)}});
  }
  return {{"accepted", batch.rows.size()},
          {"rejected", std::move(rejected)},
          {"event_types_version", kEventTypesVersion}};
}

json::object event_types_json() {
  json::array types;
  for (auto& [value, name] : enum_names<EventType>.items) types.push_back(json::string(name));
  return {{"version", kEventTypesVersion}, {"event_types", std::move(types)}};
}

}  // namespace wp::analytics
