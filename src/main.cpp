// watchparty: serve, migrate, createsuperuser, deactivate-user, activate-user, worker, routes, version.
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <map>

#include "app/app.hpp"
#include "core/config.hpp"

namespace {

struct SettingFlags {
  std::map<std::string, std::string> values;
  std::string config_file;

  void attach(CLI::App* cmd) {
    cmd->add_option("--config", config_file, "TOML config file (also WATCHPARTY_CONFIG)");
    for (auto& s : wp::settings()) {
      cmd->add_option_function<std::string>(
             wp::flag_name(s), [this, name = s.name](const std::string& v) { values[name] = v; },
             s.help + " [env " + wp::env_name(s) + "]")
          ->type_name(s.secret ? "SECRET" : "VALUE");
    }
  }

  wp::Config load() const {
    wp::ConfigSources src;
    if (!config_file.empty()) {
      src.file = config_file;
    } else if (const char* f = std::getenv("WATCHPARTY_CONFIG")) {
      src.file = f;
    }
    src.flags = values;
    return wp::load_config(src);
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"watchparty: a self-hostable watch-party server"};
  app.require_subcommand(1);
  SettingFlags flags;

  auto* serve = app.add_subcommand("serve", "Run the HTTP and WebSocket server");
  flags.attach(serve);
  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  flags.attach(migrate);
  auto* superuser = app.add_subcommand("createsuperuser", "Create an administrator account");
  flags.attach(superuser);
  std::string su_username, su_email, su_password;
  superuser->add_option("--username", su_username, "Username")->required();
  superuser->add_option("--email", su_email, "Email address")->required();
  superuser->add_option("--password", su_password,
                        "Password (or WATCHPARTY_SUPERUSER_PASSWORD; read from standard input when neither is set)");
  std::string target_username;
  auto* deactivate = app.add_subcommand("deactivate-user", "Deactivate a user: every session ends, login is refused");
  flags.attach(deactivate);
  deactivate->add_option("--username", target_username, "Username or email")->required();
  auto* activate = app.add_subcommand("activate-user", "Let a deactivated user log in again");
  flags.attach(activate);
  activate->add_option("--username", target_username, "Username or email")->required();
  auto* worker = app.add_subcommand("worker", "Run video processing jobs (until SIGTERM)");
  flags.attach(worker);
  auto* routes = app.add_subcommand("routes", "Print the route table (method and pattern, in order) and exit");
  flags.attach(routes);
  app.add_subcommand("version", "Print the version and exit");

  CLI11_PARSE(app, argc, argv);
  // A peer that goes away mid-write (sendfile to a closed socket) must be an
  // error on that write, not the end of the process.
  std::signal(SIGPIPE, SIG_IGN);

  if (app.got_subcommand("version")) {
    std::cout << "watchparty " << WATCHPARTY_VERSION << "\n";
    return 0;
  }
  wp::Config config;
  try {
    config = flags.load();
  } catch (const wp::ConfigError& e) {
    std::cerr << "watchparty: " << e.what() << "\n";
    return 2;
  }
  if (serve->parsed()) return wp::app::serve(config, [&flags] { return flags.load(); });
  if (migrate->parsed()) return wp::app::migrate(config);
  if (routes->parsed()) return wp::app::print_routes(config, std::cout);
  if (worker->parsed()) return wp::app::worker(config);
  if (deactivate->parsed()) return wp::app::set_user_active(config, target_username, false);
  if (activate->parsed()) return wp::app::set_user_active(config, target_username, true);
  if (superuser->parsed()) {
    if (su_password.empty())
      if (const char* p = std::getenv("WATCHPARTY_SUPERUSER_PASSWORD")) su_password = p;
    if (su_password.empty()) {
      std::cerr << "Password: ";
      std::getline(std::cin, su_password);
    }
    return wp::app::create_superuser(config, su_username, su_email, su_password);
  }
  return 0;
}
