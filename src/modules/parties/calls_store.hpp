#pragma once
// Every read and write of the call tables (the SQL text is in calls_sql.hpp).
// A change of a call is one transaction that first locks the party's
// voice_chats row, so limits hold under concurrent joins on every node.
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "modules/parties/calls_model.hpp"

namespace wp::parties {

class CallStore {
 public:
  explicit CallStore(db::Database& db) : db_(db) {}

  // The call and who is in it (an empty, closed call when none was made yet).
  CallSnapshot snapshot(const std::string& party_id);
  std::optional<CallMemberRow> member(const std::string& party_id, const std::string& user_id);
  // Whether both users are in the party's call now.
  bool both_in_call(const std::string& party_id, const std::string& a, const std::string& b);

  // Joins unless the call is at `limit` (nullopt: no limit), or closed and
  // the user may not open it.
  JoinCall join(const std::string& party_id, const std::string& user_id, std::optional<int> limit, bool may_open,
                std::int64_t now);
  // Ends the user's row and their live shares; the last one out closes the call.
  LeaveCall leave(const std::string& party_id, const std::string& user_id, LeftReason reason, std::int64_t now);
  bool set_muted(const std::string& party_id, const std::string& user_id, bool muted);
  bool set_deafened(const std::string& party_id, const std::string& user_id, bool deafened);
  // Server mute also mutes; lifting it leaves the member's own mute as it is.
  bool set_server_muted(const std::string& party_id, const std::string& user_id, bool server_muted);
  // Records the call's SFU rooms unless another join recorded some first.
  bool set_sfu_rooms(const std::string& party_id, const std::string& audio_room, const std::string& video_room);
  // Swaps the call's SFU rooms for new ones unless its audio room is no longer
  // `old_audio` (another node replaced them, or the call closed).
  bool replace_sfu_rooms(const std::string& party_id, const std::string& old_audio, const std::string& audio_room,
                         const std::string& video_room);
  // The open calls that run through the SFU.
  std::vector<SfuCallRow> sfu_calls();
  // The server-muted members of the open calls through the SFU, by party.
  std::vector<SfuMutedRow> sfu_server_muted();
  // The calls through the SFU that both users are in now.
  std::vector<SfuCallRow> sfu_calls_of_pair(const std::string& a, const std::string& b);
  // Everyone out at once (reason `removed`), the shares ended, the call
  // closed: the party ended, or its SFU rooms were lost for good.
  CloseCall close(const std::string& party_id, std::int64_t now);

  // Starts a share of a member of the call, at most `limit` at once.
  StartShareOutcome start_share(const ScreenShareRow& share, int limit);
  std::optional<ScreenShareRow> share(const std::string& id);
  // false: it had ended already.
  bool end_share(const std::string& party_id, const std::string& share_id, const std::string& by, std::int64_t now);
  std::vector<ScreenShareRow> shares_of(const std::string& party_id, int limit, int offset);
  long long count_shares_of(const std::string& party_id);

 private:
  db::Database& db_;
};

}  // namespace wp::parties
