// SPDX-License-Identifier: GPL-2.0
// The binding nat targets (DNAT, SNAT): options, messages and text as
// iptables 1.8.9's libxt_DNAT.c gives them for both.
#include "ext/nat_binding.hpp"

#include "nfgate/error.hpp"

#include <string>

namespace nfgate {

namespace {

constexpr int TO_RANGE = 1;

class Parser final : public ExtParser {
public:
    Parser(const NatBinding& desc, std::span<const ExtOption> options)
        : desc_(desc), options_(options), seen_(options.size() + 1, false) {}

    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const auto idx = static_cast<std::size_t>(id);
        ext_check_option(desc_.kind, options_[idx - 1].name, seen_[idx], ctx.invert);
        seen_[idx] = true;
        if (id == TO_RANGE)
            nat_parse_to(desc_.kind, arg, nat_portok(ctx), desc_.allow_base, r_);
        else
            r_.flags |= desc_.flags[idx - 2].flag;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_[TO_RANGE])
            throw UsageError(std::string(desc_.kind) + ": option \"--" + std::string(desc_.to_option) +
                             "\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override { return nat_encode(r_); }

private:
    const NatBinding& desc_;
    std::span<const ExtOption> options_;
    NatRange r_;
    std::vector<bool> seen_;  // by option id
};

}  // namespace

NatBindingKind::NatBindingKind(const NatBinding& desc) : desc_(desc) {
    options_.push_back({desc.to_option, 1, TO_RANGE});
    int id = TO_RANGE;
    for (const NatFlagOption& f : desc.flags) options_.push_back({f.option, 0, ++id});
}

std::unique_ptr<ExtParser> NatBindingKind::parser() const {
    return std::make_unique<Parser>(desc_, options_);
}

void NatBindingKind::text(const NatRange& r, std::string& out, std::string_view to, std::string_view pfx) const {
    std::string s = nat_range_text(r);
    if (!s.empty()) out.append(to).append(s);
    for (const NatFlagOption& f : desc_.flags)
        if (r.flags & f.flag) out.append(" ").append(pfx).append(f.option);
}

void NatBindingKind::save(std::span<const std::uint8_t> data, std::string& out) const {
    text(nat_decode(data), out, " --" + std::string(desc_.to_option) + " ", "--");
}

void NatBindingKind::print(std::span<const std::uint8_t> data, std::string& out, bool) const {
    text(nat_decode(data), out, " to:", "");
}

}  // namespace nfgate
