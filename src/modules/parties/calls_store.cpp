#include "modules/parties/calls_store.hpp"

#include <soci/soci.h>

#include "core/ids.hpp"
#include "db/affected.hpp"
#include "db/columns.hpp"
#include "db/soci_optional.hpp"
#include "modules/parties/calls_sql.hpp"

namespace wp::parties {

using soci::use;
namespace calls_sql = sql::calls;

namespace {

using db::changed;

// The party's call row, made on first use, locked for the rest of the transaction.
VoiceChatRow lock_chat(soci::session& s, const std::string& party_id, std::int64_t now) {
  std::string id = new_uuid();
  long long t = now;
  s << calls_sql::kEnsureChat, use(id), use(party_id), use(t);
  s << calls_sql::kLockChat, use(party_id);
  return *db::select_one(s, calls_sql::kChat, calls_sql::kChatOfParty, db::uses(party_id));
}

std::optional<VoiceChatRow> chat_of(soci::session& s, const std::string& party_id) {
  return db::select_one(s, calls_sql::kChat, calls_sql::kChatOfParty, db::uses(party_id));
}

std::optional<CallMemberRow> member_of(soci::session& s, const std::string& chat_id, const std::string& user_id) {
  return db::select_one(s, calls_sql::kMember, calls_sql::kMemberInChat, db::uses(chat_id, user_id));
}

}  // namespace

CallSnapshot CallStore::snapshot(const std::string& party_id) {
  return db_.with([&](soci::session& s) {
    CallSnapshot out;
    auto chat = chat_of(s, party_id);
    if (!chat) {
      out.chat.party_id = party_id;
      return out;
    }
    out.chat = *chat;
    out.members = db::select_rows(s, calls_sql::kMember, calls_sql::kMembersOfChat, db::uses(chat->id));
    out.shares = db::select_rows(s, calls_sql::kShare, calls_sql::kLiveSharesOfChat, db::uses(chat->id));
    return out;
  });
}

std::optional<CallMemberRow> CallStore::member(const std::string& party_id, const std::string& user_id) {
  return db_.with([&](soci::session& s) -> std::optional<CallMemberRow> {
    auto chat = chat_of(s, party_id);
    if (!chat) return std::nullopt;
    return member_of(s, chat->id, user_id);
  });
}

bool CallStore::both_in_call(const std::string& party_id, const std::string& a, const std::string& b) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, calls_sql::kCountBothInCall, db::uses(party_id, a, b)) == 2; });
}

JoinCall CallStore::join(const std::string& party_id, const std::string& user_id, std::optional<int> limit,
                         bool may_open, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    auto chat = lock_chat(s, party_id, now);
    if (member_of(s, chat.id, user_id)) return JoinCall{JoinCallOutcome::already_in, chat.member_count};
    if (!chat.open() && !may_open) return JoinCall{JoinCallOutcome::not_open, chat.member_count};
    if (limit && chat.member_count >= *limit) return JoinCall{JoinCallOutcome::full, chat.member_count};
    auto last = db::select_one(s, calls_sql::kServerMuted, calls_sql::kLastServerMute, db::uses(chat.id, user_id));
    int server_muted = last && last->value, muted = server_muted;
    // Time-ordered: members joined in the same millisecond keep their order (the later of a blocked pair).
    std::string id = new_uuid_v7();
    long long t = now;
    s << calls_sql::kInsertMember, use(id), use(chat.id), use(user_id), use(t), use(muted), use(server_muted);
    if (chat.open())
      s << calls_sql::kCountUp, use(chat.id);
    else
      s << calls_sql::kOpenChat, use(user_id), use(t), use(chat.id);
    return JoinCall{JoinCallOutcome::joined, chat.member_count + 1};
  });
}

LeaveCall CallStore::leave(const std::string& party_id, const std::string& user_id, LeftReason reason,
                           std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    LeaveCall out;
    auto chat = chat_of(s, party_id);
    if (!chat || !member_of(s, chat->id, user_id)) return out;
    *chat = lock_chat(s, party_id, now);
    long long t = now;
    std::string why(to_string(reason));
    out.left = changed((s.prepare << calls_sql::kLeaveMember, use(t), use(why), use(chat->id), use(user_id)));
    if (!out.left) return out;
    for (auto& sh : db::select_rows(s, calls_sql::kShare, calls_sql::kLiveSharesOfChat, db::uses(chat->id)))
      if (sh.user_id == user_id) out.ended_shares.push_back(sh.id);
    s << calls_sql::kEndSharesOfUser, use(t), use(chat->id), use(user_id);
    s << calls_sql::kCountDown, use(chat->id);
    out.member_count = chat->member_count - 1;
    if (out.member_count == 0) {
      out.sfu_audio_room = chat->sfu_audio_room;
      out.sfu_video_room = chat->sfu_video_room;
      s << calls_sql::kCloseChat, use(t), use(chat->id);
    }
    return out;
  });
}

bool CallStore::set_muted(const std::string& party_id, const std::string& user_id, bool muted) {
  int m = muted;
  return db_.tx([&](soci::session& s) {
    auto chat = lock_chat(s, party_id, 0);
    return changed((s.prepare << calls_sql::kSetMuted, use(m), use(chat.id), use(user_id)));
  });
}

