#pragma once
// JSON shapes of moderation.
#include <boost/json.hpp>

#include "modules/moderation/model.hpp"
#include "modules/moderation/service.hpp"

namespace wp::moderation {

// The reporter's own view of a report: no admin notes.
boost::json::object my_report_json(const ReportRow& r);
// Staff's view: who reported, admin notes.
boost::json::object report_json(const ReportRow& r);
boost::json::object action_json(const ActionRow& a);
// The subject's own view of an action: not which staff member.
boost::json::object my_action_json(const ActionRow& a);
boost::json::object flag_json(const FlagRow& f);
boost::json::object queue_item_json(const QueueItem& item);
boost::json::object standing_json(const Standing& s);

}  // namespace wp::moderation
