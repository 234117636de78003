// SPDX-License-Identifier: GPL-2.0
// The seed corpora of the fuzz targets (scripts/fuzz-user runs it before
// fuzzing): fuzz_seed_writer OUTDIR [CORPUS].  Writes OUTDIR/rule_parser,
// OUTDIR/restore_reader, OUTDIR/reply_decoder and OUTDIR/restore_sync from
// a few built-in rules and, when CORPUS (shared/corpus) is given and exists,
// from its iptables-tests/*.t rule lines and rulesets/*.rules files.  The reply
// decoder's seeds are dumps as the kernel sends them: every rule that
// parses, encoded by put_rule/put_op into a GETCHAIN + GETRULE message
// pair, a NEWRULE event + TXN_COMMIT and NLMSG_DONE, plus ACKs with and
// without extack.  The restore sync's seeds are pairs of restore files
// (BEFORE NUL AFTER): each file against itself, against itself with its
// first rule line moved to the end, and against the next file.
#include "nfgate/codec.hpp"
#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/restore.hpp"

#include "../tests/corpus_util.hpp"

#include <linux/netlink.h>
#include <linux/nfgate.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace fs = std::filesystem;
using namespace nfgate;

namespace {

const char* const builtin_rules[] = {
    "-A INPUT -s 192.0.2.0/24 -d 198.51.100.1 -p tcp --dport 22 -j ACCEPT",
    "-A INPUT -i eth+ ! -o lo -p udp -m udp --sport 53 --dport 1024:65535 -j DROP",
    "-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu",
    "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-A INPUT -m comment --comment \"a \\\"quoted\\\" comment\" -j LOG --log-prefix \"in: \"",
    "-A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/s -j ACCEPT",
    "-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -m mark --mark 0x1/0xff -j REJECT --reject-with tcp-reset",
    "-t nat -A PREROUTING -d 203.0.113.1 -p tcp --dport 80 -j DNAT --to-destination 198.51.100.2:8080",
    "-t nat -A POSTROUTING -o eth0 -j MASQUERADE --to-ports 1024-2048",
    "-t mangle -A PREROUTING -j MARK --set-xmark 0x10/0xff",
    "-t raw -A PREROUTING -p udp --dport 69 -j CT --helper tftp",
    "-A INPUT -m recent --name bad --rcheck --seconds 60 --hitcount 3 -j DROP",
    "-A INPUT -m hashlimit --hashlimit-above 10/sec --hashlimit-mode srcip --hashlimit-name h -j DROP",
    "-A INPUT -m statistic --mode nth --every 3 --packet 1 -g OTHER",
    "-A INPUT -c 10 20 -m iprange --src-range 192.0.2.1-192.0.2.9 -m length --length 100:200 -j NFQUEUE --queue-num 3",
    "-I INPUT 2 -m ttl --ttl-gt 3 -m pkttype --pkt-type broadcast -m addrtype --dst-type LOCAL -j RETURN",
    "-D OUTPUT -m owner --uid-owner 0 -m connlimit --connlimit-above 4 -j NFLOG --nflog-group 2",
    "-R INPUT 1 -m mac --mac-source 00:11:22:33:44:55 -m state --state NEW -j CONNMARK --set-mark 1",
    "-N chain", "-E chain other", "-P INPUT DROP", "-L INPUT -n -v -x --line-numbers", "-S", "-Z INPUT 1",
};

const char* const builtin_restore[] = {
    "*filter\n:INPUT ACCEPT [1:2]\n:FORWARD DROP [0:0]\n:user - [0:0]\n"
    "[5:300] -A INPUT -s 192.0.2.0/24 -p tcp -m tcp --dport 22 -j ACCEPT\n"
    "-A INPUT -m comment --comment \"x \\\"y\\\"\" -j user\n-A user -j RETURN\nCOMMIT\n",
    "# comment\n*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
    "-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 198.51.100.2\n"
    "-A POSTROUTING -j MASQUERADE\nCOMMIT\n*mangle\n-A PREROUTING -j MARK --set-mark 1\nCOMMIT\n",
    "*raw\n-A PREROUTING -j CT --notrack\n-X stale\n-F\nCOMMIT\n",
};

// iptables-restore's quoting of one argument (restore.hpp's tokenizer).
std::string quote_arg(const std::string& a) {
    if (!a.empty() && a.find_first_of(" \t\n\"\\") == std::string::npos) return a;
    std::string q = "\"";
    for (char c : a) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q + "\"";
}

struct Writer {
    fs::path dir;
    int n = 0;
    void write(const std::string& bytes) {
        char name[32];
        std::snprintf(name, sizeof name, "seed-%05d", n++);
        std::ofstream(dir / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
};

std::string msg_bytes(nl_msg* m) {
    nlmsghdr* h = nlmsg_hdr(m);
    return std::string(reinterpret_cast<const char*>(h), h->nlmsg_len);
}

MsgPtr dump_msg(std::uint8_t cmd) {
    MsgPtr m = new_request(1, cmd, NLM_F_MULTI);
    nlmsg_hdr(m.get())->nlmsg_type = 0x20;  // a family id as the kernel would use
    return m;
}

// GETCHAIN message of the chain, GETRULE message of the rule, the rule's
// NEWRULE event and TXN_COMMIT, NLMSG_DONE.
std::string rule_dump(Table t, const std::string& chain, const RuleSpec& r, std::uint32_t pos) {
    std::string out;
    MsgPtr c = dump_msg(NFGATE_CMD_GETCHAIN);
    nla_put_u32(c.get(), NFGATE_A_TABLE, static_cast<std::uint32_t>(t));
    nla_put_string(c.get(), NFGATE_A_CHAIN, chain.c_str());
    bool builtin = is_builtin_chain(t, chain);
    nla_put_u32(c.get(), NFGATE_A_CHAIN_FLAGS, builtin ? NFGATE_CHAIN_F_BUILTIN : 0);
    nla_put_u32(c.get(), NFGATE_A_CHAIN_REFS, builtin ? 0 : 1);
    nla_put_u32(c.get(), NFGATE_A_CHAIN_RULES, 1);
    nla_put_u64(c.get(), NFGATE_A_CHAIN_DIGEST, 0x1234);
    if (builtin) nla_put_u32(c.get(), NFGATE_A_POLICY, static_cast<std::uint32_t>(Verdict::accept));
    out += msg_bytes(c.get());

    MsgPtr m = dump_msg(NFGATE_CMD_GETRULE);
    Op op{OpKind::new_rule, t, chain, r, pos, 100 + pos, Verdict::none, {}, 0};
    put_op(m.get(), op);
    out += msg_bytes(m.get());

    // The same rule as an "events" notification, then its commit marker.
    MsgPtr ev = dump_msg(NFGATE_CMD_NEWRULE);
    put_op(ev.get(), op);
    nla_put_u64(ev.get(), NFGATE_A_GENERATION, 7);
    out += msg_bytes(ev.get());
    MsgPtr commit = dump_msg(NFGATE_CMD_TXN_COMMIT);
    nla_put_u64(commit.get(), NFGATE_A_GENERATION, 7);
    nla_put_u32(commit.get(), NFGATE_A_TXN_OPS, 1);
    out += msg_bytes(commit.get());

    nlmsghdr done{};
    done.nlmsg_len = NLMSG_HDRLEN + 4;
    done.nlmsg_type = NLMSG_DONE;
    done.nlmsg_flags = NLM_F_MULTI;
    out.append(reinterpret_cast<const char*>(&done), sizeof done);
    out.append(4, '\0');
    return out;
}

// NLMSG_ERROR with the request echoed or capped, and an extack message.
std::string ack(int err, bool capped, const char* extack) {
    std::string out(NLMSG_HDRLEN + sizeof(nlmsgerr), '\0');
    auto* h = reinterpret_cast<nlmsghdr*>(out.data());
    h->nlmsg_type = NLMSG_ERROR;
    h->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) | (extack ? NLM_F_ACK_TLVS : 0);
    auto* e = reinterpret_cast<nlmsgerr*>(out.data() + NLMSG_HDRLEN);
    e->error = -err;
    e->msg.nlmsg_len = sizeof(nlmsghdr);
    if (extack) {
        std::size_t l = std::strlen(extack) + 1;
        nlattr a{static_cast<std::uint16_t>(NLA_HDRLEN + l), NLMSGERR_ATTR_MSG};
        out.append(reinterpret_cast<const char*>(&a), sizeof a);
        out.append(extack, l);
        out.resize(NLMSG_ALIGN(out.size()), '\0');
        nlattr o{NLA_HDRLEN + 4, NLMSGERR_ATTR_OFFS};
        std::uint32_t off = 20;
        out.append(reinterpret_cast<const char*>(&o), sizeof o);
        out.append(reinterpret_cast<const char*>(&off), 4);
    }
    reinterpret_cast<nlmsghdr*>(out.data())->nlmsg_len = static_cast<std::uint32_t>(out.size());
    return out;
}

// `text` with its first -A line moved to the end of its block.
std::string first_rule_moved(const std::string& text) {
    auto at = text.find("\n-A ");
    if (at == std::string::npos) return text;
    auto end = text.find('\n', at + 1);
    auto commit = text.find("\nCOMMIT", at);
    if (end == std::string::npos || commit == std::string::npos || commit < end) return text;
    std::string line = text.substr(at, end - at);
    std::string out = text.substr(0, at) + text.substr(end, commit - end) + line + text.substr(commit);
    return out;
}

struct Seeds {
    Writer parser, restore, reply, sync;
    std::uint32_t pos = 1;
    std::vector<std::string> files;  // the restore files, for sync pairs

