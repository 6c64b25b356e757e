#pragma once
// The composition root: builds the database, pools, modules and transport
// from a Config and runs one CLI command. The only place that knows every module.
#include <functional>
#include <iosfwd>
#include <string>

#include "core/config.hpp"

namespace wp::app {

// reload: reads the configuration again (SIGHUP); null: SIGHUP is left alone.
int serve(const Config& config, std::function<Config()> reload = nullptr);
// The route table in the order registered, one "METHOD pattern" a line
// (bench/micro/routes.txt is a copy): every module is built as for serve,
// with its database, and nothing is started.
int print_routes(const Config& config, std::ostream& out);
int migrate(const Config& config);
// Runs video processing jobs until SIGTERM/SIGINT.
int worker(const Config& config);
int create_superuser(const Config& config, const std::string& username, const std::string& email,
                     const std::string& password);
// deactivate-user / activate-user: deactivating revokes every session and, with
// Redis configured, closes the user's party sockets on every running node.
int set_user_active(const Config& config, const std::string& username, bool active);

}  // namespace wp::app
