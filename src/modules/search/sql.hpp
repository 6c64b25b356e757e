#pragma once
// Every SQL text of search. Only store.cpp includes it.
//
// A search of one kind is assembled from that kind's KindSql: the engine's
// FROM and MATCH, the kind's visibility for the caller, the filters that
// apply and the order. The visibility clauses restate the rules of each
// module's own list (the comment names the constant they copy); the search
// visibility matrix in tests/integration/test_search.py holds them equal.
// Every :vwN parameter is the viewer's id.
#include "db/columns.hpp"
#include "modules/search/model.hpp"

namespace wp::search::sql {

struct KindSql {
  SearchType type;
  const char* table;      // base table and alias
  const char* fts;        // SQLite FTS5 table
  const char* id;
  const char* title;      // the text the title column indexes
  const char* body;       // the text the body column indexes
  const char* status;     // '' when the kind has none
  const char* popularity;
  const char* created;
  const char* date_column;  // what from/to filter
  const char* anonymous;  // nullptr: not searchable anonymously
  const char* user;       // for a signed-in caller
  const char* staff;      // for staff ("" = everything)
  const char* category;   // nullptr: no category filter
  const char* duration;   // nullptr: no duration filter
  bool has_status;
  const char* titles;     // SQLite FTS5 of the titles alone (autocomplete); nullptr: not suggested
};

// videos: videos/sql.hpp kNotRemoved + kListableToAnyone / kListableOrOwn; staff see all.
inline constexpr const char* kVideoAnonymous = " AND v.removed_at IS NULL AND v.is_public = TRUE AND v.status = 'ready'";
inline constexpr const char* kVideoUser =
    " AND v.removed_at IS NULL AND ((v.is_public = TRUE AND v.status = 'ready') OR v.uploaded_by_id = :vw1 OR "
    "(v.visibility = 'friends' AND v.status = 'ready' AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.status = "
    "'accepted' AND ((fr.user_low = v.uploaded_by_id AND fr.user_high = :vw2) OR (fr.user_high = v.uploaded_by_id "
    "AND fr.user_low = :vw3)))))";

// parties: parties/sql.hpp kListedPublicly (anonymous) and kVisibleToViewer (everyone signed in, staff too).
inline constexpr const char* kPartyAnonymous =
    " AND p.visibility = 'public' AND p.status <> 'ended' AND NOT EXISTS (SELECT 1 FROM social_groups pg WHERE "
    "pg.id = p.group_id AND pg.is_private = TRUE)";
inline constexpr const char* kPartyUser =
    " AND ((p.visibility = 'public' AND NOT EXISTS (SELECT 1 FROM social_groups pg WHERE pg.id = p.group_id AND "
    "pg.is_private = TRUE)) OR EXISTS (SELECT 1 FROM party_participants m WHERE m.party_id = p.id AND "
    "m.user_id = :vw1 AND m.is_banned = FALSE) OR EXISTS (SELECT 1 FROM party_invitations i WHERE i.party_id = "
    "p.id AND i.invitee_id = :vw2 AND i.status <> 'declined' AND NOT EXISTS (SELECT 1 FROM user_blocks ib "
    "WHERE (ib.blocker_id = i.inviter_id AND ib.blocked_id = i.invitee_id) OR (ib.blocker_id = i.invitee_id AND "
    "ib.blocked_id = i.inviter_id))) OR EXISTS (SELECT 1 FROM group_memberships gm "
    "WHERE gm.group_id = p.group_id AND gm.user_id = :vw3 AND gm.status = 'active') OR (p.visibility = "
    "'friends' AND NOT EXISTS (SELECT 1 FROM social_groups pg2 WHERE pg2.id = p.group_id AND pg2.is_private = TRUE) "
    "AND EXISTS (SELECT 1 FROM friendships fr WHERE fr.status = 'accepted' AND ((fr.user_low = p.host_id AND "
    "fr.user_high = :vw4) OR (fr.user_high = p.host_id AND fr.user_low = :vw5)))))";
// Parties are searched live and scheduled unless the status filter asks for ended ones.
inline constexpr const char* kPartyNotEnded = " AND p.status <> 'ended'";

// users: accounts/sql.hpp kOnlyActive + kNotBlockedWith (the user search is for signed-in callers only);
// names match only on a public profile (kPrivateProfile*), unless the caller is staff.
inline constexpr const char* kUserVisible =
    " AND u.is_active = TRUE AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = :vw1 AND "
    "b.blocked_id = u.id) OR (b.blocker_id = u.id AND b.blocked_id = :vw2))";
inline constexpr const char* kPrivateProfileSqlite =
    "EXISTS (SELECT 1 FROM user_profiles pr WHERE pr.user_id = u.id AND "
    "COALESCE(json_extract(pr.privacy_settings, '$.profile_visibility'), '') IN ('private', 'friends'))";
inline constexpr const char* kPrivateProfilePostgres =
    "EXISTS (SELECT 1 FROM user_profiles pr WHERE pr.user_id = u.id AND "
    "COALESCE(pr.privacy_settings->>'profile_visibility', '') IN ('private', 'friends'))";

// groups: groups/sql.hpp kVisibleGroups (signed-in callers; staff get no more).
inline constexpr const char* kGroupVisible =
    " AND (g.is_private = FALSE OR EXISTS (SELECT 1 FROM group_memberships gv WHERE gv.group_id = g.id AND "
    "gv.user_id = :vw1 AND gv.status IN ('active', 'invited')))";

// events: events/sql.hpp kVisible (signed-in callers); staff see all.
inline constexpr const char* kEventVisible =
    " AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE (b.blocker_id = :vw1 AND b.blocked_id = e.organizer_id) "
    "OR (b.blocker_id = e.organizer_id AND b.blocked_id = :vw2)) AND (e.is_public = TRUE OR e.organizer_id = :vw3 "
    "OR EXISTS (SELECT 1 FROM event_invitations vi WHERE vi.event_id = e.id AND vi.invitee_id = :vw4 AND vi.status "
    "<> 'declined') OR EXISTS (SELECT 1 FROM event_attendees va WHERE va.event_id = e.id AND va.user_id = :vw5))";

inline const KindSql kKindSql[] = {
    {SearchType::video, "videos v", "search_videos_fts", "v.id", "v.title", "v.description || ' ' || v.category",
     "''", "v.view_count", "v.created_at", "v.created_at", kVideoAnonymous, kVideoUser, "", "v.category = :category",
     "v.duration", false, "search_video_titles"},
    {SearchType::party, "watch_parties p", "search_parties_fts", "p.id", "p.title", "p.description", "p.status",
     "p.active_participants", "p.created_at",
     "p.created_at", kPartyAnonymous, kPartyUser, kPartyUser, nullptr, nullptr, true, "search_party_titles"},
    {SearchType::user, "users u", "search_users_fts", "u.id", "u.username", "u.first_name || ' ' || u.last_name",
     "''", "(SELECT COUNT(*) FROM user_follows uf WHERE uf.followed_id = u.id AND uf.status = 'active')",
     "u.date_joined", "u.date_joined", nullptr, kUserVisible, kUserVisible, nullptr, nullptr, false,
     "search_user_titles"},
    {SearchType::group, "social_groups g", "search_groups_fts", "g.id", "g.name", "g.description || ' ' || g.category",
     "''", "g.member_count", "g.created_at", "g.created_at", nullptr, kGroupVisible, kGroupVisible,
     "LOWER(g.category) = LOWER(:category)", nullptr, false, nullptr},
    {SearchType::event, "events e", "search_events_fts", "e.id", "e.title",
     "e.description || ' ' || e.location || ' ' || e.category", "e.status", "e.going_count", "e.created_at",
     "e.start_time", nullptr, kEventVisible, "", "e.category = :category", nullptr, true, nullptr},
};

// ---- engines: {fts}/{alias} etc. are filled in by store.cpp
// A search ranks a window, not every match: the kRankWindow matches added last that the caller
// may see, in the index's own order, so a word in most rows costs as much as a rare one
// (bench/search.md). The window's size is the count (capped by the service); the page is taken
// from it by the order asked, and only the page's rows get their highlights.
// {win_popularity} is {popularity} when the window is ordered by it, 0 otherwise (a party's is a count).

// SQLite: the FTS5 table drives (rowid order, newest last), the base row is found by rowid.
inline constexpr const char* kSqliteWindow =
    "SELECT {fts}.rowid AS rid, {id} AS id, {win_popularity} AS popularity, {created} AS created, "
    "-bm25({fts}, 10.0, 1.0) AS score FROM {fts} JOIN {table} ON {alias}.rowid = {fts}.rowid WHERE {fts} MATCH :q"
    "{where} ORDER BY {fts}.rowid DESC LIMIT :win";
// Names of a private profile match only when the username does too.
inline constexpr const char* kSqliteUserNames =
    " AND (NOT {private} OR u.rowid IN (SELECT rowid FROM search_users_fts WHERE search_users_fts MATCH :qt))";
inline constexpr const char* kSqlitePage =
    "WITH w AS MATERIALIZED ({window}), shown AS MATERIALIZED (SELECT * FROM w{order} LIMIT :lim OFFSET :off) "
    "SELECT {id}, {title}, highlight({fts}, 0, '\u27E6', '\u27E7'), {body_marked}, {status}, {popularity}, {created}, "
    "shown.score, (SELECT COUNT(*) FROM w) FROM shown JOIN {fts} ON {fts}.rowid = shown.rid JOIN {table} ON "
    "{alias}.rowid = shown.rid WHERE {fts} MATCH :q2{shown_order}";
inline constexpr const char* kSqliteSnippet = "snippet({fts}, 1, '\u27E6', '\u27E7', '\u2026', 16)";

// PostgreSQL: the generated tsvector columns under GIN, websearch_to_tsquery and ts_rank_cd. The
// window is the newest by creation: the planner walks the creation index backwards for a common
// word and takes the GIN bitmap for a rare one (both bounded by the window).
// The rank is computed outside the window's LIMIT: inside, PostgreSQL ranked every match of a
// common word before its sort kept the window (47 -> 32 ms for a word in 5,000 videos).
inline constexpr const char* kPostgresWindow =
    "SELECT m.id, m.popularity, m.created, ts_rank_cd(setweight(m.st, 'A') || setweight(m.sb, 'B'), m.tq) AS score "
    "FROM (SELECT {id} AS id, {win_popularity} AS popularity, {created} AS created, {alias}.search_title AS st, "
    "{alias}.search_body AS sb, q.tq FROM {table} CROSS JOIN (SELECT websearch_to_tsquery('wp_search', :q) AS tq) q "
    "WHERE ({alias}.search_title @@ q.tq OR {alias}.search_body @@ q.tq){where} ORDER BY {created} DESC, {id} "
    "LIMIT :win) m";
// Set LOCAL in the one transaction of a search or a suggestion (set_config(..., true): both in one
// round trip). The planner prices a tsvector match like any cheap operator, so for a word in 3-5 %
// of the rows it walked the creation index backwards and matched some 30,000 rows (25-45 ms) where
// the GIN bitmap and a sort of the few thousand matches take 8-12. At this price it takes the
// bitmap there and still walks the index for common words (80 % of the rows: 2 ms, against 130 for
// the bitmap). Without the second setting, that price made it split the walk over parallel workers
// (90 ms on two cores). Measured in bench/search.md.
inline constexpr const char* kPostgresPlannerCosts =
    "SELECT set_config('cpu_operator_cost', '0.05', true), set_config('max_parallel_workers_per_gather', '0', true)";
inline constexpr const char* kPostgresUserNames =
    " AND (u.search_title @@ q.tq OR NOT {private})";
inline constexpr const char* kPostgresPage =
    "WITH w AS MATERIALIZED ({window}), shown AS MATERIALIZED (SELECT * FROM w{order} LIMIT :lim OFFSET :off) "
    "SELECT {id}, {title}, ts_headline('wp_search', {title}, q.tq, 'HighlightAll=TRUE, StartSel=\u27E6, "
    "StopSel=\u27E7'), {body_marked}, {status}, {popularity}, {created}, shown.score, (SELECT COUNT(*) FROM w) "
    "FROM shown JOIN {table} ON {id} = shown.id CROSS JOIN (SELECT websearch_to_tsquery('wp_search', :q2) AS tq) q"
    "{shown_order}";
inline constexpr const char* kPostgresHeadline =
    "ts_headline('wp_search', {body}, q.tq, 'StartSel=\u27E6, StopSel=\u27E7, MaxWords=20, MinWords=6')";

// The orders, over the window's columns ({w}: "" in the window, "shown." outside).
inline constexpr const char* kOrderRelevance = " ORDER BY {w}score DESC, {w}id";
inline constexpr const char* kOrderNewest = " ORDER BY {w}created DESC, {w}id";
inline constexpr const char* kOrderPopular = " ORDER BY {w}popularity DESC, {w}id";
// The count when a page past the first came back empty.
inline constexpr const char* kWindowCount = "SELECT COUNT(*) FROM ({window}) c";

// ---- autocomplete: title prefixes (usernames for users)
// Newest first, in the index's own order: a short prefix matches a large part of the corpus,
// and ranking all of it is what made autocomplete slow (bench/search.md). SQLite reads the
// titles' own FTS5 tables, whose prefix indexes (2 to 8 letters) iterate in rowid order without
// merging every term of the prefix; PostgreSQL lets the planner choose between the creation
// index (a common prefix) and the GIN bitmap (a rare one).
inline constexpr const char* kSqliteSuggest =
    "SELECT {id}, {title} FROM {titles} JOIN {table} ON {alias}.rowid = {titles}.rowid WHERE {titles} MATCH :q"
    "{visible} ORDER BY {titles}.rowid DESC LIMIT :lim";
inline constexpr const char* kPostgresSuggest =
    "SELECT {id}, {title} FROM {table} WHERE {alias}.search_title @@ to_tsquery('wp_search', :q){visible} "
    "ORDER BY {created} DESC, {id} LIMIT :lim";

// ---- "did you mean": the vocabulary of indexed terms
// SQLite: the terms of each kind, kept in memory by the store and read again when the kind's
// version (migration 0031: triggers move it on every write of indexed text) has moved.
inline constexpr const char* kSqliteVocabVersions = "SELECT kind, version FROM search_vocab_versions";
struct VocabSql {
  const char* kind;
  const char* terms;
};
inline const VocabSql kSqliteVocab[] = {
    {"video", "SELECT term FROM search_videos_vocab"}, {"party", "SELECT term FROM search_parties_vocab"},
    {"user", "SELECT term FROM search_users_vocab"},   {"group", "SELECT term FROM search_groups_vocab"},
    {"event", "SELECT term FROM search_events_vocab"}};
inline constexpr const char* kPostgresTermKnown = "SELECT COUNT(*) FROM search_terms WHERE term = :t1";
inline constexpr const char* kPostgresClosestTerms =
    "SELECT term FROM search_terms WHERE term % :t1 ORDER BY similarity(term, :t2) DESC, term LIMIT 5";

// ---- the log
inline constexpr const char* kInsertQuery =
    "INSERT INTO search_queries (id, user_id, session_key, query, search_type, filters, results_count, "
    "corrected_query, latency_ms, created_at) VALUES (:id, :u, :sk, :q, :ty, :f, :n, :cq, :lat, :ca)";
inline constexpr const char* kInsertResult =
    "INSERT INTO search_results (id, query_id, position, object_type, object_id) VALUES (:id, :qid, :pos, :ot, :oi)";
// A click counts once, on a result that query showed, by whoever asked it.
inline constexpr const char* kClick =
    "UPDATE search_results SET clicked_at = :t WHERE query_id = :qid AND object_type = :ot AND object_id = :oi AND "
    "clicked_at IS NULL AND EXISTS (SELECT 1 FROM search_queries q WHERE q.id = :qid2 AND ((q.user_id IS NULL AND "
    "q.session_key = :sk) OR q.user_id = :u))";
inline constexpr const char* kRecent =
    "SELECT query, search_type, MAX(created_at) AS last_at FROM search_queries WHERE user_id = :u GROUP BY query, "
    "search_type ORDER BY last_at DESC LIMIT :lim";
inline constexpr const char* kClearRecent = "DELETE FROM search_queries WHERE user_id = :u";
inline constexpr const char* kPurgeQueries = "DELETE FROM search_queries WHERE created_at < :before";
inline constexpr const char* kStatsTotals =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN results_count > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN "
    "EXISTS (SELECT 1 FROM search_results r WHERE r.query_id = q.id AND r.clicked_at IS NOT NULL) THEN 1 ELSE 0 "
    "END), 0) FROM search_queries q WHERE q.created_at >= :since";
inline constexpr const char* kStatsTop =
    "SELECT LOWER(q.query), COUNT(*), COALESCE(SUM((SELECT COUNT(*) FROM search_results r WHERE r.query_id = q.id "
    "AND r.clicked_at IS NOT NULL)), 0) FROM search_queries q WHERE q.created_at >= :since{zero} GROUP BY "
    "LOWER(q.query) ORDER BY COUNT(*) DESC, LOWER(q.query) LIMIT :lim";
inline constexpr const char* kOnlyZero = " AND q.results_count = 0";

// ---- saved searches
inline const db::Columns<SavedSearchRow> kSaved{
    {"s.id", &SavedSearchRow::id},
    {"s.user_id", &SavedSearchRow::user_id},
    {"s.name", &SavedSearchRow::name},
    {"s.query", &SavedSearchRow::query},
    {"s.search_type", &SavedSearchRow::search_type},
    {"s.filters", &SavedSearchRow::filters},
    {"s.alert", &SavedSearchRow::alert},
    {"s.last_alert_at", &SavedSearchRow::last_alert_at},
    {"s.checked_until", &SavedSearchRow::checked_until},
    {"s.created_at", &SavedSearchRow::created_at},
    {"s.updated_at", &SavedSearchRow::updated_at},
};
inline const db::Columns<SavedSearchRow> kDueSaved{
    {"s.id", &SavedSearchRow::id},
    {"s.user_id", &SavedSearchRow::user_id},
    {"s.name", &SavedSearchRow::name},
    {"s.query", &SavedSearchRow::query},
    {"s.search_type", &SavedSearchRow::search_type},
    {"s.filters", &SavedSearchRow::filters},
    {"s.checked_until", &SavedSearchRow::checked_until},
    {"(u.is_staff OR u.is_superuser)", &SavedSearchRow::owner_is_staff},
};
inline constexpr const char* kSavedOf = "FROM saved_searches s WHERE s.user_id = :u ORDER BY s.created_at DESC, s.id";
inline constexpr const char* kSavedById = "FROM saved_searches s WHERE s.id = :id";
inline constexpr const char* kCountSavedOf = "SELECT COUNT(*) FROM saved_searches WHERE user_id = :u";
inline constexpr const char* kInsertSaved =
    "INSERT INTO saved_searches (id, user_id, name, query, search_type, filters, alert, checked_until, created_at, "
    "updated_at) VALUES (:id, :u, :n, :q, :t, :f, :a, :cu, :ca, :ua)";
inline constexpr const char* kUpdateSaved =
    "UPDATE saved_searches SET name = :n, alert = :a, updated_at = :ua WHERE id = :id";
inline constexpr const char* kDeleteSaved = "DELETE FROM saved_searches WHERE id = :id";
// Alerts due: on, the owner active, and none sent within the day.
inline constexpr const char* kDueAlerts =
    "FROM saved_searches s JOIN users u ON u.id = s.user_id WHERE s.alert = TRUE AND u.is_active = TRUE AND "
    "(s.last_alert_at IS NULL OR s.last_alert_at <= :cutoff) ORDER BY s.checked_until, s.id LIMIT :lim";
// Whoever sets last_alert_at sends the alert: at most one per day, whatever the number of workers.
inline constexpr const char* kClaimAlert =
    "UPDATE saved_searches SET last_alert_at = :now, checked_until = :now2 WHERE id = :id AND alert = TRUE AND "
    "(last_alert_at IS NULL OR last_alert_at <= :cutoff)";
inline constexpr const char* kSetChecked =
    "UPDATE saved_searches SET checked_until = :now WHERE id = :id AND checked_until < :now2";

}  // namespace wp::search::sql
