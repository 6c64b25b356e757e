// Account rules on a real SQLite database: refresh-token rotation and reuse.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/rate_limiter.hpp"
#include "core/clock.hpp"
#include "modules/accounts/service.hpp"
#include "modules/accounts/totp.hpp"
#include "support/error_code.hpp"
#include "support/temp_db.hpp"

namespace {

using namespace wp;
using testkit::error_code_of;
using accounts::AccountsService;

struct NoMail : Mailer {
  std::vector<Mail> sent;
  void send(const Mail& m) override { sent.push_back(m); }
};

struct AccountsFixture : ::testing::Test {
  testkit::TempDatabase tmp;
  NoMail mail;
  MemoryRateLimiter limiter;
  std::unique_ptr<accounts::Store> store;
  std::unique_ptr<AccountsService> service;
  std::vector<AccountsService::Revocation> revoked;

  void start(int reuse_grace_s) {
    tmp.config.refresh_reuse_grace_s = reuse_grace_s;
    store = std::make_unique<accounts::Store>(*tmp.db);
    service = std::make_unique<AccountsService>(*store, tmp.config, mail, limiter);
    service->on_sessions_revoked([this](const AccountsService::Revocation& r) { revoked.push_back(r); });
  }
  accounts::TokenPair register_ann() {
    return service->register_user({"ann", "ann@example.com", "correct horse battery", "Ann", "Lee"},
                                  {"127.0.0.1", "unit"});
  }
};

TEST_F(AccountsFixture, RefreshRotatesTheTokenAndKeepsTheSession) {
  start(10);
  auto first = register_ann();
  auto second = service->refresh(first.refresh_token);
  EXPECT_NE(second.refresh_token, first.refresh_token);
  auto third = service->refresh(second.refresh_token);
  EXPECT_NE(third.refresh_token, second.refresh_token);
  auto who = service->authenticate(third.access_token);
  EXPECT_EQ(who.username, "ann");
  EXPECT_EQ(who.session_id, service->authenticate(first.access_token).session_id);
}

TEST_F(AccountsFixture, AReplayWithinTheGraceIsAConflictAndTheSessionLives) {
  start(10);
  auto first = register_ann();
  auto second = service->refresh(first.refresh_token);
  EXPECT_EQ(error_code_of([&] { service->refresh(first.refresh_token); }), ErrorCode::conflict);
  EXPECT_TRUE(revoked.empty());
  EXPECT_NO_THROW(service->refresh(second.refresh_token));
}

TEST_F(AccountsFixture, AReplayAfterTheGraceRevokesTheSession) {
  start(0);
  auto first = register_ann();
  auto second = service->refresh(first.refresh_token);
  auto session = service->authenticate(second.access_token).session_id;
  EXPECT_EQ(error_code_of([&] { service->refresh(first.refresh_token); }), ErrorCode::authentication);
  ASSERT_EQ(revoked.size(), 1u);
  EXPECT_EQ(revoked[0].only_session, session);
  // The thief's newest token and the access token die with the session.
  EXPECT_EQ(error_code_of([&] { service->refresh(second.refresh_token); }), ErrorCode::authentication);
  EXPECT_EQ(error_code_of([&] { service->authenticate(second.access_token); }), ErrorCode::authentication);
}

// authenticate() remembers the tokens it verified: only the very same bytes are accepted without a check.
TEST_F(AccountsFixture, ATokenChangedInOneByteIsRefusedAfterTheRealOneWasAccepted) {
  start(10);
  auto t = register_ann();
  EXPECT_EQ(service->authenticate(t.access_token).username, "ann");
  EXPECT_EQ(service->authenticate(t.access_token).username, "ann");  // the remembered one
  for (std::size_t at : {std::size_t{0}, t.access_token.size() / 2, t.access_token.size() - 1}) {
    auto forged = t.access_token;
    forged[at] = forged[at] == 'A' ? 'B' : 'A';
    EXPECT_EQ(error_code_of([&] { service->authenticate(forged); }), ErrorCode::authentication) << at;
  }
  EXPECT_EQ(error_code_of([&] { service->authenticate(t.access_token + "x"); }), ErrorCode::authentication);
}

TEST_F(AccountsFixture, UnknownAndLoggedOutTokensAreRefused) {
  start(10);
  EXPECT_EQ(error_code_of([&] { service->refresh("not-a-token"); }), ErrorCode::authentication);
  auto t = register_ann();
  service->logout(service->authenticate(t.access_token));
  EXPECT_EQ(error_code_of([&] { service->refresh(t.refresh_token); }), ErrorCode::authentication);
}

TEST_F(AccountsFixture, EachLoginIsASessionOfItsOwn) {
  start(10);
  register_ann();
  auto a = service->login("ann", "correct horse battery", {"127.0.0.1", "a"});
  auto b = service->login("ann@example.com", "correct horse battery", {"127.0.0.1", "b"});
  ASSERT_TRUE(a.tokens && b.tokens);
  EXPECT_NE(service->authenticate(a.tokens->access_token).session_id,
            service->authenticate(b.tokens->access_token).session_id);
  auto who = service->authenticate(b.tokens->access_token);
  EXPECT_EQ(service->revoke_all_sessions(who, true), 2);  // the registration's and a's
  EXPECT_EQ(error_code_of([&] { service->authenticate(a.tokens->access_token); }), ErrorCode::authentication);
  EXPECT_NO_THROW(service->authenticate(b.tokens->access_token));
}

TEST_F(AccountsFixture, LoginHistoryNamesEachOutcome) {
  start(10);
  auto id = service->authenticate(register_ann().access_token).id;
  EXPECT_EQ(error_code_of([&] { service->login("ann", "wrong password", {"127.0.0.1", "x"}); }), ErrorCode::authentication);
  ASSERT_TRUE(service->login("ann", "correct horse battery", {"127.0.0.1", "x"}).tokens);
  long long count = 0;
  auto rows = service->login_history(id, 10, 0, count);
  ASSERT_EQ(count, 3);
  // Within one millisecond the order is open: compare as a set.
  std::set<std::pair<accounts::LoginReason, bool>> seen;
  for (auto& r : rows) seen.emplace(r.reason, r.success);
  std::set<std::pair<accounts::LoginReason, bool>> expected{{accounts::LoginReason::registered, true},
                                                            {accounts::LoginReason::bad_password, false},
                                                            {accounts::LoginReason::ok, true}};
  EXPECT_EQ(seen, expected);
}

TEST_F(AccountsFixture, AResetTokenIsNotAVerificationToken) {
  start(10);
  auto first = register_ann();
  service->forgot_password("ann@example.com", {"127.0.0.1", "x"});
  ASSERT_FALSE(mail.sent.empty());
  const auto& body = mail.sent.back().body;
  auto at = body.find("Token: ");
  ASSERT_NE(at, std::string::npos);
  auto token = body.substr(at + 7, body.find('\n', at) - at - 7);
  EXPECT_EQ(error_code_of([&] { service->verify_email(token); }), ErrorCode::validation);
  EXPECT_NO_THROW(service->reset_password(token, "another long pass phrase"));
  EXPECT_EQ(error_code_of([&] { service->refresh(first.refresh_token); }), ErrorCode::authentication);
  EXPECT_EQ(error_code_of([&] { service->reset_password(token, "yet another pass phrase"); }), ErrorCode::validation);
}

// The token of a mail the service sent (its "Token: " line).
std::string token_in(const Mail& m) {
  auto at = m.body.find("Token: ");
  if (at == std::string::npos) return {};
  return m.body.substr(at + 7, m.body.find('\n', at) - at - 7);
}

TEST_F(AccountsFixture, AChangedEmailIsSetOnlyWhenTheNewAddressConfirmsIt) {
  start(10);
  auto who = service->authenticate(register_ann().access_token);
  mail.sent.clear();
  service->request_email_change(who, "Ann.New@Example.com", "correct horse battery");
  ASSERT_EQ(mail.sent.size(), 2u);
  EXPECT_EQ(mail.sent[0].to, "Ann.New@example.com");
  EXPECT_EQ(mail.sent[1].to, "ann@example.com");  // the notice to the old address carries no token
  EXPECT_EQ(token_in(mail.sent[1]), "");
  auto token = token_in(mail.sent[0]);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(service->me(who.id).email, "ann@example.com");  // nothing changes before the confirmation

  service->verify_email(token);
  auto after = service->me(who.id);
  EXPECT_EQ(after.email, "Ann.New@example.com");
  EXPECT_TRUE(after.email_verified);
  EXPECT_EQ(error_code_of([&] { service->verify_email(token); }), ErrorCode::validation);  // single use
  // The login by email follows the address.
  EXPECT_TRUE(service->login("ann.new@example.com", "correct horse battery", {"127.0.0.1", "x"}).tokens);
  EXPECT_EQ(error_code_of([&] { service->login("ann@example.com", "correct horse battery", {"127.0.0.1", "x"}); }),
            ErrorCode::authentication);
}

TEST_F(AccountsFixture, AnEmailChangeNeedsThePasswordAndAFreeAddress) {
  start(10);
  auto who = service->authenticate(register_ann().access_token);
  service->register_user({"bob", "bob@example.com", "correct horse battery", "", ""}, {"127.0.0.1", "unit"});
  mail.sent.clear();
  try {
    service->request_email_change(who, "fresh@example.com", "wrong password");
    FAIL() << "a wrong password was taken";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    EXPECT_TRUE(e.fields().count("password"));
  }
  try {
    service->request_email_change(who, "BOB@example.com", "correct horse battery");
    FAIL() << "a taken address was taken";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_TRUE(e.fields().count("new_email"));
  }
  EXPECT_EQ(error_code_of([&] { service->request_email_change(who, "ANN@example.com", "correct horse battery"); }),
            ErrorCode::validation);
  EXPECT_TRUE(mail.sent.empty());
}

TEST_F(AccountsFixture, AnAddressTakenBeforeTheConfirmationIsAConflictAndOnlyTheNewestLinkWorks) {
  start(10);
  auto who = service->authenticate(register_ann().access_token);
  mail.sent.clear();
  service->request_email_change(who, "first@example.com", "correct horse battery");
  auto older = token_in(mail.sent[0]);
  service->request_email_change(who, "second@example.com", "correct horse battery");
  auto newer = token_in(mail.sent[2]);
  EXPECT_EQ(error_code_of([&] { service->verify_email(older); }), ErrorCode::validation);
  service->register_user({"carl", "second@example.com", "correct horse battery", "", ""}, {"127.0.0.1", "unit"});
  EXPECT_EQ(error_code_of([&] { service->verify_email(newer); }), ErrorCode::conflict);
  EXPECT_EQ(service->me(who.id).email, "ann@example.com");
}

TEST_F(AccountsFixture, TheProfileReadSaysWhether2faIsOnAndRefusesAnUnknownUser) {
  start(10);
  auto ann = service->authenticate(register_ann().access_token);
  auto [user, on] = service->me_with_two_factor(ann.id);
  EXPECT_EQ(user.username, "ann");
  EXPECT_FALSE(on);
  auto setup = service->two_factor_setup(ann.id);
  EXPECT_FALSE(service->me_with_two_factor(ann.id).second);  // set up, not yet confirmed
  service->two_factor_verify(ann.id, accounts::totp_code(setup.secret, now_ms() / 1000));
  EXPECT_TRUE(service->me_with_two_factor(ann.id).second);
  EXPECT_EQ(service->me_with_two_factor(ann.id).second, service->two_factor_enabled(ann.id));
  EXPECT_EQ(error_code_of([&] { service->me_with_two_factor("00000000-0000-0000-0000-000000000000"); }),
            ErrorCode::not_found);
}

}  // namespace

