// SPDX-License-Identifier: GPL-2.0
// Progress line for long transactions on a terminal:
// "\rnfgate: 51234/100000 operations sent", redrawn at most every 100 ms and
// erased at the end. Disabled (silent) when the stream is not a terminal,
// so pipes and tests see clean output. The clock is injectable for tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>

namespace nfgate {

class Progress {
public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;

    static constexpr std::chrono::milliseconds interval{100};

    // enabled: draw at all (the CLI passes isatty(stderr)).
    Progress(std::ostream& out, bool enabled, Now now = Clock::now);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // done of total operations sent; draws if the interval has passed
    // since the last draw (the first call waits one interval too, so short
    // runs never draw).
    void update(std::size_t done, std::size_t total);
    // Erases the line if one was drawn. Idempotent; also run on destruction.
    void finish();

    // "nfgate: 51234/100000 operations sent" (no control characters).
    static std::string text(std::size_t done, std::size_t total);

private:
    std::ostream& out_;
    bool enabled_;
    Now now_;
    Clock::time_point last_;
    std::size_t drawn_width_ = 0;
};

// isatty(STDERR_FILENO).
bool stderr_is_terminal();

}  // namespace nfgate
