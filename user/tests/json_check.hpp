// SPDX-License-Identifier: GPL-2.0
// Test-only JSON tools: a strict RFC 8259 parser (any deviation throws) and
// a validator for the subset of JSON Schema (2020-12) that
// Documentation/nfgate.schema.json uses: $ref to "#/$defs/...", type,
// const, enum, properties, required, items, minimum, maximum, minLength,
// oneOf.  Keywords it does not know make it fail, so the schema cannot
// grow a rule the test silently skips.  In strict mode an object may only
// hold the properties its schema lists: the writer cannot emit a field the
// schema forgot.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace jsoncheck {

struct Value;
using Object = std::vector<std::pair<std::string, Value>>;
using Array = std::vector<Value>;

struct Value {
    enum Kind { null, boolean, integer, number, string, array, object } kind = null;
    bool b = false;
    bool negative = false;  // integer: -u
    std::uint64_t u = 0;    // integer magnitude
    double d = 0;           // number (fraction or exponent)
    std::string s;
    std::shared_ptr<Array> a;
    std::shared_ptr<Object> o;

    const Value* get(std::string_view key) const {
        if (kind != object) return nullptr;
        for (const auto& [k, v] : *o)
            if (k == key) return &v;
        return nullptr;
    }
    const Value& at(std::string_view key) const {
        const Value* v = get(key);
        if (!v) throw std::runtime_error("no member " + std::string(key));
        return *v;
    }
    double as_double() const { return kind == integer ? (negative ? -double(u) : double(u)) : d; }
};

class Parser {
public:
    explicit Parser(std::string_view text) : t_(text) {}

    Value document() {
        Value v = value(0);
        ws();
        if (i_ != t_.size()) fail("text after the value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(i_));
    }
    void ws() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
    }
    bool eat(char c) {
        ws();
        if (i_ < t_.size() && t_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void expect_word(std::string_view w) {
        if (t_.substr(i_, w.size()) != w) fail("bad literal");
        i_ += w.size();
    }

    Value value(int depth) {
        if (depth > 64) fail("too deep");
        ws();
        if (i_ >= t_.size()) fail("value expected");
        Value v;
        char c = t_[i_];
        if (c == '{') {
            ++i_;
            v.kind = Value::object;
            v.o = std::make_shared<Object>();
            if (eat('}')) return v;
            do {
                ws();
                if (i_ >= t_.size() || t_[i_] != '"') fail("member name expected");
                std::string k = str();
                for (const auto& m : *v.o)
                    if (m.first == k) fail("duplicate member " + k);
                if (!eat(':')) fail("':' expected");
                v.o->emplace_back(std::move(k), value(depth + 1));
            } while (eat(','));
            if (!eat('}')) fail("'}' expected");
        } else if (c == '[') {
            ++i_;
            v.kind = Value::array;
            v.a = std::make_shared<Array>();
            if (eat(']')) return v;
            do v.a->push_back(value(depth + 1));
            while (eat(','));
            if (!eat(']')) fail("']' expected");
        } else if (c == '"') {
            v.kind = Value::string;
            v.s = str();
        } else if (c == 't') {
            expect_word("true");
            v.kind = Value::boolean;
            v.b = true;
        } else if (c == 'f') {
            expect_word("false");
            v.kind = Value::boolean;
        } else if (c == 'n') {
            expect_word("null");
        } else {
            num(v);
        }
        return v;
    }

    static bool digit(char c) { return c >= '0' && c <= '9'; }

    void num(Value& v) {
        std::size_t start = i_;
        if (t_[i_] == '-') ++i_;
        if (i_ >= t_.size() || !digit(t_[i_])) fail("number expected");
        if (t_[i_] == '0' && i_ + 1 < t_.size() && digit(t_[i_ + 1])) fail("leading zero");
        while (i_ < t_.size() && digit(t_[i_])) ++i_;
        bool frac = false;
        if (i_ < t_.size() && t_[i_] == '.') {
            frac = true;
            ++i_;
            if (i_ >= t_.size() || !digit(t_[i_])) fail("digit expected");
            while (i_ < t_.size() && digit(t_[i_])) ++i_;
        }
        if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
            frac = true;
            ++i_;
            if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
            if (i_ >= t_.size() || !digit(t_[i_])) fail("digit expected");
            while (i_ < t_.size() && digit(t_[i_])) ++i_;
        }
        std::string text(t_.substr(start, i_ - start));
        if (frac) {
            v.kind = Value::number;
            v.d = std::stod(text);
            return;
        }
        v.kind = Value::integer;
        v.negative = text[0] == '-';
        std::string mag = v.negative ? text.substr(1) : text;
        if (mag.size() > 20 || (mag.size() == 20 && mag > "18446744073709551615")) fail("integer too large");
        v.u = std::stoull(mag);
    }

    unsigned hex4() {
        if (i_ + 4 > t_.size()) fail("short \\u escape");
        unsigned x = 0;
        for (int k = 0; k < 4; ++k) {
            char c = t_[i_++];
            x <<= 4;
            if (digit(c))
                x |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                x |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                x |= unsigned(c - 'A' + 10);
            else
                fail("bad \\u escape");
        }
        return x;
    }

    static void put_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }

