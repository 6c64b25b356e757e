#pragma once
// Every SQL text of recommendations. Only store.cpp includes it. The job
// reads other modules' tables (watch_times: user_id, video_id and
// total_watch_time only; video_likes; videos; friendships; user_blocks;
// group_memberships; watch_parties and party_participants) and writes only its own.
#include "db/columns.hpp"
#include "modules/recommendations/model.hpp"

namespace wp::recommendations::sql {

// Watched for at least :min seconds (weight 1), or liked (weight 2).
inline constexpr const char* kInteractions =
    "SELECT user_id, video_id, 1.0 FROM watch_times WHERE total_watch_time >= :min UNION ALL "
    "SELECT user_id, video_id, 2.0 FROM video_likes WHERE is_like = TRUE";
// What may be recommended: what anyone may see (videos/sql.hpp kListableToAnyone + kNotRemoved).
inline constexpr const char* kCandidates =
    "SELECT v.id, v.title, v.uploaded_by_id, (SELECT COUNT(*) FROM video_views vv WHERE vv.video_id = v.id AND "
    "vv.created_at >= :since) FROM videos v WHERE v.is_public = TRUE AND v.status = 'ready' AND v.removed_at IS NULL";
inline constexpr const char* kFriendships = "SELECT user_low, user_high FROM friendships WHERE status = 'accepted'";
inline constexpr const char* kBlocks = "SELECT blocker_id, blocked_id FROM user_blocks";
inline constexpr const char* kGroupMemberships = "SELECT group_id, user_id FROM group_memberships WHERE status = 'active'";
// Live parties anyone may join (parties/sql.hpp kListedPublicly, live only).
inline constexpr const char* kLiveParties =
    "SELECT p.id, p.title, p.host_id, p.video_id, p.group_id FROM watch_parties p WHERE p.status = 'live' AND p.visibility = "
    "'public' AND NOT EXISTS (SELECT 1 FROM social_groups pg WHERE pg.id = p.group_id AND pg.is_private = TRUE)";
inline constexpr const char* kLiveMembers =
    "SELECT pp.party_id, pp.user_id FROM party_participants pp JOIN watch_parties p ON p.id = pp.party_id WHERE "
    "p.status = 'live' AND pp.is_active = TRUE";
// Who is due: no rows yet, rows older than :stale, or activity since their rows (incremental refresh).
inline constexpr const char* kDueUsers =
    "SELECT u.id FROM users u LEFT JOIN (SELECT user_id, MAX(created_at) AS made FROM content_recommendations "
    "GROUP BY user_id) r ON r.user_id = u.id WHERE u.is_active = TRUE AND (r.made IS NULL OR r.made < :stale OR "
    "EXISTS (SELECT 1 FROM watch_times w WHERE w.user_id = u.id AND w.updated_at > r.made) OR EXISTS (SELECT 1 FROM "
    "video_likes l WHERE l.user_id = u.id AND l.created_at > r.made)) ORDER BY COALESCE(r.made, 0), u.id LIMIT :lim";
inline constexpr const char* kUpsert =
    "INSERT INTO content_recommendations (id, user_id, object_type, object_id, score, reason, created_at) VALUES "
    "(:id, :u, :t, :o, :s, :r, :c) ON CONFLICT (user_id, object_type, object_id) DO UPDATE SET score = "
    "excluded.score, reason = excluded.reason, created_at = excluded.created_at";
// Rows of an older batch go, unless clicked (kept for the click-through measure).
inline constexpr const char* kDropOlder =
    "DELETE FROM content_recommendations WHERE user_id = :u AND created_at < :c AND clicked_at IS NULL";

inline const db::Columns<RecommendationRow> kRow{
    {"r.id", &RecommendationRow::id},
    {"r.user_id", &RecommendationRow::user_id},
    {"r.object_type", &RecommendationRow::object_type},
    {"r.object_id", &RecommendationRow::object_id},
    {"COALESCE(v.title, p.title, '')", &RecommendationRow::title},
    {"r.score", &RecommendationRow::score},
    {"r.reason", &RecommendationRow::reason},
    {"r.created_at", &RecommendationRow::created_at},
    {"r.shown_at", &RecommendationRow::shown_at},
    {"r.clicked_at", &RecommendationRow::clicked_at},
};
// The latest batch, still visible now: the video public and ready, the party live and public, no block since.
inline constexpr const char* kLatest =
    "FROM content_recommendations r LEFT JOIN videos v ON r.object_type = 'video' AND v.id = r.object_id LEFT JOIN "
    "watch_parties p ON r.object_type = 'party' AND p.id = r.object_id WHERE r.user_id = :u AND r.created_at = "
    "(SELECT MAX(created_at) FROM content_recommendations WHERE user_id = :u2) AND ((v.id IS NOT NULL AND "
    "v.is_public = TRUE AND v.status = 'ready' AND v.removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM user_blocks b "
    "WHERE (b.blocker_id = :u3 AND b.blocked_id = v.uploaded_by_id) OR (b.blocker_id = v.uploaded_by_id AND "
    "b.blocked_id = :u4))) OR (p.id IS NOT NULL AND p.status = 'live' AND p.visibility = 'public' AND NOT EXISTS "
    "(SELECT 1 FROM user_blocks b2 WHERE (b2.blocker_id = :u5 AND b2.blocked_id = p.host_id) OR (b2.blocker_id = "
    "p.host_id AND b2.blocked_id = :u6)))) ORDER BY r.object_type DESC, r.score DESC, r.object_id";
inline constexpr const char* kMarkShown =
    "UPDATE content_recommendations SET shown_at = :t WHERE user_id = :u AND shown_at IS NULL AND created_at = "
    "(SELECT MAX(created_at) FROM content_recommendations WHERE user_id = :u2)";
inline constexpr const char* kClick =
    "UPDATE content_recommendations SET clicked_at = :t WHERE id = :id AND user_id = :u AND clicked_at IS NULL";

}  // namespace wp::recommendations::sql
