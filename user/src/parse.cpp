// SPDX-License-Identifier: GPL-2.0
// The iptables argv parser: a getopt_long emulation (short clusters, long
// options with '=' and unique-prefix abbreviation, in-order '!'), the
// command/option table checks of iptables' do_parse(), and the tcp/udp match
// options (loaded with -m or implicitly by -p when an unknown option shows up).
#include "nfgate/parse.hpp"

#include "nfgate/error.hpp"
#include "nfgate/iptables_text.hpp"

#include <netdb.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdlib>
#include <span>

namespace nfgate {

namespace {

constexpr std::size_t chain_maxnamelen = NFGATE_CHAIN_MAXNAMELEN;  // 29, with the NUL
constexpr std::size_t ifnamsiz = NFGATE_IFNAMSIZ;

enum OptionBits : unsigned {
    OPT_NONE = 0,
    OPT_NUMERIC = 1U << 0,
    OPT_SOURCE = 1U << 1,
    OPT_DESTINATION = 1U << 2,
    OPT_PROTOCOL = 1U << 3,
    OPT_JUMP = 1U << 4,
    OPT_VERBOSE = 1U << 5,
    OPT_EXPANDED = 1U << 6,
    OPT_VIANAMEIN = 1U << 7,
    OPT_VIANAMEOUT = 1U << 8,
    OPT_LINENUMBERS = 1U << 9,
    OPT_COUNTERS = 1U << 10,
    OPT_FRAGMENT = 1U << 11,
};
constexpr int number_of_opt = 12;

constexpr unsigned cmd_idrac = CMD_INSERT | CMD_DELETE | CMD_REPLACE | CMD_APPEND | CMD_CHECK;

// Which commands each option is legal with (iptables' options_v_commands).
constexpr std::array<unsigned, number_of_opt> options_v_commands = {
    CMD_LIST,                                                // numeric
    cmd_idrac,                                               // source
    cmd_idrac,                                               // destination
    cmd_idrac,                                               // protocol
    cmd_idrac,                                               // jump
    UINT_MAX,                                                // verbose
    CMD_LIST,                                                // expanded
    cmd_idrac,                                               // in-interface
    cmd_idrac,                                               // out-interface
    CMD_LIST,                                                // line-numbers
    CMD_INSERT | CMD_REPLACE | CMD_APPEND | CMD_SET_POLICY,  // counters
    cmd_idrac,                                               // fragment
};

const char* option_name(unsigned opt) {
    switch (opt) {
        case OPT_NUMERIC:
            return "--numeric";
        case OPT_SOURCE:
            return "--source";
        case OPT_DESTINATION:
            return "--destination";
        case OPT_PROTOCOL:
            return "--protocol";
        case OPT_JUMP:
            return "--jump";
        case OPT_VERBOSE:
            return "--verbose";
        case OPT_EXPANDED:
            return "--exact";
        case OPT_VIANAMEIN:
            return "--in-interface";
        case OPT_VIANAMEOUT:
            return "--out-interface";
        case OPT_LINENUMBERS:
            return "--line-numbers";
        case OPT_COUNTERS:
            return "--set-counters";
        case OPT_FRAGMENT:
            return "--fragments";
        default:
            return "unknown option";
    }
}

bool option_invertible(unsigned opt) {
    return opt &
           (OPT_SOURCE | OPT_DESTINATION | OPT_PROTOCOL | OPT_VIANAMEIN | OPT_VIANAMEOUT | OPT_FRAGMENT);
}

// Values for options that have no short letter.
enum : int {
    VAL_LINENUMBERS = '0',
    VAL_NONOPT = 1,
    VAL_SPORT = 1001,
    VAL_DPORT,
    VAL_SYN,
    VAL_TCPFLAGS,
    VAL_TCPOPTION,
};

// getopt_long's struct option; extensions' tables have the same shape.
using LongOpt = ExtOption;

// Option values of extension instance i: ext_val_base + i * ext_val_step + id.
constexpr int ext_val_base = 2000;
constexpr int ext_val_step = 100;

constexpr std::array<LongOpt, 37> core_long_opts = {{
    {"append", 1, 'A'},    {"delete", 1, 'D'},       {"check", 1, 'C'},         {"insert", 1, 'I'},
    {"replace", 1, 'R'},   {"list", 2, 'L'},         {"list-rules", 2, 'S'},    {"flush", 2, 'F'},
    {"zero", 2, 'Z'},      {"new-chain", 1, 'N'},    {"delete-chain", 2, 'X'},  {"rename-chain", 1, 'E'},
    {"policy", 1, 'P'},    {"source", 1, 's'},       {"destination", 1, 'd'},   {"src", 1, 's'},
    {"dst", 1, 'd'},       {"protocol", 1, 'p'},     {"in-interface", 1, 'i'},  {"jump", 1, 'j'},
    {"table", 1, 't'},     {"match", 1, 'm'},        {"numeric", 0, 'n'},       {"out-interface", 1, 'o'},
    {"verbose", 0, 'v'},   {"wait", 2, 'w'},         {"wait-interval", 2, 'W'}, {"exact", 0, 'x'},
    {"fragments", 0, 'f'}, {"version", 0, 'V'},      {"help", 2, 'h'},          {"line-numbers", 0, '0'},
    {"modprobe", 1, 'M'},  {"set-counters", 1, 'c'}, {"goto", 1, 'g'},          {"ipv4", 0, '4'},
    {"ipv6", 0, '6'},
}};

// nfgate's own command line only (ParseContext::output_format): the same
// option as -o, so "--out" stays an unambiguous abbreviation.
constexpr std::array<LongOpt, 1> output_long_opts = {{
    {"output", 1, 'o'},
}};

constexpr std::array<LongOpt, 7> tcp_long_opts = {{
    {"source-port", 1, VAL_SPORT},
    {"sport", 1, VAL_SPORT},
    {"destination-port", 1, VAL_DPORT},
    {"dport", 1, VAL_DPORT},
    {"syn", 0, VAL_SYN},
    {"tcp-flags", 1, VAL_TCPFLAGS},
    {"tcp-option", 1, VAL_TCPOPTION},
}};

constexpr std::array<LongOpt, 4> udp_long_opts = {{
    {"source-port", 1, VAL_SPORT},
    {"sport", 1, VAL_SPORT},
    {"destination-port", 1, VAL_DPORT},
    {"dport", 1, VAL_DPORT},
}};

// iptables' IPT_OPTSTRING without the leading "-:".
constexpr std::string_view short_opts =
    "A:C:D:E:F::I:L::M:N:P:R:S::VX::Z::c:d:i:j:o:p:s:t:vW::46fg:h::m:nw::x";

int short_has_arg(char c) {
    auto pos = short_opts.find(c);
    if (pos == std::string_view::npos || c == ':') return -1;
    if (pos + 1 < short_opts.size() && short_opts[pos + 1] == ':') {
        if (pos + 2 < short_opts.size() && short_opts[pos + 2] == ':') return 2;
        return 1;
    }
    return 0;
}

// Extension targets of iptables (and QUEUE) that nfgate cannot run yet;
// the ones it can are in user/src/ext/ (find_target_kind).
constexpr std::array<std::string_view, 29> unsupported_targets = {{
    "AUDIT", "CLASSIFY", "CLUSTERIP", "CONNSECMARK", "DNPT", "DSCP", "ECN", "HL", "HMARK",
    "IDLETIMER", "LED", "MIRROR", "NETMAP", "RATEEST", "SAME", "SECMARK", "SET", "SNPT", "SYNPROXY",
    "TCPOPTSTRIP", "TEE", "TOS", "TPROXY", "TRACE", "ULOG", "ULOGD", "IPMARK", "ROUTE",
    "STANDARD",
}};

// The set match and the SET target need ipset's kernel sets, which
// nfgate has no equivalent of: say so rather than only "not supported".
bool needs_ipset(std::string_view what, std::string_view name) {
    return what == "match" ? name == "set" : name == "SET";
}

// iptables' words for an extension it cannot load (its dlopen() error
// after the colon), with nfgate's reason in their place.
IptablesText unsupported_text(std::string_view what, std::string_view name) {
    return {IptablesText::xtables,
            "Couldn't load " + std::string(what) + " `" + std::string(name) + "':" +
                (needs_ipset(what, name) ? "needs ipset, " : "") + "not supported by nfgate\n",
            0};
}

// The refusal of -m NAME or -j NAME that nfgate lacks (WHAT: "match" or
// "target").
[[noreturn]] void refuse_unsupported(std::string_view what, std::string_view name) {
    if (needs_ipset(what, name))
        throw UsageError("the " + std::string(name) + " " + std::string(what) +
                             " needs ipset, which is not supported by nfgate",
                         unsupported_text(what, name));
    throw UsageError(std::string(what) + " `" + std::string(name) + "' is not supported by nfgate",
                     unsupported_text(what, name));
}

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

bool has_space(std::string_view s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// sscanf("%llu") as iptables uses it for -c: leading blanks, optional sign,
// at least one digit; trailing garbage ignored.
std::optional<std::uint64_t> scan_llu(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::size_t j = i;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j >= s.size() || !std::isdigit(static_cast<unsigned char>(s[j]))) return std::nullopt;
    return std::strtoull(s.c_str() + i, nullptr, 10);
}

std::uint32_t prefix_mask(unsigned bits) { return bits == 0 ? 0 : 0xFFFFFFFFU << (32 - bits); }

// xtables' __numeric_to_ipaddr: 1..4 dotted parts (fewer parts are a network
// address completed with zeros), or exactly 4 for a mask.
std::optional<std::uint32_t> numeric_to_ip(std::string_view text, bool is_mask) {
    std::string_view buf = text.substr(0, 19);
    std::array<std::uint32_t, 4> b = {0, 0, 0, 0};
    std::size_t p = 0;
    for (int i = 0; i < 3; ++i) {
        auto q = buf.find('.', p);
        if (q == std::string_view::npos) {
            if (is_mask) return std::nullopt;
            auto v = parse_uint(buf.substr(p), 0, 255);
            if (!v) return std::nullopt;
            b[i] = static_cast<std::uint32_t>(*v);
            return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
        }
        auto v = parse_uint(buf.substr(p, q - p), 0, 255);
        if (!v) return std::nullopt;
        b[i] = static_cast<std::uint32_t>(*v);
        p = q + 1;
    }
    auto v = parse_uint(buf.substr(p), 0, 255);
    if (!v) return std::nullopt;
    b[3] = static_cast<std::uint32_t>(*v);
    return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
}

void add_command(unsigned& cmd, unsigned newcmd, unsigned othercmds, bool invert);

char cmd2char(unsigned option) {
    static constexpr char cmdflags[] = {'I', 'D', 'D', 'R', 'A', 'L', 'F', 'Z',
                                        'N', 'X', 'P', 'E', 'S', 'Z', 'C'};
    unsigned i = 0;
    for (; option > 1; option >>= 1, ++i)
        ;
    return i < sizeof(cmdflags) ? cmdflags[i] : '?';
}

void add_command(unsigned& cmd, unsigned newcmd, unsigned othercmds, bool invert) {
    if (invert) throw UsageError("unexpected '!' flag");
    if (cmd & ~othercmds)
        throw UsageError(std::string("Cannot use -") + cmd2char(newcmd) + " with -" +
                         cmd2char(cmd & ~othercmds));
    cmd |= newcmd;
}

class Parser {
public:
    // Fills out, a default-constructed Command, in place.
    Parser(std::span<const std::string_view> args, const ParseContext& ctx, Command& out)
        : args_(args), ctx_(ctx), cmd_(out) {
        if (ctx.restore) cmd_.table = ctx.restore_table;
    }

