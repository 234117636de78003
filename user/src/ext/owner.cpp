// SPDX-License-Identifier: GPL-2.0
// "owner" match (libxt_owner, revision 1): [!] --uid-owner USER|ID[-ID],
// [!] --gid-owner GROUP|ID[-ID], [!] --socket-exists, --suppl-groups
// (after --gid-owner). Names are resolved here, as iptables does, with
// the files behind getpwnam()/getgrnam(), /etc/passwd and /etc/group
// (fgetpwent()/fgetgrent(): the CLI is linked statically, and glibc's NSS
// modules, which getpwnam() would load, cannot run in a static program);
// the kernel only sees numbers. A range is
// "A-B" or "A:B", each at most 4294967294 (-1 is no ID); a reversed one
// passes here and the kernel refuses it, as xt_owner does.
#include "ext/kinds.hpp"

#include "nfgate/error.hpp"

#include <linux/nfgate.h>

#include <grp.h>
#include <pwd.h>

#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace nfgate {

namespace {

enum { USER = 1, GROUP, SOCK_EXISTS, SUPPL_GROUPS };

constexpr std::array<ExtOption, 4> options = {{
    {"uid-owner", 1, USER},
    {"gid-owner", 1, GROUP},
    {"socket-exists", 0, SOCK_EXISTS},
    {"suppl-groups", 0, SUPPL_GROUPS},
}};

// The first entry of FILE that PICK takes, as getpwnam() and friends on
// "files" do; nullopt when there is none (or no file).
template <typename Entry, typename T, typename Pick>
std::optional<T> scan(const char* file, Entry* (*next)(FILE*), Pick pick) {
    FILE* f = std::fopen(file, "re");
    if (!f) return std::nullopt;
    std::optional<T> found;
    while (Entry* e = next(f))
        if ((found = pick(*e))) break;
    std::fclose(f);
    return found;
}

std::optional<std::uint32_t> uid_of(const std::string& name) {
    return scan<passwd, std::uint32_t>("/etc/passwd", fgetpwent, [&](const passwd& p) -> std::optional<std::uint32_t> {
        if (name == p.pw_name) return p.pw_uid;
        return std::nullopt;
    });
}

std::optional<std::uint32_t> gid_of(const std::string& name) {
    return scan<group, std::uint32_t>("/etc/group", fgetgrent, [&](const group& g) -> std::optional<std::uint32_t> {
        if (name == g.gr_name) return g.gr_gid;
        return std::nullopt;
    });
}

std::optional<std::string> user_name(std::uint32_t uid) {
    return scan<passwd, std::string>("/etc/passwd", fgetpwent, [&](const passwd& p) -> std::optional<std::string> {
        if (p.pw_uid == uid && p.pw_name) return std::string(p.pw_name);
        return std::nullopt;
    });
}

std::optional<std::string> group_name(std::uint32_t gid) {
    return scan<group, std::string>("/etc/group", fgetgrent, [&](const group& g) -> std::optional<std::string> {
        if (g.gr_gid == gid && g.gr_name) return std::string(g.gr_name);
        return std::nullopt;
    });
}

// xtables_strtoui() with an end pointer: the number may be followed by more.
bool strtoui_prefix(const char* s, const char** end, std::uint32_t& out) {
    const char* p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r')) ++p;
    if (*p == '-') return false;
    char* e = nullptr;
    errno = 0;
    std::uintmax_t v = std::strtoumax(s, &e, 0);
    if (e == s) return false;
    *end = e;
    if (errno == ERANGE || v > 0xFFFFFFFEU) return false;
    out = static_cast<std::uint32_t>(v);
    return true;
}

struct IdRange {
    std::uint32_t min = 0, max = 0;
};

// owner_parse_range()
IdRange parse_range(const std::string& s, const char* opt) {
    auto bad = [&] { return UsageError(std::string("owner: Bad value for \"") + opt + "\" option: \"" + s + "\""); };
    IdRange r;
    const char* end = nullptr;
    if (!strtoui_prefix(s.c_str(), &end, r.min)) throw bad();
    r.max = r.min;
    if (*end == '-' || *end == ':')
        if (!strtoui_prefix(end + 1, &end, r.max)) throw bad();
    if (*end != '\0') throw bad();
    return r;
}

class Parser final : public ExtParser {
public:
    void parse(int id, std::string_view arg, const ExtParseContext& ctx) override {
        const std::string opt(options[static_cast<std::size_t>(id - 1)].name);
        ext_check_option("owner", opt, seen_ & (1U << id), ctx.invert, id != SUPPL_GROUPS);
        seen_ |= 1U << id;
        const std::string text(arg);
        switch (id) {
            case USER:
                if (auto uid = uid_of(text))
                    uid_ = {*uid, *uid};
                else
                    uid_ = parse_range(text, "--uid-owner");
                set(NFGATE_OWNER_UID, ctx.invert);
                break;
            case GROUP:
                if (auto gid = gid_of(text))
                    gid_ = {*gid, *gid};
                else
                    gid_ = parse_range(text, "--gid-owner");
                set(NFGATE_OWNER_GID, ctx.invert);
                break;
            case SOCK_EXISTS:
                set(NFGATE_OWNER_SOCKET, ctx.invert);
                break;
            case SUPPL_GROUPS:
                if (!(match_ & NFGATE_OWNER_GID))
                    throw UsageError(
                        "owner: Bad value for \"--suppl-groups\" option: \"you need to use --gid-owner first\"");
                match_ |= NFGATE_OWNER_SUPPL_GROUPS;
                break;
            default:
                break;
        }
    }
    void finish(const ExtParseContext&) override {
        if (!seen_)
            throw UsageError("owner: At least one of --uid-owner, --gid-owner or --socket-exists is required");
    }
    std::vector<std::uint8_t> encode() const override {
        AttrWriter w;
        w.put_u8(NFGATE_OWNER_A_MATCH, match_);
        if (inv_) w.put_u8(NFGATE_OWNER_A_INV, inv_);
        if (match_ & NFGATE_OWNER_UID) {
            w.put_u32(NFGATE_OWNER_A_UID_MIN, uid_.min);
            w.put_u32(NFGATE_OWNER_A_UID_MAX, uid_.max);
        }
        if (match_ & NFGATE_OWNER_GID) {
            w.put_u32(NFGATE_OWNER_A_GID_MIN, gid_.min);
            w.put_u32(NFGATE_OWNER_A_GID_MAX, gid_.max);
        }
        return w.take();
    }

private:
    void set(std::uint8_t bit, bool invert) {
        match_ |= bit;
        if (invert) inv_ |= bit;
    }
    std::uint8_t match_ = 0, inv_ = 0;
    IdRange uid_, gid_;
    unsigned seen_ = 0;
};

// owner_mt_print_item(): SOCKET, UID, GID, SUPPL_GROUPS in this order.
void items(std::span<const std::uint8_t> data, std::string& out, bool numeric,
           const std::array<const char*, 4>& label) {
    AttrReader a(data);
    const std::uint8_t match = a.u8(NFGATE_OWNER_A_MATCH);
    const std::uint8_t inv = a.has(NFGATE_OWNER_A_INV) ? a.u8(NFGATE_OWNER_A_INV) : 0;
    auto head = [&](std::uint8_t bit, const char* l) {
        if (!(match & bit)) return false;
        if (inv & bit) out += " !";
        out += " ";
        out += l;
        return true;
    };
    auto ids = [&](std::uint32_t min, std::uint32_t max, bool is_uid) {
        if (min != max) {
            out += " " + std::to_string(min) + "-" + std::to_string(max);
            return;
        }
        if (!numeric) {
            if (auto n = is_uid ? user_name(min) : group_name(min)) {
                out += " " + *n;
                return;
            }
        }
        out += " " + std::to_string(min);
    };
    head(NFGATE_OWNER_SOCKET, label[0]);
    if (head(NFGATE_OWNER_UID, label[1]))
        ids(a.u32(NFGATE_OWNER_A_UID_MIN), a.u32(NFGATE_OWNER_A_UID_MAX), true);
    if (head(NFGATE_OWNER_GID, label[2]))
        ids(a.u32(NFGATE_OWNER_A_GID_MIN), a.u32(NFGATE_OWNER_A_GID_MAX), false);
    head(NFGATE_OWNER_SUPPL_GROUPS, label[3]);
}

class Owner final : public ExtKind {
public:
    std::string_view name() const override { return "owner"; }
    std::span<const ExtOption> options() const override { return nfgate::options; }
    std::unique_ptr<ExtParser> parser() const override { return std::make_unique<Parser>(); }
    void save(std::span<const std::uint8_t> data, std::string& out) const override {
        items(data, out, true, {"--socket-exists", "--uid-owner", "--gid-owner", "--suppl-groups"});
    }
    void print(std::span<const std::uint8_t> data, std::string& out, bool numeric) const override {
        items(data, out, numeric,
              {"owner socket exists", "owner UID match", "owner GID match", "incl. suppl. groups"});
    }
};

}  // namespace

const ExtKind& ext_owner() {
    static const Owner kind;
    return kind;
}

}  // namespace nfgate
