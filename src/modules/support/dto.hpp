#pragma once
// The JSON shapes of the support desk. A ticket has two shapes: the owner's
// (no assignee, admin notes, internal counts or SLA times) and staff's.
#include <boost/json.hpp>

#include <vector>

#include "modules/support/model.hpp"

namespace wp::support {

boost::json::object ticket_json(const TicketRow& t, bool staff_view, const Settings& settings,
                                const std::vector<AttachmentRow>& attachments = {});
boost::json::object reply_json(const ReplyRow& r);
boost::json::object attachment_json(const AttachmentRow& a);
boost::json::object faq_json(const FaqRow& q, bool staff_view);
boost::json::object feedback_json(const FeedbackRow& b);
boost::json::object summary_json(const Summary& s, int days);

}  // namespace wp::support