    void run();

private:
    // Views into args_, which outlive the parse.
    struct Found {
        int val = 0;              // 0: unknown, '?': unknown/ambiguous, ':': missing arg
        std::string_view optarg;  // valid when has_optarg
        bool has_optarg = false;
        std::string_view long_written;  // a long option as written, for messages
        char short_written = 0;         // or the letter of a short one

        std::string written() const {
            return short_written ? std::string{'-', short_written} : std::string(long_written);
        }
    };

    bool has_arg() const {
        return next_ < args_.size() &&
               (args_[next_].empty() || (args_[next_][0] != '-' && args_[next_][0] != '!'));
    }

    // One table of long options and what its ids are offset by.
    struct OptList {
        std::span<const LongOpt> opts;
        int offset = 0;
    };
    static constexpr std::size_t max_lists = NFGATE_MAX_RULE_EXTS + 4;

    // The long options getopt_long sees: the core table, then the loaded
    // matches' and target's, newest first (xtables_merge_options puts a
    // new extension's options before the older ones).
    std::size_t active_long_opts(std::array<OptList, max_lists>& out) const {
        std::size_t n = 0;
        out[n++] = {core_long_opts, 0};
        if (ctx_.output_format) out[n++] = {output_long_opts, 0};
        for (std::size_t i = exts_.size() + 1; i-- > 0;) {
            if (l4_proto_ && i == l4_loaded_at_)
                out[n++] = {l4_proto_ == 6 ? std::span<const LongOpt>(tcp_long_opts)
                                           : std::span<const LongOpt>(udp_long_opts),
                            0};
            if (i > 0 && n < max_lists)
                out[n++] = {exts_[i - 1].kind->options(),
                            ext_val_base + static_cast<int>(i - 1) * ext_val_step};
        }
        return n;
    }

