#include "server/response_cache.h"

#include "gtest/gtest.h"

namespace portfolio {
namespace {

TEST(ResponseCacheTest, ReturnsWhatWasStoredAndEvictsTheOldest) {
  ResponseCache cache(2);
  EXPECT_FALSE(cache.Get("a").has_value());
  cache.Put("a", "1");
  cache.Put("b", "2");
  EXPECT_EQ(cache.Get("a").value_or(""), "1");
  cache.Put("a", "1 again");  // replacing is not a new entry
  EXPECT_EQ(cache.Get("a").value_or(""), "1 again");
  cache.Put("c", "3");
  EXPECT_FALSE(cache.Get("a").has_value()) << "the oldest goes first";
  EXPECT_EQ(cache.Get("b").value_or(""), "2");
  EXPECT_EQ(cache.Get("c").value_or(""), "3");
}

TEST(ResponseCacheTest, ZeroCapacityKeepsNothing) {
  ResponseCache cache(0);
  cache.Put("a", "1");
  EXPECT_FALSE(cache.Get("a").has_value());
}

}  // namespace
}  // namespace portfolio
