// AccountsService and moderation (#19): the login gate of suspensions and
// bans, ending a user's sessions, and users' bios in the moderation queue.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "modules/accounts/service.hpp"

namespace wp::accounts {

namespace {
constexpr std::int64_t kAppealTokenTtlMs = 24LL * 3600 * 1000;  // a day to write an appeal
}

void AccountsService::check_login_gate(const UserRow& user, const std::string& tried, const ClientInfo& client) {
  if (!login_gate_) return;
  // Asked only after the password was right: the refusal names no account to a guesser.
  if (auto why = login_gate_(user.id)) {
    record(user, tried, false, LoginReason::restricted, client);
    std::string appeal_token = crypto::random_token();
    auto now = now_ms();
    store_.create_token({crypto::sha256_hex(appeal_token), user.id, TokenPurpose::appeal, now, now + kAppealTokenTtlMs},
                        true);  // the newest refusal's token is the one that works
    throw Error(ErrorCode::forbidden, *why).with_detail("appeal_token", appeal_token);
  }
}

std::optional<Principal> AccountsService::appeal_principal(const std::string& appeal_token) {
  if (appeal_token.empty()) return std::nullopt;
  auto owner = store_.token_owner(crypto::sha256_hex(appeal_token), TokenPurpose::appeal, now_ms());
  if (!owner) return std::nullopt;
  auto user = store_.user_by_id(*owner);
  if (!user) return std::nullopt;
  return Principal{user->id, user->username};
}

void AccountsService::end_all_sessions(const std::string& user_id) {
  store_.revoke_sessions(user_id, std::nullopt, RevokeReason::moderation, now_ms());
  sessions_revoked({user_id, std::nullopt, std::nullopt});
}

std::optional<ContentView> AccountsService::moderation_view(const std::string& user_id) {
  auto u = store_.user_by_id(user_id);
  if (!u) return std::nullopt;
  auto p = store_.profile(user_id);
  ContentView v;
  v.author_id = u->id;
  v.text = p ? p->bio : "";
  v.context = "user " + u->username;
  v.removed = !u->is_active;
  v.staff = u->is_staff || u->is_superuser;
  return v;
}

std::optional<std::string> AccountsService::hide_bio(const std::string& user_id) {
  auto p = store_.profile(user_id);
  if (!p || p->bio.empty()) return std::nullopt;
  auto bio = p->bio;
  p->bio.clear();
  store_.update_profile(*p);
  return bio;
}

bool AccountsService::restore_bio(const std::string& user_id, const std::string& bio) {
  auto p = store_.profile(user_id);
  if (!p) return false;
  p->bio = bio;
  store_.update_profile(*p);
  return true;
}

void AccountsService::filter_by_plan(const std::string& plan, UserFilter& filter) {
  check_plan_segment(plans_, true, plan);
  const auto paying = plans_ ? plans_->paying_users() : std::map<std::string, std::string>{};
  if (plan == kFreePlan) {
    for (auto& [user, _] : paying) filter.except_ids.push_back(user);
    return;
  }
  std::vector<std::string> ids;
  for (auto& [user, p] : paying)
    if (p == plan && (!filter.only_ids || std::ranges::count(*filter.only_ids, user))) ids.push_back(user);
  filter.only_ids = std::move(ids);
}

std::vector<std::string> AccountsService::user_ids_in_standing(const std::string& state) {
  if (!standing_ids_) return {};
  return standing_ids_(state);
}

}  // namespace wp::accounts
