#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfgate_netlink_bad.sh: runs nl_bad (nl_bad.c), the raw generic netlink
# client that sends malformed, contradictory and unprivileged requests and
# checks errno, extack message and an unchanged ruleset dump.  Each of its
# tests runs in a network namespace of its own; its TAP lines appear below.

source "$(dirname -- "$0")/lib.sh"
require_env
require_helper nl_bad

dmesg_start=$(dmesg | wc -l)
"$HELPERS/nl_bad"
rc=$?
[ $rc -eq 0 ] || fail "nl_bad exited $rc"
trouble=$(kernel_complaints "$dmesg_start")
assert_eq "kernel log during nl_bad" "" "$trouble"
exit $ret
