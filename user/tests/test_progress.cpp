// SPDX-License-Identifier: GPL-2.0
// Progress line tests with a fake clock: silent when not a terminal, no
// draw before the first interval, at most one draw per interval, padding
// over a longer previous line, and the line erased at the end.
#include "nfgate/progress.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace nfgate {
namespace {

struct FakeClock {
    Progress::Clock::time_point t{};
    Progress::Now fn() {
        return [this] { return t; };
    }
    void advance(int ms) { t += std::chrono::milliseconds(ms); }
};

TEST(Progress, SilentWhenNotATerminal) {
    std::ostringstream out;
    FakeClock c;
    {
        Progress p(out, false, c.fn());
        for (int i = 1; i <= 100; ++i) {
            c.advance(500);
            p.update(static_cast<std::size_t>(i), 100);
        }
    }
    EXPECT_EQ(out.str(), "");
}

TEST(Progress, RateLimitedAndErased) {
    std::ostringstream out;
    FakeClock c;
    Progress p(out, true, c.fn());
    p.update(1, 100000);  // at once: not drawn (short runs never draw)
    EXPECT_EQ(out.str(), "");
    c.advance(100);
    p.update(51234, 100000);
    EXPECT_EQ(out.str(), "\rnfgate: 51234/100000 operations sent");
    c.advance(50);
    p.update(60000, 100000);  // within the interval: not drawn
    EXPECT_EQ(out.str(), "\rnfgate: 51234/100000 operations sent");
    c.advance(60);
    p.update(99999, 100000);
    EXPECT_EQ(out.str(), "\rnfgate: 51234/100000 operations sent\rnfgate: 99999/100000 operations sent");
    out.str("");
    p.finish();
    EXPECT_EQ(out.str(), "\r" + std::string(36, ' ') + "\r");
    out.str("");
    p.finish();  // idempotent
    EXPECT_EQ(out.str(), "");
}

TEST(Progress, ShorterTextIsPadded) {
    std::ostringstream out;
    FakeClock c;
    Progress p(out, true, c.fn());
    c.advance(100);
    p.update(100000, 100000);
    out.str("");
    c.advance(100);
    p.update(5, 10);
    EXPECT_EQ(out.str(), "\rnfgate: 5/10 operations sent" + std::string(9, ' '));
}

TEST(Progress, NothingDrawnNothingErased) {
    std::ostringstream out;
    FakeClock c;
    {
        Progress p(out, true, c.fn());
        p.update(3, 3);
    }
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(Progress::text(1, 2), "nfgate: 1/2 operations sent");
}

}  // namespace
}  // namespace nfgate
