// SPDX-License-Identifier: GPL-2.0
// The iptables-restore input reader (ip46tables_restore_main's line loop):
// blocks of one table each, chain lines and parsed command lines.
#include "nfgate/restore.hpp"

#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

namespace nfgate {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// tokenize_restore_line() appending views to out. Without a '"' the tokens
// are the blank-separated runs of line itself; with one, the unquoted text
// goes to buf, which is reserved to line's size first: unquoting never
// lengthens, so buf does not reallocate and the views stay valid.
void tokenize_into(std::string_view line, std::string& buf, std::vector<std::string_view>& out) {
    if (line.find('"') == std::string_view::npos) {
        std::size_t i = 0, n = line.size();
        while (true) {
            while (i < n && is_blank(line[i])) ++i;
            if (i == n) return;
            std::size_t start = i;
            while (i < n && !is_blank(line[i])) ++i;
            out.push_back(line.substr(start, i - start));
        }
    }
    buf.clear();
    buf.reserve(line.size());
    std::size_t start = 0;  // of the current param in buf
    auto param_empty = [&] { return buf.size() == start; };
    auto end_param = [&] {
        out.emplace_back(buf.data() + start, buf.size() - start);
        start = buf.size();
    };
    bool quote_open = false, escaped = false, quoted = false;
    for (char c : line) {
        if (quote_open) {
            if (escaped) {
                buf += c;
                escaped = false;
                continue;
            } else if (c == '\\') {
                escaped = true;
                continue;
            } else if (c == '"') {
                quote_open = false;
            } else {
                buf += c;
                continue;
            }
        } else if (c == '"') {
            quote_open = true;
            quoted = true;
            continue;
        }
        switch (c) {
            case '"':
                break;
            case ' ':
            case '\t':
            case '\n':
                if (param_empty() && !quoted) continue;
                break;
            default:
                buf += c;
                continue;
        }
        end_param();
        quoted = false;
    }
    if (!param_empty()) end_param();
}

}  // namespace

std::string slurp_restore_input(std::istream& in) {
    std::string data;
    std::array<char, 1 << 16> chunk;
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0)
        data.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    return data;
}

