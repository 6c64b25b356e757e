#pragma once
// Reads and checks the fields of a JSON body, collecting every problem so
// that one VALIDATION_ERROR lists all bad fields at once.
#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace wp {

class Fields {
 public:
  explicit Fields(const boost::json::object& body) : body_(body) {}

  std::string required_string(const std::string& name, std::size_t min_len, std::size_t max_len);
  std::optional<std::string> optional_string(const std::string& name, std::size_t max_len);
  std::optional<bool> optional_bool(const std::string& name);
  std::optional<std::int64_t> optional_int(const std::string& name, std::int64_t lo, std::int64_t hi);
  std::optional<double> optional_number(const std::string& name, double lo, double hi);
  // Required fields: absent or null is "This field is required."; nullopt
  // whenever an error was recorded, so a caller never reads an empty value.
  std::optional<bool> required_bool(const std::string& name);
  std::optional<double> required_number(const std::string& name, double lo, double hi);
  // An object value, returned serialized; nullopt when absent.
  std::optional<boost::json::object> optional_object(const std::string& name);
  // A list of at most `max` ids (UUIDs), lower-cased; empty when absent or null.
  std::vector<std::string> optional_id_list(const std::string& name, std::size_t max);

  void add_error(const std::string& name, std::string message);
  // Adds errors found by later checks for fields that have none yet, so
  // one answer lists every bad field once.
  void merge(const FieldErrors& more);
  bool ok() const { return errors_.empty(); }
  // Throws the collected errors, if any.
  void done() const;

 private:
  const boost::json::value* get(const std::string& name) const;
  const boost::json::object& body_;
  FieldErrors errors_;
};

}  // namespace wp
