// SPDX-License-Identifier: GPL-2.0
// libFuzzer target: the netlink reply decoder, i.e. what the client does
// with the bytes recv() gave it: the messages walked as Client::recv_once
// walks them (nlmsg_ok/nlmsg_next), each fed to a dump's ReplyCollector
// (NLMSG_DONE, NLMSG_ERROR + extack via parse_ack, NLM_F_DUMP_INTR) and
// decoded as a GETCHAIN and a GETRULE dump message, a scalar reply and an
// "events" notification (parse_event, as `nfgate monitor` reads them).
// The chains and rules decoded make table snapshots, printed as -L, -S and
// JSON, so that the extension bytes reach each kind's save/print code.
// No round trip here: the decoder takes what the kernel validated, and
// arbitrary bytes decode to rules the kernel would refuse (a tcp flags
// element under -p 126) that the encoder then writes differently.
// Seeds: messages put_rule/put_op encoded (fuzz_seed_writer).
#include "exercise.hpp"

#include "nfgate/event.hpp"
#include "nfgate/reply.hpp"
#include "nfgate/ruleset.hpp"

#include <linux/netlink.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // recv() fills an aligned buffer; libFuzzer's copy is only malloc'ed.
    std::vector<std::uint64_t> buf(size / 8 + 1);
    std::memcpy(buf.data(), data, size);
    auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data());
    int len = static_cast<int>(size);

    std::array<nfgate::TableSnapshot, NFGATE_TABLE_MAX + 1> tables;
    for (std::size_t i = 0; i < tables.size(); ++i) tables[i].table = static_cast<nfgate::Table>(i);
    auto on_data = [&](nlmsghdr* m) {
        try {
            nfgate::ChainReply c = nfgate::parse_chain_msg(m);
            tables[static_cast<std::size_t>(c.table)].chains.push_back(std::move(c.info));
        } catch (const nfgate::Error&) {
        }
        try {
            nfgate::RuleReply r = nfgate::parse_rule_msg(m);
            nfgate::fuzz::exercise_rule(r.entry.rule, false);
            tables[static_cast<std::size_t>(r.table)].rules.push_back(std::move(r.entry));
        } catch (const nfgate::Error&) {
        }
        try {
            nfgate::ScalarReply s = nfgate::parse_scalar_reply(m);
            (void)s;
        } catch (const nfgate::Error&) {
        }
        try {
            if (auto e = nfgate::parse_event(m)) {
                nfgate::fuzz::consume(nfgate::format_event(*e));
                nfgate::fuzz::consume(nfgate::format_json_event(*e));
            }
        } catch (const nfgate::Error&) {
        }
    };
    nfgate::ReplyCollector dump(0, true, on_data);
    nfgate::ReplyCollector single(0, false);
    while (nlmsg_ok(nlh, len)) {
        try {
            dump.feed(nlh);
        } catch (const nfgate::Error&) {
        }
        try {
            single.feed(nlh);
        } catch (const nfgate::Error&) {
        }
        nlh = nlmsg_next(nlh, &len);
    }

    std::vector<nfgate::TableSnapshot> all;
    for (auto& t : tables) {
        if (t.chains.empty() && t.rules.empty()) continue;
        try {
            t.sort();
            nfgate::fuzz::consume(nfgate::list_table(t, "", 0, nfgate::ListOptions{true, false, false, true}));
            nfgate::fuzz::consume(nfgate::list_rules(t, "", 0, true));
            all.push_back(t);
        } catch (const nfgate::Error&) {
        }
    }
    try {
        nfgate::fuzz::consume(nfgate::format_json_ruleset(all));
    } catch (const nfgate::Error&) {
    }
    return 0;
}
