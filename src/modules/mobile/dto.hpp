#pragma once
// The JSON shapes of the mobile module's rows and answers.
#include <boost/json.hpp>

#include "modules/mobile/service.hpp"

namespace wp::mobile {

boost::json::object device_json(const DeviceRow& d);
boost::json::object sync_row_json(const SyncRow& s);
boost::json::object sync_result_json(const SyncResult& r);
// A live record of a list this module keeps (downloads, settings): its payload.
boost::json::value record_json(const ChangeRow& c);
boost::json::object crash_group_json(const CrashGroupRow& g);
boost::json::object crash_json(const CrashRow& c);

}  // namespace wp::mobile
