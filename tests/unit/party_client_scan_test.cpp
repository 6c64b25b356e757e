// parse_client_message reads frames with one scan (core/json_input.hpp,
// scan_client_object) instead of a parsed document. Here it is compared with
// the document reader it replaced (below, as it was), on generated frames:
// every type, fields repeated, nested, escaped, of the wrong kind, cut short.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/json_input.hpp"
#include "modules/parties/protocol.hpp"

namespace wp::parties::protocol {
namespace {

namespace json = boost::json;

// ---- the document reader, as it was before the scan ----
std::optional<double> doc_number(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<std::string> doc_string(const json::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

ControlInput doc_control(const json::object& msg) {
  ControlInput in;
  auto action = parse_enum<ControlAction>(doc_string(msg, "action").value_or(""));
  if (!action) throw Invalid{"invalid_message", "action must be one of " + enum_choices<ControlAction>() + "."};
  in.action = *action;
  in.position = doc_number(msg, "position");
  in.rate = doc_number(msg, "rate");
  if (auto v = doc_number(msg, "version")) in.version = static_cast<long long>(*v);
  if (in.position && (*in.position < 0 || *in.position > 1e7))
    throw Invalid{"invalid_message", "position must be between 0 and 10^7 seconds."};
  if (in.rate && (*in.rate < 0.25 || *in.rate > 4)) throw Invalid{"invalid_message", "rate must be 0.25 to 4."};
  return in;
}

ClientMessage doc_parse(const std::string& frame) {
  auto parsed = try_parse_client_json(frame);
  if (!parsed || !parsed->is_object()) throw Invalid{"invalid_json", "Messages must be JSON objects."};
  auto& msg = parsed->as_object();
  auto type = doc_string(msg, "type");
  if (!type) throw Invalid{"invalid_message", "Every message needs a type."};
  ClientMessage out;
  out.type = *type;
  if (*type == "ping") {
    out.client_time = doc_number(msg, "client_time");
  } else if (*type == "video_control") {
    out.control = doc_control(msg);
  } else if (*type == "typing") {
    auto v = msg.if_contains("is_typing");
    out.is_typing = v && v->is_bool() && v->as_bool();
  } else if (*type == "chat_message") {
    auto content = doc_string(msg, "content");
    if (!content) throw Invalid{"invalid_message", "chat_message needs content."};
    out.content = *content;
  } else if (*type == "reaction") {
    auto emoji = doc_string(msg, "emoji");
    if (!emoji) throw Invalid{"invalid_message", "reaction needs emoji."};
    out.emoji = *emoji;
    out.video_timestamp = doc_number(msg, "video_timestamp").value_or(0);
  } else if (*type == "sync_report") {
    auto drift = doc_number(msg, "drift_ms");
    if (!drift || *drift < -600'000 || *drift > 600'000)
      throw Invalid{"invalid_message", "sync_report needs drift_ms, -600000 to 600000."};
    out.drift_ms = *drift;
  } else if (parse_enum<SignalType>(*type)) {
    out.body = msg;
  } else if (*type != "buffering" && *type != "ready" && *type != "sync_request") {
    throw Invalid{"unknown_type", "Unknown message type: " + *type};
  }
  return out;
}
// ---- end of the document reader ----

std::string opt(const std::optional<double>& d) { return d ? std::to_string(*d) : "-"; }
std::string opt(const std::optional<long long>& d) { return d ? std::to_string(*d) : "-"; }

std::string describe(const std::function<ClientMessage()>& parse) {
  try {
    auto m = parse();
    return "type=" + m.type + " time=" + opt(m.client_time) + " action=" + std::string(to_string(m.control.action)) +
           " pos=" + opt(m.control.position) + " rate=" + opt(m.control.rate) + " ver=" + opt(m.control.version) +
           " typing=" + std::to_string(m.is_typing) + " content=" + m.content + " emoji=" + m.emoji +
           " ts=" + std::to_string(m.video_timestamp) + " drift=" + std::to_string(m.drift_ms) +
           " body=" + json::serialize(m.body);
  } catch (const Invalid& e) {
    return "invalid " + e.code + ": " + e.message;
  }
}

TEST(PartyClientScan, AnswersAsTheDocumentReaderDid) {
  const std::vector<std::string> types{"\"ping\"", "\"video_control\"", "\"typing\"", "\"chat_message\"",
                                       "\"reaction\"", "\"sync_report\"", "\"rtc_offer\"", "\"ready\"",
                                       "\"teleport\"", "\"chat_\\u006dessage\"", "7", "null", "{}"};
  const std::vector<std::string> keys{"type", "content", "client_time", "is_typing", "emoji", "video_timestamp",
                                      "drift_ms", "action", "position", "rate", "version", "typ\\u0065",
                                      "other", std::string(40, 'k')};
  const std::vector<std::string> values{
      "\"hello\"", "\"caf\\u00e9 \\\"q\\\"\"", "\"\"", "\"seek\"", "\"play\"", "\"\\ud83d\\ude00\"", "12",
      "-3.5", "1e3", "700000", "0.1", "2", "18446744073709551615", "-9223372036854775808", "true", "false",
      "null", "[1,{\"type\":\"ping\"}]", "{\"content\":\"nested\"}", "\"   \""};
  std::mt19937 rng(7);
  auto pick = [&](const auto& v) -> const auto& { return v[rng() % v.size()]; };
  for (int i = 0; i < 20'000; ++i) {
    std::string frame = "{";
    std::size_t n = rng() % 6;
    std::vector<std::string> members;
    if (rng() % 8 != 0) members.push_back("\"type\":" + pick(types));
    for (std::size_t k = 0; k < n; ++k) members.push_back("\"" + pick(keys) + "\":" + pick(values));
    std::shuffle(members.begin(), members.end(), rng);
    for (std::size_t k = 0; k < members.size(); ++k) frame += (k ? (rng() % 4 ? "," : " , ") : "") + members[k];
    frame += "}";
    switch (rng() % 12) {  // bend the frame
      case 0: frame = frame.substr(0, rng() % frame.size()); break;
      case 1: frame = "[" + frame + "]"; break;
      case 2: frame += " x"; break;
      case 3: frame = " \n" + frame + "\t"; break;
      default: break;
    }
    ASSERT_EQ(describe([&] { return parse_client_message(frame); }), describe([&] { return doc_parse(frame); }))
        << frame;
  }
}

TEST(PartyClientScan, TheLastOfARepeatedKeyCounts) {
  EXPECT_EQ(parse_client_message(R"({"type":"chat_message","content":"a","content":"b"})").content, "b");
  EXPECT_EQ(describe([] { return parse_client_message(R"({"type":"chat_message","content":"a","content":1})"); }),
            "invalid invalid_message: chat_message needs content.");
  EXPECT_EQ(parse_client_message(R"({"type":"teleport","type":"ping"})").type, "ping");
  EXPECT_EQ(parse_client_message(R"({"type":"ping","type":"chat_message","content":"x"})").content, "x");
}

TEST(JsonFieldScan, ReadsTopLevelFieldsOnly) {
  std::vector<JsonField> f{{.key = "a"}, {.key = "b"}, {.key = "c"}, {.key = "d"}};
  ASSERT_TRUE(scan_client_object(R"({"x":{"a":"no"},"a":"yes","b":[{"b":1}],"c":2.5,"\u0064":true})", f));
  EXPECT_EQ(f[0].kind, JsonField::Kind::string);
  EXPECT_EQ(f[0].text, "yes");
  EXPECT_EQ(f[1].kind, JsonField::Kind::other);
  EXPECT_EQ(f[2].kind, JsonField::Kind::number);
  EXPECT_EQ(f[2].number, 2.5);
  EXPECT_EQ(f[3].kind, JsonField::Kind::boolean);
  EXPECT_TRUE(f[3].boolean);
  for (std::string bad : {"", "[]", "\"a\"", "1", "null", "{", "{} {}", "{\"a\":\"\xff\"}"}) {
    std::vector<JsonField> g{{.key = "a"}};
    EXPECT_FALSE(scan_client_object(bad, g)) << bad;
  }
}

TEST(JsonFieldScan, KeepsTheLimits) {
  std::vector<JsonField> f{{.key = "a"}};
  EXPECT_FALSE(scan_client_object(R"({"a":)" + std::string(33, '[') + std::string(33, ']') + "}", f));
  EXPECT_TRUE(scan_client_object(R"({"a":)" + std::string(31, '[') + std::string(31, ']') + "}", f));
  EXPECT_FALSE(scan_client_object(R"({"a":")" + std::string(65'537, 'x') + "\"}", f));
  EXPECT_TRUE(scan_client_object(R"({"a":")" + std::string(65'536, 'x') + "\"}", f));
  EXPECT_EQ(f[0].text.size(), 65'536u);
}

}  // namespace
}  // namespace wp::parties::protocol
