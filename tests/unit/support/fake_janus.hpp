#pragma once
// A Janus in memory for the client's C++ tests: sessions and handles, the
// token store of the admin API, AudioBridge/VideoRoom rooms with their secret,
// allowed list and participants, answering with the shapes Janus 1.1 sends
// (checked against the real one by tests/janus/janus_rooms_test.cpp).
// `restart()` forgets everything, as a restarted Janus does.
#include <boost/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/http_post.hpp"

namespace wp::testkit {

class FakeJanus {
 public:
  static constexpr const char* kUrl = "http://janus.test/janus";
  static constexpr const char* kAdminUrl = "http://janus.test/admin";

  struct Room {
    std::string secret;
    std::set<std::string> allowed;
    std::set<std::uint64_t> participants;
    std::set<std::uint64_t> muted;  // AudioBridge: participants muted by a moderator (or by themselves)
  };

  HttpAnswer operator()(const HttpPost& post) {
    auto request = boost::json::parse(post.body).as_object();
    requests.push_back(request);
    std::string verb(request.at("janus").as_string());
    if (post.url == kAdminUrl) return admin(verb, request);
    std::string path = post.url.substr(std::string(kUrl).size());
    if (request.if_contains("apisecret") == nullptr || request.at("apisecret").as_string() != api_secret)
      return error(403, "Unauthorized request (wrong or missing secret/token)");
    std::vector<std::uint64_t> ids;
    for (std::size_t at = 0; at < path.size();) {
      auto next = path.find('/', at + 1);
      ids.push_back(std::stoull(path.substr(at + 1, next - at - 1)));
      at = next == std::string::npos ? path.size() : next;
    }
    if (ids.empty()) {
      if (verb != "create") return error(456, "bad");
      sessions.insert(next_id);
      return success(next_id++);
    }
    if (!sessions.contains(ids[0])) return error(458, "No such session");
    if (ids.size() == 1) {
      if (verb == "keepalive") return answer({{"janus", "ack"}});
      if (verb == "attach") {
        handles.emplace(next_id, request.at("plugin").as_string());
        return success(next_id++);
      }
      return error(456, "bad");
    }
    auto handle = handles.find(ids[1]);
    if (handle == handles.end()) return error(459, "No such handle");
    return plugin(handle->second, request.at("body").as_object());
  }

  void restart() {
    sessions.clear();
    handles.clear();
    rooms.clear();
    tokens.clear();
  }

  Room* room(const std::string& plugin, std::uint64_t id) {
    auto it = rooms.find({plugin, id});
    return it == rooms.end() ? nullptr : &it->second;
  }

  std::string api_secret = "api";
  std::string admin_secret = "admin";
  std::map<std::pair<std::string, std::uint64_t>, Room> rooms;  // (plugin package, room)
  std::map<std::string, boost::json::array> tokens;             // token -> allowed plugins
  std::vector<boost::json::object> requests;
  std::set<std::uint64_t> sessions;
  std::map<std::uint64_t, std::string> handles;  // handle -> plugin package

 private:
  static HttpAnswer answer(boost::json::object o) { return {200, boost::json::serialize(o), std::nullopt, ""}; }
  static HttpAnswer error(int code, const char* reason) {
    return answer({{"janus", "error"}, {"error", {{"code", code}, {"reason", reason}}}});
  }
  static HttpAnswer success(std::uint64_t id) { return answer({{"janus", "success"}, {"data", {{"id", id}}}}); }

  HttpAnswer admin(const std::string& verb, const boost::json::object& r) {
    if (r.at("admin_secret").as_string() != admin_secret) return error(403, "Unauthorized request");
    if (verb == "add_token") {
      tokens[std::string(r.at("token").as_string())] = r.at("plugins").as_array();
      return answer({{"janus", "success"}, {"data", {{"plugins", r.at("plugins")}}}});
    }
    if (verb == "remove_token") {
      if (tokens.erase(std::string(r.at("token").as_string())) == 0) return error(490, "Error removing token");
      return answer({{"janus", "success"}});
    }
    if (verb == "list_tokens") {
      boost::json::array list;
      for (auto& [t, plugins] : tokens) list.push_back(boost::json::object{{"token", t}, {"allowed_plugins", plugins}});
      return answer({{"janus", "success"}, {"data", {{"tokens", list}}}});
    }
    return error(456, "bad");
  }

  HttpAnswer plugin(const std::string& package, const boost::json::object& body) {
    bool audio = package == "janus.plugin.audiobridge";
    std::string key = audio ? "audiobridge" : "videoroom";
    auto fail = [&](int code, const char* what) {
      return answer({{"janus", "success"},
                     {"plugindata", {{"plugin", package}, {"data", {{key, "event"}, {"error_code", code}, {"error", what}}}}}});
    };
    auto ok = [&](boost::json::object data) {
      return answer({{"janus", "success"}, {"plugindata", {{"plugin", package}, {"data", data}}}});
    };
    std::string request(body.at("request").as_string());
    auto id = body.at("room").to_number<std::uint64_t>();
    auto* r = room(package, id);
    if (request == "create") {
      if (r) return fail(audio ? 486 : 427, "Room exists");
      rooms[{package, id}] = Room{std::string(body.at("secret").as_string()), {}, {}};
      return ok({{key, "created"}, {"room", id}, {"permanent", false}});
    }
    if (request == "exists") return ok({{key, "success"}, {"room", id}, {"exists", r != nullptr}});
    if (!r) return fail(audio ? 485 : 426, "No such room");
    if (request == "listparticipants") {
      boost::json::array list;
      for (auto p : r->participants) {
        boost::json::object o{{"id", p}};
        if (audio) o["muted"] = r->muted.contains(p);
        list.push_back(o);
      }
      return ok({{key, "participants"}, {"room", id}, {"participants", list}});
    }
    if (body.at("secret").as_string() != r->secret) return fail(audio ? 489 : 433, "Unauthorized (wrong secret)");
    if (request == "allowed") {
      for (auto& t : body.at("allowed").as_array()) {
        std::string token(t.as_string());
        if (body.at("action").as_string() == "add") r->allowed.insert(token);
        else r->allowed.erase(token);
      }
      return ok({{key, "success"}, {"room", id}});
    }
    if (request == "kick") {
      if (r->participants.erase(body.at("id").to_number<std::uint64_t>()) == 0) return fail(audio ? 492 : 428, "No such user");
      return ok({{key, "success"}});
    }
    if (audio && (request == "mute" || request == "unmute")) {
      auto who = body.at("id").to_number<std::uint64_t>();
      if (!r->participants.contains(who)) return fail(492, "No such user");
      if (request == "mute") r->muted.insert(who);
      else r->muted.erase(who);
      return ok({{key, "success"}});
    }
    if (request == "destroy") {
      rooms.erase({package, id});
      return ok({{key, "destroyed"}, {"room", id}});
    }
    return fail(499, "Unknown request");
  }

  std::uint64_t next_id = 1000;
};

}  // namespace wp::testkit
