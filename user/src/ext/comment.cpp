// SPDX-License-Identifier: GPL-2.0
// "comment" match (libxt_comment): --comment TEXT, at most 255 bytes;
// saved as xtables_save_string() does, listed as /* TEXT */.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"comment", 1, 1}}};

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        if (ctx.invert) throw UsageError("comment: unexpected \"!\"");
        if (seen_) throw UsageError("comment match: \"--comment\" option may only be specified once");
        if (arg.size() >= NFGATE_COMMENT_MAXLEN)
            throw UsageError("comment: \"--comment\" must be no longer than 255 bytes");
        text_ = arg;
        seen_ = true;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("comment: option \"--comment\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_string(NFGATE_COMMENT_A_TEXT, text_);
        return w.take();
    }

private:
    std::string text_;
    bool seen_ = false;
};

class Comment final : public ExtKind {
public:
    std::string_view name() const override { return "comment"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        out += " --comment";
        save_string(out, AttrReader(data).string(NFGATE_COMMENT_A_TEXT));
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " /* " + AttrReader(data).string(NFGATE_COMMENT_A_TEXT) + " */";
    }
};

}  // namespace

const ExtKind& ext_comment() {
    static const Comment kind;
    return kind;
}

}  // namespace nfgate
