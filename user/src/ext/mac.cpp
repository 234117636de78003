// SPDX-License-Identifier: GPL-2.0
// "mac" match (libxt_mac): [!] --mac-source XX:XX:XX:XX:XX:XX, six parts
// of at most two characters, each read by strtoul(base 16) as
// xtopt_parse_ethermac() reads them; printed in lower case.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace nfgate {

namespace {

constexpr std::array<ExtOption, 1> options = {{{"mac-source", 1, 1}}};

using Mac = std::array<std::uint8_t, NFGATE_MAC_LEN>;

Mac parse_mac(std::string_view arg) {
    const std::string text(arg);
    const char* p = text.c_str();
    Mac mac{};
    for (std::size_t i = 0; i < mac.size(); ++i) {
        char* end = nullptr;
        mac[i] = static_cast<std::uint8_t>(std::strtoul(p, &end, 16));
        const char want = i + 1 < mac.size() ? ':' : '\0';
        if (*end != want || end - p > 2) throw UsageError("Invalid MAC address specified.");
        p = end + 1;
    }
    return mac;
}

std::string mac_text(std::span<const std::uint8_t> data) {
    AttrReader a(data);
    auto raw = a.raw(NFGATE_MAC_A_SRC);
    std::string out;
    char buf[4];
    for (std::size_t i = 0; i < raw.size(); ++i) {
        std::snprintf(buf, sizeof buf, i ? ":%02x" : "%02x", raw[i]);
        out += buf;
    }
    return out;
}

class Parser final : public ExtParser {
public:
    void parse(int, std::string_view arg, const ExtParseContext& ctx) override {
        ext_check_option("mac", "mac-source", seen_, ctx.invert, true);
        seen_ = true;
        mac_ = parse_mac(arg);
        invert_ = ctx.invert;
    }
    void finish(const ExtParseContext&) override {
        if (!seen_) throw UsageError("mac: option \"--mac-source\" must be specified");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put(NFGATE_MAC_A_SRC, mac_.data(), mac_.size());
        if (invert_) w.put_flag(NFGATE_MAC_A_INV);
        return w.take();
    }

private:
    Mac mac_{};
    bool invert_ = false, seen_ = false;
};

class MacKind final : public ExtKind {
public:
    std::string_view name() const override { return "mac"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        if (AttrReader(data).has(NFGATE_MAC_A_INV)) out += " !";
        out += " --mac-source " + mac_text(data);
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool) const override {
        out += " MAC ";
        if (AttrReader(data).has(NFGATE_MAC_A_INV)) out += "! ";
        out += mac_text(data);
    }
};

}  // namespace

const ExtKind& ext_mac() {
    static const MacKind kind;
    return kind;
}

}  // namespace nfgate
