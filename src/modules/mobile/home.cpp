#include "modules/mobile/home.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <set>

#include "core/error.hpp"

namespace wp::mobile {

namespace {

template <class T>
void bound(std::vector<T>& items, int limit) {
  auto n = static_cast<std::size_t>(std::max(limit, 0));
  if (items.size() > n) items.resize(n);
}

// Runs one section's source. A source that is unavailable (503: the database
// busy or gone) leaves its section empty and named; anything else fails the screen.
class Sections {
 public:
  Sections(const Principal& user, Home& out) : user_(user), out_(out) {}

  template <class Fn, class Into>
  void fill(const char* name, const Fn& source, Into&& into) {
    if (!source) return;
    ++asked_;
    try {
      into(source);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::unavailable) throw;
      spdlog::warn("mobile home: {} unavailable for {}: {}", name, user_.id, e.what());
      out_.unavailable.emplace_back(name);
      if (!first_failure_) first_failure_ = e;
    }
  }

  // Every section asked failed: the screen is unavailable too.
  void check() const {
    if (asked_ > 0 && first_failure_ && out_.unavailable.size() == asked_) throw *first_failure_;
  }

 private:
  const Principal& user_;
  Home& out_;
  std::size_t asked_ = 0;
  std::optional<Error> first_failure_;
};

// The recommender's picks without what the screen already shows (a video to
// resume, a live party above); when it has none for the user (a new user, or
// before its first round), the popular videos instead.
void fill_recommendations(const HomeSources& sources, int limit, const Principal& user, Sections& sections,
                          Home& out) {
  std::set<std::string> shown;
  for (auto& r : out.continue_watching) shown.insert("video:" + r.video.id);
  for (auto& p : out.live_parties) shown.insert("party:" + p.id);
  auto fresh = [&](const std::string& type, const std::string& id) { return !shown.contains(type + ":" + id); };
  auto room = [&] { return static_cast<int>(out.recommendations.size()) < limit; };
  sections.fill("recommendations", sources.recommendations, [&](auto& f) {
    for (auto& r : f(user))
      if (room() && fresh(r.type, r.id)) out.recommendations.push_back(std::move(r));
  });
  if (!out.recommendations.empty() || !sources.popular_videos) return;
  out.recommendations_source = RecommendationSource::popular;
  sections.fill("popular_videos", sources.popular_videos, [&](auto& f) {
    for (auto& v : f(user, limit + static_cast<int>(out.continue_watching.size())))
      if (room() && fresh("video", v.id)) out.recommendations.push_back({"video", v.id, v.title, "Popular now"});
  });
}

}  // namespace

bool resumable(const HomeResume& r) {
  if (r.position_s <= 0 || !r.video.duration || *r.video.duration <= 0) return false;
  return r.position_s < kFinishedShare * *r.video.duration;
}

Home HomeService::home(const Principal& user) const {
  Home out;
  Sections sections(user, out);
  const auto& s = sources_;
  const auto& l = limits_;
  sections.fill("live_parties", s.live_parties, [&](auto& f) {
    out.live_parties = f(user, l.live_parties);
    bound(out.live_parties, l.live_parties);
  });
  sections.fill("upcoming_events", s.upcoming_events, [&](auto& f) {
    out.upcoming_events = f(user, l.upcoming_events);
    bound(out.upcoming_events, l.upcoming_events);
  });
  sections.fill("continue_watching", s.continue_watching, [&](auto& f) {
    out.continue_watching = f(user, l.continue_watching);
    std::erase_if(out.continue_watching, [](const HomeResume& r) { return !resumable(r); });
    bound(out.continue_watching, l.continue_watching);
  });
  fill_recommendations(s, l.recommendations, user, sections, out);
  sections.fill("unread_notifications", s.unread_notifications,
                [&](auto& f) { out.unread_notifications = f(user); });
  sections.fill("unread_messages", s.unread_messages, [&](auto& f) { out.unread_messages = f(user); });
  sections.fill("announcements", s.announcements, [&](auto& f) {
    out.announcements = f(user);
    bound(out.announcements, l.announcements);
  });
  sections.check();
  return out;
}

}  // namespace wp::mobile
