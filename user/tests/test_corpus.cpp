// SPDX-License-Identifier: GPL-2.0
// iptables' own rule-syntax vectors (shared/corpus/iptables-tests/*.t,
// RULE;EXPECTED;RESULT): every line whose features nfgate supports goes
// through the parser, the in-memory kernel model and the save formatter.
// OK lines must print EXPECTED and be deletable by their original spelling;
// FAIL lines must be rejected. Skips follow one explicit rule (see skip_reason).
#include "corpus_util.hpp"

#include "nfgate/error.hpp"
#include "nfgate/format.hpp"
#include "nfgate/model.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace nfgate::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) out.push_back(cur);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

// The skip rule: a line is skipped exactly when it needs something nfgate
// does not implement:
//  - a table other than filter, mangle, raw and nat;
//  - a match other than tcp, udp and the kinds of user/src/ext/
//    (`-m X` / `--match X`, see find_match_kind);
//  - an iptables extension target (`-j LOG`, ... see is_unsupported_target);
//  - -f / --fragment.
// Everything else must pass.
std::string skip_reason(const std::string& table, const std::vector<std::string>& tok) {
    if (table != "filter" && table != "mangle" && table != "raw" && table != "nat") return "table " + table;
    static const std::set<std::string> unsupported_opts = {
        "-f", "--fragment", "--fragments"};
    for (std::size_t i = 0; i < tok.size(); ++i) {
        const std::string& t = tok[i];
        std::string next = i + 1 < tok.size() ? tok[i + 1] : "";
        std::string opt = t, val = next;
        if (auto eq = t.find('='); t.rfind("--", 0) == 0 && eq != std::string::npos)
            opt = t.substr(0, eq), val = t.substr(eq + 1);
        else if (t.size() > 2 && t[0] == '-' && t[1] != '-' && (t[1] == 'm' || t[1] == 'j' || t[1] == 'g'))
            opt = t.substr(0, 2), val = t.substr(2);
        if ((opt == "-m" || opt == "--match") && val != "tcp" && val != "udp" && !find_match_kind(val))
            return "match " + val;
        if ((opt == "-j" || opt == "--jump" || opt == "-g" || opt == "--goto") && is_unsupported_target(val))
            return "target " + val;
        if (unsupported_opts.count(opt)) return "option " + opt;
    }
    return "";
}

// RULE without -c/--set-counters values, as iptables-test.py deletes.
std::vector<std::string> without_counters(const std::vector<std::string>& tok) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < tok.size(); ++i) {
        if (tok[i] == "-c" || tok[i] == "--set-counters") {
            if (i + 1 < tok.size() && tok[i + 1].find(',') == std::string::npos) ++i;
            ++i;
            continue;
        }
        out.push_back(tok[i]);
    }
    return out;
}

struct Totals {
    int passed = 0, failed = 0, skipped = 0;
    std::map<std::string, int> skip_reasons;
    std::vector<std::string> failures;
};

// Returns "" on success, else what went wrong.
std::string run_one(const std::string& table, const std::string& chain, const std::string& rule,
                    const std::string& expected, bool want_ok) {
    auto tok = shell_split(rule);
    std::vector<std::string> args = {"-A", chain};
    if (table != "filter") args.insert(args.end(), {"-t", table});
    args.insert(args.end(), tok.begin(), tok.end());

    RulesetModel kernel;
    std::vector<RuleSpec> rules;
    try {
        Command cmd = parse_command(args);
        for (auto& op : plan_command(cmd)) kernel.apply(op);
        rules = cmd.rules();
    } catch (const Error& e) {
        if (want_ok) return std::string("rejected: ") + e.what();
        return "";
    }
    if (!want_ok) return "accepted, but iptables refuses it";
    if (rules.size() != 1) return "expected one rule, got " + std::to_string(rules.size());
    std::string want = "-A " + chain + " " + (expected == "=" ? rule : expected);
    auto snap = kernel.snapshot(*table_from_name(table));
    auto in_chain = snap.rules_of(chain);
    if (in_chain.size() != 1) return "rule not stored";
    std::string got = format_append(chain, in_chain.front()->rule);
    if (got != want) return "saved as `" + got + "', expected `" + want + "'";
    // Step 3 of iptables-test.py: delete by the original spelling.
    std::vector<std::string> dargs = {"-D", chain};
    if (table != "filter") dargs.insert(dargs.end(), {"-t", table});
    auto dtok = without_counters(tok);
    dargs.insert(dargs.end(), dtok.begin(), dtok.end());
    try {
        for (auto& op : plan_command(parse_command(dargs))) kernel.apply(op);
    } catch (const Error& e) {
        return std::string("delete failed: ") + e.what();
    }
    return "";
}

