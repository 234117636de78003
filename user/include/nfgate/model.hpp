// SPDX-License-Identifier: GPL-2.0
// An in-memory ruleset with the kernel's documented semantics for every
// write operation (errno values of Documentation/protocol.rst). Used to test
// planning and formatting without the module, and for dry runs.
#pragma once

#include "nfgate/op.hpp"
#include "nfgate/ruleset.hpp"

#include <map>
#include <string>
#include <vector>

namespace nfgate {

class RulesetModel {
public:
    RulesetModel();

    // Applies one operation; throws KernelError (errno, message) and then
    // changes nothing.
    void apply(const Op& op);
    // Applies all or nothing, like a committed transaction.
    void apply_all(const std::vector<Op>& ops);

    TableSnapshot snapshot(Table t) const;

private:
    struct Chain {
        bool builtin = false;
        Verdict policy = Verdict::accept;
        Counters counters;
        std::vector<RuleSpec> rules;
    };
    using Chains = std::map<std::string, Chain>;

    Chains& chains(Table t) { return tables_[static_cast<std::size_t>(t)]; }
    const Chains& chains(Table t) const { return tables_[static_cast<std::size_t>(t)]; }
    std::uint32_t refs(const Chains& cs, const std::string& name) const;
    bool reaches(const Chains& cs, const std::string& from, const std::string& to, int depth) const;
    void check_rule(const Chains& cs, const std::string& chain, const RuleSpec& r) const;

    std::vector<Chains> tables_;
    std::uint64_t next_handle_ = 1;
};

}  // namespace nfgate