    // A string; raw bytes must be well-formed UTF-8 (RFC 8259 section 8.1).
    std::string str() {
        ++i_;  // '"'
        std::string out;
        for (;;) {
            if (i_ >= t_.size()) fail("unterminated string");
            auto c = static_cast<unsigned char>(t_[i_]);
            if (c == '"') {
                ++i_;
                return out;
            }
            if (c < 0x20) fail("raw control character in a string");
            if (c == '\\') {
                ++i_;
                if (i_ >= t_.size()) fail("unterminated escape");
                char e = t_[i_++];
                switch (e) {
                    case '"':
                        out += '"';
                        break;
                    case '\\':
                        out += '\\';
                        break;
                    case '/':
                        out += '/';
                        break;
                    case 'b':
                        out += '\b';
                        break;
                    case 'f':
                        out += '\f';
                        break;
                    case 'n':
                        out += '\n';
                        break;
                    case 'r':
                        out += '\r';
                        break;
                    case 't':
                        out += '\t';
                        break;
                    case 'u': {
                        unsigned cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF) {
                            if (t_.substr(i_, 2) != "\\u") fail("lone high surrogate");
                            i_ += 2;
                            unsigned lo = hex4();
                            if (lo < 0xDC00 || lo > 0xDFFF) fail("bad low surrogate");
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                            fail("lone low surrogate");
                        }
                        put_utf8(out, cp);
                        break;
                    }
                    default:
                        fail("bad escape");
                }
                continue;
            }
            std::size_t n = c < 0x80                   ? 1
                            : (c >= 0xC2 && c <= 0xDF) ? 2
                            : (c >= 0xE0 && c <= 0xEF) ? 3
                            : (c >= 0xF0 && c <= 0xF4) ? 4
                                                       : 0;
            if (!n || i_ + n > t_.size()) fail("invalid UTF-8");
            for (std::size_t k = 1; k < n; ++k)
                if ((static_cast<unsigned char>(t_[i_ + k]) & 0xC0) != 0x80) fail("invalid UTF-8");
            auto c1 = static_cast<unsigned char>(t_[i_ + 1 < t_.size() ? i_ + 1 : i_]);
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
                (c == 0xF4 && c1 > 0x8F))
                fail("invalid UTF-8");
            out.append(t_.substr(i_, n));
            i_ += n;
        }
    }

    std::string_view t_;
    std::size_t i_ = 0;
};

inline Value parse(std::string_view text) { return Parser(text).document(); }

inline bool equal(const Value& a, const Value& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case Value::null:
            return true;
        case Value::boolean:
            return a.b == b.b;
        case Value::integer:
            return a.u == b.u && a.negative == b.negative;
        case Value::number:
            return a.d == b.d;
        case Value::string:
            return a.s == b.s;
        case Value::array:
            if (a.a->size() != b.a->size()) return false;
            for (std::size_t i = 0; i < a.a->size(); ++i)
                if (!equal((*a.a)[i], (*b.a)[i])) return false;
            return true;
        case Value::object:
            if (a.o->size() != b.o->size()) return false;
            for (const auto& [k, v] : *a.o) {
                const Value* w = b.get(k);
                if (!w || !equal(v, *w)) return false;
            }
            return true;
    }
    return false;
}