TEST(Corpus, IptablesRuleSyntaxVectors) {
    fs::path dir = corpus_dir() / "iptables-tests";
    if (!fs::is_directory(dir)) GTEST_SKIP() << "corpus not found at " << dir << " (set NFGATE_CORPUS_DIR)";

    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".t") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    ASSERT_FALSE(files.empty());

    Totals total;
    std::map<std::string, Totals> per_file;
    for (const auto& f : files) {
        std::ifstream in(f);
        std::string line, table = "filter";
        std::vector<std::string> chains;
        int lineno = 0;
        Totals& ft = per_file[f.filename().string()];
        while (std::getline(in, line)) {
            ++lineno;
            if (line.empty() || line[0] == '#' || line[0] == '@' || line[0] == '%') continue;
            if (line[0] == ':') {
                chains = split(line.substr(1), ',');
                continue;
            }
            if (line[0] == '*') {
                table = line.substr(1);
                continue;
            }
            auto cols = split(line, ';');
            ASSERT_GE(cols.size(), 3U) << f << ":" << lineno;
            ASSERT_FALSE(chains.empty()) << f << ":" << lineno << " broken test";
            std::string result = cols[2];
            if (cols.size() >= 4 && cols[3] == "NFT") {
                // The result holds for nft; legacy gets the alternative.
                if (cols.size() >= 5 && !cols[4].empty())
                    result = cols[4];
                else
                    result = result == "OK" ? "FAIL" : "OK";
            }
            std::string reason = skip_reason(table, shell_split(cols[0]));
            if (reason.empty() && result != "OK" && result != "FAIL") reason = "result " + result;
            if (!reason.empty()) {
                ++ft.skipped;
                ++total.skipped;
                ++total.skip_reasons[reason];
                continue;
            }
            std::string problem;
            for (const auto& chain : chains) {
                problem = run_one(table, chain, cols[0], cols[1], result == "OK");
                if (!problem.empty()) {
                    problem = chain + ": " + problem;
                    break;
                }
            }
            if (problem.empty()) {
                ++ft.passed;
                ++total.passed;
            } else {
                ++ft.failed;
                ++total.failed;
                total.failures.push_back(f.filename().string() + ":" + std::to_string(lineno) + ": `" + line +
                                         "': " + problem);
            }
        }
    }

    std::cout << "iptables-tests corpus per file (passed/failed/skipped):\n";
    for (const auto& [name, t] : per_file)
        if (t.passed || t.failed)
            std::cout << "  " << name << ": " << t.passed << "/" << t.failed << "/" << t.skipped << "\n";
    std::cout << "skip reasons:";
    for (const auto& [r, n] : total.skip_reasons) std::cout << " [" << r << "]x" << n;
    std::cout << "\ncorpus lines: " << total.passed << " passed, " << total.failed << " failed, "
              << total.skipped << " skipped\n";
    for (const auto& msg : total.failures) ADD_FAILURE() << msg;
    EXPECT_EQ(total.failed, 0);
    EXPECT_GT(total.passed, 100);
    // Every kind the vectors use is implemented: a skip now means a new
    // vector file needs an extension nfgate lacks; list it here first.
    EXPECT_EQ(total.skipped, 0);
    RecordProperty("corpus_passed", total.passed);
    RecordProperty("corpus_skipped", total.skipped);
}

}  // namespace
}  // namespace nfgate::test
