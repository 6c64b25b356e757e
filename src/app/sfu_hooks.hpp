#pragma once
// The calls' seam to the SFU (parties::SfuHooks) over wp::SfuRooms: the
// room's kind and number are the room id text ("audio:<n>", core/sfu.hpp's
// room_ref), and a pass carries the room's number for the browser. Here, in
// app/, so that neither the parties module nor src/sfu knows the other.
#include "core/sfu.hpp"
#include "modules/parties/calls_model.hpp"

namespace wp::app {

parties::SfuHooks sfu_hooks(SfuRooms& rooms);

}  // namespace wp::app
