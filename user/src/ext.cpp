// SPDX-License-Identifier: GPL-2.0
// The attribute bytes of extensions (AttrWriter, AttrReader, canonical
// order) and the value syntax several kinds share.
#include "nfgate/ext.hpp"

#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"

#include <linux/netlink.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

namespace nfgate {

namespace {

constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

struct RawAttr {
    std::uint16_t type;
    std::span<const std::uint8_t> payload;
};

// Every attribute of data, in order; throws on a malformed payload.
std::vector<RawAttr> split_attrs(std::span<const std::uint8_t> data) {
    std::vector<RawAttr> out;
    std::size_t off = 0;
    while (off + NLA_HDRLEN <= data.size()) {
        nlattr h;
        std::memcpy(&h, data.data() + off, sizeof h);
        if (h.nla_len < NLA_HDRLEN || off + h.nla_len > data.size())
            throw Error("malformed extension attribute from the kernel");
        out.push_back({static_cast<std::uint16_t>(h.nla_type & NLA_TYPE_MASK),
                       data.subspan(off + NLA_HDRLEN, h.nla_len - NLA_HDRLEN)});
        off += align4(h.nla_len);
    }
    return out;
}

}  // namespace

void AttrWriter::put(std::uint16_t type, const void* data, std::size_t len) {
    nlattr h{};
    h.nla_len = static_cast<std::uint16_t>(NLA_HDRLEN + len);
    h.nla_type = type;
    std::size_t off = bytes_.size();
    bytes_.resize(off + align4(NLA_HDRLEN + len), 0);
    std::memcpy(bytes_.data() + off, &h, sizeof h);
    if (len) std::memcpy(bytes_.data() + off + NLA_HDRLEN, data, len);
}

void AttrWriter::put_string(std::uint16_t type, std::string_view s) {
    std::string z(s);
    put(type, z.c_str(), z.size() + 1);
}

std::uint32_t AttrWriter::to_be32(std::uint32_t host) {
    if constexpr (std::endian::native == std::endian::little)
        return ((host & 0xFF) << 24) | ((host & 0xFF00) << 8) | ((host >> 8) & 0xFF00) | (host >> 24);
    return host;
}

AttrReader::AttrReader(std::span<const std::uint8_t> data) {
    for (const auto& a : split_attrs(data)) {
        if (a.type >= attrs_.size()) {
            attrs_.resize(a.type + 1u);
            present_.resize(a.type + 1u, false);
        }
        attrs_[a.type] = a.payload;
        present_[a.type] = true;
    }
}

bool AttrReader::has(std::uint16_t type) const { return type < present_.size() && present_[type]; }

std::span<const std::uint8_t> AttrReader::raw(std::uint16_t type) const {
    if (!has(type)) return {};
    return attrs_[type];
}

namespace {

template <typename T>
T get(const AttrReader& r, std::uint16_t type) {
    auto p = r.raw(type);
    if (p.size() < sizeof(T)) throw Error("short extension attribute from the kernel");
    T v;
    std::memcpy(&v, p.data(), sizeof v);
    return v;
}

}  // namespace

std::uint8_t AttrReader::u8(std::uint16_t type) const { return get<std::uint8_t>(*this, type); }
std::uint16_t AttrReader::u16(std::uint16_t type) const { return get<std::uint16_t>(*this, type); }
std::uint32_t AttrReader::u32(std::uint16_t type) const { return get<std::uint32_t>(*this, type); }
std::uint32_t AttrReader::be32(std::uint16_t type) const { return AttrWriter::to_be32(u32(type)); }

std::string AttrReader::string(std::uint16_t type) const {
    auto p = raw(type);
    // Absent or empty: no bytes to point at (strnlen of a null pointer is
    // undefined even with length 0).
    if (p.empty()) return {};
    const char* s = reinterpret_cast<const char*>(p.data());
    return std::string(s, strnlen(s, p.size()));
}

std::vector<std::uint8_t> canonical_attrs(std::span<const std::uint8_t> data) {
    auto attrs = split_attrs(data);
    std::stable_sort(attrs.begin(), attrs.end(),
                     [](const RawAttr& a, const RawAttr& b) { return a.type < b.type; });
    AttrWriter w;
    for (const auto& a : attrs) w.put(a.type, a.payload.data(), a.payload.size());
    return w.take();
}

void ext_check_option(std::string_view kind, std::string_view opt, bool given_before, bool invert,
                      bool invertible) {
    const std::string o = std::string(kind) + ": option \"--" + std::string(opt) + "\"";
    if (given_before) throw UsageError(o + " can only be used once.");
    if (invert && !invertible) throw UsageError(o + " cannot be inverted.");
}

std::optional<ValueMask> parse_value_mask(std::string_view text) {
    ValueMask vm;
    auto slash = text.find('/');
    auto v = parse_uint(text.substr(0, slash), 0, UINT32_MAX);
    if (!v) return std::nullopt;
    vm.value = static_cast<std::uint32_t>(*v);
    if (slash != std::string_view::npos) {
        auto m = parse_uint(text.substr(slash + 1), 0, UINT32_MAX);
        if (!m) return std::nullopt;
        vm.mask = static_cast<std::uint32_t>(*m);
        vm.has_mask = true;
    }
    return vm;
}

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return buf;
}

void save_string(std::string& out, std::string_view text) {
    auto plain = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    };
    out += ' ';
    if (!text.empty() && std::all_of(text.begin(), text.end(), plain)) {
        out += text;
        return;
    }
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    out += '"';
}

}  // namespace nfgate
