#include "modules/groups/service.hpp"

#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "core/filetype.hpp"
#include "core/ids.hpp"
#include "core/validators.hpp"
#include "modules/groups/policy.hpp"

namespace wp::groups {

namespace {

constexpr std::size_t kAvatarMaxBytes = 2 * 1024 * 1024;

std::string image_extension(const std::string& bytes) {
  auto mime = sniff_mime_type(bytes);
  return mime == "image/png" ? "png" : mime == "image/jpeg" ? "jpg" : mime == "image/gif" ? "gif"
       : mime == "image/webp" ? "webp" : "";
}

}  // namespace

GroupsService::GroupsService(Store& store, Relations& relations, UserChannel& channel, const Config& config)
    : store_(store), relations_(relations), channel_(channel), avatar_dir_(config.data_dir + "/group_avatars") {
  std::filesystem::create_directories(avatar_dir_);
}

// ---- who may do what ----

GroupRow GroupsService::existing(const std::string& id) {
  auto g = store_.group(id);
  if (!g) throw_not_found("Group not found.");
  return *g;
}

std::optional<MembershipRow> GroupsService::require(const Principal& user, const GroupRow& group, Permission p) {
  if (user.staff()) return std::nullopt;
  auto me = store_.membership(group.id, user.id);
  if (!me || !me->active()) throw_forbidden("You are not a member of this group.");
  if (!holds(*me, parse_settings(group.settings), p))
    throw_forbidden("You do not have the " + std::string(to_string(p)) + " permission in this group.");
  return me;
}

void GroupsService::require_admin(const Principal& user, const GroupRow& group) {
  if (user.staff()) return;
  auto me = store_.membership(group.id, user.id);
  if (!me || !me->active() || me->role != GroupRole::admin) throw_forbidden("Only an admin of the group may do that.");
}

void GroupsService::check_name_free(const std::string& name, const std::string& except_id) {
  if (store_.name_taken(validators::lower(name), except_id))
    throw Error(ErrorCode::conflict, "A group with this name already exists.",
                {{"name", {"A group with this name already exists."}}});
}

// ---- groups ----

GroupRow GroupsService::create(const Principal& user, const CreateInput& in) {
  check_name_free(in.name, "");
  auto now = now_ms();
  GroupRow g;
  g.id = new_uuid();
  g.name = in.name;
  g.description = in.description;
  g.category = in.category;
  g.is_private = in.is_private;
  g.settings = merge_settings("{}", in.settings.value_or(boost::json::object{}));
  g.creator_id = user.id;
  g.member_count = 1;
  g.created_at = g.updated_at = now;
  MembershipRow admin{new_uuid(), g.id, user.id, user.username, GroupRole::admin, MemberStatus::active, "{}",
                      std::nullopt, now, now};
  try {
    store_.create_group(g, admin);
  } catch (const Error& e) {
    // Two creations of one name at once: the unique index decides.
    if (e.code() == ErrorCode::conflict) check_name_free(in.name, "");
    throw;
  }
  return g;
}

GroupView GroupsService::get(const Principal& user, const std::string& id) {
  return {existing(id), store_.membership(id, user.id)};
}

std::vector<GroupRow> GroupsService::list(const Principal& user, const GroupFilter& f, int limit, int offset,
                                          long long& count) {
  count = store_.count_groups(f, user.id);
  return store_.groups(f, user.id, limit, offset);
}

GroupRow GroupsService::update(const Principal& user, const std::string& id, const PatchInput& in) {
  auto g = existing(id);
  require_admin(user, g);
  if (in.name && validators::lower(*in.name) != validators::lower(g.name)) check_name_free(*in.name, id);
  if (in.name) g.name = *in.name;
  if (in.description) g.description = *in.description;
  if (in.category) g.category = *in.category;
  if (in.is_private) g.is_private = *in.is_private;
  if (in.settings) g.settings = merge_settings(g.settings, *in.settings);
  g.updated_at = now_ms();
  try {
    store_.update_group(g);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::conflict && in.name) check_name_free(*in.name, id);
    throw;
  }
  return existing(id);
}

void GroupsService::remove(const Principal& user, const std::string& id) {
  auto g = existing(id);
  require_admin(user, g);
  store_.delete_group(id);
  if (!g.avatar.empty()) {
    std::error_code ec;
    std::filesystem::remove(avatar_dir_ + "/" + g.avatar, ec);
  }
}

GroupRow GroupsService::set_avatar(const Principal& user, const std::string& id, const std::string& bytes) {
  auto g = existing(id);
  require_admin(user, g);
  if (bytes.size() > kAvatarMaxBytes) throw Error(ErrorCode::payload_too_large, "The avatar must be at most 2 MiB.");
  auto ext = image_extension(bytes);
  if (ext.empty()) throw Error(ErrorCode::unsupported_media, "The avatar must be a PNG, JPEG, GIF or WebP image.");
  std::string name = id + "-" + random_hex(4) + "." + ext;
  std::string tmp = avatar_dir_ + "/." + name + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write group avatar file");
  }
  std::filesystem::rename(tmp, avatar_dir_ + "/" + name);
  store_.set_avatar(id, name, now_ms());
  if (!g.avatar.empty()) {
    std::error_code ec;
    std::filesystem::remove(avatar_dir_ + "/" + g.avatar, ec);
  }
  return existing(id);
}

std::optional<std::string> GroupsService::avatar_path(const std::string& id) {
  auto g = store_.group(id);
  if (!g || g->avatar.empty()) return std::nullopt;
  return avatar_dir_ + "/" + g->avatar;
}

Standing GroupsService::standing(const std::string& group_id, const std::string& user_id) {
  auto g = store_.group(group_id);
  if (!g) return {};
  Standing s{.exists = true, .is_private = g->is_private};
  auto m = store_.membership(group_id, user_id);
  s.member = m && m->active();
  s.may_host = m && holds(*m, parse_settings(g->settings), Permission::host_parties);
  return s;
}

std::optional<ContentView> GroupsService::moderation_view(const std::string& id) {
  auto g = store_.group(id);
  if (!g) return std::nullopt;
  ContentView v;
  v.author_id = g->creator_id.value_or("");
  v.text = g->name + (g->description.empty() ? "" : "\n\n" + g->description);
  v.context = "group " + g->id;
  return v;
}

}  // namespace wp::groups