namespace {

std::vector<std::string> split_blank(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n') {
            if (!cur.empty()) out.push_back(cur), cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::optional<Counters> parse_bracket_counters(const std::string& s) {
    unsigned long long p = 0, b = 0;
    if (std::sscanf(s.c_str(), "[%llu:%llu]", &p, &b) != 2) return std::nullopt;
    return Counters{p, b};
}

}  // namespace

std::vector<std::string> tokenize_restore_line(std::string_view line) {
    std::string buf;
    std::vector<std::string_view> views;
    tokenize_into(line, buf, views);
    return {views.begin(), views.end()};
}

RestoreReader::RestoreReader(std::string_view data, RestoreOptions opts) : data_(data), opts_(std::move(opts)) {}

bool RestoreReader::next_line(std::string_view& line) {
    if (pos_ >= data_.size()) return false;
    auto nl = data_.find('\n', pos_);
    if (nl == std::string_view::npos) nl = data_.size();
    line = data_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    ++lineno_;
    return true;
}

std::size_t RestoreReader::lines_until_commit() const {
    RestoreReader ahead(*this);
    std::size_t n = 0;
    std::string_view l;
    while (ahead.next_line(l) && l != "COMMIT") ++n;
    return n;
}

// The whole input is in memory (one read, no per-line copy); command tokens
// are views into it.
RestoreReader::Event RestoreReader::next(RestoreLine& out) {
    std::string_view line;
    while (next_line(line)) {
        bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
        if (blank || line[0] == '#') continue;
        bool in_table = table_.has_value() || skipping_;
        if (line == "COMMIT" && in_table) {
            bool was_skipping = skipping_;
            skipping_ = false;
            if (was_skipping) continue;
            table_.reset();
            out.line = lineno_;
            return Event::commit;
        }
        if (line[0] == '*' && !in_table) {
            auto toks = split_blank(line.substr(1));
            if (toks.empty()) throw RestoreError(lineno_, "table name invalid");
            if (opts_.only_table && *opts_.only_table != toks[0]) {
                skipping_ = true;
                continue;
            }
            auto t = table_from_name(toks[0]);
            if (!t)
                throw RestoreError(lineno_,
                                   "table '" + toks[0] + "' is not supported by nfgate (filter, mangle, raw, nat)");
            table_ = *t;
            out.line = lineno_;
            return Event::table;
        }
        if (!in_table) throw RestoreError(lineno_, "line outside of a table (missing `*table' line?)");
        if (skipping_) continue;
        out.line = lineno_;
        if (line[0] == ':') {
            auto toks = split_blank(line.substr(1));
            if (toks.empty()) throw RestoreError(lineno_, "chain name invalid");
            ChainLine cl;
            cl.name = toks[0];
            if (cl.name.size() >= NFGATE_CHAIN_MAXNAMELEN)
                throw RestoreError(lineno_, "Invalid chain name `" + cl.name + "' (" +
                                                std::to_string(NFGATE_CHAIN_MAXNAMELEN - 1) + " chars max)");
            if (toks.size() < 2) throw RestoreError(lineno_, "policy invalid");
            cl.policy = toks[1];
            if (cl.policy != "-") {
                if (toks.size() >= 3) {
                    cl.counters = parse_bracket_counters(toks[2]);
                    if (!cl.counters)
                        throw RestoreError(lineno_, "invalid policy counters for chain '" + cl.name + "'");
                } else if (opts_.counters) {
                    throw RestoreError(lineno_, "invalid policy counters for chain '" + cl.name + "'");
                }
                if (!opts_.counters) cl.counters.reset();
            }
            out.what = std::move(cl);
            return Event::line;
        }

        // A command line, optionally with "[pkts:bytes] " in front.
        std::string_view rest = line;
        args_.clear();
        if (rest[0] == '[') {
            auto close = rest.find(']');
            if (close == std::string_view::npos) throw RestoreError(lineno_, "Bad line: need ]");
            auto inner = rest.substr(1, close - 1);
            auto colon = inner.find(':');
            if (colon == std::string_view::npos || colon == 0) throw RestoreError(lineno_, "Bad line: need :");
            auto pcnt = inner.substr(0, colon), bcnt = inner.substr(colon + 1);
            if (bcnt.empty()) throw RestoreError(lineno_, "Bad line: need ]");
            if (opts_.counters) {
                args_.push_back("--set-counters");
                args_.push_back(pcnt);
                args_.push_back(bcnt);
            }
            rest = rest.substr(close + 1);
        }
        tokenize_into(rest, unquoted_, args_);
        ParseContext ctx;
        ctx.restore = true;
        ctx.restore_table = *table_;
        // (in two steps: GCC 12 warns, wrongly, that the variant's moved
        // ChainLine may be used uninitialized)
        out.what.emplace<Command>();
        try {
            Command& c = std::get<Command>(out.what);
            parse_command_into(std::span<const std::string_view>(args_), ctx, c);
            if (c.help || c.version) throw UsageError("-h and -V are not allowed in restore input");
        } catch (const RestoreError&) {
            throw;
        } catch (const UsageError& e) {
            // iptables-restore reports a rule's parse error as iptables
            // would, then "Error occurred at line: N".
            IptablesText t = e.iptables_text();
            if (t.style == IptablesText::none) t = {IptablesText::xtables, e.what(), 0};
            throw RestoreError(lineno_, e.what(), std::move(t));
        } catch (const Error& e) {
            throw RestoreError(lineno_, e.what());
        }
        return Event::line;
    }
    if (table_ || skipping_)
        throw RestoreError(lineno_ + 1, "COMMIT expected",
                           {IptablesText::plain, "COMMIT expected at line " + std::to_string(lineno_ + 1), 0});
    return Event::end;
}

namespace {

std::vector<RestoreBlock> read_restore_data(std::string_view data, const RestoreOptions& opts) {
    std::vector<RestoreBlock> blocks;
    RestoreReader reader(data, opts);
    RestoreLine line;
    for (;;) {
        switch (reader.next(line)) {
            case RestoreReader::Event::table:
                blocks.push_back(RestoreBlock{*reader.table(), line.line, {}, 0});
                blocks.back().lines.reserve(reader.lines_until_commit());
                break;
            case RestoreReader::Event::line:
                blocks.back().lines.push_back(std::move(line));
                break;
            case RestoreReader::Event::commit:
                blocks.back().commit_line = line.line;
                break;
            case RestoreReader::Event::end:
                return blocks;
        }
    }
}

}  // namespace

std::vector<RestoreBlock> read_restore(std::istream& in, const RestoreOptions& opts) {
    return read_restore_data(slurp_restore_input(in), opts);
}

std::string slurp_restore_file(const std::string& path) {
    if (path.empty() || path == "-") return slurp_restore_input(std::cin);
    std::ifstream in(path);
    if (!in) throw Error("Can't open " + path + ": " + std::strerror(errno));
    return slurp_restore_input(in);
}

std::vector<RestoreBlock> read_restore_file(const std::string& path, const RestoreOptions& opts) {
    return read_restore_data(slurp_restore_file(path), opts);
}

}  // namespace nfgate
