#pragma once
// What the two files of the store share: the message append inside a
// transaction. Only store.cpp and message_store.cpp include this.
#include <soci/soci.h>

#include <string>

#include "modules/messaging/model.hpp"

namespace wp::messaging::detail {

// Stores the message with this seq (taken in the caller's transaction,
// which holds the conversation row); the sender's read receipt follows when
// they had read everything before. Returns its id.
std::string insert_message(soci::session& s, const NewMessage& m, long long seq, long long now);
// Takes the conversation's next seq, stores the message with it, and returns the row.
MessageRow append(soci::session& s, const NewMessage& m, long long now);
// The system message of a member change or a new title.
NewMessage system_message(const std::string& conversation_id, const std::string& actor, SystemEvent event,
                          const std::string& user_id, const std::string& title);
// Locks the conversation row until the transaction ends (PostgreSQL; SQLite's
// write transaction holds the database already). not_found when there is none.
ConversationRow lock_conversation(soci::session& s, const std::string& id, bool postgresql);

}  // namespace wp::messaging::detail