    void sync_pairs() {
        auto pair = [&](const std::string& a, const std::string& b) { sync.write(a + '\0' + b); };
        for (std::size_t i = 0; i < files.size(); ++i) {
            pair(files[i], files[i]);
            pair(files[i], first_rule_moved(files[i]));
            pair(files[i], files[(i + 1) % files.size()]);
        }
    }

    // A rule command line: a parser seed, and its rules as reply seeds.
    void rule_line(const std::vector<std::string>& args) {
        std::string line;
        for (const auto& a : args) line += (line.empty() ? "" : " ") + quote_arg(a);
        parser.write(line);
        try {
            Command c = parse_command(args);
            if (c.is_rule_command())
                for (const RuleSpec& r : c.rules()) reply.write(rule_dump(c.table, c.chain, r, pos++));
        } catch (const Error&) {
        }
    }

    // A restore file: a restore seed, and each of its rules as reply seeds.
    void restore_file(const std::string& text) {
        restore.write(text);
        files.push_back(text);
        try {
            RestoreReader rd(text, {});
            RestoreLine l;
            for (auto ev = rd.next(l); ev != RestoreReader::Event::end; ev = rd.next(l)) {
                auto* c = ev == RestoreReader::Event::line ? std::get_if<Command>(&l.what) : nullptr;
                if (c && c->is_rule_command())
                    for (const RuleSpec& r : c->rules()) reply.write(rule_dump(*rd.table(), c->chain, r, pos++));
            }
        } catch (const Error&) {
        }
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// One .t file: each test line `-A CHAIN [-t TABLE] RULE` for its first
// chain (a parser seed), and all its lines as one restore file per table.
void t_file(Seeds& s, const fs::path& p) {
    std::istringstream in(slurp(p));
    std::string line, table = "filter", chain;
    std::map<std::string, std::string> blocks;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line[0] == '@' || line[0] == '%') continue;
        if (line[0] == ':') {
            chain = line.substr(1, line.find(',') - 1);
            continue;
        }
        if (line[0] == '*') {
            table = line.substr(1);
            continue;
        }
        std::string rule = line.substr(0, line.find(';'));
        std::vector<std::string> args{"-A", chain, "-t", table};
        std::string restore_line = "-A " + chain;
        for (auto& a : test::shell_split(rule)) {
            restore_line += " " + quote_arg(a);
            args.push_back(std::move(a));
        }
        s.rule_line(args);
        blocks[table] += restore_line + "\n";
    }
    for (const auto& [t, lines] : blocks) s.restore_file("*" + t + "\n" + lines + "COMMIT\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: fuzz_seed_writer OUTDIR [CORPUS]\n";
        return 2;
    }
    fs::path out = argv[1];
    Seeds s{{out / "rule_parser"}, {out / "restore_reader"}, {out / "reply_decoder"}, {out / "restore_sync"}, 1, {}};
    for (const fs::path& d : {s.parser.dir, s.restore.dir, s.reply.dir, s.sync.dir}) fs::create_directories(d);

    for (const char* r : builtin_rules) s.rule_line(tokenize_restore_line(r));
    for (const char* r : builtin_restore) s.restore_file(r);
    s.reply.write(ack(0, false, nullptr));
    s.reply.write(ack(2, true, "chain not found"));
    s.reply.write(ack(22, false, "bad attribute"));

    if (argc > 2 && fs::is_directory(argv[2])) {
        fs::path corpus = argv[2];
        std::vector<fs::path> files;
        for (const char* sub : {"iptables-tests", "rulesets"})
            if (fs::is_directory(corpus / sub))
                for (const auto& e : fs::directory_iterator(corpus / sub)) files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& p : files) {
            if (p.extension() == ".t") t_file(s, p);
            if (p.extension() == ".rules") s.restore_file(slurp(p));
        }
    }
    s.sync_pairs();
    std::cout << "seeds: rule_parser " << s.parser.n << ", restore_reader " << s.restore.n << ", reply_decoder "
              << s.reply.n << ", restore_sync " << s.sync.n << "\n";
    return 0;
}
