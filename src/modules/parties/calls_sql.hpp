#pragma once
// Every SQL text of the call store, and the column table of each row it
// reads. Only calls_store.cpp includes this.
#include <string>

#include "db/columns.hpp"
#include "modules/parties/calls_model.hpp"

namespace wp::parties::sql::calls {

struct Flag {
  bool value = false;
};

inline const db::Columns<VoiceChatRow> kChat{
    {"c.id", &VoiceChatRow::id},
    {"c.party_id", &VoiceChatRow::party_id},
    {"c.version", &VoiceChatRow::version},
    {"c.member_count", &VoiceChatRow::member_count},
    {"c.opened_by", &VoiceChatRow::opened_by},
    {"c.opened_at", &VoiceChatRow::opened_at},
    {"c.closed_at", &VoiceChatRow::closed_at},
    {"c.sfu_audio_room", &VoiceChatRow::sfu_audio_room},
    {"c.sfu_video_room", &VoiceChatRow::sfu_video_room},
};

inline const db::Columns<CallMemberRow> kMember{
    {"m.user_id", &CallMemberRow::user_id},
    {"COALESCE(u.username, '')", &CallMemberRow::username},
    {"m.joined_at", &CallMemberRow::joined_at},
    {"m.is_muted", &CallMemberRow::muted},
    {"m.is_deafened", &CallMemberRow::deafened},
    {"m.is_server_muted", &CallMemberRow::server_muted},
};

inline const db::Columns<ScreenShareRow> kShare{
    {"s.id", &ScreenShareRow::id},
    {"s.party_id", &ScreenShareRow::party_id},
    {"s.user_id", &ScreenShareRow::user_id},
    {"COALESCE(u.username, '')", &ScreenShareRow::username},
    {"s.kind", &ScreenShareRow::kind},
    {"s.started_at", &ScreenShareRow::started_at},
    {"s.ended_at", &ScreenShareRow::ended_at},
    {"s.ended_by", &ScreenShareRow::ended_by},
};

inline const db::Columns<SfuCallRow> kSfuCall{
    {"c.party_id", &SfuCallRow::party_id},
    {"c.sfu_audio_room", &SfuCallRow::audio_room},
    {"c.sfu_video_room", &SfuCallRow::video_room},
};

inline const db::Columns<SfuMutedRow> kSfuMuted{
    {"c.party_id", &SfuMutedRow::party_id},
    {"c.sfu_audio_room", &SfuMutedRow::audio_room},
    {"m.user_id", &SfuMutedRow::user_id},
};

inline const db::Columns<Flag> kServerMuted{{"m.is_server_muted", &Flag::value}};

inline constexpr const char* kEnsureChat =
    "INSERT INTO voice_chats (id, party_id, created_at) VALUES (:id, :p, :t) ON CONFLICT (party_id) DO NOTHING";
inline constexpr const char* kChatOfParty = "FROM voice_chats c WHERE c.party_id = :p";
// Every change of a call starts with this in its transaction: it locks the
// row (PostgreSQL; SQLite's write transaction is exclusive already), so the
// counts a change reads next stay true until it commits, on every node.
inline constexpr const char* kLockChat = "UPDATE voice_chats SET version = version + 1 WHERE party_id = :p";

inline constexpr const char* kMembersOfChat =
    "FROM voice_chat_participants m LEFT JOIN users u ON u.id = m.user_id "
    "WHERE m.voice_chat_id = :c AND m.left_at IS NULL ORDER BY m.joined_at, m.id";
inline constexpr const char* kMemberInChat =
    "FROM voice_chat_participants m LEFT JOIN users u ON u.id = m.user_id "
    "WHERE m.voice_chat_id = :c AND m.user_id = :u AND m.left_at IS NULL";
inline constexpr const char* kLastServerMute =
    "FROM voice_chat_participants m WHERE m.voice_chat_id = :c AND m.user_id = :u "
    "ORDER BY m.joined_at DESC, m.id DESC LIMIT 1";
inline constexpr const char* kCountBothInCall =
    "SELECT COUNT(*) FROM voice_chat_participants m JOIN voice_chats c ON c.id = m.voice_chat_id "
    "WHERE c.party_id = :p AND m.left_at IS NULL AND m.user_id IN (:a, :b)";
inline constexpr const char* kInsertMember =
    "INSERT INTO voice_chat_participants (id, voice_chat_id, user_id, joined_at, is_muted, is_server_muted) "
    "VALUES (:id, :c, :u, :t, :m, :sm)";
inline constexpr const char* kOpenChat =
    "UPDATE voice_chats SET member_count = member_count + 1, opened_by = :u, opened_at = :t, closed_at = NULL "
    "WHERE id = :c";
inline constexpr const char* kCountUp = "UPDATE voice_chats SET member_count = member_count + 1 WHERE id = :c";
inline constexpr const char* kLeaveMember =
    "UPDATE voice_chat_participants SET left_at = :t, left_reason = :r "
    "WHERE voice_chat_id = :c AND user_id = :u AND left_at IS NULL";
inline constexpr const char* kCountDown = "UPDATE voice_chats SET member_count = member_count - 1 WHERE id = :c";
inline constexpr const char* kCloseChat =
    "UPDATE voice_chats SET opened_at = NULL, closed_at = :t, sfu_audio_room = NULL, sfu_video_room = NULL "
    "WHERE id = :c";
inline constexpr const char* kSetMuted =
    "UPDATE voice_chat_participants SET is_muted = :m WHERE voice_chat_id = :c AND user_id = :u AND left_at IS NULL";
inline constexpr const char* kSetDeafened =
    "UPDATE voice_chat_participants SET is_deafened = :d WHERE voice_chat_id = :c AND user_id = :u "
    "AND left_at IS NULL";
inline constexpr const char* kSetServerMuted =
    "UPDATE voice_chat_participants SET is_server_muted = :sm WHERE voice_chat_id = :c AND user_id = :u "
    "AND left_at IS NULL";
// The first rooms win; a join that lost the race destroys its own.
inline constexpr const char* kSetSfuRooms =
    "UPDATE voice_chats SET sfu_audio_room = :a, sfu_video_room = :v WHERE id = :c AND sfu_audio_room IS NULL "
    "AND opened_at IS NOT NULL";
// After a Janus restart: new rooms, unless another node replaced the old ones first.
inline constexpr const char* kReplaceSfuRooms =
    "UPDATE voice_chats SET sfu_audio_room = :a, sfu_video_room = :v WHERE id = :c AND sfu_audio_room = :old";
inline constexpr const char* kSfuCalls =
    "FROM voice_chats c WHERE c.sfu_audio_room IS NOT NULL AND c.sfu_video_room IS NOT NULL AND c.opened_at IS NOT NULL "
    "ORDER BY c.party_id";
// The calls through the SFU that both users are in now.
inline constexpr const char* kSfuCallsOfPair =
    "FROM voice_chats c WHERE c.sfu_audio_room IS NOT NULL AND c.sfu_video_room IS NOT NULL "
    "AND EXISTS (SELECT 1 FROM voice_chat_participants m WHERE m.voice_chat_id = c.id AND m.user_id = :a "
    "AND m.left_at IS NULL) "
    "AND EXISTS (SELECT 1 FROM voice_chat_participants m WHERE m.voice_chat_id = c.id AND m.user_id = :b "
    "AND m.left_at IS NULL) ORDER BY c.party_id";
// The server-muted members of the calls through the SFU (their mute is held in its mix).
inline constexpr const char* kSfuServerMuted =
    "FROM voice_chats c JOIN voice_chat_participants m ON m.voice_chat_id = c.id "
    "WHERE c.sfu_audio_room IS NOT NULL AND c.opened_at IS NOT NULL AND m.left_at IS NULL "
    "AND m.is_server_muted = TRUE ORDER BY c.party_id, m.user_id";
inline constexpr const char* kLeaveAllMembers =
    "UPDATE voice_chat_participants SET left_at = :t, left_reason = :r WHERE voice_chat_id = :c AND left_at IS NULL";
inline constexpr const char* kEndAllShares =
    "UPDATE screen_shares SET ended_at = :t WHERE voice_chat_id = :c AND ended_at IS NULL";
inline constexpr const char* kNoMembers = "UPDATE voice_chats SET member_count = 0 WHERE id = :c";

inline constexpr const char* kLiveSharesOfChat =
    "FROM screen_shares s LEFT JOIN users u ON u.id = s.user_id WHERE s.voice_chat_id = :c AND s.ended_at IS NULL "
    "ORDER BY s.started_at, s.id";
inline constexpr const char* kShareById = "FROM screen_shares s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = :id";
inline constexpr const char* kSharesOfParty =
    "FROM screen_shares s LEFT JOIN users u ON u.id = s.user_id WHERE s.party_id = :p "
    "ORDER BY s.started_at DESC, s.id DESC LIMIT :lim OFFSET :off";
inline constexpr const char* kCountSharesOfParty = "SELECT COUNT(*) FROM screen_shares WHERE party_id = :p";
inline constexpr const char* kInsertShare =
    "INSERT INTO screen_shares (id, voice_chat_id, party_id, user_id, kind, started_at) "
    "VALUES (:id, :c, :p, :u, :k, :t)";
inline constexpr const char* kEndShare =
    "UPDATE screen_shares SET ended_at = :t, ended_by = :by WHERE id = :id AND ended_at IS NULL";
inline constexpr const char* kEndSharesOfUser =
    "UPDATE screen_shares SET ended_at = :t WHERE voice_chat_id = :c AND user_id = :u AND ended_at IS NULL";

}  // namespace wp::parties::sql::calls
