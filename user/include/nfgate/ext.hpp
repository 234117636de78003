// SPDX-License-Identifier: GPL-2.0
// Match and target extensions (-m NAME, -j NAME): the interface each kind
// implements in its own file under user/src/ext/, the registry the parser,
// the formatters and the codec consult, and the attribute bytes a rule
// keeps of each extension (the payload of NFGATE_EXT_A_DATA, canonical, so
// that equal extensions compare equal byte for byte).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nfgate {

struct RuleSpec;
enum class Table : std::uint32_t;

// Netlink attributes written and read without libnl: the kinds stay pure
// (testable without a socket); the codec copies the bytes into messages.
class AttrWriter {
public:
    void put_u8(std::uint16_t type, std::uint8_t v) { put(type, &v, sizeof v); }
    void put_u16(std::uint16_t type, std::uint16_t v) { put(type, &v, sizeof v); }
    void put_u32(std::uint16_t type, std::uint32_t v) { put(type, &v, sizeof v); }
    void put_be32(std::uint16_t type, std::uint32_t host) { put_u32(type, to_be32(host)); }
    void put_flag(std::uint16_t type) { put(type, nullptr, 0); }
    void put_string(std::uint16_t type, std::string_view s);  // with its NUL
    void put(std::uint16_t type, const void* data, std::size_t len);
    std::vector<std::uint8_t> take() { return std::move(bytes_); }
    static std::uint32_t to_be32(std::uint32_t host);

private:
    std::vector<std::uint8_t> bytes_;
};

// The attributes of one DATA payload by type (the last of a type wins, as
// nla_parse). Lengths are checked by the typed getters: a short attribute
// is a malformed message (Error).
class AttrReader {
public:
    explicit AttrReader(std::span<const std::uint8_t> data);
    bool has(std::uint16_t type) const;
    std::uint8_t u8(std::uint16_t type) const;
    std::uint16_t u16(std::uint16_t type) const;
    std::uint32_t u32(std::uint16_t type) const;
    std::uint32_t be32(std::uint16_t type) const;  // to host order
    std::string string(std::uint16_t type) const;
    std::span<const std::uint8_t> raw(std::uint16_t type) const;

private:
    std::vector<std::span<const std::uint8_t>> attrs_;  // index = type
    std::vector<bool> present_;
};

// One long option of a kind, as getopt_long's struct option.
struct ExtOption {
    std::string_view name;
    int has_arg;  // 0 none, 1 required, 2 optional
    int id;       // the kind's own number, 0..99
};

// What an option's parser sees of the rule being parsed.
struct ExtParseContext {
    const RuleSpec& rule;  // core matches so far (-p, ...)
    Table table;
    bool invert;  // a '!' preceded the option
};

// The parse of one `-m NAME` or `-j NAME` instance, option by option.
class ExtParser {
public:
    virtual ~ExtParser() = default;
    // One option of options(); throws UsageError as iptables would.
    virtual void parse(int id, std::string_view arg, const ExtParseContext& ctx) = 0;
    // After the whole command line: required options, combinations.
    virtual void finish(const ExtParseContext& ctx) { (void)ctx; }
    // The kernel attributes, written in ascending type order (canonical).
    virtual std::vector<std::uint8_t> encode() const = 0;
};

// A match or target kind. Each lives in user/src/ext/<name>.cpp.
class ExtKind {
public:
    virtual ~ExtKind() = default;
    virtual std::string_view name() const = 0;  // "comment", "MARK"
    virtual bool is_target() const { return false; }
    virtual std::span<const ExtOption> options() const = 0;
    virtual std::unique_ptr<ExtParser> parser() const = 0;
    // iptables-save text after " -m NAME" (or " -j NAME"): " --mark 0x1".
    virtual void save(std::span<const std::uint8_t> data, std::string& out) const = 0;
    // iptables -L text of a match, or of a target after the matches.
    virtual void print(std::span<const std::uint8_t> data, std::string& out, bool numeric) const = 0;
    // The same, for a kind whose text depends on the rule (multiport
    // names ports as services of the rule's -p).
    virtual void print_in(const RuleSpec& rule, std::span<const std::uint8_t> data, std::string& out,
                          bool numeric) const {
        (void)rule;
        print(data, out, numeric);
    }
};

// One extension of a rule.
struct Ext {
    const ExtKind* kind = nullptr;
    std::vector<std::uint8_t> data;
    friend bool operator==(const Ext&, const Ext&) = default;
};

// Registry (user/src/ext/registry.cpp).
const ExtKind* find_match_kind(std::string_view name);
const ExtKind* find_target_kind(std::string_view name);
// Every kind, in the registry's order (for -h).
std::span<const ExtKind* const> all_match_kinds();
std::span<const ExtKind* const> all_target_kinds();

// The payload sorted by attribute type (stable): the canonical form of
// bytes that came from the kernel.
std::vector<std::uint8_t> canonical_attrs(std::span<const std::uint8_t> data);

// Shared value syntax: xtables_strtoui(base 0) of "VALUE[/MASK]" as mark,
// connmark and MARK take it; mask defaults to 0xffffffff.
struct ValueMask {
    std::uint32_t value = 0;
    std::uint32_t mask = 0xFFFFFFFFU;
    bool has_mask = false;
};
std::optional<ValueMask> parse_value_mask(std::string_view text);

// xtables_option_parse()'s checks of one option, in its order: given
// before ("KIND: option \"--OPT\" can only be used once."), then '!' on an
// option that does not take it ("... cannot be inverted.").
void ext_check_option(std::string_view kind, std::string_view opt, bool given_before, bool invert,
                      bool invertible = false);
// "0x%x" as iptables prints marks.
std::string hex32(std::uint32_t v);
// xtables_save_string(): " TEXT" when TEXT is only [A-Za-z0-9_-], else
// " \"TEXT\"" with '"', '\\' and '\'' escaped.
void save_string(std::string& out, std::string_view text);

}  // namespace nfgate