    // A -m NAME or -j NAME extension being parsed.
    struct Loaded {
        const ExtKind* kind;
        std::unique_ptr<ExtParser> parser;
    };
    void load_ext(const ExtKind* kind);
    void parse_ext_option(int val, std::string_view optarg);
    ExtParseContext ext_context() const;

    Found next_long(std::string_view arg);
    Found next_short();
    void dispatch(Found& f);
    void set_option(unsigned opt);
    bool load_proto();
    void check_unsupported_proto_option(const std::string& written) const;
    void parse_l4_option(int val, std::string_view optarg);
    void command_jump(std::string_view target, bool go_to);
    void post_checks();

    std::span<const std::string_view> args_;
    const ParseContext& ctx_;
    Command& cmd_;
    std::size_t next_ = 0;     // getopt's optind
    std::size_t cluster_ = 0;  // position inside a short-option cluster, 0 = none
    bool invert_ = false;
    unsigned options_ = 0;
    bool table_set_ = false;
    std::string_view table_text_ = "filter";

    std::optional<std::string> protocol_;
    bool proto_used_ = false;
    std::uint8_t l4_proto_ = 0;  // 6 or 17 once a tcp/udp match is loaded
    std::size_t l4_loaded_at_ = 0;  // exts_.size() when it was
    std::vector<Loaded> exts_;      // matches and the target, in load order
    unsigned l4_flags_ = 0;
    std::string_view shost_, dhost_;
    bool invert_src_ = false;
    bool invert_dst_ = false;
    std::string_view jumpto_;
    bool goto_ = false;
};

Parser::Found Parser::next_long(std::string_view arg) {
    Found f;
    f.long_written = arg;
    std::string_view body = arg.substr(2);
    std::string_view name = body;
    std::optional<std::string_view> inline_arg;
    if (auto eq = body.find('='); eq != std::string_view::npos) {
        name = body.substr(0, eq);
        inline_arg = body.substr(eq + 1);
    }
    std::array<OptList, max_lists> lists;
    std::size_t nlists = active_long_opts(lists);
    std::span<const OptList> opts(lists.data(), nlists);
    const LongOpt* match = nullptr;
    int offset = 0;
    bool ambiguous = false;
    for (const auto& list : opts) {
        for (const auto& o : list.opts)
            if (o.name == name) {
                match = &o;
                offset = list.offset;
                break;
            }
        if (match) break;
    }
    if (!match) {
        for (const auto& list : opts)
            for (const auto& o : list.opts) {
                if (o.name.substr(0, name.size()) != name) continue;
                if (!match) {
                    match = &o;
                    offset = list.offset;
                } else if (match->id + offset != o.id + list.offset || match->has_arg != o.has_arg) {
                    ambiguous = true;
                }
            }
    }
    static const LongOpt none{};
    const LongOpt& o = match ? *match : none;
    if (!match || ambiguous) {
        f.val = '?';
        return f;
    }
    if (o.has_arg == 0) {
        if (inline_arg) {
            f.val = '?';
            return f;
        }
    } else if (inline_arg) {
        f.optarg = *inline_arg;
        f.has_optarg = true;
    } else if (o.has_arg == 1) {
        if (next_ >= args_.size()) {
            f.val = ':';
            return f;
        }
        f.optarg = args_[next_++];
        f.has_optarg = true;
    }
    f.val = o.id + offset;
    return f;
}

Parser::Found Parser::next_short() {
    std::string_view arg = args_[next_ - 1];
    char c = arg[cluster_++];
    Found f;
    f.short_written = c;
    bool last = cluster_ >= arg.size();
    int kind = short_has_arg(c);
    if (kind < 0) {
        if (last) cluster_ = 0;
        f.val = '?';
        return f;
    }
    if (kind == 0) {
        if (last) cluster_ = 0;
        f.val = c;
        return f;
    }
    if (!last) {
        f.optarg = arg.substr(cluster_);
        f.has_optarg = true;
    } else if (kind == 1) {
        if (next_ >= args_.size()) {
            cluster_ = 0;
            f.val = ':';
            return f;
        }
        f.optarg = args_[next_++];
        f.has_optarg = true;
    }
    cluster_ = 0;
    f.val = c;
    return f;
}

void Parser::set_option(unsigned opt) {
    if (options_ & opt)
        throw UsageError(std::string("multiple ") + option_name(opt) + " options not allowed");
    options_ |= opt;
    if (invert_ && !option_invertible(opt))
        throw UsageError(std::string("cannot have ! before ") + option_name(opt));
}

// iptables' load_proto(): the first unknown option after -p tries to load
// the protocol's match. Only tcp and udp exist here.
bool Parser::load_proto() {
    if (!protocol_ || proto_used_) return false;
    proto_used_ = true;
    std::string name = *protocol_;
    if (auto n = parse_uint(name, 0, 255)) {
        auto pname = builtin_proto_name(static_cast<std::uint8_t>(*n));
        if (!pname) return false;
        name = std::string(*pname);
    }
    if (name == "tcp" || name == "udp") {
        if (l4_proto_ != 0) return false;  // already loaded (explicitly): option really unknown
        l4_proto_ = name == "tcp" ? 6 : 17;
        l4_loaded_at_ = exts_.size();
        cmd_.rule.l4 = L4Match{};
        return true;
    }
    // Other protocols whose match nfgate has (icmp), as an extension.
    const ExtKind* k = find_match_kind(name);
    if (!k || name != "icmp") return false;
    for (const auto& e : exts_)
        if (e.kind == k) return false;
    load_ext(k);
    return true;
}

// iptables would have loaded the match of -p (sctp, dccp, ...) and parsed
// its options; say so instead of calling them unknown.
void Parser::check_unsupported_proto_option(const std::string& written) const {
    if (!protocol_ || written.rfind("--", 0) != 0) return;
    struct ProtoOpts {
        std::string_view match;
        std::uint8_t num;
        std::array<std::string_view, 5> opts;
    };
    static constexpr std::array<ProtoOpts, 4> table = {{
        {"sctp", 132, {"source-port", "sport", "destination-port", "dport", "chunk-types"}},
        {"dccp", 33, {"source-port", "sport", "destination-port", "dport", "dccp-types"}},
        {"esp", 50, {"espspi", "", "", "", ""}},
        {"ah", 51, {"ahspi", "", "", "", ""}},
    }};
    std::string name =
        written.substr(2, written.find('=') == std::string::npos ? std::string::npos : written.find('=') - 2);
    std::uint8_t num = cmd_.rule.proto_num();
    for (const auto& p : table) {
        if (p.num != num) continue;
        for (auto o : p.opts)
            if (!o.empty() && o == name)
                throw UsageError("match `" + std::string(p.match) + "' (" + written +
                                 ") is not supported by nfgate");
    }
}

// libxt_tcp's parse_tcp_flag(): comma-separated names, any case; empty
// items are skipped.
std::uint8_t parse_tcp_flags(std::string_view text) {
    static constexpr std::pair<std::string_view, std::uint8_t> names[] = {
        {"FIN", 0x01}, {"SYN", 0x02}, {"RST", 0x04}, {"PSH", 0x08},
        {"ACK", 0x10}, {"URG", 0x20}, {"ALL", 0x3F}, {"NONE", 0},
    };
    std::uint8_t ret = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto comma = text.find(',', pos);
        auto item = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
        pos = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
        if (item.empty()) continue;
        bool found = false;
        for (const auto& [name, bit] : names)
            if (lower(name) == lower(item)) {
                ret |= bit;
                found = true;
                break;
            }
        if (!found) throw UsageError("Unknown TCP flag `" + std::string(item) + "'");
    }
    return ret;
}

void Parser::parse_l4_option(int val, std::string_view optarg) {
    std::string_view pname = l4_proto_ == 6 ? "tcp" : "udp";
    auto& l4 = *cmd_.rule.l4;
    switch (val) {
        case VAL_SPORT:
            if (l4_flags_ & 1) throw UsageError("Only one `--source-port' allowed");
            l4.sport = parse_port_range(optarg, pname);
            l4.sport.invert = invert_;
            l4_flags_ |= 1;
            break;
        case VAL_DPORT:
            if (l4_flags_ & 2) throw UsageError("Only one `--destination-port' allowed");
            l4.dport = parse_port_range(optarg, pname);
            l4.dport.invert = invert_;
            l4_flags_ |= 2;
            break;
        case VAL_SYN:
        case VAL_TCPFLAGS: {
            if (l4_flags_ & 4) throw UsageError("Only one of `--syn' or `--tcp-flags'  allowed");
            if (val == VAL_SYN) {
                l4.flags_mask = parse_tcp_flags("SYN,RST,ACK,FIN");
                l4.flags_comp = parse_tcp_flags("SYN");
            } else {
                // The comparison is the next word, as libxt_tcp takes argv[optind].
                if (next_ >= args_.size() ||
                    (!args_[next_].empty() && (args_[next_][0] == '-' || args_[next_][0] == '!')))
                    throw UsageError("--tcp-flags requires two args.");
                l4.flags_mask = parse_tcp_flags(optarg);
                l4.flags_comp = parse_tcp_flags(args_[next_++]);
            }
            l4.has_flags = true;
            l4.flags_invert = invert_;
            l4_flags_ |= 4;
            break;
        }
        case VAL_TCPOPTION: {
            if (l4_flags_ & 8) throw UsageError("Only one `--tcp-option' allowed");
            auto n = parse_uint(optarg, 1, 255);
            if (!n) throw UsageError("Bad TCP option \"" + std::string(optarg) + "\"");
            l4.option = static_cast<std::uint8_t>(*n);
            l4.option_invert = invert_;
            l4_flags_ |= 8;
            break;
        }
        default:
            break;
    }
}

void Parser::load_ext(const ExtKind* kind) {
    std::size_t matches = exts_.size() + (l4_proto_ ? 1 : 0);
    if (matches >= NFGATE_MAX_RULE_EXTS + 1)
        throw UsageError("too many matches in one rule (nfgate takes " + std::to_string(NFGATE_MAX_RULE_EXTS) + ")");
    exts_.push_back({kind, kind->parser()});
}

ExtParseContext Parser::ext_context() const {
    return ExtParseContext{cmd_.rule, ctx_.restore ? ctx_.restore_table : table_from_name(table_text_).value_or(Table::filter),
                           invert_};
}

void Parser::parse_ext_option(int val, std::string_view optarg) {
    auto i = static_cast<std::size_t>((val - ext_val_base) / ext_val_step);
    if (i >= exts_.size()) return;
    exts_[i].parser->parse((val - ext_val_base) % ext_val_step, optarg, ext_context());
}

void Parser::command_jump(std::string_view target, bool go_to) {
    if (target.empty()) throw UsageError("Invalid target name (too short)");
    if (target.size() >= chain_maxnamelen)
        throw UsageError("Invalid target name `" + std::string(target) + "' (" +
                         std::to_string(chain_maxnamelen - 1) + " chars max)");
    if (has_space(target)) throw UsageError("Invalid target name `" + std::string(target) + "'");
    jumpto_ = target;
    goto_ = go_to;
}

void Parser::dispatch(Found& f) {
    std::string_view optarg = f.optarg;
    auto take_optional_chain = [&]() {
        if (f.has_optarg)
            cmd_.chain = optarg;
        else if (has_arg())
            cmd_.chain = args_[next_++];
    };
    auto parse_rulenumber = [](std::string_view s) {
        auto v = parse_uint(s, 1, INT_MAX);
        if (!v) throw UsageError("Invalid rule number `" + std::string(s) + "'");
        return static_cast<std::uint32_t>(*v);
    };

    switch (f.val) {
        case 'A':
            add_command(cmd_.command, CMD_APPEND, CMD_NONE, invert_);
            cmd_.chain = optarg;
            break;
        case 'C':
            add_command(cmd_.command, CMD_CHECK, CMD_NONE, invert_);
            cmd_.chain = optarg;
            break;
        case 'D':
            add_command(cmd_.command, CMD_DELETE, CMD_NONE, invert_);
            cmd_.chain = optarg;
            if (has_arg()) {
                const std::string r(args_[next_++]);
                if (r.find(':') != std::string::npos) throw UsageError("Rule ranges are not supported");
                char* end = nullptr;
                long n = std::strtol(r.c_str(), &end, 10);
                if (*end != '\0' || n <= 0 || n > INT_MAX)
                    throw UsageError("Invalid rule number `" + r + "'");
                cmd_.rulenum = static_cast<std::uint32_t>(n);
                cmd_.command = CMD_DELETE_NUM;
            }
            break;
        case 'R':
            add_command(cmd_.command, CMD_REPLACE, CMD_NONE, invert_);
            cmd_.chain = optarg;
            if (!has_arg()) throw UsageError("-R requires a rule number");
            cmd_.rulenum = parse_rulenumber(args_[next_++]);
            break;
        case 'I':
            add_command(cmd_.command, CMD_INSERT, CMD_NONE, invert_);
            cmd_.chain = optarg;
            cmd_.rulenum = has_arg() ? parse_rulenumber(args_[next_++]) : 1;
            break;
        case 'L':
        case 'S':
            add_command(cmd_.command, f.val == 'L' ? CMD_LIST : CMD_LIST_RULES, CMD_ZERO | CMD_ZERO_NUM,
                        invert_);
            take_optional_chain();
            if (has_arg()) cmd_.rulenum = parse_rulenumber(args_[next_++]);
            break;
        case 'F':
            add_command(cmd_.command, CMD_FLUSH, CMD_NONE, invert_);
            take_optional_chain();
            break;
        case 'Z':
            add_command(cmd_.command, CMD_ZERO, CMD_LIST | CMD_LIST_RULES, invert_);
            take_optional_chain();
            if (has_arg()) {
                cmd_.rulenum = parse_rulenumber(args_[next_++]);
                cmd_.command = (cmd_.command & ~CMD_ZERO) | CMD_ZERO_NUM;
            }
            break;
        case 'N':
            check_chain_name(optarg);
            add_command(cmd_.command, CMD_NEW_CHAIN, CMD_NONE, invert_);
            cmd_.chain = optarg;
            break;
        case 'X':
            add_command(cmd_.command, CMD_DELETE_CHAIN, CMD_NONE, invert_);
            take_optional_chain();
            break;
        case 'E':
            add_command(cmd_.command, CMD_RENAME_CHAIN, CMD_NONE, invert_);
            cmd_.chain = optarg;
            if (!has_arg()) throw UsageError("-E requires old-chain-name and new-chain-name");
            cmd_.new_name = args_[next_++];
            check_chain_name(cmd_.new_name);
            break;
        case 'P':
            add_command(cmd_.command, CMD_SET_POLICY, CMD_NONE, invert_);
            if (!has_arg()) throw UsageError("-P requires a chain and a policy");
            cmd_.chain = optarg;
            cmd_.policy_name = args_[next_++];
            break;
        case 'h':
            cmd_.help = true;
            break;
        case 'V':
            cmd_.version = true;
            break;
        case 'p': {
            set_option(OPT_PROTOCOL);
            std::string p = lower(optarg);
            std::uint8_t num = parse_protocol(p);
            if (num == 0 && invert_) throw UsageError("rule would never match protocol");
            protocol_ = std::move(p);
            cmd_.rule.proto = ProtoMatch{num, invert_};
            break;
        }
        case 's':
            set_option(OPT_SOURCE);
            shost_ = optarg;
            invert_src_ = invert_;
            break;
        case 'd':
            set_option(OPT_DESTINATION);
            dhost_ = optarg;
            invert_dst_ = invert_;
            break;
        case 'g':
            set_option(OPT_JUMP);
            command_jump(optarg, true);
            break;
        case 'j':
            set_option(OPT_JUMP);
            if (optarg != "CONTINUE") command_jump(optarg, false);
            // iptables loads the target here: its options follow.
            if (const ExtKind* k = find_target_kind(optarg))
                load_ext(k);
            else if (is_unsupported_target(optarg))
                refuse_unsupported("target", optarg);
            break;
        case 'i':
        case 'o': {
            if (optarg.empty()) throw UsageError("Empty interface is likely to be undesired");
            set_option(f.val == 'i' ? OPT_VIANAMEIN : OPT_VIANAMEOUT);
            if (optarg.size() >= ifnamsiz)
                throw UsageError("interface name `" + std::string(optarg) + "' must be shorter than " +
                                 std::to_string(ifnamsiz) + " characters");
            IfaceMatch m{std::string(optarg), invert_};
            if (f.val == 'i')
                cmd_.rule.in = std::move(m);
            else
                cmd_.rule.out = std::move(m);
            break;
        }
        case 'f':
            set_option(OPT_FRAGMENT);
            throw UsageError("-f (fragments) is not supported by nfgate");
        case 'v':
            if (!cmd_.verbose) set_option(OPT_VERBOSE);
            cmd_.verbose++;
            break;
        case 'm': {
            if (invert_) throw UsageError("unexpected ! flag before --match");
            std::string_view m = optarg;
            if (m != "tcp" && m != "udp") {
                const ExtKind* k = find_match_kind(m);
                if (!k) refuse_unsupported("match", m);
                load_ext(k);
                break;
            }
            if (l4_proto_ != 0) throw UsageError("nfgate supports one tcp or udp match per rule");
            l4_proto_ = m == "tcp" ? 6 : 17;
            l4_loaded_at_ = exts_.size();
            cmd_.rule.l4 = L4Match{};
            break;
        }
        case 'n':
            set_option(OPT_NUMERIC);
            cmd_.numeric = true;
            break;
        case 't': {
            if (invert_) throw UsageError("unexpected ! flag before --table");
            if (ctx_.restore) throw UsageError("The -t option cannot be used in nfgate-restore.");
            table_text_ = optarg;
            table_set_ = true;
            break;
        }
        case 'x':
            set_option(OPT_EXPANDED);
            cmd_.exact = true;
            break;
        case 'w':
        case 'W':
            if (ctx_.restore)
                throw UsageError(std::string("You cannot use `-") + static_cast<char>(f.val) +
                                 "' from nfgate-restore");
            if (!f.has_optarg && has_arg()) f.optarg = args_[next_++], f.has_optarg = true;
            if (f.has_optarg && !parse_uint(f.optarg, 0, UINT_MAX))
                throw UsageError(f.val == 'w' ? "wait seconds not numeric" : "wait interval not numeric");
            if (f.val == 'w') {
                cmd_.wait = true;
                cmd_.wait_seconds =
                    f.has_optarg ? static_cast<unsigned>(*parse_uint(f.optarg, 0, UINT_MAX)) : 0;
            } else if (f.has_optarg) {
                cmd_.wait_interval_us = static_cast<unsigned>(*parse_uint(f.optarg, 0, UINT_MAX));
                if (cmd_.wait_interval_us > 999999)
                    throw UsageError("too long usec wait " + std::to_string(cmd_.wait_interval_us) +
                                     " > 999999 usec");
                cmd_.wait_interval_given = true;
            }
            break;
        case VAL_LINENUMBERS:
            set_option(OPT_LINENUMBERS);
            cmd_.line_numbers = true;
            break;
        case 'M':
            break;
        case 'c': {
            set_option(OPT_COUNTERS);
            std::string_view pcnt = optarg;
            std::optional<std::string_view> bcnt;
            if (auto comma = pcnt.find(','); comma != std::string_view::npos) bcnt = pcnt.substr(comma + 1);
            if (!bcnt && has_arg()) bcnt = args_[next_++];
            if (!bcnt) throw UsageError("--set-counters requires packet and byte counter");
            cmd_.set_counters = parse_set_counters(pcnt, *bcnt);
            break;
        }
        case '4':
            break;
        case '6':
            throw UsageError("nfgate is IPv4 only (-6 given)");
        case VAL_SPORT:
        case VAL_DPORT:
        case VAL_SYN:
        case VAL_TCPFLAGS:
        case VAL_TCPOPTION:
            parse_l4_option(f.val, optarg);
            break;
        default:
            if (f.val >= ext_val_base) parse_ext_option(f.val, optarg);
            break;
    }
}

void Parser::run() {
    while (true) {
        Found f;
        std::size_t snap_next = next_, snap_cluster = cluster_;
        if (cluster_ != 0) {
            f = next_short();
        } else {
            if (next_ >= args_.size()) break;
            std::string_view arg = args_[next_];
            if (arg == "--") {
                ++next_;
                break;
            }
            ++next_;
            if (arg.size() > 2 && arg[0] == '-' && arg[1] == '-') {
                f = next_long(arg);
            } else if (arg.size() >= 2 && arg[0] == '-') {
                cluster_ = 1;
                f = next_short();
            } else {
                if (arg == "!") {
                    if (invert_) throw UsageError("multiple consecutive ! not allowed");
                    invert_ = true;
                    continue;
                }
                throw UsageError("Bad argument `" + std::string(arg) + "'");
            }
        }

        if (f.val == '?' || f.val == ':') {
            // command_default(): an unknown option may load the -p match;
            // then getopt runs again on the same option.
            if (f.val == '?' && load_proto()) {
                next_ = snap_next;
                cluster_ = snap_cluster;
                continue;
            }
            if (f.val == '?') check_unsupported_proto_option(f.written());
            if (f.val == ':') throw UsageError("option \"" + f.written() + "\" requires an argument");
            throw UsageError("unknown option \"" + f.written() + "\"");
        }
        dispatch(f);
        if (cmd_.help || cmd_.version) return;
        invert_ = false;
    }
    post_checks();
}

void Parser::post_checks() {
    if (next_ < args_.size()) throw UsageError("unknown arguments found on commandline");
    if (cmd_.command == CMD_NONE) throw UsageError("no command specified");
    if (invert_) throw UsageError("nothing appropriate following !");

    if (cmd_.is_rule_command()) {
        // Without -s/-d iptables parses "0.0.0.0/0", which cannot fail and
        // is dropped again: nothing to do.
        if (options_ & OPT_SOURCE) cmd_.srcs = parse_address_list(shost_);
        if (options_ & OPT_DESTINATION) cmd_.dsts = parse_address_list(dhost_);
        for (auto& a : cmd_.srcs) a.invert = invert_src_;
        for (auto& a : cmd_.dsts) a.invert = invert_dst_;
        if ((cmd_.srcs.size() > 1 || cmd_.dsts.size() > 1) && (invert_src_ || invert_dst_))
            throw UsageError("! not allowed with multiple source or destination IP addresses");
    }

    // nfgate -L/-S -o FORMAT: the "out-interface" is the output format.
    if (ctx_.output_format && (cmd_.command & (CMD_LIST | CMD_LIST_RULES)) && (options_ & OPT_VIANAMEOUT)) {
        const IfaceMatch& o = *cmd_.rule.out;
        if (o.invert || o.name != "json")
            throw UsageError("unknown output format `" + std::string(o.invert ? "! " : "") + o.name +
                             "' (-o takes json)");
        cmd_.output = o.name;
        cmd_.rule.out.reset();
        options_ &= ~OPT_VIANAMEOUT;
    }

    for (int i = 0; i < number_of_opt; ++i) {
        unsigned bit = 1U << i;
        if ((options_ & bit) && !(options_v_commands[i] & cmd_.command))
            throw UsageError(std::string("Illegal option `") + option_name(bit) + "' with this command");
    }

    if (cmd_.chain.size() >= chain_maxnamelen)
        throw UsageError("chain name `" + cmd_.chain + "' too long (must be under " +
                         std::to_string(chain_maxnamelen) + " chars)");

    if (cmd_.is_rule_command()) {
        const std::string& c = cmd_.chain;
        if ((c == "PREROUTING" || c == "INPUT") && (options_ & OPT_VIANAMEOUT))
            throw UsageError("Can't use --out-interface with " + c);
        if ((c == "POSTROUTING" || c == "OUTPUT") && (options_ & OPT_VIANAMEIN))
            throw UsageError("Can't use --in-interface with " + c);
    }

    if (cmd_.wait_interval_us != 1000000 && !cmd_.wait)
        throw UsageError("--wait-interval only makes sense with --wait");

    if (!ctx_.restore) {
        auto t = table_from_name(table_text_);
        if (!t)
            throw Error("can't initialize table `" + std::string(table_text_) +
                            "': table does not exist (nfgate has filter, mangle, raw and nat)",
                        3,
                        {IptablesText::xtables,
                         "can't initialize iptables table `" + std::string(table_text_) +
                             "': Table does not exist (do you need to insmod?)\n"
                             "Perhaps iptables or your kernel needs to be upgraded.",
                         0});
        cmd_.table = *t;
    }

    // iptables' own parser refuses DROP in nat, as a policy (-P) and as a
    // rule's target, in iptables and in iptables-restore's rule lines; the
    // kernel (ip_tables, and nfgate) would take a DROP policy, which is
    // what a restore file's ":CHAIN DROP" line sets (plan.cpp).
    if (cmd_.table == Table::nat &&
        (((cmd_.command & CMD_SET_POLICY) && cmd_.policy_name == "DROP") ||
         (cmd_.is_rule_command() && jumpto_ == "DROP")))
        throw UsageError("The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.");

    if (cmd_.command & CMD_SET_POLICY) {
        if (cmd_.policy_name == "ACCEPT")
            cmd_.policy = Verdict::accept;
        else if (cmd_.policy_name == "DROP")
            cmd_.policy = Verdict::drop;
        else
            throw Error("Bad policy name `" + cmd_.policy_name + "'", 1, iptc_text(iptc_einval("Bad policy name")));
    }

    if (cmd_.is_rule_command()) {
        auto& t = cmd_.rule.target;
        if (!jumpto_.empty()) {
            if (jumpto_ == "ACCEPT" || jumpto_ == "DROP" || jumpto_ == "RETURN") {
                if (goto_) throw UsageError("goto '" + std::string(jumpto_) + "' is not a chain");
                t.verdict = jumpto_ == "ACCEPT" ? Verdict::accept
                            : jumpto_ == "DROP" ? Verdict::drop
                                                : Verdict::ret;
            } else if (find_target_kind(jumpto_)) {
                if (goto_) throw UsageError("goto '" + std::string(jumpto_) + "' is not a chain");
                t.verdict = Verdict::ext;
            } else if (is_unsupported_target(jumpto_)) {
                if (goto_) throw UsageError("goto '" + std::string(jumpto_) + "' is not a chain");
                refuse_unsupported("target", jumpto_);
            } else {
                t.verdict = goto_ ? Verdict::go_to : Verdict::jump;
                t.chain = jumpto_;
            }
        }
        // Extensions, in load order: matches into the rule, the target last.
        ExtParseContext ectx = ext_context();
        ectx.invert = false;
        for (std::size_t i = 0; i < exts_.size(); ++i) {
            auto& e = exts_[i];
            e.parser->finish(ectx);
            if (l4_proto_ && i == l4_loaded_at_) cmd_.rule.l4_pos = cmd_.rule.matches.size();
            if (!e.kind->is_target()) {
                cmd_.rule.matches.push_back(Ext{e.kind, e.parser->encode()});
            } else if (t.verdict == Verdict::ext) {
                t.ext = Ext{e.kind, e.parser->encode()};
            }
        }
        if (l4_proto_ && l4_loaded_at_ >= exts_.size()) cmd_.rule.l4_pos = cmd_.rule.matches.size();
        if (cmd_.rule.l4) {
            const char* m = l4_proto_ == 6 ? "tcp" : "udp";
            if (!cmd_.rule.proto || cmd_.rule.proto->num != l4_proto_ || cmd_.rule.proto->invert)
                throw UsageError(std::string(m) + " match: only valid for protocol " +
                                 std::to_string(l4_proto_) + " (use -p " + m + ", not inverted)");
        }
        if (cmd_.set_counters) cmd_.rule.counters = cmd_.set_counters;
    }
}

}  // namespace

