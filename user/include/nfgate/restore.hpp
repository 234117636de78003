// SPDX-License-Identifier: GPL-2.0
// iptables-save format reader (what iptables-restore accepts): the line
// tokenizer with iptables-restore's quoting rules, `*table`, `:CHAIN POLICY
// [p:b]`, `[p:b] -A ...` and other command lines, `COMMIT`, `#` comments.
// Errors carry the input line number.
#pragma once

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/rule.hpp"

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nfgate {

// what() is "line N: message".
class RestoreError : public Error {
public:
    RestoreError(int line, const std::string& msg, IptablesText ipt = {})
        : Error("line " + std::to_string(line) + ": " + msg, 1, std::move(ipt)), line_(line) {}
    int line() const { return line_; }

private:
    int line_;
};

struct ChainLine {
    std::string name;
    std::string policy;  // "-" for user chains
    std::optional<Counters> counters;
};

struct RestoreLine {
    int line = 0;
    std::variant<ChainLine, Command> what;
};

struct RestoreBlock {
    Table table = Table::filter;
    int line = 0;  // of `*table`
    std::vector<RestoreLine> lines;
    int commit_line = 0;
};

struct RestoreOptions {
    bool counters = false;                  // -c: use [p:b] and policy counters
    std::optional<std::string> only_table;  // -T: skip other tables
};

// The reader under read_restore(), one event at a time, for a caller that
// acts on each line as it is read (a bulk load sends each block's
// operations while it parses the rest, and never holds the parsed block).
// Tokens are views into `data`, which must outlive the reader.  A copy of
// the reader resumes where the original was (to read a block again).
class RestoreReader {
public:
    enum class Event {
        table,   // `*table`: table() is set, line.line is its number
        line,    // a chain or command line of the block, in `line`
        commit,  // COMMIT: line.line is its number
        end,     // the end of the input
    };
    RestoreReader(std::string_view data, RestoreOptions opts);
    // Throws RestoreError naming the line.
    Event next(RestoreLine& line);
    // The block being read (after Event::table).
    std::optional<Table> table() const { return table_; }
    // Lines from here up to the next "COMMIT" line (a capacity hint).
    std::size_t lines_until_commit() const;

private:
    bool next_line(std::string_view& line);

    std::string_view data_;
    RestoreOptions opts_;
    std::size_t pos_ = 0;
    int lineno_ = 0;
    std::optional<Table> table_;
    bool skipping_ = false;             // inside a block of a table -T left out
    std::vector<std::string_view> args_;  // reused: keeps its capacity
    std::string unquoted_;              // storage for quoted tokens
};

// All of `in` (restore input is read whole, then parsed in place).
std::string slurp_restore_input(std::istream& in);
// The same from a file; "" or "-" is standard input.  A file that cannot be
// opened is an Error ("Can't open FILE: reason"), as iptables-restore says.
std::string slurp_restore_file(const std::string& path);

// iptables-restore's add_param_to_argv(): splits on blanks; "..." quotes
// with backslash escapes inside; a closing quote ends the argument.
std::vector<std::string> tokenize_restore_line(std::string_view line);

std::vector<RestoreBlock> read_restore(std::istream& in, const RestoreOptions& opts = {});

// The same from a file; "" or "-" is standard input.  A file that cannot be
// opened is an Error ("Can't open FILE: reason"), as iptables-restore says.
std::vector<RestoreBlock> read_restore_file(const std::string& path, const RestoreOptions& opts = {});

}  // namespace nfgate
