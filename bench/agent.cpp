// SPDX-License-Identifier: GPL-2.0
// bench/agent.cpp: nfgate-bench-agent, nfgate's side of the benchmark's
// "single-change transactions through one long-running process" (the
// kube-proxy partial-sync pattern).  It reads a stream of iptables-restore
// blocks on stdin (`*filter`, command lines such as `-A FORWARD ...` or
// `-D FORWARD ...`, `COMMIT`) and, as each COMMIT arrives, carries that block
// out as one transaction on its ONE netlink socket: TXN_BEGIN, the block's
// operations, TXN_COMMIT, through the nfgate client library.  Like
// `iptables-restore --noflush`, but without re-reading or re-sending any
// table.  Prints "<n> transactions" on success; exit status as nfgate's.
#include "nfgate/client.hpp"
#include "nfgate/error.hpp"
#include "nfgate/parse.hpp"
#include "nfgate/plan.hpp"
#include "nfgate/restore.hpp"
#include "nfgate/rule.hpp"

#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string_view trim(std::string_view s)
{
	const auto first = s.find_first_not_of(" \t\r");
	if (first == std::string_view::npos)
		return {};
	const auto last = s.find_last_not_of(" \t\r");
	return s.substr(first, last - first + 1);
}

unsigned long run(std::istream &in)
{
	nfgate::Client client;
	bool in_block = false;
	nfgate::Table table = nfgate::Table::filter;
	std::vector<nfgate::Op> ops;
	unsigned long txns = 0;
	int lineno = 0;
	std::string raw;

	auto fail = [&lineno](const std::string &msg) {
		return nfgate::RestoreError(lineno, msg);
	};
	while (std::getline(in, raw)) {
		++lineno;
		const std::string_view line = trim(raw);
		if (line.empty() || line.front() == '#')
			continue;
		if (line.front() == '*') {
			if (in_block)
				throw fail("'*' inside a block (missing COMMIT)");
			const auto named = nfgate::table_from_name(line.substr(1));
			if (!named)
				throw fail("unknown table '" + std::string(line.substr(1)) + "'");
			table = *named;
			in_block = true;
			ops.clear();
			continue;
		}
		if (!in_block)
			throw fail("line outside a '*table' ... COMMIT block");
		if (line == "COMMIT") {
			client.run_transaction(ops);
			++txns;
			in_block = false;
			continue;
		}
		if (line.front() == ':')
			throw fail("chain lines are not part of a change stream");
		nfgate::ParseContext ctx;
		ctx.restore = true;
		ctx.restore_table = table;
		const auto cmd = nfgate::parse_command(nfgate::tokenize_restore_line(line), ctx);
		for (auto &op : nfgate::plan_command(cmd, lineno))
			ops.push_back(std::move(op));
	}
	if (in_block)
		throw fail("end of input inside a block (missing COMMIT)");
	return txns;
}

} // namespace

int main()
{
	try {
		const unsigned long txns = run(std::cin);
		std::cout << txns << " transactions\n";
		return 0;
	} catch (const nfgate::TxnError &e) {
		std::cerr << "nfgate-bench-agent: " << e.what();
		if (!e.extack().empty())
			std::cerr << " (" << e.extack() << ")";
		std::cerr << '\n';
		return e.exit_status();
	} catch (const nfgate::Error &e) {
		std::cerr << "nfgate-bench-agent: " << e.what() << '\n';
		return e.exit_status();
	}
}
