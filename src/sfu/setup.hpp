#pragma once
// The SFU from the settings: JanusRooms when janus_url is set, else nothing
// (calls then stop at the mesh). Throws ConfigError for an incomplete setup.
#include <memory>

#include "core/config.hpp"
#include "sfu/janus_rooms.hpp"

namespace wp::sfu {

std::unique_ptr<JanusRooms> make_janus_rooms(const Config& config);

}  // namespace wp::sfu