// authenticate() keeps a session it read for session_cache_ms: a revocation made
// behind its back (another node's, here the store's) shows only once the node is
// told (the hub signal calls forget_sessions_of), or after that time.
// On SQLite the profile read is kept; each change of what it shows drops it.
TEST_F(AccountsFixture, TheKeptProfileIsDroppedByEveryChangeItShows) {
  start(10);
  auto who = service->authenticate(register_ann().access_token);
  EXPECT_FALSE(service->me_with_two_factor_from_memory(who.id));
  auto kept_after_a_read = [&] {
    service->me_with_two_factor(who.id);
    return service->me_with_two_factor_from_memory(who.id);
  };
  auto kept = kept_after_a_read();
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->first.first_name, "Ann");
  EXPECT_TRUE(kept->first.password_hash.empty()) << "the hash is not kept in memory";

  auto dropped_by = [&](const char* change, const std::function<void()>& act) {
    ASSERT_TRUE(kept_after_a_read()) << change;
    act();
    EXPECT_FALSE(service->me_with_two_factor_from_memory(who.id)) << change;
  };
  dropped_by("names", [&] { service->update_me(who.id, "Annie", std::nullopt, std::nullopt); });
  EXPECT_EQ(kept_after_a_read()->first.first_name, "Annie");
  dropped_by("a login (last_login)", [&] { service->login("ann", "correct horse battery", {"127.0.0.1", "x"}); });
  std::vector<std::string> recovery;
  dropped_by("2FA on", [&] {
    auto secret = service->two_factor_setup(who.id).secret;
    recovery = service->two_factor_verify(who.id, accounts::totp_code(secret, now_ms() / 1000));
  });
  EXPECT_TRUE(kept_after_a_read()->second);
  ASSERT_FALSE(recovery.empty());
  dropped_by("2FA off", [&] { service->two_factor_disable(who.id, recovery[0], "correct horse battery"); });
  EXPECT_FALSE(kept_after_a_read()->second);
  mail.sent.clear();
  service->request_email_change(who, "ann.new@example.com", "correct horse battery");
  ASSERT_FALSE(mail.sent.empty());
  dropped_by("an email change", [&] { service->verify_email(token_in(mail.sent[0])); });
  EXPECT_EQ(kept_after_a_read()->first.email, "ann.new@example.com");
  dropped_by("a deactivation", [&] { service->set_active_by_username("ann", false); });
}