bool CallStore::set_deafened(const std::string& party_id, const std::string& user_id, bool deafened) {
  int d = deafened;
  return db_.tx([&](soci::session& s) {
    auto chat = lock_chat(s, party_id, 0);
    return changed((s.prepare << calls_sql::kSetDeafened, use(d), use(chat.id), use(user_id)));
  });
}

bool CallStore::set_server_muted(const std::string& party_id, const std::string& user_id, bool server_muted) {
  int sm = server_muted, one = 1;
  return db_.tx([&](soci::session& s) {
    auto chat = lock_chat(s, party_id, 0);
    if (!changed((s.prepare << calls_sql::kSetServerMuted, use(sm), use(chat.id), use(user_id)))) return false;
    if (server_muted) s << calls_sql::kSetMuted, use(one), use(chat.id), use(user_id);
    return true;
  });
}

bool CallStore::set_sfu_rooms(const std::string& party_id, const std::string& audio_room,
                              const std::string& video_room) {
  return db_.tx([&](soci::session& s) {
    auto chat = lock_chat(s, party_id, 0);
    return changed((s.prepare << calls_sql::kSetSfuRooms, use(audio_room), use(video_room), use(chat.id)));
  });
}

bool CallStore::replace_sfu_rooms(const std::string& party_id, const std::string& old_audio,
                                  const std::string& audio_room, const std::string& video_room) {
  return db_.tx([&](soci::session& s) {
    auto chat = lock_chat(s, party_id, 0);
    return changed((s.prepare << calls_sql::kReplaceSfuRooms, use(audio_room), use(video_room), use(chat.id), use(old_audio)));
  });
}

std::vector<SfuCallRow> CallStore::sfu_calls() {
  return db_.with([&](soci::session& s) { return db::select_rows(s, calls_sql::kSfuCall, calls_sql::kSfuCalls, [](soci::statement&) {}); });
}

std::vector<SfuMutedRow> CallStore::sfu_server_muted() {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, calls_sql::kSfuMuted, calls_sql::kSfuServerMuted, [](soci::statement&) {});
  });
}

std::vector<SfuCallRow> CallStore::sfu_calls_of_pair(const std::string& a, const std::string& b) {
  return db_.with([&](soci::session& s) { return db::select_rows(s, calls_sql::kSfuCall, calls_sql::kSfuCallsOfPair, db::uses(a, b)); });
}

CloseCall CallStore::close(const std::string& party_id, std::int64_t now) {
  return db_.tx([&](soci::session& s) {
    CloseCall out;
    auto chat = chat_of(s, party_id);
    if (!chat || !chat->open()) return out;
    *chat = lock_chat(s, party_id, now);
    for (auto& m : db::select_rows(s, calls_sql::kMember, calls_sql::kMembersOfChat, db::uses(chat->id))) out.members.push_back(m.user_id);
    long long t = now;
    std::string why(to_string(LeftReason::removed));
    s << calls_sql::kLeaveAllMembers, use(t), use(why), use(chat->id);
    out.shares_ended = changed((s.prepare << calls_sql::kEndAllShares, use(t), use(chat->id)));
    s << calls_sql::kNoMembers, use(chat->id);
    out.sfu_audio_room = chat->sfu_audio_room;
    out.sfu_video_room = chat->sfu_video_room;
    s << calls_sql::kCloseChat, use(t), use(chat->id);
    return out;
  });
}

StartShareOutcome CallStore::start_share(const ScreenShareRow& sh, int limit) {
  return db_.tx([&](soci::session& s) {
    auto chat = lock_chat(s, sh.party_id, sh.started_at);
    if (!member_of(s, chat.id, sh.user_id)) return StartShareOutcome::not_in_call;
    auto live = db::select_rows(s, calls_sql::kShare, calls_sql::kLiveSharesOfChat, db::uses(chat.id));
    for (auto& other : live)
      if (other.user_id == sh.user_id) return StartShareOutcome::already_sharing;
    if (static_cast<int>(live.size()) >= limit) return StartShareOutcome::limit;
    std::string kind(to_string(sh.kind));
    long long t = sh.started_at;
    s << calls_sql::kInsertShare, use(sh.id), use(chat.id), use(sh.party_id), use(sh.user_id), use(kind), use(t);
    return StartShareOutcome::started;
  });
}

std::optional<ScreenShareRow> CallStore::share(const std::string& id) {
  return db_.with([&](soci::session& s) { return db::select_one(s, calls_sql::kShare, calls_sql::kShareById, db::uses(id)); });
}

bool CallStore::end_share(const std::string& party_id, const std::string& share_id, const std::string& by,
                          std::int64_t now) {
  long long t = now;
  return db_.tx([&](soci::session& s) {
    lock_chat(s, party_id, now);
    return changed((s.prepare << calls_sql::kEndShare, use(t), use(by), use(share_id)));
  });
}

std::vector<ScreenShareRow> CallStore::shares_of(const std::string& party_id, int limit, int offset) {
  return db_.with([&](soci::session& s) {
    return db::select_rows(s, calls_sql::kShare, calls_sql::kSharesOfParty, db::uses(party_id, limit, offset));
  });
}

long long CallStore::count_shares_of(const std::string& party_id) {
  return db_.with([&](soci::session& s) { return db::fetch_count(s, calls_sql::kCountSharesOfParty, db::uses(party_id)); });
}

}  // namespace wp::parties
