#pragma once
// "Notify user U of type T with data D", as every module sees it. The
// notifications module implements it: it stores the in-app row, groups
// repeats, applies the user's preferences and quiet hours, and hands the
// notice to the live, email and push channels. Callers never know which
// channels a notice takes. notify() may run SQL: call it on the blocking pool.
#include <string>

namespace wp {

struct Notice {
  std::string user_id;    // who is told
  std::string type;       // a notification type listed in docs/api.md ("friend_request", ...)
  std::string data_json;  // JSON object: ids to link to, and names the text may show
  // Optional. Notices of one type with the same key inside the grouping
  // window fold into one row with a count ("video:<id>" for likes).
  std::string group_key;
  // Optional. Who caused it: nobody is told of their own action, and a
  // block between actor and user drops the notice.
  std::string actor_id;
  // Optional. Makes the notice exactly-once for a caller that may repeat it
  // after a crash: a second notice with the same key for the same user is
  // dropped. The in-app row and the key are written in one transaction.
  std::string dedupe_key;
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Never throws for a failed delivery; a bad type is a programming error (throws).
  virtual void notify(const Notice& notice) = 0;
};

// For modules: tells `notifier` when one is wired (null: nobody), and logs a
// failure (wp::Error) instead of throwing it: the action that caused the
// notice has happened already, and its answer must not turn into an error.
void notify_quietly(Notifier* notifier, const Notice& notice);

}  // namespace wp
