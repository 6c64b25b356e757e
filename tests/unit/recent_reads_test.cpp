// RecentReads, the short-lived per-node copy of rows read from the database
// (the per-session rules are in accounts_principal_cache_test.cpp).
#include <gtest/gtest.h>

#include <string>

#include "core/recent_reads.hpp"

namespace {

using Reads = wp::RecentReads<std::string>;

TEST(RecentReads, DropForgetsOneKeyAndRefusesAReadBegunBeforeIt) {
  Reads reads(1000, 10);
  auto before = reads.epoch();
  reads.put("u1", "Ann", before, 0);
  reads.put("u2", "Bob", before, 0);
  reads.drop("u1");
  EXPECT_FALSE(reads.get("u1", 1));
  EXPECT_EQ(reads.get("u2", 1).value_or(""), "Bob");
  reads.put("u1", "Ann (read before the change)", before, 2);
  EXPECT_FALSE(reads.get("u1", 3));
  reads.put("u1", "Annie", reads.epoch(), 4);
  EXPECT_EQ(reads.get("u1", 5).value_or(""), "Annie");
}

TEST(RecentReads, APutReplacesAndTheAgeCountsFromTheNewestRead) {
  Reads reads(1000, 10);
  reads.put("u1", "Ann", reads.epoch(), 0);
  reads.put("u1", "Annie", reads.epoch(), 900);
  EXPECT_EQ(reads.get("u1", 1500).value_or(""), "Annie");
  EXPECT_FALSE(reads.get("u1", 1900));
}

TEST(RecentReads, ZeroAgeKeepsNothing) {
  Reads reads(0, 10);
  EXPECT_FALSE(reads.keeps());
  reads.put("u1", "Ann", reads.epoch(), 0);
  EXPECT_FALSE(reads.get("u1", 0));
}

}  // namespace