std::vector<RuleSpec> Command::rules() const {
    std::vector<RuleSpec> out;
    std::vector<std::optional<AddrMatch>> s, d;
    for (const auto& a : srcs) s.emplace_back(a);
    for (const auto& a : dsts) d.emplace_back(a);
    if (s.empty()) s.emplace_back(std::nullopt);
    if (d.empty()) d.emplace_back(std::nullopt);
    for (const auto& sa : s)
        for (const auto& da : d) {
            RuleSpec r = rule;
            r.src = sa;
            r.dst = da;
            out.push_back(std::move(r));
        }
    return out;
}

std::vector<RuleSpec> Command::take_rules() {
    if (srcs.size() > 1 || dsts.size() > 1) return rules();
    std::vector<RuleSpec> out(1);
    out[0] = std::move(rule);
    out[0].src = srcs.empty() ? std::nullopt : std::optional<AddrMatch>(srcs[0]);
    out[0].dst = dsts.empty() ? std::nullopt : std::optional<AddrMatch>(dsts[0]);
    return out;
}

std::optional<std::uint64_t> parse_uint(std::string_view text, std::uint64_t min, std::uint64_t max) {
    // Fast paths for what the parser sees most (ports, address parts,
    // names): plain decimal without a leading zero, up to 19 digits (no
    // overflow), and words starting with a letter, which strtoumax rejects.
    // Anything else takes the strtoumax path below, the definition.
    if (!text.empty() && text.size() <= 19 && text[0] >= '1' && text[0] <= '9') {
        std::uint64_t v = 0;
        std::size_t i = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
            v = v * 10 + static_cast<unsigned>(text[i] - '0');
        if (i == text.size()) {
            if (v < min || (max != 0 && v > max)) return std::nullopt;
            return v;
        }
    } else if (text == "0") {
        if (min > 0) return std::nullopt;
        return 0;
    } else if (!text.empty() && ((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) {
        return std::nullopt;
    }
    std::string s(text);
    const char* p = s.c_str();
    while (std::isspace(static_cast<unsigned char>(*p))) ++p;
    if (*p == '-') return std::nullopt;
    errno = 0;
    char* end = nullptr;
    std::uintmax_t v = std::strtoumax(s.c_str(), &end, 0);
    if (end == s.c_str() || *end != '\0' || errno == ERANGE) return std::nullopt;
    if (v < min || (max != 0 && v > max)) return std::nullopt;
    return static_cast<std::uint64_t>(v);
}

AddrMatch parse_address(std::string_view text) {
    std::string_view buf = text;
    std::uint32_t mask = 0xFFFFFFFFU;
    if (auto slash = buf.rfind('/'); slash != std::string_view::npos) {
        std::string_view m = buf.substr(slash + 1);
        buf = buf.substr(0, slash);
        if (auto dotted = numeric_to_ip(m, true)) {
            mask = *dotted;
        } else if (auto bits = parse_uint(m, 0, 32)) {
            mask = prefix_mask(static_cast<unsigned>(*bits));
        } else {
            throw UsageError("invalid mask `" + std::string(m) + "' specified");
        }
    }
    if (mask == 0) buf = "0.0.0.0";
    auto addr = numeric_to_ip(buf, false);
    if (!addr) throw UsageError("host/network `" + std::string(buf) + "' not found");
    return AddrMatch{*addr & mask, mask, false};
}

std::vector<AddrMatch> parse_address_list(std::string_view text) {
    std::vector<AddrMatch> out;
    std::size_t pos = 0;
    while (true) {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
        auto comma = text.find(',', pos);
        auto item = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
        if (item.size() > 255) throw UsageError("Hostname too long");
        out.push_back(parse_address(item));
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return out;
}

std::uint8_t parse_protocol(std::string_view text) {
    if (auto n = parse_uint(text, 0, 255)) return static_cast<std::uint8_t>(*n);
    if (auto n = builtin_proto_number(text)) return *n;
    std::string s(text);
    if (const protoent* pe = getprotobyname(s.c_str())) return static_cast<std::uint8_t>(pe->p_proto);
    throw UsageError("unknown protocol \"" + s + "\" specified");
}

std::uint16_t parse_port(std::string_view text, std::string_view proto) {
    if (auto n = parse_uint(text, 0, 65535)) return static_cast<std::uint16_t>(*n);
    std::string s(text), p(proto);
    if (const servent* se = getservbyname(s.c_str(), p.c_str()))
        return ntohs(static_cast<std::uint16_t>(se->s_port));
    throw UsageError("invalid port/service `" + s + "' specified");
}

PortRange parse_port_range(std::string_view text, std::string_view proto) {
    PortRange r;
    auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        r.min = r.max = parse_port(text, proto);
        return r;
    }
    auto lo = text.substr(0, colon), hi = text.substr(colon + 1);
    r.min = lo.empty() ? 0 : parse_port(lo, proto);
    r.max = hi.empty() ? 65535 : parse_port(hi, proto);
    if (r.min > r.max) throw UsageError("invalid portrange (min > max)");
    return r;
}

Counters parse_set_counters(std::string_view pcnt, std::string_view bcnt) {
    auto p = scan_llu(std::string(pcnt));
    if (!p) throw UsageError("--set-counters packet counter not numeric");
    auto b = scan_llu(std::string(bcnt));
    if (!b) throw UsageError("--set-counters byte counter not numeric");
    return Counters{*p, *b};
}

void check_chain_name(std::string_view name) {
    std::string n(name);
    if (n.size() >= chain_maxnamelen)
        throw UsageError("chain name `" + n + "' too long (must be under " +
                         std::to_string(chain_maxnamelen) + " chars)");
    if (!n.empty() && (n[0] == '-' || n[0] == '!'))
        throw UsageError(std::string("chain name not allowed to start with `") + n[0] + "'");
    if (n == "ACCEPT" || n == "DROP" || n == "RETURN" || is_unsupported_target(n) || find_target_kind(n))
        throw UsageError("chain name may not clash with target name");
    if (has_space(n)) throw UsageError("Invalid chain name `" + n + "'");
}

std::optional<std::uint32_t> parse_numeric_ipv4(std::string_view text) { return numeric_to_ip(text, false); }

bool is_unsupported_target(std::string_view name) {
    return !name.empty() && std::find(unsupported_targets.begin(), unsupported_targets.end(), name) !=
           unsupported_targets.end();
}

void parse_command_into(std::span<const std::string_view> args, const ParseContext& ctx, Command& out) {
    // A NUL inside an argument (restore input is read as bytes) would end
    // the name or text where the netlink encoder's C strings end: `-j A\0B'
    // would jump to chain A.  iptables never sees one (argv and fgets are
    // C strings); refuse it rather than send something else than written.
    for (std::string_view a : args)
        if (a.find('\0') != std::string_view::npos)
            throw UsageError("Bad argument `" + std::string(a.substr(0, a.find('\0'))) + "': contains a NUL byte");
    Parser p(args, ctx, out);
    p.run();
}

Command parse_command(std::span<const std::string_view> args, const ParseContext& ctx) {
    Command c;
    parse_command_into(args, ctx, c);
    return c;
}

Command parse_command(const std::vector<std::string>& args, const ParseContext& ctx) {
    std::vector<std::string_view> views(args.begin(), args.end());
    return parse_command(std::span<const std::string_view>(views), ctx);
}

}  // namespace nfgate
