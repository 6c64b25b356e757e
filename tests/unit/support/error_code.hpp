#pragma once
// The ErrorCode a call throws, for EXPECT_EQ; a call that throws nothing fails the test.
#include <gtest/gtest.h>

#include <functional>

#include "core/error.hpp"

namespace wp::testkit {

inline ErrorCode error_code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::internal;
}

}  // namespace wp::testkit