TEST_F(AccountsFixture, WithoutACacheAgeNothingIsKept) {
  tmp.config.session_cache_ms = 0;
  start(10);
  auto who = service->authenticate(register_ann().access_token);
  service->me_with_two_factor(who.id);
  EXPECT_FALSE(service->me_with_two_factor_from_memory(who.id));
}

// The I/O thread's authentication answers only from a token and a session seen
// lately, and otherwise leaves the request to the pool.
TEST_F(AccountsFixture, AuthenticationFromMemoryNeedsATokenAndASessionSeenLately) {
  start(10);
  auto t = register_ann();
  auto other = service->login("ann", "correct horse battery", {"127.0.0.1", "b"});
  ASSERT_TRUE(other.tokens);
  EXPECT_FALSE(service->authenticate_from_memory(t.access_token)) << "never verified on this node";
  auto who = service->authenticate(t.access_token);
  auto again = service->authenticate_from_memory(t.access_token);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, who.id);
  EXPECT_EQ(again->session_id, who.session_id);
  auto forged = t.access_token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(service->authenticate_from_memory(forged));
  EXPECT_EQ(error_code_of([&] { service->authenticate(forged); }), ErrorCode::authentication);
  service->logout(who);
  EXPECT_FALSE(service->authenticate_from_memory(t.access_token)) << "a logout drops the kept session";
  EXPECT_EQ(error_code_of([&] { service->authenticate(t.access_token); }), ErrorCode::authentication);
}

