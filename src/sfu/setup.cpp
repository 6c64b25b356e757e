#include "sfu/setup.hpp"

namespace wp::sfu {

std::unique_ptr<JanusRooms> make_janus_rooms(const Config& config) {
  if (config.janus_url.empty()) return nullptr;
  if (config.janus_admin_url.empty() || config.janus_admin_secret.empty())
    throw ConfigError("janus_url needs janus_admin_url and janus_admin_secret: members are admitted by Janus "
                      "tokens, which only the admin API adds");
  auto strip = [](std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  };
  JanusSettings settings{.url = strip(config.janus_url),
                         .admin_url = strip(config.janus_admin_url),
                         .auth = {.api_secret = config.janus_api_secret, .admin_secret = config.janus_admin_secret}};
  return std::make_unique<JanusRooms>(std::make_unique<JanusClient>(std::move(settings)), config.janus_admin_secret);
}

}  // namespace wp::sfu
