// SPDX-License-Identifier: GPL-2.0
// Progress line drawing with rate limiting.
#include "nfgate/progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace nfgate {

Progress::Progress(std::ostream& out, bool enabled, Now now)
    : out_(out), enabled_(enabled), now_(std::move(now)), last_(enabled_ ? now_() : Clock::time_point{}) {}

Progress::~Progress() { finish(); }

std::string Progress::text(std::size_t done, std::size_t total) {
    return "nfgate: " + std::to_string(done) + "/" + std::to_string(total) + " operations sent";
}

void Progress::update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    auto t = now_();
    if (t - last_ < interval) return;
    last_ = t;
    std::string s = text(done, total);
    std::string pad = drawn_width_ > s.size() ? std::string(drawn_width_ - s.size(), ' ') : "";
    out_ << '\r' << s << pad << std::flush;
    drawn_width_ = std::max(drawn_width_, s.size());
}

void Progress::finish() {
    if (!enabled_ || drawn_width_ == 0) return;
    out_ << '\r' << std::string(drawn_width_, ' ') << '\r' << std::flush;
    drawn_width_ = 0;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace nfgate
