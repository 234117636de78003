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

// Lines as std::getline() yields them: split on '\n', no empty line after a
// final '\n'.
class LineSplitter {
public:
    explicit LineSplitter(std::string_view data) : data_(data) {}
    bool next(std::string_view& line) {
        if (pos_ >= data_.size()) return false;
        auto nl = data_.find('\n', pos_);
        if (nl == std::string_view::npos) nl = data_.size();
        line = data_.substr(pos_, nl - pos_);
        pos_ = nl + 1;
        return true;
    }
    // Lines from here up to the next "COMMIT" line (a capacity hint).
    std::size_t lines_until_commit() const {
        LineSplitter ahead(*this);
        std::size_t n = 0;
        std::string_view l;
        while (ahead.next(l) && l != "COMMIT") ++n;
        return n;
    }

private:
    std::string_view data_;
    std::size_t pos_ = 0;
};

std::string slurp(std::istream& in) {
    std::string data;
    std::array<char, 1 << 16> chunk;
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0)
        data.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    return data;
}

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

namespace {

// The whole input is in memory (one read, no per-line copy); command tokens
// are views into it.
std::vector<RestoreBlock> read_restore_data(std::string_view data, const RestoreOptions& opts) {
    std::vector<RestoreBlock> blocks;
    std::optional<RestoreBlock> cur;
    bool skipping = false;  // inside a block of a table -T left out
    int lineno = 0;
    LineSplitter lines(data);
    std::string_view line;
    std::vector<std::string_view> args;  // reused: keeps its capacity
    std::string unquoted;                // storage for quoted tokens
    while (lines.next(line)) {
        ++lineno;
        bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
        if (blank || line[0] == '#') continue;
        bool in_table = cur.has_value() || skipping;
        if (line == "COMMIT" && in_table) {
            if (cur) {
                cur->commit_line = lineno;
                blocks.push_back(std::move(*cur));
                cur.reset();
            }
            skipping = false;
            continue;
        }
        if (line[0] == '*' && !in_table) {
            auto toks = split_blank(line.substr(1));
            if (toks.empty()) throw RestoreError(lineno, "table name invalid");
            if (opts.only_table && *opts.only_table != toks[0]) {
                skipping = true;
                continue;
            }
            auto t = table_from_name(toks[0]);
            if (!t)
                throw RestoreError(lineno,
                                   "table '" + toks[0] + "' is not supported by nfgate (filter, mangle, raw, nat)");
            cur = RestoreBlock{*t, lineno, {}, 0};
            cur->lines.reserve(lines.lines_until_commit());
            continue;
        }
        if (!in_table) throw RestoreError(lineno, "line outside of a table (missing `*table' line?)");
        if (skipping) continue;
        if (line[0] == ':') {
            auto toks = split_blank(line.substr(1));
            if (toks.empty()) throw RestoreError(lineno, "chain name invalid");
            ChainLine cl;
            cl.name = toks[0];
            if (cl.name.size() >= NFGATE_CHAIN_MAXNAMELEN)
                throw RestoreError(lineno, "Invalid chain name `" + cl.name + "' (" +
                                               std::to_string(NFGATE_CHAIN_MAXNAMELEN - 1) + " chars max)");
            if (toks.size() < 2) throw RestoreError(lineno, "policy invalid");
            cl.policy = toks[1];
            if (cl.policy != "-") {
                if (toks.size() >= 3) {
                    cl.counters = parse_bracket_counters(toks[2]);
                    if (!cl.counters)
                        throw RestoreError(lineno, "invalid policy counters for chain '" + cl.name + "'");
                } else if (opts.counters) {
                    throw RestoreError(lineno, "invalid policy counters for chain '" + cl.name + "'");
                }
                if (!opts.counters) cl.counters.reset();
            }
            cur->lines.push_back(RestoreLine{lineno, std::move(cl)});
            continue;
        }

        // A command line, optionally with "[pkts:bytes] " in front.
        std::string_view rest = line;
        args.clear();
        if (rest[0] == '[') {
            auto close = rest.find(']');
            if (close == std::string_view::npos) throw RestoreError(lineno, "Bad line: need ]");
            auto inner = rest.substr(1, close - 1);
            auto colon = inner.find(':');
            if (colon == std::string_view::npos || colon == 0) throw RestoreError(lineno, "Bad line: need :");
            auto pcnt = inner.substr(0, colon), bcnt = inner.substr(colon + 1);
            if (bcnt.empty()) throw RestoreError(lineno, "Bad line: need ]");
            if (opts.counters) {
                args.push_back("--set-counters");
                args.push_back(pcnt);
                args.push_back(bcnt);
            }
            rest = rest.substr(close + 1);
        }
        tokenize_into(rest, unquoted, args);
        ParseContext ctx;
        ctx.restore = true;
        ctx.restore_table = cur->table;
        // (in two steps: GCC 12 warns, wrongly, that the variant's moved
        // ChainLine may be used uninitialized)
        auto& slot = cur->lines.emplace_back();
        slot.line = lineno;
        slot.what.emplace<Command>();
        try {
            Command& c = std::get<Command>(slot.what);
            parse_command_into(std::span<const std::string_view>(args), ctx, c);
            if (c.help || c.version) throw UsageError("-h and -V are not allowed in restore input");
        } catch (const RestoreError&) {
            cur->lines.pop_back();
            throw;
        } catch (const UsageError& e) {
            // iptables-restore reports a rule's parse error as iptables
            // would, then "Error occurred at line: N".
            cur->lines.pop_back();
            IptablesText t = e.iptables_text();
            if (t.style == IptablesText::none) t = {IptablesText::xtables, e.what(), 0};
            throw RestoreError(lineno, e.what(), std::move(t));
        } catch (const Error& e) {
            cur->lines.pop_back();
            throw RestoreError(lineno, e.what());
        }
    }
    if (cur || skipping)
        throw RestoreError(lineno + 1, "COMMIT expected",
                           {IptablesText::plain, "COMMIT expected at line " + std::to_string(lineno + 1), 0});
    return blocks;
}

}  // namespace

std::vector<RestoreBlock> read_restore(std::istream& in, const RestoreOptions& opts) {
    return read_restore_data(slurp(in), opts);
}

std::vector<RestoreBlock> read_restore_file(const std::string& path, const RestoreOptions& opts) {
    if (path.empty() || path == "-") return read_restore(std::cin, opts);
    std::ifstream in(path);
    if (!in) throw Error("Can't open " + path + ": " + std::strerror(errno));
    return read_restore(in, opts);
}

}  // namespace nfgate
