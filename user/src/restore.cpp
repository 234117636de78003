// SPDX-License-Identifier: GPL-2.0
// The iptables-restore input reader (ip46tables_restore_main's line loop):
// blocks of one table each, chain lines and parsed command lines.
#include "nfgate/restore.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

namespace nfgate {

std::vector<std::string> tokenize_restore_line(std::string_view line) {
    std::vector<std::string> out;
    std::string param;
    bool quote_open = false, escaped = false, quoted = false;
    for (char c : line) {
        if (quote_open) {
            if (escaped) {
                param += c;
                escaped = false;
                continue;
            } else if (c == '\\') {
                escaped = true;
                continue;
            } else if (c == '"') {
                quote_open = false;
            } else {
                param += c;
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
                if (param.empty() && !quoted) continue;
                break;
            default:
                param += c;
                continue;
        }
        out.push_back(param);
        param.clear();
        quoted = false;
    }
    if (!param.empty()) out.push_back(param);
    return out;
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

std::vector<RestoreBlock> read_restore(std::istream& in, const RestoreOptions& opts) {
    std::vector<RestoreBlock> blocks;
    std::optional<RestoreBlock> cur;
    bool skipping = false;  // inside a block of a table -T left out
    int lineno = 0;
    std::string line;
    while (std::getline(in, line)) {
        ++lineno;
        bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
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
            auto toks = split_blank(std::string_view(line).substr(1));
            if (toks.empty()) throw RestoreError(lineno, "table name invalid");
            if (opts.only_table && *opts.only_table != toks[0]) {
                skipping = true;
                continue;
            }
            auto t = table_from_name(toks[0]);
            if (!t)
                throw RestoreError(lineno,
                                   "table '" + toks[0] + "' is not supported by nfgate (filter, mangle)");
            cur = RestoreBlock{*t, lineno, {}, 0};
            continue;
        }
        if (!in_table) throw RestoreError(lineno, "line outside of a table (missing `*table' line?)");
        if (skipping) continue;
        if (line[0] == ':') {
            auto toks = split_blank(std::string_view(line).substr(1));
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
            cur->lines.push_back(RestoreLine{lineno, cl});
            continue;
        }

        // A command line, optionally with "[pkts:bytes] " in front.
        std::string_view rest = line;
        std::vector<std::string> args;
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
                args.emplace_back(pcnt);
                args.emplace_back(bcnt);
            }
            rest = rest.substr(close + 1);
        }
        for (auto& t : tokenize_restore_line(rest)) args.push_back(std::move(t));
        ParseContext ctx;
        ctx.restore = true;
        ctx.restore_table = cur->table;
        try {
            Command c = parse_command(args, ctx);
            if (c.help || c.version) throw UsageError("-h and -V are not allowed in restore input");
            cur->lines.push_back(RestoreLine{lineno, std::move(c)});
        } catch (const RestoreError&) {
            throw;
        } catch (const Error& e) {
            throw RestoreError(lineno, e.what());
        }
    }
    if (cur || skipping) throw RestoreError(lineno + 1, "COMMIT expected");
    return blocks;
}

std::vector<RestoreBlock> read_restore_file(const std::string& path, const RestoreOptions& opts) {
    if (path.empty() || path == "-") return read_restore(std::cin, opts);
    std::ifstream in(path);
    if (!in) throw Error("Can't open " + path + ": " + std::strerror(errno));
    return read_restore(in, opts);
}

}  // namespace nfgate
