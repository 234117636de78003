// SPDX-License-Identifier: GPL-2.0
// The program's name, version and error format (nfgate or the drop-in
// iptables), chosen from argv[0].
#include "program.hpp"

#include "nfgate/restore.hpp"
#include "nfgate/version.hpp"

#include <cstdio>

namespace nfgate::cli {

namespace {

Program the_program;

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

Program Program::from_argv0(std::string_view argv0) {
    Program p;
    if (auto slash = argv0.rfind('/'); slash != std::string_view::npos) argv0 = argv0.substr(slash + 1);
    std::string_view base = "nfgate";
    if (argv0.starts_with("iptables")) {
        p.iptables = true;
        base = "iptables";
    }
    if (ends_with(argv0, "-save")) {
        p.mode = save;
        p.name = std::string(base) + "-save";
    } else if (ends_with(argv0, "-restore")) {
        p.mode = restore;
        p.name = std::string(base) + "-restore";
    } else {
        p.name = std::string(base);
    }
    return p;
}

std::string Program::version() const {
    if (iptables) return name + " v" + std::string(iptables_version) + " (nfgate)";
    return name + " v" NFGATE_VERSION;
}

int Program::report(const Error& err, bool usage) const {
    const IptablesText& t = err.iptables_text();
    if (!iptables) {
        std::fprintf(stderr, "nfgate: %s\n", err.what());
        if (usage) std::fprintf(stderr, "Try `nfgate -h' or 'nfgate --help' for more information.\n");
        return err.exit_status();
    }
    if (const auto* re = dynamic_cast<const RestoreError*>(&err)) return report_restore(*re);
    // libiptc's messages: "iptables: TEXT."; xtables_error(): the
    // version, then the text, then for a parameter problem the hint.
    if (t.style == IptablesText::libiptc)
        std::fprintf(stderr, "%s: %s.\n", name.c_str(), t.text.c_str());
    else
        std::fprintf(stderr, "%s: %s\n", version().c_str(),
                     t.style == IptablesText::xtables ? t.text.c_str() : err.what());
    const int status = t.exit_status ? t.exit_status : err.exit_status();
    if (usage || status == 2)
        std::fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n", name.c_str(), name.c_str());
    return status;
}

// iptables-restore: a rule's parse error as iptables reports it plus the
// line; anything the kernel (or libiptc) refused only as "line N failed".
int Program::report_restore(const RestoreError& err) const {
    const IptablesText& t = err.iptables_text();
    switch (t.style) {
        case IptablesText::xtables:
            std::fprintf(stderr, "%s: %s\nError occurred at line: %d\n", version().c_str(), t.text.c_str(),
                         err.line());
            std::fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n", name.c_str(), name.c_str());
            return t.exit_status ? t.exit_status : 2;
        case IptablesText::plain:
            std::fprintf(stderr, "%s: %s\n", name.c_str(), t.text.c_str());
            return t.exit_status ? t.exit_status : 1;
        default:
            std::fprintf(stderr, "%s: line %d failed\n", name.c_str(), err.line());
            return 1;
    }
}

const Program& program() { return the_program; }

void set_program(const Program& p) { the_program = p; }

}  // namespace nfgate::cli
