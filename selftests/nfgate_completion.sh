#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_completion.sh: user/completion/nfgate (installed by the Debian
# package as /usr/share/bash-completion/completions/nfgate) completes, in
# bash with bash-completion loaded, what nfgate(8) documents, with the
# names read from the kernel of the namespace it runs in:
#  1. `nfgate <TAB>`: every verb (save restore apply monitor stats) and
#     the iptables commands;
#  2. `-t <TAB>`: the four tables;
#  3. `-L <TAB>`: the table's chains, built-in and user; `-t nat -A
#     <TAB>` the nat table's; `-X <TAB>` user chains only; `-P INPUT
#     <TAB>` the policies;
#  4. `-A INPUT -j <TAB>`: verdicts, target extensions, user chains;
#     `-m <TAB>`: match extensions (read from `nfgate -h`);
#  5. the verbs' options (`stats -<TAB>`, `restore --no<TAB>`) and the
#     drop-in names (`iptables-nfgate-restore -<TAB>`).
# Each answer is compared with the whole list it must be.

source "$(dirname -- "$0")/lib.sh"
require_env
COMPLETION=$NFGATE_REPO/user/completion/nfgate
BASH_COMPLETION=/usr/share/bash-completion/bash_completion
[ -r "$BASH_COMPLETION" ] || skip "bash-completion missing"
ns_create "$RTR"
nfg_ok "$RTR" -N MY-CHAIN >/dev/null
nfg_ok "$RTR" -t nat -N NAT-CHAIN >/dev/null

# completions WORD...: the completions bash offers for the command line
# WORD... (the last word is the one being completed), sorted, one per line.
# The program is build/nfgate under its installed name (a directory on
# PATH of links), so that the completion sees "nfgate".
mkdir -p "$tmpdir/bin"
for n in nfgate iptables-nfgate iptables-nfgate-save iptables-nfgate-restore; do
	ln -sf "$NFGATE" "$tmpdir/bin/$n"
done
completions() {
	ip netns exec "$RTR" env PATH="$tmpdir/bin:$PATH" bash -c '
		source "$1"
		source "$2"
		shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_nfgate nfgate "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' \
		_ "$BASH_COMPLETION" "$COMPLETION" "$@" 2>&1
}

# words LIST...: the words sorted, one per line.
words() {
	printf '%s\n' "$@" | sort
}

# 1.
got=$(completions nfgate '')
for w in save restore apply monitor stats -A -C -D -I -R -L -S -F -Z -N -X -E -P -t; do
	grep -qx -- "$w" <<<"$got" || fail "nfgate <TAB> lacks $w: $(tr '\n' ' ' <<<"$got")"
done
assert_eq "nfgate st<TAB>" "stats" "$(completions nfgate st)"
# 2.
assert_eq "-t <TAB>" "$(words filter mangle raw nat)" "$(completions nfgate -t '')"
# 3.
assert_eq "-L <TAB>" "$(words INPUT FORWARD OUTPUT MY-CHAIN)" "$(completions nfgate -L '')"
assert_eq "-t nat -A <TAB>" "$(words PREROUTING INPUT OUTPUT POSTROUTING NAT-CHAIN)" \
	"$(completions nfgate -t nat -A '')"
assert_eq "-X <TAB>" "MY-CHAIN" "$(completions nfgate -X '')"
assert_eq "-P INPUT <TAB>" "$(words ACCEPT DROP)" "$(completions nfgate -P INPUT '')"
# 4.
got=$(completions nfgate -A INPUT -j '')
for w in ACCEPT DROP RETURN REJECT LOG MARK DNAT MASQUERADE NFQUEUE MY-CHAIN; do
	grep -qx -- "$w" <<<"$got" || fail "-j <TAB> lacks $w: $(tr '\n' ' ' <<<"$got")"
done
grep -qx NAT-CHAIN <<<"$got" && fail "-j <TAB> offers another table's chain"
got=$(completions nfgate -A INPUT -m '')
for w in tcp udp comment conntrack mark limit hashlimit recent multiport; do
	grep -qx -- "$w" <<<"$got" || fail "-m <TAB> lacks $w: $(tr '\n' ' ' <<<"$got")"
done
# 5.
assert_eq "stats -<TAB>" "$(words -t --table --prometheus)" "$(completions nfgate stats -)"
assert_eq "restore --no<TAB>" "--noflush" "$(completions nfgate restore --no)"
assert_eq "iptables-nfgate-restore -<TAB>" \
	"$(words -n --noflush -t --test -c --counters -v --verbose -T --table -M --modprobe)" \
	"$(completions iptables-nfgate-restore -)"
assert_eq "iptables-nfgate-save -t <TAB>" "$(words filter mangle raw nat)" \
	"$(completions iptables-nfgate-save -t '')"
exit $ret
