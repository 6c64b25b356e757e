#include "modules/analytics/writer.hpp"

#include "core/clock.hpp"
#include "core/metrics.hpp"

namespace wp::analytics {

Writer::Writer(AnalyticsService& service, Intervals intervals, std::string node_id)
    : service_(service),
      node_id_(std::move(node_id)),
      flush_("analytics writer", intervals.flush,
             [this] { return service_.flush() == service_.settings().write_batch; }),
      rollups_("analytics rollups", intervals.rollup, [this] {
        service_.rollup(now_ms());
        return false;
      }),
      live_("analytics live counts", intervals.live, [this] {
        service_.publish_live(node_id_);
        service_.push_live();
        return false;
      }),
      maintenance_("analytics maintenance", std::chrono::hours(1), [this] {
        service_.maintain(now_ms());
        return false;
      }) {}

void Writer::start() {
  flush_.start();
  rollups_.start();
  live_.start();
  maintenance_.start();
}

void Writer::stop() {
  flush_.stop();
  rollups_.stop();
  live_.stop();
  maintenance_.stop();
  while (service_.flush() > 0) {
  }
}

void add_metrics(const AnalyticsService& s) {
  auto& m = metrics();
  m.add_gauge("watchparty_analytics_events_ingested_total", "Client events accepted through the API.",
              [&s] { return static_cast<double>(s.ingested()); });
  m.add_gauge("watchparty_analytics_events_rejected_total", "Client events refused (reported by index).",
              [&s] { return static_cast<double>(s.rejected()); });
  m.add_gauge("watchparty_analytics_server_events_queued_total", "Server events taken into the analytics queue.",
              [&s] { return static_cast<double>(s.queue().accepted()); });
  m.add_gauge("watchparty_analytics_server_events_dropped_total",
              "Server events dropped because the analytics queue was full.",
              [&s] { return static_cast<double>(s.queue().dropped()); });
  m.add_gauge("watchparty_analytics_server_events_written_total", "Server events written to the database.",
              [&s] { return static_cast<double>(s.written()); });
  m.add_gauge("watchparty_analytics_server_events_failed_total", "Server events lost to a failed write.",
              [&s] { return static_cast<double>(s.write_failures()); });
  m.add_gauge("watchparty_analytics_queue_depth", "Server events waiting to be written.",
              [&s] { return static_cast<double>(s.queue().size()); });
}

}  // namespace wp::analytics
