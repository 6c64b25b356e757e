#include "app/sfu_hooks.hpp"

#include "core/error.hpp"

namespace wp::app {

namespace {

SfuRoom room_of(const std::string& ref) {
  auto room = parse_room_ref(ref);
  if (!room) throw Error(ErrorCode::internal, "Not an SFU room: " + ref);
  return *room;
}

}  // namespace

parties::SfuHooks sfu_hooks(SfuRooms& rooms) {
  parties::SfuHooks h;
  h.create_room = [&rooms](const std::string& party_id, parties::SfuRoomKind kind) {
    return room_ref(rooms.create_room(party_id, kind == parties::SfuRoomKind::audio ? SfuKind::audio : SfuKind::video));
  };
  h.allow = [&rooms](const std::string& ref, const std::string& user_id) {
    auto room = room_of(ref);
    auto pass = rooms.allow(room, user_id);
    return parties::SfuTicket{pass.token, pass.participant_id, room.id};
  };
  h.kick = [&rooms](const std::string& ref, const std::string& user_id) { rooms.kick(room_of(ref), user_id); };
  h.destroy = [&rooms](const std::string& ref) { rooms.destroy(room_of(ref)); };
  h.exists = [&rooms](const std::string& ref) { return rooms.exists(room_of(ref)); };
  h.mute = [&rooms](const std::string& ref, const std::string& user_id, bool muted) {
    rooms.set_muted(room_of(ref), user_id, muted);
  };
  h.hold_muted = [&rooms](const std::string& ref, const std::vector<std::string>& user_ids) {
    return rooms.hold_muted(room_of(ref), user_ids);
  };
  h.participant_of = [&rooms](const std::string& ref, const std::string& user_id) {
    return rooms.participant_of(room_of(ref), user_id);
  };
  return h;
}

}  // namespace wp::app