TEST_F(AccountsFixture, AKeptSessionIsForgottenWhenAnotherNodeRevokesIt) {
  tmp.config.session_cache_ms = 60'000;
  start(10);
  auto t = register_ann();
  auto who = service->authenticate(t.access_token);
  store->revoke_sessions(who.id, std::nullopt, accounts::RevokeReason::revoked_by_user, 1);
  EXPECT_NO_THROW(service->authenticate(t.access_token));
  service->forget_sessions_of(who.id);
  EXPECT_EQ(error_code_of([&] { service->authenticate(t.access_token); }), ErrorCode::authentication);
}

TEST_F(AccountsFixture, WithoutAKeptSessionEachRequestReadsIt) {
  tmp.config.session_cache_ms = 0;
  start(10);
  auto t = register_ann();
  auto who = service->authenticate(t.access_token);
  store->revoke_sessions(who.id, std::nullopt, accounts::RevokeReason::revoked_by_user, 1);
  EXPECT_EQ(error_code_of([&] { service->authenticate(t.access_token); }), ErrorCode::authentication);
}

TEST_F(AccountsFixture, ADeactivationOrALogoutHereRefusesAKeptSessionAtOnce) {
  tmp.config.session_cache_ms = 60'000;
  start(10);
  auto first = register_ann();
  auto second = service->login("ann", "correct horse battery", {"127.0.0.1", "b"});
  ASSERT_TRUE(second.tokens);
  service->logout(service->authenticate(first.access_token));
  EXPECT_EQ(error_code_of([&] { service->authenticate(first.access_token); }), ErrorCode::authentication);
  auto who = service->authenticate(second.tokens->access_token);
  service->set_active_by_username("ann", false);
  EXPECT_EQ(error_code_of([&] { service->authenticate(second.tokens->access_token); }), ErrorCode::authentication);
  EXPECT_EQ(revoked.back().user_id, who.id);
}
