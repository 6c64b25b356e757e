#pragma once
// The JSON shapes of messaging (docs/api.md, "Messaging"), and the check of
// client-supplied message metadata (link previews).
#include <boost/json.hpp>

#include <string>
#include <vector>

#include "modules/messaging/model.hpp"

namespace wp::messaging {

boost::json::object attachment_json(const AttachmentRow& a);
// with_me: each reaction says whether the viewer made it (REST); events leave it out.
boost::json::array reactions_json(const std::vector<ReactionCount>& reactions, bool with_me);
boost::json::object message_json(const MessageRow& m, bool with_me = true);
// Receipts of members who turned them off are null, except the viewer's own.
boost::json::object conversation_json(const ConversationView& v, const std::string& viewer);

// The client's `metadata`: {"link_previews": [{"url", "title"?, "image_url"?}]}
// with https URLs and bounded sizes; anything else is a 400 on `metadata`.
// Returns the normalized JSON text.
std::string checked_metadata(const boost::json::value& metadata);

}  // namespace wp::messaging
