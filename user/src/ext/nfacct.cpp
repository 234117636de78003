// SPDX-License-Identifier: GPL-2.0
// "nfacct" match (libxt_nfacct): --nfacct-name NAME (required, no
// newline; iptables cuts it to 31 bytes). The kernel binds the rule to the
// namespace's nfnetlink_acct object of that name and refuses a name that
// does not exist (ENOENT), as xt_nfacct does.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

enum { NAME = 1 };

constexpr std::array<ExtOption, 1> options = {{
    {"nfacct-name", 1, NAME},
}};

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        ext_check_option("nfacct", "nfacct-name", seen_, ctx.invert);
        seen_ = true;
        if (arg.empty())
            throw UsageError("Argument must have a minimum length of 1 characters");
        if (arg.find('\n') != std::string_view::npos) throw UsageError("Newlines not allowed in --nfacct-name");
        name_ = arg.substr(0, NFGATE_NFACCT_NAME_LEN - 1);
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("nfacct: option \"--nfacct-name\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_string(NFGATE_NFACCT_A_NAME, name_);
        return w.take();
    }

private:
    std::string name_;
    bool seen_ = false;
};

class Nfacct final : public ExtKind {
public:
    std::string_view name() const override { return "nfacct"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    // nfacct_print_name(): " --nfacct-name " then xtables_save_string(),
    // which adds its own space: iptables 1.8.9 prints two.
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        out += " --nfacct-name ";
        save_string(out, AttrReader(data).string(NFGATE_NFACCT_A_NAME));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " nfacct-name ";
        save_string(out, AttrReader(data).string(NFGATE_NFACCT_A_NAME));
    }
};

}  // namespace

const ExtKind& ext_nfacct() {
    static const Nfacct kind;
    return kind;
}

}  // namespace nfgate
