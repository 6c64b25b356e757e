// The party socket's client frames (parties/protocol.cpp, parse_client_message):
// the fields, their kinds, the limits, and what is refused with which code.
#include <gtest/gtest.h>

#include <string>

#include "modules/parties/protocol.hpp"

namespace wp::parties::protocol {
namespace {

std::string code_of(const std::string& frame) {
  try {
    parse_client_message(frame);
    return "accepted";
  } catch (const Invalid& e) {
    return e.code;
  }
}

TEST(PartyClientMessage, ReadsEachTypesFields) {
  auto chat = parse_client_message(R"({"type":"chat_message","content":"caf\u00e9 \"ok\"\nline"})");
  EXPECT_EQ(chat.type, "chat_message");
  EXPECT_EQ(chat.content, "caf\xc3\xa9 \"ok\"\nline");
  auto ping = parse_client_message(R"({"client_time":12,"type":"ping"})");  // any order
  EXPECT_EQ(ping.client_time, 12.0);
  auto control = parse_client_message(R"({"type":"video_control","action":"seek","position":61.5,"version":7})");
  EXPECT_EQ(control.control.action, ControlAction::seek);
  EXPECT_EQ(control.control.position, 61.5);
  EXPECT_EQ(control.control.version, 7);
  auto typing = parse_client_message(R"({"type":"typing","is_typing":true})");
  EXPECT_TRUE(typing.is_typing);
  EXPECT_FALSE(parse_client_message(R"({"type":"typing","is_typing":"yes"})").is_typing);
  auto reaction = parse_client_message(R"({"type":"reaction","emoji":"\ud83d\ude00","video_timestamp":3})");
  EXPECT_EQ(reaction.emoji, "\xf0\x9f\x98\x80");
  EXPECT_EQ(reaction.video_timestamp, 3.0);
  EXPECT_EQ(parse_client_message(R"({"type":"sync_report","drift_ms":-40.5})").drift_ms, -40.5);
  EXPECT_EQ(parse_client_message(R"({"type":"ready"})").type, "ready");
}

TEST(PartyClientMessage, ALongStringInPartsIsWhole) {
  std::string content(20'000, 'a');
  for (std::size_t i = 0; i < content.size(); i += 97) content[i] = '"';
  std::string escaped;
  for (char c : content) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
  EXPECT_EQ(parse_client_message(R"({"type":"chat_message","content":")" + escaped + "\"}").content, content);
}

TEST(PartyClientMessage, OnlyTopLevelFieldsOfTheRightKindCount) {
  EXPECT_EQ(code_of(R"({"nested":{"type":"ping"}})"), "invalid_message");     // no type of its own
  EXPECT_EQ(code_of(R"({"type":"chat_message","x":{"content":"hi"}})"), "invalid_message");
  EXPECT_EQ(code_of(R"({"type":"chat_message","content":5})"), "invalid_message");
  EXPECT_EQ(code_of(R"({"type":"chat_message","content":["a"]})"), "invalid_message");
  EXPECT_EQ(code_of(R"({"type":7})"), "invalid_message");
  EXPECT_EQ(code_of(R"({"type":"sync_report","drift_ms":"1"})"), "invalid_message");
  EXPECT_EQ(code_of(R"({"type":"sync_report","drift_ms":600001})"), "invalid_message");
  EXPECT_EQ(code_of(R"({"type":"video_control","action":"seek","rate":9})"), "invalid_message");
  EXPECT_EQ(code_of(R"({"type":"teleport"})"), "unknown_type");
  // Fields after a nested value still count.
  EXPECT_EQ(parse_client_message(R"({"a":[1,{"b":2}],"type":"chat_message","content":"x"})").content, "x");
}

TEST(PartyClientMessage, NotAnObjectOrOverTheLimitsIsInvalidJson) {
  for (std::string bad : {"", "[]", "\"ping\"", "{", R"({"type":"ping"} x)", R"({"type":"ping"}{})", "{\"type\":\"pi\xff\"}"})
    EXPECT_EQ(code_of(bad), "invalid_json") << bad;
  std::string deep = R"({"type":"ping","x":)" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_EQ(code_of(deep), "invalid_json");
  std::string many = R"({"type":"ping","x":[)";
  for (int i = 0; i < 10'001; ++i) many += i ? ",0" : "0";
  EXPECT_EQ(code_of(many + "]}"), "invalid_json");
  EXPECT_EQ(code_of(R"({"type":"chat_message","content":")" + std::string(65'537, 'a') + "\"}"), "invalid_json");
}

TEST(PartyClientMessage, ASignalKeepsItsBody) {
  auto m = parse_client_message(R"({"type":"rtc_offer","to":"u1","sdp":{"type":"offer","sdp":"v=0"}})");
  EXPECT_EQ(m.type, "rtc_offer");
  ASSERT_TRUE(m.body.contains("sdp"));
  EXPECT_EQ(m.body.at("to").as_string(), "u1");
}

}  // namespace
}  // namespace wp::parties::protocol