// Validates against the schema subset; returns the problems ("" = valid).
class Validator {
public:
    Validator(Value schema, bool strict) : root_(std::move(schema)), strict_(strict) {}

    std::string validate(const Value& v) const { return check(root_, v, "$"); }

private:
    const Value& resolve(const std::string& ref) const {
        const std::string prefix = "#/$defs/";
        if (ref.compare(0, prefix.size(), prefix) != 0) throw std::runtime_error("unsupported $ref " + ref);
        return root_.at("$defs").at(ref.substr(prefix.size()));
    }

    static bool is_type(const Value& v, const std::string& t) {
        if (t == "object") return v.kind == Value::object;
        if (t == "array") return v.kind == Value::array;
        if (t == "string") return v.kind == Value::string;
        if (t == "integer") return v.kind == Value::integer;
        if (t == "number") return v.kind == Value::integer || v.kind == Value::number;
        if (t == "boolean") return v.kind == Value::boolean;
        if (t == "null") return v.kind == Value::null;
        throw std::runtime_error("unknown type " + t);
    }

    static std::size_t code_points(const std::string& s) {
        std::size_t n = 0;
        for (unsigned char c : s)
            if ((c & 0xC0) != 0x80) ++n;
        return n;
    }

    std::string check(const Value& schema, const Value& v, const std::string& at) const {
        if (schema.kind == Value::boolean) return schema.b ? "" : at + ": schema false\n";
        if (schema.kind != Value::object) throw std::runtime_error("schema is not an object at " + at);
        std::string err;
        for (const auto& [kw, arg] : *schema.o) {
            if (kw == "$schema" || kw == "$defs" || kw == "title" || kw == "description") continue;
            if (kw == "$ref") {
                err += check(resolve(arg.s), v, at);
            } else if (kw == "type") {
                bool ok = false;
                if (arg.kind == Value::string)
                    ok = is_type(v, arg.s);
                else
                    for (const auto& t : *arg.a) ok = ok || is_type(v, t.s);
                if (!ok) err += at + ": not of type " + (arg.kind == Value::string ? arg.s : "[...]") + "\n";
            } else if (kw == "const") {
                if (!equal(arg, v)) err += at + ": not the const value\n";
            } else if (kw == "enum") {
                bool ok = false;
                for (const auto& e : *arg.a) ok = ok || equal(e, v);
                if (!ok) err += at + ": not one of the enum values\n";
            } else if (kw == "minimum") {
                if ((v.kind == Value::integer || v.kind == Value::number) && v.as_double() < arg.as_double())
                    err += at + ": below minimum\n";
            } else if (kw == "maximum") {
                if ((v.kind == Value::integer || v.kind == Value::number) && v.as_double() > arg.as_double())
                    err += at + ": above maximum\n";
            } else if (kw == "minLength") {
                if (v.kind == Value::string && code_points(v.s) < arg.u) err += at + ": too short\n";
            } else if (kw == "required") {
                if (v.kind == Value::object)
                    for (const auto& r : *arg.a)
                        if (!v.get(r.s)) err += at + ": missing " + r.s + "\n";
            } else if (kw == "properties") {
                if (v.kind == Value::object) {
                    for (const auto& [k, sub] : *v.o) {
                        if (const Value* ps = arg.get(k))
                            err += check(*ps, sub, at + "." + k);
                        else if (strict_)
                            err += at + ": property " + k + " not in the schema\n";
                    }
                }
            } else if (kw == "items") {
                if (v.kind == Value::array)
                    for (std::size_t i = 0; i < v.a->size(); ++i)
                        err += check(arg, (*v.a)[i], at + "[" + std::to_string(i) + "]");
            } else if (kw == "oneOf") {
                int matched = 0;
                std::string why;
                for (const auto& alt : *arg.a) {
                    std::string e = check(alt, v, at);
                    if (e.empty())
                        ++matched;
                    else
                        why += e;
                }
                if (matched != 1)
                    err += at + ": matches " + std::to_string(matched) + " of oneOf's schemas\n" +
                           (matched ? "" : why);
            } else {
                throw std::runtime_error("schema keyword " + kw + " not supported by the test's validator");
            }
        }
        return err;
    }

    Value root_;
    bool strict_;
};

}  // namespace jsoncheck
