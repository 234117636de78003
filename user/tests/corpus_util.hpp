// SPDX-License-Identifier: GPL-2.0
// Test helpers for the shared corpus: its location and a shell-like word
// splitter (the .t files' RULE column goes through a shell).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nfgate::test {

inline std::filesystem::path corpus_dir() { return std::filesystem::path(NFGATE_CORPUS_DIR); }

// POSIX shell word splitting for the subset used in the corpus: blanks,
// '...', "..." (with \" \\ escapes) and backslash escapes outside quotes.
inline std::vector<std::string> shell_split(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    bool in_word = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) out.push_back(cur), cur.clear(), in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\'') {
            for (++i; i < s.size() && s[i] != '\''; ++i) cur += s[i];
        } else if (c == '"') {
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size() &&
                    (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$'))
                    ++i;
                cur += s[i];
            }
        } else if (c == '\\' && i + 1 < s.size()) {
            cur += s[++i];
        } else {
            cur += c;
        }
    }
    if (in_word) out.push_back(cur);
    return out;
}

}  // namespace nfgate::test
