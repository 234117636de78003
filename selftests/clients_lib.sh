#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# clients_lib.sh: what the real-client tests (nfgate_ufw.sh,
# nfgate_docker_real.sh) add to lib.sh: a client program, unmodified, runs
# with the iptables names pointing at nfgate's drop-in (or at
# iptables-legacy, the oracle), in the test VM whose root is the host's,
# read-only.
#
# Nothing of the host is written: every directory a client writes
# (/etc/alternatives, /etc/ufw, /etc/default, dockerd's state) is a copy
# in the guest's /tmp (a tmpfs) bind-mounted over the original, and the
# binds live in a mount namespace of their own (unshare -m), so that they
# vanish with the command and never leak into other tests of the same VM
# boot.

# The drop-in names: symlinks beside the CLI (build/ or NFGATE_CLI's dir).
DROPIN_DIR=$(dirname -- "$NFGATE")

# state_copy DIR COPY: COPY becomes a copy of DIR (owner, mode and
# symbolic links kept) that a bind mount can put in DIR's place.
state_copy() {
	mkdir -p "$2" || return 1
	cp -a "$1/." "$2/" || return 1
	chmod --reference="$1" "$2"
}

# alternatives_copy ENGINE COPY: a copy of /etc/alternatives whose
# iptables, iptables-save and iptables-restore point at ENGINE's:
# "nfgate" (build/iptables-nfgate*, the drop-in symlinks to the CLI) or
# "legacy" (/usr/sbin/iptables-legacy*).  ip6tables* point at
# ip6tables-legacy for both (nfgate is IPv4 only; the same IPv6 side for
# both engines).
alternatives_copy() {
	local e=$1 d=$2 n

	state_copy /etc/alternatives "$d" || return 1
	for n in iptables iptables-save iptables-restore; do
		if [ "$e" = nfgate ]; then
			ln -sfn "$DROPIN_DIR/${n/iptables/iptables-nfgate}" "$d/$n"
		else
			ln -sfn "/usr/sbin/${n/iptables/iptables-legacy}" "$d/$n"
		fi
	done
	for n in ip6tables ip6tables-save ip6tables-restore; do
		ln -sfn "/usr/sbin/${n/ip6tables/ip6tables-legacy}" "$d/$n"
	done
}

# with_binds "COPY:DIR ..." CMD...: CMD in a fresh mount namespace in which
# each COPY is bind-mounted over its DIR.
with_binds() {
	local binds=$1

	shift
	unshare -m --propagation private /bin/bash -c '
		for b in $1; do
			mount --bind "${b%%:*}" "${b#*:}" || exit 125
		done
		shift
		exec "$@"' with_binds "$binds" "$@"
}

# require_dropin: the drop-in names that the alternatives point at.
require_dropin() {
	local n

	for n in iptables-nfgate iptables-nfgate-save iptables-nfgate-restore; do
		[ -e "$DROPIN_DIR/$n" ] || skip "$DROPIN_DIR/$n missing (run make)"
	done
}
